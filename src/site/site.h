// Site: the reader-facing pages of a publication.
//
// Handlers are plain functions of a request: they ask the ArticleStore for
// what the page shows, build a Mustache context (boost::json), render it with
// the compiled templates, and return the bytes. Pages that are the same for
// every reader go through the PageCache, so a repeated view costs a hash
// lookup; search results and 404s are rendered each time and never cached.
//
// Routes (literal routes win over the section patterns):
//   /                          front page: lead story, section blocks, sponsored apart
//   /:section                  section page, ?page=N
//   /:section/:slug            article page; /:section/:slug/print the print view
//   /author/:slug  /tag/:slug  lists, ?page=N
//   /search?q=                 full-text search (never cached, not indexed)
//   /about/sponsored-content   the disclosure page sponsored articles link to
//   /media/:name               hero images from the store
//   /robots.txt  /sitemap.xml  /healthz
//
// The paywall will choose what part of an article body a reader gets; the
// article page is assembled so that the body is one slot (see article_page).
#pragma once

#include <memory>
#include <string>

#include "base/clock.h"
#include "content/article_store.h"
#include "http/router.h"
#include "http/static_assets.h"
#include "render/date_format.h"
#include "render/message_catalog.h"
#include "render/template_set.h"
#include "site/page_cache.h"

namespace masthead::site {

struct SiteOptions {
  std::string name = "Masthead";
  std::string base_url = "http://localhost:8080";  // no trailing slash
  std::string locale = "en-US";
  std::string time_zone = "UTC";
  std::string description;
  int page_size = 10;
};

class Site {
 public:
  Site(SiteOptions options, const content::ArticleStore& store, const base::Clock& clock,
       const render::TemplateSet& templates, const render::MessageCatalog& messages,
       const http::StaticAssets& assets);

  void add_routes(http::Router& router);

  // Exposed for tests: the number of cached pages.
  std::size_t cached_pages() const { return cache_.size(); }

 private:
  class Pages;
  std::shared_ptr<Pages> pages_;
  PageCache cache_;
};

}  // namespace masthead::site
