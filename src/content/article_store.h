// ArticleStore: where articles, sections, authors, tags and images live.
//
// The interface the site, the CLI and later the admin and the apps API use;
// store/sqlite implements it today and store/postgres will tomorrow, and both
// must pass the same conformance suite (content/testing/). Reader-facing
// queries take `now` and return only visible articles (published, or scheduled
// with published_at <= now), newest first; a list's articles carry everything
// but the body, which only article_by_slug loads.
//
// Search never goes past what the reader may see. A store indexes two texts
// of each article: its public text (headline, deck, and the lead-in of a
// metered article, or the whole body of a free or sponsored one: what the
// paywall shows everyone) and its whole text. A SearchScope::kPublicOnly
// search matches and snippets the public text only, so a word that only the
// withheld part holds finds nothing; kEverything is for entitled readers.
// How long the lead-in is comes from the paywall's policy and is the store's
// to know (given when the store is made).
//
// content_version() changes whenever anything stored here changes, in this
// process or another one (the CLI may add an article while the server runs),
// so caches of rendered pages can tell when they are stale.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "content/article.h"

namespace masthead::content {

// A stored write that broke a rule the caller could not check (unknown
// section, slug taken by an image, ...). The message is for people.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ArticleFilter {
  std::string section;            // a section slug, or empty for all
  std::string author;             // an author slug, or empty
  std::string tag;                // a tag slug, or empty
  std::optional<bool> sponsored;  // only sponsored / only editorial / both
  bool visible_only = true;       // false: every status (newsroom lists)
};

struct ArticleList {
  std::vector<Article> articles;  // bodies not loaded
  int total = 0;                  // matching articles, ignoring offset/limit
};

enum class SearchScope { kPublicOnly, kEverything };

struct SearchFilter {
  std::string section;                   // a section slug, or empty for all
  std::optional<base::TimePoint> from;   // published at or after
  std::optional<base::TimePoint> until;  // published before
};

// A snippet is plain stored text, never HTML: the matched terms are between
// kMarkStart and kMarkEnd (control characters indexed text never holds), and
// cut text is "…". Escape it first, then turn the markers into <mark>.
inline constexpr char kMarkStart = '\x02';
inline constexpr char kMarkEnd = '\x03';

struct SearchHit {
  Article article;  // body not loaded
  std::string snippet;
};

struct SearchResults {
  std::vector<SearchHit> hits;  // best first (headline above deck above body)
  int total = 0;                // matching articles, ignoring offset/limit
};

struct StoredImage {
  std::string name;          // unique file name, e.g. "harbour-cranes.svg"
  std::string content_type;  // "image/svg+xml"
  std::string bytes;
  int width = 0;
  int height = 0;
};

class ArticleStore {
 public:
  virtual ~ArticleStore() = default;

  // Sections, in menu order. put_section inserts or updates by slug.
  virtual void put_section(const Section& section) = 0;
  virtual std::vector<Section> sections() const = 0;

  // Inserts or updates by slug, replacing authors and tags; returns the id.
  // The section must exist and the hero image (if named) must be stored.
  // Stores updated_at as given. Throws StoreError otherwise.
  virtual std::int64_t put_article(const Article& article) = 0;
  // Any status; the caller decides whether a reader may see it.
  virtual std::optional<Article> article_by_slug(std::string_view slug) const = 0;
  virtual ArticleList list_articles(const ArticleFilter& filter, base::TimePoint now, int offset,
                                    int limit) const = 0;
  // Visible articles sharing tags or the section with `article`, most shared
  // tags first, then newest; never the article itself or sponsored content.
  virtual std::vector<Article> related_articles(const Article& article, base::TimePoint now,
                                                int limit) const = 0;
  // Visible articles matching a full-text query (words, all required; any
  // query syntax is taken as words), in `scope`, ranked, with a snippet of
  // about 30 words of the text in scope: of the body where the body
  // matched, else of the deck.
  virtual SearchResults search(std::string_view query, SearchScope scope,
                               const SearchFilter& filter, base::TimePoint now, int offset,
                               int limit) const = 0;

  virtual std::optional<Author> author_by_slug(std::string_view slug) const = 0;
  virtual std::optional<Tag> tag_by_slug(std::string_view slug) const = 0;

  virtual void put_image(const StoredImage& image) = 0;
  virtual std::optional<StoredImage> image_by_name(std::string_view name) const = 0;

  // The earliest published_at of a scheduled article still in the future.
  virtual std::optional<base::TimePoint> next_scheduled_after(base::TimePoint now) const = 0;
  virtual std::int64_t content_version() const = 0;
};

}  // namespace masthead::content
