// See billing_service.h.
#include "services/billing_service.h"

#include <algorithm>
#include <tuple>

#include "billing/entitlements.h"
#include "render/money.h"
#include "services/offer_words.h"

namespace masthead::services {

using billing::Offer;
using billing::OfferKind;
using billing::Plan;
using billing::Subscription;

BillingService::BillingService(BillingOptions options, billing::BillingStore& billing,
                               billing::PaymentGateway& gateway, MemberService& members,
                               const base::Clock& clock)
    : options_(std::move(options)),
      billing_(billing),
      gateway_(gateway),
      members_(members),
      clock_(clock) {}

paywall::Entitlements entitlements_of(const billing::BillingStore& billing, std::int64_t account_id,
                                      base::TimePoint now, std::chrono::seconds grace) {
  return billing::entitlements_at(billing.subscriptions_of(account_id), billing.plans(), now,
                                  grace);
}

paywall::Entitlements BillingService::entitlements(std::int64_t account_id) const {
  return entitlements_of(billing_, account_id, clock_.now(), options_.grace);
}

std::vector<Subscription> BillingService::subscriptions_of(std::int64_t account_id) const {
  return billing_.subscriptions_of(account_id);
}

std::vector<Plan> BillingService::plans() const {
  return billing_.plans();
}

std::optional<Plan> BillingService::plan(std::string_view code) const {
  return billing_.plan(code);
}

std::optional<Subscription> BillingService::current_subscription(std::int64_t account_id) const {
  const base::TimePoint now = clock_.now();
  const std::vector<Subscription> all = billing_.subscriptions_of(account_id);
  const Subscription* best = nullptr;
  auto rank = [&](const Subscription& s) {
    const bool access = billing::effective_state(s, now, options_.grace).grants_access();
    return std::make_tuple(access, access && !s.gateway.empty(), s.started_at, s.id);
  };
  for (const Subscription& s : all)
    if (!best || rank(s) > rank(*best)) best = &s;
  if (!best) return std::nullopt;
  return *best;
}

bool BillingService::has_paid_access(std::int64_t account_id) const {
  const base::TimePoint now = clock_.now();
  const std::vector<Subscription> all = billing_.subscriptions_of(account_id);
  return std::any_of(all.begin(), all.end(), [&](const Subscription& s) {
    return !s.gateway.empty() && billing::effective_state(s, now, options_.grace).grants_access();
  });
}

OfferList BillingService::offers_for(const std::optional<SignedIn>& who) const {
  const base::TimePoint now = clock_.now();
  OfferList list;
  std::optional<billing::AccountHistory> history;
  if (who) {
    history = billing::account_history(billing_.subscriptions_of(who->account.id));
    list.subscribed = has_paid_access(who->account.id);
  }
  const std::vector<Offer> current = billing::current_offers(billing_.offers(), now);
  const std::optional<Offer> featured = billing::paywall_offer(current, now);
  for (const Plan& plan : billing_.plans()) {
    if (!plan.active) continue;
    PlanChoice choice{plan, {}};
    for (const Offer& offer : current) {
      if (offer.plan_code != plan.code) continue;
      OfferChoice o{offer, featured && featured->code == offer.code, true, false};
      if (history && !billing::eligible(offer, *history)) {
        o.eligible = false;
        o.trial_used = history->had_trial && offer.kind == OfferKind::kTrial;
      }
      if (o.featured)
        choice.offers.insert(choice.offers.begin(), std::move(o));
      else
        choice.offers.push_back(std::move(o));
    }
    list.plans.push_back(std::move(choice));
  }
  return list;
}

std::optional<std::pair<Offer, Plan>> BillingService::wall_offer() const {
  const std::optional<Offer> offer = billing::paywall_offer(billing_.offers(), clock_.now());
  if (!offer) return std::nullopt;
  const std::optional<Plan> plan = billing_.plan(offer->plan_code);
  if (!plan || !plan->active) return std::nullopt;
  return std::make_pair(*offer, *plan);
}

Subscribed BillingService::subscribe(const SignedIn& who, std::string_view plan_code,
                                     std::string_view offer_code, const Language& language) {
  using Outcome = Subscribed::Outcome;
  const base::TimePoint now = clock_.now();
  const std::optional<Plan> plan = billing_.plan(plan_code);
  if (!plan || !plan->active) return {Outcome::kUnknown, "", ""};
  std::optional<Offer> offer;
  if (!offer_code.empty()) {
    offer = billing_.offer(offer_code);
    if (!offer || offer->plan_code != plan->code || !billing::is_current(*offer, now))
      return {Outcome::kUnknown, "", ""};
  }
  const std::vector<Subscription> subscriptions = billing_.subscriptions_of(who.account.id);
  if (has_paid_access(who.account.id)) return {Outcome::kAlreadySubscribed, "", ""};
  const billing::AccountHistory history = billing::account_history(subscriptions);
  if (offer && !billing::eligible(*offer, history))
    return {offer->kind == OfferKind::kTrial && history.had_trial ? Outcome::kTrialUsed
                                                                  : Outcome::kNewSubscribersOnly,
            "", ""};

  if (offer && is_free_trial(*offer)) {
    // Granted here: no payment details, once per reader (atomic in the store).
    Subscription trial;
    trial.account_id = who.account.id;
    trial.plan_code = plan->code;
    trial.offer_code = offer->code;
    trial.gateway = "";
    trial =
        billing::trial_started(std::move(trial), now, now + std::chrono::days(offer->trial_days));
    if (!billing_.start_trial(trial)) return {Outcome::kTrialUsed, "", ""};
    send_receipt(who.account.id, language);
    return {Outcome::kTrialStarted, "", ""};
  }

  billing::CheckoutRequest checkout;
  checkout.account_id = who.account.id;
  checkout.email = who.account.email;
  checkout.plan = *plan;
  checkout.offer = offer;
  checkout.success_url = options_.base_url + "/subscribe/done";
  checkout.cancel_url = options_.base_url + "/offers";
  base::Result<billing::Checkout> started = gateway_.create_checkout(checkout);
  if (!started) return {Outcome::kGatewayFailed, "", started.error().message};
  return {Outcome::kCheckout, started->redirect_url, ""};
}

Changed BillingService::change(const SignedIn& who, ChangeKind kind, std::string_view plan_code,
                               const Language& language) {
  using Outcome = Changed::Outcome;
  const base::TimePoint now = clock_.now();
  const std::optional<Subscription> current = current_subscription(who.account.id);
  if (!current) return {Outcome::kNoSubscription, ""};
  if (current->gateway.empty() || current->gateway != gateway_.name())
    return {Outcome::kNotHere, ""};

  billing::Status asked = billing::Done{};
  switch (kind) {
    case ChangeKind::kCancel: {
      auto allowed = billing::cancel_at_period_end(*current, now, options_.grace);
      if (!allowed) return {Outcome::kRefused, allowed.error().message};
      asked = gateway_.cancel_at_period_end(*current);
      break;
    }
    case ChangeKind::kResume: {
      auto allowed = billing::resume(*current, now, options_.grace);
      if (!allowed) return {Outcome::kRefused, allowed.error().message};
      asked = gateway_.resume(*current);
      break;
    }
    case ChangeKind::kPlan: {
      const std::optional<Plan> plan = billing_.plan(plan_code);
      if (!plan) return {Outcome::kUnknownPlan, ""};
      auto allowed = billing::change_plan(*current, *plan, now, options_.grace);
      if (!allowed) return {Outcome::kRefused, allowed.error().message};
      asked = gateway_.change_plan(*current, *plan);
      break;
    }
  }
  if (!asked) return {Outcome::kGatewayFailed, asked.error().message};
  if (kind == ChangeKind::kCancel) {
    const render::MessageCatalog& m = *language.messages;
    const std::string& p = options_.publication;
    members_.send_mail(who.account.email, m.format("mail.cancelled_subject", {{"publication", p}}),
                       m.format("mail.cancelled_body",
                                {{"publication", p},
                                 {"date", language.dates->long_date(current->current_period_end)},
                                 {"account", options_.base_url + "/account"}}));
  }
  return {Outcome::kDone, ""};
}

std::optional<Receipt> BillingService::confirmation_of(const Subscription& s) const {
  const std::optional<Plan> plan = billing_.plan(s.plan_code);
  if (!plan) return std::nullopt;
  Receipt c;
  c.subscription = s;
  c.plan = *plan;
  if (s.offer_code) c.offer = billing_.offer(*s.offer_code);
  c.trial = s.trial_end.has_value() && (!c.offer || c.offer->kind == OfferKind::kTrial);
  c.charged_minor = first_charge_minor(*plan, c.offer);
  c.next_renewal = s.trial_end.value_or(s.current_period_end);
  return c;
}

std::optional<Receipt> BillingService::latest_confirmation(std::int64_t account_id,
                                                           base::TimePoint since) const {
  const Subscription* newest = nullptr;
  const std::vector<Subscription> all = billing_.subscriptions_of(account_id);
  for (const Subscription& s : all)
    if (s.started_at >= since && (!newest || s.started_at >= newest->started_at)) newest = &s;
  if (!newest) return std::nullopt;
  return confirmation_of(*newest);
}

void BillingService::send_receipt(std::int64_t account_id, const Language& language) {
  auto confirmation = latest_confirmation(account_id, base::TimePoint{});
  if (!confirmation) return;
  auto account = members_.find_account(account_id);
  if (!account) return;
  const render::MessageCatalog& m = *language.messages;
  const Receipt& c = *confirmation;
  const std::string& p = options_.publication;
  const std::string terms =
      c.offer ? offer_terms(language, *c.offer, c.plan) : plan_price(language, c.plan);
  members_.send_mail(
      account->email, m.format("mail.receipt_subject", {{"publication", p}}),
      m.format(
          "mail.receipt_body",
          {{"publication", p},
           {"plan", plan_name(language, c.plan)},
           {"charged", render::format_money(language.locale, c.charged_minor, c.plan.currency)},
           {"terms", terms},
           {"renewal", language.dates->long_date(c.next_renewal)},
           {"account", options_.base_url + "/account"}}));
}

WebhookAnswer BillingService::stripe_webhook(std::string_view signature_header,
                                             std::string_view body, const Language& language) {
  WebhookAnswer answer = handle_stripe_webhook(billing_, options_.stripe_webhook_secret,
                                               signature_header, body, clock_.now());
  if (answer.applied && answer.applied->type == billing::PaymentEventType::kCheckoutCompleted &&
      answer.applied->account_id)
    send_receipt(*answer.applied->account_id, language);
  return answer;
}

}  // namespace masthead::services
