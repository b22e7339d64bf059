// The billing commands: arguments read into validated plans and offers
// (prices in minor units by the currency's digits, dates, offer kinds), bad
// input refused with sentences and nothing stored, and the demo catalogue.
#include "app/billing_cli.h"

#include <gtest/gtest.h>

#include <sstream>

#include "base/iso_time.h"
#include "billing/testing/billing_store_conformance.h"
#include "billing/testing/memory_billing_store.h"

namespace masthead::billing::testing {
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(BillingStoreConformance);
}  // namespace masthead::billing::testing

namespace masthead::app {
namespace {

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

const base::TimePoint kNow = at("2026-11-29T12:00:00Z");

PlanArgs monthly_args() {
  return {"digital-monthly", "Digital monthly", "9.00", "GBP", "month", "web,apps", false};
}

TEST(ParsePrice, ReadsDecimalsByTheCurrencysDigits) {
  EXPECT_EQ(parse_price("9.00", "GBP").value(), 900);
  EXPECT_EQ(parse_price("9", "GBP").value(), 900);
  EXPECT_EQ(parse_price("9.5", "GBP").value(), 950);
  EXPECT_EQ(parse_price("0.01", "USD").value(), 1);
  EXPECT_EQ(parse_price("1000", "JPY").value(), 1000);
  EXPECT_FALSE(parse_price("9.001", "GBP"));
  EXPECT_FALSE(parse_price("10.5", "JPY"));
  EXPECT_FALSE(parse_price("-1", "GBP"));
  EXPECT_FALSE(parse_price("9.", "GBP"));
  EXPECT_FALSE(parse_price(".5", "GBP"));
  EXPECT_FALSE(parse_price("nine", "GBP"));
  EXPECT_FALSE(parse_price("1e3", "GBP"));
  EXPECT_FALSE(parse_price("9.00", "pounds"));
  EXPECT_FALSE(parse_price("9999999999999", "GBP"));
}

TEST(PlanFromArgs, BuildsAValidPlan) {
  auto plan = plan_from_args(monthly_args());
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->price_minor, 900);
  EXPECT_EQ(plan->interval, billing::Interval::kMonth);
  EXPECT_EQ(plan->entitlements, (billing::EntitlementSet{true, true, false}));
  EXPECT_TRUE(plan->active);
}

TEST(PlanFromArgs, NamesEveryProblem) {
  PlanArgs bad{"Not A Slug", "", "nine", "GBP", "week", "web,tv", false};
  auto plan = plan_from_args(bad);
  ASSERT_FALSE(plan);
  const std::string& m = plan.error().message;
  EXPECT_NE(m.find("nine"), std::string::npos) << m;
  EXPECT_NE(m.find("week"), std::string::npos) << m;
  EXPECT_NE(m.find("tv"), std::string::npos) << m;
  EXPECT_GE(std::count(m.begin(), m.end(), '\n'), 3) << m;
}

TEST(OfferFromArgs, IntroPriceAndTrialAndDates) {
  const billing::Plan plan = plan_from_args(monthly_args()).value();
  OfferArgs intro;
  intro.code = "first-month";
  intro.plan = plan.code;
  intro.intro_price = "1.00";
  intro.intro_months = 1;
  intro.ends = "2027-01-31";
  intro.paywall = true;
  auto offer = offer_from_args(intro, plan, kNow);
  ASSERT_TRUE(offer) << offer.error().message;
  EXPECT_EQ(offer->kind, billing::OfferKind::kIntroPrice);
  EXPECT_EQ(offer->intro_price_minor, 100);
  EXPECT_EQ(offer->starts_at, kNow);
  // A date alone for --ends: through that day.
  EXPECT_EQ(offer->ends_at, at("2027-02-01T00:00:00Z"));
  EXPECT_TRUE(offer->paywall);

  OfferArgs trial;
  trial.code = "trial";
  trial.plan = plan.code;
  trial.trial_days = 14;
  trial.starts = "2026-12-01";
  trial.new_subscribers_only = true;
  offer = offer_from_args(trial, plan, kNow);
  ASSERT_TRUE(offer) << offer.error().message;
  EXPECT_EQ(offer->kind, billing::OfferKind::kTrial);
  EXPECT_EQ(offer->trial_days, 14);
  EXPECT_EQ(offer->intro_price_minor, 0);
  EXPECT_EQ(offer->starts_at, at("2026-12-01T00:00:00Z"));
  EXPECT_EQ(offer->ends_at, at(kNoEnd));
  EXPECT_TRUE(offer->new_subscribers_only);
}

TEST(OfferFromArgs, RefusesAmbiguousOrBrokenOffers) {
  const billing::Plan plan = plan_from_args(monthly_args()).value();
  OfferArgs both;
  both.code = "x";
  both.plan = plan.code;
  both.intro_price = "1";
  both.intro_months = 1;
  both.trial_days = 14;
  EXPECT_FALSE(offer_from_args(both, plan, kNow));
  OfferArgs neither{.code = "x", .plan = plan.code};
  EXPECT_FALSE(offer_from_args(neither, plan, kNow));
  OfferArgs dearer{.code = "x", .plan = plan.code, .intro_price = "19.00", .intro_months = 1};
  EXPECT_FALSE(offer_from_args(dearer, plan, kNow));  // not below the plan's price
  OfferArgs backwards{.code = "x",
                      .plan = plan.code,
                      .intro_price = "1",
                      .intro_months = 1,
                      .starts = "2027-01-01",
                      .ends = "2026-01-01"};
  EXPECT_FALSE(offer_from_args(backwards, plan, kNow));
  OfferArgs bad_date{.code = "x", .plan = plan.code, .trial_days = 7, .ends = "31/01/2027"};
  auto refused = offer_from_args(bad_date, plan, kNow);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("--ends"), std::string::npos);
}

