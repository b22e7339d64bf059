// Login throttling: too many failed logins for one account, or from one
// client address, and further attempts are refused for a while (OWASP ASVS
// 4.0.3 V2.2.1; the web layer answers 429).
//
// What it is. Every failed login is recorded in the store with the address
// it was made for (the normalized e-mail, whether or not an account has it,
// so unknown and known addresses behave alike), the client address and the
// instant. Before checking a password the handler asks the store how many
// failures each key has inside the policy's window and applies throttled();
// a successful login clears the account's failures (not the address's, so a
// password sprayer that guesses one right is not forgiven the others), and
// old failures are deleted by MemberStore::purge_login_failures().
//
// The key idea: the rule is a pure function of two counts and the policy,
// table-tested at its boundaries; the store only counts rows in a window
// (a sliding window: the last `window` before `now`, inclusive of its start).
//
//   since  = window_start(policy, now)
//   counts = store.login_failures(email, client_address, since)
//   if (throttled(counts, policy)) → 429, no password check, nothing recorded
//   else verify; failure → store.record_login_failure(email, client_address, now)
//               success → store.clear_login_failures(email)
#pragma once

#include <chrono>

#include "base/clock.h"

namespace masthead::members {

struct ThrottlePolicy {
  int max_account_failures = 5;   // per e-mail address, within the window
  int max_address_failures = 20;  // per client address, within the window
  std::chrono::seconds window = std::chrono::minutes(15);
};

struct FailureCounts {
  int account = 0;  // failures for the e-mail address inside the window
  int address = 0;  // failures from the client address inside the window
  friend bool operator==(const FailureCounts&, const FailureCounts&) = default;
};

// True when either count has reached its maximum.
bool throttled(const FailureCounts& counts, const ThrottlePolicy& policy);

// The first instant that still counts: now - window.
base::TimePoint window_start(const ThrottlePolicy& policy, base::TimePoint now);

}  // namespace masthead::members
