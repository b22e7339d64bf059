// MeterPolicy validation: one sentence per problem, each naming its key.
// See meter_policy.h for the contract.
#include "paywall/meter_policy.h"

namespace masthead::paywall {

namespace {

void check_count(const char* key, int value, std::vector<std::string>& problems) {
  if (value < 0) {
    problems.push_back(std::string("paywall.") + key + " must be 0 or more (got " +
                       std::to_string(value) + ")");
  }
}

}  // namespace

std::vector<std::string> validate(const MeterPolicy& policy) {
  std::vector<std::string> problems;
  check_count("anonymous_free", policy.anonymous_free, problems);
  check_count("registered_free", policy.registered_free, problems);
  check_count("anonymous_network_free", policy.anonymous_network_free, problems);
  // A PeriodKind built by a cast from a number, not by parse_period_setting.
  if (!parse_period_kind(period_kind_name(policy.period))) {
    problems.push_back("paywall.period: unknown period (" +
                       std::to_string(static_cast<int>(policy.period)) +
                       "; expected day, week or month)");
  }
  if (!is_known_time_zone(policy.time_zone)) {
    problems.push_back("paywall.timezone: unknown time zone '" + policy.time_zone +
                       "' (expected an IANA id such as \"Europe/London\")");
  }
  if (policy.lead_in_paragraphs < 0 || policy.lead_in_paragraphs > kMaxLeadInParagraphs) {
    problems.push_back("paywall.lead_in_paragraphs must be between 0 and " +
                       std::to_string(kMaxLeadInParagraphs) + " (got " +
                       std::to_string(policy.lead_in_paragraphs) + ")");
  }
  return problems;
}

base::Result<PeriodKind> parse_period_setting(std::string_view name) {
  if (std::optional<PeriodKind> kind = parse_period_kind(name)) return *kind;
  return base::Error{"paywall.period: unknown period '" + std::string(name) +
                     "' (expected day, week or month)"};
}

}  // namespace masthead::paywall
