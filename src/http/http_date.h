// HTTP dates: the IMF-fixdate format of RFC 9110 §5.6.7.
//
// "Sun, 06 Nov 1994 08:49:37 GMT" is the only date format a server may send
// (Date, Expires, Last-Modified, cookie Expires). It is always exactly 29
// characters and always in UTC; the day and month names are English whatever
// the process locale, which is why this does not use strftime. The civil
// calendar conversion is Howard Hinnant's days-to-civil algorithm, valid for
// any date a server will see, with no global state, so it is thread-safe.
// http_date_now() caches the formatted current second in a thread_local.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace masthead::http {

inline constexpr std::size_t kHttpDateLength = 29;

// Writes exactly kHttpDateLength characters (no terminator) to `out`.
void format_http_date(std::int64_t unix_seconds, char* out);

std::string format_http_date(std::chrono::system_clock::time_point when);

// The current time as an IMF-fixdate, formatted at most once per second per
// thread (the server calls this for every response). The view stays valid
// until the next call on the same thread.
std::string_view http_date_now();

}  // namespace masthead::http
