// Request helpers: header, query, router-parameter and cookie lookup.
//
// All lookups are linear scans: a request carries a dozen headers and a few
// parameters, so a scan beats building any index, and nothing here allocates.
// The Cookie parser is deliberately forgiving because the header is written
// by every script that ever ran on the site's origin: pairs are separated by
// ';', surrounding whitespace is ignored, a value wrapped in double quotes is
// returned without them, and anything without '=' is skipped. It never
// throws, never reads past the header, and returns views into the request,
// valid for as long as the request is.
#include "http/request.h"

#include "http/ascii.h"

namespace masthead::http {

std::string_view method_name(Method method) {
  switch (method) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
    case Method::kOptions:
      return "OPTIONS";
    case Method::kOther:
      return "OTHER";
  }
  return "OTHER";
}

std::string_view Request::header(std::string_view name) const {
  for (const Header& h : headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return {};
}

std::optional<std::string_view> Request::query_param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::string_view Request::param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return {};
}

namespace {

// Finds `name` in one Cookie header value ("a=1; b=\"2\"; junk; c=3").
std::optional<std::string_view> find_cookie(std::string_view list, std::string_view name) {
  while (!list.empty()) {
    std::string_view pair = trim_ows(next_item(list, ';'));
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;  // junk without '=': skip
    if (trim_ows(pair.substr(0, eq)) != name) continue;
    std::string_view value = trim_ows(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> Request::cookie(std::string_view name) const {
  if (name.empty()) return std::nullopt;
  for (const Header& h : headers) {
    if (!iequals(h.name, "cookie")) continue;
    if (auto value = find_cookie(h.value, name)) return value;
  }
  return std::nullopt;
}

}  // namespace masthead::http
