// What the auth and account pages share: the visitor, cookies, `next`,
// the words for password problems and throttling. Internal to accounts.
#pragma once

#include <boost/json/array.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "accounts/accounts.h"
#include "web/visitor.h"

namespace masthead::accounts::detail {

inline services::Visitor visitor(const AuthPages& pages, const http::Request& request) {
  return web::visitor_of(request, pages.kit.cookies);
}

// A new session's cookies: the session and a rotated CSRF cookie (a token
// from before a sign-in is worth nothing after it).
inline std::vector<std::string> session_cookies(const AuthPages& pages, std::string_view token) {
  return {web::session_set_cookie(pages.kit.cookies, token, pages.session_lifetime),
          pages.kit.csrf.rotate().set_cookie};
}

// `next` from a query or a form, kept only when it is a local path.
inline std::string local_next(std::string_view raw) {
  return raw.empty() ? std::string() : web::safe_next(raw, "");
}

std::string password_problem_text(const web::Page& page, members::PasswordProblem problem);

// A new password's field, with the limits as a hint.
web::FieldSpec new_password_field(const web::Page& page, std::string name,
                                  std::string_view label_key);

// 429 with Retry-After: too many failed attempts.
http::Response throttled(const web::Page& page, std::chrono::seconds retry_after);

using PageHandler = http::Response (*)(const AuthPages&, const http::Request&);

// Registers `handler` for method and path, bound to `pages`.
inline void add_route(http::Router& router, const AuthPages& pages, http::Method method,
                      std::string_view path, PageHandler handler,
                      http::Dispatch dispatch = http::kInline) {
  const AuthPages* p = &pages;
  router.add(
      method, path, [p, handler](http::Request& r) { return handler(*p, r); }, dispatch);
}

}  // namespace masthead::accounts::detail
