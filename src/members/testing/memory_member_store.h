// MemoryMemberStore: the MemberStore contract in memory, for unit tests of
// the services above it (registration, login, links) without a database.
//
// It is held to the same conformance suite as the SQLite store
// (member_store_conformance.h), races included: one mutex guards every
// method, so each is atomic, which is what the contract asks of the real
// stores' transactions. It only has to be right, not fast.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "members/member_store.h"

namespace masthead::members::testing {

class MemoryMemberStore final : public MemberStore {
 public:
  CreatedAccount create_account(std::string_view email, std::string_view password_hash,
                                base::TimePoint now) override;
  std::optional<Account> find_account(std::int64_t id) const override;
  std::optional<Account> find_account_by_email(std::string_view email) const override;
  bool confirm_email(std::int64_t id, base::TimePoint at) override;
  bool set_password_hash(std::int64_t id, std::string_view password_hash) override;
  AccountWrite change_email(std::int64_t id, std::string_view new_email,
                            base::TimePoint confirmed_at) override;
  bool delete_account(std::int64_t id) override;
  std::optional<std::int64_t> feed_generation(std::int64_t id) const override;
  std::optional<std::int64_t> renew_feed_generation(std::int64_t id) override;
  std::optional<AccountExport> export_account(std::int64_t id) const override;

  bool create_session(const Session& session) override;
  std::optional<Session> find_session(std::string_view token_hash) const override;
  bool touch_session(std::string_view token_hash, base::TimePoint now) override;
  bool delete_session(std::string_view token_hash) override;
  int delete_sessions(std::int64_t account_id,
                      std::optional<std::string_view> keep_token_hash) override;
  std::int64_t purge_sessions(const SessionPolicy& policy, base::TimePoint now) override;

  bool add_email_token(const EmailToken& token) override;
  std::optional<ConsumedToken> consume_email_token(TokenPurpose purpose,
                                                   std::string_view token_hash,
                                                   base::TimePoint now) override;
  std::int64_t purge_email_tokens(base::TimePoint now) override;

  void record_login_failure(std::string_view email, std::string_view client_address,
                            base::TimePoint at) override;
  FailureCounts login_failures(std::string_view email, std::string_view client_address,
                               base::TimePoint since) const override;
  void clear_login_failures(std::string_view email) override;
  std::int64_t purge_login_failures(base::TimePoint before) override;

 private:
  struct Failure {
    std::string email;
    std::string client_address;
    base::TimePoint at;
    bool cleared = false;  // counts for its client address only
  };
  void drop_unused_tokens(std::int64_t account_id, std::optional<TokenPurpose> purpose);

  mutable std::mutex mutex_;
  std::int64_t next_id_ = 1;
  std::map<std::int64_t, Account> accounts_;
  std::map<std::int64_t, std::int64_t> feed_generations_;  // absent: 0
  std::map<std::string, Session, std::less<>> sessions_;
  std::map<std::string, EmailToken, std::less<>> tokens_;
  std::vector<Failure> failures_;
};

}  // namespace masthead::members::testing
