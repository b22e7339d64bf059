// One article as a feed item, through the paywall's decision. See feed_item.h.
#include "feeds/feed_item.h"

#include <algorithm>

#include "base/iso_time.h"
#include "content/markdown.h"
#include "feeds/xml_writer.h"

namespace masthead::feeds {

namespace {

std::string host_of(const std::string& base_url) {
  std::string host = base_url;
  if (auto p = host.find("://"); p != std::string::npos) host = host.substr(p + 3);
  if (auto p = host.find_first_of("/:"); p != std::string::npos) host = host.substr(0, p);
  return host.empty() ? "localhost" : host;
}

bool free_for_all(const paywall::Decision& d) {
  return d.full_text &&
         (d.outcome == paywall::Outcome::kFreeArticle || d.outcome == paywall::Outcome::kSponsored);
}

bool entitled(const paywall::Decision& d) {
  return d.full_text && d.outcome == paywall::Outcome::kEntitled;
}

}  // namespace

std::string item_id(const std::string& base_url, const content::Article& a) {
  const base::TimePoint when = a.published_at.value_or(a.updated_at);
  return "tag:" + host_of(base_url) + "," + base::format_iso8601_utc(when).substr(0, 10) +
         ":article/" + std::to_string(a.id);
}

FeedItem make_item(const content::Article& a, const paywall::Decision& decision,
                   const ItemOptions& options) {
  FeedItem item;
  item.sponsored = a.sponsored();
  item.title = xml_text((item.sponsored ? options.sponsored_prefix : "") + a.headline);
  item.link = xml_text(options.base_url + "/" + a.section + "/" + a.slug);
  item.id = xml_text(item_id(options.base_url, a));
  item.published = a.published_at.value_or(a.updated_at);
  item.updated = std::max(a.updated_at, item.published);
  if (!a.authors.empty()) {
    for (const auto& author : a.authors) item.authors.push_back(xml_text(author.name));
  } else if (!a.byline.empty()) {
    item.authors.push_back(xml_text(a.byline));
  }
  if (!options.section_name.empty()) item.categories.push_back(xml_text(options.section_name));
  if (item.sponsored) item.categories.push_back(xml_text(options.sponsored_category));
  item.summary = xml_text(a.deck);

  const content::RenderedBody body =
      content::render_markdown(a.body_markdown, {.sponsored = a.sponsored()});
  if (entitled(decision) || (free_for_all(decision) && options.full_text_free)) {
    item.content_html = xml_text(body.html());
  } else {
    item.content_html = xml_text(body.lead_in_html(options.lead_in_paragraphs));
  }
  return item;
}

}  // namespace masthead::feeds
