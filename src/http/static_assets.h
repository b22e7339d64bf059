// StaticAssets: the site's CSS, JS, fonts and images, held in memory.
//
// Every asset is added once at start-up (add()) and never read from disk
// again. Adding computes what serving needs so that a request costs one map
// lookup: the Content-Type (mime.h), a content hash (BLAKE2b via libsodium,
// the first 10 hex digits) that is both the strong ETag and part of the
// fingerprinted URL, and for compressible types a gzip copy made at the best
// level (kept only when smaller).
//
// URLs: url_for("css/site.css") is "/static/css/site.<hash>.css". A
// fingerprinted URL names one exact content, so it is served with a year of
// immutable caching; when the content changes the hash, and so the URL,
// changes. The plain name ("/static/css/site.css"), or a fingerprint with a
// stale hash (a page cached before a deploy), still gets the current bytes
// but only 5 minutes of caching, plus the ETag for cheap revalidation (304).
//
// Names are relative paths ("fonts/a.woff2"): no leading '/', no "..", no
// backslash or NUL; add() rejects others with std::invalid_argument, and
// serve() answers 404 for them whatever is in the map. Thread-safety: add()
// during setup only; url_for() and serve() are const and may run
// concurrently on every io thread.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "http/request.h"
#include "http/response.h"

namespace masthead::http {

class StaticAssets {
 public:
  static constexpr std::string_view kUrlPrefix = "/static/";
  static constexpr std::string_view kImmutableCacheControl = "public, max-age=31536000, immutable";
  static constexpr std::string_view kShortCacheControl = "public, max-age=300";
  static constexpr std::size_t kHashLength = 10;

  StaticAssets();
  ~StaticAssets();
  StaticAssets(StaticAssets&&) noexcept;
  StaticAssets& operator=(StaticAssets&&) noexcept;

  // Adds or replaces an asset.
  void add(std::string name, std::string bytes);
  bool contains(std::string_view name) const;
  std::size_t size() const { return by_name_.size(); }

  // "/static/<stem>.<hash>.<ext>"; std::out_of_range for an unknown name.
  std::string url_for(std::string_view name) const;
  // The 10-hex-digit content hash; std::out_of_range for an unknown name.
  std::string_view hash_of(std::string_view name) const;

  // Answers a GET or HEAD for a path under kUrlPrefix (route "/static/*rest").
  Response serve(const Request& request) const;

 private:
  struct Asset;
  const Asset* find_stale_fingerprint(std::string_view rest) const;
  const Asset& at(std::string_view name) const;

  std::map<std::string, std::unique_ptr<Asset>, std::less<>> by_name_;
  std::map<std::string, const Asset*, std::less<>> by_fingerprint_;  // "<stem>.<hash>.<ext>"
};

}  // namespace masthead::http
