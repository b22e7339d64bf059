// Feed and FeedItem: a syndication feed as plain values, before any format.
//
// What it is. What RSS 2.0, Atom 1.0 and JSON Feed 1.1 have in common: the
// feed's title, links and update time, and up to twenty items, each with its
// headline, canonical link, a permanent id, dates, authors' names,
// categories (the section; "Sponsored Content" for paid content), the deck
// as summary and — only when the paywall's decision allows it — HTML
// content. The three writers (feed_formats.h) turn one Feed into one
// document each, so the formats can never disagree about what an item
// carries.
//
// Invariants: every string is already free of what XML cannot carry
// (feed_item.cpp passes it through xml_text); `content_html` is the whole
// body only for free or sponsored articles, the lead-in for metered ones,
// never more (feed_item.h decides).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"

namespace masthead::feeds {

struct FeedItem {
  std::string title;  // "Sponsored: " + headline for sponsored content
  std::string link;   // absolute canonical URL of the article
  std::string id;     // permanent: "tag:<host>,<date>:article/<id>"
  base::TimePoint published{};
  base::TimePoint updated{};
  std::vector<std::string> authors;
  std::vector<std::string> categories;
  std::string summary;       // the deck, plain text
  std::string content_html;  // full text or lead-in, as the decision allows; may be empty
  bool sponsored = false;
};

struct Feed {
  std::string title;     // "Masthead — World"
  std::string home_url;  // the HTML page the feed mirrors (absolute)
  std::string self_url;  // this feed's own URL (absolute)
  std::string id;        // Atom's feed id: its self URL
  std::string description;
  std::string language;       // BCP 47, "en-US"
  base::TimePoint updated{};  // the newest item's update time (or the epoch)
  std::vector<FeedItem> items;
};

}  // namespace masthead::feeds
