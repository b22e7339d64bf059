// The routes that answer bytes rather than pages: static assets (/static/,
// fingerprinted by http::StaticAssets), the favicon redirect, hero images
// from the store (/media/:name) and the health check (/healthz).
//
// Hero images are the newsroom's uploads, served with their stored content
// type. An SVG opened on its own must not be able to run script on this
// origin, so every image answer carries a sandboxing Content-Security-Policy.
// Images are named by their bytes (content/image_name.h); when the name's
// digest is the digest of the bytes served, the answer is cacheable for a
// year and immutable. The check is made on the bytes at every answer (a
// BLAKE2b pass, which the ETag needs anyway), so a name that merely looks
// content-addressed is never promised for ever.
#include "content/image_name.h"
#include "http/etag.h"
#include "site/site_pages.h"
#include "site/site_routes.h"

namespace masthead::site::detail {

namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
// A name stored before images were content-addressed: its bytes could be
// replaced, so a day's lifetime, then revalidation by ETag.
constexpr std::string_view kReplaceable = "public, max-age=86400";

}  // namespace

http::Response static_route(const RouteContext& ctx, const http::Request& r) {
  return ctx.default_pages().assets().serve(r);
}

http::Response favicon_route(const RouteContext& ctx, const http::Request&) {
  return http::Response::redirect(ctx.default_pages().assets().url_for("favicon.svg"), 301);
}

http::Response media_route(const RouteContext& ctx, const http::Request& r) {
  auto image = ctx.default_pages().store().image_by_name(r.param("name"));
  if (!image) return ctx.not_found(r);
  const std::string digest = content::image_digest(image->bytes);
  const std::string etag = "\"" + digest + "\"";
  http::Response response;
  response.set_header("Content-Type", image->content_type);
  // A content-addressed name always means these bytes (content/image_name.h):
  // cache it for a year without asking again. Older names may be replaced.
  response.set_header(
      "Cache-Control",
      content::is_content_addressed_image(image->name, image->bytes) ? kImmutable : kReplaceable);
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
