// See payment_event.h. apply_event_in() is the whole mapping from events to
// transitions (subscription.h); everything transactional is the store's.
#include "billing/payment_event.h"

#include "base/iso_time.h"

namespace masthead::billing {

namespace {

constexpr std::pair<PaymentEventType, std::string_view> kTypeNames[] = {
    {PaymentEventType::kCheckoutCompleted, "checkout_completed"},
    {PaymentEventType::kTrialStarted, "trial_started"},
    {PaymentEventType::kSubscriptionUpdated, "subscription_updated"},
    {PaymentEventType::kSubscriptionDeleted, "subscription_deleted"},
    {PaymentEventType::kInvoicePaid, "invoice_paid"},
    {PaymentEventType::kInvoicePaymentFailed, "invoice_payment_failed"},
};

EventResult unmatched(std::string detail) {
  return {EventOutcome::kUnmatched, std::move(detail)};
}

// A new subscription row for `event`, or the reason there cannot be one.
base::Result<Subscription> new_subscription(BillingTransaction& tx, const PaymentEvent& event) {
  std::optional<std::int64_t> account = event.account_id;
  if (!account && !event.customer_id.empty())
    account = tx.account_of_customer(event.gateway, event.customer_id);
  if (!account)
    return base::Error{"no account for subscription " + event.subscription_id + " (customer '" +
                       event.customer_id + "', no account id)"};
  if (event.plan_code.empty())
    return base::Error{"subscription " + event.subscription_id + " names no plan"};
  if (!tx.plan(event.plan_code))
    return base::Error{"subscription " + event.subscription_id + " is on plan '" + event.plan_code +
                       "', which Masthead does not know"};
  Subscription s;
  s.account_id = *account;
  s.plan_code = event.plan_code;
  s.gateway = event.gateway;
  s.gateway_customer_id = event.customer_id;
  s.gateway_subscription_id = event.subscription_id;
  s.started_at = event.created_at;
  s.current_period_start = event.created_at;
  s.current_period_end = event.created_at;
  return s;
}

}  // namespace

std::string_view event_type_name(PaymentEventType type) {
  for (const auto& [t, name] : kTypeNames)
    if (t == type) return name;
  return "unknown";
}

std::optional<PaymentEventType> parse_event_type(std::string_view text) {
  for (const auto& [t, name] : kTypeNames)
    if (name == text) return t;
  return std::nullopt;
}

EventResult apply_event_in(BillingTransaction& tx, const PaymentEvent& event) {
  if (event.subscription_id.empty()) return unmatched("the event names no gateway subscription");
  std::optional<Subscription> existing =
      tx.subscription_by_gateway_id(event.gateway, event.subscription_id);
  if (existing && existing->updated_by_event_at &&
      event.created_at < *existing->updated_by_event_at)
    return {EventOutcome::kStale, "older than the last applied event (" +
                                      base::format_iso8601_utc(*existing->updated_by_event_at) +
                                      ")"};
  Subscription s;
  if (existing) {
    s = *existing;
  } else {
    base::Result<Subscription> made = new_subscription(tx, event);
    if (!made) return unmatched(made.error().message);
    s = std::move(made).value();
  }
  if (s.gateway_customer_id.empty()) s.gateway_customer_id = event.customer_id;
  const bool was_trial = s.trial_end.has_value();

  switch (event.type) {
    case PaymentEventType::kCheckoutCompleted: {
      std::optional<Offer> offer;
      if (!event.offer_code.empty()) offer = tx.offer(event.offer_code);
      if (existing) {
        // A subscription event got here first and knows more (the period); add the offer.
        if (offer && !s.offer_code) {
          s.offer_code = offer->code;
          if (std::optional<Plan> plan = tx.plan(s.plan_code))
            s.intro_end = intro_end(*offer, *plan, s.current_period_start);
        }
      } else {
        const std::optional<Plan> plan = tx.plan(s.plan_code);  // checked by new_subscription
        if (offer && offer->plan_code != plan->code) offer.reset();
        s = checkout_completed(std::move(s), *plan, offer, event.created_at, event.period);
      }
      break;
    }
    case PaymentEventType::kTrialStarted: {
      const BillingPeriod p = event.period.value_or(
          BillingPeriod{event.created_at, event.trial_end.value_or(event.created_at)});
      s = trial_started(std::move(s), p.start, event.trial_end.value_or(p.end));
      if (!event.offer_code.empty() && !s.offer_code && tx.offer(event.offer_code))
        s.offer_code = event.offer_code;
      break;
    }
    case PaymentEventType::kSubscriptionUpdated: {
      if (!event.status) return unmatched("a subscription update without a status");
      SubscriptionSnapshot snapshot;
      snapshot.state = *event.status;
      snapshot.period = event.period;
      snapshot.trial_end = event.trial_end;
      snapshot.cancel_at_period_end = event.cancel_at_period_end;
      if (!event.plan_code.empty() && event.plan_code != s.plan_code) {
        if (!tx.plan(event.plan_code))
          return unmatched("subscription " + event.subscription_id + " moved to plan '" +
                           event.plan_code + "', which Masthead does not know");
        snapshot.plan_code = event.plan_code;
      }
      s = subscription_updated(std::move(s), snapshot, event.created_at);
      break;
    }
    case PaymentEventType::kSubscriptionDeleted:
      s = subscription_deleted(std::move(s), event.created_at);
      break;
    case PaymentEventType::kInvoicePaid:
      if (event.period)
        s = invoice_paid(std::move(s), *event.period);
      else
        s = invoice_paid(std::move(s), {s.current_period_start, s.current_period_end});
      break;
    case PaymentEventType::kInvoicePaymentFailed:
      s = payment_failed(std::move(s), event.created_at);
      break;
  }
  s.updated_by_event_at = event.created_at;
  s = tx.put_subscription(s);
  if (!was_trial && s.trial_end) tx.record_trial(s.account_id, s.id, s.started_at);
  return {EventOutcome::kApplied, ""};
}

ApplyResult apply_event(BillingStore& store, const PaymentEvent& event, base::TimePoint now) {
  EventRecord record{event.gateway, event.id, std::string(event_type_name(event.type)),
                     event.created_at, now};
  return store.apply(record,
                     [&event](BillingTransaction& tx) { return apply_event_in(tx, event); });
}

}  // namespace masthead::billing
