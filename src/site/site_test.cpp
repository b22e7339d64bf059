// Unit tests for the site's own pieces: share links and the page cache's
// invalidation rules (content version, scheduled publication, bounds).
#include <gtest/gtest.h>

#include "base/iso_time.h"
#include "site/page_cache.h"
#include "site/share_links.h"

namespace masthead::site {
namespace {

TEST(ShareLinks, EncodeUrlAndTitle) {
  auto links = share_links("https://news.example/world/a-b?x=1", "Rates & \"prices\" rise");
  EXPECT_EQ(links.facebook,
            "https://www.facebook.com/sharer/"
            "sharer.php?u=https%3A%2F%2Fnews.example%2Fworld%2Fa-b%3Fx%3D1");
  EXPECT_EQ(links.linkedin,
            "https://www.linkedin.com/sharing/share-offsite/"
            "?url=https%3A%2F%2Fnews.example%2Fworld%2Fa-b%3Fx%3D1");
  EXPECT_NE(links.x.find("&text=Rates%20%26%20%22prices%22%20rise"), std::string::npos);
  EXPECT_EQ(links.mail.rfind("mailto:?subject=Rates%20%26", 0), 0u);
}

struct Probe {
  std::int64_t version = 1;
  std::optional<base::TimePoint> expires;
  int calls = 0;
};

TEST(PageCache, ServesFromMemoryUntilContentChanges) {
  Probe probe;
  PageCache cache(
      [&](base::TimePoint) {
        ++probe.calls;
        return PageCache::Validity{probe.version, probe.expires};
      },
      10, std::chrono::milliseconds(0));
  auto now = *base::parse_iso8601("2026-11-29T00:00:00Z");
  int renders = 0;
  auto render = [&] {
    ++renders;
    return make_cached_page(200, "text/html", "page");
  };
  cache.get_or_render("/a", now, render);
  cache.get_or_render("/a", now, render);
  EXPECT_EQ(renders, 1);
  probe.version = 2;
  cache.get_or_render("/a", now, render);
  EXPECT_EQ(renders, 2) << "a new content version drops the cache";
}

TEST(PageCache, ExpiresWhenAScheduledArticleComesDue) {
  Probe probe;
  auto now = *base::parse_iso8601("2026-11-29T00:00:00Z");
  probe.expires = now + std::chrono::minutes(10);
  PageCache cache(
      [&](base::TimePoint) {
        return PageCache::Validity{probe.version, probe.expires};
      },
      10, std::chrono::hours(1));
  int renders = 0;
  auto render = [&] {
    ++renders;
    return make_cached_page(200, "text/html", "page");
  };
  cache.get_or_render("/a", now, render);
  cache.get_or_render("/a", now + std::chrono::minutes(9), render);
  EXPECT_EQ(renders, 1);
  probe.expires = std::nullopt;
  cache.get_or_render("/a", now + std::chrono::minutes(10), render);
  EXPECT_EQ(renders, 2);
}

TEST(PageCache, KeepsOnlySuccessfulPagesAndStaysBounded) {
  PageCache cache(
      [](base::TimePoint) {
        return PageCache::Validity{1, std::nullopt};
      },
      2, std::chrono::hours(1));
  auto now = *base::parse_iso8601("2026-11-29T00:00:00Z");
  cache.get_or_render("/missing", now, [] { return make_cached_page(404, "text/html", "no"); });
  EXPECT_EQ(cache.size(), 0u);
  for (int i = 0; i < 5; ++i)
    cache.get_or_render("/p" + std::to_string(i), now,
                        [] { return make_cached_page(200, "text/html", "x"); });
  EXPECT_EQ(cache.size(), 2u);
}

TEST(CachedPage, CompressesLargeTextAndTagsIt) {
  auto page = make_cached_page(200, "text/html; charset=utf-8", std::string(5000, 'a'));
  ASSERT_TRUE(page->gzip_body);
  EXPECT_LT(page->gzip_body->size(), 200u);
  EXPECT_EQ(page->etag.front(), '"');
  EXPECT_FALSE(make_cached_page(200, "image/png", std::string(5000, 'a'))->gzip_body);
  EXPECT_FALSE(make_cached_page(200, "text/html", "small")->gzip_body);
}

}  // namespace
}  // namespace masthead::site
