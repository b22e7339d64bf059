// SqliteArticleStore: content::ArticleStore on an SQLite file.
//
// Reader queries are single statements over indexed columns; writes are one
// BEGIN IMMEDIATE transaction each (article row, author and tag links, the
// full-text row), so a reader never sees half an article and a crash leaves
// either the old or the new version.
//
// Full-text search is FTS5 over two tables of (headline, deck, body):
// search_public holds what everyone may see (the body cut to the lead-in of
// `lead_in_paragraphs` paragraphs for a metered article, whole for free and
// sponsored ones), search_full the whole text; a public-only search never
// reads search_full, so the withheld text cannot match nor be snippeted.
// Ranking is bm25 with the headline weighted above the deck above the body.
// When the file's public index was cut with another lead-in (a new file, or
// the paywall's lead_in_paragraphs changed), the constructor rebuilds both
// indexes in one transaction. User input is quoted term by term so that
// FTS5's query syntax cannot be injected.
#pragma once

#include <memory>
#include <optional>

#include "content/article_store.h"
#include "store/sqlite/database.h"

namespace masthead::store::sqlite {

class SqliteArticleStore final : public content::ArticleStore {
 public:
  // `lead_in_paragraphs`: the paywall's, what a metered article shows
  // everyone (paywall.lead_in_paragraphs); the server gives it. Without it
  // (the CLI's commands) the store keeps the one the file's index was last
  // built with, or 1 for a new file.
  explicit SqliteArticleStore(std::shared_ptr<Database> db,
                              std::optional<int> lead_in_paragraphs = std::nullopt);

  void put_section(const content::Section& section) override;
  std::vector<content::Section> sections() const override;
  std::int64_t put_article(const content::Article& article) override;
  std::optional<content::Article> article_by_slug(std::string_view slug) const override;
  content::ArticleList list_articles(const content::ArticleFilter& filter, base::TimePoint now,
                                     int offset, int limit) const override;
  std::vector<content::Article> related_articles(const content::Article& article,
                                                 base::TimePoint now, int limit) const override;
  content::SearchResults search(std::string_view query, content::SearchScope scope,
                                const content::SearchFilter& filter, base::TimePoint now,
                                int offset, int limit) const override;
  std::optional<content::Author> author_by_slug(std::string_view slug) const override;
  std::optional<content::Tag> tag_by_slug(std::string_view slug) const override;
  void put_image(const content::StoredImage& image) override;
  std::optional<content::StoredImage> image_by_name(std::string_view name) const override;
  std::optional<base::TimePoint> next_scheduled_after(base::TimePoint now) const override;
  std::int64_t content_version() const override;

 private:
  std::shared_ptr<Database> db_;
  int lead_in_paragraphs_;
};

// Turns reader input into an FTS5 query of quoted terms; empty if no terms.
std::string fts5_query(std::string_view input);

}  // namespace masthead::store::sqlite
