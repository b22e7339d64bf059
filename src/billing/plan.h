// Plans: what a reader can subscribe to, and the small types the rest of
// billing shares (intervals, entitlement sets, Status).
//
// What it is. A Plan is a price per interval (a month or a year) in one
// currency, and the entitlements it grants (web, apps, print). Plans are
// stored (BillingStore::put_plan) and managed by the CLI; they are never
// deleted, only made inactive, so a subscription's plan code always resolves.
//
// The key idea: money is an integer count of the currency's minor units
// (cents), never a floating-point amount, and the currency is its ISO 4217
// code. Intervals are calendar intervals in UTC: a monthly period that starts
// on January 31 ends on February 28 (add_intervals clamps to the month's end),
// as Stripe does.
//
// Invariants (validate() names every broken one as a sentence): the code is a
// slug (lowercase ASCII letters, digits and '-', 1-64 characters, not
// starting or ending with '-'); the name is not empty; the price is >= 0; the
// currency is three uppercase ASCII letters; the plan grants at least one
// entitlement.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"

namespace masthead::billing {

// The value of a successful operation that returns nothing: Status is
// Result<Done>, "done or an Error with a sentence".
struct Done {};
using Status = base::Result<Done>;

enum class Interval { kMonth, kYear };

// "month" / "year", and back (nullopt for anything else).
std::string_view interval_name(Interval interval);
std::optional<Interval> parse_interval(std::string_view text);

// `start` plus `n` calendar months or years (n >= 0), in UTC, keeping the
// time of day; a day that does not exist in the target month becomes its last
// day (Jan 31 + 1 month = Feb 28 or 29).
base::TimePoint add_intervals(base::TimePoint start, Interval interval, int n);

// What a subscription grants.
struct EntitlementSet {
  bool web = false;    // full text on the website: what the paywall asks about
  bool apps = false;   // the apps (later)
  bool print = false;  // the printed edition (later; fulfilment is not Masthead's)

  bool empty() const { return !web && !apps && !print; }
  EntitlementSet operator|(const EntitlementSet& o) const {
    return {web || o.web, apps || o.apps, print || o.print};
  }
  friend bool operator==(const EntitlementSet&, const EntitlementSet&) = default;
};

// "web,apps,print" (in that order, only those present; "" when empty), and
// back: a comma-separated list of those words, spaces allowed, no repeats.
std::string format_entitlements(EntitlementSet set);
base::Result<EntitlementSet> parse_entitlements(std::string_view text);

struct Plan {
  std::string code;              // slug, the plan's identity: "digital-monthly"
  std::string name;              // shown to readers: "Digital, monthly"
  std::int64_t price_minor = 0;  // per interval, in minor units: 2900 = $29.00
  std::string currency = "USD";  // ISO 4217
  Interval interval = Interval::kMonth;
  EntitlementSet entitlements{true, false, false};
  bool active = true;  // offered to new subscribers; existing subscriptions keep it either way
  friend bool operator==(const Plan&, const Plan&) = default;
};

// A slug: [a-z0-9-], 1-64 characters, no leading or trailing '-'.
bool is_slug(std::string_view text);
// ISO 4217 shape: exactly three uppercase ASCII letters (the list of codes is
// not checked: the gateway refuses a currency it does not know).
bool is_currency_code(std::string_view text);

// Every problem with `plan`, as sentences; empty when it may be stored.
std::vector<std::string> validate(const Plan& plan);

}  // namespace masthead::billing
