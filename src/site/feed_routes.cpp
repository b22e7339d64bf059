// The feed routes: scope and format from the URL, the cached document, and
// the conditional-GET answer with ETag and Last-Modified. See feed_routes.h.
#include "site/feed_routes.h"

#include <ctime>
#include <iomanip>
#include <locale>
#include <sstream>

#include "base/iso_time.h"
#include "feeds/feed_formats.h"
#include "http/http_date.h"
#include "site/site_routes.h"

namespace masthead::site {

namespace {

inline constexpr std::string_view kFeedCacheControl = "public, max-age=300";

// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") as Unix seconds; nullopt
// for anything else (RFC 9110 says to ignore an invalid If-Modified-Since).
std::optional<std::int64_t> parse_http_date(std::string_view text) {
  if (text.size() != http::kHttpDateLength) return std::nullopt;
  std::tm tm{};
  std::istringstream in{std::string(text)};
  in.imbue(std::locale::classic());
  in >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S GMT");
  if (in.fail()) return std::nullopt;
  return static_cast<std::int64_t>(timegm(&tm));
}

http::Response not_found(std::string_view text = "Not found\n") {
  http::Response r = http::Response::text(404, std::string(text));
  r.set_header("Cache-Control", detail::kNoStore);
  return r;
}

http::Response answer(const http::Request& request, const CachedPage& page,
                      std::string_view cache_control = kFeedCacheControl) {
  if (page.status != 200) return not_found();
  http::Response r = detail::respond(request, page, cache_control);
  if (!page.last_modified) return r;
  const std::int64_t modified = base::to_unix_seconds(*page.last_modified);
  r.set_header("Last-Modified", http::format_http_date(base::from_unix_seconds(modified)));
  // If-Modified-Since counts only without If-None-Match (RFC 9110 13.1.3).
  if (r.status == 200 && request.header("If-None-Match").empty()) {
    auto since = parse_http_date(request.header("If-Modified-Since"));
    if (since && modified <= *since) {
      r.status = 304;
      r.shared_body.reset();
      r.body.clear();
      std::erase_if(r.headers, [](const http::Header& h) { return h.name == "Content-Encoding"; });
    }
  }
  return r;
}

}  // namespace

FeedRoutes::FeedRoutes(const feeds::FeedSource& source, const content::ArticleStore& store,
                       PrivateFeedLookup private_feeds)
    : source_(source),
      private_feeds_(std::move(private_feeds)),
      cache_([&store](base::TimePoint now) {
        return PageCache::Validity{store.content_version(), store.next_scheduled_after(now)};
      }) {}

void FeedRoutes::add_routes(http::Router& router) {
  struct Prefix {
    feeds::ScopeKind kind;
    std::string pattern;  // before the file name
  };
  const Prefix prefixes[] = {{feeds::ScopeKind::kSite, "/"},
                             {feeds::ScopeKind::kSection, "/:section/"},
                             {feeds::ScopeKind::kAuthor, "/author/:slug/"},
                             {feeds::ScopeKind::kTag, "/tag/:slug/"}};
  for (const Prefix& prefix : prefixes) {
    for (feeds::Format format : {feeds::Format::kRss, feeds::Format::kAtom, feeds::Format::kJson}) {
      const feeds::ScopeKind kind = prefix.kind;
      router.get(prefix.pattern + std::string(feeds::file_name(format)), [this, kind, format](
                                                                             http::Request& r) {
        feeds::Scope scope{kind, std::string(kind == feeds::ScopeKind::kSection ? r.param("section")
                                                                                : r.param("slug"))};
        const std::string self =
            (kind == feeds::ScopeKind::kSite ? std::string("/") : scope.page_path() + "/") +
            std::string(feeds::file_name(format));
        auto page = cache_.get_or_render(self, source_.clock().now(), [&] {
          std::optional<feeds::Feed> feed = source_.feed(scope, self);
          if (!feed) return make_cached_page(404, "text/plain; charset=utf-8", "");
          auto made = make_cached_page(200, std::string(feeds::content_type(format)),
                                       feeds::write_feed(format, *feed));
          auto with_date = std::make_shared<CachedPage>(*made);
          if (!feed->items.empty()) with_date->last_modified = feed->updated;
          return std::shared_ptr<const CachedPage>(std::move(with_date));
        });
        return answer(r, *page);
      });
    }
  }
  if (!private_feeds_) return;
  for (feeds::Format format : {feeds::Format::kRss, feeds::Format::kAtom, feeds::Format::kJson}) {
    const std::string name(feeds::file_name(format));
    router.get(
        "/private/:token/" + name,
        [this, format, name](http::Request& r) {
          const std::string token(r.param("token"));
          std::optional<services::Member> member = private_feeds_(token);
          if (!member)
            return not_found(
                "This private feed address does not work (it may have been replaced by a new "
                "one on your account page).\n");
          const feeds::Feed feed = source_.private_feed(*member, "/private/" + token + "/" + name);
          auto page = std::make_shared<CachedPage>(*make_cached_page(
              200, std::string(feeds::content_type(format)), feeds::write_feed(format, feed)));
          if (!feed.items.empty()) page->last_modified = feed.updated;
          http::Response response = answer(r, *page, detail::kPersonalPage);
          response.set_header("X-Robots-Tag", "noindex");
          response.set_header("Referrer-Policy", "no-referrer");
          return response;
        },
        http::kBlocking);
  }
}

}  // namespace masthead::site
