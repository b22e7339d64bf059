// DateFormatter: dates and times as a reader in one locale and time zone
// expects to see them, from UTC instants.
//
// What it is. Masthead stores every instant in UTC (std::chrono::system_clock).
// A publication has a locale ("en-GB", "en-US", "ja-JP") and a home time zone
// ("Europe/London", "Asia/Tokyo"); a DateFormatter turns an instant into the
// strings a page shows:
//
//   long_date            "November 18, 2026"         "2026年11月18日"
//   date_time            "Nov 18, 2026, 4:30 PM GMT+9"  "2026年11月18日 16:30 JST"
//   month_day            "January 31"                "1月31日"
//   iso8601              "2026-11-18T07:30:00Z"      (UTC, for machines)
//   iso8601_with_offset  "2026-11-18T16:30:00+09:00" (for <time datetime>)
//
// The key idea: no calendar or time-zone arithmetic here. ICU (CLDR data) owns
// the patterns, month names, zone names and the tz database; this class only
// picks styles and skeletons (date_time uses the skeleton "yMMMdjmz", month_day
// "MMMMd", so each locale orders and punctuates them its own way). Exact
// strings are ICU's: with ICU 72 (CLDR 42) English times put U+202F NARROW
// NO-BREAK SPACE before AM/PM, and CLDR updates may change punctuation, so
// tests outside this module should not compare formatted dates byte for byte.
//
// Thread safety: ICU's DateFormat objects keep a mutable Calendar and are not
// safe for concurrent use. Each DateFormatter owns its three ICU formatters,
// built once in the constructor, and serialises their use with one mutex.
// Formatting takes about a microsecond, so the lock is held briefly; if
// profiling ever shows contention, a thread_local clone per formatter is the
// next step. The ISO 8601 forms use no ICU formatter and take no lock.
//
// Invariants: the time zone is a real IANA zone (the constructor throws
// std::invalid_argument for anything ICU maps to "Etc/Unknown"); the locale is
// a well-formed ICU/BCP 47 id. A moved-from DateFormatter may only be destroyed
// or assigned to.
#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace masthead::render {

class DateFormatter {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // `locale` is an ICU locale id or BCP 47 tag ("en-GB", "ja-JP"); `time_zone`
  // an IANA zone id ("Asia/Tokyo"). Throws std::invalid_argument for an
  // unknown zone or a malformed locale.
  DateFormatter(std::string locale, std::string time_zone);
  ~DateFormatter();
  DateFormatter(DateFormatter&&) noexcept;
  DateFormatter& operator=(DateFormatter&&) noexcept;
  DateFormatter(const DateFormatter&) = delete;
  DateFormatter& operator=(const DateFormatter&) = delete;

  const std::string& locale() const { return locale_; }
  const std::string& time_zone() const { return time_zone_; }

  // The date in the locale's long style: "November 18, 2026".
  std::string long_date(TimePoint tp) const;
  // Medium date, short time and the zone's short name: "Nov 18, 2026, 4:30 PM GMT+9".
  std::string date_time(TimePoint tp) const;
  // Month name and day: "January 31", "1月31日".
  std::string month_day(TimePoint tp) const;
  // UTC, whole seconds: "2026-11-18T07:30:00Z".
  static std::string iso8601(TimePoint tp);
  // Local time in this zone with its UTC offset: "2026-11-18T16:30:00+09:00".
  // Historical offsets that are not whole minutes fall back to the UTC form.
  std::string iso8601_with_offset(TimePoint tp) const;

 private:
  struct Impl;

  std::string locale_;
  std::string time_zone_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace masthead::render
