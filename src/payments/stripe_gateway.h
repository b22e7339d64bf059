// StripeGateway: billing::PaymentGateway over Stripe's HTTPS API.
//
// What it is. The production gateway's outgoing half: it asks Stripe for a
// Checkout Session (create_checkout) and changes subscriptions
// (cancel_at_period_end, resume, change_plan). The incoming half — Stripe's
// webhooks, their signatures and event JSON — is billing's
// (billing/stripe_events.h); this class never changes Masthead's records:
// Stripe's events do (see billing/payment_gateway.h, "the gateway is asked,
// its events decide").
//
// Requests, as Stripe documents them (form-encoded, Authorization: Bearer
// <secret key>, an Idempotency-Key on every POST):
//   POST /v1/checkout/sessions  mode=subscription, line_items[0][price] = the
//       plan's Stripe price (config `prices`: plan code -> price id),
//       client_reference_id and metadata[account_id|plan|offer], the same
//       three in subscription_data[metadata] (so every later subscription and
//       invoice event names its account and plan), customer_email,
//       success_url, cancel_url, and for offers:
//         - a trial offer: subscription_data[trial_period_days] = trial_days;
//           a paid trial (intro_price_minor > 0) adds a one-time line item of
//           that amount ("Trial: <plan name>") charged at checkout;
//         - an intro-price offer: discounts[0][coupon] = a coupon taking
//           (plan price − intro price) off for intro_intervals months (×12 for
//           yearly plans). The coupon is config `coupons[offer code]` when
//           set; otherwise it is created on first use with POST /v1/coupons
//           under the id "masthead-<offer>-<amount><currency>-<months>m", so
//           changing an offer's terms makes a new coupon (an existing one is
//           reused: resource_already_exists is success).
//   POST /v1/subscriptions/{id} cancel_at_period_end=true|false
//   GET  /v1/subscriptions/{id}, then POST items[0][id]=<item>&items[0][price]=
//       <new price>&metadata[plan]=<code>&proration_behavior=create_prorations
// Not supported: promotion codes typed by the reader, percentage or
// multi-currency offers, more than one item per subscription, Stripe Tax.
//
// Failures. Each call retries (max_retries, exponential from retry_delay)
// when no answer came, or Stripe answered 409, 429 or 5xx — with the same
// Idempotency-Key, so a retried POST is applied once — unless Stripe says
// Stripe-Should-Retry: false. What is left becomes an Error with a sentence
// a reader may see; the details (method, path, HTTP status, Stripe's error
// type, code, message and Request-Id) go to config.log. The secret key is
// never logged, and no URL carries it.
//
// Thread-safety: every method may be called from any request thread at once
// (each call has its own curl handle; the state is the immutable config).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "billing/payment_gateway.h"
#include "payments/http_client.h"

namespace masthead::payments {

struct StripeConfig {
  std::string secret_key;                           // "sk_live_..." / "sk_test_..." (or "rk_...")
  std::string api_base = "https://api.stripe.com";  // https, or http on loopback (tests)
  std::string api_version;                          // optional Stripe-Version header
  std::map<std::string, std::string> prices;        // plan code -> Stripe price id
  std::map<std::string, std::string> coupons;       // offer code -> coupon id (optional)
  HttpOptions http{std::chrono::seconds(15), std::chrono::seconds(5)};
  int max_retries = 1;
  std::chrono::milliseconds retry_delay{500};
  std::function<void(std::string_view)> log;  // details of failures; may be empty
};

// Empty when usable; otherwise what is wrong (never quoting the key).
std::string check_stripe_config(const StripeConfig& config);

class StripeGateway final : public billing::PaymentGateway {
 public:
  // Throws std::invalid_argument with check_stripe_config()'s message.
  explicit StripeGateway(StripeConfig config);

  std::string_view name() const override { return "stripe"; }
  base::Result<billing::Checkout> create_checkout(const billing::CheckoutRequest& request) override;
  billing::Status cancel_at_period_end(const billing::Subscription& subscription) override;
  billing::Status resume(const billing::Subscription& subscription) override;
  billing::Status change_plan(const billing::Subscription& subscription,
                              const billing::Plan& plan) override;

  // The coupon id an intro-price offer on `plan` uses when none is configured.
  static std::string coupon_id(const billing::Offer& offer, const billing::Plan& plan);

 private:
  HttpResult call(const char* method, const std::string& path, const HttpFields& form,
                  const std::string& idempotency_key) const;
  base::Result<std::string> ensure_coupon(const billing::Offer& offer,
                                          const billing::Plan& plan) const;
  billing::Status set_cancel_at_period_end(const billing::Subscription& s, bool cancel);
  void log(const std::string& line) const;

  StripeConfig config_;
  HttpClient http_;
};

}  // namespace masthead::payments
