// See throttle.h.
#include "members/throttle.h"

namespace masthead::members {

bool throttled(const FailureCounts& counts, const ThrottlePolicy& policy) {
  return counts.account >= policy.max_account_failures ||
         counts.address >= policy.max_address_failures;
}

base::TimePoint window_start(const ThrottlePolicy& policy, base::TimePoint now) {
  return now - policy.window;
}

}  // namespace masthead::members
