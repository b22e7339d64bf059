// Response helpers: header editing and the common factories.
//
// Headers are a small vector kept in the order the handler built it; the
// server writes them in that order. set_header keeps the position of the
// first header of that name (so replacing Content-Type does not reorder the
// block) and drops any later duplicates. The factories set only Content-Type:
// Content-Length, Date and the default security headers are the server's
// business, because only it knows what will actually be sent.
#include "http/response.h"

#include <algorithm>

#include "http/ascii.h"

namespace masthead::http {

void Response::set_header(std::string_view name, std::string_view value) {
  auto same = [name](const Header& h) { return iequals(h.name, name); };
  auto first = std::find_if(headers.begin(), headers.end(), same);
  if (first == headers.end()) {
    headers.push_back(Header{std::string(name), std::string(value)});
    return;
  }
  first->name.assign(name);
  first->value.assign(value);
  headers.erase(std::remove_if(first + 1, headers.end(), same), headers.end());
}

void Response::add_header(std::string_view name, std::string_view value) {
  headers.push_back(Header{std::string(name), std::string(value)});
}

std::string_view Response::header(std::string_view name) const {
  for (const Header& h : headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return {};
}

std::string_view Response::body_view() const {
  return shared_body ? std::string_view(*shared_body) : std::string_view(body);
}

namespace {

Response with_type(int status, std::string body, std::string_view content_type) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers.push_back(Header{"Content-Type", std::string(content_type)});
  return response;
}

}  // namespace

Response Response::html(int status, std::string body) {
  return with_type(status, std::move(body), "text/html; charset=utf-8");
}

Response Response::text(int status, std::string body) {
  return with_type(status, std::move(body), "text/plain; charset=utf-8");
}

Response Response::json(int status, std::string body) {
  return with_type(status, std::move(body), "application/json");
}

Response Response::redirect(std::string_view location, int status) {
  Response response = text(status, "Redirecting to " + std::string(location) + "\n");
  response.headers.push_back(Header{"Location", std::string(location)});
  return response;
}

}  // namespace masthead::http
