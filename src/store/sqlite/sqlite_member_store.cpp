// See sqlite_member_store.h. Every statement is a string literal, prepared
// once per connection and kept (Connection::prepare); addresses, hashes and
// payloads are bound, never spliced into SQL. A Statement is finished (run to
// its end and reset by its destructor) before its transaction commits.
#include "store/sqlite/sqlite_member_store.h"

#include "base/iso_time.h"

namespace masthead::store::sqlite {
namespace {

using members::Account;
using members::AccountWrite;

std::int64_t seconds(base::TimePoint t) {
  return base::to_unix_seconds(t);
}

base::TimePoint instant(std::int64_t s) {
  return base::from_unix_seconds(s);
}

std::optional<base::TimePoint> optional_instant(const Statement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  return instant(s.int64(column));
}

constexpr const char* kAccountColumns =
    "SELECT id, email, password_hash, created_at, email_confirmed_at FROM accounts ";

Account account_of(const Statement& s) {
  return Account{s.int64(0), s.text(1), s.text(2), instant(s.int64(3)), optional_instant(s, 4)};
}

bool account_exists(Connection& c, std::int64_t id) {
  Statement s = c.prepare("SELECT 1 FROM accounts WHERE id = ?1");
  s.bind(1, id);
  return s.step();
}

}  // namespace

// ---- accounts

members::CreatedAccount SqliteMemberStore::create_account(std::string_view email,
                                                          std::string_view password_hash,
                                                          base::TimePoint now) {
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    c.prepare(
         "INSERT INTO accounts (email, password_hash, created_at) VALUES (?1, ?2, ?3) "
         "ON CONFLICT (email) DO NOTHING")
        .bind(1, email)
        .bind(2, password_hash)
        .bind(3, seconds(now))
        .run();
    if (c.changes() == 0) return members::CreatedAccount{AccountWrite::kEmailTaken, {}};
    const std::int64_t id = c.last_insert_id();
    tx.commit();
    return members::CreatedAccount{
        AccountWrite::kDone,
        Account{id, std::string(email), std::string(password_hash), instant(seconds(now)), {}}};
  });
}

std::optional<Account> SqliteMemberStore::find_account(std::int64_t id) const {
  return db_->with_connection([&](Connection& c) -> std::optional<Account> {
    static const std::string sql = std::string(kAccountColumns) + "WHERE id = ?1";
    Statement s = c.prepare(sql.c_str());
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return account_of(s);
  });
}

std::optional<Account> SqliteMemberStore::find_account_by_email(std::string_view email) const {
  return db_->with_connection([&](Connection& c) -> std::optional<Account> {
    static const std::string sql = std::string(kAccountColumns) + "WHERE email = ?1";
    Statement s = c.prepare(sql.c_str());
    s.bind(1, email);
    if (!s.step()) return std::nullopt;
    return account_of(s);
  });
}

bool SqliteMemberStore::confirm_email(std::int64_t id, base::TimePoint at) {
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    c.prepare("UPDATE accounts SET email_confirmed_at = ?2 WHERE id = ?1")
        .bind(1, id)
        .bind(2, seconds(at))
        .run();
    const bool found = c.changes() == 1;
    tx.commit();
    return found;
  });
}

bool SqliteMemberStore::set_password_hash(std::int64_t id, std::string_view password_hash) {
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    c.prepare("UPDATE accounts SET password_hash = ?2 WHERE id = ?1")
        .bind(1, id)
        .bind(2, password_hash)
        .run();
    if (c.changes() == 0) return false;
    c.prepare(
         "DELETE FROM email_tokens WHERE account_id = ?1 AND purpose = 'reset-password' "
         "AND used_at IS NULL")
        .bind(1, id)
        .run();
    tx.commit();
    return true;
  });
}

AccountWrite SqliteMemberStore::change_email(std::int64_t id, std::string_view new_email,
                                             base::TimePoint confirmed_at) {
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    if (!account_exists(c, id)) return AccountWrite::kNoAccount;
    try {
      c.prepare("UPDATE accounts SET email = ?2, email_confirmed_at = ?3 WHERE id = ?1")
          .bind(1, id)
          .bind(2, new_email)
          .bind(3, seconds(confirmed_at))
          .run();
    } catch (const SqliteError& e) {
      if (e.constraint()) return AccountWrite::kEmailTaken;  // UNIQUE (email)
      throw;
    }
    c.prepare("DELETE FROM email_tokens WHERE account_id = ?1 AND used_at IS NULL")
        .bind(1, id)
        .run();
    tx.commit();
    return AccountWrite::kDone;
  });
}

