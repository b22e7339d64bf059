// What the site says to search engines: robots.txt, sitemap.xml and the
// schema.org JSON-LD documents of the front page (WebSite with a
// SearchAction) and of articles (NewsArticle).
//
// The rule: nothing here carries article body text. JSON-LD has headline,
// deck, authors, dates, section and keywords, never an articleBody; a metered
// article is marked isAccessibleForFree: false with hasPart naming the
// element around its paywalled text (`.paywalled-content`), so that search
// engines can tell paywalled content from cloaking. The sitemap lists URLs
// of visible articles with their last modification, nothing else.
//
// robots.txt and sitemap.xml are the same in every language (the default
// language's pages make them) and are cached whole.
#include <boost/json.hpp>

#include <algorithm>

#include "base/iso_time.h"
#include "base/text.h"
#include "render/html_escape.h"
#include "site/site_pages.h"
#include "site/site_routes.h"

namespace masthead::site::detail {

namespace json = boost::json;
using content::Article;

json::object Pages::website_ld() const {
  return json::object{
      {"@context", "https://schema.org"},
      {"@type", "WebSite"},
      {"name", options_.name},
      {"url", options_.base_url + "/"},
      {"potentialAction",
       json::object{{"@type", "SearchAction"},
                    {"target", options_.base_url + "/search?q={search_term_string}"},
                    {"query-input", "required name=search_term_string"}}}};
}

json::object Pages::news_article_ld(const Article& a, const std::string& url,
                                    const Sections& sections, bool metered) const {
  json::array authors;
  for (const auto& author : a.authors)
    authors.push_back(json::object{{"@type", "Person"},
                                   {"name", author.name},
                                   {"url", options_.base_url + "/author/" + author.slug}});
  json::object ld{{"@context", "https://schema.org"},
                  {"@type", "NewsArticle"},
                  {"headline", a.headline},
                  {"description", a.deck},
                  {"mainEntityOfPage", url},
                  {"url", url},
                  {"articleSection", section_name(sections, a.section)},
                  {"inLanguage", text_language(a)},
                  {"author", std::move(authors)},
                  {"publisher", json::object{{"@type", "NewsMediaOrganization"},
                                             {"name", options_.name},
                                             {"url", options_.base_url + "/"}}},
                  {"isAccessibleForFree", !metered}};
  if (metered)
    ld["hasPart"] = json::object{{"@type", "WebPageElement"},
                                 {"isAccessibleForFree", false},
                                 {"cssSelector", "." + std::string(kPaywalledClass)}};
  if (a.published_at) ld["datePublished"] = base::format_iso8601_utc(*a.published_at);
  ld["dateModified"] = base::format_iso8601_utc(a.updated_at);
  if (!a.image.empty())
    ld["image"] = json::array{json::string(options_.base_url + media_path(a.image.name))};
  if (!a.tags.empty()) {
    std::vector<std::string> names;
    for (const auto& tag : a.tags) names.push_back(tag.name);
    ld["keywords"] = base::join(names, ", ");
  }
  return ld;
}

std::shared_ptr<const CachedPage> Pages::robots() const {
  std::string body =
      "User-agent: *\n"
      "Allow: /\n"
      "Disallow: /search\n"
      "Disallow: /*/print$\n"
      "\n"
      "Sitemap: " +
      options_.base_url + "/sitemap.xml\n";
  return make_cached_page(200, "text/plain; charset=utf-8", std::move(body));
}

std::shared_ptr<const CachedPage> Pages::sitemap() const {
  const Sections sections = store_.sections();
  auto now = clock_.now();
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  auto add = [&](const std::string& path, std::optional<base::TimePoint> modified) {
    xml += "  <url><loc>" + render::html_escape(options_.base_url + path) + "</loc>";
    if (modified) xml += "<lastmod>" + base::format_iso8601_utc(*modified) + "</lastmod>";
    xml += "</url>\n";
  };
  add("/", std::nullopt);
  for (const auto& s : sections) add("/" + s.slug, std::nullopt);
  // A sitemap file holds at most 50,000 URLs.
  for (int offset = 0; offset < 49000; offset += 1000) {
    auto list = store_.list_articles({}, now, offset, 1000);
    for (const auto& a : list.articles)
      add(article_path(a), std::max(a.updated_at, *a.published_at));
    if (static_cast<int>(list.articles.size()) < 1000) break;
  }
  xml += "</urlset>\n";
  return make_cached_page(200, "application/xml; charset=utf-8", std::move(xml));
}

http::Response robots_route(const RouteContext& ctx, const http::Request& r) {
  const Pages& pages = ctx.default_pages();
  auto page =
      ctx.cache().get_or_render("/robots.txt", pages.clock().now(), [&] { return pages.robots(); });
  return respond(r, *page, "public, max-age=3600");
}

http::Response sitemap_route(const RouteContext& ctx, const http::Request& r) {
  const Pages& pages = ctx.default_pages();
  auto page = ctx.cache().get_or_render("/sitemap.xml", pages.clock().now(),
                                        [&] { return pages.sitemap(); });
  return respond(r, *page, "public, max-age=300");
}

}  // namespace masthead::site::detail
