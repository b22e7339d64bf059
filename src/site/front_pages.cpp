// The front page and the lists: section, author and tag pages.
//
// The front page leads with the newest editorial article, then one block per
// section in menu order (its newest editorial articles, without the lead),
// then sponsored content in a block of its own: sponsored articles are
// listed apart, never mixed into the editorial blocks.
//
// The lists share one builder (list_page) over a ListSpec: the filter, the
// path of page 1 (later pages add ?page=N), the heading and whether an empty
// list is a page at all (an empty section is; an author or tag with no
// visible article is a 404, as is any page past the last).
//
// All of these are the same for every reader: the routes cache them whole,
// keyed by language, path and page number.
#include <boost/json.hpp>

#include "site/site_pages.h"
#include "site/site_routes.h"

namespace masthead::site::detail {

namespace json = boost::json;

namespace {

// The <link rel="alternate"> list of a page's three feeds (site/feed_routes.h):
// "/" has /feed.xml, /world has /world/feed.xml. Per page, never per
// reader, so it belongs in the cached page.
json::array feed_links(const Pages& pages, std::string_view path, const json::object& page) {
  const std::string prefix = path == "/" ? "" : std::string(path);
  const std::string title(page.at("title").as_string());
  json::array links;
  for (auto [type, file, key] : {std::tuple{"application/rss+xml", "/feed.xml", "feeds.rss"},
                                 std::tuple{"application/atom+xml", "/atom.xml", "feeds.atom"},
                                 std::tuple{"application/feed+json", "/feed.json", "feeds.json"}}) {
    links.push_back(json::object{
        {"type", type}, {"href", prefix + file}, {"title", pages.t(key, {{"title", title}})}});
  }
  return links;
}

}  // namespace

std::shared_ptr<const CachedPage> Pages::front() const {
  const Sections sections = store_.sections();
  auto now = clock_.now();
  json::object c = chrome(sections, "", "", options_.description, "/");
  auto editorial = store_.list_articles({.sponsored = false}, now, 0, 1);
  std::string lead_slug;
  if (!editorial.articles.empty()) {
    c["lead"] = card(editorial.articles[0], sections);
    lead_slug = editorial.articles[0].slug;
  }
  json::array blocks;
  for (const auto& s : sections) {
    auto list = store_.list_articles({.section = s.slug, .sponsored = false}, now, 0, 5);
    json::array items;
    for (const auto& a : list.articles) {
      if (a.slug == lead_slug || items.size() == 4) continue;
      items.push_back(card(a, sections));
    }
    if (items.empty()) continue;
    const std::string name = section_name(s);
    blocks.push_back(json::object{{"name", name},
                                  {"url", "/" + s.slug},
                                  {"more", t("front.more_in", {{"section", name}})},
                                  {"items", std::move(items)}});
  }
  c["sections"] = std::move(blocks);
  auto sponsored = store_.list_articles({.sponsored = true}, now, 0, 4);
  c["has_sponsored"] = !sponsored.articles.empty();
  c["sponsored_items"] = cards(sponsored.articles, sections);
  c["page"].as_object()["json_ld"] = script_safe_json(website_ld());
  c["page"].as_object()["feeds"] = feed_links(*this, "/", c["page"].as_object());
  return html(200, "front", c);
}

std::shared_ptr<const CachedPage> Pages::list_page(const Sections& sections, const ListSpec& spec,
                                                   int page) const {
  auto list = store_.list_articles(spec.filter, clock_.now(), (page - 1) * options_.page_size,
                                   options_.page_size);
  if (list.articles.empty() && (page > 1 || !spec.empty_is_found)) return not_found();
  std::string canonical = page == 1 ? spec.path : spec.path + "?page=" + std::to_string(page);
  json::object c = chrome(sections, spec.current_section, spec.title, spec.description, canonical);
  c["page"].as_object()["feeds"] = feed_links(*this, spec.path, c["page"].as_object());
  c["heading"] = spec.heading;
  c["count"] = t("section.articles_count", {{"count", list.total}});
  c["items"] = cards(list.articles, sections, 2);  // under the list's h1
  c["pagination"] = pagination(spec.path, page, list.total);
  return html(200, "list", c);
}

std::shared_ptr<const CachedPage> Pages::section_page(std::string_view slug, int page) const {
  const Sections sections = store_.sections();
  for (const auto& s : sections) {
    if (s.slug != slug) continue;
    return list_page(sections,
                     {.filter = {.section = s.slug},
                      .path = "/" + s.slug,
                      .current_section = s.slug,
                      .title = section_name(s),
                      .heading = section_name(s),
                      .empty_is_found = true},
                     page);
  }
  return not_found();
}

std::shared_ptr<const CachedPage> Pages::author_page(std::string_view slug, int page) const {
  auto author = store_.author_by_slug(slug);
  if (!author) return not_found();
  std::string heading = t("author.articles_by", {{"name", author->name}});
  return list_page(store_.sections(),
                   {.filter = {.author = author->slug},
                    .path = "/author/" + author->slug,
                    .title = author->name,
                    .heading = heading,
                    .description = heading},
                   page);
}

std::shared_ptr<const CachedPage> Pages::tag_page(std::string_view slug, int page) const {
  auto tag = store_.tag_by_slug(slug);
  if (!tag) return not_found();
  std::string heading = t("tag.articles_tagged", {{"tag", tag->name}});
  return list_page(store_.sections(),
                   {.filter = {.tag = tag->slug},
                    .path = "/tag/" + tag->slug,
                    .title = tag->name,
                    .heading = heading,
                    .description = heading},
                   page);
}

http::Response front_route(const RouteContext& ctx, const http::Request& r) {
  auto l = ctx.localize(r);
  return ctx.cached(r, l.key + "/", [&] { return l.pages->front(); });
}

http::Response section_route(const RouteContext& ctx, const http::Request& r) {
  auto page = page_number(r);
  if (!page) return ctx.not_found(r);
  auto l = ctx.localize(r);
  std::string slug(r.param("section"));
  return ctx.cached(r, l.key + "/" + slug + "?" + std::to_string(*page),
                    [&] { return l.pages->section_page(slug, *page); });
}

http::Response section_slash_route(const RouteContext&, const http::Request& r) {
  return http::Response::redirect("/" + std::string(r.param("section")), 301);
}

http::Response author_route(const RouteContext& ctx, const http::Request& r) {
  auto page = page_number(r);
  if (!page) return ctx.not_found(r);
  auto l = ctx.localize(r);
  std::string slug(r.param("slug"));
  return ctx.cached(r, l.key + "/author/" + slug + "?" + std::to_string(*page),
                    [&] { return l.pages->author_page(slug, *page); });
}

http::Response tag_route(const RouteContext& ctx, const http::Request& r) {
  auto page = page_number(r);
  if (!page) return ctx.not_found(r);
  auto l = ctx.localize(r);
  std::string slug(r.param("slug"));
  return ctx.cached(r, l.key + "/tag/" + slug + "?" + std::to_string(*page),
                    [&] { return l.pages->tag_page(slug, *page); });
}

}  // namespace masthead::site::detail
