// RouteContext and the response helpers every route uses: the language pick,
// the cache lookup, conditional requests and gzip, and the 404 route. See
// site_routes.h.
#include "site/site_routes.h"

#include "http/etag.h"
#include "http/gzip.h"

namespace masthead::site::detail {

http::Response respond(const http::Request& request, const CachedPage& page,
                       std::string_view cache_control) {
  http::Response r;
  r.status = page.status;
  r.set_header("Content-Type", page.content_type);
  r.set_header("Cache-Control", cache_control);
  bool gzipped = page.gzip_body && http::accepts_gzip(request);
  if (page.gzip_body) r.set_header("Vary", "Accept-Encoding");
  if (page.status == 200) {
    std::string etag = gzipped ? page.etag.substr(0, page.etag.size() - 1) + "-gzip\"" : page.etag;
    r.set_header("ETag", etag);
    if (http::matches_if_none_match(request, etag)) {
      r.status = 304;
      return r;
    }
  }
  if (gzipped) {
    r.set_header("Content-Encoding", "gzip");
    r.shared_body = page.gzip_body;
  } else {
    r.shared_body = page.body;
  }
  return r;
}

RouteContext::RouteContext(std::vector<std::shared_ptr<Pages>> pages,
                           const render::Catalogs& catalogs, PageCache& cache,
                           const PaywallGate& gate)
    : pages_(std::move(pages)), catalogs_(catalogs), cache_(cache), gate_(gate) {}

RouteContext::Localized RouteContext::localize(const http::Request& request) const {
  if (pages_.size() == 1) return {pages_.front(), ""};
  std::string wanted = catalogs_.negotiate(request.header("Accept-Language"));
  for (const auto& p : pages_)
    if (p->locale() == wanted) return {p, wanted + "|"};
  return {pages_.front(), pages_.front()->locale() + "|"};
}

http::Response RouteContext::vary_language(http::Response response) const {
  if (pages_.size() > 1) {
    std::string vary(response.header("Vary"));
    response.set_header("Vary", vary.empty() ? "Accept-Language" : vary + ", Accept-Language");
  }
  return response;
}

http::Response RouteContext::cached(
    const http::Request& request, const std::string& key,
    const std::function<std::shared_ptr<const CachedPage>()>& render,
    std::string_view cache_control) const {
  auto page = cache_.get_or_render(key, default_pages().clock().now(), render);
  return vary_language(respond(request, *page, page->status == 200 ? cache_control : kNoStore));
}

http::Response RouteContext::not_found(const http::Request& request) const {
  return vary_language(respond(request, *localize(request).pages->not_found(), kNoStore));
}

http::Response not_found_route(const RouteContext& ctx, const http::Request& r) {
  return ctx.not_found(r);
}

}  // namespace masthead::site::detail
