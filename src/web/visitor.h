// visitor_of(): the services' view of a browser request — its address, the
// X-Forwarded-For it carried, its User-Agent, the anonymous-reader cookie
// and the session cookie (named by the CookiePolicy: "__Host-reader" and
// "__Host-session" over HTTPS, "reader" and "session" otherwise), and
// whether it is a HEAD.
//
// The cookies' Set-Cookie values are built here too, so that their names
// and attributes are written down once: the reader cookie (HttpOnly,
// SameSite=Lax, one year: long enough to meter a month, short of browsers'
// 400-day cap) and the session cookie (HttpOnly, SameSite=Lax, Max-Age =
// the absolute session timeout).
#pragma once

#include <chrono>
#include <string>

#include "http/request.h"
#include "services/visitor.h"
#include "web/web_security.h"

namespace masthead::web {

services::Visitor visitor_of(const http::Request& request, const CookiePolicy& cookies);

std::string reader_cookie_name(const CookiePolicy& cookies);
std::string session_cookie_name(const CookiePolicy& cookies);

std::string reader_set_cookie(const CookiePolicy& cookies, std::string_view token);
std::string session_set_cookie(const CookiePolicy& cookies, std::string_view token,
                               std::chrono::seconds lifetime);
std::string expired_session_cookie(const CookiePolicy& cookies);

}  // namespace masthead::web
