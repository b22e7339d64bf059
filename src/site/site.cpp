// See site.h. Construction (one Pages per enabled language), the frame other
// modules borrow, and the route table: each URL pattern maps to one named
// function of site_routes.h, defined in the file of its page kind.
#include "site/site.h"

#include <algorithm>

#include "site/site_pages.h"
#include "site/site_routes.h"

namespace masthead::site {

Site::Site(SiteOptions options, const content::ArticleStore& store, const base::Clock& clock,
           const render::TemplateSet& templates, const render::Catalogs& catalogs,
           const http::StaticAssets& assets, const PaywallGate& gate)
    : catalogs_(catalogs), gate_(gate), cache_([&store](base::TimePoint now) {
        return PageCache::Validity{store.content_version(), store.next_scheduled_after(now)};
      }) {
  std::vector<std::string> locales = catalogs.locales();
  std::stable_partition(locales.begin(), locales.end(), [&](const std::string& locale) {
    return locale == catalogs.default_locale();
  });
  for (const std::string& locale : locales) {
    SiteOptions localized = options;
    localized.locale = locale;
    pages_.push_back(std::make_shared<detail::Pages>(
        std::move(localized), catalogs.default_locale(), store, clock, templates,
        catalogs.for_locale(locale), assets, gate.policy()));
  }
}

Site::Frame Site::frame(const http::Request& request, std::string title, std::string path) const {
  const detail::Pages* pages = pages_.front().get();
  if (pages_.size() > 1) {
    std::string wanted = catalogs_.negotiate(request.header("Accept-Language"));
    for (const auto& p : pages_)
      if (p->locale() == wanted) pages = p.get();
  }
  return Frame{pages->frame(std::move(title), std::move(path)), &pages->messages(), &pages->dates(),
               pages->locale()};
}

void Site::add_routes(http::Router& router) {
  using namespace detail;
  auto ctx = std::make_shared<const RouteContext>(pages_, catalogs_, cache_, gate_);
  auto to = [ctx](Route route) -> http::Handler {
    return [ctx, route](http::Request& r) { return route(*ctx, r); };
  };

  router.get("/", to(front_route));
  router.get("/static/*path", to(static_route));
  router.get("/favicon.ico", to(favicon_route));
  router.get("/healthz", to(healthz_route));
  router.get("/robots.txt", to(robots_route));
  router.get("/sitemap.xml", to(sitemap_route));
  router.get(kAboutSponsoredPath, to(about_sponsored_route));
  router.get("/search", to(search_route));
  router.get("/author/:slug", to(author_route));
  router.get("/tag/:slug", to(tag_route));
  router.get("/media/:name", to(media_route));
  router.get("/:section", to(section_route));
  router.get("/:section/", to(section_slash_route));
  router.get("/:section/:slug", to(article_route));
  router.get("/:section/:slug/print", to(print_route));
  router.set_not_found(to(not_found_route));
}

}  // namespace masthead::site
