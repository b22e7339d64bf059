// Fuzz target: article Markdown -> HTML (content::render_markdown).
//
// The body of an article is written by people, pasted from anywhere and, once
// imports exist, fetched from other systems; its HTML goes onto every reader's
// page. So beyond "never crashes" this target checks the safety promises of
// markdown.h on every input, rendered both as editorial and as sponsored:
//
//  - every tag in the output is one cmark-gfm emits for CommonMark + tables +
//    strikethrough + autolinks, with only the attributes it emits (no
//    <script>, <iframe>, style=, on*= ...), and every '<' opens such a tag:
//    raw HTML never survives safe mode;
//  - no href or src, after entity decoding and the whitespace browsers
//    ignore, uses javascript:, vbscript:, file: or data: (cmark lets
//    data:image/png|gif|jpeg|webp through; that is not script);
//  - the sponsored rendering is the editorial one with rel="sponsored
//    noopener" on every link and nothing else changed;
//  - lead_in_html(n) is a prefix of html() for any n: the paywall's lead-in
//    never contains text the full body does not start with.
//
// cmark-gfm is a system library without coverage instrumentation; the seeds
// (fuzz/corpus/markdown_fuzz/) exercise every block and inline kind.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/text.h"
#include "content/markdown.h"
#include "fuzz/fuzz_check.h"

namespace {

using masthead::content::RenderedBody;

constexpr std::array<std::string_view, 26> kTags = {
    "p",  "h1",         "h2",    "h3",    "h4",    "h5",     "h6", "ul",  "ol",
    "li", "blockquote", "pre",   "code",  "em",    "strong", "a",  "img", "hr",
    "br", "del",        "table", "thead", "tbody", "tr",     "th", "td"};
constexpr std::array<std::string_view, 8> kAttributes = {"href",  "title", "src",   "alt",
                                                         "class", "start", "align", "rel"};

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& list, std::string_view name) {
  for (std::string_view item : list)
    if (item == name) return true;
  return false;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Decodes the character references cmark writes in attribute values.
std::string decode_entities(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '&') {
      out += v[i];
      continue;
    }
    const std::size_t semi = v.find(';', i);
    if (semi == std::string_view::npos) {
      out += v[i];
      continue;
    }
    const std::string_view ref = v.substr(i + 1, semi - i - 1);
    unsigned long code = 0;
    bool ok = true;
    if (ref == "amp") {
      code = '&';
    } else if (ref == "quot") {
      code = '"';
    } else if (ref == "lt") {
      code = '<';
    } else if (ref == "gt") {
      code = '>';
    } else if (ref.size() > 1 && ref[0] == '#') {
      const bool hex = ref[1] == 'x' || ref[1] == 'X';
      for (char c : ref.substr(hex ? 2 : 1)) {
        int digit = c >= '0' && c <= '9'                        ? c - '0'
                    : hex && lower(c) >= 'a' && lower(c) <= 'f' ? lower(c) - 'a' + 10
                                                                : -1;
        if (digit < 0 || code > 0x10FFFF) {
          ok = false;
          break;
        }
        code = code * (hex ? 16 : 10) + static_cast<unsigned long>(digit);
      }
    } else {
      ok = false;
    }
    if (!ok || code > 0x7f) {  // only ASCII matters for a scheme
      out += v[i];
      continue;
    }
    out += static_cast<char>(code);
    i = semi;
  }
  return out;
}

// The URL as a browser reads its scheme: leading C0 controls and spaces
// dropped, tabs and newlines removed anywhere, ASCII case folded.
void check_url(std::string_view attribute_value) {
  std::string url;
  for (char c : decode_entities(attribute_value)) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (url.empty() && static_cast<unsigned char>(c) <= 0x20) continue;
    url += lower(c);
  }
  const std::string_view u = url;
  FUZZ_CHECK(!u.starts_with("javascript:"), "no javascript: URL in href/src");
  FUZZ_CHECK(!u.starts_with("vbscript:"), "no vbscript: URL in href/src");
  FUZZ_CHECK(!u.starts_with("file:"), "no file: URL in href/src");
  FUZZ_CHECK(!u.starts_with("data:") || u.starts_with("data:image/png") ||
                 u.starts_with("data:image/gif") || u.starts_with("data:image/jpeg") ||
                 u.starts_with("data:image/webp"),
             "no data: URL in href/src other than cmark's raster images");
}