bool SqliteMemberStore::delete_account(std::int64_t id) {
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    std::string email;
    {
      Statement s = c.prepare("SELECT email FROM accounts WHERE id = ?1");
      s.bind(1, id);
      if (!s.step()) return false;
      email = s.text(0);
    }
    c.prepare("DELETE FROM login_failures WHERE email = ?1").bind(1, email).run();
    // Sessions and e-mail tokens go by ON DELETE CASCADE.
    c.prepare("DELETE FROM accounts WHERE id = ?1").bind(1, id).run();
    tx.commit();
    return true;
  });
}

std::optional<std::int64_t> SqliteMemberStore::feed_generation(std::int64_t id) const {
  return db_->with_connection([&](Connection& c) -> std::optional<std::int64_t> {
    Statement s = c.prepare("SELECT feed_generation FROM accounts WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return s.int64(0);
  });
}

std::optional<std::int64_t> SqliteMemberStore::renew_feed_generation(std::int64_t id) {
  return db_->with_connection([&](Connection& c) -> std::optional<std::int64_t> {
    // One statement: the increment and the value it made, atomically.
    Statement s = c.prepare(
        "UPDATE accounts SET feed_generation = feed_generation + 1 WHERE id = ?1 "
        "RETURNING feed_generation");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    const std::int64_t generation = s.int64(0);
    while (s.step()) {
    }
    return generation;
  });
}

std::optional<members::AccountExport> SqliteMemberStore::export_account(std::int64_t id) const {
  return db_->with_connection([&](Connection& c) -> std::optional<members::AccountExport> {
    // One read transaction: the account and its sessions as of one instant.
    // It writes nothing, so ending it by ROLLBACK (which cannot fail the way a
    // COMMIT can) loses nothing and never returns a connection mid-transaction.
    c.prepare("BEGIN").run();
    struct End {
      Connection& c;
      ~End() {
        try {
          c.prepare("ROLLBACK").run();
        } catch (...) {
        }
      }
    } end{c};
    members::AccountExport out;
    {
      Statement s =
          c.prepare("SELECT email, created_at, email_confirmed_at FROM accounts WHERE id = ?1");
      s.bind(1, id);
      if (!s.step()) return std::nullopt;
      out.id = id;
      out.email = s.text(0);
      out.created_at = instant(s.int64(1));
      out.email_confirmed_at = optional_instant(s, 2);
    }
    Statement s = c.prepare(
        "SELECT created_at, last_seen_at FROM sessions WHERE account_id = ?1 "
        "ORDER BY created_at, last_seen_at");
    s.bind(1, id);
    while (s.step()) out.sessions.push_back({instant(s.int64(0)), instant(s.int64(1))});
    return out;
  });
}

// ---- sessions

bool SqliteMemberStore::create_session(const members::Session& session) {
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    c.prepare(
         "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, csrf_secret) "
         "SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?2)")
        .bind(1, session.token_hash)
        .bind(2, session.account_id)
        .bind(3, seconds(session.created_at))
        .bind(4, seconds(session.last_seen_at))
        .bind(5, session.csrf_secret)
        .run();
    const bool stored = c.changes() == 1;
    tx.commit();
    return stored;
  });
}

std::optional<members::Session> SqliteMemberStore::find_session(std::string_view token_hash) const {
  return db_->with_connection([&](Connection& c) -> std::optional<members::Session> {
    Statement s = c.prepare(
        "SELECT account_id, created_at, last_seen_at, csrf_secret FROM sessions "
        "WHERE token_hash = ?1");
    s.bind(1, token_hash);
    if (!s.step()) return std::nullopt;
    return members::Session{std::string(token_hash), s.int64(0), instant(s.int64(1)),
                            instant(s.int64(2)), s.text(3)};
  });
}

bool SqliteMemberStore::touch_session(std::string_view token_hash, base::TimePoint now) {
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    c.prepare("UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1")
        .bind(1, token_hash)
        .bind(2, seconds(now))
        .run();
    const bool found = c.changes() == 1;
    tx.commit();
    return found;
  });
}

bool SqliteMemberStore::delete_session(std::string_view token_hash) {
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    c.prepare("DELETE FROM sessions WHERE token_hash = ?1").bind(1, token_hash).run();
    const bool found = c.changes() == 1;
    tx.commit();
    return found;
  });
}

