// Tests for decide(): one table row per rule at every boundary — limit-1,
// limit, limit+1 for anonymous and registered readers, zero limits, rereads
// at and past the limit, free and sponsored articles past the limit,
// entitled readers, crawlers, networks over budget, the registration wall on
// and off, and which expiry message wins — then an exhaustive sweep over
// small inputs checking the invariants and the product's promises, the
// handler flow of decision.h against a fake meter store (including ten
// simultaneous requests for ten articles with one free view left), and
// broken_invariant() catching decisions that break the rules.
//
// The default policy here is the issue's: 5 anonymous, 10 registered, the
// registration wall on, calendar months in Asia/Tokyo; "now" is
// 2026-11-18T07:30:00Z, in the period "2026-11".
#include "paywall/decision.h"

#include <latch>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/iso_time.h"

namespace masthead::paywall {
namespace {

base::TimePoint at(const char* iso) {
  const auto t = base::parse_iso8601(iso);
  if (!t) throw std::invalid_argument(std::string("bad instant in test: ") + iso);
  return *t;
}

const base::TimePoint kNow = at("2026-11-18T07:30:00Z");

MeterPolicy issue_policy() {
  MeterPolicy p;
  p.anonymous_free = 5;
  p.registered_free = 10;
  p.registration_wall = true;
  p.period = PeriodKind::kMonth;
  p.time_zone = "Asia/Tokyo";
  p.lead_in_paragraphs = 2;
  return p;
}

constexpr ReaderKind kAnonymous = ReaderKind::kAnonymous;
constexpr ReaderKind kRegistered = ReaderKind::kRegistered;
constexpr ReaderKind kCrawler = ReaderKind::kVerifiedCrawler;

// One row: the inputs that vary, and every field of the expected decision.
struct Row {
  const char* name;
  // Reader
  ReaderKind kind = kAnonymous;
  bool over_budget = false;
  // ArticleFacts
  bool free = false;
  bool sponsored = false;
  // MeterState
  int viewed = 0;
  bool already = false;
  // Entitlements; instants as ISO 8601, nullptr for none
  bool active = false;
  const char* trial_expired = nullptr;
  const char* subscription_expired = nullptr;
  // MeterPolicy changes
  int anonymous_free = 5;
  int registered_free = 10;
  bool wall = true;
  bool crawler_full_text = true;
  // Expected
  Outcome outcome = Outcome::kPaywall;
  bool full = false;
  bool count = false;
  int remaining = 0;
  int limit = 0;
};

std::ostream& operator<<(std::ostream& out, const Row& row) {
  return out << row.name;
}

Decision decide_row(const Row& r) {
  MeterPolicy policy = issue_policy();
  policy.anonymous_free = r.anonymous_free;
  policy.registered_free = r.registered_free;
  policy.registration_wall = r.wall;
  policy.crawler_full_text = r.crawler_full_text;
  Entitlements e;
  e.active = r.active;
  if (r.trial_expired) e.trial_expired_at = at(r.trial_expired);
  if (r.subscription_expired) e.subscription_expired_at = at(r.subscription_expired);
  return decide(Reader{r.kind, r.over_budget}, ArticleFacts{r.free, r.sponsored},
                MeterState{r.viewed, r.already}, e, policy, kNow);
}

class DecisionTable : public testing::TestWithParam<Row> {};

TEST_P(DecisionTable, DecidesAsTheRulesSay) {
  const Row& r = GetParam();
  const Decision d = decide_row(r);
  EXPECT_EQ(outcome_name(d.outcome), outcome_name(r.outcome));
  EXPECT_EQ(d.full_text, r.full);
  EXPECT_EQ(d.count_view, r.count);
  EXPECT_EQ(d.remaining_after, r.remaining);
  EXPECT_EQ(d.limit, r.limit);
  EXPECT_EQ(d.lead_in_paragraphs, 2);
  EXPECT_EQ(d.period.key, "2026-11");
  EXPECT_TRUE(d.period.contains(kNow));
  EXPECT_EQ(d.broken_invariant(), "");
}

using O = Outcome;

// clang-format off
const Row kRows[] = {
    // Anonymous readers, limit 5: 4 left after the first view, the 5th is the last.
    {.name = "AnonFirstView", .viewed = 0, .outcome = O::kMetered, .full = true, .count = true, .remaining = 4, .limit = 5},
    {.name = "AnonLimitMinus2", .viewed = 3, .outcome = O::kMetered, .full = true, .count = true, .remaining = 1, .limit = 5},
    {.name = "AnonLimitMinus1IsLastFree", .viewed = 4, .outcome = O::kLastFree, .full = true, .count = true, .remaining = 0, .limit = 5},
    {.name = "AnonAtLimitRegistrationWall", .viewed = 5, .outcome = O::kRegistrationWall, .limit = 5},
    {.name = "AnonPastLimitRegistrationWall", .viewed = 6, .outcome = O::kRegistrationWall, .limit = 5},
    {.name = "AnonLimitMinus1NoWall", .viewed = 4, .wall = false, .outcome = O::kLastFree, .full = true, .count = true, .remaining = 0, .limit = 5},
    {.name = "AnonAtLimitNoWallPaywall", .viewed = 5, .wall = false, .outcome = O::kPaywall, .limit = 5},
    {.name = "AnonPastLimitNoWallPaywall", .viewed = 6, .wall = false, .outcome = O::kPaywall, .limit = 5},

    // Registered readers, limit 10; the registration wall is not for them.
    {.name = "RegFirstView", .kind = kRegistered, .viewed = 0, .outcome = O::kMetered, .full = true, .count = true, .remaining = 9, .limit = 10},
    {.name = "RegAtAnonymousLimit", .kind = kRegistered, .viewed = 5, .outcome = O::kMetered, .full = true, .count = true, .remaining = 4, .limit = 10},
    {.name = "RegLimitMinus2", .kind = kRegistered, .viewed = 8, .outcome = O::kMetered, .full = true, .count = true, .remaining = 1, .limit = 10},
    {.name = "RegLimitMinus1IsLastFree", .kind = kRegistered, .viewed = 9, .outcome = O::kLastFree, .full = true, .count = true, .remaining = 0, .limit = 10},
    {.name = "RegAtLimitPaywall", .kind = kRegistered, .viewed = 10, .outcome = O::kPaywall, .limit = 10},
    {.name = "RegPastLimitPaywall", .kind = kRegistered, .viewed = 11, .outcome = O::kPaywall, .limit = 10},
    {.name = "RegAtLimitNoWallPaywall", .kind = kRegistered, .viewed = 10, .wall = false, .outcome = O::kPaywall, .limit = 10},

    // Zero and one free article.
    {.name = "AnonZeroLimitWall", .viewed = 0, .anonymous_free = 0, .outcome = O::kRegistrationWall, .limit = 0},
    {.name = "AnonZeroLimitNoWall", .viewed = 0, .anonymous_free = 0, .wall = false, .outcome = O::kPaywall, .limit = 0},
    {.name = "RegZeroLimit", .kind = kRegistered, .viewed = 0, .registered_free = 0, .outcome = O::kPaywall, .limit = 0},
    {.name = "AnonLimitOneFirstViewIsLast", .viewed = 0, .anonymous_free = 1, .outcome = O::kLastFree, .full = true, .count = true, .remaining = 0, .limit = 1},
    {.name = "AnonLimitOneSecondView", .viewed = 1, .anonymous_free = 1, .outcome = O::kRegistrationWall, .limit = 1},
    {.name = "RegLimitOneFirstViewIsLast", .kind = kRegistered, .viewed = 0, .registered_free = 1, .outcome = O::kLastFree, .full = true, .count = true, .remaining = 0, .limit = 1},

    // Rereads cost nothing, at and past the limit too.
    {.name = "AnonRereadBelowLimit", .viewed = 3, .already = true, .outcome = O::kReread, .full = true, .remaining = 2, .limit = 5},
    {.name = "AnonRereadAtLimitMinus1", .viewed = 4, .already = true, .outcome = O::kReread, .full = true, .remaining = 1, .limit = 5},
    {.name = "AnonRereadAtLimit", .viewed = 5, .already = true, .outcome = O::kReread, .full = true, .remaining = 0, .limit = 5},
    {.name = "AnonRereadPastLimit", .viewed = 7, .already = true, .outcome = O::kReread, .full = true, .remaining = 0, .limit = 5},
    {.name = "AnonRereadAtLimitNoWall", .viewed = 5, .already = true, .wall = false, .outcome = O::kReread, .full = true, .remaining = 0, .limit = 5},
    {.name = "RegRereadLimitMinus1", .kind = kRegistered, .viewed = 9, .already = true, .outcome = O::kReread, .full = true, .remaining = 1, .limit = 10},
    {.name = "RegRereadAtLimit", .kind = kRegistered, .viewed = 10, .already = true, .outcome = O::kReread, .full = true, .remaining = 0, .limit = 10},
    {.name = "RegRereadPastLimit", .kind = kRegistered, .viewed = 12, .already = true, .outcome = O::kReread, .full = true, .remaining = 0, .limit = 10},
    // The publisher lowered the limit to 0 mid-period: what was read stays readable.
    {.name = "RereadAfterLimitLoweredToZero", .viewed = 3, .already = true, .anonymous_free = 0, .outcome = O::kReread, .full = true, .remaining = 0, .limit = 0},

    // Free and sponsored articles: never counted, even past the limit.
    {.name = "FreeAnonFirstView", .free = true, .viewed = 0, .outcome = O::kFreeArticle, .full = true},
    {.name = "FreeAnonPastLimit", .free = true, .viewed = 9, .outcome = O::kFreeArticle, .full = true},
    {.name = "FreeAnonZeroLimit", .free = true, .anonymous_free = 0, .outcome = O::kFreeArticle, .full = true},
    {.name = "FreeRegAtLimit", .kind = kRegistered, .free = true, .viewed = 10, .outcome = O::kFreeArticle, .full = true},
    {.name = "FreeAnonOverBudget", .over_budget = true, .free = true, .viewed = 9, .outcome = O::kFreeArticle, .full = true},
    {.name = "FreeAnonRereadPastLimit", .free = true, .viewed = 9, .already = true, .outcome = O::kFreeArticle, .full = true},
    {.name = "SponsoredAnonFirstView", .sponsored = true, .outcome = O::kSponsored, .full = true},
    {.name = "SponsoredAnonPastLimit", .sponsored = true, .viewed = 6, .outcome = O::kSponsored, .full = true},
    {.name = "SponsoredRegAtLimit", .kind = kRegistered, .sponsored = true, .viewed = 10, .outcome = O::kSponsored, .full = true},
    {.name = "SponsoredAnonOverBudget", .over_budget = true, .sponsored = true, .outcome = O::kSponsored, .full = true},
    {.name = "FreeAndSponsoredIsFree", .free = true, .sponsored = true, .viewed = 6, .outcome = O::kFreeArticle, .full = true},

    // Entitled readers are never metered.
    {.name = "EntitledFirstView", .kind = kRegistered, .active = true, .outcome = O::kEntitled, .full = true},
    {.name = "EntitledPastLimit", .kind = kRegistered, .viewed = 50, .active = true, .outcome = O::kEntitled, .full = true},
    {.name = "EntitledZeroLimit", .kind = kRegistered, .active = true, .registered_free = 0, .outcome = O::kEntitled, .full = true},
    {.name = "EntitledFreeArticle", .kind = kRegistered, .free = true, .active = true, .outcome = O::kEntitled, .full = true},
    {.name = "EntitledReread", .kind = kRegistered, .viewed = 3, .already = true, .active = true, .outcome = O::kEntitled, .full = true},
    {.name = "EntitledAfterAnEarlierLapse", .kind = kRegistered, .viewed = 10, .active = true, .trial_expired = "2025-01-01T00:00:00Z", .subscription_expired = "2026-01-01T00:00:00Z", .outcome = O::kEntitled, .full = true},

    // Verified crawlers: full text by default, the lead-in if the publisher says so.
    {.name = "CrawlerFullText", .kind = kCrawler, .outcome = O::kCrawler, .full = true},
    {.name = "CrawlerIgnoresMeter", .kind = kCrawler, .viewed = 100, .outcome = O::kCrawler, .full = true},
    {.name = "CrawlerLeadIn", .kind = kCrawler, .crawler_full_text = false, .outcome = O::kCrawler},
    {.name = "CrawlerLeadInStillGetsFreeArticles", .kind = kCrawler, .free = true, .crawler_full_text = false, .outcome = O::kFreeArticle, .full = true},
    {.name = "CrawlerLeadInStillGetsSponsored", .kind = kCrawler, .sponsored = true, .crawler_full_text = false, .outcome = O::kSponsored, .full = true},
    {.name = "CrawlerOverBudgetFlagIgnored", .kind = kCrawler, .over_budget = true, .outcome = O::kCrawler, .full = true},

    // An anonymous reader's network over its budget: the meter counts as used up.
    {.name = "OverBudgetFirstView", .over_budget = true, .viewed = 0, .outcome = O::kRegistrationWall, .limit = 5},
    {.name = "OverBudgetNoWall", .over_budget = true, .viewed = 0, .wall = false, .outcome = O::kPaywall, .limit = 5},
    {.name = "OverBudgetRereadStillFree", .over_budget = true, .viewed = 2, .already = true, .outcome = O::kReread, .full = true, .remaining = 0, .limit = 5},
    {.name = "OverBudgetIgnoredForRegistered", .kind = kRegistered, .over_budget = true, .viewed = 0, .outcome = O::kMetered, .full = true, .count = true, .remaining = 9, .limit = 10},

    // Which wall: the most recent ending that has happened decides.
    {.name = "TrialExpired", .kind = kRegistered, .viewed = 10, .trial_expired = "2026-10-01T00:00:00Z", .outcome = O::kTrialExpired, .limit = 10},
    {.name = "SubscriptionExpired", .kind = kRegistered, .viewed = 10, .subscription_expired = "2026-10-01T00:00:00Z", .outcome = O::kSubscriptionExpired, .limit = 10},
    {.name = "SubscriptionEndedAfterTrial", .kind = kRegistered, .viewed = 10, .trial_expired = "2026-01-01T00:00:00Z", .subscription_expired = "2026-10-01T00:00:00Z", .outcome = O::kSubscriptionExpired, .limit = 10},
    {.name = "TrialEndedAfterSubscription", .kind = kRegistered, .viewed = 10, .trial_expired = "2026-10-01T00:00:00Z", .subscription_expired = "2025-06-01T00:00:00Z", .outcome = O::kTrialExpired, .limit = 10},
    {.name = "SameInstantTrialWins", .kind = kRegistered, .viewed = 10, .trial_expired = "2026-10-01T00:00:00Z", .subscription_expired = "2026-10-01T00:00:00Z", .outcome = O::kTrialExpired, .limit = 10},
    {.name = "SubscriptionEndingNowHasEnded", .kind = kRegistered, .viewed = 10, .subscription_expired = "2026-11-18T07:30:00Z", .outcome = O::kSubscriptionExpired, .limit = 10},
    {.name = "SubscriptionEndingLaterIsNoHistory", .kind = kRegistered, .viewed = 10, .subscription_expired = "2026-12-01T00:00:00Z", .outcome = O::kPaywall, .limit = 10},
    {.name = "TrialEndingLaterIsNoHistory", .kind = kRegistered, .viewed = 10, .trial_expired = "2026-11-18T07:30:01Z", .outcome = O::kPaywall, .limit = 10},
    {.name = "FutureTrialDoesNotHideEndedSubscription", .kind = kRegistered, .viewed = 10, .trial_expired = "2026-12-01T00:00:00Z", .subscription_expired = "2026-10-01T00:00:00Z", .outcome = O::kSubscriptionExpired, .limit = 10},
    {.name = "ExpiredWithFreeViewsLeftIsMetered", .kind = kRegistered, .viewed = 3, .subscription_expired = "2026-10-01T00:00:00Z", .outcome = O::kMetered, .full = true, .count = true, .remaining = 6, .limit = 10},
    {.name = "ExpiredLastFreeView", .kind = kRegistered, .viewed = 9, .trial_expired = "2026-10-01T00:00:00Z", .outcome = O::kLastFree, .full = true, .count = true, .remaining = 0, .limit = 10},
    {.name = "AnonRegistrationWallBeforeHistory", .viewed = 5, .subscription_expired = "2026-10-01T00:00:00Z", .outcome = O::kRegistrationWall, .limit = 5},
    {.name = "AnonNoWallHistoryMessage", .viewed = 5, .subscription_expired = "2026-10-01T00:00:00Z", .wall = false, .outcome = O::kSubscriptionExpired, .limit = 5},
    {.name = "ZeroLimitTrialExpired", .kind = kRegistered, .trial_expired = "2026-10-01T00:00:00Z", .registered_free = 0, .outcome = O::kTrialExpired, .limit = 0},

    // A store never says this; if it did, it must not widen the limit.
    {.name = "NegativeCountIsEmpty", .viewed = -3, .outcome = O::kMetered, .full = true, .count = true, .remaining = 4, .limit = 5},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Rules, DecisionTable, testing::ValuesIn(kRows),
                         [](const testing::TestParamInfo<Row>& info) {
                           return std::string(info.param.name);
                         });

TEST(DecisionTest, EveryOutcomeHasARowInTheTable) {
  std::set<std::string_view> seen;
  for (const Row& r : kRows) seen.insert(outcome_name(r.outcome));
  EXPECT_EQ(seen.size(), 11u);
}

TEST(DecisionTest, OutcomeNamesAreDistinct) {
  std::set<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(Outcome::kSubscriptionExpired); ++i) {
    names.insert(outcome_name(static_cast<Outcome>(i)));
  }
  EXPECT_EQ(names.size(), 11u);
  EXPECT_EQ(names.count("unknown"), 0u);
}

// The period is the policy's, in the policy's zone: at Tokyo's midnight
// starting December the meter moves to a new key.
// A decision says what count it saw, so that a wall can promise exactly
// what registering gives (registered_free minus the views already counted).
TEST(DecisionTest, CarriesTheCountItSaw) {
  const MeterPolicy policy = issue_policy();
  const base::TimePoint now = at("2026-11-18T07:30:00Z");
  for (int viewed : {0, 1, 4, 5, 7}) {
    const Decision d = decide(Reader{}, {}, MeterState{viewed, false}, {}, policy, now);
    EXPECT_EQ(d.viewed, viewed) << viewed;
  }
  EXPECT_EQ(decide(Reader{}, {}, MeterState{-3, false}, {}, policy, now).viewed, 0);
  EXPECT_EQ(decide(Reader{}, {.free = true}, MeterState{4, false}, {}, policy, now).viewed, 0)
      << "a free article does not look at the meter";
}

TEST(DecisionTest, MetersInThePolicysPeriod) {
  const MeterPolicy policy = issue_policy();
  const Reader anonymous{};
  const base::TimePoint before = at("2026-11-30T14:59:59Z");
  const base::TimePoint after = at("2026-11-30T15:00:00Z");
  const Decision in_november = decide(anonymous, {}, {}, {}, policy, before);
  const Decision in_december = decide(anonymous, {}, {}, {}, policy, after);
  EXPECT_EQ(in_november.period.key, "2026-11");
  EXPECT_EQ(in_december.period.key, "2026-12");
  EXPECT_EQ(in_november.period, current_period(policy, before));
  EXPECT_EQ(in_december.period, current_period(policy, after));

  MeterPolicy weekly = policy;
  weekly.period = PeriodKind::kWeek;
  EXPECT_EQ(decide(anonymous, {}, {}, {}, weekly, kNow).period.key, "2026-W47");
  // The unmetered outcomes carry the period too, for logs and for the handler.
  Entitlements active;
  active.active = true;
  EXPECT_EQ(decide(anonymous, {}, {}, active, policy, before).period.key, "2026-11");
}

TEST(DecisionTest, UnknownZoneInPolicyThrows) {
  MeterPolicy policy = issue_policy();
  policy.time_zone = "Asia/Tokio";
  EXPECT_THROW(decide({}, {}, {}, {}, policy, kNow), std::invalid_argument);
}

TEST(DecisionTest, DefaultDecisionWithholdsTheText) {
  const Decision d;
  EXPECT_EQ(d.outcome, Outcome::kPaywall);
  EXPECT_FALSE(d.full_text);
  EXPECT_FALSE(d.count_view);
}

// Every combination of small inputs: the invariants hold, and the product's
// promises (PRODUCT.md section 3) hold as stated there.
TEST(DecisionTest, SweepKeepsInvariantsAndPromises) {
  // No expiry, one in the past, one not yet (precedence is the table's job).
  const std::optional<base::TimePoint> instants[] = {std::nullopt, at("2026-10-01T00:00:00Z"),
                                                     at("2026-12-01T00:00:00Z")};
  std::vector<MeterPolicy> policies;
  for (int limit : {0, 1, 2, 5}) {
    for (bool wall : {false, true}) {
      for (bool crawler_full_text : {false, true}) {
        MeterPolicy policy = issue_policy();
        policy.anonymous_free = limit;
        policy.registered_free = limit + 1;
        policy.registration_wall = wall;
        policy.crawler_full_text = crawler_full_text;
        policies.push_back(policy);
      }
    }
  }
  std::vector<Reader> readers;
  for (ReaderKind kind : {kAnonymous, kRegistered, kCrawler}) {
    for (bool over_budget : {false, true}) readers.push_back({kind, over_budget});
  }
  const ArticleFacts articles[] = {{false, false}, {true, false}, {false, true}, {true, true}};
  std::vector<Entitlements> entitlements;
  for (bool active : {false, true}) {
    for (const auto& trial : instants) {
      for (const auto& subscription : instants) {
        entitlements.push_back({active, trial, subscription});
      }
    }
  }

  int decisions = 0;
  for (const MeterPolicy& policy : policies) {
    std::vector<MeterState> meters;
    for (int viewed = 0; viewed <= policy.registered_free + 2; ++viewed) {
      meters.push_back({viewed, false});
      if (viewed > 0) meters.push_back({viewed, true});  // a reread needs a view
    }
    for (const Reader& reader : readers) {
      const int cap = reader.kind == kAnonymous ? policy.anonymous_free : policy.registered_free;
      const bool network_spent = reader.kind == kAnonymous && reader.network_over_budget;
      for (const ArticleFacts& article : articles) {
        for (const MeterState& meter : meters) {
          for (const Entitlements& e : entitlements) {
            const Decision d = decide(reader, article, meter, e, policy, kNow);
            ++decisions;
            ASSERT_EQ(std::string(d.broken_invariant()), "") << outcome_name(d.outcome);
            const bool unmetered = e.active || article.free || article.sponsored;
            // Entitled readers, free and sponsored articles, rereads: the
            // full text, never counted. (A crawler has no meter to reread from.)
            if (unmetered || (meter.already_viewed && reader.kind != kCrawler)) {
              ASSERT_TRUE(d.full_text);
              ASSERT_FALSE(d.count_view);
            }
            // Crawlers are never counted.
            if (reader.kind == kCrawler) {
              ASSERT_FALSE(d.count_view);
            }
            // A counted view fits under the reader's limit.
            if (d.count_view) {
              ASSERT_LT(meter.viewed, cap);
              ASSERT_EQ(d.limit, cap);
            }
            // The meter decides exactly when nothing above does.
            if (!unmetered && !meter.already_viewed && reader.kind != kCrawler) {
              ASSERT_EQ(d.full_text, meter.viewed < cap && !network_spent);
              ASSERT_EQ(d.count_view, d.full_text);
            }
          }
        }
      }
    }
  }
  EXPECT_GT(decisions, 10000);
}

// Meter math over a whole period: a reader who opens articles one after
// another gets exactly `limit` full ones, the last of them kLastFree, and the
// remaining count steps down by one each time.
TEST(DecisionTest, AWholePeriodOfReading) {
  for (ReaderKind kind : {kAnonymous, kRegistered}) {
    const MeterPolicy policy = issue_policy();
    const int limit = kind == kAnonymous ? policy.anonymous_free : policy.registered_free;
    int viewed = 0;
    int full = 0;
    for (int article = 0; article < limit + 3; ++article) {
      const Decision d = decide({kind, false}, {}, {viewed, false}, {}, policy, kNow);
      if (d.full_text) {
        ++full;
        EXPECT_EQ(d.remaining_after, limit - full);
        EXPECT_EQ(d.outcome, full == limit ? Outcome::kLastFree : Outcome::kMetered);
      } else {
        EXPECT_EQ(d.outcome, kind == kAnonymous ? Outcome::kRegistrationWall : Outcome::kPaywall);
      }
      if (d.count_view) ++viewed;
    }
    EXPECT_EQ(full, limit);
    EXPECT_EQ(viewed, limit);
  }
}

// --- The handler flow of decision.h against a fake meter store --------------

// One reader's meter: the articles viewed per period key. record_view() is
// the store's atomic conditional insert: under one lock it reads the meter,
// inserts the view iff the article is new and fewer than `limit` are there,
// and answers with the MeterState it read before inserting.
class FakeMeterStore {
 public:
  MeterState state(const std::string& period_key, const std::string& article) {
    std::lock_guard lock(mutex_);
    const std::set<std::string>& viewed = views_[period_key];
    return {static_cast<int>(viewed.size()), viewed.count(article) > 0};
  }

