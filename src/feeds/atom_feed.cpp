// Atom 1.0 (RFC 4287): the feed's id is its self URL, each entry's id the
// item's permanent tag URI; the deck is the summary and the item's HTML, when
// the decision allows any, is <content type="html">.
#include "feeds/feed_dates.h"
#include "feeds/feed_formats.h"
#include "feeds/xml_writer.h"

namespace masthead::feeds {

namespace {
void link(XmlWriter& w, std::string_view rel, std::string_view href, std::string_view type = {}) {
  w.start_element("link");
  w.attribute("rel", rel);
  if (!type.empty()) w.attribute("type", type);
  w.attribute("href", href);
  w.end_element();
}
}  // namespace

std::string write_atom(const Feed& feed) {
  XmlWriter w;
  w.start_element("feed");
  w.attribute("xmlns", "http://www.w3.org/2005/Atom");
  if (!feed.language.empty()) w.attribute("xml:lang", feed.language);
  w.element("id", feed.id);
  w.element("title", feed.title);
  if (!feed.description.empty()) w.element("subtitle", feed.description);
  w.element("updated", rfc3339_date(feed.updated));
  link(w, "alternate", feed.home_url, "text/html");
  link(w, "self", feed.self_url, "application/atom+xml");
  for (const FeedItem& item : feed.items) {
    w.start_element("entry");
    w.element("id", item.id);
    w.element("title", item.title);
    link(w, "alternate", item.link, "text/html");
    w.element("published", rfc3339_date(item.published));
    w.element("updated", rfc3339_date(item.updated));
    for (const std::string& author : item.authors) {
      w.start_element("author");
      w.element("name", author);
      w.end_element();
    }
    for (const std::string& category : item.categories) {
      w.start_element("category");
      w.attribute("term", category);
      w.end_element();
    }
    if (!item.summary.empty()) w.element("summary", item.summary);
    if (!item.content_html.empty()) {
      w.start_element("content");
      w.attribute("type", "html");
      w.text(item.content_html);
      w.end_element();
    }
    w.end_element();
  }
  w.end_element();
  return w.finish();
}

}  // namespace masthead::feeds
