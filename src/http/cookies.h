// Set-Cookie: building the header value a handler sends to set a cookie.
//
// Reading cookies is Request::cookie; this is the other direction. The
// builder refuses (std::invalid_argument) anything that would let a cookie
// name or value break out of its attribute: the name must be an RFC 9110
// token, the value RFC 6265 cookie-octets (optionally in double quotes), and
// Path/Domain printable ASCII without ';'. Callers that store arbitrary text
// must encode it first (base64url, percent-encoding). It also enforces the
// browser rules that would otherwise drop the cookie silently: SameSite=None
// needs Secure, "__Secure-" needs Secure, "__Host-" needs Secure, Path=/ and
// no Domain. Defaults are the safe ones: Path=/, HttpOnly, Secure,
// SameSite=Lax, a session cookie (no Max-Age/Expires).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace masthead::http {

enum class SameSite { kLax, kStrict, kNone };

struct CookieOptions {
  std::string path = "/";
  std::string domain;  // empty: host-only cookie
  std::optional<std::chrono::seconds> max_age;
  std::optional<std::chrono::system_clock::time_point> expires;
  bool http_only = true;
  bool secure = true;
  std::optional<SameSite> same_site = SameSite::kLax;  // nullopt: attribute omitted
};

// "name=value; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax"
std::string build_set_cookie(std::string_view name, std::string_view value,
                             const CookieOptions& options = {});

// A Set-Cookie value that deletes the cookie: empty value, Max-Age=0 and an
// Expires in 1970. Path and Domain must match the ones it was set with.
std::string build_expired_cookie(std::string_view name, const CookieOptions& options = {});

}  // namespace masthead::http
