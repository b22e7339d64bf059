// XmlWriter over libxml2's xmlTextWriter, and the XML 1.0 character filter.
// See xml_writer.h.
#include "feeds/xml_writer.h"

#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include <cstdint>
#include <stdexcept>

namespace masthead::feeds {

namespace {

// The length of the well-formed UTF-8 sequence at text[i] and its code
// point, or 0 when the bytes there are not one.
std::size_t utf8_sequence(std::string_view text, std::size_t i, std::uint32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  std::size_t n = 0;
  std::uint32_t min = 0;
  if (c < 0x80) {
    cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    n = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

const xmlChar* x(const std::string& s) {
  return reinterpret_cast<const xmlChar*>(s.c_str());
}

}  // namespace

std::string xml_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    std::size_t n = utf8_sequence(text, i, cp);
    if (n == 0) {
      ++i;  // not UTF-8: dropped
      continue;
    }
    bool allowed =
        cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp != 0xFFFE && cp != 0xFFFF);
    if (allowed) out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

struct XmlWriter::State {
  xmlBufferPtr buffer = nullptr;
  xmlTextWriterPtr writer = nullptr;
  bool finished = false;
  ~State() {
    if (writer) xmlFreeTextWriter(writer);
    if (buffer) xmlBufferFree(buffer);
  }
};

namespace {
void check(int rc, const char* what) {
  if (rc < 0) throw std::runtime_error(std::string("xml writer: ") + what + " failed");
}
}  // namespace

XmlWriter::XmlWriter() : state_(std::make_unique<State>()) {
  state_->buffer = xmlBufferCreate();
  if (!state_->buffer) throw std::runtime_error("xml writer: no buffer");
  state_->writer = xmlNewTextWriterMemory(state_->buffer, 0);
  if (!state_->writer) throw std::runtime_error("xml writer: no writer");
  check(xmlTextWriterStartDocument(state_->writer, "1.0", "UTF-8", nullptr), "start document");
}

XmlWriter::~XmlWriter() = default;

void XmlWriter::start_element(std::string_view name) {
  check(xmlTextWriterStartElement(state_->writer, x(std::string(name))), "start element");
}

void XmlWriter::attribute(std::string_view name, std::string_view value) {
  check(xmlTextWriterWriteAttribute(state_->writer, x(std::string(name)), x(xml_text(value))),
        "attribute");
}

void XmlWriter::text(std::string_view text) {
  check(xmlTextWriterWriteString(state_->writer, x(xml_text(text))), "text");
}

void XmlWriter::end_element() {
  check(xmlTextWriterEndElement(state_->writer), "end element");
}

void XmlWriter::element(std::string_view name, std::string_view text) {
  start_element(name);
  this->text(text);
  end_element();
}

std::string XmlWriter::finish() {
  if (state_->finished) throw std::runtime_error("xml writer: finished twice");
  state_->finished = true;
  check(xmlTextWriterEndDocument(state_->writer), "end document");
  check(xmlTextWriterFlush(state_->writer), "flush");
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(state_->buffer)),
                     static_cast<std::size_t>(xmlBufferLength(state_->buffer)));
}

}  // namespace masthead::feeds
