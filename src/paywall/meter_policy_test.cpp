// Tests for MeterPolicy validation: the defaults are valid, every bad value is
// reported once with its configuration key, boundaries (0, 20, 21, -1) fall
// on the right side, and problems are all reported together.
#include "paywall/meter_policy.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace masthead::paywall {
namespace {

using testing::HasSubstr;

TEST(MeterPolicyTest, DefaultsAreValid) {
  EXPECT_TRUE(validate(MeterPolicy{}).empty());
  EXPECT_EQ(MeterPolicy{}.anonymous_network_free, 0) << "the network budget is off by default";
}

TEST(MeterPolicyTest, TheIssueExampleIsValid) {
  MeterPolicy p;
  p.anonymous_free = 5;
  p.registered_free = 10;
  p.registration_wall = true;
  p.period = PeriodKind::kMonth;
  p.time_zone = "Asia/Tokyo";
  p.lead_in_paragraphs = 1;
  EXPECT_TRUE(validate(p).empty());
}

struct ValidationCase {
  const char* name;
  void (*change)(MeterPolicy&);
  const char* problem;  // nullptr: valid
};

std::ostream& operator<<(std::ostream& out, const ValidationCase& c) {
  return out << c.name;
}

class MeterPolicyValidation : public testing::TestWithParam<ValidationCase> {};

TEST_P(MeterPolicyValidation, ReportsExactlyTheBadValue) {
  const ValidationCase& c = GetParam();
  MeterPolicy p;
  c.change(p);
  const std::vector<std::string> problems = validate(p);
  if (c.problem == nullptr) {
    EXPECT_TRUE(problems.empty()) << problems.front();
  } else {
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems.front(), c.problem);
  }
}

const ValidationCase kValidationCases[] = {
    {"AnonymousZero", [](MeterPolicy& p) { p.anonymous_free = 0; }, nullptr},
    {"AnonymousMinusOne", [](MeterPolicy& p) { p.anonymous_free = -1; },
     "paywall.anonymous_free must be 0 or more (got -1)"},
    {"RegisteredZero", [](MeterPolicy& p) { p.registered_free = 0; }, nullptr},
    {"RegisteredMinusOne", [](MeterPolicy& p) { p.registered_free = -1; },
     "paywall.registered_free must be 0 or more (got -1)"},
    {"RegisteredBelowAnonymousIsAllowed",
     [](MeterPolicy& p) {
       p.anonymous_free = 10;
       p.registered_free = 3;
     },
     nullptr},
    {"NetworkBudgetOff", [](MeterPolicy& p) { p.anonymous_network_free = 0; }, nullptr},
    {"NetworkBudgetOne", [](MeterPolicy& p) { p.anonymous_network_free = 1; }, nullptr},
    {"NetworkBudgetFifty", [](MeterPolicy& p) { p.anonymous_network_free = 50; }, nullptr},
    {"NetworkBudgetMinusOne", [](MeterPolicy& p) { p.anonymous_network_free = -1; },
     "paywall.anonymous_network_free must be 0 or more (got -1)"},
    {"LeadInZero", [](MeterPolicy& p) { p.lead_in_paragraphs = 0; }, nullptr},
    {"LeadInTwenty", [](MeterPolicy& p) { p.lead_in_paragraphs = 20; }, nullptr},
    {"LeadInTwentyOne", [](MeterPolicy& p) { p.lead_in_paragraphs = 21; },
     "paywall.lead_in_paragraphs must be between 0 and 20 (got 21)"},
    {"LeadInMinusOne", [](MeterPolicy& p) { p.lead_in_paragraphs = -1; },
     "paywall.lead_in_paragraphs must be between 0 and 20 (got -1)"},
    {"ZoneLondon", [](MeterPolicy& p) { p.time_zone = "Europe/London"; }, nullptr},
    {"ZoneHalfHour", [](MeterPolicy& p) { p.time_zone = "Asia/Kolkata"; }, nullptr},
    {"ZoneMisspelt", [](MeterPolicy& p) { p.time_zone = "Asia/Tokio"; },
     "paywall.timezone: unknown time zone 'Asia/Tokio' (expected an IANA id such as "
     "\"Europe/London\")"},
    {"ZoneWrongCase", [](MeterPolicy& p) { p.time_zone = "asia/tokyo"; },
     "paywall.timezone: unknown time zone 'asia/tokyo' (expected an IANA id such as "
     "\"Europe/London\")"},
    {"ZoneEmpty", [](MeterPolicy& p) { p.time_zone = ""; },
     "paywall.timezone: unknown time zone '' (expected an IANA id such as \"Europe/London\")"},
    {"ZoneEtcUnknown", [](MeterPolicy& p) { p.time_zone = "Etc/Unknown"; },
     "paywall.timezone: unknown time zone 'Etc/Unknown' (expected an IANA id such as "
     "\"Europe/London\")"},
    {"PeriodDay", [](MeterPolicy& p) { p.period = PeriodKind::kDay; }, nullptr},
    {"PeriodWeek", [](MeterPolicy& p) { p.period = PeriodKind::kWeek; }, nullptr},
    {"PeriodOutOfRange", [](MeterPolicy& p) { p.period = static_cast<PeriodKind>(7); },
     "paywall.period: unknown period (7; expected day, week or month)"},
    {"CrawlerLeadInOnly", [](MeterPolicy& p) { p.crawler_full_text = false; }, nullptr},
    {"NoRegistrationWall", [](MeterPolicy& p) { p.registration_wall = false; }, nullptr},
};

INSTANTIATE_TEST_SUITE_P(Values, MeterPolicyValidation, testing::ValuesIn(kValidationCases),
                         [](const testing::TestParamInfo<ValidationCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(MeterPolicyTest, ReportsEveryProblemAtOnce) {
  MeterPolicy p;
  p.anonymous_free = -5;
  p.registered_free = -1;
  p.time_zone = "Nowhere/Special";
  p.lead_in_paragraphs = 99;
  const std::vector<std::string> problems = validate(p);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_THAT(problems[0], HasSubstr("anonymous_free"));
  EXPECT_THAT(problems[1], HasSubstr("registered_free"));
  EXPECT_THAT(problems[2], HasSubstr("Nowhere/Special"));
  EXPECT_THAT(problems[3], HasSubstr("lead_in_paragraphs"));
}

TEST(MeterPolicyTest, PeriodSetting) {
  ASSERT_TRUE(parse_period_setting("month"));
  EXPECT_EQ(parse_period_setting("month").value(), PeriodKind::kMonth);
  EXPECT_EQ(parse_period_setting("week").value(), PeriodKind::kWeek);
  EXPECT_EQ(parse_period_setting("day").value(), PeriodKind::kDay);
  const base::Result<PeriodKind> bad = parse_period_setting("fortnight");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "paywall.period: unknown period 'fortnight' (expected day, week or month)");
  EXPECT_FALSE(parse_period_setting("Month"));
  EXPECT_FALSE(parse_period_setting(""));
}

}  // namespace
}  // namespace masthead::paywall
