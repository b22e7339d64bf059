// A calendar day in the site's time zone, as the UTC instant it starts.
//
// The search page's date range (`?from=2026-11-01&to=2026-11-30`) is in days
// as the publication's readers count them, so "to 30 November" in Tokyo ends
// at 15:00 UTC on the 30th, not at midnight UTC. ICU's calendar does the zone
// arithmetic (summer time included); the text must be exactly YYYY-MM-DD of
// a real date, anything else is nothing (the filter is then not applied).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace masthead::site {

// The first instant of `iso_date` (YYYY-MM-DD) in `time_zone` (IANA id), or
// of the day `days_after` it.
std::optional<base::TimePoint> local_day_start(std::string_view iso_date,
                                               const std::string& time_zone, int days_after = 0);

}  // namespace masthead::site
