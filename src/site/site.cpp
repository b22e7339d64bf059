// See site.h. Construction (one Pages per enabled language), the frame other
// modules borrow, and the route table: each URL pattern maps to one named
// function of site_routes.h, defined in the file of its page kind.
#include "site/site.h"

#include <algorithm>

#include "base/text.h"
#include "http/gzip.h"
#include "site/site_pages.h"
#include "site/site_routes.h"

namespace masthead::site {

Site::Site(SiteOptions options, const content::ArticleStore& store, const base::Clock& clock,
           const render::TemplateSet& templates, const render::Catalogs& catalogs,
           const http::StaticAssets& assets, const PaywallGate& gate)
    : catalogs_(catalogs),
      gate_(gate),
      reader_links_(options.reader_links),
      cache_([&store](base::TimePoint now) {
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
  return Frame{pages->frame(std::move(title), std::move(path), reader_links(request)),
               &pages->messages(), &pages->dates(), pages->locale()};
}

std::optional<ReaderLinks> Site::reader_links(const http::Request& request) const {
  if (!reader_links_) return std::nullopt;
  return reader_links_(request);
}

namespace {

constexpr std::string_view kLinksStart = "<!--reader-links-->";
constexpr std::string_view kLinksEnd = "<!--/reader-links-->";

// A page for a signed-in reader: the route's page without compression or
// validators, its header's reader links replaced by theirs, sent private.
http::Response personal(const detail::RouteContext& ctx, detail::Route route, http::Request& r,
                        const ReaderLinks& reader) {
  const bool gzip = http::accepts_gzip(r);
  std::erase_if(r.headers, [](const http::Header& h) {
    return base::iequals_ascii(h.name, "Accept-Encoding") ||
           base::iequals_ascii(h.name, "If-None-Match");
  });
  http::Response response = route(ctx, r);
  const std::string_view content_type = response.header("Content-Type");
  if (content_type.rfind("text/html", 0) != 0) return response;
  std::string page(response.body_view());
  const std::size_t start = page.find(kLinksStart);
  const std::size_t end = page.find(kLinksEnd, start == std::string::npos ? 0 : start);
  if (start == std::string::npos || end == std::string::npos) return response;
  const detail::Pages& pages = *ctx.localize(r).pages;
  page.replace(start, end + kLinksEnd.size() - start, pages.reader_links(reader));
  // A notice under the header for what just happened (registering from a wall).
  if (auto notice = r.query_param("notice")) {
    constexpr std::string_view kNoticeSlot = "<!--masthead:notice-->";
    if (auto at = page.find(kNoticeSlot); at != std::string::npos)
      page.replace(at, kNoticeSlot.size(), pages.notice_html(*notice));
  }
  response.shared_body.reset();
  response.shared_gzip_body.reset();
  std::erase_if(response.headers,
                [](const http::Header& h) { return base::iequals_ascii(h.name, "ETag"); });
  if (gzip) {
    response.body = http::gzip(page);
    response.set_header("Content-Encoding", "gzip");
  } else {
    response.body = std::move(page);
  }
  response.set_header("Cache-Control", detail::kPersonalPage);
  std::string vary(response.header("Vary"));
  response.set_header("Vary", vary.empty() ? "Accept-Encoding, Cookie" : vary + ", Cookie");
  if (!reader.csrf_cookie.empty()) response.add_header("Set-Cookie", reader.csrf_cookie);
  return response;
}

}  // namespace

void Site::add_routes(http::Router& router) {
  using namespace detail;
  auto ctx = std::make_shared<const RouteContext>(pages_, catalogs_, cache_, gate_);
  auto to = [ctx](Route route) -> http::Handler {
    return [ctx, route](http::Request& r) { return route(*ctx, r); };
  };
  // Pages with the header: a signed-in reader's are made for them.
  auto page = [ctx, this](Route route) -> http::Handler {
    return [ctx, route, this](http::Request& r) {
      if (auto reader = reader_links(r)) return personal(*ctx, route, r, *reader);
      return route(*ctx, r);
    };
  };

  router.get("/", page(front_route));
  router.get("/static/*path", to(static_route));
  router.get("/favicon.ico", to(favicon_route));
  router.get("/healthz", to(healthz_route));
  router.get("/robots.txt", to(robots_route));
  router.get("/sitemap.xml", to(sitemap_route));
  router.get(kAboutSponsoredPath, page(about_sponsored_route));
  router.get("/search", page(search_route));
  router.get("/author/:slug", page(author_route));
  router.get("/tag/:slug", page(tag_route));
  router.get("/media/:name", to(media_route));
  router.get("/:section", page(section_route));
  router.get("/:section/", to(section_slash_route));
  router.get("/:section/:slug", page(article_route));
  router.get("/:section/:slug/print", page(print_route));
  router.set_not_found(page(not_found_route));
}

}  // namespace masthead::site
