// Runs the MeterStore conformance suite against SQLite (a fresh file per test
// in a temporary directory), plus what only SQLite can be asked: migration 2
// over a version-1 file, meter writes that leave content_version (the page
// cache) alone and never block deleting an article, meter views that survive
// closing the file and a kill -9 of the writing process, and the key
// rotation of SqliteSecrets. The per-call costs are printed by
// sqlite_meter_store_timing_test.cpp, a binary of its own (label `timing`).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "base/iso_time.h"
#include "base/testing/temp_dir.h"
#include "paywall/testing/meter_store_conformance.h"
#include "store/sqlite/sqlite_article_store.h"
#include "store/sqlite/sqlite_meter_store.h"
#include "store/sqlite/sqlite_secrets.h"

namespace masthead::store::sqlite {
namespace {

// One fresh directory per test process (see base/testing/temp_dir.h).
const std::filesystem::path& fresh_dir() {
  static const std::filesystem::path dir = base::testing::fresh_temp_dir("masthead-store-test");
  return dir;
}

using paywall::MeterState;
using paywall::Period;

std::string temp_db_path() {
  static std::atomic<int> counter{0};
  auto dir = fresh_dir();
  std::filesystem::create_directories(dir);
  return (dir / ("meter" + std::to_string(counter++) + ".sqlite")).string();
}

std::unique_ptr<paywall::MeterStore> make_sqlite_meter_store() {
  return std::make_unique<SqliteMeterStore>(Database::open(temp_db_path(), true));
}

using paywall::testing::MeterStoreConformance;
INSTANTIATE_TEST_SUITE_P(Sqlite, MeterStoreConformance, ::testing::Values(&make_sqlite_meter_store),
                         [](const auto&) { return std::string("Store"); });

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

const Period kNovember{at("2026-11-01T00:00:00Z"), at("2026-12-01T00:00:00Z"), "2026-11"};

std::int64_t count_rows(Database& db, const char* sql) {
  return db.with_connection([&](Connection& c) {
    Statement s = c.prepare(sql);
    s.step();
    return s.int64(0);
  });
}

TEST(SqliteMeterStore, ViewsSurviveClosingAndReopeningTheFile) {
  const std::string path = temp_db_path();
  {
    SqliteMeterStore meters(Database::open(path, true));
    for (int i = 0; i < 3; ++i) meters.record_view("anon:a", kNovember, i, 5);
    meters.add_network_view("net:a", kNovember);
  }
  SqliteMeterStore meters(Database::open(path, false));
  EXPECT_EQ(meters.state("anon:a", kNovember.key, 2), (MeterState{3, true}));
  EXPECT_EQ(meters.network_views("net:a", kNovember.key), 1);
}

// synchronous=NORMAL must still survive the death of the process: the child
// records and is killed with SIGKILL before it closes anything.
TEST(SqliteMeterStore, ViewsSurviveKillNineOfTheWriter) {
  const std::string path = temp_db_path();
  Database::open(path, true);
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    // Only connections opened after the fork are used here.
    SqliteMeterStore meters(Database::open(path, false));
    for (int i = 0; i < 3; ++i) meters.record_view("anon:a", kNovember, i, 5);
    meters.add_network_view("net:a", kNovember);
    ::kill(::getpid(), SIGKILL);
    ::_exit(1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  SqliteMeterStore meters(Database::open(path, false));
  EXPECT_EQ(meters.state("anon:a", kNovember.key, 2), (MeterState{3, true}));
  EXPECT_EQ(meters.network_views("net:a", kNovember.key), 1);
}

TEST(SqliteMeterStore, MeterWritesLeaveTheContentVersionAndThePoolAlone) {
  auto db = Database::open(temp_db_path(), true);
  SqliteArticleStore articles(db);
  SqliteMeterStore meters(db);
  SqliteSecrets secrets(db);
  articles.put_section({"world", "World", 1});
  const std::int64_t version = articles.content_version();
  meters.record_view("anon:a", kNovember, 1, 5);
  meters.add_network_view("net:a", kNovember);
  meters.purge_ended(kNovember.end);
  secrets.rotate("reader-token", "k", kNovember.start, std::chrono::hours(1));
  EXPECT_EQ(articles.content_version(), version);
  // Only the meter store's own writer is relaxed; pooled connections stay FULL.
  db->with_connection([](Connection& c) {
    Statement sync = c.prepare("PRAGMA synchronous");
    sync.step();
    EXPECT_EQ(sync.int64(0), 2) << "FULL";
  });
}

TEST(SqliteMeterStore, MetersNeverBlockDeletingAnArticle) {
  auto db = Database::open(temp_db_path(), true);
  SqliteArticleStore articles(db);
  SqliteMeterStore meters(db);
  articles.put_section({"world", "World", 1});
  content::Article a;
  a.slug = "story";
  a.section = "world";
  a.headline = "Story";
  a.status = content::Status::kPublished;
  a.published_at = kNovember.start;
  a.updated_at = kNovember.start;
  a.body_markdown = "Text.\n";
  const std::int64_t id = articles.put_article(a);
  meters.record_view("anon:a", kNovember, id, 5);
  db->with_connection([&](Connection& c) {
    EXPECT_NO_THROW(c.prepare("DELETE FROM articles WHERE id = ?1").bind(1, id).run());
  });
  EXPECT_FALSE(articles.article_by_slug("story"));
  EXPECT_EQ(meters.state("anon:a", kNovember.key, id), (MeterState{1, true}));
  EXPECT_EQ(meters.purge_ended(kNovember.end), 1);
}

TEST(SqliteMeterStore, PurgeWorksThroughMoreRowsThanOneBatch) {
  auto db = Database::open(temp_db_path(), true);
  SqliteMeterStore meters(db);
  const Period october{at("2026-10-01T00:00:00Z"), kNovember.start, "2026-10"};
  constexpr int kRows = 25000;  // two and a half batches
  db->with_connection([&](Connection& c) {
    Transaction tx(c);
    for (int i = 0; i < kRows; ++i) {
      c.prepare("INSERT INTO meter_views VALUES (?1, ?2, ?3, ?4)")
          .bind(1, "anon:" + std::to_string(i / 5))
          .bind(2, october.key)
          .bind(3, i % 5)
          .bind(4, base::to_unix_seconds(october.end))
          .run();
    }
    tx.commit();
  });
  meters.record_view("anon:kept", kNovember, 1, 5);
  EXPECT_EQ(meters.purge_ended(kNovember.start), kRows);
  EXPECT_EQ(count_rows(*db, "SELECT count(*) FROM meter_views"), 1);
}

// A file written by the previous Masthead (schema 1, content only) gains the
// meter and key tables on open and keeps its articles.
TEST(SqliteMigrations, TwoAppliesOverAVersionOneFileAndKeepsArticles) {
  const std::string path = temp_db_path();
  {
    Connection c(path, true);
    migrate(c, 1);
    c.exec(
        "INSERT INTO sections (slug, name) VALUES ('world', 'World');"
        "INSERT INTO articles (slug, section_id, headline, status, published_at, updated_at, "
        "body_markdown) VALUES ('old-story', 1, 'An old story', 'published', 1790000000, "
        "1790000000, 'Kept.');");
    Statement v = c.prepare("PRAGMA user_version");
    v.step();
    ASSERT_EQ(v.int64(0), 1);
  }
  auto db = Database::open(path, false);
  EXPECT_EQ(db->schema_version(), latest_schema_version()) << "every later migration applies";
  EXPECT_GE(latest_schema_version(), 2);
  SqliteArticleStore articles(db);
  auto story = articles.article_by_slug("old-story");
  ASSERT_TRUE(story);
  EXPECT_EQ(story->headline, "An old story");
  EXPECT_EQ(story->body_markdown, "Kept.");
  SqliteMeterStore meters(db);
  EXPECT_EQ(meters.record_view("anon:a", kNovember, story->id, 5), (MeterState{0, false}));
  EXPECT_EQ(SqliteSecrets(db).rotate("reader-token", "k", kNovember.start, {}).id, 1);
  // No content_version triggers on the new tables.
  EXPECT_EQ(count_rows(*db,
                       "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN "
                       "('meter_views', 'network_views', 'secrets')"),
            0);
}

TEST(SqliteSecrets, RotationRetiresAfterTheGraceAndThenDeletes) {
  auto db = Database::open(temp_db_path(), true);
  SqliteSecrets secrets(db);
  const base::TimePoint t0 = at("2026-11-01T00:00:00Z");
  const auto grace = std::chrono::hours(48);
  const std::string binary("\0\x01\xff key", 7);

  EXPECT_TRUE(secrets.keys("reader-token", t0).empty());
  const StoredKey first = secrets.rotate("reader-token", binary, t0, grace);
  EXPECT_EQ(first.id, 1);
  EXPECT_EQ(first.bytes, binary);
  EXPECT_EQ(first.created_at, t0);
  EXPECT_FALSE(first.retire_at);
  auto keys = secrets.keys("reader-token", t0);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].bytes, binary);
  EXPECT_FALSE(keys[0].retire_at);

