// Period: local dates from ICU, date arithmetic in a zone-less ICU calendar,
// local midnight back to UTC through ICU. See period.h for the contract.
//
// Two calendars per call, both clones of one ISO Gregorian prototype:
//   `local`  in the publication's zone: instant <-> local date/time.
//            Skipped wall times resolve to the next valid one (a midnight that
//            does not exist starts the day at the clock change), repeated wall
//            times to the first occurrence (the day starts at the earlier
//            midnight).
//   `dates`  in GMT, with ISO week rules (Monday first, at least 4 days in
//            week 1): "Monday of this week", "first of next month",
//            and the ISO week-year and week number for the key. GMT has no
//            clock changes, so adding days there is pure date arithmetic.
// Years are ICU extended years (1 BC is 0), so nothing depends on eras.
#include "paywall/period.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <unicode/gregocal.h>
#include <unicode/locid.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

namespace masthead::paywall {

namespace {

void check_icu(UErrorCode status, const char* what) {
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU: ") + what + ": " + u_errorName(status));
  }
}

// nullptr for an id ICU does not know (it would answer with "Etc/Unknown").
std::unique_ptr<icu::TimeZone> find_zone(const std::string& id) {
  std::unique_ptr<icu::TimeZone> zone(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(id)));
  icu::UnicodeString resolved;
  if (!zone || zone->getID(resolved) == UNICODE_STRING_SIMPLE(UCAL_UNKNOWN_ZONE_ID)) {
    return nullptr;
  }
  return zone;
}

// ICU counts milliseconds as a double; round towards the past so that the
// period found for the rounded instant also contains the exact one.
UDate to_udate(base::TimePoint t) {
  return static_cast<UDate>(
      std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

base::TimePoint from_udate(UDate d) {
  return base::TimePoint(std::chrono::duration_cast<base::TimePoint::duration>(
      std::chrono::milliseconds(static_cast<std::int64_t>(d))));
}

struct LocalDate {
  std::int32_t year;   // extended year
  std::int32_t month;  // 0-based, as ICU counts
  std::int32_t day;    // 1-based
};

LocalDate date_of(const icu::Calendar& calendar) {
  UErrorCode status = U_ZERO_ERROR;
  const LocalDate date{calendar.get(UCAL_EXTENDED_YEAR, status), calendar.get(UCAL_MONTH, status),
                       calendar.get(UCAL_DATE, status)};
  check_icu(status, "Calendar::get");
  return date;
}

void set_date(icu::Calendar& calendar, const LocalDate& date) {
  calendar.clear();  // also midnight: cleared time fields count as 0
  calendar.set(UCAL_EXTENDED_YEAR, date.year);
  calendar.set(UCAL_MONTH, date.month);
  calendar.set(UCAL_DATE, date.day);
}

// The first instant of `date` in the zone of `local`.
base::TimePoint local_midnight(icu::Calendar& local, const LocalDate& date) {
  set_date(local, date);
  UErrorCode status = U_ZERO_ERROR;
  const UDate start = local.getTime(status);
  check_icu(status, "Calendar::getTime");
  return from_udate(start);
}

// A Gregorian calendar with ISO week rules (weeks from Monday; week 1 is the
// first with at least four days of the new year, so it holds a Thursday),
// proleptic (no Julian dates before 1582, as in ISO 8601), in GMT, resolving
// skipped wall times to the next valid one and repeated ones to the first.
//
// Building a calendar reads locale resources (about 9 us with ICU 72);
// cloning one takes 0.1 us. So one prototype is built on first use, never
// changed, and cloned per call: a cache of ICU data, not shared state.
// Concurrent clone() of a const calendar only reads it.
const icu::GregorianCalendar& prototype() {
  static const std::unique_ptr<const icu::GregorianCalendar> calendar = [] {
    UErrorCode status = U_ZERO_ERROR;
    auto c = std::make_unique<icu::GregorianCalendar>(icu::TimeZone::getGMT()->clone(),
                                                      icu::Locale::getRoot(), status);
    check_icu(status, "GregorianCalendar");
    c->setFirstDayOfWeek(UCAL_MONDAY);
    c->setMinimalDaysInFirstWeek(4);
    c->setSkippedWallTimeOption(UCAL_WALLTIME_NEXT_VALID);
    c->setRepeatedWallTimeOption(UCAL_WALLTIME_FIRST);
    c->setGregorianChange(-std::numeric_limits<UDate>::infinity(), status);
    check_icu(status, "GregorianCalendar::setGregorianChange");
    return std::unique_ptr<const icu::GregorianCalendar>(std::move(c));
  }();
  return *calendar;
}

std::unique_ptr<icu::Calendar> new_calendar() {
  std::unique_ptr<icu::Calendar> calendar(prototype().clone());
  if (!calendar) throw std::runtime_error("ICU: cannot clone a calendar");
  return calendar;
}

// Positive years are zero-padded to four digits, so keys sort as text.
std::string four_digits(std::int32_t n) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d", static_cast<int>(n));
  return buffer;
}

std::string two_digits(std::int32_t n) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d", static_cast<int>(n));
  return buffer;
}

