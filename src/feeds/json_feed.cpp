// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), written with
// Boost.JSON. Required: version, title, and items with an id; each item here
// also has url, title, summary, dates, authors and tags, and content_html
// when the decision allows content (an item needs content_html or
// content_text, so an item without content carries its deck as
// content_text).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "feeds/feed_dates.h"
#include "feeds/feed_formats.h"

namespace masthead::feeds {

namespace json = boost::json;

std::string write_json_feed(const Feed& feed) {
  json::array items;
  for (const FeedItem& item : feed.items) {
    json::object o{{"id", item.id},
                   {"url", item.link},
                   {"title", item.title},
                   {"date_published", rfc3339_date(item.published)},
                   {"date_modified", rfc3339_date(item.updated)}};
    if (!item.summary.empty()) o["summary"] = item.summary;
    if (!item.content_html.empty())
      o["content_html"] = item.content_html;
    else
      o["content_text"] = item.summary;
    json::array authors;
    for (const std::string& name : item.authors) authors.push_back(json::object{{"name", name}});
    if (!authors.empty()) o["authors"] = std::move(authors);
    json::array tags;
    for (const std::string& category : item.categories) tags.push_back(json::string(category));
    if (!tags.empty()) o["tags"] = std::move(tags);
    items.push_back(std::move(o));
  }
  json::object doc{{"version", "https://jsonfeed.org/version/1.1"},
                   {"title", feed.title},
                   {"home_page_url", feed.home_url},
                   {"feed_url", feed.self_url}};
  if (!feed.description.empty()) doc["description"] = feed.description;
  if (!feed.language.empty()) doc["language"] = feed.language;
  doc["items"] = std::move(items);
  return json::serialize(doc);
}

}  // namespace masthead::feeds
