// make_item(): one article as a feed item, cut to what the paywall allows.
//
// What it is. A pure function of the article (with its body), the paywall
// Decision an anonymous reader gets for it, and the feed options. It is the
// only place that puts article text into a feed, and it follows one rule:
//
//   - a free or sponsored article (the decision says kFreeArticle or
//     kSponsored, with full text) carries its whole body when
//     `full_text_free` is set, else its lead-in;
//   - an entitled reader's decision (kEntitled: only a private feed, whose
//     decision is the subscriber's own) carries the whole body;
//   - every other article — metered — carries its deck and the lead-in of
//     `lead_in_paragraphs` paragraphs, whatever the decision's full_text
//     says: a feed is read by anyone, at any time, outside the meter, so a
//     metered body never goes into one (a first-time reader's "full text,
//     counted" is a page view, not a feed).
//
// Every string is passed through xml_text() so no format has to think about
// control characters. Sponsored items are labelled twice: the title prefix
// and the category "Sponsored Content" (both from the caller's words, since
// UI strings live in the catalogs).
#pragma once

#include <string>

#include "content/article.h"
#include "feeds/feed.h"
#include "paywall/decision.h"

namespace masthead::feeds {

struct ItemOptions {
  std::string base_url;            // "https://news.example", no trailing slash
  std::string section_name;        // the article's section as a category
  std::string sponsored_prefix;    // "Sponsored: "
  std::string sponsored_category;  // "Sponsored Content"
  int lead_in_paragraphs = 1;
  bool full_text_free = true;
};

// "tag:news.example,2026-11-18:article/42": stable across edits and slugs.
std::string item_id(const std::string& base_url, const content::Article& a);

FeedItem make_item(const content::Article& a, const paywall::Decision& decision,
                   const ItemOptions& options);

}  // namespace masthead::feeds
