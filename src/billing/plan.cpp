// See plan.h. Calendar arithmetic uses std::chrono's civil types (UTC), as
// base/iso_time.cpp does; no time zones are involved.
#include "billing/plan.h"

#include <algorithm>

namespace masthead::billing {

std::string_view interval_name(Interval interval) {
  return interval == Interval::kYear ? "year" : "month";
}

std::optional<Interval> parse_interval(std::string_view text) {
  if (text == "month") return Interval::kMonth;
  if (text == "year") return Interval::kYear;
  return std::nullopt;
}

base::TimePoint add_intervals(base::TimePoint start, Interval interval, int n) {
  using namespace std::chrono;
  const sys_days day = floor<days>(start);
  const auto time_of_day = start - day;
  year_month_day ymd{day};
  const months step = interval == Interval::kYear ? months(12 * n) : months(n);
  year_month_day target = ymd.year() / ymd.month() / ymd.day() + step;
  if (!target.ok()) target = target.year() / target.month() / last;
  return sys_days{target} + time_of_day;
}

std::string format_entitlements(EntitlementSet set) {
  std::string out;
  auto add = [&out](bool on, const char* word) {
    if (!on) return;
    if (!out.empty()) out += ',';
    out += word;
  };
  add(set.web, "web");
  add(set.apps, "apps");
  add(set.print, "print");
  return out;
}

base::Result<EntitlementSet> parse_entitlements(std::string_view text) {
  EntitlementSet set;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view word = text.substr(pos, comma - pos);
    while (!word.empty() && word.front() == ' ') word.remove_prefix(1);
    while (!word.empty() && word.back() == ' ') word.remove_suffix(1);
    bool* slot = word == "web"     ? &set.web
                 : word == "apps"  ? &set.apps
                 : word == "print" ? &set.print
                                   : nullptr;
    if (slot == nullptr)
      return base::Error{"unknown entitlement '" + std::string(word) +
                         "' (expected web, apps or print, separated by commas)"};
    if (*slot) return base::Error{"entitlement '" + std::string(word) + "' is listed twice"};
    *slot = true;
    pos = comma + 1;
  }
  return set;
}

bool is_slug(std::string_view text) {
  if (text.empty() || text.size() > 64 || text.front() == '-' || text.back() == '-') return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool is_currency_code(std::string_view text) {
  return text.size() == 3 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::vector<std::string> validate(const Plan& plan) {
  std::vector<std::string> problems;
  if (!is_slug(plan.code))
    problems.push_back("plan code '" + plan.code +
                       "' must be 1-64 lowercase letters, digits or '-', not starting or ending "
                       "with '-'");
  if (plan.name.empty()) problems.push_back("plan '" + plan.code + "' needs a name");
  if (plan.price_minor < 0)
    problems.push_back("plan '" + plan.code + "' has a negative price (" +
                       std::to_string(plan.price_minor) + ")");
  if (!is_currency_code(plan.currency))
    problems.push_back("plan '" + plan.code + "' has currency '" + plan.currency +
                       "'; expected an ISO 4217 code such as USD or EUR (three uppercase letters)");
  if (plan.entitlements.empty())
    problems.push_back("plan '" + plan.code +
                       "' grants nothing; give it at least one of web, apps, print");
  return problems;
}

}  // namespace masthead::billing
