// See sqlite_article_store.h.
#include "store/sqlite/sqlite_article_store.h"

#include "base/iso_time.h"
#include "base/text.h"
#include "content/markdown.h"

namespace masthead::store::sqlite {
namespace {

using content::Article;

#define ARTICLE_COLUMNS                                                             \
  "a.id, a.slug, s.slug, a.kicker, a.headline, a.deck, a.dateline, a.byline, "      \
  "a.image_name, a.image_alt, a.image_caption, a.image_credit, i.width, i.height, " \
  "a.status, a.published_at, a.updated_at, a.free, a.sponsored_by, a.language "
#define ARTICLE_FROM                                         \
  " FROM articles a JOIN sections s ON s.id = a.section_id " \
  "LEFT JOIN images i ON i.name = a.image_name "
#define VISIBLE                                                  \
  " (a.published_at IS NOT NULL AND (a.status = 'published' OR " \
  "(a.status = 'scheduled' AND a.published_at <= ?1))) "
#define FILTER                                                                                \
  " (?2 = '' OR s.slug = ?2) AND (?3 = '' OR EXISTS (SELECT 1 FROM article_authors aa "       \
  "JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = a.id AND au.slug = ?3)) "    \
  "AND (?4 = '' OR EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id "    \
  "WHERE at.article_id = a.id AND t.slug = ?4)) AND (?5 < 0 OR (a.sponsored_by != '') = ?5) " \
  "AND (?6 = 0 OR" VISIBLE ") "

Article read_article(const Statement& s) {
  Article a;
  a.id = s.int64(0);
  a.slug = s.text(1);
  a.section = s.text(2);
  a.kicker = s.text(3);
  a.headline = s.text(4);
  a.deck = s.text(5);
  a.dateline = s.text(6);
  a.byline = s.text(7);
  a.image.name = s.text(8);
  a.image.alt = s.text(9);
  a.image.caption = s.text(10);
  a.image.credit = s.text(11);
  a.image.width = static_cast<int>(s.int64(12));
  a.image.height = static_cast<int>(s.int64(13));
  a.status = content::parse_status(s.text(14)).value_or(content::Status::kDraft);
  if (!s.is_null(15)) a.published_at = base::from_unix_seconds(s.int64(15));
  a.updated_at = base::from_unix_seconds(s.int64(16));
  a.free = s.int64(17) != 0;
  a.sponsored_by = s.text(18);
  a.language = s.text(19);
  return a;
}

void load_people_and_tags(Connection& c, Article& a) {
  {
    Statement s = c.prepare(
        "SELECT au.slug, au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id "
        "WHERE aa.article_id = ?1 ORDER BY aa.position");
    s.bind(1, a.id);
    while (s.step()) a.authors.push_back({s.text(0), s.text(1)});
  }
  Statement s = c.prepare(
      "SELECT t.slug, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id "
      "WHERE at.article_id = ?1 ORDER BY at.position");
  s.bind(1, a.id);
  while (s.step()) a.tags.push_back({s.text(0), s.text(1)});
}

std::vector<Article> read_all(Connection& c, Statement& s) {
  std::vector<Article> out;
  while (s.step()) out.push_back(read_article(s));
  for (Article& a : out) load_people_and_tags(c, a);
  return out;
}

int clamp_limit(int limit) {
  return limit < 0 ? 0 : (limit > 1000 ? 1000 : limit);
}
int clamp_offset(int offset) {
  return offset < 0 ? 0 : offset;
}

// Indexed text never holds the snippet markers, so a snippet's markers are
// the store's own.
std::string without_markers(std::string text) {
  std::erase_if(text, [](char ch) { return ch == content::kMarkStart || ch == content::kMarkEnd; });
  return text;
}

// Both index rows of an article, replacing the old ones.
void index_for_search(Connection& c, std::int64_t id, const Article& a, int lead_in_paragraphs) {
  content::RenderedBody body = content::render_markdown(a.body_markdown);
  bool metered = !a.free && a.sponsored_by.empty();
  std::string whole = without_markers(body.plain_text);
  std::string shown =
      metered ? without_markers(body.lead_in_plain_text(lead_in_paragraphs)) : whole;
  // The statements are cached per connection: their text is constant.
  c.prepare("DELETE FROM search_public WHERE rowid = ?1").bind(1, id).run();
  c.prepare("DELETE FROM search_full WHERE rowid = ?1").bind(1, id).run();
  std::string headline = without_markers(a.headline);
  std::string deck = without_markers(a.deck);
  c.prepare("INSERT INTO search_public (rowid, headline, deck, body) VALUES (?1, ?2, ?3, ?4)")
      .bind(1, id)
      .bind(2, headline)
      .bind(3, deck)
      .bind(4, shown)
      .run();
  c.prepare("INSERT INTO search_full (rowid, headline, deck, body) VALUES (?1, ?2, ?3, ?4)")
      .bind(1, id)
      .bind(2, headline)
      .bind(3, deck)
      .bind(4, whole)
      .run();
}

}  // namespace

std::string fts5_query(std::string_view input) {
  std::string query;
  int terms = 0;
  std::string term;
  auto flush = [&] {
    if (term.empty() || terms >= 12) {
      term.clear();
      return;
    }
    if (!query.empty()) query += ' ';
    query += '"';
    query += base::replace_all(term, "\"", "\"\"");
    query += '"';
    ++terms;
    term.clear();
  };
  for (char c : input.substr(0, 256)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
      flush();
    else if (static_cast<unsigned char>(c) >= 0x20)
      term += c;
  }
  flush();
  return query;
}

void SqliteArticleStore::put_section(const content::Section& section) {
  db_->with_connection([&](Connection& c) {
    Statement s = c.prepare(
        "INSERT INTO sections (slug, name, menu_order) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (slug) DO UPDATE SET name = excluded.name, menu_order = excluded.menu_order");
    s.bind(1, section.slug).bind(2, section.name).bind(3, section.menu_order).run();
  });
}

std::vector<content::Section> SqliteArticleStore::sections() const {
  return db_->with_connection([&](Connection& c) {
    std::vector<content::Section> out;
    Statement s =
        c.prepare("SELECT slug, name, menu_order FROM sections ORDER BY menu_order, name");
    while (s.step()) out.push_back({s.text(0), s.text(1), static_cast<int>(s.int64(2))});
    return out;
  });
}

SqliteArticleStore::SqliteArticleStore(std::shared_ptr<Database> db,
                                       std::optional<int> lead_in_paragraphs)
    : db_(std::move(db)), lead_in_paragraphs_(1) {
  db_->with_connection([&](Connection& c) {
    {
      Statement s = c.prepare("SELECT lead_in_paragraphs FROM search_index WHERE id = 1");
      std::int64_t built = s.step() ? s.int64(0) : -1;
      if (lead_in_paragraphs)
        lead_in_paragraphs_ = *lead_in_paragraphs < 0 ? 0 : *lead_in_paragraphs;
      else if (built >= 0)
        lead_in_paragraphs_ = static_cast<int>(built);
      if (built == lead_in_paragraphs_) return;
    }
    Transaction tx(c);
    {
      // Read again inside the write transaction: another process may have
      // rebuilt meanwhile.
      Statement s = c.prepare("SELECT lead_in_paragraphs FROM search_index WHERE id = 1");
      if (s.step() && s.int64(0) == lead_in_paragraphs_) return;
    }
    std::vector<Article> all;
    {
      Statement s = c.prepare(
          "SELECT a.id, a.headline, a.deck, a.free, a.sponsored_by, "
          "a.body_markdown FROM articles a");
      while (s.step()) {
        Article a;
        a.id = s.int64(0);
        a.headline = s.text(1);
        a.deck = s.text(2);
        a.free = s.int64(3) != 0;
        a.sponsored_by = s.text(4);
        a.body_markdown = s.text(5);
        all.push_back(std::move(a));
      }
    }
    for (const Article& a : all) index_for_search(c, a.id, a, lead_in_paragraphs_);
    c.prepare("UPDATE search_index SET lead_in_paragraphs = ?1 WHERE id = 1")
        .bind(1, lead_in_paragraphs_)
        .run();
    tx.commit();
  });
}

std::int64_t SqliteArticleStore::put_article(const Article& a) {
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    std::int64_t section_id;
    {
      Statement s = c.prepare("SELECT id FROM sections WHERE slug = ?1");
      s.bind(1, a.section);
      if (!s.step()) throw content::StoreError("there is no section '" + a.section + "'");
      section_id = s.int64(0);
    }
    if (!a.image.name.empty()) {
      Statement s = c.prepare("SELECT 1 FROM images WHERE name = ?1");
      s.bind(1, a.image.name);
      if (!s.step()) throw content::StoreError("there is no stored image '" + a.image.name + "'");
    }
    std::int64_t id;
    {
      Statement s = c.prepare(
          "INSERT INTO articles (slug, section_id, kicker, headline, deck, dateline, byline, "
          "image_name, image_alt, image_caption, image_credit, status, published_at, updated_at, "
          "free, sponsored_by, body_markdown, language) VALUES "
          "(?1, ?2, ?3, ?4, ?5, ?6, ?7, NULLIF(?8, ''), ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
          "?17, ?18) "
          "ON CONFLICT (slug) DO UPDATE SET section_id = excluded.section_id, "
          "kicker = excluded.kicker, headline = excluded.headline, deck = excluded.deck, "
          "dateline = excluded.dateline, byline = excluded.byline, image_name = "
          "excluded.image_name, "
          "image_alt = excluded.image_alt, image_caption = excluded.image_caption, "
          "image_credit = excluded.image_credit, status = excluded.status, "
          "published_at = excluded.published_at, updated_at = excluded.updated_at, "
          "free = excluded.free, sponsored_by = excluded.sponsored_by, "
          "body_markdown = excluded.body_markdown, language = excluded.language RETURNING id");
      std::optional<std::int64_t> published;
      if (a.published_at) published = base::to_unix_seconds(*a.published_at);
      s.bind(1, a.slug).bind(2, section_id).bind(3, a.kicker).bind(4, a.headline);
      s.bind(5, a.deck).bind(6, a.dateline).bind(7, a.byline).bind(8, a.image.name);
      s.bind(9, a.image.alt).bind(10, a.image.caption).bind(11, a.image.credit);
      s.bind(12, content::status_name(a.status)).bind(13, published);
      s.bind(14, base::to_unix_seconds(a.updated_at)).bind(15, a.free ? 1 : 0);
      s.bind(16, a.sponsored_by).bind(17, a.body_markdown).bind(18, a.language);
      s.step();
      id = s.int64(0);
    }
    c.prepare("DELETE FROM article_authors WHERE article_id = ?1").bind(1, id).run();
    c.prepare("DELETE FROM article_tags WHERE article_id = ?1").bind(1, id).run();
    int position = 0;
    for (const auto& author : a.authors) {
      Statement s = c.prepare(
          "INSERT INTO authors (slug, name) VALUES (?1, ?2) "
          "ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id");
      s.bind(1, author.slug).bind(2, author.name);
      s.step();
      std::int64_t author_id = s.int64(0);
      c.prepare(
           "INSERT OR IGNORE INTO article_authors (article_id, author_id, position) VALUES (?1, "
           "?2, ?3)")
          .bind(1, id)
          .bind(2, author_id)
          .bind(3, position++)
          .run();
    }
    position = 0;
    for (const auto& tag : a.tags) {
      Statement s = c.prepare(
          "INSERT INTO tags (slug, name) VALUES (?1, ?2) "
          "ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id");
      s.bind(1, tag.slug).bind(2, tag.name);
      s.step();
      std::int64_t tag_id = s.int64(0);
      c.prepare(
           "INSERT OR IGNORE INTO article_tags (article_id, tag_id, position) VALUES (?1, ?2, ?3)")
          .bind(1, id)
          .bind(2, tag_id)
          .bind(3, position++)
          .run();
    }
    index_for_search(c, id, a, lead_in_paragraphs_);
    tx.commit();
    return id;
  });
}

