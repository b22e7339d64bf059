// Outbox: mail waiting to be sent, kept where a crash cannot lose it.
//
// What it is. A handler that must send mail (a confirmation link, a password
// reset) never talks to an SMTP server: it enqueue()s the message, and the
// row is committed before the handler answers the reader. A Courier
// (courier.h) drains the outbox on its own thread: due() hands it a batch,
// it sends each, then mark_sent() or mark_failed(). So a slow or dead mail
// server never slows a page, and a kill -9 between "queued" and "sent" only
// delays the mail.
//
// The key idea: due() leases. The rows it returns get their next attempt
// pushed `lease` into the future, in the same transaction that selects them,
// so two couriers (two server processes on one database) never send the same
// row at the same time, and a courier that dies mid-send lets the row
// reappear once the lease runs out. Delivery is therefore at least once: a
// crash after the SMTP server accepted a mail but before mark_sent() sends it
// again, with the same Message-ID (the token is part of the row), which lets
// mail programs drop the duplicate.
//
// Retries: each failure counts one attempt and waits retry_delay(policy,
// attempts) — base_delay doubled per attempt, capped at max_delay — before
// the next; after max_attempts, or at once for a permanent failure (the
// server said 5xx), the row is given up ("failed") and kept with its last
// error for the operator. A sent row is deleted: the outbox is a queue, not
// an archive, and its bodies hold single-use links.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "mail/message.h"

namespace masthead::mail {

struct RetryPolicy {
  std::chrono::seconds base_delay{30};
  std::chrono::seconds max_delay{std::chrono::hours(6)};
  int max_attempts = 10;
  // How long a row handed out by due() stays out of later due() answers.
  std::chrono::seconds lease{std::chrono::minutes(5)};
};

// The wait after the `attempts`-th failed attempt (attempts ≥ 1):
// base_delay · 2^(attempts−1), at most max_delay.
std::chrono::seconds retry_delay(const RetryPolicy& policy, int attempts);

// One row of the outbox, as due() hands it out.
struct QueuedMail {
  std::int64_t id = 0;
  Message message;
  std::string token;          // random, unique: the left part of the Message-ID
  base::TimePoint queued_at;  // the Date header
  int attempts = 0;           // failed attempts so far
};

enum class Retry { kLater, kNever };

// What mark_failed did with the row.
enum class FailureOutcome { kWillRetry, kGivenUp };

class Outbox {
 public:
  virtual ~Outbox() = default;

  // Validates `message` (mail::validate) and stores it, due at once; durable
  // when it returns (synchronous=FULL). Returns the row's id, or the
  // validation error (nothing stored).
  virtual base::Result<std::int64_t> enqueue(const Message& message, base::TimePoint now) = 0;

  // Up to `limit` queued rows whose next attempt is at or before `now`,
  // oldest first, each leased for policy.lease (see above).
  virtual std::vector<QueuedMail> due(base::TimePoint now, std::size_t limit) = 0;

  // The mail was accepted by the server: the row is deleted.
  virtual void mark_sent(std::int64_t id) = 0;

  // One more failed attempt with `error` (kept, truncated to 1000 bytes).
  // Retry::kNever, or reaching max_attempts, gives the row up.
  virtual FailureOutcome mark_failed(std::int64_t id, base::TimePoint now, std::string_view error,
                                     Retry retry = Retry::kLater) = 0;
};

}  // namespace masthead::mail
