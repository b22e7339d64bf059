// See visitor.h.
#include "web/visitor.h"

namespace masthead::web {

namespace {
constexpr std::chrono::seconds kReaderCookieLifetime = std::chrono::hours(24 * 365);
}  // namespace

std::string reader_cookie_name(const CookiePolicy& cookies) {
  return cookies.name("reader");
}

std::string session_cookie_name(const CookiePolicy& cookies) {
  return cookies.name("session");
}

services::Visitor visitor_of(const http::Request& request, const CookiePolicy& cookies) {
  services::Visitor visitor;
  visitor.remote_address = request.remote_address;
  visitor.forwarded_for = std::string(request.header("X-Forwarded-For"));
  visitor.user_agent = std::string(request.header("User-Agent"));
  if (auto reader = request.cookie(reader_cookie_name(cookies)))
    visitor.reader_cookie = std::string(*reader);
  if (auto session = request.cookie(session_cookie_name(cookies)))
    visitor.session_token = std::string(*session);
  visitor.safe = request.method == http::Method::kHead;
  return visitor;
}

std::string reader_set_cookie(const CookiePolicy& cookies, std::string_view token) {
  return http::build_set_cookie(reader_cookie_name(cookies), token,
                                cookies.options(http::SameSite::kLax, kReaderCookieLifetime));
}

std::string session_set_cookie(const CookiePolicy& cookies, std::string_view token,
                               std::chrono::seconds lifetime) {
  return http::build_set_cookie(session_cookie_name(cookies), token,
                                cookies.options(http::SameSite::kLax, lifetime));
}

std::string expired_session_cookie(const CookiePolicy& cookies) {
  return http::build_expired_cookie(session_cookie_name(cookies),
                                    cookies.options(http::SameSite::kLax));
}

}  // namespace masthead::web
