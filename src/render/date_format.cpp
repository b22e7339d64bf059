// DateFormatter: ICU date formatters behind a mutex; ISO 8601 by plain civil
// arithmetic on UTC. See date_format.h for the contract.
#include "render/date_format.h"

#include <mutex>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <unicode/datefmt.h>
#include <unicode/dtptngen.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include "render/locale_id.h"

namespace masthead::render {

namespace {

void check(UErrorCode status, const char* what) {
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU: ") + what + ": " + u_errorName(status));
  }
}

std::unique_ptr<icu::TimeZone> parse_zone(const std::string& id) {
  std::unique_ptr<icu::TimeZone> zone(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(id)));
  // ICU answers an unknown id with the "Etc/Unknown" zone (offset 0) rather
  // than an error; that zone is never what a configuration meant.
  icu::UnicodeString resolved;
  if (!zone || zone->getID(resolved) == UNICODE_STRING_SIMPLE(UCAL_UNKNOWN_ZONE_ID)) {
    throw std::invalid_argument("unknown time zone '" + id + "'");
  }
  return zone;
}

std::unique_ptr<icu::DateFormat> from_skeleton(const icu::Locale& locale, const char* skeleton) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::DateTimePatternGenerator> generator(
      icu::DateTimePatternGenerator::createInstance(locale, status));
  check(status, "DateTimePatternGenerator::createInstance");
  const icu::UnicodeString pattern = generator->getBestPattern(skeleton, status);
  check(status, "DateTimePatternGenerator::getBestPattern");
  auto format = std::make_unique<icu::SimpleDateFormat>(pattern, locale, status);
  check(status, "SimpleDateFormat");
  return format;
}

UDate to_udate(DateFormatter::TimePoint tp) {
  return static_cast<UDate>(
      std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch()).count());
}

// "YYYY-MM-DDTHH:MM:SS" for the civil time `seconds` after the epoch.
std::string civil(std::chrono::sys_seconds seconds) {
  const auto day = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(seconds - day);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

}  // namespace

struct DateFormatter::Impl {
  std::unique_ptr<icu::TimeZone> zone;
  std::mutex mutex;  // guards `zone` and the three formatters
  std::unique_ptr<icu::DateFormat> long_date;
  std::unique_ptr<icu::DateFormat> date_time;
  std::unique_ptr<icu::DateFormat> month_day;

  std::string format(const icu::DateFormat& formatter, TimePoint tp) {
    icu::UnicodeString text;
    {
      std::lock_guard lock(mutex);
      formatter.format(to_udate(tp), text);
    }
    std::string out;
    text.toUTF8String(out);
    return out;
  }
};

DateFormatter::DateFormatter(std::string locale, std::string time_zone)
    : locale_(std::move(locale)),
      time_zone_(std::move(time_zone)),
      impl_(std::make_unique<Impl>()) {
  const icu::Locale icu_locale = parse_locale_id(locale_);
  impl_->zone = parse_zone(time_zone_);
  impl_->long_date.reset(icu::DateFormat::createDateInstance(icu::DateFormat::kLong, icu_locale));
  if (!impl_->long_date) throw std::runtime_error("ICU: cannot create a long date format");
  impl_->date_time = from_skeleton(icu_locale, "yMMMdjmz");
  impl_->month_day = from_skeleton(icu_locale, "MMMMd");
  for (icu::DateFormat* f :
       {impl_->long_date.get(), impl_->date_time.get(), impl_->month_day.get()}) {
    f->setTimeZone(*impl_->zone);
  }
}

DateFormatter::~DateFormatter() = default;
DateFormatter::DateFormatter(DateFormatter&&) noexcept = default;
DateFormatter& DateFormatter::operator=(DateFormatter&&) noexcept = default;

std::string DateFormatter::long_date(TimePoint tp) const {
  return impl_->format(*impl_->long_date, tp);
}

std::string DateFormatter::date_time(TimePoint tp) const {
  return impl_->format(*impl_->date_time, tp);
}

std::string DateFormatter::month_day(TimePoint tp) const {
  return impl_->format(*impl_->month_day, tp);
}

std::string DateFormatter::iso8601(TimePoint tp) {
  return civil(std::chrono::floor<std::chrono::seconds>(tp)) + 'Z';
}

std::string DateFormatter::iso8601_with_offset(TimePoint tp) const {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(tp);
  std::int32_t raw = 0;
  std::int32_t dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  {
    // ICU does not promise that zones are safe for concurrent use either.
    std::lock_guard lock(impl_->mutex);
    impl_->zone->getOffset(to_udate(seconds), false, raw, dst, status);
  }
  check(status, "TimeZone::getOffset");
  const std::int32_t offset_ms = raw + dst;
  if (offset_ms % 60000 != 0) return iso8601(tp);
  const int minutes = offset_ms / 60000;
  const int magnitude = minutes < 0 ? -minutes : minutes;
  return civil(seconds + std::chrono::minutes(minutes)) +
         fmt::format("{}{:02}:{:02}", minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
}

}  // namespace masthead::render
