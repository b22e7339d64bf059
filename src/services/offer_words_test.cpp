// Offer words against a small catalog: the end date carries the year only
// when it is not this year's (in the publication's zone), far ends are not
// shown, buttons' first charge, and translated plan names.
#include "services/offer_words.h"

#include <gtest/gtest.h>

#include "base/iso_time.h"

namespace masthead::services {
namespace {

class OfferWordsTest : public ::testing::Test {
 protected:
  OfferWordsTest()
      : messages_(render::MessageCatalog::load("en-GB", R"(
[offers]
ends = "Offer ends {date}"
[plan_name]
monthly = "Digital, monthly"
)")),
        dates_("en-GB", "Europe/London"),
        language_{&messages_, &dates_, "en-GB"} {}

  static base::TimePoint at(const char* iso) { return *base::parse_iso8601(iso); }

  billing::Offer offer_ending(const char* iso) {
    billing::Offer offer;
    offer.code = "intro";
    offer.ends_at = at(iso);
    return offer;
  }

  render::MessageCatalog messages_;
  render::DateFormatter dates_;
  Language language_;
};

TEST_F(OfferWordsTest, EndDateCarriesTheYearOnlyWhenItIsNotThisYears) {
  EXPECT_EQ(offer_ends(language_, offer_ending("2026-12-31T00:00:00Z"), at("2026-12-03T12:00:00Z")),
            "Offer ends 30 December");
  EXPECT_EQ(offer_ends(language_, offer_ending("2027-02-01T00:00:00Z"), at("2026-12-03T12:00:00Z")),
            "Offer ends 31 January 2027");
  // The last instant counts: an offer ending at midnight on 1 January ends on 31 December.
  EXPECT_EQ(offer_ends(language_, offer_ending("2027-01-01T00:00:00Z"), at("2026-12-03T12:00:00Z")),
            "Offer ends 31 December");
  EXPECT_EQ(offer_ends(language_, offer_ending("2028-06-01T00:00:00Z"), at("2026-12-03T12:00:00Z")),
            "")
      << "more than a year away: no date";
}

TEST_F(OfferWordsTest, FirstChargeAndPlanNames) {
  billing::Plan plan;
  plan.code = "monthly";
  plan.name = "Monthly";
  plan.price_minor = 900;
  EXPECT_EQ(first_charge_minor(plan, std::nullopt), 900);
  billing::Offer intro;
  intro.kind = billing::OfferKind::kIntroPrice;
  intro.intro_price_minor = 100;
  EXPECT_EQ(first_charge_minor(plan, intro), 100);
  billing::Offer trial;
  trial.kind = billing::OfferKind::kTrial;
  EXPECT_TRUE(is_free_trial(trial));
  EXPECT_EQ(first_charge_minor(plan, trial), 0);
  EXPECT_EQ(plan_name(language_, plan), "Digital, monthly") << "the catalog's plan_name.<code>";
  plan.code = "annual";
  EXPECT_EQ(plan_name(language_, plan), "Monthly") << "no translation: the stored name";
}

}  // namespace
}  // namespace masthead::services
