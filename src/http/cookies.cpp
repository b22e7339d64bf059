// Set-Cookie construction and validation; see cookies.h.
#include "http/cookies.h"

#include <stdexcept>

#include "http/ascii.h"
#include "http/http_date.h"

namespace masthead::http {

namespace {

// RFC 6265 §4.1.1 cookie-octet: visible ASCII except DQUOTE, comma,
// semicolon and backslash.
bool is_cookie_octet(char c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
         (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

bool is_cookie_value(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  for (char c : value) {
    if (!is_cookie_octet(c)) return false;
  }
  return true;
}

// Path and Domain: any printable ASCII but ';'.
bool is_attribute_value(std::string_view value) {
  for (char c : value) {
    if (c < 0x20 || c > 0x7E || c == ';') return false;
  }
  return true;
}

[[noreturn]] void reject(std::string_view name, std::string_view why) {
  throw std::invalid_argument("cookie \"" + std::string(name) + "\": " + std::string(why));
}

}  // namespace

std::string build_set_cookie(std::string_view name, std::string_view value,
                             const CookieOptions& options) {
  if (!is_token(name)) reject(name, "name must be a non-empty token");
  if (!is_cookie_value(value)) reject(name, "value has characters outside cookie-octet");
  if (!is_attribute_value(options.path)) reject(name, "bad Path");
  if (!is_attribute_value(options.domain)) reject(name, "bad Domain");
  if (options.same_site == SameSite::kNone && !options.secure) {
    reject(name, "SameSite=None requires Secure");
  }
  if (name.starts_with("__Secure-") && !options.secure) reject(name, "__Secure- requires Secure");
  if (name.starts_with("__Host-") &&
      (!options.secure || options.path != "/" || !options.domain.empty())) {
    reject(name, "__Host- requires Secure, Path=/ and no Domain");
  }

  std::string out;
  out.reserve(name.size() + value.size() + 64);
  out.append(name).append("=").append(value);
  if (!options.path.empty()) out.append("; Path=").append(options.path);
  if (!options.domain.empty()) out.append("; Domain=").append(options.domain);
  if (options.max_age) out.append("; Max-Age=").append(std::to_string(options.max_age->count()));
  if (options.expires) out.append("; Expires=").append(format_http_date(*options.expires));
  if (options.http_only) out.append("; HttpOnly");
  if (options.secure) out.append("; Secure");
  if (options.same_site) {
    switch (*options.same_site) {
      case SameSite::kLax:
        out.append("; SameSite=Lax");
        break;
      case SameSite::kStrict:
        out.append("; SameSite=Strict");
        break;
      case SameSite::kNone:
        out.append("; SameSite=None");
        break;
    }
  }
  return out;
}

std::string build_expired_cookie(std::string_view name, const CookieOptions& options) {
  CookieOptions expired = options;
  expired.max_age = std::chrono::seconds(0);
  expired.expires = std::chrono::system_clock::time_point{};  // 1970-01-01
  return build_set_cookie(name, "", expired);
}

}  // namespace masthead::http
