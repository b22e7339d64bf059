// Tests for DateFormatter: fixed instants either side of midnight in Tokyo and
// of both 2026 clock changes in London, the ISO 8601 forms, bad zones and
// locales, and concurrent use.
//
// Expected strings are ICU 72 / CLDR 42 output. English 12-hour times contain
// U+202F NARROW NO-BREAK SPACE before AM/PM (kNnbsp below).
#include "render/date_format.h"

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace masthead::render {
namespace {

using std::chrono::sys_days;

constexpr const char* kNnbsp = "\u202f";

DateFormatter::TimePoint utc(int y, unsigned m, unsigned d, int h, int min, int s) {
  return sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}} +
         std::chrono::hours{h} + std::chrono::minutes{min} + std::chrono::seconds{s};
}

// Asia/Tokyo is UTC+9 all year: 14:59:59Z is 23:59:59 on the 18th there,
// 15:00:00Z is midnight starting the 19th.
TEST(DateFormatterTest, TokyoMidnightEnglish) {
  const DateFormatter f("en-US", "Asia/Tokyo");
  const auto before = utc(2026, 11, 18, 14, 59, 59);
  const auto after = utc(2026, 11, 18, 15, 0, 0);
  EXPECT_EQ(f.long_date(before), "November 18, 2026");
  EXPECT_EQ(f.long_date(after), "November 19, 2026");
  EXPECT_EQ(f.month_day(before), "November 18");
  EXPECT_EQ(f.month_day(after), "November 19");
  EXPECT_EQ(f.date_time(before), std::string("Nov 18, 2026, 11:59") + kNnbsp + "PM GMT+9");
  EXPECT_EQ(f.date_time(after), std::string("Nov 19, 2026, 12:00") + kNnbsp + "AM GMT+9");
  EXPECT_EQ(f.iso8601_with_offset(before), "2026-11-18T23:59:59+09:00");
  EXPECT_EQ(f.iso8601_with_offset(after), "2026-11-19T00:00:00+09:00");
  EXPECT_EQ(DateFormatter::iso8601(after), "2026-11-18T15:00:00Z");
}

TEST(DateFormatterTest, TokyoMidnightJapanese) {
  const DateFormatter f("ja-JP", "Asia/Tokyo");
  const auto before = utc(2026, 11, 18, 14, 59, 59);
  const auto after = utc(2026, 11, 18, 15, 0, 0);
  EXPECT_EQ(f.long_date(before), "2026年11月18日");
  EXPECT_EQ(f.long_date(after), "2026年11月19日");
  EXPECT_EQ(f.month_day(before), "11月18日");
  EXPECT_EQ(f.date_time(before), "2026年11月18日 23:59 JST");
  EXPECT_EQ(f.date_time(after), "2026年11月19日 0:00 JST");
}

TEST(DateFormatterTest, MonthDaySkeleton) {
  const auto end_of_january = utc(2027, 1, 31, 3, 0, 0);
  EXPECT_EQ(DateFormatter("en-US", "Asia/Tokyo").month_day(end_of_january), "January 31");
  EXPECT_EQ(DateFormatter("en-GB", "Europe/London").month_day(end_of_january), "31 January");
  EXPECT_EQ(DateFormatter("ja-JP", "Asia/Tokyo").month_day(end_of_january), "1月31日");
}

// 2026: BST starts 29 March 01:00Z (01:00 GMT -> 02:00 BST) and ends
// 25 October 01:00Z (02:00 BST -> 01:00 GMT, so 01:30 happens twice).
TEST(DateFormatterTest, LondonSpringForward) {
  const DateFormatter f("en-GB", "Europe/London");
  const auto before = utc(2026, 3, 29, 0, 59, 59);
  const auto after = utc(2026, 3, 29, 1, 0, 0);
  EXPECT_EQ(f.date_time(before), "29 Mar 2026, 00:59 GMT");
  EXPECT_EQ(f.date_time(after), "29 Mar 2026, 02:00 BST");
  EXPECT_EQ(f.iso8601_with_offset(before), "2026-03-29T00:59:59+00:00");
  EXPECT_EQ(f.iso8601_with_offset(after), "2026-03-29T02:00:00+01:00");
  EXPECT_EQ(f.long_date(after), "29 March 2026");
}

TEST(DateFormatterTest, LondonFallBackRepeatsTheHour) {
  const DateFormatter f("en-GB", "Europe/London");
  const auto first = utc(2026, 10, 25, 0, 30, 0);
  const auto second = utc(2026, 10, 25, 1, 30, 0);
  EXPECT_EQ(f.date_time(first), "25 Oct 2026, 01:30 BST");
  EXPECT_EQ(f.date_time(second), "25 Oct 2026, 01:30 GMT");
  EXPECT_EQ(f.iso8601_with_offset(first), "2026-10-25T01:30:00+01:00");
  EXPECT_EQ(f.iso8601_with_offset(second), "2026-10-25T01:30:00+00:00");
}