// Walks every tag of the output; see the essay above for what is allowed.
void check_tags(std::string_view html) {
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    const std::size_t end = html.find('>', i);
    FUZZ_CHECK(end != std::string_view::npos, "every '<' in the output opens a closed tag");
    std::string_view tag = html.substr(i + 1, end - i - 1);
    i = end + 1;
    const bool closing = tag.starts_with('/');
    if (closing) tag.remove_prefix(1);
    std::size_t n = 0;
    while (n < tag.size() && is_name_char(tag[n])) ++n;
    const std::string_view name = tag.substr(0, n);
    FUZZ_CHECK(listed(kTags, name), "only cmark-gfm's own tags");
    tag.remove_prefix(n);
    while (!tag.empty()) {
      if (tag.front() == ' ' || tag.front() == '\n') {
        tag.remove_prefix(1);
        continue;
      }
      if (tag == "/") break;  // <br />
      FUZZ_CHECK(!closing, "closing tags carry no attributes");
      std::size_t a = 0;
      while (a < tag.size() && is_name_char(tag[a])) ++a;
      const std::string_view attribute = tag.substr(0, a);
      FUZZ_CHECK(listed(kAttributes, attribute), "only cmark-gfm's own attributes");
      tag.remove_prefix(a);
      FUZZ_CHECK(tag.starts_with("=\""), "attribute values are double-quoted");
      const std::size_t close = tag.find('"', 2);
      FUZZ_CHECK(close != std::string_view::npos, "attribute values are closed");
      const std::string_view value = tag.substr(2, close - 2);
      if (attribute == "href" || attribute == "src") check_url(value);
      tag.remove_prefix(close + 1);
    }
  }
}

void check_body(const RenderedBody& body) {
  const std::string html = body.html();
  FUZZ_CHECK(html.find("<!--") == std::string::npos, "no HTML comments (cmark's are removed)");
  check_tags(html);
  for (const auto& block : body.blocks) {
    FUZZ_CHECK(!masthead::base::trim(block.html).empty(), "no empty blocks");
  }
  for (int n : {-1, 0, 1, 2, 3, 1000}) {
    FUZZ_CHECK(body.lead_in_block_count(n) <= body.blocks.size(), "lead-in within the body");
    const std::string lead_in = body.lead_in_html(n);
    FUZZ_CHECK(html.starts_with(lead_in), "the lead-in is a prefix of the body");
    FUZZ_CHECK(body.lead_in_block_count(n) < body.blocks.size() || lead_in == html,
               "a lead-in of every block is the whole body");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view markdown(reinterpret_cast<const char*>(data), size);
  const RenderedBody editorial = masthead::content::render_markdown(markdown, {.sponsored = false});
  const RenderedBody sponsored = masthead::content::render_markdown(markdown, {.sponsored = true});
  check_body(editorial);
  check_body(sponsored);

  FUZZ_CHECK(editorial.blocks.size() == sponsored.blocks.size(), "sponsorship keeps the blocks");
  FUZZ_CHECK(editorial.plain_text == sponsored.plain_text, "sponsorship keeps the plain text");
  for (std::size_t i = 0; i < editorial.blocks.size(); ++i) {
    FUZZ_CHECK(editorial.blocks[i].paragraph == sponsored.blocks[i].paragraph,
               "sponsorship keeps the block kinds");
    FUZZ_CHECK(masthead::base::replace_all(editorial.blocks[i].html, "<a href=\"",
                                           "<a rel=\"sponsored noopener\" href=\"") ==
                   sponsored.blocks[i].html,
               "sponsored HTML is editorial HTML with rel=\"sponsored noopener\" on links");
  }
  FUZZ_CHECK(sponsored.html().find("<a href=") == std::string::npos,
             "every sponsored link is marked");
  return 0;
}
