// The pieces every page shares: the chrome (header, menu, footer) and its UI
// strings, cards, pagination, hero images and the helpful 404 page. See
// site_pages.h for how Pages is divided between files.
//
// A context is a boost::json object with `site` (the publication, its assets
// and menu), `page` (title, description, canonical URL, Open Graph type) and
// `t` (the UI strings templates use, with dots turned into underscores:
// "site.search" is {{t.site_search}}); each page adds its own data beside them.
#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

#include "base/text.h"
#include "render/html_escape.h"
#include "render/list_format.h"
#include "site/site_pages.h"

namespace masthead::site::detail {

namespace json = boost::json;
using content::Article;

std::string article_path(const Article& a) {
  return "/" + a.section + "/" + a.slug;
}

std::string media_path(std::string_view name) {
  return "/media/" + std::string(name);
}

std::string script_safe_json(const json::value& v) {
  return base::replace_all(json::serialize(v), "<", "\\u003c");
}

std::optional<int> page_number(const http::Request& r) {
  auto raw = r.query_param("page");
  if (!raw) return 1;
  int n = 0;
  auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), n);
  if (ec != std::errc() || end != raw->data() + raw->size() || n < 1 || n > 100000)
    return std::nullopt;
  return n;
}

Pages::Pages(SiteOptions options, std::string content_language, const content::ArticleStore& store,
             const base::Clock& clock, const render::TemplateSet& templates,
             const render::MessageCatalog& messages, const http::StaticAssets& assets,
             const paywall::MeterPolicy& policy)
    : options_(std::move(options)),
      content_language_(std::move(content_language)),
      store_(store),
      clock_(clock),
      templates_(templates),
      messages_(messages),
      assets_(assets),
      dates_(options_.locale, options_.time_zone),
      policy_(policy) {}

namespace {
json::object reader_context(const ReaderLinks& reader) {
  return json::object{
      {"member", true}, {"subscriber", reader.subscriber}, {"csrf", reader.csrf_field}};
}
}  // namespace

json::object Pages::frame(std::string title, std::string path,
                          const std::optional<ReaderLinks>& reader) const {
  json::object c = chrome(store_.sections(), "", std::move(title), "", std::move(path));
  c["page"].as_object()["robots"] = "noindex";
  if (reader) c["reader"] = reader_context(*reader);
  return c;
}

std::string Pages::notice_html(std::string_view code) const {
  if (code != "welcome") return "";
  return "<p class=\"notice site-notice\" role=\"status\">" +
         render::html_escape(t("notice.welcome", {{"publication", options_.name}})) + "</p>";
}

std::string Pages::reader_links(const ReaderLinks& reader) const {
  return templates_.render("reader_links",
                           json::object{{"t", strings()}, {"reader", reader_context(reader)}});
}

json::object Pages::strings() const {
  json::object t;
  for (const char* key : {"site.search",
                          "site.reader_nav",
                          "site.subscribe",
                          "site.account",
                          "site.logout",
                          "site.search_placeholder",
                          "site.menu",
                          "site.skip_to_content",
                          "article.share",
                          "article.share_facebook",
                          "article.share_linkedin",
                          "article.share_x",
                          "article.share_mail",
                          "article.print",
                          "article.related",
                          "sponsored.label",
                          "sponsored.about",
                          "promo.label",
                          "promo.text",
                          "promo.link",
                          "section.newer",
                          "section.older",
                          "notfound.title",
                          "notfound.body",
                          "notfound.suggestion",
                          "front.latest",
                          "footer.about_sponsored",
                          "footer.nav",
                          "tag.label"}) {
    std::string k = base::replace_all(key, ".", "_");
    t[k] = this->t(key);
  }
  return t;
}

json::object Pages::chrome(const Sections& sections, std::string_view current_section,
                           std::string title, std::string description,
                           std::string canonical_path) const {
  json::array menu;
  for (const auto& s : sections) {
    menu.push_back(json::object{
        {"name", section_name(s)}, {"url", "/" + s.slug}, {"current", s.slug == current_section}});
  }
  int year = std::stoi(dates_.iso8601_with_offset(clock_.now()).substr(0, 4));
  json::object site{
      {"name", options_.name},
      {"lang", options_.locale.substr(0, options_.locale.find('-'))},
      {"css", assets_.url_for("site.css")},
      {"print_css", assets_.url_for("print.css")},
      {"script", assets_.url_for("site.js")},
      {"favicon", assets_.url_for("favicon.svg")},
      {"menu", std::move(menu)},
      {"about_sponsored_url", kAboutSponsoredPath},
      {"footer_rights", t("footer.rights", {{"year", year}, {"publication", options_.name}})},
  };
  std::string full_title = title.empty() ? options_.name : title + " — " + options_.name;
  json::object page{{"title", full_title},
                    {"og_title", title.empty() ? options_.name : title},
                    {"description", description.empty() ? options_.description : description},
                    {"canonical", options_.base_url + canonical_path},
                    {"og_type", "website"}};
  return json::object{{"site", std::move(site)}, {"page", std::move(page)}, {"t", strings()}};
}

