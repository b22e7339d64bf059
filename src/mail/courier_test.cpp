// Tests of the Courier with an in-memory outbox and a scripted sender: what
// it marks after each kind of outcome, that notify() wakes it at once (the
// poll interval is set to an hour, so only notify can explain a prompt
// send), that an outbox that throws does not kill the thread, and that a
// stop mid-batch loses none of the rest. Nothing sleeps: the tests wait on
// the courier's counts or the scripted sender, each with a generous bound. The SQLite outbox
// with this courier and a fake clock is tested in
// store/sqlite/sqlite_mail_outbox_test.cpp.
#include "mail/courier.h"

#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>

namespace masthead::mail {
namespace {

using namespace std::chrono_literals;

// Keeps rows in a map; due() hands out queued rows whose time has come and
// leases them; records every mark.
class MemoryOutbox : public Outbox {
 public:
  base::Result<std::int64_t> enqueue(const Message& m, base::TimePoint now) override {
    std::lock_guard lock(mutex_);
    Row& r = rows_[++next_id_];
    r.mail = QueuedMail{next_id_, m, "token" + std::to_string(next_id_), now, 0};
    r.next = now;
    return next_id_;
  }
  std::vector<QueuedMail> due(base::TimePoint now, std::size_t limit) override {
    std::lock_guard lock(mutex_);
    if (throw_next_due_) {
      throw_next_due_ = false;
      throw std::runtime_error("database is locked");
    }
    std::vector<QueuedMail> out;
    for (auto& [id, r] : rows_) {
      if (out.size() == limit) break;
      if (r.state == "queued" && r.next <= now) {
        r.next = now + policy.lease;
        out.push_back(r.mail);
      }
    }
    return out;
  }
  void mark_sent(std::int64_t id) override {
    std::lock_guard lock(mutex_);
    rows_.erase(id);
    log_.push_back("sent " + std::to_string(id));
  }
  FailureOutcome mark_failed(std::int64_t id, base::TimePoint now, std::string_view error,
                             Retry retry) override {
    std::lock_guard lock(mutex_);
    Row& r = rows_.at(id);
    ++r.mail.attempts;
    const bool give_up = retry == Retry::kNever || r.mail.attempts >= policy.max_attempts;
    r.state = give_up ? "failed" : "queued";
    r.next = now + retry_delay(policy, r.mail.attempts);
    log_.push_back((give_up ? "gave up " : "retry ") + std::to_string(id) + ": " +
                   std::string(error));
    return give_up ? FailureOutcome::kGivenUp : FailureOutcome::kWillRetry;
  }
  std::vector<std::string> log() {
    std::lock_guard lock(mutex_);
    return log_;
  }
  std::size_t size() {
    std::lock_guard lock(mutex_);
    return rows_.size();
  }
  void throw_next_due() {
    std::lock_guard lock(mutex_);
    throw_next_due_ = true;
  }

  RetryPolicy policy;

