// SqliteMailOutbox: mail::Outbox on the SQLite file (table mail_outbox,
// migration 5 in schema_mail.h).
//
// Durability: every write goes through the pool's synchronous=FULL
// connections, so enqueue() returning means the row is on disk (a kill -9 or
// a power cut right after the reader sees "check your mail" loses nothing).
// Unlike meter views, mail is never relaxed.
//
// due() is one BEGIN IMMEDIATE transaction: select the oldest due rows, push
// their next_attempt_at to now + lease, commit. Two processes draining the
// same file therefore never get the same row while its lease runs (see
// mail/outbox.h for the at-least-once argument). mark_failed() counts the
// attempt and sets the backoff from mail::retry_delay(), or gives the row up.
//
// The token (the Message-ID's left part) comes from SQLite's randomblob(),
// which SQLite seeds from the operating system.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "mail/outbox.h"
#include "store/sqlite/database.h"

namespace masthead::store::sqlite {

class SqliteMailOutbox final : public mail::Outbox {
 public:
  explicit SqliteMailOutbox(std::shared_ptr<Database> db, mail::RetryPolicy policy = {})
      : db_(std::move(db)), policy_(policy) {}

  base::Result<std::int64_t> enqueue(const mail::Message& message, base::TimePoint now) override;
  std::vector<mail::QueuedMail> due(base::TimePoint now, std::size_t limit) override;
  void mark_sent(std::int64_t id) override;
  mail::FailureOutcome mark_failed(std::int64_t id, base::TimePoint now, std::string_view error,
                                   mail::Retry retry = mail::Retry::kLater) override;

  // For the status page and tests: how many rows wait and how many were given up.
  struct Counts {
    std::int64_t queued = 0, failed = 0;
  };
  Counts counts() const;

  // A row as stored (tests, the operator's CLI); empty once sent.
  struct Row {
    mail::QueuedMail mail;
    std::string state;  // "queued" or "failed"
    base::TimePoint next_attempt_at;
    std::string last_error;
  };
  std::optional<Row> find(std::int64_t id) const;

 private:
  std::shared_ptr<Database> db_;
  mail::RetryPolicy policy_;
};

}  // namespace masthead::store::sqlite