std::optional<Article> SqliteArticleStore::article_by_slug(std::string_view slug) const {
  return db_->with_connection([&](Connection& c) -> std::optional<Article> {
    Statement s =
        c.prepare("SELECT " ARTICLE_COLUMNS ", a.body_markdown" ARTICLE_FROM "WHERE a.slug = ?1");
    s.bind(1, slug);
    if (!s.step()) return std::nullopt;
    Article a = read_article(s);
    a.body_markdown = s.text(20);  // after ARTICLE_COLUMNS
    load_people_and_tags(c, a);
    return a;
  });
}

content::ArticleList SqliteArticleStore::list_articles(const content::ArticleFilter& f,
                                                       base::TimePoint now, int offset,
                                                       int limit) const {
  return db_->with_connection([&](Connection& c) {
    auto bind_filter = [&](Statement& s) {
      s.bind(1, base::to_unix_seconds(now)).bind(2, f.section).bind(3, f.author).bind(4, f.tag);
      s.bind(5, f.sponsored ? (*f.sponsored ? 1 : 0) : -1).bind(6, f.visible_only ? 1 : 0);
    };
    content::ArticleList list;
    {
      Statement s = c.prepare("SELECT COUNT(*)" ARTICLE_FROM "WHERE" FILTER);
      bind_filter(s);
      s.step();
      list.total = static_cast<int>(s.int64(0));
    }
    Statement s = c.prepare("SELECT " ARTICLE_COLUMNS ARTICLE_FROM "WHERE" FILTER
                            "ORDER BY COALESCE(a.published_at, a.updated_at) DESC, a.id DESC "
                            "LIMIT ?7 OFFSET ?8");
    bind_filter(s);
    s.bind(7, clamp_limit(limit)).bind(8, clamp_offset(offset));
    list.articles = read_all(c, s);
    return list;
  });
}

