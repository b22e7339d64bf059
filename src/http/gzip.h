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

#include <cstdint>
#include <initializer_list>
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

// Joinable gzip: a page assembled per request from fixed parts and small
// per-request parts can be sent compressed without compressing it per
// request. Each fixed part is deflated once, on its own (no back-reference
// leaves it) and flushed to a byte boundary without a final block; a small
// part becomes uncompressed "stored" blocks, which costs a copy. gzip_join()
// lays the pieces end to end between a gzip header and a final empty block,
// and combines their CRC-32s (zlib's crc32_combine) — the result is one
// ordinary gzip member whose content is the pieces' data concatenated.
struct DeflatePiece {
  std::string bytes;       // raw deflate blocks, none final, byte-aligned
  std::uint32_t crc = 0;   // CRC-32 of the data
  std::uint64_t size = 0;  // bytes of data
};
DeflatePiece deflate_piece(std::string_view data, int level = kGzipStaticLevel);
DeflatePiece stored_piece(std::string_view data);
std::string gzip_join(std::initializer_list<const DeflatePiece*> pieces);

}  // namespace masthead::http
