// Pages: the site's pages in one language, and the context builders they share.
//
// Internal to src/site. Site keeps one Pages per enabled message catalog (the
// default locale's first); each renders every reader page in its language
// from the ArticleStore. This header declares the whole class, but its
// methods are defined by page kind, one file each:
//
//   site_pages.cpp       the shared pieces: chrome (header, menu, footer),
//                        UI strings, cards, pagination, images, the 404 page
//   front_pages.cpp      the front page and the lists: section, author, tag
//   article_page.cpp     the article page and its print view, cut into
//                        ArticleParts when metered; the meter and wall memo
//   search_page.cpp      search results, snippets of the text in the reader's scope
//   disclosure_page.cpp  the sponsored-content disclosure
//   seo_pages.cpp        robots.txt, sitemap.xml, the JSON-LD documents
//
// The key idea: a Pages method turns store data into a rendered CachedPage
// and knows nothing of requests, cookies or cache headers; the route
// functions (site_routes.h) do that. So every page method is a pure function
// of the store, the clock and the language, which is what lets the routes
// cache them whole.
//
// Invariants: immutable after construction except the meter/wall memo,
// which its own mutex guards, so every method may be called from any thread.
// No page method puts article body text anywhere but the article page's body
// slot and search snippets, which the store cuts from the text the reader
// may see (descriptions and JSON-LD come from the headline and deck).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "base/clock.h"
#include "content/article_store.h"
#include "http/request.h"
#include "http/static_assets.h"
#include "paywall/decision.h"
#include "paywall/meter_policy.h"
#include "render/date_format.h"
#include "render/message_catalog.h"
#include "render/template_set.h"
#include "site/page_cache.h"
#include "site/site.h"

namespace masthead::site::detail {

using Sections = std::vector<content::Section>;

inline constexpr const char* kHtml = "text/html; charset=utf-8";
inline constexpr std::string_view kAboutSponsoredPath = "/about/sponsored-content";
// The element around the paywalled part of a metered article's body.
inline constexpr std::string_view kPaywalledClass = "paywalled-content";

std::string article_path(const content::Article& a);
std::string media_path(std::string_view name);
// JSON inside <script>: "<" is escaped so that no "</script>" or "<!--" can
// appear, whatever the headline says.
std::string script_safe_json(const boost::json::value& v);
// ?page=N: 1 when absent; nullopt when malformed or out of range.
std::optional<int> page_number(const http::Request& r);

class Pages {
 public:
  // `content_language`: the language of articles that name none (the site's
  // default locale).
  Pages(SiteOptions options, std::string content_language, const content::ArticleStore& store,
        const base::Clock& clock, const render::TemplateSet& templates,
        const render::MessageCatalog& messages, const http::StaticAssets& assets,
        const paywall::MeterPolicy& policy);

  const std::string& locale() const { return options_.locale; }
  const render::MessageCatalog& messages() const { return messages_; }
  const render::DateFormatter& dates() const { return dates_; }
  const base::Clock& clock() const { return clock_; }
  const content::ArticleStore& store() const { return store_; }
  const http::StaticAssets& assets() const { return assets_; }

  // A UI string of this language.
  std::string t(std::string_view key, std::initializer_list<render::MessageArg> args = {}) const {
    return messages_.format(key, args);
  }

  // ---- shared context builders (site_pages.cpp) ----