  MeterState record_view(const std::string& period_key, const std::string& article, int limit) {
    std::lock_guard lock(mutex_);
    std::set<std::string>& viewed = views_[period_key];
    const MeterState found{static_cast<int>(viewed.size()), viewed.count(article) > 0};
    if (!found.already_viewed && found.viewed < limit) viewed.insert(article);
    return found;
  }

  int count(const std::string& period_key) {
    std::lock_guard lock(mutex_);
    return static_cast<int>(views_[period_key].size());
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::set<std::string>> views_;
};

// The documented flow, with the meter read and the recording split so that a
// test can hold requests between them.
struct Request {
  Reader reader;
  std::string article;
  MeterPolicy policy = issue_policy();
  Decision first;
  Decision final;

  void read_and_decide(FakeMeterStore& store) {
    const Period period = current_period(policy, kNow);
    const MeterState meter = store.state(period.key, article);
    first = decide(reader, {}, meter, {}, policy, kNow);
    final = first;
  }
  void record(FakeMeterStore& store) {
    if (!first.count_view) return;
    const MeterState found = store.record_view(first.period.key, article, first.limit);
    final = decide(reader, {}, found, {}, policy, kNow);
  }
};

void fill(FakeMeterStore& store, int views) {
  for (int i = 0; i < views; ++i) {
    Request r{.article = "earlier-" + std::to_string(i)};
    r.read_and_decide(store);
    r.record(store);
  }
}

// PRODUCT.md: "with one free view left, ten simultaneous requests for ten
// articles yield exactly one full article". Every request reads the meter
// (4 of 5 viewed) and decides kLastFree before any of them records; the
// store lets one insert through and the others re-decide into the wall.
TEST(DecisionFlowTest, TenParallelRequestsWithOneViewLeftYieldOneFullArticle) {
  FakeMeterStore store;
  fill(store, 4);
  const std::string key = current_period(issue_policy(), kNow).key;
  ASSERT_EQ(store.count(key), 4);

  constexpr int kRequests = 10;
  std::vector<Request> requests(kRequests);
  std::latch all_decided(kRequests);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    requests[i].article = "article-" + std::to_string(i);
    threads.emplace_back([&, i] {
      requests[i].read_and_decide(store);
      all_decided.arrive_and_wait();
      requests[i].record(store);
    });
  }
  for (std::thread& t : threads) t.join();

