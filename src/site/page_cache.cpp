// See page_cache.h.
#include "site/page_cache.h"

#include <cstdio>
#include <functional>
#include <limits>
#include <stdexcept>

#include "http/gzip.h"
#include "http/mime.h"

namespace masthead::site {
namespace {

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::shared_ptr<const CachedPage> make_cached_page(int status, std::string content_type,
                                                   std::string body) {
  auto page = std::make_shared<CachedPage>();
  page->status = status;
  char etag[32];
  std::snprintf(etag, sizeof etag, "\"%016zx\"", std::hash<std::string>{}(body));
  page->etag = etag;
  if (http::is_compressible(content_type) && body.size() >= 1024)
    page->gzip_body =
        std::make_shared<const std::string>(http::gzip(body, 9));  // once per page: compress hard
  page->content_type = std::move(content_type);
  page->body = std::make_shared<const std::string>(std::move(body));
  return page;
}

PageCache::PageCache(ValidityProbe probe, std::size_t max_entries,
                     std::chrono::milliseconds check_interval)
    : probe_(std::move(probe)), max_entries_(max_entries), check_interval_(check_interval) {}

void PageCache::revalidate(base::TimePoint now) {
  // Fast path, lock-free: neither the check interval nor a scheduled
  // publication has come due.
  std::int64_t t = steady_ns();
  std::int64_t now_ns = now.time_since_epoch() / std::chrono::nanoseconds(1);
  bool due = t >= next_check_ns_.load(std::memory_order_relaxed);
  bool scheduled_due = now_ns >= expires_ns_.load(std::memory_order_relaxed);
  if (!due && !scheduled_due) return;

  std::unique_lock lock(check_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;  // another request is checking right now
  next_check_ns_.store(t + std::chrono::nanoseconds(check_interval_).count(),
                       std::memory_order_relaxed);
  Validity fresh = probe_(now);
  bool changed = !validity_ || validity_->content_version != fresh.content_version || scheduled_due;
  validity_ = fresh;
  expires_ns_.store(fresh.expires ? fresh.expires->time_since_epoch() / std::chrono::nanoseconds(1)
                                  : std::numeric_limits<std::int64_t>::max(),
                    std::memory_order_relaxed);
  if (changed) clear();
}

std::shared_ptr<const CachedPage> PageCache::get_or_render(
    const std::string& key, base::TimePoint now,
    const std::function<std::shared_ptr<const CachedPage>()>& render) {
  revalidate(now);
  {
    std::shared_lock lock(mutex_);
    auto it = pages_.find(key);
    if (it != pages_.end()) return it->second;
  }
  auto page = render();
  if (page && page->status == 200) {
    std::unique_lock lock(mutex_);
    if (pages_.size() < max_entries_) pages_.emplace(key, page);
  }
  return page;
}

void PageCache::clear() {
  std::unique_lock lock(mutex_);
  pages_.clear();
}

std::size_t PageCache::size() const {
  std::shared_lock lock(mutex_);
  return pages_.size();
}

}  // namespace masthead::site
