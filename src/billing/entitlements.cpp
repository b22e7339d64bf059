// See entitlements.h.
#include "billing/entitlements.h"

#include <algorithm>

namespace masthead::billing {
namespace {

EntitlementSet plan_grants(const std::vector<Plan>& plans, const std::string& code) {
  for (const Plan& p : plans)
    if (p.code == code) return p.entitlements;
  return EntitlementSet{true, false, false};
}

void keep_latest(std::optional<base::TimePoint>& slot, base::TimePoint t) {
  if (!slot || *slot < t) slot = t;
}

}  // namespace

EntitlementSet entitlement_set_at(const std::vector<Subscription>& of_account,
                                  const std::vector<Plan>& plans, base::TimePoint now,
                                  std::chrono::seconds grace) {
  EntitlementSet set;
  for (const Subscription& s : of_account)
    if (effective_state(s, now, grace).grants_access()) set = set | plan_grants(plans, s.plan_code);
  return set;
}

paywall::Entitlements entitlements_at(const std::vector<Subscription>& of_account,
                                      const std::vector<Plan>& plans, base::TimePoint now,
                                      std::chrono::seconds grace) {
  paywall::Entitlements out;
  out.active = entitlement_set_at(of_account, plans, now, grace).web;
  for (const Subscription& s : of_account) {
    const EffectiveState e = effective_state(s, now, grace);
    if (e.grants_access() || !e.ended_at) continue;
    if (s.activated_at) {
      keep_latest(out.subscription_expired_at, *e.ended_at);
    } else if (e.trial_unconverted) {
      const bool converted_elsewhere =
          std::any_of(of_account.begin(), of_account.end(), [&](const Subscription& other) {
            return other.activated_at && *other.activated_at >= s.started_at &&
                   *other.activated_at <= *e.ended_at;
          });
      if (!converted_elsewhere) keep_latest(out.trial_expired_at, *e.ended_at);
    }
  }
  return out;
}

}  // namespace masthead::billing
