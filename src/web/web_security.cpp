// See web_security.h.
#include "web/web_security.h"

#include <sodium.h>

#include <boost/url/parse.hpp>

namespace masthead::web {

namespace {

constexpr std::size_t kCookieBytes = 32;

std::string base64url(const unsigned char* bytes, std::size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

bool is_base64url(std::string_view s) {
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

}  // namespace

std::string CookiePolicy::name(std::string_view base) const {
  return (secure ? "__Host-" : "") + std::string(base);
}

http::CookieOptions CookiePolicy::options(http::SameSite same_site,
                                          std::optional<std::chrono::seconds> max_age) const {
  http::CookieOptions o;
  o.path = "/";
  o.http_only = true;
  o.secure = secure;
  o.same_site = same_site;
  o.max_age = max_age;
  return o;
}

std::string origin_of(std::string_view base_url) {
  auto url = boost::urls::parse_absolute_uri(base_url);
  if (!url) return std::string(base_url);
  std::string origin = std::string(url->scheme()) + "://" + std::string(url->encoded_host());
  if (url->has_port()) origin += ":" + std::string(url->port());
  return origin;
}

bool same_origin(const http::Request& request, std::string_view origin) {
  std::string_view sent = request.header("Origin");
  if (!sent.empty()) return sent == origin;
  std::string_view referer = request.header("Referer");
  if (referer.empty()) return false;
  return referer == origin ||
         (referer.size() > origin.size() && referer.substr(0, origin.size()) == origin &&
          referer[origin.size()] == '/');
}

std::string safe_next(std::string_view next, std::string_view fallback) {
  bool ok = !next.empty() && next.size() <= 2000 && next[0] == '/' &&
            (next.size() == 1 || (next[1] != '/' && next[1] != '\\'));
  for (char c : next) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '\\') ok = false;
  }
  return ok ? std::string(next) : std::string(fallback);
}

CsrfGuard::CsrfGuard(std::array<unsigned char, 32> key, CookiePolicy cookies)
    : key_(key), cookies_(cookies) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string CsrfGuard::field_for(std::string_view cookie_value) const {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(cookie_value.data()),
                         cookie_value.size(), key_.data());
  return base64url(mac, sizeof mac);
}

CsrfGuard::Token CsrfGuard::token_for(std::string cookie_value, bool send_cookie) const {
  Token token;
  token.field = field_for(cookie_value);
  if (send_cookie)
    token.set_cookie = http::build_set_cookie(cookie_name(), cookie_value,
                                              cookies_.options(http::SameSite::kStrict));
  return token;
}

CsrfGuard::Token CsrfGuard::rotate() const {
  unsigned char bytes[kCookieBytes];
  randombytes_buf(bytes, sizeof bytes);
  return token_for(base64url(bytes, sizeof bytes), true);
}

CsrfGuard::Token CsrfGuard::issue(const http::Request& request) const {
  auto cookie = request.cookie(cookie_name());
  if (cookie && cookie->size() == 43 && is_base64url(*cookie))
    return token_for(std::string(*cookie), false);
  return rotate();
}

bool CsrfGuard::verify(const http::Request& request, std::string_view field) const {
  auto cookie = request.cookie(cookie_name());
  if (!cookie || cookie->size() != 43 || !is_base64url(*cookie)) return false;
  std::string expected = field_for(*cookie);
  return field.size() == expected.size() &&
         sodium_memcmp(field.data(), expected.data(), expected.size()) == 0;
}

}  // namespace masthead::web
