// The gzip content coding: negotiating it and producing it.
//
// Negotiation reads Accept-Encoding as RFC 9110 §12.5.3 defines it: a list of
// codings with optional q-values, where "gzip;q=0" refuses gzip, "*" stands
// for any coding not listed, "x-gzip" is an old alias of gzip, and several
// Accept-Encoding headers form one list. A q-value that does not parse counts
// as 0: when in doubt, send identity, which every client understands.
//
// Compression is zlib's deflate with windowBits 31 (a gzip wrapper, RFC
// 1952). Setting up a deflate stream allocates a few hundred kilobytes, so
// each thread keeps one and resets it between bodies; gzip() is therefore
// thread-safe and cheap to call per response.
#pragma once

#include <string>
#include <string_view>

#include "http/request.h"

namespace masthead::http {

inline constexpr int kGzipDynamicLevel = 6;  // per-response compression
inline constexpr int kGzipStaticLevel = 9;   // compress once, serve many times

// One Accept-Encoding field value.
bool accepts_gzip(std::string_view accept_encoding);
// Every Accept-Encoding header of the request, taken as one list.
bool accepts_gzip(const Request& request);

// Replaces `out` with the gzip form of `data` (reusing out's capacity).
void gzip_into(std::string_view data, std::string& out, int level = kGzipDynamicLevel);
std::string gzip(std::string_view data, int level = kGzipDynamicLevel);

}  // namespace masthead::http
