// Tests of SqliteMailOutbox (migration 5): enqueue validates and survives a
// kill -9 of the process that queued; due() answers oldest first, up to the
// limit, and leases (a second due() does not see the leased rows until the
// lease runs out); mark_failed() waits retry_delay() and gives up after
// max_attempts or at once for Retry::kNever; mark_sent() deletes. Then the
// whole chain with the real Courier, a scripted sender and a FakeClock:
// fail, back off, retry, deliver. A fresh file per test.
#include "store/sqlite/sqlite_mail_outbox.h"
#include "base/testing/temp_dir.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <filesystem>
#include <set>

#include "base/iso_time.h"
#include "mail/courier.h"

namespace masthead::store::sqlite {
namespace {

// One fresh directory per test process (see base/testing/temp_dir.h).
const std::filesystem::path& fresh_dir() {
  static const std::filesystem::path dir = base::testing::fresh_temp_dir("masthead-mail-test");
  return dir;
}

using namespace std::chrono_literals;
using mail::FailureOutcome;
using mail::Message;
using mail::Retry;

std::string temp_db_path() {
  static std::atomic<int> counter{0};
  auto dir = fresh_dir();
  std::filesystem::create_directories(dir);
  return (dir / ("outbox" + std::to_string(counter++) + ".sqlite")).string();
}

const base::TimePoint kT0 = *base::parse_iso8601("2026-11-18T07:30:00Z");

mail::RetryPolicy policy() {
  mail::RetryPolicy p;
  p.base_delay = 60s;
  p.max_delay = 3600s;
  p.max_attempts = 4;
  p.lease = 300s;
  return p;
}

Message msg(int i) {
  return {"reader" + std::to_string(i) + "@example.com", "Subject " + std::to_string(i),
          "Body " + std::to_string(i) + "\n"};
}

TEST(SqliteMailOutbox, EnqueueValidatesAndStores) {
  auto db = Database::open(temp_db_path(), true);
  SqliteMailOutbox outbox(db, policy());
  EXPECT_FALSE(outbox.enqueue({"reader@example.com\r\nBcc: x@example.com", "s", "b"}, kT0));
  EXPECT_FALSE(outbox.enqueue({"reader@example.com", "s\r\nBcc: x@example.com", "b"}, kT0));
  EXPECT_EQ(outbox.counts().queued, 0);

  auto id = outbox.enqueue({"reader@example.com", "Grüße", "Hallo ☕\n"}, kT0);
  ASSERT_TRUE(id) << id.error().message;
  auto row = outbox.find(id.value());
  ASSERT_TRUE(row);
  EXPECT_EQ(row->mail.message.to, "reader@example.com");
  EXPECT_EQ(row->mail.message.subject, "Grüße");
  EXPECT_EQ(row->mail.message.body, "Hallo ☕\n");
  EXPECT_EQ(row->mail.queued_at, kT0);
  EXPECT_EQ(row->state, "queued");
  EXPECT_EQ(row->next_attempt_at, kT0);
  EXPECT_EQ(row->mail.token.size(), 32u);
  // Tokens are unique.
  auto id2 = outbox.enqueue(msg(2), kT0);
  ASSERT_TRUE(id2);
  EXPECT_NE(outbox.find(id2.value())->mail.token, row->mail.token);
}

TEST(SqliteMailOutbox, EnqueuedMailSurvivesKillNine) {
  const std::string path = temp_db_path();
  Database::open(path, true);
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    SqliteMailOutbox outbox(Database::open(path, false), policy());
    for (int i = 0; i < 3; ++i)
      if (!outbox.enqueue(msg(i), kT0)) ::_exit(2);
    ::kill(::getpid(), SIGKILL);
    ::_exit(1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  SqliteMailOutbox outbox(Database::open(path, false), policy());
  auto due = outbox.due(kT0, 10);
  ASSERT_EQ(due.size(), 3u);
  EXPECT_EQ(due[0].message.to, "reader0@example.com");
}

TEST(SqliteMailOutbox, DueIsOldestFirstLimitedAndLeased) {
  auto db = Database::open(temp_db_path(), true);
  SqliteMailOutbox outbox(db, policy());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(outbox.enqueue(msg(i), kT0 + std::chrono::seconds(i)));
  // Not yet due: queued in the future relative to `now`.
  EXPECT_EQ(outbox.due(kT0 - 1s, 10).size(), 0u);
  auto first = outbox.due(kT0 + 10s, 2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].message.to, "reader0@example.com");
  EXPECT_EQ(first[1].message.to, "reader1@example.com");
  // Leased: a second courier gets the others, never the same rows.
  auto second = outbox.due(kT0 + 10s, 10);
  ASSERT_EQ(second.size(), 3u);
  EXPECT_EQ(second[0].message.to, "reader2@example.com");
  EXPECT_EQ(outbox.due(kT0 + 10s, 10).size(), 0u);
  // A courier that died: its rows come back when the lease runs out.
  EXPECT_EQ(outbox.due(kT0 + 10s + 299s, 10).size(), 0u);
  EXPECT_EQ(outbox.due(kT0 + 10s + 300s, 10).size(), 5u);
}

TEST(SqliteMailOutbox, FailuresBackOffExponentiallyThenGiveUp) {
  auto db = Database::open(temp_db_path(), true);
  SqliteMailOutbox outbox(db, policy());
  const std::int64_t id = outbox.enqueue(msg(1), kT0).value();
  base::TimePoint now = kT0;
  const std::chrono::seconds waits[] = {60s, 120s, 240s};
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto due = outbox.due(now, 10);
    ASSERT_EQ(due.size(), 1u) << "attempt " << attempt;
    EXPECT_EQ(due[0].attempts, attempt - 1);
    EXPECT_EQ(outbox.mark_failed(id, now, "connection refused " + std::to_string(attempt)),
              FailureOutcome::kWillRetry);
    auto row = outbox.find(id);
    EXPECT_EQ(row->next_attempt_at, now + waits[attempt - 1]);
    EXPECT_EQ(row->last_error, "connection refused " + std::to_string(attempt));
    EXPECT_EQ(outbox.due(now + waits[attempt - 1] - 1s, 10).size(), 0u);
    now += waits[attempt - 1];
  }
  ASSERT_EQ(outbox.due(now, 10).size(), 1u);
  // The fourth failure reaches max_attempts (4): given up, kept for the operator.
  EXPECT_EQ(outbox.mark_failed(id, now, "still refused"), FailureOutcome::kGivenUp);
  auto row = outbox.find(id);
  EXPECT_EQ(row->state, "failed");
  EXPECT_EQ(row->mail.attempts, 4);
  EXPECT_EQ(outbox.due(now + 1000h, 10).size(), 0u);
  EXPECT_EQ(outbox.counts().failed, 1);
  EXPECT_EQ(outbox.counts().queued, 0);
  // Marking a given-up row again changes nothing.
  EXPECT_EQ(outbox.mark_failed(id, now, "again"), FailureOutcome::kGivenUp);
  EXPECT_EQ(outbox.find(id)->mail.attempts, 4);
}

TEST(SqliteMailOutbox, PermanentFailuresAreGivenUpAtOnceAndErrorsTruncated) {
  auto db = Database::open(temp_db_path(), true);
  SqliteMailOutbox outbox(db, policy());
  const std::int64_t id = outbox.enqueue(msg(1), kT0).value();
  ASSERT_EQ(outbox.due(kT0, 1).size(), 1u);
  std::string long_error(600, 'x');
  for (int i = 0; i < 300; ++i) long_error += "é";
  EXPECT_EQ(outbox.mark_failed(id, kT0, long_error, Retry::kNever), FailureOutcome::kGivenUp);
  auto row = outbox.find(id);
  EXPECT_EQ(row->state, "failed");
  EXPECT_LE(row->last_error.size(), 1000u);
  EXPECT_GE(row->last_error.size(), 999u);
  EXPECT_EQ(row->last_error.back() & 0xff, 0xa9) << "cut on a UTF-8 boundary";
}

TEST(SqliteMailOutbox, SentMailIsDeleted) {
  auto db = Database::open(temp_db_path(), true);
  SqliteMailOutbox outbox(db, policy());
  const std::int64_t id = outbox.enqueue(msg(1), kT0).value();
  ASSERT_EQ(outbox.due(kT0, 1).size(), 1u);
  outbox.mark_sent(id);
  EXPECT_FALSE(outbox.find(id));
  EXPECT_EQ(outbox.counts().queued, 0);
  // mark_failed after another courier sent it: nothing to retry.
  EXPECT_EQ(outbox.mark_failed(id, kT0, "late"), FailureOutcome::kGivenUp);
}

// A sender that fails the first `failures` sends, then delivers; records tokens.
class FlakySender : public mail::Sender {
 public:
  explicit FlakySender(int failures) : failures_(failures) {}
  mail::SendOutcome send(const mail::QueuedMail& m) override {
    std::lock_guard lock(mutex_);
    tokens_.push_back(m.token);
    if (failures_-- > 0) return mail::SendOutcome::transient("421 try later");
    return mail::SendOutcome::sent();
  }
  std::vector<std::string> tokens() {
    std::lock_guard lock(mutex_);
    return tokens_;
  }

