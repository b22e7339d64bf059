// Media types: which Content-Type a file gets, and which types compress.
//
// content_type_for maps a file name's extension (case-insensitive) to the
// Content-Type the browser needs; textual types carry "; charset=utf-8"
// because every text asset Masthead ships is UTF-8. Unknown extensions get
// application/octet-stream so a browser never sniffs them into something
// executable. is_compressible says whether gzip is worth applying to a body
// of that type: text, JSON, XML, JavaScript and SVG shrink a lot; images,
// fonts (woff2 is already Brotli inside) and archives do not. To add a type,
// add a row to the table in mime.cpp and a case to mime_test.cpp.
#pragma once

#include <string_view>

namespace masthead::http {

// "style.CSS" -> "text/css; charset=utf-8". Looks only at the text after the
// last '.' of the last path segment.
std::string_view content_type_for(std::string_view filename);

// True for text/*, application/json, application/xml, application/javascript,
// application/*+json, application/*+xml and image/svg+xml. Parameters
// (";charset=...") and case are ignored.
bool is_compressible(std::string_view content_type);

}  // namespace masthead::http