 private:
  struct Row {
    QueuedMail mail;
    std::string state = "queued";
    base::TimePoint next;
  };
  std::mutex mutex_;
  std::map<std::int64_t, Row> rows_;
  std::int64_t next_id_ = 0;
  std::vector<std::string> log_;
  bool throw_next_due_ = false;
};

// Answers from a script (default: sent), records what it was given, and can
// block until released (to stop the courier mid-batch).
class ScriptedSender : public Sender {
 public:
  SendOutcome send(const QueuedMail& mail) override {
    std::unique_lock lock(mutex_);
    seen_.push_back(mail.message.to);
    entered_.notify_all();
    release_.wait(lock, [&] { return !hold_; });
    if (script_.empty()) return SendOutcome::sent();
    SendOutcome o = script_.front();
    script_.pop_front();
    return o;
  }
  void then(SendOutcome o) {
    std::lock_guard lock(mutex_);
    script_.push_back(std::move(o));
  }
  void hold(bool h) {
    {
      std::lock_guard lock(mutex_);
      hold_ = h;
    }
    release_.notify_all();
  }
  bool wait_entered(std::size_t n, std::chrono::milliseconds t) {
    std::unique_lock lock(mutex_);
    return entered_.wait_for(lock, t, [&] { return seen_.size() >= n; });
  }
  std::vector<std::string> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable entered_, release_;
  bool hold_ = false;
  std::deque<SendOutcome> script_;
  std::vector<std::string> seen_;
};

const base::TimePoint kStart = base::TimePoint(std::chrono::seconds(1'800'000'000));

CourierOptions slow_poll(std::vector<std::string>* logs = nullptr,
                         std::mutex* log_mutex = nullptr) {
  CourierOptions o;
  o.poll_interval = std::chrono::hours(1);
  if (logs)
    o.log = [logs, log_mutex](std::string_view line) {
      std::lock_guard lock(*log_mutex);
      logs->emplace_back(line);
    };
  return o;
}

TEST(Courier, NotifyWakesItAndSentMailLeavesTheOutbox) {
  MemoryOutbox outbox;
  ScriptedSender sender;
  base::FakeClock clock(kStart);
  Courier courier(outbox, sender, clock, slow_poll());
  // Let the first (empty) drain pass happen, then enqueue and notify.
  ASSERT_TRUE(outbox.enqueue({"a@example.com", "s", "b"}, clock.now()));
  ASSERT_TRUE(outbox.enqueue({"b@example.com", "s", "b"}, clock.now()));
  courier.notify();
  ASSERT_TRUE(courier.wait_for([](const Courier::Counts& c) { return c.sent == 2; }, 5s));
  EXPECT_EQ(outbox.size(), 0u);
  EXPECT_EQ(sender.seen(), (std::vector<std::string>{"a@example.com", "b@example.com"}));

  // Another one later: only notify() can wake the thread within the hour.
  ASSERT_TRUE(outbox.enqueue({"c@example.com", "s", "b"}, clock.now()));
  courier.notify();
  EXPECT_TRUE(courier.wait_for([](const Courier::Counts& c) { return c.sent == 3; }, 5s));
}

TEST(Courier, TransientFailuresAreRetriedAfterTheBackoffPermanentOnesGivenUp) {
  MemoryOutbox outbox;
  ScriptedSender sender;
  base::FakeClock clock(kStart);
  std::vector<std::string> logs;
  std::mutex log_mutex;
  sender.then(SendOutcome::transient("connection refused"));
  sender.then(SendOutcome::permanent("550 no such user (server replied 550)"));
  ASSERT_TRUE(outbox.enqueue({"alice@example.com", "s", "b"}, clock.now()));
  ASSERT_TRUE(outbox.enqueue({"bob@example.com", "s", "b"}, clock.now()));
  Courier courier(outbox, sender, clock, slow_poll(&logs, &log_mutex));
  ASSERT_TRUE(courier.wait_for(
      [](const Courier::Counts& c) { return c.retried == 1 && c.given_up == 1; }, 5s));
  EXPECT_EQ(outbox.log(),
            (std::vector<std::string>{"retry 1: connection refused",
                                      "gave up 2: 550 no such user (server replied 550)"}));
  {
    std::lock_guard lock(log_mutex);
    ASSERT_EQ(logs.size(), 2u);
    // Addresses are redacted in log lines.
    EXPECT_EQ(logs[0], "mail 1 to a***@example.com will be retried: connection refused");
    EXPECT_EQ(logs[1].find("bob@"), std::string::npos) << logs[1];
  }
  // Before the backoff (30 s) nothing is due, whatever wakes the courier.
  clock.advance(29s);
  EXPECT_EQ(courier.drain_once(), 0u);
  clock.advance(1s);
  courier.notify();
  ASSERT_TRUE(courier.wait_for([](const Courier::Counts& c) { return c.sent == 1; }, 5s));
  EXPECT_EQ(outbox.size(), 1u) << "only the given-up row stays";
  EXPECT_EQ(sender.seen().size(), 3u);
}

TEST(Courier, SurvivesAnOutboxThatThrows) {
  MemoryOutbox outbox;
  ScriptedSender sender;
  base::FakeClock clock(kStart);
  std::vector<std::string> logs;
  std::mutex log_mutex;
  outbox.throw_next_due();
  Courier courier(outbox, sender, clock, slow_poll(&logs, &log_mutex));
  ASSERT_TRUE(courier.wait_for([](const Courier::Counts& c) { return c.errors == 1; }, 5s));
  ASSERT_TRUE(outbox.enqueue({"a@example.com", "s", "b"}, clock.now()));
  courier.notify();
  EXPECT_TRUE(courier.wait_for([](const Courier::Counts& c) { return c.sent == 1; }, 5s));
  std::lock_guard lock(log_mutex);
  ASSERT_FALSE(logs.empty());
  EXPECT_EQ(logs[0], "mail outbox error: database is locked");
}

TEST(Courier, StoppingMidBatchLeavesTheRestQueued) {
  MemoryOutbox outbox;
  ScriptedSender sender;
  base::FakeClock clock(kStart);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(outbox.enqueue({"r" + std::to_string(i) + "@example.com", "s", "b"}, clock.now()));
  sender.hold(true);
  {
    Courier courier(outbox, sender, clock, slow_poll());
    ASSERT_TRUE(sender.wait_entered(1, 5s));
    // The stop is requested while the first send is held, and only then is
    // that send let go: the order is fixed by the test, not by a sleep. The
    // destructor (request_stop, then join) waits for the send under way.
    courier.request_stop();
    sender.hold(false);
  }
  EXPECT_EQ(sender.seen().size(), 1u) << "the courier stopped after the send under way";
  EXPECT_EQ(outbox.size(), 4u);
  EXPECT_EQ(outbox.log(), (std::vector<std::string>{"sent 1"}));
}

TEST(Courier, RedactsAddresses) {
  EXPECT_EQ(redact_address("alice@example.com"), "a***@example.com");
  EXPECT_EQ(redact_address("nonsense"), "***");
}

}  // namespace
}  // namespace masthead::mail
