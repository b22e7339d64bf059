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
//
// Each route also says how the server runs it (Dispatch): inline on the
// connection's io thread, the default and the right choice for anything
// quick, or on the server's bounded pool of blocking threads, for handlers
// that hold a thread for long (password hashing, calls to another service).
// match() gives the server both the handler and that choice; handle() is
// match() and a call, for callers that run everything in place.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "http/request.h"
#include "http/response.h"

namespace masthead::http {

using Handler = std::function<Response(Request&)>;

// Where the server runs a route's handler (see ServerOptions::blocking_threads).
enum class Dispatch {
  kInline,    // on the connection's io thread: must not block for long
  kBlocking,  // on a blocking-pool thread; 503 + Retry-After when the pool is full
};
using enum Dispatch;  // http::kInline, http::kBlocking

// The route a request resolved to. `handler` is never null (a 404 or 405
// answer is a handler too) and lives as long as the Router.
struct RouteMatch {
  const Handler* handler;
  Dispatch dispatch;
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  void add(Method method, std::string_view pattern, Handler handler, Dispatch dispatch = kInline);
  void get(std::string_view pattern, Handler handler, Dispatch dispatch = kInline) {
    add(Method::kGet, pattern, std::move(handler), dispatch);
  }
  void post(std::string_view pattern, Handler handler, Dispatch dispatch = kInline) {
    add(Method::kPost, pattern, std::move(handler), dispatch);
  }
  // Called, inline, for paths that match no pattern (default: a plain 404).
  void set_not_found(Handler handler);

  // Fills request.params and returns the handler to call and how. HEAD
  // served by a GET route takes that route's dispatch; 404 and 405 are inline.
  RouteMatch match(Request& request) const;
  // match(), then calls the handler in place whatever its dispatch.
  Response handle(Request& request) const;
  // Whether any route is kBlocking (the server starts its pool only then).
  bool has_blocking_routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace masthead::http
