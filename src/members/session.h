// Sessions: server-side login sessions with random tokens, stored hashed,
// and the pure rule that says whether one is still valid.
//
// What it is. Logging in makes a fresh token with new_session_token() (256
// random bits, OWASP ASVS 4.0.3 V3.2.2) that goes to the reader's browser in
// the session cookie and nowhere else; the store keeps a Session keyed by
// its SHA-256 (session_token_hash(), V3.2.3 spirit: a copy of the database
// opens no session). Each session has its own CSRF secret, which the web
// layer puts in every state-changing form and compares with
// equal_in_constant_time() (secret_text.h).
//
// The key idea: validity is a pure function of the record, the policy and
// `now`. session_state() answers kValid, kIdleExpired (no request for
// idle_timeout, V3.3.2) or kAbsolutelyExpired (older than absolute_timeout,
// whatever the activity, V3.3.2/V3.3.4 spirit); expired sessions are deleted
// by the caller (MemberStore::delete_session) or swept by
// MemberStore::purge_sessions.
//
// The handler flow, with `now` from the caller's Clock:
//   login:    delete_session(old cookie's hash, if any); create_session(new_session(...))
//             — a new token at every login, never the one the browser brought (V3.2.1)
//   request:  if !is_token_text(cookie) → anonymous; s = find_session(hash(cookie));
//             session_state(*s, policy, now) != kValid → delete it, anonymous;
//             else touch_session(hash, now)
//   logout:   delete_session(hash) (V3.3.1)
//   password change: delete_sessions(account, except the current hash) (V3.3.3)
//
// Invariants: a boundary instant is expired (now == last_seen_at + idle is
// idle-expired; now == created_at + absolute is absolutely expired), and the
// absolute timeout wins when both have passed.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace masthead::members {

struct Session {
  std::string token_hash;  // session_token_hash(token): 64 hex digits
  std::int64_t account_id = 0;
  base::TimePoint created_at;
  base::TimePoint last_seen_at;
  std::string csrf_secret;  // random_token(): per session
  friend bool operator==(const Session&, const Session&) = default;
};

struct SessionPolicy {
  std::chrono::seconds idle_timeout = std::chrono::minutes(30);
  std::chrono::seconds absolute_timeout = std::chrono::hours(12);
};

enum class SessionState { kValid, kIdleExpired, kAbsolutelyExpired };

SessionState session_state(const Session& session, const SessionPolicy& policy,
                           base::TimePoint now);

// A fresh session token for the cookie: random_token() (256 bits, base64url).
std::string new_session_token();

// What the store keys a session by: sha256_hex(token).
std::string session_token_hash(std::string_view token);

// The record for a fresh `token` of `account_id`, created and last seen at
// `now`, with a fresh CSRF secret. Times are whole seconds, as stores keep them.
Session new_session(std::string_view token, std::int64_t account_id, base::TimePoint now);

}  // namespace masthead::members
