// Router: maps a method and a decoded path to a handler.
//
// Patterns are paths whose segments are literals, `:name` (exactly one
// non-empty segment) or a final `*name` (the rest of the path, possibly
// empty). Matching is segment by segment and a literal always beats a
// parameter at the same depth, so "/search" wins over "/:section" whatever the
// order of registration. A path that matches a pattern under another method
// gets 405 with an Allow header; HEAD falls back to the GET route (the server
// drops the body). A trailing slash is significant: "/world/" and "/world"
// are different paths, and the site decides which one redirects.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "http/request.h"
#include "http/response.h"

namespace masthead::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  void add(Method method, std::string_view pattern, Handler handler);
  void get(std::string_view pattern, Handler handler) {
    add(Method::kGet, pattern, std::move(handler));
  }
  void post(std::string_view pattern, Handler handler) {
    add(Method::kPost, pattern, std::move(handler));
  }
  // Called for paths that match no pattern (default: a plain 404).
  void set_not_found(Handler handler);

  // Fills request.params and calls the matching handler.
  Response handle(Request& request) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace masthead::http
