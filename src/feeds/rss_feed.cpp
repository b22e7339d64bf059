// RSS 2.0 (https://www.rssboard.org/rss-specification), with the content
// module for the item's HTML and Dublin Core for authors' names (RSS's own
// <author> wants an e-mail address, which Masthead does not publish), and
// Atom's self link, as the RSS Advisory Board recommends.
#include "feeds/feed_dates.h"
#include "feeds/feed_formats.h"
#include "feeds/xml_writer.h"

namespace masthead::feeds {

std::string write_rss(const Feed& feed) {
  XmlWriter w;
  w.start_element("rss");
  w.attribute("version", "2.0");
  w.attribute("xmlns:atom", "http://www.w3.org/2005/Atom");
  w.attribute("xmlns:content", "http://purl.org/rss/1.0/modules/content/");
  w.attribute("xmlns:dc", "http://purl.org/dc/elements/1.1/");
  w.start_element("channel");
  w.element("title", feed.title);
  w.element("link", feed.home_url);
  w.element("description", feed.description.empty() ? feed.title : feed.description);
  if (!feed.language.empty()) w.element("language", feed.language);
  w.element("lastBuildDate", rfc822_date(feed.updated));
  w.start_element("atom:link");
  w.attribute("href", feed.self_url);
  w.attribute("rel", "self");
  w.attribute("type", "application/rss+xml");
  w.end_element();
  for (const FeedItem& item : feed.items) {
    w.start_element("item");
    w.element("title", item.title);
    w.element("link", item.link);
    w.start_element("guid");
    w.attribute("isPermaLink", "false");
    w.text(item.id);
    w.end_element();
    w.element("pubDate", rfc822_date(item.published));
    for (const std::string& author : item.authors) w.element("dc:creator", author);
    for (const std::string& category : item.categories) w.element("category", category);
    if (!item.summary.empty()) w.element("description", item.summary);
    if (!item.content_html.empty()) w.element("content:encoded", item.content_html);
    w.end_element();
  }
  w.end_element();  // channel
  w.end_element();  // rss
  return w.finish();
}

}  // namespace masthead::feeds
