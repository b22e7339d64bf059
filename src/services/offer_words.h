// Offer words: how a plan's price and an offer's terms read in a language —
// "£9/month", "Your first month for £1, then £9/month", "14 days free, then
// £90/year", "Offer ends 31 January" (with the year when it is not this
// year's), "Includes: web and apps", and what was charged for a new
// subscription.
//
// What it is. One vocabulary for every place that names money: the offers
// page and its buttons, the wall under an article, the test checkout, the
// confirmation page and the receipt mail. Keys come from the message
// catalogs (offers.*); money through render::format_money (ICU), lists
// through render::format_list.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/clock.h"
#include "billing/offer.h"
#include "billing/plan.h"
#include "services/language.h"

namespace masthead::services {

// Offers ending further away than this are shown without an end date (an
// "always on" offer is stored with a far end).
inline constexpr auto kShowOfferEndWithin = std::chrono::days(366);

// "£9/month".
std::string plan_price(const Language& language, const billing::Plan& plan);
// "Your first month for £1, then £9/month".
std::string offer_terms(const Language& language, const billing::Offer& offer,
                        const billing::Plan& plan);
// "Offer ends 31 January" (this year) or "Offer ends 31 January 2027";
// "" for an offer that ends more than a year away.
std::string offer_ends(const Language& language, const billing::Offer& offer, base::TimePoint now);
// "Includes: web and apps".
std::string plan_includes(const Language& language, const billing::EntitlementSet& set);
// The plan's name in the language: catalog key plan_name.<code> when the
// catalog has it, else the stored name.
std::string plan_name(const Language& language, const billing::Plan& plan);

bool is_free_trial(const billing::Offer& offer);
// What the first payment of a checkout of `plan` with `offer` takes, in
// minor units: the intro price, a paid trial's price, 0 for a free trial,
// else the plan's price.
std::int64_t first_charge_minor(const billing::Plan& plan,
                                const std::optional<billing::Offer>& offer);

}  // namespace masthead::services
