// entitlements_at(): what decide() is told, from an account's subscriptions,
// as a table over a moving clock.
#include "billing/entitlements.h"

#include <gtest/gtest.h>

#include "base/iso_time.h"

namespace masthead::billing {
namespace {

using namespace std::chrono_literals;

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

constexpr std::chrono::seconds kGrace = 3 * 24h;
const base::TimePoint kStart = at("2026-11-01T00:00:00Z");

const std::vector<Plan> kPlans = {
    {"web", "Web", 2900, "USD", Interval::kMonth, {true, false, false}, true},
    {"print-only", "Print", 1900, "USD", Interval::kMonth, {false, false, true}, true},
    {"all", "All", 4900, "USD", Interval::kMonth, {true, true, true}, false},
};

Subscription base_of(std::string plan, std::int64_t id) {
  Subscription s;
  s.id = id;
  s.account_id = 7;
  s.plan_code = std::move(plan);
  s.started_at = kStart;
  return s;
}

// A trial of 14 days from `start`.
Subscription trial(base::TimePoint start, std::int64_t id = 1) {
  Subscription s = base_of("web", id);
  s.id = 0;
  s = trial_started(s, start, start + 14 * 24h);
  s.id = id;
  return s;
}

// Paid from `start` for a month, cancelling at its end.
Subscription paid(std::string plan, base::TimePoint start, std::int64_t id = 2) {
  Subscription s = base_of(plan, id);
  s.id = 0;
  s = checkout_completed(s, kPlans[0], std::nullopt, start, BillingPeriod{start, start + 30 * 24h});
  s.plan_code = plan;
  s.cancel_at_period_end = true;
  s.id = id;
  return s;
}

std::string describe(const paywall::Entitlements& e) {
  std::string out = e.active ? "active" : "inactive";
  if (e.trial_expired_at) out += ", trial expired " + base::format_iso8601_utc(*e.trial_expired_at);
  if (e.subscription_expired_at)
    out += ", subscription expired " + base::format_iso8601_utc(*e.subscription_expired_at);
  return out;
}

TEST(Entitlements, FromSubscriptionsAtAnInstant) {
  Subscription print = paid("web", kStart);
  print.plan_code = "print-only";
  Subscription unknown_plan = paid("web", kStart);
  unknown_plan.plan_code = "gone";
  Subscription local_trial = trial(kStart, 1);
  Subscription converted_elsewhere = paid("web", kStart + 2 * 24h, 2);
  struct Row {
    const char* what;
    std::vector<Subscription> subs;
    const char* now;
    std::string expected;
  };
  const Row rows[] = {
      {"nothing", {}, "2026-11-05T00:00:00Z", "inactive"},
      {"in a trial", {trial(kStart)}, "2026-11-14T23:59:59Z", "active"},
      {"trial ended exactly",
       {trial(kStart)},
       "2026-11-15T00:00:00Z",
       "inactive, trial expired 2026-11-15T00:00:00Z"},
      {"paid", {paid("web", kStart)}, "2026-11-30T23:59:59Z", "active"},
      {"paid, cancelled, period over",
       {paid("web", kStart)},
       "2026-12-01T00:00:00Z",
       "inactive, subscription expired 2026-12-01T00:00:00Z"},
      {"print only grants no web", {print}, "2026-11-05T00:00:00Z", "inactive"},
      {"an unknown plan grants web", {unknown_plan}, "2026-11-05T00:00:00Z", "active"},
      {"trial, later paid and ended: both dates",
       {trial(kStart), paid("web", kStart + 60 * 24h)},
       "2027-02-01T00:00:00Z",
       "inactive, trial expired 2026-11-15T00:00:00Z, subscription expired 2027-01-30T00:00:00Z"},
      {"a trial converted through another subscription is not 'expired'",
       {local_trial, converted_elsewhere},
       "2027-01-01T00:00:00Z",
       "inactive, subscription expired 2026-12-03T00:00:00Z"},
      {"one active among ended ones",
       {trial(kStart), paid("web", kStart + 20 * 24h)},
       "2026-11-25T00:00:00Z",
       "active, trial expired 2026-11-15T00:00:00Z"},
  };
  for (const Row& row : rows)
    EXPECT_EQ(describe(entitlements_at(row.subs, kPlans, at(row.now), kGrace)), row.expected)
        << row.what;
}

TEST(Entitlements, PastDueKeepsAccessUntilTheGraceEnds) {
  Subscription s = payment_failed(paid("web", kStart), kStart + 10 * 24h);
  s.cancel_at_period_end = false;
  EXPECT_TRUE(entitlements_at({s}, kPlans, kStart + 13 * 24h - 1s, kGrace).active);
  const paywall::Entitlements after = entitlements_at({s}, kPlans, kStart + 13 * 24h, kGrace);
  EXPECT_FALSE(after.active);
  EXPECT_EQ(after.subscription_expired_at, kStart + 13 * 24h);
}

TEST(Entitlements, TheSetIsTheUnionOfLivePlans) {
  Subscription all = paid("web", kStart, 3);
  all.plan_code = "all";
  Subscription print = paid("web", kStart, 4);
  print.plan_code = "print-only";
  const base::TimePoint now = kStart + 24h;
  EXPECT_EQ(entitlement_set_at({print}, kPlans, now, kGrace), (EntitlementSet{false, false, true}));
  EXPECT_EQ(entitlement_set_at({print, paid("web", kStart)}, kPlans, now, kGrace),
            (EntitlementSet{true, false, true}));
  EXPECT_EQ(entitlement_set_at({all}, kPlans, now, kGrace), (EntitlementSet{true, true, true}));
  EXPECT_EQ(entitlement_set_at({all}, kPlans, kStart + 31 * 24h, kGrace), EntitlementSet{});
}

}  // namespace
}  // namespace masthead::billing
