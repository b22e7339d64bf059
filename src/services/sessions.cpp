// See sessions.h.
#include "services/sessions.h"

#include "members/secret_text.h"

namespace masthead::services {

namespace {
std::optional<std::string> hash_of(std::string_view token) {
  if (!members::is_token_text(token)) return std::nullopt;
  return members::session_token_hash(token);
}
}  // namespace

Sessions::Sessions(members::MemberStore& members, members::SessionPolicy policy,
                   const base::Clock& clock)
    : members_(members), policy_(policy), clock_(clock) {}

std::optional<SignedIn> Sessions::find(std::string_view token) const {
  auto hash = hash_of(token);
  if (!hash) return std::nullopt;
  auto session = members_.find_session(*hash);
  if (!session) return std::nullopt;
  const base::TimePoint now = clock_.now();
  if (members::session_state(*session, policy_, now) != members::SessionState::kValid) {
    members_.delete_session(*hash);
    return std::nullopt;
  }
  auto account = members_.find_account(session->account_id);
  if (!account) {
    members_.delete_session(*hash);
    return std::nullopt;
  }
  if (now - session->last_seen_at >= std::chrono::minutes(1) && members_.touch_session(*hash, now))
    session->last_seen_at = std::chrono::time_point_cast<std::chrono::seconds>(now);
  return SignedIn{std::move(*account), std::move(*session)};
}

std::string Sessions::start(std::int64_t account_id, std::optional<std::string_view> previous) {
  if (previous)
    if (auto old = hash_of(*previous)) members_.delete_session(*old);
  std::string token = members::new_session_token();
  members_.create_session(members::new_session(token, account_id, clock_.now()));
  return token;
}

void Sessions::end(std::string_view token) {
  if (auto hash = hash_of(token)) members_.delete_session(*hash);
}

void Sessions::end_all(std::int64_t account_id) {
  members_.delete_sessions(account_id);
}

void Sessions::purge() {
  members_.purge_sessions(policy_, clock_.now());
}

}  // namespace masthead::services
