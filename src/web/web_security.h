// Web security for the forms of every HTML module: CSRF tokens, the Origin
// check, local-only redirects, and the cookies' attributes.
//
// What it is. Every state-changing request of Masthead is a POST from one of
// its own forms, and each must prove that the form was Masthead's:
//  - the CSRF token (OWASP's signed double-submit cookie): the browser holds a
//    random value in an HttpOnly, SameSite=Strict cookie; the form carries
//    HMAC-SHA-256(server key, that value). Another site can make the browser
//    send the cookie but can neither read it nor compute the field. The cookie
//    is replaced at login and logout, so a token from before a login is worth
//    nothing after it.
//  - the Origin check: the request's Origin (or, when a browser sends none,
//    its Referer) must be the site's own origin.
// Both must pass (CsrfGuard::verify and same_origin); failing either is a
// 403 and changes nothing. GET requests never change state.
//
// safe_next() keeps `?next=` redirects on the site: only a local path
// ("/account", "/world/x?y=1") survives; "//evil.example", "/\evil",
// "https://…", control characters and anything else become the fallback.
//
// CookiePolicy names the cookies and their attributes: over HTTPS the
// "__Host-" prefix (Secure, Path=/, no Domain), HttpOnly, SameSite; the
// configuration's plain-HTTP switch (local use only) drops Secure and the
// prefix, which browsers would otherwise refuse on http://.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "http/cookies.h"
#include "http/request.h"

namespace masthead::web {

struct CookiePolicy {
  bool secure = true;  // the site is served over HTTPS
  // "__Host-session" / "session", and so on.
  std::string name(std::string_view base) const;
  http::CookieOptions options(http::SameSite same_site,
                              std::optional<std::chrono::seconds> max_age = std::nullopt) const;
};

// The origin of a base URL: "https://news.example.org" (scheme, host, port).
std::string origin_of(std::string_view base_url);

// The request comes from a page of `origin` (Origin, else Referer).
bool same_origin(const http::Request& request, std::string_view origin);

// `next` if it is a local path, else `fallback`.
std::string safe_next(std::string_view next, std::string_view fallback = "/account");

class CsrfGuard {
 public:
  CsrfGuard(std::array<unsigned char, 32> key, CookiePolicy cookies);

  struct Token {
    std::string field;       // the hidden form field's value
    std::string set_cookie;  // a Set-Cookie to send with the form, or empty
  };
  // The token for a form on this response: from the request's CSRF cookie,
  // or a new cookie when it has none (or a malformed one).
  Token issue(const http::Request& request) const;
  // A fresh cookie (after login or logout): the old tokens stop working.
  Token rotate() const;
  // The posted field matches the request's cookie (constant time).
  bool verify(const http::Request& request, std::string_view field) const;

  std::string cookie_name() const { return cookies_.name("csrf"); }

 private:
  std::string field_for(std::string_view cookie_value) const;
  Token token_for(std::string cookie_value, bool send_cookie) const;

  std::array<unsigned char, 32> key_;
  CookiePolicy cookies_;
};

}  // namespace masthead::web
