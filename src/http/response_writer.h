// Response writer: turns a Response into the bytes that go on the wire.
//
// The server writes every response as two buffers, the header block built
// here and the body, with one gathered write; a shared body is therefore
// never copied. This file is the single place that decides what is actually
// sent, so the rules live together:
//
//  * framing is the server's: a handler's Content-Length, Transfer-Encoding,
//    Connection and Keep-Alive headers are dropped and rewritten (a handler's
//    "Connection: close" is honoured by closing after the response);
//  * Date (unless the handler set one), Content-Length, and each default
//    header whose name the handler did not use are added;
//  * gzip: a compressible Content-Type, no Content-Encoding from the handler,
//    a body of at least gzip_min_bytes and a client that accepts gzip. The
//    handler's shared_gzip_body is sent when present; otherwise the body is
//    compressed here, its strong ETag becomes weak (it names the identity
//    bytes), and identity is kept if compression does not shrink it. Every
//    response that could be compressed carries Vary: Accept-Encoding;
//  * HEAD sends the header block the GET would (Content-Length included)
//    without the body; to avoid compressing only to measure, HEAD uses gzip
//    only when shared_gzip_body is at hand. 204 and 304 have no body and no
//    Content-Length; a 304 with a compressible Content-Type gets the Vary
//    its 200 would have had.
//
// A Response that cannot be written safely (status outside 200..599, a
// header name that is not a token, a value with CR, LF or NUL) is reported by
// response_problem(); the caller substitutes a 500 rather than let a handler
// split the response. No Asio here: this is plain string building.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "http/response.h"

namespace masthead::http {

struct WriteContext {
  const Request* request = nullptr;  // null for responses the server makes itself
  int version = 11;                  // of the request: 10 or 11
  bool keep_alive = true;            // what the request and server state allow
  std::string_view date;             // IMF-fixdate for the Date header
  std::size_t gzip_min_bytes = 1024;
  const std::vector<Header>* default_headers = nullptr;
};

struct WirePlan {
  std::string_view body;  // to send after the header block (empty for HEAD, 204, 304)
  bool keep_alive = true;
  bool gzipped = false;
};

// Null when the response can be written, else a short reason.
const char* response_problem(const Response& response);

// Builds the status line and header block of `response` into `head`
// (cleared first). `gzip_scratch` receives an on-the-fly gzip body and must
// outlive the write, as must `response`.
WirePlan write_head(const Response& response, const WriteContext& context, std::string& head,
                    std::string& gzip_scratch);

}  // namespace masthead::http