std::vector<Article> SqliteArticleStore::related_articles(const Article& article,
                                                          base::TimePoint now, int limit) const {
  return db_->with_connection([&](Connection& c) {
    Statement s = c.prepare(
        "SELECT " ARTICLE_COLUMNS
        ", (SELECT COUNT(*) FROM article_tags t1 JOIN article_tags t2 "
        "ON t1.tag_id = t2.tag_id WHERE t1.article_id = a.id AND t2.article_id = ?2) AS shared, "
        "(a.section_id = (SELECT section_id FROM articles WHERE id = ?2)) AS "
        "same_section" ARTICLE_FROM "WHERE" VISIBLE
        "AND a.id != ?2 AND a.sponsored_by = '' "
        "AND (shared > 0 OR same_section) "
        "ORDER BY shared DESC, same_section DESC, a.published_at DESC LIMIT ?3");
    s.bind(1, base::to_unix_seconds(now)).bind(2, article.id).bind(3, clamp_limit(limit));
    return read_all(c, s);
  });
}

// The statements of one scope; the table's name is ours, never the reader's.
#define SEARCH_FROM(T)                                                                  \
  " FROM " T " JOIN articles a ON a.id = " T                                            \
  ".rowid "                                                                             \
  "JOIN sections s ON s.id = a.section_id LEFT JOIN images i ON i.name = a.image_name " \
  "WHERE " T " MATCH ?2 AND" VISIBLE                                                    \
  "AND (?3 = '' OR s.slug = ?3) AND (?4 IS NULL OR a.published_at >= ?4) "              \
  "AND (?5 IS NULL OR a.published_at < ?5) "
