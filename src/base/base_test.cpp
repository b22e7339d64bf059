// Boundary cases for the base helpers: ISO 8601 parsing (valid and hostile
// input, offsets, calendar edges), the text helpers, and the test helper
// wait_until().
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "base/clock.h"
#include "base/iso_time.h"
#include "base/result.h"
#include "base/testing/wait_until.h"
#include "base/text.h"

namespace masthead::base {
namespace {

TEST(Iso8601, ParsesTheFormsMastheadAccepts) {
  struct Case {
    const char* text;
    const char* utc;
  } cases[] = {
      {"2026-11-18T07:30:00Z", "2026-11-18T07:30:00Z"},
      {"2026-11-18T16:30:00+09:00", "2026-11-18T07:30:00Z"},
      {"2026-11-18T16:30+0900", "2026-11-18T07:30:00Z"},
      {"2026-11-18T02:30:00-05:00", "2026-11-18T07:30:00Z"},
      {"2026-11-18T07:30:00.123Z", "2026-11-18T07:30:00Z"},
      {"2026-11-18 07:30:00Z", "2026-11-18T07:30:00Z"},
      {"2026-11-18", "2026-11-18T00:00:00Z"},
      {"2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"},
      {"2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00Z"},
      {"1800-01-01T00:00:00Z", "1800-01-01T00:00:00Z"},
      {"2200-12-31T23:59:59Z", "2200-12-31T23:59:59Z"},
  };
  for (const auto& c : cases) {
    auto t = parse_iso8601(c.text);
    ASSERT_TRUE(t.has_value()) << c.text;
    EXPECT_EQ(format_iso8601_utc(*t), c.utc) << c.text;
  }
}

TEST(Iso8601, RejectsMalformedAndOutOfRange) {
  const char* bad[] = {"",
                       "2026",
                       "2026-13-01",
                       "2026-02-29",
                       "2026-11-31T00:00:00Z",
                       "2026-11-18T24:00:00Z",
                       "2026-11-18T07:60:00Z",
                       "2026-11-18T07:30:00",
                       "2026-11-18T07:30:00Zjunk",
                       "2026-11-18T07:30:00+25:00",
                       "2026-11-18T07:30:00.Z",
                       "20261118T073000Z",
                       "２０２６-11-18",
                       "1799-12-31T23:59:59Z",
                       "2201-01-01",
                       "2200-12-31T23:59:59-01:00",
                       "1800-01-01T00:00:00+01:00",
                       "9999-12-31T23:59:59Z",
                       "0000-01-01"};
  for (const char* text : bad) EXPECT_FALSE(parse_iso8601(text).has_value()) << text;
}

TEST(Iso8601, UnixSecondsRoundTrip) {
  auto t = *parse_iso8601("2026-11-29T00:00:00Z");
  EXPECT_EQ(to_unix_seconds(t), 1795910400);
  EXPECT_EQ(from_unix_seconds(to_unix_seconds(t)), t);
}

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock(from_unix_seconds(100));
  EXPECT_EQ(to_unix_seconds(clock.now()), 100);
  clock.advance(std::chrono::seconds(5));
  EXPECT_EQ(to_unix_seconds(clock.now()), 105);
  clock.set(from_unix_seconds(7));
  EXPECT_EQ(to_unix_seconds(clock.now()), 7);
}

TEST(WaitUntil, ReturnsAsSoonAsTheConditionHolds) {
  int calls = 0;
  EXPECT_TRUE(testing::wait_until([&] { return ++calls == 1; }, std::chrono::hours(1)));
  EXPECT_EQ(calls, 1) << "asked once, not polled";
  // Another thread makes it true; the bound (an hour) is never waited for.
  std::atomic<bool> done{false};
  std::jthread setter([&] { done = true; });
  EXPECT_TRUE(testing::wait_until([&] { return done.load(); }, std::chrono::hours(1)));
}

TEST(WaitUntil, AtTheBoundTheConditionIsAskedOnceMore) {
  int calls = 0;
  // A zero bound: asked, the bound has passed, asked again, false.
  EXPECT_FALSE(testing::wait_until([&] { return ++calls > 2; }, std::chrono::milliseconds(0)));
  EXPECT_EQ(calls, 2);
}

TEST(Text, Helpers) {
  EXPECT_EQ(trim("  a b \n"), "a b");
  EXPECT_EQ(trim("   "), "");
  auto parts = split("a,,b", ',');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(join({"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(to_lower_ascii("AbC-É"), "abc-É");
  EXPECT_TRUE(iequals_ascii("Content-Type", "content-type"));
  EXPECT_FALSE(iequals_ascii("a", "ab"));
  EXPECT_EQ(word_count("  one two\tthree\nfour "), 4u);
  EXPECT_EQ(word_count(""), 0u);
  EXPECT_EQ(replace_all("a-b-c", "-", "--"), "a--b--c");
}

TEST(Text, Utf8Validation) {
  for (const char* good :
       {"", "plain", "caf\xC3\xA9", "\xE6\x9D\xB1\xE4\xBA\xAC", "\xF0\x9F\x93\xB0"})
    EXPECT_TRUE(is_valid_utf8(good)) << good;
  for (const char* bad : {"\xFF", "\xC3", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
                          "\xF4\x90\x80\x80", "abc\xC3(", "\x80"})
    EXPECT_FALSE(is_valid_utf8(bad)) << bad;
}

TEST(Result, HoldsValueOrError) {
  Result<int> ok = 3;
  Result<int> bad = Error{"nope"};
  EXPECT_TRUE(ok);
  EXPECT_EQ(ok.value(), 3);
  EXPECT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "nope");
}

}  // namespace
}  // namespace masthead::base
