// See offer.h. Pure functions over values; `now` always comes from the caller.
#include "billing/offer.h"

#include <tuple>

namespace masthead::billing {

std::string_view offer_kind_name(OfferKind kind) {
  return kind == OfferKind::kTrial ? "trial" : "intro_price";
}

std::optional<OfferKind> parse_offer_kind(std::string_view text) {
  if (text == "intro_price") return OfferKind::kIntroPrice;
  if (text == "trial") return OfferKind::kTrial;
  return std::nullopt;
}

bool is_current(const Offer& offer, base::TimePoint now) {
  return offer.starts_at <= now && now < offer.ends_at;
}

bool eligible(const Offer& offer, const AccountHistory& history) {
  if (offer.kind == OfferKind::kTrial && history.had_trial) return false;
  return !offer.new_subscribers_only || history.is_new();
}

std::vector<Offer> current_offers(const std::vector<Offer>& all, base::TimePoint now) {
  std::vector<Offer> out;
  for (const Offer& offer : all)
    if (is_current(offer, now)) out.push_back(offer);
  return out;
}

std::optional<Offer> paywall_offer(const std::vector<Offer>& all, base::TimePoint now) {
  const Offer* best = nullptr;
  for (const Offer& offer : all) {
    if (!offer.paywall || !is_current(offer, now)) continue;
    if (best == nullptr ||
        std::tie(offer.starts_at, offer.code) > std::tie(best->starts_at, best->code))
      best = &offer;
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

std::optional<base::TimePoint> intro_end(const Offer& offer, const Plan& plan,
                                         base::TimePoint start) {
  if (offer.kind != OfferKind::kIntroPrice) return std::nullopt;
  return add_intervals(start, plan.interval, offer.intro_intervals);
}

std::vector<std::string> validate(const Offer& offer) {
  std::vector<std::string> problems;
  const std::string name = "offer '" + offer.code + "'";
  if (!is_slug(offer.code))
    problems.push_back("offer code '" + offer.code +
                       "' must be 1-64 lowercase letters, digits or '-', not starting or ending "
                       "with '-'");
  if (!is_slug(offer.plan_code))
    problems.push_back(name + " names no valid plan code ('" + offer.plan_code + "')");
  if (offer.intro_price_minor < 0) problems.push_back(name + " has a negative price");
  if (offer.kind == OfferKind::kIntroPrice) {
    if (offer.intro_intervals < 1 || offer.intro_intervals > 36)
      problems.push_back(name + " needs 1-36 introductory intervals, not " +
                         std::to_string(offer.intro_intervals));
    if (offer.trial_days != 0)
      problems.push_back(name + " is an introductory price and cannot have trial days");
  } else {
    if (offer.trial_days < 1 || offer.trial_days > 365)
      problems.push_back(name + " needs a trial of 1-365 days, not " +
                         std::to_string(offer.trial_days));
    if (offer.intro_intervals != 0)
      problems.push_back(name + " is a trial and cannot have introductory intervals");
  }
  if (!(offer.starts_at < offer.ends_at)) problems.push_back(name + " must start before it ends");
  return problems;
}

std::vector<std::string> validate(const Offer& offer, const Plan& plan) {
  std::vector<std::string> problems = validate(offer);
  if (offer.plan_code != plan.code)
    problems.push_back("offer '" + offer.code + "' is for plan '" + offer.plan_code + "', not '" +
                       plan.code + "'");
  else if (offer.kind == OfferKind::kIntroPrice && offer.intro_price_minor >= plan.price_minor)
    problems.push_back("offer '" + offer.code + "' must cost less than plan '" + plan.code +
                       "' per interval");
  return problems;
}

}  // namespace masthead::billing