#define SEARCH_COUNT(T) "SELECT COUNT(*)" SEARCH_FROM(T)
// Two snippets: the body's (column 2) and the deck's (column 1).
#define SEARCH_SNIPPETS(T)              \
  ", snippet(" T                        \
  ", 2, char(2), char(3), '…', 30), " \
  "snippet(" T ", 1, char(2), char(3), '…', 30)"
#define SEARCH_PAGE(T)                                                    \
  "SELECT " ARTICLE_COLUMNS SEARCH_SNIPPETS(T)                            \
      SEARCH_FROM(T) "ORDER BY bm25(" T                                   \
                     ", 10.0, 4.0, 1.0), a.published_at DESC, a.id DESC " \
                     "LIMIT ?6 OFFSET ?7"

content::SearchResults SqliteArticleStore::search(std::string_view query,
                                                  content::SearchScope scope,
                                                  const content::SearchFilter& filter,
                                                  base::TimePoint now, int offset,
                                                  int limit) const {
  std::string match = fts5_query(query);
  content::SearchResults results;
  if (match.empty()) return results;
  bool everything = scope == content::SearchScope::kEverything;
  return db_->with_connection([&](Connection& c) {
    auto bind = [&](Statement& s) {
      s.bind(1, base::to_unix_seconds(now)).bind(2, match).bind(3, filter.section);
      std::optional<std::int64_t> from, until;
      if (filter.from) from = base::to_unix_seconds(*filter.from);
      if (filter.until) until = base::to_unix_seconds(*filter.until);
      s.bind(4, from).bind(5, until);
    };
    {
      Statement s =
          c.prepare(everything ? SEARCH_COUNT("search_full") : SEARCH_COUNT("search_public"));
      bind(s);
      s.step();
      results.total = static_cast<int>(s.int64(0));
    }
    Statement s = c.prepare(everything ? SEARCH_PAGE("search_full") : SEARCH_PAGE("search_public"));
    bind(s);
    s.bind(6, clamp_limit(limit)).bind(7, clamp_offset(offset));
    // The body's snippet where the body matched, else the deck's (marked
    // where the deck matched): the card shows the headline already.
    while (s.step()) {
      std::string body = s.text(20);
      bool body_matched = body.find(content::kMarkStart) != std::string::npos;
      results.hits.push_back({read_article(s), body_matched ? body : s.text(21)});
    }
    for (auto& hit : results.hits) load_people_and_tags(c, hit.article);
    return results;
  });
}