json::value Pages::image_context(const content::ImageRef& image) const {
  if (image.empty()) return nullptr;
  return json::object{{"src", media_path(image.name)},
                      {"alt", image.alt},
                      {"caption", image.caption},
                      {"credit", image.credit},
                      {"width", image.width > 0 ? image.width : 1200},
                      {"height", image.height > 0 ? image.height : 675}};
}

std::string Pages::section_name(const content::Section& section) const {
  const std::string key = "section_name." + section.slug;
  return messages_.has(key) ? t(key) : section.name;
}

std::string Pages::section_name(const Sections& sections, std::string_view slug) const {
  for (const auto& s : sections)
    if (s.slug == slug) return section_name(s);
  return std::string(slug);
}

std::string Pages::byline(const Article& a) const {
  if (a.authors.empty()) return a.byline;
  std::vector<std::string> names;
  for (const auto& author : a.authors) names.push_back(author.name);
  return render::join_list(options_.locale, names);
}

namespace {

// "en" for "en-GB", "EN_gb" or "en"; lowercase, for comparison.
std::string language_subtag(std::string_view tag) {
  return base::to_lower_ascii(tag.substr(0, tag.find_first_of("-_")));
}

}  // namespace

std::string Pages::text_language(const Article& a) const {
  return a.language.empty() ? content_language_ : a.language;
}

std::string Pages::text_lang_attribute(const Article& a) const {
  std::string language = text_language(a);
  return language_subtag(language) == language_subtag(options_.locale) ? "" : language;
}

json::object Pages::card(const Article& a, const Sections& sections, int heading_level) const {
  json::object c{{"headline", a.headline},
                 {"url", article_path(a)},
                 {"kicker", a.kicker},
                 {"deck", a.deck},
                 {"byline", byline(a)},
                 {"section_name", section_name(sections, a.section)},
                 {"section_url", "/" + a.section},
                 {"image", image_context(a.image)},
                 {"sponsored", a.sponsored()},
                 {"text_lang", text_lang_attribute(a)},
                 {"heading_level", heading_level}};
  if (a.published_at) {
    c["published_iso"] = dates_.iso8601_with_offset(*a.published_at);
    c["published_display"] = dates_.long_date(*a.published_at);
  }
  return c;
}

json::array Pages::cards(const std::vector<Article>& articles, const Sections& sections,
                         int heading_level) const {
  json::array out;
  for (const auto& a : articles) out.push_back(card(a, sections, heading_level));
  return out;
}

json::object Pages::pagination(std::string_view base_path, int page, int total) const {
  int pages = std::max(1, (total + options_.page_size - 1) / options_.page_size);
  json::object p{{"label", t("section.page", {{"page", page}, {"pages", pages}})},
                 {"multiple", pages > 1}};
  // Search pages already carry "?q=...".
  const char* joiner = base_path.find('?') == std::string_view::npos ? "?page=" : "&page=";
  auto url = [&](int n) {
    return n == 1 ? std::string(base_path) : std::string(base_path) + joiner + std::to_string(n);
  };
  if (page > 1) p["newer_url"] = url(page - 1);
  if (page < pages) p["older_url"] = url(page + 1);
  return p;
}

std::shared_ptr<const CachedPage> Pages::html(int status, std::string_view name,
                                              const json::object& context) const {
  return make_cached_page(status, kHtml, templates_.render(name, context));
}

std::shared_ptr<const CachedPage> Pages::not_found() const {
  const Sections sections = store_.sections();
  json::object c = chrome(sections, "", t("notfound.title"), "", "/");
  c["page"].as_object()["robots"] = "noindex";
  auto latest = store_.list_articles({.sponsored = false}, clock_.now(), 0, 5);
  c["latest"] = cards(latest.articles, sections);
  return html(404, "not_found", c);
}

}  // namespace masthead::site::detail
