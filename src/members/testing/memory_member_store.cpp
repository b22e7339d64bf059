// See memory_member_store.h.
#include "members/testing/memory_member_store.h"

#include <algorithm>
#include <stdexcept>

namespace masthead::members::testing {

namespace {
base::TimePoint seconds(base::TimePoint t) {
  return std::chrono::time_point_cast<std::chrono::seconds>(t);
}
}  // namespace

CreatedAccount MemoryMemberStore::create_account(std::string_view email,
                                                 std::string_view password_hash,
                                                 base::TimePoint now) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, a] : accounts_)
    if (a.email == email) return {AccountWrite::kEmailTaken, {}};
  Account account{next_id_++, std::string(email), std::string(password_hash), seconds(now),
                  std::nullopt};
  accounts_[account.id] = account;
  return {AccountWrite::kDone, account};
}

std::optional<Account> MemoryMemberStore::find_account(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) return std::nullopt;
  return it->second;
}

std::optional<Account> MemoryMemberStore::find_account_by_email(std::string_view email) const {
  std::lock_guard lock(mutex_);
  for (const auto& [id, a] : accounts_)
    if (a.email == email) return a;
  return std::nullopt;
}

bool MemoryMemberStore::confirm_email(std::int64_t id, base::TimePoint at) {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) return false;
  it->second.email_confirmed_at = seconds(at);
  return true;
}

void MemoryMemberStore::drop_unused_tokens(std::int64_t account_id,
                                           std::optional<TokenPurpose> purpose) {
  std::erase_if(tokens_, [&](const auto& entry) {
    const EmailToken& t = entry.second;
    return t.account_id == account_id && !t.used_at && (!purpose || t.purpose == *purpose);
  });
}

bool MemoryMemberStore::set_password_hash(std::int64_t id, std::string_view password_hash) {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) return false;
  it->second.password_hash = password_hash;
  drop_unused_tokens(id, TokenPurpose::kResetPassword);
  return true;
}

AccountWrite MemoryMemberStore::change_email(std::int64_t id, std::string_view new_email,
                                             base::TimePoint confirmed_at) {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) return AccountWrite::kNoAccount;
  for (const auto& [other, a] : accounts_)
    if (other != id && a.email == new_email) return AccountWrite::kEmailTaken;
  it->second.email = new_email;
  it->second.email_confirmed_at = seconds(confirmed_at);
  drop_unused_tokens(id, std::nullopt);
  return AccountWrite::kDone;
}

bool MemoryMemberStore::delete_account(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) return false;
  const std::string email = it->second.email;
  accounts_.erase(it);
  feed_generations_.erase(id);
  std::erase_if(sessions_, [&](const auto& s) { return s.second.account_id == id; });
  std::erase_if(tokens_, [&](const auto& t) { return t.second.account_id == id; });
  std::erase_if(failures_, [&](const Failure& f) { return f.email == email; });
  return true;
}

std::optional<std::int64_t> MemoryMemberStore::feed_generation(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  if (!accounts_.contains(id)) return std::nullopt;
  auto it = feed_generations_.find(id);
  return it == feed_generations_.end() ? 0 : it->second;
}

std::optional<std::int64_t> MemoryMemberStore::renew_feed_generation(std::int64_t id) {
  std::lock_guard lock(mutex_);
  if (!accounts_.contains(id)) return std::nullopt;
  return ++feed_generations_[id];
}

std::optional<AccountExport> MemoryMemberStore::export_account(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) return std::nullopt;
  AccountExport out{id, it->second.email, it->second.created_at, it->second.email_confirmed_at, {}};
  std::vector<Session> mine;
  for (const auto& [hash, s] : sessions_)
    if (s.account_id == id) mine.push_back(s);
  std::sort(mine.begin(), mine.end(),
            [](const Session& a, const Session& b) { return a.created_at < b.created_at; });
  for (const Session& s : mine) out.sessions.push_back({s.created_at, s.last_seen_at});
  return out;
}

