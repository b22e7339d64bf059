// HTML escaping for text placed in element content or quoted attribute values.
//
// The five characters that can change the meaning of HTML text are replaced:
//   &  -> &amp;    <  -> &lt;    >  -> &gt;    "  -> &quot;    '  -> &#39;
// Everything else, including every byte of multi-byte UTF-8 sequences, is
// copied unchanged. That is enough for element content and for attribute
// values in double or single quotes; it is NOT enough for unquoted attributes,
// URLs (javascript:), <script> or <style> content: callers must not place
// untrusted text there.
//
// Speed matters: every {{variable}} of every page goes through here. The scan
// tests eight bytes at a time for any of the five characters (a branch-free
// word trick, no intrinsics), looks bytes up in a 256-entry table only near a
// hit, and copies each run of safe bytes with a single append. Text without
// special characters costs one fast scan and one append.
#pragma once

#include <string>
#include <string_view>

namespace masthead::render {

// Appends `text` to `out` with the five HTML-special characters escaped.
void append_html_escaped(std::string& out, std::string_view text);

// Convenience form returning a new string.
std::string html_escape(std::string_view text);

}  // namespace masthead::render