  int full = 0;
  for (const Request& r : requests) {
    EXPECT_EQ(r.first.outcome, Outcome::kLastFree);  // everyone saw one view left
    EXPECT_EQ(r.final.broken_invariant(), "");
    if (r.final.full_text) {
      ++full;
      EXPECT_EQ(r.final.outcome, Outcome::kLastFree);
      EXPECT_TRUE(r.final.count_view);
    } else {
      EXPECT_EQ(r.final.outcome, Outcome::kRegistrationWall);
      EXPECT_FALSE(r.final.count_view);
    }
  }
  EXPECT_EQ(full, 1);
  EXPECT_EQ(store.count(key), 5);
}

// Ten simultaneous requests for the same article with one view left: one
// counts it, the others find it recorded and read it as a reread.
TEST(DecisionFlowTest, ParallelRequestsForOneArticleCountItOnce) {
  FakeMeterStore store;
  fill(store, 4);
  constexpr int kRequests = 10;
  std::vector<Request> requests(kRequests);
  std::latch all_decided(kRequests);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    requests[i].article = "the-same-article";
    threads.emplace_back([&, i] {
      requests[i].read_and_decide(store);
      all_decided.arrive_and_wait();
      requests[i].record(store);
    });
  }
  for (std::thread& t : threads) t.join();
  int counted = 0;
  int rereads = 0;
  for (const Request& r : requests) {
    EXPECT_TRUE(r.final.full_text);
    if (r.final.count_view) ++counted;
    if (r.final.outcome == Outcome::kReread) ++rereads;
  }
  EXPECT_EQ(counted, 1);
  EXPECT_EQ(rereads, kRequests - 1);
  EXPECT_EQ(store.count(current_period(issue_policy(), kNow).key), 5);
}

