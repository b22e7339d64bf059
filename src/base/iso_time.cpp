// See iso_time.h. The parser walks the text once with a cursor; each field has
// a fixed width, so there is no backtracking and no locale involvement.
#include "base/iso_time.h"

#include <chrono>
#include <cstdio>

namespace masthead::base {
namespace {

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool done() const { return pos_ == text_.size(); }
  bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool take(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  // Reads exactly `width` digits.
  std::optional<int> digits(int width) {
    if (pos_ + width > text_.size()) return std::nullopt;
    int value = 0;
    for (int i = 0; i < width; ++i) {
      char c = text_[pos_ + i];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    pos_ += width;
    return value;
  }
  // Skips one or more digits (fractional seconds); returns false if none.
  bool skip_digits() {
    std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

constexpr int kMinYear = 1800;
constexpr int kMaxYear = 2200;

}  // namespace

std::optional<TimePoint> parse_iso8601(std::string_view text) {
  using namespace std::chrono;
  Cursor in(text);
  auto y = in.digits(4);
  // system_clock counts nanoseconds in 64 bits: about 1677 to 2262. Keep well
  // inside that, so that no offset or arithmetic on an instant can overflow.
  if (!y || *y < kMinYear || *y > kMaxYear || !in.take('-')) return std::nullopt;
  auto mo = in.digits(2);
  if (!mo || !in.take('-')) return std::nullopt;
  auto d = in.digits(2);
  if (!d) return std::nullopt;
  year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  sys_seconds t = sys_days{date};
  if (in.done()) return t;
  if (!in.take('T') && !in.take('t') && !in.take(' ')) return std::nullopt;
  auto h = in.digits(2);
  if (!h || !in.take(':')) return std::nullopt;
  auto mi = in.digits(2);
  if (!mi) return std::nullopt;
  int s = 0;
  if (in.take(':')) {
    auto sec = in.digits(2);
    if (!sec) return std::nullopt;
    s = *sec;
    if ((in.take('.') || in.take(',')) && !in.skip_digits()) return std::nullopt;
  }
  if (*h > 23 || *mi > 59 || s > 59) return std::nullopt;
  t += hours{*h} + minutes{*mi} + seconds{s};
  if (in.take('Z') || in.take('z')) return in.done() ? std::optional<TimePoint>(t) : std::nullopt;
  int sign = 0;
  if (in.take('+'))
    sign = 1;
  else if (in.take('-'))
    sign = -1;
  else
    return std::nullopt;
  auto oh = in.digits(2);
  if (!oh) return std::nullopt;
  in.take(':');
  auto om = in.digits(2);
  if (!om || *oh > 23 || *om > 59 || !in.done()) return std::nullopt;
  t -= sign * (hours{*oh} + minutes{*om});
  // The offset may carry an edge year across the bound; the instant is what
  // must stay inside it, so that printing and re-parsing it round-trips.
  constexpr sys_days kFirst = year_month_day{year{kMinYear}, January, day{1}};
  constexpr sys_days kEnd = year_month_day{year{kMaxYear + 1}, January, day{1}};
  if (t < kFirst || t >= kEnd) return std::nullopt;
  return t;
}

std::string format_iso8601_utc(TimePoint t) {
  using namespace std::chrono;
  auto secs = floor<seconds>(t);
  auto days = floor<std::chrono::days>(secs);
  year_month_day ymd{days};
  hh_mm_ss hms{secs - days};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

std::int64_t to_unix_seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

TimePoint from_unix_seconds(std::int64_t seconds) {
  return TimePoint(std::chrono::seconds(seconds));
}

}  // namespace masthead::base
