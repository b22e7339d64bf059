// Tests for period_containing(): a table of instants either side of local
// midnights that start a day, an ISO week or a month — in a zone without
// clock changes (Asia/Tokyo, UTC+9), in zones with them (Europe/London,
// America/New_York, one where midnight itself was skipped: America/Sao_Paulo
// in 2018, one where clocks went back across midnight: America/St_Johns in
// 2009) and in zones with half- and quarter-hour offsets — then properties
// every period must have: it contains the instant asked about, the next one
// starts where it ends, and its key is the same from start to end.
//
// Expected instants were checked against zdump (tzdata 2025b); ICU 72 carries
// tzdata 2022e, and no rule used here changed in between.
#include "paywall/period.h"

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/iso_time.h"

namespace masthead::paywall {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

base::TimePoint at(const char* iso) {
  const auto t = base::parse_iso8601(iso);
  if (!t) throw std::invalid_argument(std::string("bad instant in test: ") + iso);
  return *t;
}

std::string iso(base::TimePoint t) {
  return base::format_iso8601_utc(t);
}

struct PeriodCase {
  const char* name;
  const char* zone;
  PeriodKind kind;
  const char* now;
  const char* key;
  const char* start;
  const char* end;
};

std::ostream& operator<<(std::ostream& out, const PeriodCase& c) {
  return out << c.name;
}

class PeriodTable : public testing::TestWithParam<PeriodCase> {};

TEST_P(PeriodTable, StartEndAndKey) {
  const PeriodCase& c = GetParam();
  const Period p = period_containing(at(c.now), c.kind, c.zone);
  EXPECT_EQ(p.key, c.key);
  EXPECT_EQ(iso(p.start), c.start);
  EXPECT_EQ(iso(p.end), c.end);
  EXPECT_TRUE(p.contains(at(c.now)));
}

constexpr PeriodKind kDay = PeriodKind::kDay;
constexpr PeriodKind kWeek = PeriodKind::kWeek;
constexpr PeriodKind kMonth = PeriodKind::kMonth;

const PeriodCase kPeriodCases[] = {
    // Asia/Tokyo (UTC+9, no clock changes): 15:00Z is local midnight.
    {"TokyoMonthLastSecondOfNovember", "Asia/Tokyo", kMonth, "2026-11-30T14:59:59Z", "2026-11",
     "2026-10-31T15:00:00Z", "2026-11-30T15:00:00Z"},
    {"TokyoMonthLastMillisecondOfNovember", "Asia/Tokyo", kMonth, "2026-11-30T14:59:59.999Z",
     "2026-11", "2026-10-31T15:00:00Z", "2026-11-30T15:00:00Z"},
    {"TokyoMonthFirstSecondOfDecember", "Asia/Tokyo", kMonth, "2026-11-30T15:00:00Z", "2026-12",
     "2026-11-30T15:00:00Z", "2026-12-31T15:00:00Z"},
    {"TokyoMonthDecemberIntoNextYear", "Asia/Tokyo", kMonth, "2026-12-31T14:59:59Z", "2026-12",
     "2026-11-30T15:00:00Z", "2026-12-31T15:00:00Z"},
    {"TokyoMonthJanuaryOfNextYear", "Asia/Tokyo", kMonth, "2026-12-31T15:00:00Z", "2027-01",
     "2026-12-31T15:00:00Z", "2027-01-31T15:00:00Z"},
    {"TokyoDayBeforeMidnight", "Asia/Tokyo", kDay, "2026-11-30T14:59:59Z", "2026-11-30",
     "2026-11-29T15:00:00Z", "2026-11-30T15:00:00Z"},
    {"TokyoDayAfterMidnight", "Asia/Tokyo", kDay, "2026-11-30T15:00:00Z", "2026-12-01",
     "2026-11-30T15:00:00Z", "2026-12-01T15:00:00Z"},
    // 2026-11-29 is a Sunday, 2026-11-30 the Monday starting ISO week 49.
    {"TokyoWeekSundayNight", "Asia/Tokyo", kWeek, "2026-11-29T14:59:59Z", "2026-W48",
     "2026-11-22T15:00:00Z", "2026-11-29T15:00:00Z"},
    {"TokyoWeekMondayMidnight", "Asia/Tokyo", kWeek, "2026-11-29T15:00:00Z", "2026-W49",
     "2026-11-29T15:00:00Z", "2026-12-06T15:00:00Z"},

    // Month ends and leap years (UTC and London winter: local = UTC).
    {"MonthJanuary31", "UTC", kMonth, "2027-01-31T23:59:59Z", "2027-01", "2027-01-01T00:00:00Z",
     "2027-02-01T00:00:00Z"},
    {"MonthFebruary1", "UTC", kMonth, "2027-02-01T00:00:00Z", "2027-02", "2027-02-01T00:00:00Z",
     "2027-03-01T00:00:00Z"},
    {"DayJanuary31ToFebruary1", "Europe/London", kDay, "2027-01-31T23:59:59Z", "2027-01-31",
     "2027-01-31T00:00:00Z", "2027-02-01T00:00:00Z"},
    {"LeapMonthFebruary2028", "UTC", kMonth, "2028-02-29T12:00:00Z", "2028-02",
     "2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z"},
    {"LeapDayFebruary29", "UTC", kDay, "2028-02-29T23:59:59Z", "2028-02-29", "2028-02-29T00:00:00Z",
     "2028-03-01T00:00:00Z"},
    {"LeapDayFebruary29Tokyo", "Asia/Tokyo", kDay, "2028-02-28T15:00:00Z", "2028-02-29",
     "2028-02-28T15:00:00Z", "2028-02-29T15:00:00Z"},
    {"LeapDayThenMarch1Tokyo", "Asia/Tokyo", kDay, "2028-02-29T15:00:00Z", "2028-03-01",
     "2028-02-29T15:00:00Z", "2028-03-01T15:00:00Z"},

    // ISO weeks across years. 2026 begins on a Thursday, so it has a week 53
    // (Mon 2026-12-28 to Sun 2027-01-03); 2027 begins on a Friday and has 52.
    {"Week2026W53Starts", "UTC", kWeek, "2026-12-28T00:00:00Z", "2026-W53", "2026-12-28T00:00:00Z",
     "2027-01-04T00:00:00Z"},
    {"Week2026W53HoldsNewYearsDay", "UTC", kWeek, "2027-01-01T12:00:00Z", "2026-W53",
     "2026-12-28T00:00:00Z", "2027-01-04T00:00:00Z"},
    {"Week2026W53LastSecond", "UTC", kWeek, "2027-01-03T23:59:59Z", "2026-W53",
     "2026-12-28T00:00:00Z", "2027-01-04T00:00:00Z"},
    {"Week2027W01Starts", "UTC", kWeek, "2027-01-04T00:00:00Z", "2027-W01", "2027-01-04T00:00:00Z",
     "2027-01-11T00:00:00Z"},
    {"Week2027HasNoW53", "UTC", kWeek, "2028-01-02T23:59:59Z", "2027-W52", "2027-12-27T00:00:00Z",
     "2028-01-03T00:00:00Z"},
    {"Week2028W01Starts", "UTC", kWeek, "2028-01-03T00:00:00Z", "2028-W01", "2028-01-03T00:00:00Z",
     "2028-01-10T00:00:00Z"},
    // Week 1 of 2025 starts in December 2024: the key uses the week-year.
    {"Week2025W01StartsIn2024", "UTC", kWeek, "2024-12-31T12:00:00Z", "2025-W01",
     "2024-12-30T00:00:00Z", "2025-01-06T00:00:00Z"},
    {"Week2026W53Tokyo", "Asia/Tokyo", kWeek, "2027-01-03T14:59:59Z", "2026-W53",
     "2026-12-27T15:00:00Z", "2027-01-03T15:00:00Z"},
    {"Week2027W01Tokyo", "Asia/Tokyo", kWeek, "2027-01-03T15:00:00Z", "2027-W01",
     "2027-01-03T15:00:00Z", "2027-01-10T15:00:00Z"},

    // Europe/London: clocks go forward at 01:00Z on 2026-03-29 (a 23-hour
    // day) and back at 01:00Z on 2026-10-25 (a 25-hour day).
    {"LondonSpringForwardDayIs23Hours", "Europe/London", kDay, "2026-03-29T12:00:00Z", "2026-03-29",
     "2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z"},
    {"LondonSpringForwardJustAfterChange", "Europe/London", kDay, "2026-03-29T01:00:00Z",
     "2026-03-29", "2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z"},
    {"LondonDayAfterSpringForward", "Europe/London", kDay, "2026-03-29T23:00:00Z", "2026-03-30",
     "2026-03-29T23:00:00Z", "2026-03-30T23:00:00Z"},
    {"LondonFallBackDayIs25Hours", "Europe/London", kDay, "2026-10-25T12:00:00Z", "2026-10-25",
     "2026-10-24T23:00:00Z", "2026-10-26T00:00:00Z"},
    {"LondonFallBackFirstOneThirty", "Europe/London", kDay, "2026-10-25T00:30:00Z", "2026-10-25",
     "2026-10-24T23:00:00Z", "2026-10-26T00:00:00Z"},
    {"LondonFallBackSecondOneThirty", "Europe/London", kDay, "2026-10-25T01:30:00Z", "2026-10-25",
     "2026-10-24T23:00:00Z", "2026-10-26T00:00:00Z"},
    {"LondonMarchEndsInSummerTime", "Europe/London", kMonth, "2026-03-31T22:59:59Z", "2026-03",
     "2026-03-01T00:00:00Z", "2026-03-31T23:00:00Z"},
    {"LondonAprilStartsInSummerTime", "Europe/London", kMonth, "2026-03-31T23:00:00Z", "2026-04",
     "2026-03-31T23:00:00Z", "2026-04-30T23:00:00Z"},
    {"LondonWeekWithFallBackIs169Hours", "Europe/London", kWeek, "2026-10-25T12:00:00Z", "2026-W43",
     "2026-10-18T23:00:00Z", "2026-10-26T00:00:00Z"},

    // America/New_York: 2026-03-08 is 23 hours, 2026-11-01 is 25 hours.
    {"NewYorkSpringForwardDayIs23Hours", "America/New_York", kDay, "2026-03-08T12:00:00Z",
     "2026-03-08", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"},
    {"NewYorkFallBackDayIs25Hours", "America/New_York", kDay, "2026-11-01T12:00:00Z", "2026-11-01",
     "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"},
    {"NewYorkOctoberEndsInDaylightTime", "America/New_York", kMonth, "2026-11-01T03:59:59Z",
     "2026-10", "2026-10-01T04:00:00Z", "2026-11-01T04:00:00Z"},
    {"NewYorkNovemberEndsInStandardTime", "America/New_York", kMonth, "2026-11-01T04:00:00Z",
     "2026-11", "2026-11-01T04:00:00Z", "2026-12-01T05:00:00Z"},

    // America/Sao_Paulo in 2018 changed clocks at midnight. On 2018-11-04
    // 00:00 never happened (00:00 -03 became 01:00 -02): the day starts at
    // the change, 03:00Z, and lasts 23 hours. On 2018-02-18 00:00 -02 the
    // clocks went back to 23:00 -03 on the 17th, which lasted 25 hours.
    {"SaoPauloSkippedMidnightDay", "America/Sao_Paulo", kDay, "2018-11-04T12:00:00Z", "2018-11-04",
     "2018-11-04T03:00:00Z", "2018-11-05T02:00:00Z"},
    {"SaoPauloDayBeforeSkippedMidnight", "America/Sao_Paulo", kDay, "2018-11-04T02:59:59Z",
     "2018-11-03", "2018-11-03T03:00:00Z", "2018-11-04T03:00:00Z"},
    {"SaoPauloRepeatedHourDay", "America/Sao_Paulo", kDay, "2018-02-18T02:30:00Z", "2018-02-17",
     "2018-02-17T02:00:00Z", "2018-02-18T03:00:00Z"},
    {"SaoPauloWeekWithSkippedMidnight", "America/Sao_Paulo", kWeek, "2018-11-04T12:00:00Z",
     "2018-W44", "2018-10-29T03:00:00Z", "2018-11-05T02:00:00Z"},

    // America/St_Johns until 2011 turned clocks back at 00:01 NDT to 23:01 NST
    // the day before: on 2009-11-01 from 02:30Z (midnight) to 02:31Z it was
    // 1 November, then 31 October again for an hour. Those minutes belong to
    // the day (and month) that had already begun, so periods tile time.
    {"StJohnsBeforeMidnight2009", "America/St_Johns", kDay, "2009-11-01T02:29:59Z", "2009-10-31",
     "2009-10-31T02:30:00Z", "2009-11-01T02:30:00Z"},
    {"StJohnsClockBackAcrossMidnightDay", "America/St_Johns", kDay, "2009-11-01T02:31:00Z",
     "2009-11-01", "2009-11-01T02:30:00Z", "2009-11-02T03:30:00Z"},
    {"StJohnsClockBackAcrossMidnightMonth", "America/St_Johns", kMonth, "2009-11-01T03:00:00Z",
     "2009-11", "2009-11-01T02:30:00Z", "2009-12-01T03:30:00Z"},

    // Offsets that are not whole hours.
    {"KolkataPlus0530", "Asia/Kolkata", kDay, "2026-11-17T18:30:00Z", "2026-11-18",
     "2026-11-17T18:30:00Z", "2026-11-18T18:30:00Z"},
    {"KolkataPlus0530BeforeMidnight", "Asia/Kolkata", kMonth, "2026-11-30T18:29:59Z", "2026-11",
     "2026-10-31T18:30:00Z", "2026-11-30T18:30:00Z"},
    {"KathmanduPlus0545", "Asia/Kathmandu", kMonth, "2026-11-30T18:15:00Z", "2026-12",
     "2026-11-30T18:15:00Z", "2026-12-31T18:15:00Z"},
    {"StJohnsMinus0330", "America/St_Johns", kDay, "2026-11-18T03:29:59Z", "2026-11-17",
     "2026-11-17T03:30:00Z", "2026-11-18T03:30:00Z"},
    {"AdelaideDaylightPlus1030", "Australia/Adelaide", kDay, "2026-11-17T13:30:00Z", "2026-11-18",
     "2026-11-17T13:30:00Z", "2026-11-18T13:30:00Z"},
    // Lord Howe moves its clocks by half an hour: 2026-10-04 lasts 23.5 hours.
    {"LordHoweHalfHourChange", "Australia/Lord_Howe", kDay, "2026-10-04T00:00:00Z", "2026-10-04",
     "2026-10-03T13:30:00Z", "2026-10-04T13:00:00Z"},
};

INSTANTIATE_TEST_SUITE_P(Periods, PeriodTable, testing::ValuesIn(kPeriodCases),
                         [](const testing::TestParamInfo<PeriodCase>& info) {
                           return std::string(info.param.name);
                         });

// Durations that the table implies, stated once more as lengths.
TEST(PeriodTest, DayLengthsAcrossClockChanges) {
  auto length = [](const char* zone, const char* now) {
    const Period p = period_containing(at(now), PeriodKind::kDay, zone);
    return std::chrono::duration_cast<minutes>(p.end - p.start);
  };
  EXPECT_EQ(length("Europe/London", "2026-03-29T12:00:00Z"), hours(23));
  EXPECT_EQ(length("Europe/London", "2026-10-25T12:00:00Z"), hours(25));
  EXPECT_EQ(length("Europe/London", "2026-07-01T12:00:00Z"), hours(24));
  EXPECT_EQ(length("America/New_York", "2026-03-08T12:00:00Z"), hours(23));
  EXPECT_EQ(length("America/New_York", "2026-11-01T12:00:00Z"), hours(25));
  EXPECT_EQ(length("Australia/Lord_Howe", "2026-10-04T00:00:00Z"), hours(23) + minutes(30));
  EXPECT_EQ(length("Asia/Tokyo", "2026-03-29T12:00:00Z"), hours(24));
}

// Every period of every kind, walked through 2026-2028 in a few zones: each
// contains the instant it was asked for, the next starts where it ends, and
// the key is the same at its first and last millisecond and differs from the
// previous key.
TEST(PeriodTest, PeriodsTileTimeWithStableKeys) {
  const char* zones[] = {"UTC",
                         "Asia/Tokyo",
                         "Europe/London",
                         "America/New_York",
                         "Asia/Kathmandu",
                         "Australia/Lord_Howe",
                         "America/Sao_Paulo",
                         "Pacific/Chatham"};
  for (const char* zone : zones) {
    for (PeriodKind kind : {PeriodKind::kDay, PeriodKind::kWeek, PeriodKind::kMonth}) {
      SCOPED_TRACE(std::string(zone) + " " + std::string(period_kind_name(kind)));
      Period p = period_containing(at("2026-01-01T00:00:00Z"), kind, zone);
      const base::TimePoint stop = at("2029-01-01T00:00:00Z");
      int periods = 0;
      while (p.start < stop) {
        ASSERT_LT(p.start, p.end);
        EXPECT_EQ(period_containing(p.start, kind, zone), p);
        EXPECT_EQ(period_containing(p.end - milliseconds(1), kind, zone), p);
        const Period next = period_containing(p.end, kind, zone);
        ASSERT_EQ(next.start, p.end) << p.key;
        ASSERT_LT(p.key, next.key);
        p = next;
        ++periods;
      }
      const int expected = kind == PeriodKind::kDay ? 1096 : kind == PeriodKind::kWeek ? 156 : 36;
      EXPECT_GE(periods, expected);
    }
  }
}

TEST(PeriodTest, SubMillisecondInstantsStayInTheirPeriod) {
  // ICU counts milliseconds; an instant a microsecond before midnight must not
  // be rounded into the next period.
  const base::TimePoint midnight = at("2026-11-30T15:00:00Z");
  const Period before =
      period_containing(midnight - std::chrono::microseconds(1), PeriodKind::kMonth, "Asia/Tokyo");
  EXPECT_EQ(before.key, "2026-11");
  EXPECT_TRUE(before.contains(midnight - std::chrono::microseconds(1)));
  EXPECT_EQ(period_containing(midnight, PeriodKind::kMonth, "Asia/Tokyo").key, "2026-12");
}

TEST(PeriodTest, UnknownZoneThrows) {
  const base::TimePoint now = at("2026-11-18T07:30:00Z");
  EXPECT_THROW(period_containing(now, PeriodKind::kMonth, "Mars/Olympus_Mons"),
               std::invalid_argument);
  EXPECT_THROW(period_containing(now, PeriodKind::kDay, ""), std::invalid_argument);
  EXPECT_THROW(period_containing(now, PeriodKind::kDay, "asia/tokyo"), std::invalid_argument);
  EXPECT_THROW(period_containing(now, PeriodKind::kDay, "Etc/Unknown"), std::invalid_argument);
}

TEST(PeriodTest, KnownZones) {
  EXPECT_TRUE(is_known_time_zone("Asia/Tokyo"));
  EXPECT_TRUE(is_known_time_zone("Europe/London"));
  EXPECT_TRUE(is_known_time_zone("UTC"));
  EXPECT_TRUE(is_known_time_zone("Etc/UTC"));
  EXPECT_TRUE(is_known_time_zone("GMT+05:30"));  // ICU's custom fixed offsets
  EXPECT_FALSE(is_known_time_zone(""));
  EXPECT_FALSE(is_known_time_zone("Asia/Tokio"));
  EXPECT_FALSE(is_known_time_zone("asia/tokyo"));
  EXPECT_FALSE(is_known_time_zone("Etc/Unknown"));
}

TEST(PeriodTest, KindNamesRoundTrip) {
  for (PeriodKind kind : {PeriodKind::kDay, PeriodKind::kWeek, PeriodKind::kMonth}) {
    EXPECT_EQ(parse_period_kind(period_kind_name(kind)), kind);
  }
  EXPECT_EQ(period_kind_name(PeriodKind::kWeek), "week");
  EXPECT_FALSE(parse_period_kind("Month"));
  EXPECT_FALSE(parse_period_kind("fortnight"));
  EXPECT_FALSE(parse_period_kind(""));
}

}  // namespace
}  // namespace masthead::paywall