// The re-decision alone, without threads: what the handler does with each
// answer the store can give after a decision to count.
TEST(DecisionFlowTest, ReDecidingWithTheMeterTheStoreFound) {
  const MeterPolicy policy = issue_policy();
  const Reader anonymous{};
  const Decision first = decide(anonymous, {}, {3, false}, {}, policy, kNow);
  ASSERT_EQ(first.outcome, Outcome::kMetered);
  ASSERT_EQ(first.remaining_after, 1);

  // The store found what we read: inserted; the decision stands unchanged.
  const Decision same = decide(anonymous, {}, {3, false}, {}, policy, kNow);
  EXPECT_EQ(same.outcome, first.outcome);
  EXPECT_EQ(same.remaining_after, first.remaining_after);
  // Another article was counted meanwhile: still fits, but it is the last.
  EXPECT_EQ(decide(anonymous, {}, {4, false}, {}, policy, kNow).outcome, Outcome::kLastFree);
  // The meter filled meanwhile: the store refused; the wall, nothing counted.
  const Decision refused = decide(anonymous, {}, {5, false}, {}, policy, kNow);
  EXPECT_EQ(refused.outcome, Outcome::kRegistrationWall);
  EXPECT_FALSE(refused.full_text);
  EXPECT_FALSE(refused.count_view);
  // A parallel request for this article recorded it: a reread.
  const Decision reread = decide(anonymous, {}, {4, true}, {}, policy, kNow);
  EXPECT_EQ(reread.outcome, Outcome::kReread);
  EXPECT_TRUE(reread.full_text);
  EXPECT_FALSE(reread.count_view);
}

