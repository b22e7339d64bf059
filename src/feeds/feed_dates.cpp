// RFC 822 and RFC 3339 dates for feeds. See feed_dates.h.
#include "feeds/feed_dates.h"

#include <chrono>
#include <cstdio>

#include "base/iso_time.h"

namespace masthead::feeds {

std::string rfc822_date(base::TimePoint t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  using namespace std::chrono;
  const auto seconds = floor<std::chrono::seconds>(t);
  const auto day = floor<days>(seconds);
  const year_month_day ymd(day);
  const weekday wd(day);
  const hh_mm_ss<std::chrono::seconds> time(seconds - day);
  char out[40];
  std::snprintf(out, sizeof out, "%s, %02u %s %04d %02d:%02d:%02d +0000", kDays[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
  return out;
}

std::string rfc3339_date(base::TimePoint t) {
  return base::format_iso8601_utc(t);
}

}  // namespace masthead::feeds