// The first local date of the period of `kind` that holds `date`.
LocalDate first_date(icu::Calendar& dates, PeriodKind kind, const LocalDate& date) {
  set_date(dates, date);
  UErrorCode status = U_ZERO_ERROR;
  switch (kind) {
    case PeriodKind::kDay:
      break;
    case PeriodKind::kWeek: {
      const std::int32_t weekday = dates.get(UCAL_DAY_OF_WEEK, status);  // 1 = Sunday
      dates.add(UCAL_DATE, -((weekday - UCAL_MONDAY + 7) % 7), status);
      break;
    }
    case PeriodKind::kMonth:
      dates.set(UCAL_DATE, 1);
      break;
  }
  check_icu(status, "first date of a period");
  return date_of(dates);
}

// The first local date of the period after the one starting on `first`.
LocalDate next_first_date(icu::Calendar& dates, PeriodKind kind, const LocalDate& first) {
  set_date(dates, first);
  UErrorCode status = U_ZERO_ERROR;
  switch (kind) {
    case PeriodKind::kDay:
      dates.add(UCAL_DATE, 1, status);
      break;
    case PeriodKind::kWeek:
      dates.add(UCAL_DATE, 7, status);
      break;
    case PeriodKind::kMonth:
      dates.add(UCAL_MONTH, 1, status);
      break;
  }
  check_icu(status, "Calendar::add");
  return date_of(dates);
}

// "2026-11-29", "2026-W48" (ISO week-year and week), "2026-11".
std::string key_of(icu::Calendar& dates, PeriodKind kind, const LocalDate& first) {
  switch (kind) {
    case PeriodKind::kDay:
      return four_digits(first.year) + '-' + two_digits(first.month + 1) + '-' +
             two_digits(first.day);
    case PeriodKind::kWeek: {
      set_date(dates, first);
      UErrorCode status = U_ZERO_ERROR;
      const std::int32_t week_year = dates.get(UCAL_YEAR_WOY, status);
      const std::int32_t week = dates.get(UCAL_WEEK_OF_YEAR, status);
      check_icu(status, "ISO week");
      return four_digits(week_year) + "-W" + two_digits(week);
    }
    case PeriodKind::kMonth:
      return four_digits(first.year) + '-' + two_digits(first.month + 1);
  }
  throw std::invalid_argument("unknown period kind");
}

Period period_from(icu::Calendar& local, icu::Calendar& dates, PeriodKind kind,
                   const LocalDate& first) {
  Period period;
  period.key = key_of(dates, kind, first);
  period.start = local_midnight(local, first);
  period.end = local_midnight(local, next_first_date(dates, kind, first));
  return period;
}

}  // namespace

std::string_view period_kind_name(PeriodKind kind) {
  switch (kind) {
    case PeriodKind::kDay:
      return "day";
    case PeriodKind::kWeek:
      return "week";
    case PeriodKind::kMonth:
      return "month";
  }
  return "unknown";
}

std::optional<PeriodKind> parse_period_kind(std::string_view name) {
  for (PeriodKind kind : {PeriodKind::kDay, PeriodKind::kWeek, PeriodKind::kMonth}) {
    if (name == period_kind_name(kind)) return kind;
  }
  return std::nullopt;
}

bool is_known_time_zone(const std::string& time_zone) {
  return find_zone(time_zone) != nullptr;
}

namespace {

Period compute_period_containing(base::TimePoint now, PeriodKind kind,
                                 const std::string& time_zone);

// The last periods found, per thread: a period's bounds never change while
// the process runs (the zone data is fixed), so an instant inside one found
// before needs no calendar work. A request asks two or three times.
struct RecentPeriod {
  PeriodKind kind;
  std::string time_zone;
  Period period;
};
constexpr std::size_t kRecentPeriods = 4;
thread_local std::vector<RecentPeriod> recent_periods;

}  // namespace

Period period_containing(base::TimePoint now, PeriodKind kind, const std::string& time_zone) {
  for (const RecentPeriod& r : recent_periods)
    if (r.kind == kind && r.period.contains(now) && r.time_zone == time_zone) return r.period;
  Period found = compute_period_containing(now, kind, time_zone);
  if (recent_periods.size() == kRecentPeriods) recent_periods.erase(recent_periods.begin());
  recent_periods.push_back({kind, time_zone, found});
  return found;
}

namespace {

Period compute_period_containing(base::TimePoint now, PeriodKind kind,
                                 const std::string& time_zone) {
  std::unique_ptr<icu::TimeZone> zone = find_zone(time_zone);
  if (!zone) throw std::invalid_argument("unknown time zone '" + time_zone + "'");

  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Calendar> local = new_calendar();
  local->adoptTimeZone(zone.release());
  local->setTime(to_udate(now), status);
  check_icu(status, "Calendar::setTime");
  std::unique_ptr<icu::Calendar> dates = new_calendar();  // stays in GMT

  LocalDate first = first_date(*dates, kind, date_of(*local));
  Period period = period_from(*local, *dates, kind, first);
  // A clock turned back across midnight (America/St_Johns until 2011 went
  // from 00:01 to 23:01) shows the end of a day again after the next day has
  // begun; those minutes belong to the period that has begun, so that periods
  // tile time. The next period starts at this one's end, which is <= now.
  // The loop, not an if, covers a period left empty by a skipped day.
  while (!(now < period.end)) {
    first = next_first_date(*dates, kind, first);
    period = period_from(*local, *dates, kind, first);
  }
  return period;
}

}  // namespace

}  // namespace masthead::paywall
