// The article page and its print view, and the per-reader pieces of a
// metered one: the meter message and the wall.
//
// A free or sponsored article is the same for every reader: it is rendered
// whole and cached, `public`. A metered article (neither free nor sponsored)
// is rendered once with a marker in each of three slots — meter message,
// body, wall — and cached as ArticleParts with its two bodies: the lead-in,
// and the full text with everything after the lead-in inside the element the
// JSON-LD's hasPart names (`.paywalled-content`). Each view asks the
// PaywallGate for a Decision and assembles its answer from the parts, the
// meter message (none in print), the body the decision allows, and the wall.
// The withheld blocks are never put into a non-entitled reader's response.
//
// Meter messages and walls depend only on the outcome and the count, so each
// is rendered once and remembered (at most a few dozen strings) — except
// walls that show a live offer (SiteOptions::current_offer), which can change
// or end at any moment and are rendered at every view.
#include <boost/json.hpp>

#include <chrono>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include "content/markdown.h"

#include "http/gzip.h"
#include "render/list_format.h"
#include "site/article_parts.h"
#include "site/share_links.h"
#include "site/site_pages.h"
#include "site/site_routes.h"

namespace masthead::site::detail {

namespace json = boost::json;
using content::Article;

std::shared_ptr<const CachedPage> Pages::article_page(const Article& a, bool print) const {
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

  // The byline: each author a link, joined the way this language joins a
  // list ("A, B and C", 「A、B、C」); `sep` is the text after each name.
  std::vector<std::string> names;
  for (const auto& author : a.authors) names.push_back(author.name);
  const std::vector<std::string> joints = render::list_joints(options_.locale, names);
  json::array authors;
  for (std::size_t i = 0; i < a.authors.size(); ++i) {
    authors.push_back(json::object{{"name", a.authors[i].name},
                                   {"url", "/author/" + a.authors[i].slug},
                                   {"sep", joints[i + 1]}});
  }
  json::array tags;
  for (const auto& tag : a.tags)
    tags.push_back(json::object{{"name", tag.name}, {"url", "/tag/" + tag.slug}});
  ShareLinks share = share_links(url, a.headline);
  json::object article{
      {"text_lang", text_lang_attribute(a)},
      {"kicker", a.kicker},
      {"headline", a.headline},
      {"deck", a.deck},
      {"section_name", section_name(sections, a.section)},
      {"section_url", "/" + a.section},
      {"dateline", a.dateline},
      {"byline_before", joints.front()},
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
      article["updated_display"] = t("article.updated", {{"date", dates_.date_time(a.updated_at)}});
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
  std::vector<std::string> blocks;
  for (std::size_t i = 0; i < body.blocks.size(); ++i) {
    (i < lead_blocks ? lead_in : rest) += body.blocks[i].html;
    blocks.push_back(body.blocks[i].html);
  }
  // How many blocks make a lead-in of n paragraphs, up to the whole body.
  std::vector<std::size_t> blocks_for_paragraphs;
  for (int n = 0; blocks_for_paragraphs.empty() || blocks_for_paragraphs.back() < blocks.size();
       ++n)
    blocks_for_paragraphs.push_back(body.lead_in_block_count(n));
  std::string full = lead_in;
  if (metered && !rest.empty())
    full += "<div class=\"" + std::string(kPaywalledClass) + "\">\n" + rest + "</div>\n";
  else
    full += rest;

  auto parts = ArticleParts::cut(templates_.render(print ? "print" : "article", c), std::move(full),
                                 std::move(blocks), std::move(blocks_for_paragraphs),
                                 policy_.lead_in_paragraphs);
  if (!metered) {
    paywall::Decision whole;
    whole.full_text = true;
    return make_cached_page(200, kHtml, parts.assemble("", whole, ""));
  }
  auto cached = std::make_shared<CachedPage>();
  cached->status = 200;
  cached->content_type = kHtml;
  cached->article = std::make_shared<const ArticleParts>(std::move(parts));
  cached->article_id = a.id;
  return cached;
}

std::shared_ptr<const std::string> Pages::meter_for(const paywall::Decision& d) const {
  return remembered(0, d, [&] { return meter_html(d); });
}

std::shared_ptr<const std::string> Pages::wall_for(const paywall::Decision& d) const {
  // A live offer can change or end at any moment: such walls are not remembered.
  if (options_.current_offer && !d.full_text)
    return std::make_shared<const std::string>(wall_html(d));
  return remembered(1, d, [&] { return wall_html(d); });
}

template <typename Render>
std::shared_ptr<const std::string> Pages::remembered(int slot, const paywall::Decision& d,
                                                     Render render) const {
  // What a remembered slot depends on besides the outcome: the count a
  // meter message says, or what the registration wall promises.
  int remaining = 0;
  if (d.outcome == paywall::Outcome::kMetered || d.outcome == paywall::Outcome::kReread)
    remaining = d.remaining_after;
  if (d.outcome == paywall::Outcome::kRegistrationWall) remaining = registration_promise(d);
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

// What registering gives this period: the registered allowance less the
// views already counted, which join the account's meter at registration.
int Pages::registration_promise(const paywall::Decision& d) const {
  return std::max(0, policy_.registered_free - d.viewed);
}

// The meter message above a metered article, or nothing.
std::string Pages::meter_html(const paywall::Decision& d) const {
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
std::string Pages::wall_html(const paywall::Decision& d) const {
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
           {"body", t("paywall.register_body", {{"period", period},
                                                {"registered", policy_.registered_free},
                                                {"more", registration_promise(d)}})},
           {"register", json::object{{"url", options_.register_url +
                                                 "?next=" + std::string(ArticleParts::kNextSlot)},
                                     {"cta", t("paywall.register_cta")},
                                     {"login_url", options_.login_url},
                                     {"login", t("paywall.login")}}}};
      break;
    case paywall::Outcome::kPaywall:
      c = {
          {"kind", "paywall"},
          {"title", t("paywall.paywall_title")},
          {"body", t("paywall.paywall_body", {{"period", period}, {"publication", options_.name}})},
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

namespace {

// The article page or its print view: the cached page, or for a metered
// article the parts assembled with what the gate decides for this reader.
http::Response article_or_print(const RouteContext& ctx, const http::Request& r, bool print) {
  auto l = ctx.localize(r);
  const Pages& pages = *l.pages;
  std::string section(r.param("section"));
  std::string slug(r.param("slug"));
  std::string key = l.key + "/" + section + "/" + slug + (print ? "/print" : "");
  std::optional<std::string> moved;
  auto page = ctx.cache().get_or_render(
      key, ctx.default_pages().clock().now(), [&]() -> std::shared_ptr<const CachedPage> {
        auto article = pages.store().article_by_slug(slug);
        if (!article || !article->is_visible(pages.clock().now())) return pages.not_found();
        if (article->section != section) {
          moved = "/" + article->section + "/" + article->slug + (print ? "/print" : "");
          return nullptr;
        }
        return pages.article_page(*article, print);
      });
  if (!page) return http::Response::redirect(*moved, 301);
  if (!page->article)
    return ctx.vary_language(respond(r, *page, page->status == 200 ? kPublicPage : kNoStore));

  // A metered article: what this reader gets is decided now.
  Access access = ctx.gate().view(r, page->article_id, paywall::ArticleFacts{});
  const paywall::Decision& d = access.decision;
  static const std::string kNothing;
  const auto meter = print ? nullptr : pages.meter_for(d);
  const auto wall = pages.wall_for(d);
  const std::string& meter_html = meter ? *meter : kNothing;
  // The wall's register link brings the reader back to this article.
  std::string wall_html = *wall;
  if (auto at = wall_html.find(ArticleParts::kNextSlot); at != std::string::npos)
    wall_html.replace(
        at, ArticleParts::kNextSlot.size(),
        boost::urls::encode("/" + section + "/" + slug, boost::urls::unreserved_chars));
  http::Response response;
  response.set_header("Content-Type", page->content_type);
  response.set_header("Cache-Control", kPersonalPage);
  response.set_header("Vary", "Accept-Encoding, Cookie");
  if (!access.set_cookie.empty()) response.set_header("Set-Cookie", access.set_cookie);
  if (http::accepts_gzip(r)) {
    response.set_header("Content-Encoding", "gzip");
    response.body = page->article->assemble_gzip(meter_html, d, wall_html);
  } else {
    response.body = page->article->assemble(meter_html, d, wall_html);
  }
  return ctx.vary_language(std::move(response));
}

}  // namespace

http::Response article_route(const RouteContext& ctx, const http::Request& r) {
  return article_or_print(ctx, r, false);
}

http::Response print_route(const RouteContext& ctx, const http::Request& r) {
  return article_or_print(ctx, r, true);
}

}  // namespace masthead::site::detail