int SqliteMemberStore::delete_sessions(std::int64_t account_id,
                                       std::optional<std::string_view> keep_token_hash) {
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    Statement s = c.prepare(
        "DELETE FROM sessions WHERE account_id = ?1 AND (?2 IS NULL OR token_hash <> ?2)");
    s.bind(1, account_id);
    if (keep_token_hash) {
      s.bind(2, *keep_token_hash);
    } else {
      s.bind_null(2);
    }
    s.run();
    const int deleted = c.changes();
    tx.commit();
    return deleted;
  });
}

std::int64_t SqliteMemberStore::purge_sessions(const members::SessionPolicy& policy,
                                               base::TimePoint now) {
  // session_state(): expired iff now >= created_at + absolute or now >= last_seen_at + idle.
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    c.prepare("DELETE FROM sessions WHERE created_at <= ?1 OR last_seen_at <= ?2")
        .bind(1, seconds(now - policy.absolute_timeout))
        .bind(2, seconds(now - policy.idle_timeout))
        .run();
    const std::int64_t deleted = c.changes();
    tx.commit();
    return deleted;
  });
}

// ---- e-mail tokens

bool SqliteMemberStore::add_email_token(const members::EmailToken& token) {
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    c.prepare(
         "INSERT INTO email_tokens (token_hash, purpose, account_id, payload, expires_at, "
         "used_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6 "
         "WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?3)")
        .bind(1, token.token_hash)
        .bind(2, members::purpose_name(token.purpose))
        .bind(3, token.account_id)
        .bind(4, token.payload)
        .bind(5, seconds(token.expires_at))
        .bind(6,
              token.used_at ? std::optional<std::int64_t>(seconds(*token.used_at)) : std::nullopt)
        .run();
    const bool stored = c.changes() == 1;
    tx.commit();
    return stored;
  });
}

std::optional<members::ConsumedToken> SqliteMemberStore::consume_email_token(
    members::TokenPurpose purpose, std::string_view token_hash, base::TimePoint now) {
  return db_->with_connection([&](Connection& c) -> std::optional<members::ConsumedToken> {
    Transaction tx(c);
    std::optional<members::ConsumedToken> consumed;
    {
      Statement s = c.prepare(
          "UPDATE email_tokens SET used_at = ?3 WHERE token_hash = ?1 AND purpose = ?2 "
          "AND used_at IS NULL AND expires_at > ?3 RETURNING account_id, payload");
      s.bind(1, token_hash).bind(2, members::purpose_name(purpose)).bind(3, seconds(now));
      while (s.step()) consumed = members::ConsumedToken{s.int64(0), s.text(1)};
    }
    tx.commit();
    return consumed;
  });
}

std::int64_t SqliteMemberStore::purge_email_tokens(base::TimePoint now) {
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    c.prepare("DELETE FROM email_tokens WHERE used_at IS NOT NULL OR expires_at <= ?1")
        .bind(1, seconds(now))
        .run();
    const std::int64_t deleted = c.changes();
    tx.commit();
    return deleted;
  });
}

// ---- login throttling

void SqliteMemberStore::record_login_failure(std::string_view email,
                                             std::string_view client_address, base::TimePoint at) {
  db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    c.prepare("INSERT INTO login_failures (email, client_address, at) VALUES (?1, ?2, ?3)")
        .bind(1, email)
        .bind(2, client_address)
        .bind(3, seconds(at))
        .run();
    tx.commit();
  });
}

members::FailureCounts SqliteMemberStore::login_failures(std::string_view email,
                                                         std::string_view client_address,
                                                         base::TimePoint since) const {
  return db_->with_connection([&](Connection& c) {
    Statement s = c.prepare(
        "SELECT (SELECT count(*) FROM login_failures WHERE email = ?1 AND at >= ?3 "
        "AND counts_for_email = 1), "
        "(SELECT count(*) FROM login_failures WHERE client_address = ?2 AND at >= ?3)");
    s.bind(1, email).bind(2, client_address).bind(3, seconds(since));
    s.step();
    return members::FailureCounts{static_cast<int>(s.int64(0)), static_cast<int>(s.int64(1))};
  });
}

void SqliteMemberStore::clear_login_failures(std::string_view email) {
  db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    // The rows stay (they still count for their client address).
    c.prepare("UPDATE login_failures SET counts_for_email = 0 WHERE email = ?1")
        .bind(1, email)
        .run();
    tx.commit();
  });
}

std::int64_t SqliteMemberStore::purge_login_failures(base::TimePoint before) {
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    c.prepare("DELETE FROM login_failures WHERE at < ?1").bind(1, seconds(before)).run();
    const std::int64_t deleted = c.changes();
    tx.commit();
    return deleted;
  });
}

}  // namespace masthead::store::sqlite
