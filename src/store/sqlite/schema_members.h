// Migration 3: readers' accounts, sessions, e-mail tokens and login failures
// (members/member_store.h; implemented by sqlite_member_store.h).
//
// The key ideas, as constraints rather than code: `accounts.email` is UNIQUE,
// so two concurrent registrations (or address changes) to one address cannot
// both commit; ids are AUTOINCREMENT, so a deleted account's id is never
// handed to a new one (meter keys and subscriptions name accounts by id);
// sessions and e-mail tokens reference their account ON DELETE CASCADE, so
// deleting an account takes them along. Secrets are stored as SHA-256 hex
// (token_hash) or argon2id strings (password_hash), never as themselves.
// login_failures is keyed by the address tried, not by account (unknown
// addresses are throttled too), so it has no foreign key; delete_account
// removes its rows by address. A successful login clears counts_for_email
// rather than deleting the rows, so the client address's count is kept. No content_version
// triggers: accounts are not content and must not flush the page cache. Times are INTEGER Unix
// seconds.
#pragma once

namespace masthead::store::sqlite {

inline constexpr const char* kMembersSchema = R"sql(
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  email_confirmed_at INTEGER
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  csrf_secret TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_account ON sessions (account_id);
CREATE TABLE email_tokens (
  token_hash TEXT PRIMARY KEY,
  purpose TEXT NOT NULL CHECK (purpose IN ('confirm-email', 'reset-password', 'change-email')),
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  payload TEXT NOT NULL DEFAULT '',
  expires_at INTEGER NOT NULL,
  used_at INTEGER
) WITHOUT ROWID;
CREATE INDEX email_tokens_by_account ON email_tokens (account_id);
CREATE TABLE login_failures (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  client_address TEXT NOT NULL,
  at INTEGER NOT NULL,
  counts_for_email INTEGER NOT NULL DEFAULT 1 CHECK (counts_for_email IN (0, 1))
);
CREATE INDEX login_failures_by_email ON login_failures (email, at);
CREATE INDEX login_failures_by_address ON login_failures (client_address, at);
CREATE INDEX login_failures_by_time ON login_failures (at);
)sql";

}  // namespace masthead::store::sqlite
