// See site.h. Context builders first, then one method per page, then routes.
#include "site/site.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <shared_mutex>
#include <tuple>

#include "base/iso_time.h"
#include "base/text.h"
#include "content/markdown.h"
#include "http/etag.h"
#include "http/gzip.h"
#include "render/html_escape.h"
#include "site/article_parts.h"
#include "site/share_links.h"

namespace masthead::site {

namespace json = boost::json;
using content::Article;
using Sections = std::vector<content::Section>;

namespace {

constexpr const char* kHtml = "text/html; charset=utf-8";
constexpr const char* kAboutSponsoredPath = "/about/sponsored-content";
// The element around the paywalled part of a metered article's body.
constexpr std::string_view kPaywalledClass = "paywalled-content";

std::string article_path(const Article& a) {
  return "/" + a.section + "/" + a.slug;
}
std::string media_path(std::string_view name) {
  return "/media/" + std::string(name);
}

// JSON inside <script>: "<" is escaped so that no "</script>" or "<!--" can
// appear, whatever the headline says.
std::string script_safe_json(const json::value& v) {
  return base::replace_all(json::serialize(v), "<", "\\u003c");
}

// ?page=N: 1 when absent; nullopt when malformed or out of range.
std::optional<int> page_number(const http::Request& r) {
  auto raw = r.query_param("page");
  if (!raw) return 1;
  int n = 0;
  auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), n);
  if (ec != std::errc() || end != raw->data() + raw->size() || n < 1 || n > 100000)
    return std::nullopt;
  return n;
}

}  // namespace

class Site::Pages {
 public:
  Pages(SiteOptions options, const content::ArticleStore& store, const base::Clock& clock,
        const render::TemplateSet& templates, const render::MessageCatalog& messages,
        const http::StaticAssets& assets, const paywall::MeterPolicy& policy)
      : options_(std::move(options)),
        store_(store),
        clock_(clock),
        templates_(templates),
        messages_(messages),
        assets_(assets),
        dates_(options_.locale, options_.time_zone),
        policy_(policy) {}

  const std::string& locale() const { return options_.locale; }
  const render::MessageCatalog& messages() const { return messages_; }
  const render::DateFormatter& dates() const { return dates_; }

  json::object frame(std::string title, std::string path) const {
    json::object c = chrome(store_.sections(), "", std::move(title), "", std::move(path));
    c["page"].as_object()["robots"] = "noindex";
    return c;
  }

  const base::Clock& clock() const { return clock_; }
  const content::ArticleStore& store() const { return store_; }
  const http::StaticAssets& assets() const { return assets_; }

  std::string t(std::string_view key, std::initializer_list<render::MessageArg> args = {}) const {
    return messages_.format(key, args);
  }

  // ---- context builders ----

