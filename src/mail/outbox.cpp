// See outbox.h: the backoff arithmetic, shared by every Outbox implementation
// so that they all wait the same.
#include "mail/outbox.h"

#include <algorithm>

namespace masthead::mail {

std::chrono::seconds retry_delay(const RetryPolicy& policy, int attempts) {
  if (attempts < 1) attempts = 1;
  std::chrono::seconds delay = policy.base_delay;
  for (int i = 1; i < attempts && delay < policy.max_delay; ++i) delay *= 2;
  return std::min(delay, policy.max_delay);
}

}  // namespace masthead::mail
