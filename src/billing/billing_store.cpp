// See billing_store.h: the names of event outcomes (the interface has no code).
#include "billing/billing_store.h"

namespace masthead::billing {

std::string_view outcome_name(EventOutcome outcome) {
  switch (outcome) {
    case EventOutcome::kApplied:
      return "applied";
    case EventOutcome::kStale:
      return "stale";
    case EventOutcome::kUnmatched:
      return "unmatched";
  }
  return "unmatched";
}

std::optional<EventOutcome> parse_outcome(std::string_view text) {
  for (EventOutcome o : {EventOutcome::kApplied, EventOutcome::kStale, EventOutcome::kUnmatched})
    if (outcome_name(o) == text) return o;
  return std::nullopt;
}

}  // namespace masthead::billing
