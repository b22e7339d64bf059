// See local_day.h.
#include "site/local_day.h"

#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <charconv>
#include <memory>

namespace masthead::site {
namespace {

std::optional<int> digits(std::string_view text) {
  int n = 0;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

}  // namespace

std::optional<base::TimePoint> local_day_start(std::string_view iso_date,
                                               const std::string& time_zone, int days_after) {
  if (iso_date.size() != 10 || iso_date[4] != '-' || iso_date[7] != '-') return std::nullopt;
  auto year = digits(iso_date.substr(0, 4));
  auto month = digits(iso_date.substr(5, 2));
  auto day = digits(iso_date.substr(8, 2));
  if (!year || !month || !day || *year < 1970 || *month < 1 || *month > 12 || *day < 1)
    return std::nullopt;
  std::unique_ptr<icu::TimeZone> zone(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(time_zone)));
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar calendar(*zone, status);
  if (U_FAILURE(status)) return std::nullopt;
  calendar.setLenient(false);
  calendar.clear();
  calendar.set(*year, *month - 1, *day, 0, 0, 0);
  calendar.getTime(status);
  if (U_FAILURE(status)) return std::nullopt;  // 31 February and the like
  calendar.add(UCAL_DATE, days_after, status);
  UDate ms = calendar.getTime(status);
  if (U_FAILURE(status)) return std::nullopt;
  return base::TimePoint(std::chrono::milliseconds(static_cast<std::int64_t>(ms)));
}

}  // namespace masthead::site
