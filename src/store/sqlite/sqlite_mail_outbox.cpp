// See sqlite_mail_outbox.h. Each method is one short transaction on a pooled
// connection; the SQL is written out in full so that each statement is
// prepared once per connection (the cache is keyed by the literal).
#include "store/sqlite/sqlite_mail_outbox.h"

#include "base/iso_time.h"

namespace masthead::store::sqlite {
namespace {

constexpr std::size_t kMaxErrorBytes = 1000;

std::string truncate_error(std::string_view error) {
  if (error.size() <= kMaxErrorBytes) return std::string(error);
  std::size_t n = kMaxErrorBytes;
  while (n > 0 && (static_cast<unsigned char>(error[n]) & 0xc0) == 0x80) --n;  // UTF-8 boundary
  return std::string(error.substr(0, n));
}

}  // namespace

base::Result<std::int64_t> SqliteMailOutbox::enqueue(const mail::Message& message,
                                                     base::TimePoint now) {
  if (auto ok = mail::validate(message); !ok) return ok.error();
  const std::int64_t at = base::to_unix_seconds(now);
  return db_->with_connection([&](Connection& c) -> base::Result<std::int64_t> {
    c.prepare(
         "INSERT INTO mail_outbox (recipient, subject, body, token, queued_at, next_attempt_at) "
         "VALUES (?1, ?2, ?3, lower(hex(randomblob(16))), ?4, ?4)")
        .bind(1, message.to)
        .bind(2, message.subject)
        .bind(3, message.body)
        .bind(4, at)
        .run();
    return c.last_insert_id();
  });
}

std::vector<mail::QueuedMail> SqliteMailOutbox::due(base::TimePoint now, std::size_t limit) {
  const std::int64_t at = base::to_unix_seconds(now);
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    std::vector<mail::QueuedMail> out;
    {
      Statement s = c.prepare(
          "SELECT id, recipient, subject, body, token, queued_at, attempts FROM mail_outbox "
          "WHERE state = 'queued' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id "
          "LIMIT ?2");
      s.bind(1, at).bind(2, static_cast<std::int64_t>(limit));
      while (s.step()) {
        mail::QueuedMail m;
        m.id = s.int64(0);
        m.message.to = s.text(1);
        m.message.subject = s.text(2);
        m.message.body = s.text(3);
        m.token = s.text(4);
        m.queued_at = base::from_unix_seconds(s.int64(5));
        m.attempts = static_cast<int>(s.int64(6));
        out.push_back(std::move(m));
      }
    }
    for (const mail::QueuedMail& m : out)
      c.prepare("UPDATE mail_outbox SET next_attempt_at = ?2 WHERE id = ?1")
          .bind(1, m.id)
          .bind(2, at + policy_.lease.count())
          .run();
    tx.commit();
    return out;
  });
}

void SqliteMailOutbox::mark_sent(std::int64_t id) {
  db_->with_connection(
      [&](Connection& c) { c.prepare("DELETE FROM mail_outbox WHERE id = ?1").bind(1, id).run(); });
}

mail::FailureOutcome SqliteMailOutbox::mark_failed(std::int64_t id, base::TimePoint now,
                                                   std::string_view error, mail::Retry retry) {
  const std::int64_t at = base::to_unix_seconds(now);
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    int attempts;
    {
      Statement s =
          c.prepare("SELECT attempts FROM mail_outbox WHERE id = ?1 AND state = 'queued'");
      s.bind(1, id);
      // Sent meanwhile (by another courier after our lease ran out) or already given up.
      if (!s.step()) return mail::FailureOutcome::kGivenUp;
      attempts = static_cast<int>(s.int64(0)) + 1;
    }
    const bool give_up = retry == mail::Retry::kNever || attempts >= policy_.max_attempts;
    c.prepare(
         "UPDATE mail_outbox SET attempts = ?2, state = ?3, next_attempt_at = ?4, "
         "last_error = ?5 WHERE id = ?1")
        .bind(1, id)
        .bind(2, attempts)
        .bind(3, give_up ? "failed" : "queued")
        .bind(4, give_up ? at : at + mail::retry_delay(policy_, attempts).count())
        .bind(5, truncate_error(error))
        .run();
    tx.commit();
    return give_up ? mail::FailureOutcome::kGivenUp : mail::FailureOutcome::kWillRetry;
  });
}

SqliteMailOutbox::Counts SqliteMailOutbox::counts() const {
  return db_->with_connection([&](Connection& c) {
    Statement s = c.prepare(
        "SELECT coalesce(sum(state = 'queued'), 0), coalesce(sum(state = 'failed'), 0) "
        "FROM mail_outbox");
    s.step();
    return Counts{s.int64(0), s.int64(1)};
  });
}

std::optional<SqliteMailOutbox::Row> SqliteMailOutbox::find(std::int64_t id) const {
  return db_->with_connection([&](Connection& c) -> std::optional<Row> {
    Statement s = c.prepare(
        "SELECT id, recipient, subject, body, token, queued_at, attempts, state, "
        "next_attempt_at, last_error FROM mail_outbox WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    Row r;
    r.mail.id = s.int64(0);
    r.mail.message = {s.text(1), s.text(2), s.text(3)};
    r.mail.token = s.text(4);
    r.mail.queued_at = base::from_unix_seconds(s.int64(5));
    r.mail.attempts = static_cast<int>(s.int64(6));
    r.state = s.text(7);
    r.next_attempt_at = base::from_unix_seconds(s.int64(8));
    r.last_error = s.text(9);
    return r;
  });
}

}  // namespace masthead::store::sqlite
