// SqliteArticleStore: content::ArticleStore on an SQLite file.
//
// Reader queries are single statements over indexed columns; writes are one
// BEGIN IMMEDIATE transaction each (article row, author and tag links, the
// full-text row), so a reader never sees half an article and a crash leaves
// either the old or the new version. Full-text search uses FTS5 over the
// headline, deck and the body's plain text; user input is quoted term by term
// so that FTS5's query syntax cannot be injected.
#pragma once

#include <memory>

#include "content/article_store.h"
#include "store/sqlite/database.h"

namespace masthead::store::sqlite {

class SqliteArticleStore final : public content::ArticleStore {
 public:
  explicit SqliteArticleStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  void put_section(const content::Section& section) override;
  std::vector<content::Section> sections() const override;
  std::int64_t put_article(const content::Article& article) override;
  std::optional<content::Article> article_by_slug(std::string_view slug) const override;
  content::ArticleList list_articles(const content::ArticleFilter& filter, base::TimePoint now,
                                     int offset, int limit) const override;
  std::vector<content::Article> related_articles(const content::Article& article,
                                                 base::TimePoint now, int limit) const override;
  content::ArticleList search_articles(std::string_view query, base::TimePoint now, int offset,
                                       int limit) const override;
  std::optional<content::Author> author_by_slug(std::string_view slug) const override;
  std::optional<content::Tag> tag_by_slug(std::string_view slug) const override;
  void put_image(const content::StoredImage& image) override;
  std::optional<content::StoredImage> image_by_name(std::string_view name) const override;
  std::optional<base::TimePoint> next_scheduled_after(base::TimePoint now) const override;
  std::int64_t content_version() const override;

 private:
  std::shared_ptr<Database> db_;
};

// Turns reader input into an FTS5 query of quoted terms; empty if no terms.
std::string fts5_query(std::string_view input);

}  // namespace masthead::store::sqlite
