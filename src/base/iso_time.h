// ISO 8601 instants: parsing and printing the UTC timestamps Masthead stores.
//
// Stored times are UTC, written as "2026-11-18T07:30:00Z". Input (front
// matter, imports, the CLI) may also carry a fixed offset ("+09:00") or
// fractional seconds; a date alone ("2026-11-18") means midnight UTC. This is
// calendar arithmetic on std::chrono's civil types, not time-zone math: named
// zones are ICU's job (render/date_format.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace masthead::base {

// Strict: rejects out-of-range fields (month 13, Feb 30, hour 24), years
// outside 1800-2200 (an instant must fit system_clock with room to spare),
// and trailing junk.
std::optional<TimePoint> parse_iso8601(std::string_view text);

// "2026-11-18T07:30:00Z" (whole seconds, UTC).
std::string format_iso8601_utc(TimePoint t);

// Seconds since the Unix epoch, and back; what the stores keep.
std::int64_t to_unix_seconds(TimePoint t);
TimePoint from_unix_seconds(std::int64_t seconds);

}  // namespace masthead::base