std::optional<content::Author> SqliteArticleStore::author_by_slug(std::string_view slug) const {
  return db_->with_connection([&](Connection& c) -> std::optional<content::Author> {
    Statement s = c.prepare("SELECT slug, name FROM authors WHERE slug = ?1");
    s.bind(1, slug);
    if (!s.step()) return std::nullopt;
    return content::Author{s.text(0), s.text(1)};
  });
}

std::optional<content::Tag> SqliteArticleStore::tag_by_slug(std::string_view slug) const {
  return db_->with_connection([&](Connection& c) -> std::optional<content::Tag> {
    Statement s = c.prepare("SELECT slug, name FROM tags WHERE slug = ?1");
    s.bind(1, slug);
    if (!s.step()) return std::nullopt;
    return content::Tag{s.text(0), s.text(1)};
  });
}

void SqliteArticleStore::put_image(const content::StoredImage& image) {
  db_->with_connection([&](Connection& c) {
    Statement s = c.prepare(
        "INSERT INTO images (name, content_type, bytes, width, height) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (name) DO UPDATE SET content_type = excluded.content_type, "
        "bytes = excluded.bytes, width = excluded.width, height = excluded.height");
    s.bind(1, image.name).bind(2, image.content_type).bind_blob(3, image.bytes);
    s.bind(4, image.width).bind(5, image.height).run();
  });
}

std::optional<content::StoredImage> SqliteArticleStore::image_by_name(std::string_view name) const {
  return db_->with_connection([&](Connection& c) -> std::optional<content::StoredImage> {
    Statement s =
        c.prepare("SELECT name, content_type, bytes, width, height FROM images WHERE name = ?1");
    s.bind(1, name);
    if (!s.step()) return std::nullopt;
    return content::StoredImage{s.text(0), s.text(1), s.blob(2), static_cast<int>(s.int64(3)),
                                static_cast<int>(s.int64(4))};
  });
}

std::optional<base::TimePoint> SqliteArticleStore::next_scheduled_after(base::TimePoint now) const {
  return db_->with_connection([&](Connection& c) -> std::optional<base::TimePoint> {
    Statement s = c.prepare(
        "SELECT MIN(published_at) FROM articles WHERE status = 'scheduled' AND published_at > ?1");
    s.bind(1, base::to_unix_seconds(now));
    s.step();
    if (s.is_null(0)) return std::nullopt;
    return base::from_unix_seconds(s.int64(0));
  });
}

std::int64_t SqliteArticleStore::content_version() const {
  return db_->with_connection([](Connection& c) {
    Statement s = c.prepare("SELECT version FROM content_version WHERE id = 1");
    s.step();
    return s.int64(0);
  });
}

}  // namespace masthead::store::sqlite
