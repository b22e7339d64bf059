// The content model: articles and what they are filed under.
//
// An Article is what the newsroom writes: headline, deck, body in CommonMark,
// the labels around it (kicker, dateline, byline), its section, authors, tags
// and hero image, and two flags that matter to the paywall: `free` (never
// metered) and `sponsored_by` (paid content: labelled, disclosed and never
// metered). Times are UTC instants; `published_at` is when it went, or goes,
// public. An article is visible to readers when its status is Published, or
// Scheduled with published_at in the past (see `is_visible`), so scheduling
// needs no background job.
//
// `language` is the BCP 47 tag of the article's own text (headline, deck,
// body, caption) when the newsroom names one; empty means the publication's
// content language, which the site takes to be its default locale. The site
// marks the text with it wherever it differs from the page's interface
// language (an English article in the Japanese interface: lang="en").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"

namespace masthead::content {

enum class Status { kDraft, kScheduled, kPublished, kUnpublished };

std::string_view status_name(Status status);
std::optional<Status> parse_status(std::string_view name);

struct Section {
  std::string slug;  // "world"
  std::string name;  // "World"
  int menu_order = 0;
};

struct Author {
  std::string slug;  // "mara-lindqvist"
  std::string name;  // "Mara Lindqvist"
};

struct Tag {
  std::string slug;  // "artificial-intelligence"
  std::string name;  // "Artificial Intelligence"
};

// A hero image as the article refers to it; the bytes live in the ImageStore.
struct ImageRef {
  std::string name;  // stored file name, unique: "harbour-cranes.svg"
  std::string alt;
  std::string caption;
  std::string credit;
  int width = 0;
  int height = 0;
  bool empty() const { return name.empty(); }
};

struct Article {
  std::int64_t id = 0;  // 0 until stored
  std::string slug;
  std::string section;  // the section's slug
  std::string kicker;
  std::string headline;
  std::string deck;
  std::string dateline;
  std::string byline;  // as printed: "Mara Lindqvist and Kenji Aoyama"
  std::vector<Author> authors;
  std::vector<Tag> tags;
  ImageRef image;
  Status status = Status::kDraft;
  std::optional<base::TimePoint> published_at;
  base::TimePoint updated_at{};
  bool free = false;
  std::string sponsored_by;  // empty: editorial
  std::string language;      // BCP 47 ("en", "ja-JP"); empty: the site's content language
  std::string body_markdown;

  bool sponsored() const { return !sponsored_by.empty(); }
  bool is_visible(base::TimePoint now) const;
};

// Authors named in a byline: "A", "A and B", "A, B and C".
std::vector<Author> authors_from_byline(std::string_view byline);

}  // namespace masthead::content