  // The second key retires the first at t1 + grace; both verify until then.
  const base::TimePoint t1 = t0 + std::chrono::hours(24 * 30);
  const StoredKey second = secrets.rotate("reader-token", "second", t1, grace);
  EXPECT_EQ(second.id, 2);
  keys = secrets.keys("reader-token", t1);
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].id, 1);
  EXPECT_EQ(keys[0].retire_at, t1 + grace);
  EXPECT_EQ(keys[1].id, 2);
  EXPECT_FALSE(keys[1].retire_at);
  EXPECT_EQ(secrets.keys("reader-token", t1 + grace - std::chrono::seconds(1)).size(), 2u);
  keys = secrets.keys("reader-token", t1 + grace);
  ASSERT_EQ(keys.size(), 1u) << "retired at now: no longer verifies";
  EXPECT_EQ(keys[0].id, 2);

  // Other purposes are separate.
  EXPECT_TRUE(secrets.keys("session", t1).empty());
  EXPECT_EQ(secrets.rotate("session", "s", t1, grace).id, 3);
  EXPECT_EQ(secrets.keys("reader-token", t1).size(), 2u);

  // The third rotation, after the grace, deletes the first key for good.
  const base::TimePoint t2 = t1 + grace;
  const StoredKey third = secrets.rotate("reader-token", "third", t2, grace);
  EXPECT_EQ(third.id, 4);
  keys = secrets.keys("reader-token", t2);
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].id, 2);
  EXPECT_EQ(keys[0].retire_at, t2 + grace);
  EXPECT_EQ(keys[1].id, 4);
  EXPECT_EQ(count_rows(*db, "SELECT count(*) FROM secrets WHERE id = 1"), 0);
  EXPECT_EQ(count_rows(*db, "SELECT count(*) FROM secrets"), 3);
}

TEST(SqliteSecrets, TimesAreWholeSecondsAsStored) {
  SqliteSecrets secrets(Database::open(temp_db_path(), true));
  const base::TimePoint now = at("2026-11-01T00:00:00Z") + std::chrono::milliseconds(750);
  const StoredKey key = secrets.rotate("p", "k", now, std::chrono::seconds(10));
  EXPECT_EQ(key.created_at, at("2026-11-01T00:00:00Z"));
  EXPECT_EQ(secrets.keys("p", now)[0].created_at, key.created_at);
}

// Without the background checkpoint the WAL would only grow while meters are
// written (the writer's automatic checkpoint is off): 8000 views on distinct
// pages are over 60 MB of WAL frames.
TEST(SqliteMeterStore, TheBackgroundCheckpointKeepsTheWalSmall) {
  const std::string path = temp_db_path();
  SqliteMeterStore meters(Database::open(path, true));
  for (int i = 0; i < 8000; ++i)
    meters.record_view("anon:" + std::to_string(i * 2654435761u), kNovember, i, 5);
  EXPECT_LT(std::filesystem::file_size(path + "-wal"), 32u << 20);
}

}  // namespace
}  // namespace masthead::store::sqlite
