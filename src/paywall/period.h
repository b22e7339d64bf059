// Period: the stretch of time a meter counts in — one local day, ISO week or
// calendar month in the publication's time zone.
//
// What it is. "5 free articles a month" needs to know which month a UTC
// instant falls in, and a month (or week, or day) starts at local midnight in
// the publication's zone, not in UTC: in Asia/Tokyo, 2026-11-30T15:00:00Z is
// already 1 December. period_containing() answers with the period's first
// instant, the first instant of the next period, and a key that names it:
//
//   kind    key          start (local)                   example
//   kDay    2026-11-29   00:00 that day                  a day may last 23 or 25 hours
//   kWeek   2026-W48     00:00 on its Monday (ISO 8601)  week-year may differ from the year
//   kMonth  2026-11      00:00 on the 1st
//
// The key idea: no time-zone arithmetic here. ICU owns the tz database and
// the calendar; this file only asks it two questions — "which local date is
// this instant?" and "which instant starts this local date?" — and does date
// arithmetic (Monday of this week, first of next month) in a zone-less ICU
// Gregorian calendar. When a clock change skips local midnight (some zones
// change at 00:00), the day starts at the first instant that exists on it;
// when midnight happens twice, at the first of the two; when clocks go back
// across midnight (America/St_Johns until 2011: 00:01 became 23:01 the day
// before), the repeated minutes belong to the day that has already begun.
// Every zone ICU knows was checked at every transition from 1960 to 2040.
//
// Invariants: start < end, and start <= now < end for the `now` asked about
// (to the millisecond: ICU's resolution); the end of one period is the start
// of the next; the key is a function of the local date alone, so the same
// period always gets the same key (it is the meter's storage key), keys of
// different kinds never collide, and keys sort in time order within a kind
// for years 1000-9999.
//
// Time zones are IANA ids ("Asia/Tokyo"). ICU answers an unknown id with the
// zone "Etc/Unknown" (UTC) instead of an error; is_known_time_zone() detects
// that, and period_containing() throws std::invalid_argument for it, since
// counting in the wrong zone silently would give readers the wrong meter.
// Configuration is checked at start-up (validate() in meter_policy.h), so the
// throw is for bugs, not for readers.
//
// Thread safety: every function here may be called from any thread; each call
// works on its own ICU calendars, cloned from an immutable prototype.
//
// To add a period kind (say a quarter): add the enumerator, its name in
// period_kind_name/parse_period_kind, its first local date and its length in
// period.cpp, and a key format that cannot collide with the others.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace masthead::paywall {

enum class PeriodKind { kDay, kWeek, kMonth };

// "day", "week", "month": the configuration's spelling.
std::string_view period_kind_name(PeriodKind kind);
std::optional<PeriodKind> parse_period_kind(std::string_view name);

struct Period {
  base::TimePoint start;  // first instant of the period (local midnight, in UTC)
  base::TimePoint end;    // first instant of the next period: [start, end)
  std::string key;        // "2026-11-29", "2026-W48", "2026-11"

  bool contains(base::TimePoint t) const { return start <= t && t < end; }
  friend bool operator==(const Period&, const Period&) = default;
};

// The period of `kind` containing `now` in `time_zone` (an IANA id).
// Throws std::invalid_argument if ICU does not know the zone.
Period period_containing(base::TimePoint now, PeriodKind kind, const std::string& time_zone);

// Whether ICU knows `time_zone` ("Asia/Tokyo", "UTC", "GMT+05:30"); false for
// anything it would quietly turn into "Etc/Unknown", including "".
bool is_known_time_zone(const std::string& time_zone);

}  // namespace masthead::paywall