  json::object strings() const {
    json::object t;
    for (const char* key : {"site.search",
                            "site.reader_nav",
                            "site.subscribe",
                            "site.account",
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
                            "promo.newsletter",
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

  json::object chrome(const Sections& sections, std::string_view current_section, std::string title,
                      std::string description, std::string canonical_path) const {
    json::array menu;
    for (const auto& s : sections) {
      menu.push_back(json::object{
          {"name", s.name}, {"url", "/" + s.slug}, {"current", s.slug == current_section}});
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

  json::value image_context(const content::ImageRef& image) const {
    if (image.empty()) return nullptr;
    return json::object{{"src", media_path(image.name)},
                        {"alt", image.alt},
                        {"caption", image.caption},
                        {"credit", image.credit},
                        {"width", image.width > 0 ? image.width : 1200},
                        {"height", image.height > 0 ? image.height : 675}};
  }

  static std::string section_name(const Sections& sections, std::string_view slug) {
    for (const auto& s : sections)
      if (s.slug == slug) return s.name;
    return std::string(slug);
  }

  json::object card(const Article& a, const Sections& sections) const {
    json::object c{{"headline", a.headline},
                   {"url", article_path(a)},
                   {"kicker", a.kicker},
                   {"deck", a.deck},
                   {"byline", a.byline},
                   {"section_name", section_name(sections, a.section)},
                   {"section_url", "/" + a.section},
                   {"image", image_context(a.image)},
                   {"sponsored", a.sponsored()}};
    if (a.published_at) {
      c["published_iso"] = dates_.iso8601_with_offset(*a.published_at);
      c["published_display"] = dates_.long_date(*a.published_at);
    }
    return c;
  }

  json::array cards(const std::vector<Article>& articles, const Sections& sections) const {
    json::array out;
    for (const auto& a : articles) out.push_back(card(a, sections));
    return out;
  }

  json::object pagination(std::string_view base_path, int page, int total) const {
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

  // ---- pages ----

  std::shared_ptr<const CachedPage> html(int status, std::string_view name,
                                         const json::object& context) const {
    return make_cached_page(status, kHtml, templates_.render(name, context));
  }

  std::shared_ptr<const CachedPage> not_found() const {
    const Sections sections = store_.sections();
    json::object c = chrome(sections, "", t("notfound.title"), "", "/");
    c["page"].as_object()["robots"] = "noindex";
    auto latest = store_.list_articles({.sponsored = false}, clock_.now(), 0, 5);
    c["latest"] = cards(latest.articles, sections);
    return html(404, "not_found", c);
  }

  std::shared_ptr<const CachedPage> front() const {
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
      blocks.push_back(json::object{{"name", s.name},
                                    {"url", "/" + s.slug},
                                    {"more", t("front.more_in", {{"section", s.name}})},
                                    {"items", std::move(items)}});
    }
    c["sections"] = std::move(blocks);
    auto sponsored = store_.list_articles({.sponsored = true}, now, 0, 4);
    c["has_sponsored"] = !sponsored.articles.empty();
    c["sponsored_items"] = cards(sponsored.articles, sections);
    c["page"].as_object()["json_ld"] = script_safe_json(
        json::object{{"@context", "https://schema.org"},
                     {"@type", "WebSite"},
                     {"name", options_.name},
                     {"url", options_.base_url + "/"},
                     {"potentialAction",
                      json::object{{"@type", "SearchAction"},
                                   {"target", options_.base_url + "/search?q={search_term_string}"},
                                   {"query-input", "required name=search_term_string"}}}});
    return html(200, "front", c);
  }

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
                                              int page) const {
    auto list = store_.list_articles(spec.filter, clock_.now(), (page - 1) * options_.page_size,
                                     options_.page_size);
    if (list.articles.empty() && (page > 1 || !spec.empty_is_found)) return not_found();
    std::string canonical = page == 1 ? spec.path : spec.path + "?page=" + std::to_string(page);
    json::object c =
        chrome(sections, spec.current_section, spec.title, spec.description, canonical);
    c["heading"] = spec.heading;
    c["count"] = t("section.articles_count", {{"count", list.total}});
    c["items"] = cards(list.articles, sections);
    c["pagination"] = pagination(spec.path, page, list.total);
    return html(200, "list", c);
  }

  std::shared_ptr<const CachedPage> section_page(std::string_view slug, int page) const {
    const Sections sections = store_.sections();
    for (const auto& s : sections) {
      if (s.slug != slug) continue;
      return list_page(sections,
                       {.filter = {.section = s.slug},
                        .path = "/" + s.slug,
                        .current_section = s.slug,
                        .title = s.name,
                        .heading = s.name,
                        .empty_is_found = true},
                       page);
    }
    return not_found();
  }

  std::shared_ptr<const CachedPage> author_page(std::string_view slug, int page) const {
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

  std::shared_ptr<const CachedPage> tag_page(std::string_view slug, int page) const {
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

  std::shared_ptr<const CachedPage> search_page(std::string_view query, int page) const {
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
      c["items"] = cards(list.articles, sections);  // snippets are decks: never body text
      c["pagination"] = pagination("/search?q=" + url_component(q), page, list.total);
    } else {
      c["heading"] = t("site.search");
    }
    return html(200, "list", c);
  }

  std::shared_ptr<const CachedPage> about_sponsored() const {
    const Sections sections = store_.sections();
    json::object c = chrome(sections, "", t("sponsored.about"), t("sponsored.about_summary"),
                            kAboutSponsoredPath);
    c["heading"] = t("sponsored.about");
    json::array paragraphs;
    for (const char* key :
         {"sponsored.about_body_1", "sponsored.about_body_2", "sponsored.about_body_3"})
      paragraphs.push_back(json::string(t(key, {{"publication", options_.name}})));
    c["paragraphs"] = std::move(paragraphs);
    return html(200, "about_sponsored", c);
  }

  // The article page (and its print view). A free or sponsored article is
  // the same for every reader and comes back whole. A metered one comes back
  // as ArticleParts: rendered with a marker in the meter, body and wall slots,
  // assembled per reader by reader_article() with what the paywall decided.
  std::shared_ptr<const CachedPage> article_page(const Article& a, bool print) const {
    const Sections sections = store_.sections();
    auto now = clock_.now();
    const bool metered = !a.free && !a.sponsored();
    std::string path = article_path(a);
    std::string url = options_.base_url + path;
    auto body = content::render_markdown(a.body_markdown, {.sponsored = a.sponsored()});
    json::object c = chrome(sections, a.section, a.headline, a.deck, path);
    json::object& page = c["page"].as_object();
    page["og_type"] = "article";
    if (!a.image.empty()) page["og_image"] = options_.base_url + media_path(a.image.name);
    if (print) page["robots"] = "noindex";

    json::array authors;
    for (std::size_t i = 0; i < a.authors.size(); ++i) {
      std::string sep =
          i + 2 < a.authors.size() ? ", " : (i + 2 == a.authors.size() ? " and " : "");
      authors.push_back(json::object{
          {"name", a.authors[i].name}, {"url", "/author/" + a.authors[i].slug}, {"sep", sep}});
    }
    json::array tags;
    for (const auto& tag : a.tags)
      tags.push_back(json::object{{"name", tag.name}, {"url", "/tag/" + tag.slug}});
    ShareLinks share = share_links(url, a.headline);
    json::object article{
        {"kicker", a.kicker},
        {"headline", a.headline},
        {"deck", a.deck},
        {"section_name", section_name(sections, a.section)},
        {"section_url", "/" + a.section},
        {"dateline", a.dateline},
        {"authors", std::move(authors)},
        {"has_authors", !a.authors.empty()},
        {"image", image_context(a.image)},
        {"meter_slot", ArticleParts::kMeterSlot},
        {"body_html", ArticleParts::kBodySlot},
        {"wall_slot", ArticleParts::kWallSlot},
        {"tags", std::move(tags)},
        {"url", path},
        {"print_url", path + "/print"},
        {"share", json::object{{"facebook", share.facebook},
                               {"linkedin", share.linkedin},
                               {"x", share.x},
                               {"mail", share.mail}}},
    };
    if (a.published_at) {
      article["published_iso"] = dates_.iso8601_with_offset(*a.published_at);
      article["published_display"] =
          t("article.published", {{"date", dates_.date_time(*a.published_at)}});
      if (a.updated_at > *a.published_at + std::chrono::minutes(5)) {
        article["updated_iso"] = dates_.iso8601_with_offset(a.updated_at);
        article["updated_display"] =
            t("article.updated", {{"date", dates_.date_time(a.updated_at)}});
      }
    }
    if (a.sponsored()) {
      article["sponsored"] = json::object{
          {"commissioned_by", t("sponsored.commissioned_by", {{"sponsor", a.sponsored_by}})},
          {"about_url", kAboutSponsoredPath}};
    }
    c["article"] = std::move(article);
    c["has_tags"] = !a.tags.empty();
    if (!print) {
      auto related = store_.related_articles(a, now, 4);
      c["has_related"] = !related.empty();
      c["related"] = cards(related, sections);
    }
    c["page"].as_object()["json_ld"] = script_safe_json(news_article_ld(a, url, sections, metered));

    // The two bodies: the lead-in, and the lead-in with the rest inside the
    // element the JSON-LD's hasPart names.
    std::size_t lead_blocks = body.lead_in_block_count(policy_.lead_in_paragraphs);
    std::string lead_in;
    std::string rest;
    for (std::size_t i = 0; i < body.blocks.size(); ++i)
      (i < lead_blocks ? lead_in : rest) += body.blocks[i].html;
    std::string full = lead_in;
    if (metered && !rest.empty())
      full += "<div class=\"" + std::string(kPaywalledClass) + "\">\n" + rest + "</div>\n";
    else
      full += rest;

    auto parts = ArticleParts::cut(templates_.render(print ? "print" : "article", c),
                                   std::move(full), std::move(lead_in));
    if (!metered) return make_cached_page(200, kHtml, parts.assemble("", true, ""));
    auto cached = std::make_shared<CachedPage>();
    cached->status = 200;
    cached->content_type = kHtml;
    cached->article = std::make_shared<const ArticleParts>(std::move(parts));
    cached->article_id = a.id;
    return cached;
  }

  // The meter message and the wall for a decision. They depend only on the
  // outcome and the count, so each is rendered once and remembered (at most
  // a few dozen strings: eleven outcomes, counts up to the limit).
  std::shared_ptr<const std::string> meter_for(const paywall::Decision& d) const {
    return remembered(0, d, [&] { return meter_html(d); });
  }
  std::shared_ptr<const std::string> wall_for(const paywall::Decision& d) const {
    // A live offer can change or end at any moment: such walls are not remembered.
    if (options_.current_offer && !d.full_text)
      return std::make_shared<const std::string>(wall_html(d));
    return remembered(1, d, [&] { return wall_html(d); });
  }

  template <typename Render>
  std::shared_ptr<const std::string> remembered(int slot, const paywall::Decision& d,
                                                Render render) const {
    const int remaining =
        d.outcome == paywall::Outcome::kMetered || d.outcome == paywall::Outcome::kReread
            ? d.remaining_after
            : 0;
    const auto key = std::make_tuple(slot, static_cast<int>(d.outcome), remaining);
    {
      std::shared_lock lock(slots_mutex_);
      if (auto it = slots_.find(key); it != slots_.end()) return it->second;
    }
    auto html = std::make_shared<const std::string>(render());
    std::unique_lock lock(slots_mutex_);
    if (slots_.size() < 4096) slots_.emplace(key, html);
    return html;
  }

  // The meter message above a metered article, or nothing.
  std::string meter_html(const paywall::Decision& d) const {
    std::string_view period = paywall::period_kind_name(policy_.period);
    std::string text;
    switch (d.outcome) {
      case paywall::Outcome::kMetered:
      case paywall::Outcome::kReread:
        text = t("paywall.left", {{"count", d.remaining_after}, {"period", period}});
        break;
      case paywall::Outcome::kLastFree:
        text = t("paywall.last", {{"period", period}});
        break;
      default:
        return "";
    }
    return templates_.render("meter", json::object{{"text", text}});
  }

  // The wall after the lead-in (registration, offer, expiry), or nothing.
  std::string wall_html(const paywall::Decision& d) const {
    if (d.full_text) return "";
    std::string_view period = paywall::period_kind_name(policy_.period);
    std::string headline = options_.offer_headline;
    std::string url = options_.offer_url;
    if (options_.current_offer && d.outcome == paywall::Outcome::kPaywall) {
      if (auto live = options_.current_offer(messages_, dates_, options_.locale)) {
        headline = std::move(live->headline);
        url = std::move(live->url);
      }
    }
    json::object offer{{"headline", headline},
                       {"url", url},
                       {"cta", t("paywall.subscribe_cta")},
                       {"all_url", options_.offer_url},
                       {"all", t("paywall.all_offers")}};
    // Former subscribers and trial readers: the paywall's offer is usually
    // an introductory one for new subscribers, which they cannot take; their
    // walls point to all the offers instead of promoting it.
    json::object renewal{{"url", options_.offer_url},
                         {"cta", t("paywall.subscribe_cta")},
                         {"all_url", options_.offer_url},
                         {"all", t("paywall.all_offers")}};
    json::object c;
    switch (d.outcome) {
      case paywall::Outcome::kRegistrationWall:
        c = {{"kind", "register"},
             {"title", t("paywall.register_title")},
             {"body", t("paywall.register_body",
                        {{"period", period}, {"registered", policy_.registered_free}})},
             {"register", json::object{{"url", options_.register_url},
                                       {"cta", t("paywall.register_cta")},
                                       {"login_url", options_.login_url},
                                       {"login", t("paywall.login")}}}};
        break;
      case paywall::Outcome::kPaywall:
        c = {{"kind", "paywall"},
             {"title", t("paywall.paywall_title")},
             {"body",
              t("paywall.paywall_body", {{"period", period}, {"publication", options_.name}})},
             {"offer", offer}};
        break;
      case paywall::Outcome::kTrialExpired:
        c = {{"kind", "trial-expired"},
             {"title", t("paywall.trial_expired_title")},
             {"body", t("paywall.trial_expired_body", {{"publication", options_.name}})},
             {"offer", renewal}};
        break;
      case paywall::Outcome::kSubscriptionExpired:
        c = {{"kind", "expired"},
             {"title", t("paywall.expired_title", {{"publication", options_.name}})},
             {"body", t("paywall.expired_body")},
             {"offer", renewal}};
        break;
      default:
        return "";
    }
    return templates_.render("wall", c);
  }

  // NewsArticle markup. Never an articleBody. A metered article is marked
  // not free, with hasPart naming the element that holds the paywalled text,
  // so that search engines can tell paywalled content from cloaking.
  json::object news_article_ld(const Article& a, const std::string& url, const Sections& sections,
                               bool metered) const {
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
                    {"inLanguage", options_.locale},
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

  std::shared_ptr<const CachedPage> robots() const {
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

  std::shared_ptr<const CachedPage> sitemap() const {
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

 private:
  SiteOptions options_;
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

namespace {

// Sends a cached page in the representation the client accepts. The handler
// picks gzip itself (rather than leaving it to the server) so that each
// representation has its own strong ETag, as RFC 9110 wants.
http::Response respond(const http::Request& request, const CachedPage& page,
                       std::string_view cache_control) {
  http::Response r;
  r.status = page.status;
  r.set_header("Content-Type", page.content_type);
  r.set_header("Cache-Control", cache_control);
  bool gzipped = page.gzip_body && http::accepts_gzip(request);
  if (page.gzip_body) r.set_header("Vary", "Accept-Encoding");
  if (page.status == 200) {
    std::string etag = gzipped ? page.etag.substr(0, page.etag.size() - 1) + "-gzip\"" : page.etag;
    r.set_header("ETag", etag);
    if (http::matches_if_none_match(request, etag)) {
      r.status = 304;
      return r;
    }
  }
  if (gzipped) {
    r.set_header("Content-Encoding", "gzip");
    r.shared_body = page.gzip_body;
  } else {
    r.shared_body = page.body;
  }
  return r;
}

constexpr std::string_view kPublicPage = "public, max-age=60";
constexpr std::string_view kNoStore = "no-store";
// An answer made for one reader: no shared cache may keep it, and the
// browser asks again each time (each view is a metering decision).
constexpr std::string_view kPersonalPage = "private, no-cache";

}  // namespace

Site::Site(SiteOptions options, const content::ArticleStore& store, const base::Clock& clock,
           const render::TemplateSet& templates, const render::Catalogs& catalogs,
           const http::StaticAssets& assets, const PaywallGate& gate)
    : catalogs_(catalogs), gate_(gate), cache_([&store](base::TimePoint now) {
        return PageCache::Validity{store.content_version(), store.next_scheduled_after(now)};
      }) {
  std::vector<std::string> locales = catalogs.locales();
  std::stable_partition(locales.begin(), locales.end(), [&](const std::string& locale) {
    return locale == catalogs.default_locale();
  });
  for (const std::string& locale : locales) {
    SiteOptions localized = options;
    localized.locale = locale;
    pages_.push_back(std::make_shared<Pages>(std::move(localized), store, clock, templates,
                                             catalogs.for_locale(locale), assets, gate.policy()));
  }
}

Site::Frame Site::frame(const http::Request& request, std::string title, std::string path) const {
  const Pages* pages = pages_.front().get();
  if (pages_.size() > 1) {
    std::string wanted = catalogs_.negotiate(request.header("Accept-Language"));
    for (const auto& p : pages_)
      if (p->locale() == wanted) pages = p.get();
  }
  return Frame{pages->frame(std::move(title), std::move(path)), &pages->messages(), &pages->dates(),
               pages->locale()};
}

void Site::add_routes(http::Router& router) {
  // The pages in the reader's language, and the prefix of their cache keys.
  struct Localized {
    std::shared_ptr<Pages> pages;
    std::string key;
  };
  auto all_pages = pages_;
  const render::Catalogs* catalogs = &catalogs_;
  auto localize = [all_pages, catalogs](const http::Request& r) -> Localized {
    if (all_pages.size() == 1) return {all_pages.front(), ""};
    std::string wanted = catalogs->negotiate(r.header("Accept-Language"));
    for (const auto& p : all_pages)
      if (p->locale() == wanted) return {p, wanted + "|"};
    return {all_pages.front(), all_pages.front()->locale() + "|"};
  };
  const bool multilingual = pages_.size() > 1;
  // Every HTML answer may differ by Accept-Language when several are enabled.
  auto vary_language = [multilingual](http::Response response) {
    if (multilingual) {
      std::string vary(response.header("Vary"));
      response.set_header("Vary", vary.empty() ? "Accept-Language" : vary + ", Accept-Language");
    }
    return response;
  };
  auto pages = pages_.front();
  PageCache* cache = &cache_;
  auto cached = [=](const http::Request& request, const std::string& key, auto render,
                    std::string_view cache_control = kPublicPage) {
    auto page = cache->get_or_render(key, pages->clock().now(), render);
    return vary_language(respond(request, *page, page->status == 200 ? cache_control : kNoStore));
  };
  auto not_found = [=](const http::Request& r) {
    return vary_language(respond(r, *localize(r).pages->not_found(), kNoStore));
  };

  router.get("/", [=](http::Request& r) {
    auto l = localize(r);
    return cached(r, l.key + "/", [&] { return l.pages->front(); });
  });
  router.get("/static/*path", [pages](http::Request& r) { return pages->assets().serve(r); });
  router.get("/favicon.ico", [pages](http::Request&) {
    return http::Response::redirect(pages->assets().url_for("favicon.svg"), 301);
  });

  router.get("/healthz", [pages](http::Request&) {
    pages->store().content_version();  // the database answers
    auto r = http::Response::text(200, "ok\n");
    r.set_header("Cache-Control", "no-store");
    return r;
  });

  router.get("/robots.txt", [=](http::Request& r) {
    auto page =
        cache->get_or_render("/robots.txt", pages->clock().now(), [&] { return pages->robots(); });
    return respond(r, *page, "public, max-age=3600");
  });
  router.get("/sitemap.xml", [=](http::Request& r) {
    auto page = cache->get_or_render("/sitemap.xml", pages->clock().now(),
                                     [&] { return pages->sitemap(); });
    return respond(r, *page, "public, max-age=300");
  });
  router.get(kAboutSponsoredPath, [=](http::Request& r) {
    auto l = localize(r);
    return cached(r, l.key + kAboutSponsoredPath, [&] { return l.pages->about_sponsored(); });
  });

  router.get("/search", [=](http::Request& r) {
    auto l = localize(r);
    auto page = page_number(r);
    auto q = r.query_param("q").value_or("");
    if (!base::is_valid_utf8(q)) {
      auto bad = http::Response::text(400, "The search query is not valid UTF-8 text.\n");
      bad.set_header("Cache-Control", "no-store");
      return bad;
    }
    auto rendered = page ? l.pages->search_page(q, *page) : l.pages->not_found();
    return vary_language(respond(r, *rendered, "no-store"));
  });

  router.get("/author/:slug", [=](http::Request& r) {
    auto page = page_number(r);
    if (!page) return not_found(r);
    auto l = localize(r);
    std::string slug(r.param("slug"));
    return cached(r, l.key + "/author/" + slug + "?" + std::to_string(*page),
                  [&] { return l.pages->author_page(slug, *page); });
  });
  router.get("/tag/:slug", [=](http::Request& r) {
    auto page = page_number(r);
    if (!page) return not_found(r);
    auto l = localize(r);
    std::string slug(r.param("slug"));
    return cached(r, l.key + "/tag/" + slug + "?" + std::to_string(*page),
                  [&] { return l.pages->tag_page(slug, *page); });
  });

  router.get("/media/:name", [=](http::Request& r) {
    auto image = pages->store().image_by_name(r.param("name"));
    if (!image) return not_found(r);
    char etag[32];
    std::snprintf(etag, sizeof etag, "\"%016zx\"", std::hash<std::string>{}(image->bytes));
    http::Response response;
    response.set_header("Content-Type", image->content_type);
    response.set_header("Cache-Control", "public, max-age=86400");
    response.set_header("ETag", etag);
    // An SVG opened on its own must not be able to run script on this origin.
    response.set_header("Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    if (http::matches_if_none_match(r, etag)) {
      response.status = 304;
      return response;
    }
    response.body = std::move(image->bytes);
    return response;
  });

  router.get("/:section", [=](http::Request& r) {
    auto page = page_number(r);
    if (!page) return not_found(r);
    auto l = localize(r);
    std::string slug(r.param("section"));
    return cached(r, l.key + "/" + slug + "?" + std::to_string(*page),
                  [&] { return l.pages->section_page(slug, *page); });
  });
  router.get("/:section/", [](http::Request& r) {
    return http::Response::redirect("/" + std::string(r.param("section")), 301);
  });

  const PaywallGate* gate = &gate_;
  auto article_route = [=](bool print) {
    return [=](http::Request& r) {
      auto l = localize(r);
      std::string section(r.param("section"));
      std::string slug(r.param("slug"));
      std::string key = l.key + "/" + section + "/" + slug + (print ? "/print" : "");
      std::optional<std::string> moved;
      auto page = cache->get_or_render(
          key, pages->clock().now(), [&]() -> std::shared_ptr<const CachedPage> {
            auto article = l.pages->store().article_by_slug(slug);
            if (!article || !article->is_visible(l.pages->clock().now()))
              return l.pages->not_found();
            if (article->section != section) {
              moved = "/" + article->section + "/" + article->slug + (print ? "/print" : "");
              return nullptr;
            }
            return l.pages->article_page(*article, print);
          });
      if (!page) return http::Response::redirect(*moved, 301);
      if (!page->article)
        return vary_language(respond(r, *page, page->status == 200 ? kPublicPage : kNoStore));

      // A metered article: what this reader gets is decided now.
      Access access = gate->view(r, page->article_id, paywall::ArticleFacts{});
      const paywall::Decision& d = access.decision;
      static const std::string kNothing;
      const auto meter = print ? nullptr : l.pages->meter_for(d);
      const auto wall = l.pages->wall_for(d);
      const std::string& meter_html = meter ? *meter : kNothing;
      http::Response response;
      response.set_header("Content-Type", page->content_type);
      response.set_header("Cache-Control", kPersonalPage);
      response.set_header("Vary", "Accept-Encoding, Cookie");
      if (!access.set_cookie.empty()) response.set_header("Set-Cookie", access.set_cookie);
      if (http::accepts_gzip(r)) {
        response.set_header("Content-Encoding", "gzip");
        response.body = page->article->assemble_gzip(meter_html, d.full_text, *wall);
      } else {
        response.body = page->article->assemble(meter_html, d.full_text, *wall);
      }
      return vary_language(std::move(response));
    };
  };
  router.get("/:section/:slug", article_route(false));
  router.get("/:section/:slug/print", article_route(true));

  router.set_not_found([=](http::Request& r) { return not_found(r); });
}

}  // namespace masthead::site
