// The search page: full-text search of visible articles (the store's FTS),
// never cached and never indexed (noindex; robots.txt disallows /search).
//
// Results are cards: headline, deck, byline and date. A search result never
// shows a snippet of body text, because a snippet could carry words the
// paywall withholds from this reader; the deck is what every reader may see.
// The query is trimmed and cut to 200 bytes before it reaches the store, and
// a query that is not UTF-8 is a 400, so the page (UTF-8) can always echo it.
#include <boost/json.hpp>

#include "base/text.h"
#include "site/share_links.h"
#include "site/site_pages.h"
#include "site/site_routes.h"

namespace masthead::site::detail {

namespace json = boost::json;

std::shared_ptr<const CachedPage> Pages::search_page(std::string_view query, int page) const {
  const Sections sections = store_.sections();
  std::string q(base::trim(query.substr(0, 200)));
  json::object c = chrome(sections, "", t("site.search"), "", "/search");
  c["page"].as_object()["robots"] = "noindex";
  c["query"] = q;
  c["is_search"] = true;
  if (!q.empty()) {
    auto list = store_.search_articles(q, clock_.now(), (page - 1) * options_.page_size,
                                       options_.page_size);
    c["heading"] = t("search.results", {{"count", list.total}, {"query", q}});
    // Under the page's h1; snippets are decks, never body text.
    c["items"] = cards(list.articles, sections, 2);
    c["pagination"] = pagination("/search?q=" + url_component(q), page, list.total);
  } else {
    c["heading"] = t("site.search");
  }
  return html(200, "list", c);
}

http::Response search_route(const RouteContext& ctx, const http::Request& r) {
  auto l = ctx.localize(r);
  auto page = page_number(r);
  auto q = r.query_param("q").value_or("");
  if (!base::is_valid_utf8(q)) {
    auto bad = http::Response::text(400, "The search query is not valid UTF-8 text.\n");
    bad.set_header("Cache-Control", "no-store");
    return bad;
  }
  auto rendered = page ? l.pages->search_page(q, *page) : l.pages->not_found();
  return ctx.vary_language(respond(r, *rendered, "no-store"));
}

}  // namespace masthead::site::detail