TEST(BillingCommands, BadInputChangesNothing) {
  billing::testing::MemoryBillingStore store;
  std::ostringstream out, err;
  PlanArgs bad = monthly_args();
  bad.price = "9.999";
  EXPECT_EQ(plan_add(store, bad, out, err), 1);
  EXPECT_TRUE(store.plans().empty());
  EXPECT_NE(err.str().find("not stored"), std::string::npos);

  OfferArgs orphan{.code = "x", .plan = "no-such-plan", .trial_days = 7};
  EXPECT_EQ(offer_add(store, orphan, kNow, out, err), 1);
  EXPECT_TRUE(store.offers().empty());
}

TEST(BillingCommands, AddAndList) {
  billing::testing::MemoryBillingStore store;
  std::ostringstream out, err;
  ASSERT_EQ(plan_add(store, monthly_args(), out, err), 0) << err.str();
  OfferArgs intro{.code = "first-month",
                  .plan = "digital-monthly",
                  .intro_price = "1",
                  .intro_months = 1,
                  .ends = "2027-01-31",
                  .paywall = true};
  ASSERT_EQ(offer_add(store, intro, kNow, out, err), 0) << err.str();
  std::ostringstream plans, offers;
  plan_list(store, plans);
  offer_list(store, kNow, offers);
  EXPECT_NE(plans.str().find("digital-monthly  9.00 GBP/month  web,apps  active"),
            std::string::npos)
      << plans.str();
  EXPECT_NE(offers.str().find("first-month  digital-monthly  1.00 GBP for 1 interval(s)"),
            std::string::npos)
      << offers.str();
  EXPECT_NE(offers.str().find("[paywall]"), std::string::npos);
}

TEST(DemoBilling, TwoPlansTwoOffersOneDated) {
  billing::testing::MemoryBillingStore store;
  add_demo_billing(store, kNow);
  ASSERT_EQ(store.plans().size(), 2u);
  const auto monthly = store.plan("digital-monthly");
  const auto annual = store.plan("digital-annual");
  ASSERT_TRUE(monthly && annual);
  EXPECT_EQ(monthly->price_minor, 900);
  EXPECT_EQ(monthly->currency, "GBP");
  EXPECT_EQ(monthly->entitlements, (billing::EntitlementSet{true, true, false}));
  EXPECT_EQ(annual->price_minor, 9000);
  EXPECT_EQ(annual->interval, billing::Interval::kYear);
  EXPECT_EQ(annual->entitlements, (billing::EntitlementSet{true, true, true}));
  const auto intro = store.offer("first-month");
  const auto trial = store.offer("annual-trial");
  ASSERT_TRUE(intro && trial);
  EXPECT_EQ(intro->intro_price_minor, 100);
  EXPECT_EQ(intro->ends_at, at("2027-02-01T00:00:00Z"));
  EXPECT_TRUE(intro->paywall);
  EXPECT_EQ(billing::paywall_offer(store.offers(), kNow)->code, "first-month");
  EXPECT_FALSE(billing::paywall_offer(store.offers(), at("2027-02-01T00:00:00Z")));
  EXPECT_EQ(trial->kind, billing::OfferKind::kTrial);
  EXPECT_EQ(trial->trial_days, 14);
  EXPECT_TRUE(trial->new_subscribers_only);
  EXPECT_TRUE(billing::is_current(*trial, at("2040-01-01T00:00:00Z")));
  for (const auto& o : store.offers())
    EXPECT_TRUE(billing::validate(o, *store.plan(o.plan_code)).empty());
}

}  // namespace
}  // namespace masthead::app
