// Feed dates: RFC 822 for RSS 2.0, RFC 3339 for Atom and JSON Feed.
//
// RSS 2.0 asks for RFC 822 dates ("Thu, 03 Dec 2026 14:09:50 +0000", with
// a four-digit year as RFC 1123 has it); Atom and JSON Feed for RFC 3339
// ("2026-12-03T14:09:50Z"). Both are written in UTC with English names
// whatever the process locale, from whole seconds.
#pragma once

#include <string>

#include "base/clock.h"

namespace masthead::feeds {

std::string rfc822_date(base::TimePoint t);
std::string rfc3339_date(base::TimePoint t);

}  // namespace masthead::feeds