 private:
  std::mutex mutex_;
  int failures_;
  std::vector<std::string> tokens_;
};

TEST(SqliteMailOutbox, CourierRetriesWithBackoffUntilDelivered) {
  auto db = Database::open(temp_db_path(), true);
  SqliteMailOutbox outbox(db, policy());
  FlakySender sender(2);
  base::FakeClock clock(kT0);
  mail::CourierOptions options;
  options.poll_interval = 1h;  // only notify() wakes it in this test
  mail::Courier courier(outbox, sender, clock, options);
  const std::int64_t id = outbox.enqueue(msg(1), clock.now()).value();
  courier.notify();
  ASSERT_TRUE(courier.wait_for([](const auto& c) { return c.retried == 1; }, 5s));
  EXPECT_EQ(outbox.find(id)->next_attempt_at, kT0 + 60s);

  clock.advance(59s);  // not yet
  EXPECT_EQ(courier.drain_once(), 0u);
  clock.advance(1s);
  courier.notify();
  ASSERT_TRUE(courier.wait_for([](const auto& c) { return c.retried == 2; }, 5s));
  EXPECT_EQ(outbox.find(id)->next_attempt_at, kT0 + 60s + 120s);

  clock.advance(120s);
  courier.notify();
  ASSERT_TRUE(courier.wait_for([](const auto& c) { return c.sent == 1; }, 5s));
  EXPECT_FALSE(outbox.find(id)) << "a sent row is deleted";
  // Every attempt carried the same token, hence the same Message-ID.
  auto tokens = sender.tokens();
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(std::set<std::string>(tokens.begin(), tokens.end()).size(), 1u);
}

TEST(SqliteMailOutbox, MigrationFiveCreatesTheTable) {
  auto db = Database::open(temp_db_path(), true);
  EXPECT_GE(db->schema_version(), 5);
  const std::int64_t tables = db->with_connection([](Connection& c) {
    Statement s = c.prepare(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'mail_outbox'");
    s.step();
    return s.int64(0);
  });
  EXPECT_EQ(tables, 1);
}

}  // namespace
}  // namespace masthead::store::sqlite