bool MemoryMemberStore::create_session(const Session& session) {
  std::lock_guard lock(mutex_);
  if (!accounts_.count(session.account_id)) return false;
  if (sessions_.count(session.token_hash))
    throw std::logic_error("MemoryMemberStore: a session token hash stored twice");
  Session stored = session;
  stored.created_at = seconds(session.created_at);
  stored.last_seen_at = seconds(session.last_seen_at);
  sessions_[session.token_hash] = stored;
  return true;
}

std::optional<Session> MemoryMemberStore::find_session(std::string_view token_hash) const {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(token_hash);
  if (it == sessions_.end()) return std::nullopt;
  return it->second;
}

bool MemoryMemberStore::touch_session(std::string_view token_hash, base::TimePoint now) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(token_hash);
  if (it == sessions_.end()) return false;
  it->second.last_seen_at = seconds(now);
  return true;
}

bool MemoryMemberStore::delete_session(std::string_view token_hash) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(token_hash);
  if (it == sessions_.end()) return false;
  sessions_.erase(it);
  return true;
}

int MemoryMemberStore::delete_sessions(std::int64_t account_id,
                                       std::optional<std::string_view> keep_token_hash) {
  std::lock_guard lock(mutex_);
  return static_cast<int>(std::erase_if(sessions_, [&](const auto& entry) {
    return entry.second.account_id == account_id &&
           (!keep_token_hash || entry.first != *keep_token_hash);
  }));
}

std::int64_t MemoryMemberStore::purge_sessions(const SessionPolicy& policy, base::TimePoint now) {
  std::lock_guard lock(mutex_);
  return static_cast<std::int64_t>(std::erase_if(sessions_, [&](const auto& entry) {
    return session_state(entry.second, policy, now) != SessionState::kValid;
  }));
}

bool MemoryMemberStore::add_email_token(const EmailToken& token) {
  std::lock_guard lock(mutex_);
  if (!accounts_.count(token.account_id)) return false;
  EmailToken stored = token;
  stored.expires_at = seconds(token.expires_at);
  tokens_[token.token_hash] = stored;
  return true;
}

std::optional<ConsumedToken> MemoryMemberStore::consume_email_token(TokenPurpose purpose,
                                                                    std::string_view token_hash,
                                                                    base::TimePoint now) {
  std::lock_guard lock(mutex_);
  auto it = tokens_.find(token_hash);
  if (it == tokens_.end()) return std::nullopt;
  EmailToken& t = it->second;
  if (t.purpose != purpose || t.used_at || now >= t.expires_at) return std::nullopt;
  t.used_at = seconds(now);
  return ConsumedToken{t.account_id, t.payload};
}

std::int64_t MemoryMemberStore::purge_email_tokens(base::TimePoint now) {
  std::lock_guard lock(mutex_);
  return static_cast<std::int64_t>(std::erase_if(tokens_, [&](const auto& entry) {
    return entry.second.used_at || now >= entry.second.expires_at;
  }));
}

void MemoryMemberStore::record_login_failure(std::string_view email,
                                             std::string_view client_address, base::TimePoint at) {
  std::lock_guard lock(mutex_);
  failures_.push_back({std::string(email), std::string(client_address), seconds(at), false});
}

FailureCounts MemoryMemberStore::login_failures(std::string_view email,
                                                std::string_view client_address,
                                                base::TimePoint since) const {
  std::lock_guard lock(mutex_);
  FailureCounts counts;
  for (const Failure& f : failures_) {
    if (f.at < since) continue;
    if (!f.cleared && f.email == email) ++counts.account;
    if (f.client_address == client_address) ++counts.address;
  }
  return counts;
}

void MemoryMemberStore::clear_login_failures(std::string_view email) {
  std::lock_guard lock(mutex_);
  for (Failure& f : failures_)
    if (f.email == email) f.cleared = true;
}

std::int64_t MemoryMemberStore::purge_login_failures(base::TimePoint before) {
  std::lock_guard lock(mutex_);
  return static_cast<std::int64_t>(
      std::erase_if(failures_, [&](const Failure& f) { return f.at < before; }));
}

}  // namespace masthead::members::testing
