// MeterPolicy: the publisher's paywall settings, and their validation.
//
// What it is. The `[paywall]` table of the configuration (and, later, of the
// admin UI), as a plain value:
//
//   [paywall]
//   anonymous_free = 5          # free articles per period for anonymous readers
//   registered_free = 10        # for readers with an account
//   registration_wall = true    # anonymous meter used up: ask to register first
//   period = "month"            # "day", "week" (ISO, from Monday) or "month"
//   timezone = "Asia/Tokyo"     # periods start at local midnight in this zone
//   lead_in_paragraphs = 1      # what a reader who may not read on sees of the body
//   crawler_full_text = true    # verified crawlers get the full text
//   anonymous_network_free = 0  # free views per period for all anonymous readers of one
//                               # network together; 0 = no network budget
//
// The key idea: a policy is checked once, when it is loaded, and then trusted.
// validate() returns every problem as a sentence naming the configuration key,
// so that start-up (or the admin form) can show them all at once; decide()
// assumes a policy for which validate() returned nothing.
//
// Invariants of a valid policy: both free counts are >= 0 (0 means "no free
// articles": the first metered view meets the wall); anonymous_network_free
// is >= 0 (0 means "off"); the period is one of the
// PeriodKind values; ICU knows the time zone (not "Etc/Unknown");
// 0 <= lead_in_paragraphs <= kMaxLeadInParagraphs.
//
// Nothing here says whether registering carries the anonymous count over to
// the account's meter: that is the meter store's business. With
// registration_wall on, a registered_free no larger than anonymous_free is
// valid, but only sensible if it does not.
//
// To add a setting: add the field with the default a new publication should
// get, a check in validate() with a test in meter_policy_test.cpp, and the key
// in config/masthead.example.toml when app/ starts reading it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "paywall/period.h"

namespace masthead::paywall {

// More lead-in than this is not a teaser but the article.
inline constexpr int kMaxLeadInParagraphs = 20;

struct MeterPolicy {
  int anonymous_free = 5;
  int registered_free = 10;
  bool registration_wall = true;
  PeriodKind period = PeriodKind::kMonth;
  std::string time_zone = "UTC";  // IANA id; app/ should pass the site's zone
  int lead_in_paragraphs = 1;
  bool crawler_full_text = true;
  // The network budget against cookie clearing: how many free metered views
  // all anonymous readers of one network (readers' network_key(): an address
  // prefix and browser family) may take together per period before NEW
  // anonymous identities from that network meet the registration wall
  // (Reader::network_over_budget). Readers whose meter already holds views
  // keep their own meter. 0 turns the budget off; otherwise set it well above
  // what one household reads (say 10 x anonymous_free). The counters live in
  // the meter store (MeterStore::add_network_view).
  int anonymous_network_free = 0;
};

// Every problem with `policy`, one sentence each, naming the configuration
// key ("paywall.timezone: unknown time zone 'Asia/Tokio'"); empty if valid.
std::vector<std::string> validate(const MeterPolicy& policy);

// The configuration's spelling of the period ("day", "week", "month") as a
// PeriodKind, or the sentence to show: "paywall.period: unknown period
// 'fortnight' (expected day, week or month)".
base::Result<PeriodKind> parse_period_setting(std::string_view name);

}  // namespace masthead::paywall