// --- broken_invariant() catches what decide() must never produce ------------

struct Corruption {
  const char* name;
  void (*apply)(Decision&);
};

std::ostream& operator<<(std::ostream& out, const Corruption& c) {
  return out << c.name;
}

class BrokenInvariant : public testing::TestWithParam<Corruption> {};

TEST_P(BrokenInvariant, IsReported) {
  // Start from a valid counted decision and break one thing.
  Decision d = decide({}, {}, {2, false}, {}, issue_policy(), kNow);
  ASSERT_EQ(d.broken_invariant(), "");
  GetParam().apply(d);
  EXPECT_NE(d.broken_invariant(), "");
}

const Corruption kCorruptions[] = {
    {"CountedTeaser", [](Decision& d) { d.full_text = false; }},
    {"WallThatCounts", [](Decision& d) { d.outcome = Outcome::kPaywall; }},
    {"MeteredNotCounted", [](Decision& d) { d.count_view = false; }},
    {"RereadCounted", [](Decision& d) { d.outcome = Outcome::kReread; }},
    {"LastFreeWithViewsLeft", [](Decision& d) { d.outcome = Outcome::kLastFree; }},
    {"MeteredWithNoneLeft", [](Decision& d) { d.remaining_after = 0; }},
    {"RemainingAboveLimit", [](Decision& d) { d.remaining_after = d.limit + 1; }},
    {"NegativeRemaining", [](Decision& d) { d.remaining_after = -1; }},
    {"NegativeLimit", [](Decision& d) { d.limit = -1; }},
    {"LeadInTooLong", [](Decision& d) { d.lead_in_paragraphs = kMaxLeadInParagraphs + 1; }},
    {"EmptyPeriod", [](Decision& d) { d.period.end = d.period.start; }},
    {"UnnamedPeriod", [](Decision& d) { d.period.key.clear(); }},
    {"WallShowingText",
     [](Decision& d) {
       d.outcome = Outcome::kPaywall;
       d.count_view = false;
       d.remaining_after = 0;
     }},
    {"EntitledWithheld",
     [](Decision& d) {
       d.outcome = Outcome::kEntitled;
       d.count_view = false;
       d.full_text = false;
       d.remaining_after = 0;
       d.limit = 0;
     }},
    {"FreeArticleWithMeter",
     [](Decision& d) {
       d.outcome = Outcome::kFreeArticle;
       d.count_view = false;
     }},
};

INSTANTIATE_TEST_SUITE_P(Decisions, BrokenInvariant, testing::ValuesIn(kCorruptions),
                         [](const testing::TestParamInfo<Corruption>& info) {
                           return std::string(info.param.name);
                         });

// In debug builds check() stops the process with the reason; decide() calls
// it on every decision. Release builds (NDEBUG) only run the statement.
TEST(DecisionDeathTest, CheckAssertsWithTheReason) {
  Decision d = decide({}, {}, {2, false}, {}, issue_policy(), kNow);
  d.full_text = false;
  EXPECT_DEBUG_DEATH(d.check(), "counted only when the full text is shown");
}

}  // namespace
}  // namespace masthead::paywall
