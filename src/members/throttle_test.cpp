// throttled() and window_start() as tables at their boundaries.
#include "members/throttle.h"

#include <gtest/gtest.h>

#include "base/iso_time.h"

namespace masthead::members {
namespace {

TEST(Throttle, DefaultPolicyTable) {
  const ThrottlePolicy policy;
  ASSERT_EQ(policy.max_account_failures, 5);
  ASSERT_EQ(policy.max_address_failures, 20);
  ASSERT_EQ(policy.window, std::chrono::minutes(15));
  struct Case {
    FailureCounts counts;
    bool expected;
  };
  const Case cases[] = {
      {{0, 0}, false}, {{4, 0}, false},  {{5, 0}, true},  {{6, 0}, true},  {{0, 19}, false},
      {{0, 20}, true}, {{4, 19}, false}, {{5, 20}, true}, {{4, 20}, true}, {{5, 19}, true},
  };
  for (const Case& c : cases)
    EXPECT_EQ(throttled(c.counts, policy), c.expected)
        << c.counts.account << "/" << c.counts.address;
}

TEST(Throttle, OtherPolicies) {
  const ThrottlePolicy strict{1, 2, std::chrono::minutes(1)};
  EXPECT_FALSE(throttled({0, 1}, strict));
  EXPECT_TRUE(throttled({1, 0}, strict));
  EXPECT_TRUE(throttled({0, 2}, strict));
}

TEST(Throttle, WindowStart) {
  const base::TimePoint now = *base::parse_iso8601("2026-11-18T07:30:00Z");
  EXPECT_EQ(window_start(ThrottlePolicy{}, now), *base::parse_iso8601("2026-11-18T07:15:00Z"));
  EXPECT_EQ(window_start(ThrottlePolicy{5, 20, std::chrono::hours(1)}, now),
            *base::parse_iso8601("2026-11-18T06:30:00Z"));
}

}  // namespace
}  // namespace masthead::members
