// See session.h.
#include "members/session.h"

#include "members/secret_text.h"

namespace masthead::members {

SessionState session_state(const Session& session, const SessionPolicy& policy,
                           base::TimePoint now) {
  if (now >= session.created_at + policy.absolute_timeout) return SessionState::kAbsolutelyExpired;
  if (now >= session.last_seen_at + policy.idle_timeout) return SessionState::kIdleExpired;
  return SessionState::kValid;
}

std::string new_session_token() {
  return random_token();
}

std::string session_token_hash(std::string_view token) {
  return sha256_hex(token);
}

Session new_session(std::string_view token, std::int64_t account_id, base::TimePoint now) {
  const base::TimePoint second = std::chrono::floor<std::chrono::seconds>(now);
  return Session{session_token_hash(token), account_id, second, second, random_token()};
}

}  // namespace masthead::members
