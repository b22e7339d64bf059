// IMF-fixdate formatting; see http_date.h.
#include "http/http_date.h"

namespace masthead::http {

namespace {

constexpr char kDays[7][4] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // from 1970-01-01
constexpr char kMonths[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void put2(char* out, int value) {
  out[0] = char('0' + value / 10);
  out[1] = char('0' + value % 10);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

void format_http_date(std::int64_t unix_seconds, char* out) {
  std::int64_t days = floor_div(unix_seconds, 86400);
  std::int64_t secs = unix_seconds - days * 86400;
  int weekday = int(((days % 7) + 7) % 7);

  // days-to-civil (http://howardhinnant.github.io/date_algorithms.html)
  std::int64_t z = days + 719468;
  std::int64_t era = floor_div(z, 146097);
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  int day = int(doy - (153 * mp + 2) / 5 + 1);
  int month = int(mp < 10 ? mp + 3 : mp - 9);
  std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0) year = 0;
  if (year > 9999) year = 9999;

  // "Sun, 06 Nov 1994 08:49:37 GMT"
  const char* name = kDays[weekday];
  out[0] = name[0], out[1] = name[1], out[2] = name[2], out[3] = ',', out[4] = ' ';
  put2(out + 5, day);
  out[7] = ' ';
  name = kMonths[month - 1];
  out[8] = name[0], out[9] = name[1], out[10] = name[2], out[11] = ' ';
  put2(out + 12, int(year / 100));
  put2(out + 14, int(year % 100));
  out[16] = ' ';
  put2(out + 17, int(secs / 3600));
  out[19] = ':';
  put2(out + 20, int(secs / 60 % 60));
  out[22] = ':';
  put2(out + 23, int(secs % 60));
  out[25] = ' ', out[26] = 'G', out[27] = 'M', out[28] = 'T';
}

std::string format_http_date(std::chrono::system_clock::time_point when) {
  std::string text(kHttpDateLength, ' ');
  auto seconds = std::chrono::floor<std::chrono::seconds>(when).time_since_epoch().count();
  format_http_date(static_cast<std::int64_t>(seconds), text.data());
  return text;
}

std::string_view http_date_now() {
  struct Cache {
    std::int64_t second = -1;
    char text[kHttpDateLength];
  };
  thread_local Cache cache;
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto second = static_cast<std::int64_t>(std::chrono::floor<std::chrono::seconds>(now).count());
  if (second != cache.second) {
    format_http_date(second, cache.text);
    cache.second = second;
  }
  return std::string_view(cache.text, kHttpDateLength);
}

}  // namespace masthead::http
