// PageCache: rendered pages kept in memory, so a page view costs a lookup.
//
// Reader pages that are the same for every reader (front, sections, free and
// sponsored articles, sitemaps), and the fixed parts of metered article pages, are rendered once
// and served from here as shared, immutable bytes with their gzip form and an ETag. The whole cache
// is dropped when content changes: at most every `check_interval` a request
// asks the store for its content_version (which any process's write bumps),
// and the cache also expires itself when a scheduled article's time comes.
// Entries are bounded in number; when full, new pages are rendered but not
// kept, so a crawl of endless URL variants cannot grow memory.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.h"
#include "site/article_parts.h"

namespace masthead::site {

// A page as rendered: either whole bytes, the same for every reader, or —
// for a metered article — the parts assembled per reader (then body,
// gzip_body and etag are empty).
struct CachedPage {
  int status = 200;
  std::string content_type;
  std::shared_ptr<const std::string> body;
  std::shared_ptr<const std::string> gzip_body;
  std::string etag;
  std::shared_ptr<const ArticleParts> article;  // set for metered articles
  std::int64_t article_id = 0;                  // with `article`
  // Sent as Last-Modified, for If-Modified-Since (feeds: the newest item's
  // update time); pages leave it unset.
  std::optional<base::TimePoint> last_modified;
};

// Makes a CachedPage from rendered bytes (computes gzip and ETag).
std::shared_ptr<const CachedPage> make_cached_page(int status, std::string content_type,
                                                   std::string body);

class PageCache {
 public:
  struct Validity {
    std::int64_t content_version;
    std::optional<base::TimePoint> expires;  // next scheduled publication
  };
  using ValidityProbe = std::function<Validity(base::TimePoint now)>;

  PageCache(ValidityProbe probe, std::size_t max_entries = 4096,
            std::chrono::milliseconds check_interval = std::chrono::milliseconds(250));

  // The cached page for `key`, or the result of `render` (kept when it is a
  // 200 and there is room).
  std::shared_ptr<const CachedPage> get_or_render(
      const std::string& key, base::TimePoint now,
      const std::function<std::shared_ptr<const CachedPage>()>& render);

  void clear();
  std::size_t size() const;

 private:
  void revalidate(base::TimePoint now);

  ValidityProbe probe_;
  std::size_t max_entries_;
  std::chrono::milliseconds check_interval_;
  std::atomic<std::int64_t> next_check_ns_{0};  // steady clock
  std::atomic<std::int64_t> expires_ns_{0};     // system clock; 0 forces the first check
  std::mutex check_mutex_;
  std::optional<Validity> validity_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const CachedPage>> pages_;
};

}  // namespace masthead::site
