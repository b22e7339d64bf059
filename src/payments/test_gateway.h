// TestGateway: the built-in payment gateway for trying Masthead offline —
// a checkout page on the site itself, test card numbers, no money.
//
// What it is. A billing::PaymentGateway ("test") that plays the provider's
// part inside the process: create_checkout() remembers a pending checkout
// under a random session id and sends the reader to /checkout/test/<id>
// (billing_pages.cpp renders it, clearly marked as a test); paying there with
// a test card either declines or completes the checkout. cancel_at_period_end,
// resume and change_plan answer at once.
//
// The key idea: it drives THE SAME code path as Stripe. A provider does not
// change Masthead's records; its events do (billing/payment_gateway.h). So
// every success here is a synthesized billing::PaymentEvent — gateway "test",
// id "test_evt_<random>", created now — applied with billing::apply_event(),
// exactly like a verified Stripe webhook: checkout_completed on payment
// (a trial offer starts the gateway's trial there, as Stripe's would),
// subscription_updated (the subscription's whole picture with the change)
// for cancel, resume and plan changes. Idempotency, ordering and atomicity
// are apply_event's, not this class's.
//
// Test cards (spaces and dashes ignored), as in Stripe's test mode:
//   4242 4242 4242 4242  succeeds
//   4000 0000 0000 0002  is declined (nothing is recorded)
// Any other number is refused as "not a test card", so that nobody types a
// real card number into a page that takes no payment and gets a subscription.
//
// Pending checkouts live in memory: a restart forgets them (the reader starts
// again from /offers), which is acceptable for an offline test gateway. Each
// is paid at most once (pay() takes it out under the lock before applying),
// belongs to the account that created it, and expires after `lifetime`; at
// most kMaxPending are kept (the oldest go first).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "billing/billing_store.h"
#include "billing/payment_gateway.h"

namespace masthead::payments {

class TestGateway final : public billing::PaymentGateway {
 public:
  static constexpr std::string_view kSucceedingCard = "4242424242424242";
  static constexpr std::string_view kDecliningCard = "4000000000000002";
  static constexpr std::size_t kMaxPending = 10000;

  TestGateway(billing::BillingStore& store, const base::Clock& clock,
              std::chrono::seconds lifetime = std::chrono::hours(1));

  std::string_view name() const override { return "test"; }
  base::Result<billing::Checkout> create_checkout(const billing::CheckoutRequest& request) override;
  billing::Status cancel_at_period_end(const billing::Subscription& subscription) override;
  billing::Status resume(const billing::Subscription& subscription) override;
  billing::Status change_plan(const billing::Subscription& subscription,
                              const billing::Plan& plan) override;

  struct Pending {
    std::string session_id;
    billing::CheckoutRequest request;
    base::TimePoint created_at;
  };
  // The pending checkout `session_id` of `account_id`; nothing when unknown,
  // expired, paid already or someone else's.
  std::optional<Pending> pending(std::string_view session_id, std::int64_t account_id) const;

  enum class PayOutcome {
    kPaid,             // the checkout's events were applied; the checkout is gone
    kDeclined,         // the declining test card; the checkout stays for another try
    kNotATestCard,     // any other number; the checkout stays
    kUnknownCheckout,  // no such pending checkout for this account (or paid already)
  };
  struct Payment {
    PayOutcome outcome = PayOutcome::kUnknownCheckout;
    std::string subscription_id;  // kPaid: the gateway subscription ("test_sub_...")
  };
  // Pays `session_id` with `card_number`. Exceptions from the store propagate
  // and leave the checkout pending (nothing was recorded).
  Payment pay(std::string_view session_id, std::int64_t account_id, std::string_view card_number);

  // The digits of a typed card number, without spaces and dashes; "" when it
  // holds anything else.
  static std::string card_digits(std::string_view typed);

 private:
  billing::Status update(const billing::Subscription& subscription,
                         std::optional<bool> cancel_at_period_end, std::string plan_code);
  void drop_expired(base::TimePoint now);

  billing::BillingStore& store_;
  const base::Clock& clock_;
  std::chrono::seconds lifetime_;
  mutable std::mutex mutex_;
  std::map<std::string, Pending, std::less<>> pending_;
};

// "test_evt_<32 hex digits>" and the like: `prefix` and 128 random bits.
std::string random_id(std::string_view prefix);

}  // namespace masthead::payments