TEST(DateFormatterTest, LondonLateEveningIsPreviousDayInNewYork) {
  const auto tp = utc(2026, 11, 18, 2, 30, 0);
  EXPECT_EQ(DateFormatter("en-GB", "Europe/London").long_date(tp), "18 November 2026");
  const DateFormatter ny("en-US", "America/New_York");
  EXPECT_EQ(ny.long_date(tp), "November 17, 2026");
  EXPECT_EQ(ny.date_time(tp), std::string("Nov 17, 2026, 9:30") + kNnbsp + "PM EST");
  EXPECT_EQ(ny.iso8601_with_offset(tp), "2026-11-17T21:30:00-05:00");
}

TEST(DateFormatterTest, Iso8601Utc) {
  EXPECT_EQ(DateFormatter::iso8601(utc(2026, 11, 18, 7, 30, 0)), "2026-11-18T07:30:00Z");
  EXPECT_EQ(DateFormatter::iso8601(utc(1970, 1, 1, 0, 0, 0)), "1970-01-01T00:00:00Z");
  // Sub-second parts are dropped towards the past, also before the epoch.
  EXPECT_EQ(DateFormatter::iso8601(utc(2026, 1, 1, 0, 0, 0) + std::chrono::milliseconds(999)),
            "2026-01-01T00:00:00Z");
  EXPECT_EQ(DateFormatter::iso8601(utc(1970, 1, 1, 0, 0, 0) - std::chrono::milliseconds(1)),
            "1969-12-31T23:59:59Z");
  EXPECT_EQ(DateFormatter::iso8601(utc(2028, 2, 29, 23, 59, 59)), "2028-02-29T23:59:59Z");
}

TEST(DateFormatterTest, LocalMeanTimeOffsetFallsBackToUtc) {
  // Before 1847 London kept local mean time, UTC-0:01:15: not whole minutes.
  const DateFormatter f("en-GB", "Europe/London");
  EXPECT_EQ(f.iso8601_with_offset(utc(1840, 6, 1, 12, 0, 0)), "1840-06-01T12:00:00Z");
}

TEST(DateFormatterTest, RejectsUnknownZones) {
  EXPECT_THROW(DateFormatter("en-US", "Mars/Olympus_Mons"), std::invalid_argument);
  EXPECT_THROW(DateFormatter("en-US", ""), std::invalid_argument);
  EXPECT_THROW(DateFormatter("en-US", "Etc/Unknown"), std::invalid_argument);
  try {
    DateFormatter("en-US", "Asia/Tokio");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "unknown time zone 'Asia/Tokio'");
  }
  EXPECT_NO_THROW(DateFormatter("en-US", "UTC"));
}

TEST(DateFormatterTest, RejectsMalformedLocales) {
  EXPECT_THROW(DateFormatter("", "UTC"), std::invalid_argument);
  EXPECT_THROW(DateFormatter("!!", "UTC"), std::invalid_argument);
  EXPECT_THROW(DateFormatter("en--US", "UTC"), std::invalid_argument);
  EXPECT_EQ(DateFormatter("en_GB", "UTC").long_date(utc(2026, 1, 2, 0, 0, 0)), "2 January 2026");
}

TEST(DateFormatterTest, MovedFormatterKeepsWorking) {
  DateFormatter a("ja-JP", "Asia/Tokyo");
  DateFormatter b = std::move(a);
  EXPECT_EQ(b.locale(), "ja-JP");
  EXPECT_EQ(b.time_zone(), "Asia/Tokyo");
  EXPECT_EQ(b.long_date(utc(2026, 11, 18, 7, 30, 0)), "2026年11月18日");
}

TEST(DateFormatterTest, ConcurrentUseGivesTheSameAnswers) {
  const DateFormatter f("en-GB", "Europe/London");
  const auto summer = utc(2026, 7, 1, 12, 0, 0);
  const auto winter = utc(2026, 12, 1, 12, 0, 0);
  const std::string summer_text = f.date_time(summer);
  const std::string winter_text = f.date_time(winter);
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const bool odd = (i + t) % 2 == 1;
        if (f.date_time(odd ? summer : winter) != (odd ? summer_text : winter_text)) ++wrong[t];
        if (f.iso8601_with_offset(odd ? summer : winter) !=
            (odd ? "2026-07-01T13:00:00+01:00" : "2026-12-01T12:00:00+00:00")) {
          ++wrong[t];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int w : wrong) EXPECT_EQ(w, 0);
}

}  // namespace
}  // namespace masthead::render
