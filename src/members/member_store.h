// MemberStore: where readers' accounts, sessions, e-mail tokens and login
// failures live.
//
// What it is. The contract the web layer programs against; store/sqlite
// implements it now, store/postgres later, and
// src/members/testing/member_store_conformance.h holds the tests every
// implementation must pass, races included. The rules (what a valid address,
// password, session or link is) live in the other headers of this module;
// the store only keeps records and makes the few steps that must be atomic
// atomic.
//
// The key idea: every race is settled by the store, in one step.
// - create_account / change_email: the address is unique; of two concurrent
//   creates (or changes) to one address exactly one succeeds and the other is
//   told kEmailTaken — never read-then-insert.
// - consume_email_token: used_at empty and expires_at > now → set used_at and
//   return the token's account and payload, in one statement; of N
//   concurrent consumes of one token exactly one gets it.
// - delete_account: the account and everything of it (sessions, e-mail
//   tokens, login failures of its address) go together.
//
// Conventions. Addresses are passed normalized (normalize_email()); the store
// compares them byte for byte. Times are kept in whole seconds (a TimePoint
// read back is the one written, truncated to the second). Account ids are
// positive and never reused, even after a delete (a meter key "acct:<id>" or
// a subscription must never pass to a stranger). Secrets are stored only as
// hashes (session and e-mail tokens) or argon2id strings (passwords), and
// export_account() returns none of them.
//
// Durability: every write is durable when the call returns (accounts are
// never relaxed, unlike meter views). Thread safety: every method may be
// called from any thread at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "members/email_token.h"
#include "members/session.h"
#include "members/throttle.h"

namespace masthead::members {

struct Account {
  std::int64_t id = 0;
  std::string email;          // normalized
  std::string password_hash;  // PasswordHasher::hash()
  base::TimePoint created_at;
  std::optional<base::TimePoint> email_confirmed_at;  // empty: not confirmed yet
  friend bool operator==(const Account&, const Account&) = default;
};

enum class AccountWrite {
  kDone,
  kEmailTaken,  // another account has that address
  kNoAccount,   // no account has that id
};

struct CreatedAccount {
  AccountWrite outcome = AccountWrite::kDone;  // kDone or kEmailTaken
  Account account;                             // set when kDone
};

// One account's data as its owner may download it (a JSON export): no
// hashes, tokens or CSRF secrets.
struct AccountExport {
  struct SessionTimes {
    base::TimePoint created_at;
    base::TimePoint last_seen_at;
    friend bool operator==(const SessionTimes&, const SessionTimes&) = default;
  };
  std::int64_t id = 0;
  std::string email;
  base::TimePoint created_at;
  std::optional<base::TimePoint> email_confirmed_at;
  std::vector<SessionTimes> sessions;  // oldest first
  friend bool operator==(const AccountExport&, const AccountExport&) = default;
};

// What consume_email_token() hands back.
struct ConsumedToken {
  std::int64_t account_id = 0;
  std::string payload;
  friend bool operator==(const ConsumedToken&, const ConsumedToken&) = default;
};

class MemberStore {
 public:
  virtual ~MemberStore() = default;

  // ---- accounts
  // A new account, unconfirmed, created at `now`; kEmailTaken when `email`
  // (normalized) belongs to an account already.
  virtual CreatedAccount create_account(std::string_view email, std::string_view password_hash,
                                        base::TimePoint now) = 0;
  virtual std::optional<Account> find_account(std::int64_t id) const = 0;
  virtual std::optional<Account> find_account_by_email(std::string_view email) const = 0;
  // Sets email_confirmed_at = `at` (again, if already confirmed). False: no such account.
  virtual bool confirm_email(std::int64_t id, base::TimePoint at) = 0;
  // Stores a new password hash and drops the account's unused reset-password
  // tokens (a reset link must not outlive the password it was for). Sessions
  // are the caller's to drop (delete_sessions). False: no such account.
  virtual bool set_password_hash(std::int64_t id, std::string_view password_hash) = 0;
  // Moves the account to `new_email` (normalized), confirmed at `confirmed_at`
  // (the change is made from the link mailed to the new address), and drops
  // the account's unused e-mail tokens (they were sent to the old address).
  // Changing to the account's own address is kDone.
  virtual AccountWrite change_email(std::int64_t id, std::string_view new_email,
                                    base::TimePoint confirmed_at) = 0;
  // Deletes the account with its sessions, e-mail tokens and the login
  // failures recorded for its address. False: there was no such account.
  virtual bool delete_account(std::int64_t id) = 0;
  virtual std::optional<AccountExport> export_account(std::int64_t id) const = 0;
  // The generation of the account's private feed address (0 until first
  // renewed); a feed token names the generation it was made for, so renewing
  // revokes every earlier token. nullopt: no such account.
  virtual std::optional<std::int64_t> feed_generation(std::int64_t id) const = 0;
  // Moves the account to its next feed generation and returns it, atomically
  // (two renewals at once give two distinct generations). nullopt: no account.
  virtual std::optional<std::int64_t> renew_feed_generation(std::int64_t id) = 0;

  // ---- sessions (session.h)
  // False when the account does not exist (nothing stored). A token hash
  // already stored is a bug of the caller's (tokens are random): throws.
  virtual bool create_session(const Session& session) = 0;
  virtual std::optional<Session> find_session(std::string_view token_hash) const = 0;
  // Sets last_seen_at = `now`. False: no such session.
  virtual bool touch_session(std::string_view token_hash, base::TimePoint now) = 0;
  // False: no such session.
  virtual bool delete_session(std::string_view token_hash) = 0;
  // Deletes every session of `account_id` except the one whose hash is
  // `keep_token_hash` (if given); returns how many went.
  virtual int delete_sessions(std::int64_t account_id,
                              std::optional<std::string_view> keep_token_hash = std::nullopt) = 0;
  // Deletes sessions that session_state() would call expired at `now`; returns how many.
  virtual std::int64_t purge_sessions(const SessionPolicy& policy, base::TimePoint now) = 0;

  // ---- e-mail tokens (email_token.h)
  // Stores a token record (used_at must be empty). False when the account
  // does not exist.
  virtual bool add_email_token(const EmailToken& token) = 0;
  // Atomically: if a token with this hash and purpose exists, is unused and
  // expires after `now`, mark it used at `now` and return its account and
  // payload; otherwise nothing (unknown, wrong purpose, used, expired).
  virtual std::optional<ConsumedToken> consume_email_token(TokenPurpose purpose,
                                                           std::string_view token_hash,
                                                           base::TimePoint now) = 0;
  // Deletes tokens that have expired at `now` or been used; returns how many.
  virtual std::int64_t purge_email_tokens(base::TimePoint now) = 0;

  // ---- login throttling (throttle.h)
  // `email` is the normalized address tried (whether or not an account has
  // it); `client_address` an opaque key for where the attempt came from.
  virtual void record_login_failure(std::string_view email, std::string_view client_address,
                                    base::TimePoint at) = 0;
  // Failures for `email` and from `client_address` at or after `since`.
  virtual FailureCounts login_failures(std::string_view email, std::string_view client_address,
                                       base::TimePoint since) const = 0;
  // After a successful login: failures recorded so far stop counting for
  // `email`; they still count for their client addresses.
  virtual void clear_login_failures(std::string_view email) = 0;
  // Deletes failures recorded before `before`; returns how many.
  virtual std::int64_t purge_login_failures(base::TimePoint before) = 0;
};

}  // namespace masthead::members
