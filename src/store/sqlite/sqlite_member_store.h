// SqliteMemberStore: members::MemberStore on the SQLite file.
//
// What it is. Accounts, sessions, e-mail tokens and login failures are the
// tables of migration 3 (schema_members.h). Every write is one BEGIN
// IMMEDIATE transaction on a pooled connection, which stays synchronous=FULL:
// accounts are never relaxed (unlike meter views), so a registration, a
// password change or a logout that returned is on disk and survives kill -9
// and power loss alike.
//
// The key idea: the races of member_store.h are settled by constraints and
// single statements, not by reading first.
// - create_account is INSERT ... ON CONFLICT (email) DO NOTHING: the UNIQUE
//   address lets exactly one of two concurrent registrations in;
//   change_email is an UPDATE that the same constraint refuses.
// - consume_email_token is one UPDATE ... SET used_at WHERE used_at IS NULL
//   AND expires_at > now RETURNING account_id, payload: one row changed, one
//   winner.
// - create_session and add_email_token insert only WHERE EXISTS the account,
//   inside the transaction, and the foreign keys (ON DELETE CASCADE) take a
//   deleted account's sessions and tokens along.
// BEGIN IMMEDIATE takes the write lock at the start, so two writers (threads
// here, or the CLI) queue on the busy timeout instead of deadlocking on a
// read lock upgrade.
//
// Thread safety: every method may be called from any thread; each call
// leases its own connection from the Database's pool.
#pragma once

#include <memory>

#include "members/member_store.h"
#include "store/sqlite/database.h"

namespace masthead::store::sqlite {

class SqliteMemberStore final : public members::MemberStore {
 public:
  explicit SqliteMemberStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  members::CreatedAccount create_account(std::string_view email, std::string_view password_hash,
                                         base::TimePoint now) override;
  std::optional<members::Account> find_account(std::int64_t id) const override;
  std::optional<members::Account> find_account_by_email(std::string_view email) const override;
  bool confirm_email(std::int64_t id, base::TimePoint at) override;
  bool set_password_hash(std::int64_t id, std::string_view password_hash) override;
  members::AccountWrite change_email(std::int64_t id, std::string_view new_email,
                                     base::TimePoint confirmed_at) override;
  bool delete_account(std::int64_t id) override;
  std::optional<std::int64_t> feed_generation(std::int64_t id) const override;
  std::optional<std::int64_t> renew_feed_generation(std::int64_t id) override;
  std::optional<members::AccountExport> export_account(std::int64_t id) const override;

  bool create_session(const members::Session& session) override;
  std::optional<members::Session> find_session(std::string_view token_hash) const override;
  bool touch_session(std::string_view token_hash, base::TimePoint now) override;
  bool delete_session(std::string_view token_hash) override;
  int delete_sessions(std::int64_t account_id,
                      std::optional<std::string_view> keep_token_hash = std::nullopt) override;
  std::int64_t purge_sessions(const members::SessionPolicy& policy, base::TimePoint now) override;

  bool add_email_token(const members::EmailToken& token) override;
  std::optional<members::ConsumedToken> consume_email_token(members::TokenPurpose purpose,
                                                            std::string_view token_hash,
                                                            base::TimePoint now) override;
  std::int64_t purge_email_tokens(base::TimePoint now) override;

  void record_login_failure(std::string_view email, std::string_view client_address,
                            base::TimePoint at) override;
  members::FailureCounts login_failures(std::string_view email, std::string_view client_address,
                                        base::TimePoint since) const override;
  void clear_login_failures(std::string_view email) override;
  std::int64_t purge_login_failures(base::TimePoint before) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace masthead::store::sqlite
