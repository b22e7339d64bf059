// PaymentGateway: what Masthead asks of a payment provider — an interface;
// the Stripe gateway (over HTTPS) and the built-in test gateway implement it
// in src/payments, and testing/fake_payment_gateway.h fakes it for tests.
//
// The key idea: the gateway is asked, its events decide. Every method here
// only ASKS the provider for something (a checkout page, a cancellation at
// period end, ...). Masthead's subscription state changes when the provider's
// event comes back through apply_event() (payment_event.h), the one code path
// for every gateway, so that a change is recorded once, in order, whether
// the reader's browser or the provider's webhook gets there first.
//
// Contract for implementations:
//   - create_checkout() must carry account_id, plan code and offer code on
//     the session AND on the subscription it creates (Stripe:
//     metadata + subscription_data.metadata), so that every later event of
//     that subscription names its account and plan (see payment_event.h:
//     events that match nothing are recorded as unmatched); a trial offer
//     starts a trial of offer.trial_days, an intro-price offer discounts the
//     first offer.intro_intervals invoices;
//   - errors are Results with a sentence a reader may see ("The payment
//     provider is unavailable; try again"), never exceptions for provider
//     refusals or network failures;
//   - the web layer checks the transition first (cancel_at_period_end(),
//     resume(), change_plan() in subscription.h) and calls the gateway only
//     when it is allowed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "billing/offer.h"
#include "billing/plan.h"
#include "billing/subscription.h"

namespace masthead::billing {

struct CheckoutRequest {
  std::int64_t account_id = 0;
  std::string email;
  Plan plan;
  std::optional<Offer> offer;  // eligible and current: checked by the caller
  std::string success_url;     // absolute; where the provider sends the reader after paying
  std::string cancel_url;      // absolute; where it sends a reader who gives up
};

struct Checkout {
  std::string redirect_url;  // send the reader here (303)
  std::string session_id;    // the provider's checkout session
};

class PaymentGateway {
 public:
  virtual ~PaymentGateway() = default;
  // "stripe", "test": Subscription::gateway and PaymentEvent::gateway.
  virtual std::string_view name() const = 0;
  virtual base::Result<Checkout> create_checkout(const CheckoutRequest& request) = 0;
  virtual Status cancel_at_period_end(const Subscription& subscription) = 0;
  virtual Status resume(const Subscription& subscription) = 0;
  virtual Status change_plan(const Subscription& subscription, const Plan& plan) = 0;
};

}  // namespace masthead::billing
