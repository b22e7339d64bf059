// The site's routes: one named function per route, and what they share.
//
// Internal to src/site. Site::add_routes maps each URL pattern to one of the
// functions below; each is defined in the file of its page kind (see
// site_pages.h) and is a plain function of the RouteContext and the request.
//
// The key idea: a route picks the language (Accept-Language among the
// enabled catalogs), asks the PageCache for the page under a key that carries
// that language, and sends it with the cache headers its kind calls for.
// Pages (site_pages.h) render; routes decide caching, conditional requests,
// gzip and Vary. Only the article routes ask the PaywallGate, and only for
// metered articles, whose answers are personal ("private, no-cache").
//
// Invariants: a RouteContext is immutable and outlives the router it was
// given to (Site owns the cache and borrows the gate for its lifetime). Every
// HTML answer says `Vary: Accept-Language` when more than one language is
// enabled; 404s and search results are never cached.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "http/response.h"
#include "render/catalogs.h"
#include "site/page_cache.h"
#include "site/paywall_gate.h"
#include "site/site_pages.h"

namespace masthead::site::detail {

inline constexpr std::string_view kPublicPage = "public, max-age=60";
inline constexpr std::string_view kNoStore = "no-store";
// An answer made for one reader: no shared cache may keep it, and the
// browser asks again each time (each view is a metering decision).
inline constexpr std::string_view kPersonalPage = "private, no-cache";

// Sends a cached page in the representation the client accepts. The handler
// picks gzip itself (rather than leaving it to the server) so that each
// representation has its own strong ETag, as RFC 9110 wants.
http::Response respond(const http::Request& request, const CachedPage& page,
                       std::string_view cache_control);

class RouteContext {
 public:
  // `pages`: one per enabled locale, the default locale's first.
  RouteContext(std::vector<std::shared_ptr<Pages>> pages, const render::Catalogs& catalogs,
               PageCache& cache, const PaywallGate& gate);

  // The pages in the reader's language, and the prefix of their cache keys
  // (empty when only one language is enabled).
  struct Localized {
    std::shared_ptr<Pages> pages;
    std::string key;
  };
  Localized localize(const http::Request& request) const;
  // The default language's pages: for what is the same in every language.
  const Pages& default_pages() const { return *pages_.front(); }
  PageCache& cache() const { return cache_; }
  const PaywallGate& gate() const { return gate_; }

  // Adds Accept-Language to Vary when several languages are enabled.
  http::Response vary_language(http::Response response) const;
  // The page under `key`, rendered on a miss, sent with `cache_control` when
  // it is a 200 (no-store otherwise).
  http::Response cached(const http::Request& request, const std::string& key,
                        const std::function<std::shared_ptr<const CachedPage>()>& render,
                        std::string_view cache_control = kPublicPage) const;
  // The helpful 404 page in the reader's language.
  http::Response not_found(const http::Request& request) const;

 private:
  std::vector<std::shared_ptr<Pages>> pages_;
  const render::Catalogs& catalogs_;
  PageCache& cache_;
  const PaywallGate& gate_;
};

using Route = http::Response (*)(const RouteContext&, const http::Request&);

// front_pages.cpp
http::Response front_route(const RouteContext& ctx, const http::Request& r);
http::Response section_route(const RouteContext& ctx, const http::Request& r);
http::Response section_slash_route(const RouteContext& ctx, const http::Request& r);
http::Response author_route(const RouteContext& ctx, const http::Request& r);
http::Response tag_route(const RouteContext& ctx, const http::Request& r);
// article_page.cpp
http::Response article_route(const RouteContext& ctx, const http::Request& r);
http::Response print_route(const RouteContext& ctx, const http::Request& r);
// search_page.cpp
http::Response search_route(const RouteContext& ctx, const http::Request& r);
// disclosure_page.cpp
http::Response about_sponsored_route(const RouteContext& ctx, const http::Request& r);
// seo_pages.cpp
http::Response robots_route(const RouteContext& ctx, const http::Request& r);
http::Response sitemap_route(const RouteContext& ctx, const http::Request& r);
// asset_routes.cpp
http::Response static_route(const RouteContext& ctx, const http::Request& r);
http::Response favicon_route(const RouteContext& ctx, const http::Request& r);
http::Response media_route(const RouteContext& ctx, const http::Request& r);
http::Response healthz_route(const RouteContext& ctx, const http::Request& r);
// site_routes.cpp
http::Response not_found_route(const RouteContext& ctx, const http::Request& r);

}  // namespace masthead::site::detail
