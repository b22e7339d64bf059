// See offer_words.h.
#include "services/offer_words.h"

#include <vector>

#include "render/money.h"

namespace masthead::services {

using billing::OfferKind;

namespace {
std::string per_interval(const Language& l, std::int64_t minor, const billing::Plan& plan) {
  return l.messages->format("offers.per_interval",
                            {{"price", render::format_money(l.locale, minor, plan.currency)},
                             {"interval", billing::interval_name(plan.interval)}});
}
}  // namespace

std::string plan_price(const Language& l, const billing::Plan& plan) {
  return per_interval(l, plan.price_minor, plan);
}

std::string offer_terms(const Language& l, const billing::Offer& offer, const billing::Plan& plan) {
  const render::MessageCatalog& m = *l.messages;
  const std::string then = per_interval(l, plan.price_minor, plan);
  const std::string intro = render::format_money(l.locale, offer.intro_price_minor, plan.currency);
  if (offer.kind == OfferKind::kIntroPrice)
    return m.format("offers.intro_terms", {{"count", offer.intro_intervals},
                                           {"interval", billing::interval_name(plan.interval)},
                                           {"intro", intro},
                                           {"then", then}});
  if (offer.intro_price_minor == 0)
    return m.format("offers.trial_free_terms", {{"days", offer.trial_days}, {"then", then}});
  return m.format("offers.trial_paid_terms",
                  {{"days", offer.trial_days}, {"price", intro}, {"then", then}});
}

std::string offer_ends(const Language& l, const billing::Offer& offer, base::TimePoint now) {
  if (offer.ends_at - now > kShowOfferEndWithin) return "";
  // The last instant it is current, in the publication's zone.
  const base::TimePoint last = offer.ends_at - std::chrono::seconds(1);
  const bool this_year = l.dates->iso8601_with_offset(last).substr(0, 4) ==
                         l.dates->iso8601_with_offset(now).substr(0, 4);
  return l.messages->format(
      "offers.ends", {{"date", this_year ? l.dates->month_day(last) : l.dates->long_date(last)}});
}

std::string plan_includes(const Language& l, const billing::EntitlementSet& set) {
  std::vector<std::string> items;
  if (set.web) items.push_back(l.messages->format("offers.entitlement_web"));
  if (set.apps) items.push_back(l.messages->format("offers.entitlement_apps"));
  if (set.print) items.push_back(l.messages->format("offers.entitlement_print"));
  return l.messages->format("offers.includes", {{"list", render::format_list(l.locale, items)}});
}

std::string plan_name(const Language& l, const billing::Plan& plan) {
  const std::string key = "plan_name." + plan.code;
  return l.messages->has(key) ? l.messages->format(key) : plan.name;
}

bool is_free_trial(const billing::Offer& offer) {
  return offer.kind == OfferKind::kTrial && offer.intro_price_minor == 0;
}

std::int64_t first_charge_minor(const billing::Plan& plan,
                                const std::optional<billing::Offer>& offer) {
  if (offer) return offer->intro_price_minor;
  return plan.price_minor;
}

}  // namespace masthead::services
