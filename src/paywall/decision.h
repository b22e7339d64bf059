// decide(): what one reader may read of one article, now — the paywall.
//
// What it is. A pure function of six values: who is reading (Reader), what
// they asked for (ArticleFacts), what their meter holds in the current period
// (MeterState), what they have paid for (Entitlements), the publisher's rules
// (MeterPolicy) and the instant (`now`, from the handler's Clock). It does no
// I/O and reads no clock, so every rule below is a row in decision_test.cpp.
// Nothing else in Masthead decides what text a reader may see.
//
// The rules, first match wins:
//   1. an active entitlement                 -> kEntitled        full, not counted
//   2. a free article                        -> kFreeArticle     full, not counted
//   3. a sponsored article                   -> kSponsored       full, not counted
//   4. a verified crawler                    -> kCrawler         full if policy.crawler_full_text,
//                                                                else the lead-in; not counted
//   5. already viewed in this period         -> kReread          full, not counted
//   6. an anonymous reader whose network is over its budget: the meter counts
//      as used up (go to 8)
//   7. viewed < limit (anonymous_free or registered_free)
//                                            -> kMetered         full, counted,
//                                               or kLastFree     when none are left after it
//   8. used up: anonymous with registration_wall -> kRegistrationWall
//      else subscription ended after any trial -> kSubscriptionExpired
//      else a trial ended unconverted            -> kTrialExpired
//      else                                      -> kPaywall     all four: lead-in, not counted
// Expiry dates later than `now` are ignored (nothing has expired yet).
//
// The key idea for parallel requests: decide() is also the re-decision. With
// one free view left, ten simultaneous requests for ten articles each decide
// kLastFree from the meter they read; only the store can tell which of them
// fits. So the handler flow is:
//
//   period   = current_period(policy, now)
//   meter    = meters.state(reader_key, period.key, article_id)
//   decision = decide(reader, article, meter, entitlements, policy, now)
//   if (decision.count_view) {
//     // One transaction: read the meter again, insert the view iff the article
//     // is not in it yet and it holds fewer than decision.limit articles, and
//     // answer with the MeterState read *before* the insert.
//     const MeterState found = meters.record_view(reader_key, decision.period,
//                                                 article_id, decision.limit);
//     decision = decide(reader, article, found, entitlements, policy, now);
//   }
//   render only what `decision` allows (full_text, else lead_in_paragraphs)
//
// The second decide() is the one that stands, and it agrees with the store by
// construction: it counts the view exactly when the store inserted it (not
// viewed, below the limit); if another request took the last free view it is
// the wall, with the wall's message; if another request for the same article
// got there first it is a reread. Ten requests, one insert, one full article.
// Pass the same `now` to current_period() and both decide() calls, so that a
// request straddling midnight meters in one period.
//
// Invariants (Decision::broken_invariant() checks them; decide() asserts them):
//   - !full_text implies !count_view: a reader is never charged for a teaser;
//   - count_view implies kMetered or kLastFree, and remaining_after < limit;
//   - kLastFree exactly when a counted view leaves 0; kMetered leaves > 0;
//   - 0 <= remaining_after <= limit; full_text is fixed by the outcome except
//     for kCrawler; the period is non-empty and named (decide() also asserts
//     that it contains `now`).
// A default-constructed Decision is the paywall with nothing shown: code that
// forgets to decide withholds the text rather than giving it away.
//
// To add a rule or an outcome: add the Outcome (and its name), place the rule
// in the numbered list above and in decide(), extend broken_invariant() if it
// changes what is shown or counted, and add its boundary rows to the table in
// decision_test.cpp. Handlers pick messages by outcome, so a new outcome also
// needs a message in locales/.
#pragma once

#include <optional>
#include <string_view>

#include "base/clock.h"
#include "paywall/meter_policy.h"
#include "paywall/period.h"

namespace masthead::paywall {

enum class ReaderKind {
  kAnonymous,        // known by a signed cookie, or not at all
  kRegistered,       // signed in to an account
  kVerifiedCrawler,  // a search engine, verified by DNS or published IP ranges
};

struct Reader {
  ReaderKind kind = ReaderKind::kAnonymous;
  // The anonymous reader's network has had more free views this period than
  // any household plausibly reads (cookie clearing). Ignored for other kinds.
  bool network_over_budget = false;
};

struct ArticleFacts {
  bool free = false;       // marked free by the newsroom: never metered
  bool sponsored = false;  // paid content: never metered
};

// The reader's meter in the current period, as the store holds it.
struct MeterState {
  int viewed = 0;               // distinct articles counted this period (>= 0)
  bool already_viewed = false;  // this article is one of them
  friend bool operator==(const MeterState&, const MeterState&) = default;
};

// What billing knows about the reader's access, now and before.
struct Entitlements {
  bool active = false;  // full access right now (subscription, trial, gift, staff)
  std::optional<base::TimePoint> trial_expired_at;         // a trial ended unconverted
  std::optional<base::TimePoint> subscription_expired_at;  // full access ended
};

enum class Outcome {
  kEntitled,             // full text, no meter message
  kFreeArticle,          // full text: the article is free
  kSponsored,            // full text: sponsored content
  kCrawler,              // a verified crawler: full text or lead-in, per policy
  kMetered,              // full text; "You have N free articles left this month"
  kLastFree,             // full text; "This is your last free article this month"
  kReread,               // full text again, free of charge
  kRegistrationWall,     // lead-in; register for more free articles
  kPaywall,              // lead-in; the current offer
  kTrialExpired,         // lead-in; "Your trial period has expired"
  kSubscriptionExpired,  // lead-in; "Your full access to ... has expired"
};

// "entitled", "free_article", ..., "subscription_expired": for logs and tests.
std::string_view outcome_name(Outcome outcome);

struct Decision {
  Outcome outcome = Outcome::kPaywall;
  bool full_text = false;   // the whole body; otherwise lead_in_paragraphs of it
  bool count_view = false;  // record this view in the meter (see the flow above)
  // Free views left after this one, for the meter message. Meaningful for
  // kMetered, kLastFree and kReread; 0 for the walls; 0 with limit 0 for the
  // outcomes that do not look at the meter (entitled, free, sponsored, crawler).
  int remaining_after = 0;
  int limit = 0;  // the reader's free views per period
  // Articles the meter had counted this period before this view (0 for the
  // outcomes that do not look at the meter): what a wall may promise, e.g.
  // the registration wall's "N more articles this month".
  int viewed = 0;
  int lead_in_paragraphs = 0;  // how much of the body to show when !full_text
  Period period;               // the period metered in; its key is the meter's

  // The first invariant this decision breaks, as a sentence; empty if none.
  std::string_view broken_invariant() const;
  // Asserts that no invariant is broken (debug builds).
  void check() const;
};

// The period decide() meters in: fetch the MeterState for its key.
Period current_period(const MeterPolicy& policy, base::TimePoint now);

// The paywall decision; see the rules above. `policy` must be valid
// (validate(policy) empty): an unknown time zone throws std::invalid_argument.
Decision decide(const Reader& reader, const ArticleFacts& article, const MeterState& meter,
                const Entitlements& entitlements, const MeterPolicy& policy, base::TimePoint now);

}  // namespace masthead::paywall
