// Response: what a handler returns.
//
// A response owns its body as a string, or shares an immutable one
// (`shared_body`) so that a cached page is sent without a copy. A handler that
// has the gzip form of a shared body at hand passes it too (`shared_gzip_body`);
// otherwise the server compresses compressible bodies itself when the client
// accepts gzip. The server adds Content-Length, Date, the configured default
// (security) headers that the handler did not set, and Vary: Accept-Encoding.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace masthead::http {

struct Response {
  int status = 200;
  std::vector<Header> headers;
  std::string body;
  std::shared_ptr<const std::string> shared_body;       // sent instead of body when set
  std::shared_ptr<const std::string> shared_gzip_body;  // optional gzip of shared_body

  // Replaces every header of that name (case-insensitive).
  void set_header(std::string_view name, std::string_view value);
  // Appends, keeping earlier ones (for Set-Cookie).
  void add_header(std::string_view name, std::string_view value);
  // Empty when absent.
  std::string_view header(std::string_view name) const;
  // The body that will be sent (shared_body if set, else body).
  std::string_view body_view() const;

  static Response html(int status, std::string body);
  static Response text(int status, std::string body);
  static Response json(int status, std::string body);
  // 303 See Other (or the status given) with a Location header and a short body.
  static Response redirect(std::string_view location, int status = 303);
};

}  // namespace masthead::http
