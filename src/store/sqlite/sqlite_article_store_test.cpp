// Runs the ArticleStore conformance suite against SQLite (a fresh file per
// test in a temporary directory), plus SQLite-only checks: migrations,
// durability pragmas and refusing a database from the future.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

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
