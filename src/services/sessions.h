// Sessions: who is signed in, from the token a browser or an app brings.
//
// What it is. The one place that turns a session token into an account and
// the one place a session is made or ended. A token is 256 random bits; the
// store keeps only its SHA-256 (members/session.h), so a copy of the
// database signs nobody in. find() checks the token's text before hashing,
// drops a session that is idle- or absolutely-expired or whose account is
// gone, and touches the session at most once a minute (the idle timeout
// counts from the last touch).
//
// The key idea: start() never adopts a token the caller brought (session
// fixation): the old one, if any, is deleted and a new one is made. The
// caller (a web page or the apps API) decides how the token travels — a
// cookie, a bearer header — and nothing here knows HTTP.
//
// Thread safety: as safe as the MemberStore (the SQLite store is).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "members/member_store.h"
#include "members/session.h"

namespace masthead::services {

struct SignedIn {
  members::Account account;
  members::Session session;
};

class Sessions {
 public:
  Sessions(members::MemberStore& members, members::SessionPolicy policy, const base::Clock& clock);

  // The account of a live session named by `token` (the raw token text).
  std::optional<SignedIn> find(std::string_view token) const;
  // A new session for `account_id`; `previous` (a token the caller brought)
  // is deleted first. Returns the new raw token.
  std::string start(std::int64_t account_id, std::optional<std::string_view> previous);
  // Deletes the session `token` names (no-op when there is none).
  void end(std::string_view token);
  // Deletes every session of `account_id`.
  void end_all(std::int64_t account_id);
  // Purges expired sessions.
  void purge();

  const members::SessionPolicy& policy() const { return policy_; }

 private:
  members::MemberStore& members_;
  members::SessionPolicy policy_;
  const base::Clock& clock_;
};

}  // namespace masthead::services
