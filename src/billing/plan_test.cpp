// Plans: validation sentences, calendar intervals, entitlement lists.
#include "billing/plan.h"

#include <gtest/gtest.h>

#include "base/iso_time.h"

namespace masthead::billing {
namespace {

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

Plan good() {
  return Plan{"digital-monthly",    "Digital", 2900, "USD", Interval::kMonth,
              {true, false, false}, true};
}

TEST(Plan, ValidateNamesEveryProblem) {
  struct Row {
    const char* what;
    void (*change)(Plan&);
    const char* expected;  // a fragment of the one sentence; nullptr: valid
  };
  const Row rows[] = {
      {"good", [](Plan&) {}, nullptr},
      {"free plan", [](Plan& p) { p.price_minor = 0; }, nullptr},
      {"uppercase code", [](Plan& p) { p.code = "Digital"; }, "plan code 'Digital'"},
      {"empty code", [](Plan& p) { p.code = ""; }, "plan code ''"},
      {"leading dash", [](Plan& p) { p.code = "-x"; }, "plan code '-x'"},
      {"65 characters", [](Plan& p) { p.code = std::string(65, 'a'); }, "1-64"},
      {"no name", [](Plan& p) { p.name = ""; }, "needs a name"},
      {"negative price", [](Plan& p) { p.price_minor = -1; }, "negative price (-1)"},
      {"lowercase currency", [](Plan& p) { p.currency = "usd"; }, "currency 'usd'"},
      {"four letters", [](Plan& p) { p.currency = "USDX"; }, "ISO 4217"},
      {"grants nothing", [](Plan& p) { p.entitlements = {}; }, "grants nothing"},
  };
  for (const Row& row : rows) {
    Plan p = good();
    row.change(p);
    const std::vector<std::string> problems = validate(p);
    if (row.expected == nullptr) {
      EXPECT_TRUE(problems.empty()) << row.what;
    } else {
      ASSERT_EQ(problems.size(), 1u) << row.what;
      EXPECT_NE(problems[0].find(row.expected), std::string::npos)
          << row.what << ": " << problems[0];
    }
  }
}

TEST(Plan, AddIntervalsIsCalendarArithmeticClampedToTheMonthsEnd) {
  struct Row {
    const char* start;
    Interval interval;
    int n;
    const char* expected;
  };
  const Row rows[] = {
      {"2026-11-18T07:30:00Z", Interval::kMonth, 1, "2026-12-18T07:30:00Z"},
      {"2026-11-18T07:30:00Z", Interval::kMonth, 0, "2026-11-18T07:30:00Z"},
      {"2026-11-18T07:30:00Z", Interval::kMonth, 3, "2027-02-18T07:30:00Z"},
      {"2027-01-31T10:00:00Z", Interval::kMonth, 1, "2027-02-28T10:00:00Z"},
      {"2028-01-31T10:00:00Z", Interval::kMonth, 1, "2028-02-29T10:00:00Z"},
      {"2026-03-31T00:00:00Z", Interval::kMonth, 1, "2026-04-30T00:00:00Z"},
      {"2028-02-29T12:00:00Z", Interval::kYear, 1, "2029-02-28T12:00:00Z"},
      {"2026-11-18T07:30:00Z", Interval::kYear, 2, "2028-11-18T07:30:00Z"},
  };
  for (const Row& row : rows)
    EXPECT_EQ(base::format_iso8601_utc(add_intervals(at(row.start), row.interval, row.n)),
              row.expected)
        << row.start << " + " << row.n;
}

TEST(Plan, EntitlementListsParseAndFormat) {
  EXPECT_EQ(parse_entitlements("web").value(), (EntitlementSet{true, false, false}));
  EXPECT_EQ(parse_entitlements("print, web ,apps").value(), (EntitlementSet{true, true, true}));
  EXPECT_EQ(format_entitlements({true, false, true}), "web,print");
  EXPECT_EQ(format_entitlements({}), "");
  for (const char* bad : {"", "web,", "web,web", "paper", "web;apps"})
    EXPECT_FALSE(parse_entitlements(bad)) << bad;
  EXPECT_NE(parse_entitlements("web,web").error().message.find("twice"), std::string::npos);
  EXPECT_EQ(parse_interval("year"), Interval::kYear);
  EXPECT_EQ(parse_interval("Month"), std::nullopt);
  EXPECT_EQ(interval_name(Interval::kMonth), "month");
}

}  // namespace
}  // namespace masthead::billing
