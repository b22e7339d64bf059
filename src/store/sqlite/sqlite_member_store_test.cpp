// Runs the MemberStore conformance suite against SQLite (a fresh file per
// test in a temporary directory), plus what only SQLite can be asked:
// migration 3 over a version-2 file keeps its meters and adds the member
// tables; accounts, sessions, tokens and failures survive closing the file
// and a kill -9 of the writing process; member writes go through
// synchronous=FULL connections and leave content_version (the page cache)
// alone.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>

#include "base/iso_time.h"
#include "base/testing/temp_dir.h"
#include "members/secret_text.h"
#include "members/session.h"
#include "members/testing/member_store_conformance.h"
#include "store/sqlite/sqlite_article_store.h"
#include "store/sqlite/sqlite_member_store.h"
#include "store/sqlite/sqlite_meter_store.h"

namespace masthead::store::sqlite {
namespace {

// One fresh directory per test process (see base/testing/temp_dir.h).
const std::filesystem::path& fresh_dir() {
  static const std::filesystem::path dir = base::testing::fresh_temp_dir("masthead-members-test");
  return dir;
}

using std::chrono::hours;

std::string temp_db_path() {
  static std::atomic<int> counter{0};
  auto dir = fresh_dir();
  std::filesystem::create_directories(dir);
  return (dir / ("members" + std::to_string(counter++) + ".sqlite")).string();
}

std::unique_ptr<members::MemberStore> make_sqlite_member_store() {
  return std::make_unique<SqliteMemberStore>(Database::open(temp_db_path(), true));
}

using members::testing::MemberStoreConformance;
INSTANTIATE_TEST_SUITE_P(Sqlite, MemberStoreConformance,
                         ::testing::Values(&make_sqlite_member_store),
                         [](const auto&) { return std::string("Store"); });

const base::TimePoint kNow = *base::parse_iso8601("2026-11-18T07:30:00Z");

std::int64_t count_rows(Database& db, const char* sql) {
  return db.with_connection([&](Connection& c) {
    Statement s = c.prepare(sql);
    s.step();
    return s.int64(0);
  });
}

// Writes one of everything for "a@example.com"; returns the session and token hashes.
struct Written {
  std::int64_t account_id;
  std::string session_hash;
  std::string token_hash;
};

Written write_everything(members::MemberStore& store) {
  const members::CreatedAccount a = store.create_account("a@example.com", "hash", kNow);
  EXPECT_EQ(a.outcome, members::AccountWrite::kDone);
  EXPECT_TRUE(store.confirm_email(a.account.id, kNow));
  const members::Session s = members::new_session(members::new_session_token(), a.account.id, kNow);
  EXPECT_TRUE(store.create_session(s));
  const members::EmailToken t{members::sha256_hex("t"),
                              members::TokenPurpose::kResetPassword,
                              a.account.id,
                              "",
                              kNow + hours(1),
                              std::nullopt};
  EXPECT_TRUE(store.add_email_token(t));
  store.record_login_failure("a@example.com", "192.0.2.1", kNow);
  return {a.account.id, s.token_hash, t.token_hash};
}

void expect_everything(const members::MemberStore& store, const Written& w) {
  const auto account = store.find_account_by_email("a@example.com");
  ASSERT_TRUE(account);
  EXPECT_EQ(account->id, w.account_id);
  EXPECT_EQ(account->email_confirmed_at, kNow);
  ASSERT_TRUE(store.find_session(w.session_hash));
  EXPECT_EQ(store.find_session(w.session_hash)->account_id, w.account_id);
  EXPECT_EQ(store.login_failures("a@example.com", "192.0.2.1", kNow),
            (members::FailureCounts{1, 1}));
}

TEST(SqliteMemberStore, EverythingSurvivesClosingAndReopeningTheFile) {
  const std::string path = temp_db_path();
  Written w;
  {
    SqliteMemberStore store(Database::open(path, true));
    w = write_everything(store);
  }
  SqliteMemberStore store(Database::open(path, false));
  expect_everything(store, w);
  EXPECT_TRUE(store.consume_email_token(members::TokenPurpose::kResetPassword, w.token_hash, kNow));
}

// A write that returned is on disk before the process can die: the child
// writes and is killed with SIGKILL before it closes anything.
TEST(SqliteMemberStore, EverythingSurvivesKillNineOfTheWriter) {
  const std::string path = temp_db_path();
  Database::open(path, true);
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    // Only connections opened after the fork are used here.
    SqliteMemberStore store(Database::open(path, false));
    const Written w = write_everything(store);
    const std::string line = std::to_string(w.account_id) + " " + w.session_hash;
    [[maybe_unused]] auto n = ::write(pipe_fds[1], line.data(), line.size());
    ::kill(::getpid(), SIGKILL);
    ::_exit(1);
  }
  ::close(pipe_fds[1]);
  char buffer[256] = {};
  const ssize_t got = ::read(pipe_fds[0], buffer, sizeof buffer - 1);
  ::close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  ASSERT_GT(got, 0);
  const std::string line(buffer, static_cast<std::size_t>(got));
  const std::size_t space = line.find(' ');
  ASSERT_NE(space, std::string::npos);
  Written w{std::stoll(line.substr(0, space)), line.substr(space + 1), members::sha256_hex("t")};
  SqliteMemberStore store(Database::open(path, false));
  expect_everything(store, w);
}

TEST(SqliteMemberStore, MemberWritesLeaveTheContentVersionAloneAndStayFull) {
  auto db = Database::open(temp_db_path(), true);
  SqliteArticleStore articles(db);
  SqliteMemberStore store(db);
  articles.put_section({"world", "World", 1});
  const std::int64_t version = articles.content_version();
  const Written w = write_everything(store);
  store.touch_session(w.session_hash, kNow + hours(1));
  store.delete_account(w.account_id);
  EXPECT_EQ(articles.content_version(), version);
  db->with_connection([](Connection& c) {
    Statement sync = c.prepare("PRAGMA synchronous");
    sync.step();
    EXPECT_EQ(sync.int64(0), 2) << "FULL";
  });
}

// A file written by the previous Masthead (schema 2: content, meters, keys)
// gains the member tables on open and keeps its meters.
TEST(SqliteMigrations, ThreeAppliesOverAVersionTwoFileAndKeepsMeters) {
  const std::string path = temp_db_path();
  {
    Connection c(path, true);
    migrate(c, 2);
    c.exec(
        "INSERT INTO meter_views (reader, period, article_id, period_end) "
        "VALUES ('anon:a', '2026-11', 7, 1796083200);");
    Statement v = c.prepare("PRAGMA user_version");
    v.step();
    ASSERT_EQ(v.int64(0), 2);
  }
  auto db = Database::open(path, false);
  EXPECT_EQ(db->schema_version(), latest_schema_version());
  EXPECT_EQ(count_rows(*db, "SELECT count(*) FROM meter_views"), 1);
  SqliteMemberStore store(db);
  const Written w = write_everything(store);
  expect_everything(store, w);
}

}  // namespace
}  // namespace masthead::store::sqlite
