// FeedRoutes: the feeds' URLs, cached like pages, with conditional GET.
//
// What it is. The HTTP side of src/feeds: for each scope — the site, a
// section, an author, a tag — and each format, one route:
//
//   /feed.xml  /atom.xml  /feed.json                         the whole site
//   /:section/feed.xml  /:section/atom.xml  /:section/feed.json
//   /author/:slug/feed.xml  …/atom.xml  …/feed.json
//   /tag/:slug/feed.xml     …/atom.xml  …/feed.json
//
// (a literal segment beats the router's `:slug`, so /world/feed.xml is a
// feed and not an article). Each document is built by feeds::FeedSource,
// which cuts every item through the AccessService's decision for an
// anonymous reader, so a feed is the same for every reader and is cached
// whole in its own PageCache, dropped like the pages' when the store's
// content version changes or a scheduled article comes due.
//
// Answers carry a strong ETag per representation (gzip or not) and
// Last-Modified (the newest item's update time); If-None-Match, or else
// If-Modified-Since, gives 304. HEAD answers as GET without the body (the
// router and server do that). Unknown sections, authors and tags are 404.
//
// The private feeds — /private/<token>/feed.xml, atom.xml, feed.json — are
// one member's each: the token (members/feed_token.h) is looked up on every
// request (`PrivateFeedLookup`: MemberService::feed_account, then the
// account's entitlements), the document is built per request from the
// member's own decision and never enters the shared cache; the answer is
// `private, no-cache` with its ETag (conditional GET still saves the
// bytes), `X-Robots-Tag: noindex` and `Referrer-Policy: no-referrer` (the
// address is the credential). A malformed, forged, renewed or deleted
// account's token is 404, the same for each. They run on the blocking pool:
// each builds a whole feed from the store.
//
// Invariants: FeedRoutes outlives the router it adds its routes to; it
// borrows the FeedSource and the store for its lifetime.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "content/article_store.h"
#include "feeds/feed_source.h"
#include "http/router.h"
#include "site/page_cache.h"

namespace masthead::site {

// The member a private feed token is good for; nullopt for any other token.
using PrivateFeedLookup = std::function<std::optional<services::Member>(std::string_view token)>;

class FeedRoutes {
 public:
  // Without `private_feeds` there are no /private/ routes.
  FeedRoutes(const feeds::FeedSource& source, const content::ArticleStore& store,
             PrivateFeedLookup private_feeds = {});

  void add_routes(http::Router& router);

  // Exposed for tests: the number of cached feed documents.
  std::size_t cached_feeds() const { return cache_.size(); }

 private:
  const feeds::FeedSource& source_;
  PrivateFeedLookup private_feeds_;
  PageCache cache_;
};

}  // namespace masthead::site
