// Fuzz target: ISO 8601 instants (base::parse_iso8601, format_iso8601_utc).
//
// Timestamps come from front matter, imports and the command line, and the
// ones Masthead writes (feeds, sitemaps, the API) must read back as the same
// instant. The properties checked: whatever parse_iso8601 accepts is a whole
// second, formats as "YYYY-MM-DDTHH:MM:SSZ", and that text parses back to the
// same instant; the Unix-seconds conversion the stores use round-trips too;
// and a time already in that canonical form formats as itself, which catches
// an instant that silently became another one (no sanitizer needed).
// Fractional seconds are truncated by design, so "the same instant" means
// the same whole second.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/iso_time.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace base = masthead::base;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = base::parse_iso8601(text);
  if (!parsed) return 0;

  const base::TimePoint t = *parsed;
  const std::string formatted = base::format_iso8601_utc(t);
  if (text.size() == 20) {  // only "YYYY-MM-DD?HH:MM:SSZ" parses at this length
    std::string canonical(text);
    canonical[10] = 'T';
    canonical[19] = 'Z';
    FUZZ_CHECK(formatted == canonical, "a time in the canonical UTC form formats as itself");
  }
  FUZZ_CHECK(std::chrono::floor<std::chrono::seconds>(t) == t, "parsed instants are whole seconds");
  FUZZ_CHECK(base::from_unix_seconds(base::to_unix_seconds(t)) == t, "Unix seconds round-trip");
  FUZZ_CHECK(formatted.size() == 20 && formatted.back() == 'Z',
             "formatted as YYYY-MM-DDTHH:MM:SSZ");
  const auto again = base::parse_iso8601(formatted);
  FUZZ_CHECK(again.has_value(), "what format_iso8601_utc writes, parse_iso8601 reads");
  FUZZ_CHECK(*again == t, "format then parse gives the same instant");
  FUZZ_CHECK(base::format_iso8601_utc(*again) == formatted, "formatting is stable");
  return 0;
}
