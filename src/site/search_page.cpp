// The search page: full-text search of visible articles (the store's FTS),
// never cached and never indexed (noindex; robots.txt disallows /search).
//
// A search never goes past what the reader may see. The route asks
// SiteOptions::search_everything whether this reader has full access (signed
// in, with an active entitlement); only then is the store asked for
// SearchScope::kEverything. Everyone else searches the public text — the
// headline, deck and lead-in of a metered article — so a word only the
// withheld part holds finds nothing, and no snippet can carry it.
//
// Snippets are stored text with the store's markers around the matched
// terms. The text is HTML-escaped first and only then are the markers turned
// into <mark>, so nothing stored can inject markup.
//
// Filters: `section` (a slug), `from` and `to` (YYYY-MM-DD, days in the
// site's time zone, both included); a filter that is not one is ignored.
// The query is trimmed and cut to 200 bytes (at a character boundary) before
// it reaches the store, and a query that is not UTF-8 is a 400, so the page
// (UTF-8) can always echo it. An empty query shows the form and a hint.
#include <boost/json.hpp>

#include "base/text.h"
#include "render/html_escape.h"
#include "site/local_day.h"
#include "site/share_links.h"
#include "site/site_pages.h"
#include "site/site_routes.h"

namespace masthead::site::detail {

namespace json = boost::json;

namespace {

// Escaped text, then the store's markers as <mark>.
std::string snippet_html(std::string_view snippet) {
  std::string escaped = render::html_escape(snippet);
  std::string out;
  out.reserve(escaped.size() + 32);
  for (char c : escaped) {
    if (c == content::kMarkStart)
      out += "<mark>";
    else if (c == content::kMarkEnd)
      out += "</mark>";
    else
      out += c;
  }
  return out;
}

// At most `max` bytes, never cutting a UTF-8 sequence.
std::string_view cut_utf8(std::string_view text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return text.substr(0, n);
}

int word_count(std::string_view q) {
  int words = 0;
  bool in_word = false;
  for (char c : q) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

}  // namespace

std::shared_ptr<const CachedPage> Pages::search_page(const SearchRequest& request) const {
  const Sections sections = store_.sections();
  std::string q(base::trim(cut_utf8(request.query, 200)));
  json::object c = chrome(sections, "", t("site.search"), "", "/search");
  c["page"].as_object()["robots"] = "noindex";
  c["query"] = q;
  c["is_search"] = true;

  content::SearchFilter filter;
  std::string section;
  for (const auto& s : sections)
    if (s.slug == request.section) section = s.slug;
  filter.section = section;
  std::string from, to;
  if (auto start = local_day_start(request.from, options_.time_zone)) {
    filter.from = start;
    from = std::string(request.from);
  }
  // Through the end of `to`: until the day after it starts (a day is not
  // always 24 hours).
  if (auto until = local_day_start(request.to, options_.time_zone, 1)) {
    filter.until = until;
    to = std::string(request.to);
  }
  c["from"] = from;
  c["to"] = to;
  json::array choices{json::object{
      {"value", ""}, {"label", t("search.all_sections")}, {"selected", section.empty()}}};
  for (const auto& s : sections)
    choices.push_back(json::object{
        {"value", s.slug}, {"label", section_name(s)}, {"selected", s.slug == section}});
  c["sections"] = choices;
  for (const char* key : {"search.label", "search.section", "search.from", "search.to",
                          "search.submit", "search.hint", "search.no_results_title",
                          "search.try_all_sections", "search.try_fewer_words",
                          "search.try_sections", "search.previous_page", "search.next_page"})
    c["t"].as_object()[base::replace_all(key, ".", "_")] = t(key);

  if (q.empty()) {
    c["heading"] = t("site.search");
    c["empty_query"] = true;
    return html(200, "search", c);
  }
  auto scope =
      request.everything ? content::SearchScope::kEverything : content::SearchScope::kPublicOnly;
  auto results = store_.search(q, scope, filter, clock_.now(),
                               (request.page - 1) * options_.page_size, options_.page_size);
  c["heading"] = t("search.results", {{"count", results.total}, {"query", q}});
  json::array items;
  for (const auto& hit : results.hits) {
    json::object card = this->card(hit.article, sections, 2);
    card["snippet_html"] = snippet_html(base::trim(hit.snippet));
    items.push_back(std::move(card));
  }
  c["items"] = std::move(items);
  c["has_results"] = results.total > 0;

  std::string base = "/search?q=" + url_component(q);
  if (!section.empty()) base += "&section=" + section;
  if (!from.empty()) base += "&from=" + from;
  if (!to.empty()) base += "&to=" + to;
  c["pagination"] = pagination(base, request.page, results.total);

  if (results.total == 0) {
    if (!section.empty() || !from.empty() || !to.empty())
      c["all_sections_url"] = "/search?q=" + url_component(q);
    c["fewer_words"] = word_count(q) > 1;
    json::array links;
    for (const auto& s : sections)
      links.push_back(json::object{{"name", section_name(s)}, {"url", "/" + s.slug}});
    c["section_links"] = std::move(links);
  }
  return html(200, "search", c);
}

http::Response search_route(const RouteContext& ctx, const http::Request& r) {
  auto l = ctx.localize(r);
  auto page = page_number(r);
  auto q = r.query_param("q").value_or("");
  auto section = r.query_param("section").value_or("");
  auto from = r.query_param("from").value_or("");
  auto to = r.query_param("to").value_or("");
  for (std::string_view text : {q, section, from, to}) {
    if (!base::is_valid_utf8(text)) {
      auto bad = http::Response::text(400, "The search query is not valid UTF-8 text.\n");
      bad.set_header("Cache-Control", "no-store");
      return bad;
    }
  }
  if (!page) return ctx.vary_language(respond(r, *l.pages->not_found(), "no-store"));
  Pages::SearchRequest request{q, section, from, to, *page, l.pages->search_everything(r)};
  auto rendered = l.pages->search_page(request);
  return ctx.vary_language(respond(r, *rendered, "no-store"));
}

}  // namespace masthead::site::detail
