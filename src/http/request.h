// Request: what a handler sees of an HTTP request.
//
// The server (server.cpp) turns Beast's parsed message into this plain value
// so that handlers, and every module above http, never include Beast or Asio.
// By the time a handler runs the request has passed the size limits, its
// target has been split by Boost.URL into a percent-decoded path and query
// parameters, and its header names keep their original spelling (lookups are
// case-insensitive).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace masthead::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view method_name(Method method);

struct Header {
  std::string name;
  std::string value;
};

struct Request {
  Method method = Method::kGet;
  std::string target;  // as sent: path and query, still percent-encoded
  std::string path;    // percent-decoded path; never contains NUL
  std::vector<std::pair<std::string, std::string>> query;   // decoded, in order
  std::vector<std::pair<std::string, std::string>> params;  // filled by Router from :name
  std::vector<Header> headers;
  std::string body;
  std::string remote_address;  // peer IP as text ("127.0.0.1", "::1")

  // Empty when the header is absent. Case-insensitive name.
  std::string_view header(std::string_view name) const;
  // First query parameter of that name.
  std::optional<std::string_view> query_param(std::string_view name) const;
  // Value of a router parameter (":slug" is asked for as "slug"); empty if none.
  std::string_view param(std::string_view name) const;
  // Value of the first cookie of that name in the Cookie header(s).
  std::optional<std::string_view> cookie(std::string_view name) const;
};

}  // namespace masthead::http
