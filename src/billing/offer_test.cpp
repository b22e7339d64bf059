// Offers: current in [starts_at, ends_at), eligibility, the paywall's offer
// (an expired one means none), validation.
#include "billing/offer.h"

#include <gtest/gtest.h>

#include "base/iso_time.h"

namespace masthead::billing {
namespace {

using namespace std::chrono_literals;

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

Offer dated(std::string code, const char* from, const char* to, bool paywall = false) {
  Offer o;
  o.code = std::move(code);
  o.plan_code = "digital-monthly";
  o.kind = OfferKind::kIntroPrice;
  o.intro_price_minor = 900;
  o.intro_intervals = 3;
  o.starts_at = at(from);
  o.ends_at = at(to);
  o.paywall = paywall;
  return o;
}

TEST(Offer, IsCurrentFromItsStartUntilJustBeforeItsEnd) {
  const Offer o = dated("winter", "2026-11-01T00:00:00Z", "2027-02-01T00:00:00Z");
  struct Row {
    base::TimePoint now;
    bool current;
  };
  const Row rows[] = {
      {o.starts_at - 1s, false}, {o.starts_at, true},     {o.ends_at - 1s, true},
      {o.ends_at, false},        {o.ends_at + 1s, false},
  };
  for (const Row& row : rows)
    EXPECT_EQ(is_current(o, row.now), row.current) << base::format_iso8601_utc(row.now);
}

TEST(Offer, EligibilityByHistory) {
  Offer intro = dated("winter", "2026-11-01T00:00:00Z", "2027-02-01T00:00:00Z");
  Offer trial = intro;
  trial.kind = OfferKind::kTrial;
  struct Row {
    const char* what;
    bool trial;
    bool new_only;
    AccountHistory history;
    bool eligible;
  };
  const Row rows[] = {
      {"new, intro for new", false, true, {false, false}, true},
      {"subscribed before, intro for new", false, true, {true, false}, false},
      {"trial before, intro for new", false, true, {false, true}, false},
      {"subscribed before, intro for all", false, false, {true, false}, true},
      {"new, trial for new", true, true, {false, false}, true},
      {"subscribed, trial for all", true, false, {true, false}, true},
      {"trial before, trial for all", true, false, {true, true}, false},
  };
  for (const Row& row : rows) {
    Offer o = row.trial ? trial : intro;
    o.new_subscribers_only = row.new_only;
    EXPECT_EQ(eligible(o, row.history), row.eligible) << row.what;
  }
}

TEST(Offer, CurrentOffersAndThePaywallOfferFollowTheClock) {
  const std::vector<Offer> all = {
      dated("autumn", "2026-09-01T00:00:00Z", "2026-11-01T00:00:00Z"),
      dated("winter", "2026-11-01T00:00:00Z", "2027-01-01T00:00:00Z", true),
      dated("always", "2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z"),
  };
  struct Row {
    const char* now;
    std::vector<std::string> current;
    const char* paywall;  // nullptr: none
  };
  const Row rows[] = {
      {"2026-10-31T23:59:59Z", {"autumn", "always"}, nullptr},
      {"2026-11-01T00:00:00Z", {"winter", "always"}, "winter"},
      {"2026-12-31T23:59:59Z", {"winter", "always"}, "winter"},
      // The marked offer expired: no paywall offer, no fallback to another one.
      {"2027-01-01T00:00:00Z", {"always"}, nullptr},
  };
  for (const Row& row : rows) {
    std::vector<std::string> codes;
    for (const Offer& o : current_offers(all, at(row.now))) codes.push_back(o.code);
    EXPECT_EQ(codes, row.current) << row.now;
    const std::optional<Offer> p = paywall_offer(all, at(row.now));
    if (row.paywall == nullptr)
      EXPECT_FALSE(p) << row.now;
    else
      EXPECT_EQ(p ? p->code : "", row.paywall) << row.now;
  }
}

TEST(Offer, SeveralMarkedOffersPickTheCurrentOneThatStartedLast) {
  const std::vector<Offer> all = {
      dated("b-early", "2026-10-01T00:00:00Z", "2027-01-01T00:00:00Z", true),
      dated("a-late", "2026-11-01T00:00:00Z", "2027-01-01T00:00:00Z", true),
      dated("future", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z", true),
  };
  EXPECT_EQ(paywall_offer(all, at("2026-11-18T00:00:00Z"))->code, "a-late");
}

TEST(Offer, IntroEndIsIntroIntervalsOfThePlan) {
  Plan plan{"digital-monthly",    "Digital", 2900, "USD", Interval::kMonth,
            {true, false, false}, true};
  const Offer o = dated("winter", "2026-11-01T00:00:00Z", "2027-02-01T00:00:00Z");
  EXPECT_EQ(intro_end(o, plan, at("2026-11-18T07:30:00Z")), at("2027-02-18T07:30:00Z"));
  Offer trial = o;
  trial.kind = OfferKind::kTrial;
  EXPECT_FALSE(intro_end(trial, plan, at("2026-11-18T07:30:00Z")));
}

TEST(Offer, ValidateNamesEveryProblem) {
  const Plan plan{"digital-monthly",    "Digital", 2900, "USD", Interval::kMonth,
                  {true, false, false}, true};
  const Offer good = dated("winter", "2026-11-01T00:00:00Z", "2027-02-01T00:00:00Z");
  EXPECT_TRUE(validate(good, plan).empty());
  Offer trial = good;
  trial.kind = OfferKind::kTrial;
  trial.intro_intervals = 0;
  trial.trial_days = 14;
  trial.intro_price_minor = 0;
  EXPECT_TRUE(validate(trial, plan).empty());
  struct Row {
    const char* what;
    Offer offer;
    const char* expected;
  };
  auto with = [&](auto change) {
    Offer o = good;
    change(o);
    return o;
  };
  const Row rows[] = {
      {"bad code", with([](Offer& o) { o.code = "Winter!"; }), "offer code 'Winter!'"},
      {"no intervals", with([](Offer& o) { o.intro_intervals = 0; }), "1-36 introductory"},
      {"37 intervals", with([](Offer& o) { o.intro_intervals = 37; }), "not 37"},
      {"intro with trial days", with([](Offer& o) { o.trial_days = 3; }), "cannot have trial"},
      {"ends at start", with([](Offer& o) { o.ends_at = o.starts_at; }), "start before it ends"},
      {"negative price", with([](Offer& o) { o.intro_price_minor = -5; }), "negative price"},
      {"not cheaper", with([](Offer& o) { o.intro_price_minor = 2900; }), "must cost less"},
      {"other plan", with([](Offer& o) { o.plan_code = "print"; }), "not 'digital-monthly'"},
      {"trial without days", with([](Offer& o) {
         o.kind = OfferKind::kTrial;
         o.intro_intervals = 0;
       }),
       "1-365 days"},
  };
  for (const Row& row : rows) {
    const std::vector<std::string> problems = validate(row.offer, plan);
    ASSERT_EQ(problems.size(), 1u) << row.what;
    EXPECT_NE(problems[0].find(row.expected), std::string::npos) << row.what << ": " << problems[0];
  }
}

}  // namespace
}  // namespace masthead::billing
