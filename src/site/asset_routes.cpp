// The routes that answer bytes rather than pages: static assets (/static/,
// fingerprinted by http::StaticAssets), the favicon redirect, hero images
// from the store (/media/:name) and the health check (/healthz).
//
// Hero images are the newsroom's uploads, served with their stored content
// type. An SVG opened on its own must not be able to run script on this
// origin, so every image answer carries a sandboxing Content-Security-Policy.
#include <cstdio>
#include <functional>

#include "http/etag.h"
#include "site/site_pages.h"
#include "site/site_routes.h"

namespace masthead::site::detail {

http::Response static_route(const RouteContext& ctx, const http::Request& r) {
  return ctx.default_pages().assets().serve(r);
}

http::Response favicon_route(const RouteContext& ctx, const http::Request&) {
  return http::Response::redirect(ctx.default_pages().assets().url_for("favicon.svg"), 301);
}

http::Response media_route(const RouteContext& ctx, const http::Request& r) {
  auto image = ctx.default_pages().store().image_by_name(r.param("name"));
  if (!image) return ctx.not_found(r);
  char etag[32];
  std::snprintf(etag, sizeof etag, "\"%016zx\"", std::hash<std::string>{}(image->bytes));
  http::Response response;
  response.set_header("Content-Type", image->content_type);
  response.set_header("Cache-Control", "public, max-age=86400");
  response.set_header("ETag", etag);
  response.set_header("Content-Security-Policy",
                      "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  if (http::matches_if_none_match(r, etag)) {
    response.status = 304;
    return response;
  }
  response.body = std::move(image->bytes);
  return response;
}

http::Response healthz_route(const RouteContext& ctx, const http::Request&) {
  ctx.default_pages().store().content_version();  // the database answers
  auto r = http::Response::text(200, "ok\n");
  r.set_header("Cache-Control", "no-store");
  return r;
}

}  // namespace masthead::site::detail
