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
//   /search?q=                 full-text search, &section= &from= &to= &page=
//                              (never cached, not indexed)
//   /about/sponsored-content   the disclosure page sponsored articles link to
//   /media/:name               hero images from the store
//   /robots.txt  /sitemap.xml  /healthz
//
// Article pages ask the PaywallGate what the reader gets: metered articles
// are cut into ArticleParts once and assembled per reader with the meter
// message, the whole body or the lead-in, and the wall; such responses are
// `Cache-Control: private`. Free and sponsored articles are the same for
// every reader and cached whole.
//
// Languages: one set of pages per enabled message catalog; Accept-Language
// picks among them (render::Catalogs::negotiate), and the page cache keys
// carry the locale.
#pragma once

#include <boost/json/object.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "content/article_store.h"
#include "http/router.h"
#include "http/static_assets.h"
#include "render/catalogs.h"
#include "render/date_format.h"
#include "render/message_catalog.h"
#include "render/template_set.h"
#include "site/page_cache.h"
#include "site/paywall_gate.h"

namespace masthead::site {

namespace detail {
class Pages;  // site_pages.h: the pages in one language
}

// A signed-in reader, for the header's links: Account and Log out (a form:
// the CSRF field for it, and the cookie when the token is new), and
// Subscribe unless they have full access.
struct ReaderLinks {
  bool subscriber = false;
  std::string csrf_field;
  std::string csrf_cookie;  // a Set-Cookie to send, or empty
};

struct SiteOptions {
  std::string name = "Masthead";
  std::string base_url = "http://localhost:8080";  // no trailing slash
  std::string locale = "en-US";
  std::string time_zone = "UTC";
  std::string description;
  int page_size = 10;
  // The paywall's links and its placeholder offer (until offers exist).
  std::string offer_headline;
  std::string offer_url = "/offers";
  std::string register_url = "/register";
  std::string login_url = "/login";
  // The paywall's current offer in a language (headline, link), asked at
  // every wall that shows an offer; nothing (or no function): the
  // placeholder above. Walls are then rendered per request, not remembered,
  // since an offer can change or end at any moment (the app passes
  // subscriptions::wall_offer).
  struct WallOffer {
    std::string headline;
    std::string url;
  };
  std::function<std::optional<WallOffer>(const render::MessageCatalog&,
                                         const render::DateFormatter&, std::string_view locale)>
      current_offer;
  // Who is signed in, for the header: nothing for anonymous readers (whose
  // pages are the cached ones). Pages for a signed-in reader are sent
  // private, with their header made for them.
  std::function<std::optional<ReaderLinks>(const http::Request&)> reader_links;
  // Whether this reader may search the whole text of metered articles
  // (signed in, with an active entitlement); nothing (or no function): the
  // public text only.
  std::function<bool(const http::Request&)> search_everything;
};

class Site {
 public:
  // One set of pages per catalog in `catalogs`; options.locale is ignored in
  // favour of each catalog's (the default catalog's is the default).
  Site(SiteOptions options, const content::ArticleStore& store, const base::Clock& clock,
       const render::TemplateSet& templates, const render::Catalogs& catalogs,
       const http::StaticAssets& assets, const PaywallGate& gate);

  void add_routes(http::Router& router);

  // The site's chrome for a page served by another module (accounts,
  // offers): the Mustache context with `site`, `page` (title, canonical,
  // robots noindex) and `t`, in the language Accept-Language picks, with
  // that language's catalog and date formatter for the page's own strings.
  struct Frame {
    boost::json::object context;
    const render::MessageCatalog* messages = nullptr;
    const render::DateFormatter* dates = nullptr;
    std::string locale;
  };
  Frame frame(const http::Request& request, std::string title, std::string path) const;

  // Exposed for the other HTML modules' headers: options.reader_links.
  std::optional<ReaderLinks> reader_links(const http::Request& request) const;

  // Exposed for tests: the number of cached pages.
  std::size_t cached_pages() const { return cache_.size(); }

 private:
  std::vector<std::shared_ptr<detail::Pages>> pages_;  // the default locale's first
  const render::Catalogs& catalogs_;
  const PaywallGate& gate_;
  std::function<std::optional<ReaderLinks>(const http::Request&)> reader_links_;
  PageCache cache_;
};

}  // namespace masthead::site
