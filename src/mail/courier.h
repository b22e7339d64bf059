// Courier: the background thread that takes mail from the outbox to the
// mail server.
//
// What it is. One thread per server process. It sleeps until notify() (a
// handler has just enqueued something) or until poll_interval has passed
// (mail queued by another process, retries coming due), then drains: due()
// a batch, send() each, mark_sent() or mark_failed(), and again while full
// batches keep coming. Request threads only enqueue and notify; they never
// wait for a mail server.
//
// Stopping: request_stop() (which the destructor calls, then joins the
// thread) wakes the thread and keeps it from starting another send. A send
// that is under way finishes first (bounded by the sender's timeout); the
// rest of the batch is left leased and comes back after the lease, so
// nothing is lost and nothing is sent twice by this process.
//
// Failures of the outbox itself (the database is locked for longer than the
// busy timeout, the disk is full) are reported through `log` and retried on
// the next wake-up; the thread never dies of them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>

#include "base/clock.h"
#include "mail/outbox.h"
#include "mail/sender.h"

namespace masthead::mail {

struct CourierOptions {
  std::chrono::milliseconds poll_interval{std::chrono::seconds(5)};
  std::size_t batch = 20;
  // Where warnings go ("mail to r***@example.com failed: ..."); may be empty.
  std::function<void(std::string_view)> log;
};

class Courier {
 public:
  // Starts the thread. `outbox`, `sender` and `clock` must outlive the Courier.
  Courier(Outbox& outbox, Sender& sender, const base::Clock& clock, CourierOptions options = {});
  ~Courier();
  Courier(const Courier&) = delete;
  Courier& operator=(const Courier&) = delete;

  // Wakes the thread now (call after enqueue). Cheap; never blocks on sending.
  void notify();

  // Asks the thread to stop after the send under way, if any, without
  // waiting for it (the destructor waits). Idempotent; no mail is sent after
  // it returns but the one already handed to the sender.
  void request_stop();

  // Statistics since start, for tests and the status page.
  struct Counts {
    std::size_t sent = 0, retried = 0, given_up = 0, errors = 0;
  };
  Counts counts() const;

  // Waits until counts() satisfies `done` or `timeout` passes; true if it did.
  bool wait_for(const std::function<bool(const Counts&)>& done, std::chrono::milliseconds timeout);

  // One drain pass on the caller's thread (what the thread does on each wake-up):
  // returns how many mails were handed to the sender. Public for tests.
  std::size_t drain_once();

 private:
  void run();

  Outbox& outbox_;
  Sender& sender_;
  const base::Clock& clock_;
  CourierOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable progress_;
  bool stop_ = false;
  bool notified_ = false;
  Counts counts_;
  std::mutex drain_mutex_;  // one drain at a time (thread and drain_once callers)
  std::thread thread_;
};

// "r***@example.com": an address as it may appear in a log line.
std::string redact_address(std::string_view address);

}  // namespace masthead::mail