  // The chrome for a page another module serves (Site::frame): noindex;
  // its header names `reader`'s links when one is given.
  boost::json::object frame(std::string title, std::string path,
                            const std::optional<ReaderLinks>& reader = std::nullopt) const;
  // The header's reader links (templates/reader_links.html) for a signed-in
  // reader: Account and Log out, and Subscribe unless they subscribe.
  std::string reader_links(const ReaderLinks& reader) const;
  // A signed-in reader's notice under the header (?notice=welcome after
  // registering from a wall); "" for codes the site pages do not show.
  std::string notice_html(std::string_view code) const;
  // What registering gives this period (the registration wall's promise).
  int registration_promise(const paywall::Decision& d) const;
  // The UI strings every template may use, as `t`.
  boost::json::object strings() const;
  // `site`, `page` and `t`: what header.html and footer.html need.
  boost::json::object chrome(const Sections& sections, std::string_view current_section,
                             std::string title, std::string description,
                             std::string canonical_path) const;
  boost::json::value image_context(const content::ImageRef& image) const;
  // A section's name in this language: the catalog's `section_name.<slug>`
  // when it has one, else the name the newsroom stored.
  std::string section_name(const content::Section& section) const;
  std::string section_name(const Sections& sections, std::string_view slug) const;
  // The language the article is written in: its own, or the content language.
  std::string text_language(const content::Article& a) const;
  // What the article's text needs as a lang attribute on this page: its
  // language when that differs from the interface's, otherwise "".
  std::string text_lang_attribute(const content::Article& a) const;
  // The authors' names joined as this language joins a list ("A, B and C",
  // 「A、B、C」); the byline as written when no author was recognised.
  std::string byline(const content::Article& a) const;
  // A card's headline is an h`heading_level`: h2 right under a page's h1
  // (lists, search), h3 under an h2 (front-page blocks, related, 404).
  boost::json::object card(const content::Article& a, const Sections& sections,
                           int heading_level = 3) const;
  boost::json::array cards(const std::vector<content::Article>& articles, const Sections& sections,
                           int heading_level = 3) const;
  boost::json::object pagination(std::string_view base_path, int page, int total) const;
  std::shared_ptr<const CachedPage> html(int status, std::string_view name,
                                         const boost::json::object& context) const;
  std::shared_ptr<const CachedPage> not_found() const;

  // ---- front page and lists (front_pages.cpp) ----

  std::shared_ptr<const CachedPage> front() const;
  std::shared_ptr<const CachedPage> section_page(std::string_view slug, int page) const;
  std::shared_ptr<const CachedPage> author_page(std::string_view slug, int page) const;
  std::shared_ptr<const CachedPage> tag_page(std::string_view slug, int page) const;

  // ---- search (search_page.cpp) ----

  struct SearchRequest {
    std::string_view query;
    std::string_view section;  // a slug; an unknown one is ignored
    std::string_view from;     // YYYY-MM-DD in the site's zone, or ignored
    std::string_view to;
    int page = 1;
    bool everything = false;  // the reader has full access: search the whole text
  };
  std::shared_ptr<const CachedPage> search_page(const SearchRequest& request) const;
  // SiteOptions::search_everything, false without one.
  bool search_everything(const http::Request& request) const {
    return options_.search_everything && options_.search_everything(request);
  }

  // ---- the sponsored-content disclosure (disclosure_page.cpp) ----

  std::shared_ptr<const CachedPage> about_sponsored() const;

  // ---- article page and print view (article_page.cpp) ----

  // A free or sponsored article whole; a metered one as ArticleParts.
  std::shared_ptr<const CachedPage> article_page(const content::Article& a, bool print) const;
  // The meter message and the wall for a decision (remembered per outcome).
  std::shared_ptr<const std::string> meter_for(const paywall::Decision& d) const;
  std::shared_ptr<const std::string> wall_for(const paywall::Decision& d) const;

  // ---- for search engines (seo_pages.cpp) ----

  std::shared_ptr<const CachedPage> robots() const;
  std::shared_ptr<const CachedPage> sitemap() const;
  // schema.org WebSite with its SearchAction, for the front page.
  boost::json::object website_ld() const;
  // schema.org NewsArticle: headline and deck, never the body.
  boost::json::object news_article_ld(const content::Article& a, const std::string& url,
                                      const Sections& sections, bool metered) const;

 private:
  // What distinguishes one paginated list of articles from another.
  struct ListSpec {
    content::ArticleFilter filter;
    std::string path;  // page 1's path; later pages add ?page=N
    std::string current_section;
    std::string title;
    std::string heading;
    std::string description;
    bool empty_is_found = false;  // a section may be empty; an author or tag page may not
  };
  std::shared_ptr<const CachedPage> list_page(const Sections& sections, const ListSpec& spec,
                                              int page) const;

  template <typename Render>
  std::shared_ptr<const std::string> remembered(int slot, const paywall::Decision& d,
                                                Render render) const;
  std::string meter_html(const paywall::Decision& d) const;
  std::string wall_html(const paywall::Decision& d) const;

  SiteOptions options_;
  std::string content_language_;
  const content::ArticleStore& store_;
  const base::Clock& clock_;
  const render::TemplateSet& templates_;
  const render::MessageCatalog& messages_;
  const http::StaticAssets& assets_;
  render::DateFormatter dates_;
  const paywall::MeterPolicy& policy_;
  mutable std::shared_mutex slots_mutex_;
  mutable std::map<std::tuple<int, int, int>, std::shared_ptr<const std::string>> slots_;
};

}  // namespace masthead::site::detail
