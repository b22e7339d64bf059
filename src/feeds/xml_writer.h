// XmlWriter: the one way feeds write XML — libxml2's xmlTextWriter, wrapped.
//
// What it is. A small RAII class over an xmlTextWriter writing into a
// memory buffer: elements, attributes and text go in, a UTF-8 document
// comes out of finish(). libxml2 does the escaping (&, <, >, quotes), so no
// feed builds markup by string concatenation.
//
// The key idea: XML 1.0 cannot carry most C0 control characters at all, not
// even as character references, and a feed with one is not well-formed. So
// every text and attribute value goes through xml_text() first, which drops
// them (and invalid UTF-8 sequences) rather than trusting the newsroom's
// input. Namespaced elements are written with their prefix in the name
// ("dc:creator"); the prefix is declared as an attribute on the root.
//
// Invariants: start/end calls nest (end_element closes the innermost open
// element); finish() closes what is still open and may be called once. Any
// libxml2 failure throws std::runtime_error: a half-written feed is never
// served.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace masthead::feeds {

// `text` with what XML 1.0 may not contain removed: C0 controls other than
// tab, line feed and carriage return, U+FFFE and U+FFFF, and bytes that are
// not well-formed UTF-8.
std::string xml_text(std::string_view text);

class XmlWriter {
 public:
  XmlWriter();  // starts a UTF-8 document with its XML declaration
  ~XmlWriter();
  XmlWriter(const XmlWriter&) = delete;
  XmlWriter& operator=(const XmlWriter&) = delete;

  void start_element(std::string_view name);
  void attribute(std::string_view name, std::string_view value);
  void text(std::string_view text);
  void end_element();
  // <name>text</name>
  void element(std::string_view name, std::string_view text);

  // Ends the document and returns it.
  std::string finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace masthead::feeds
