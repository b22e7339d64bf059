// Runs the ArticleStore conformance suite against SQLite (a fresh file per
// test in a temporary directory), plus SQLite-only checks: migrations,
// durability pragmas and refusing a database from the future.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "base/iso_time.h"
#include "base/testing/temp_dir.h"
#include "content/testing/article_store_conformance.h"
#include "store/sqlite/sqlite_article_store.h"

namespace masthead::store::sqlite {
namespace {

// One fresh directory per test process (see base/testing/temp_dir.h).
const std::filesystem::path& fresh_dir() {
  static const std::filesystem::path dir = base::testing::fresh_temp_dir("masthead-store-test");
  return dir;
}

std::string temp_db_path() {
  static std::atomic<int> counter{0};
  auto dir = fresh_dir();
  std::filesystem::create_directories(dir);
  return (dir / ("db" + std::to_string(counter++) + ".sqlite")).string();
}

std::unique_ptr<content::ArticleStore> make_sqlite_store() {
  return std::make_unique<SqliteArticleStore>(Database::open(temp_db_path(), true));
}

using content::testing::ArticleStoreConformance;
INSTANTIATE_TEST_SUITE_P(Sqlite, ArticleStoreConformance, ::testing::Values(&make_sqlite_store),
                         [](const auto&) { return std::string("Store"); });

TEST(SqliteDatabase, MigratesAndSetsDurabilityPragmas) {
  auto db = Database::open(temp_db_path(), true);
  EXPECT_EQ(db->schema_version(), latest_schema_version());
  db->with_connection([](Connection& c) {
    Statement mode = c.prepare("PRAGMA journal_mode");
    mode.step();
    EXPECT_EQ(mode.text(0), "wal");
    Statement sync = c.prepare("PRAGMA synchronous");
    sync.step();
    EXPECT_EQ(sync.int64(0), 2) << "FULL";
    Statement fk = c.prepare("PRAGMA foreign_keys");
    fk.step();
    EXPECT_EQ(fk.int64(0), 1);
  });
}

TEST(SqliteDatabase, RefusesMissingFileUnlessCreating) {
  EXPECT_THROW(Database::open("/nonexistent-dir/x.db", false), SqliteError);
  EXPECT_THROW(Database::open(temp_db_path(), false), SqliteError);
}

// A file written before articles had a language (schema 5) keeps its
// articles; they read as written in the site's content language ("").
TEST(SqliteMigrations, SixAddsTheArticleLanguageAndKeepsArticles) {
  const std::string path = temp_db_path();
  {
    Connection c(path, true);
    migrate(c, 5);
    c.exec(
        "INSERT INTO sections (slug, name) VALUES ('world', 'World');"
        "INSERT INTO articles (slug, section_id, headline, status, published_at, updated_at, "
        "body_markdown) VALUES ('old-story', 1, 'Old', 'published', 1796083200, 1796083200, "
        "'Body.');");
  }
  auto db = Database::open(path, false);
  EXPECT_EQ(db->schema_version(), latest_schema_version());
  SqliteArticleStore store(db);
  auto old = store.article_by_slug("old-story");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->headline, "Old");
  EXPECT_EQ(old->language, "");
  old->language = "en";
  store.put_article(*old);
  EXPECT_EQ(store.article_by_slug("old-story")->language, "en");
}

content::SearchResults public_search(const SqliteArticleStore& store, std::string_view q) {
  return store.search(q, content::SearchScope::kPublicOnly, {}, base::from_unix_seconds(1900000000),
                      0, 10);
}

// Migration 7 replaces the single search index with the public and the full
// one; the store builds them from the articles already in the file, and
// rebuilds the public one when the paywall's lead-in changes.
TEST(SqliteMigrations, SevenIndexesExistingArticlesAndFollowsTheLeadIn) {
  const std::string path = temp_db_path();
  {
    Connection c(path, true);
    migrate(c, 6);
    c.exec(
        "INSERT INTO sections (slug, name) VALUES ('world', 'World');"
        "INSERT INTO articles (slug, section_id, headline, status, published_at, updated_at, "
        "body_markdown) VALUES ('old-story', 1, 'Old', 'published', 1796083200, 1796083200, "
        "'Lead about tides.\n\nSecond about moorings.\n\nThird about anchors.');");
  }
  auto db = Database::open(path, false);
  {
    SqliteArticleStore store(db);  // a new index: the default lead-in, one paragraph
    EXPECT_EQ(public_search(store, "tides").total, 1);
    EXPECT_EQ(public_search(store, "moorings").total, 0);
  }
  {
    SqliteArticleStore store(db, 2);
    EXPECT_EQ(public_search(store, "moorings").total, 1);
    EXPECT_EQ(public_search(store, "anchors").total, 0);
  }
  {
    SqliteArticleStore store(db);  // the CLI's store keeps the file's lead-in
    EXPECT_EQ(public_search(store, "moorings").total, 1);
  }
  SqliteArticleStore store(db, 0);
  EXPECT_EQ(public_search(store, "tides").total, 0);
  EXPECT_EQ(public_search(store, "old").total, 1) << "the headline is always public";
  EXPECT_EQ(store
                .search("anchors", content::SearchScope::kEverything, {},
                        base::from_unix_seconds(1900000000), 0, 10)
                .total,
            1);
}

TEST(SqliteDatabase, RefusesASchemaFromTheFuture) {
  std::string path = temp_db_path();
  Database::open(path, true)->with_connection([](Connection& c) {
    c.exec("PRAGMA user_version = 999");
  });
  try {
    Database::open(path, false);
    FAIL() << "expected an error";
  } catch (const SqliteError& e) {
    EXPECT_NE(std::string(e.what()).find("newer than this Masthead"), std::string::npos);
  }
}

TEST(Fts5Query, QuotesEveryTerm) {
  EXPECT_EQ(fts5_query("rail strike"), "\"rail\" \"strike\"");
  EXPECT_EQ(fts5_query("say \"hi\""), "\"say\" \"\"\"hi\"\"\"");
  EXPECT_EQ(fts5_query("   "), "");
  EXPECT_EQ(fts5_query("a OR b*"), "\"a\" \"OR\" \"b*\"");
}

}  // namespace
}  // namespace masthead::store::sqlite
