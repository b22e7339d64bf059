// FakePaymentGateway: a PaymentGateway for tests that records what it was
// asked and answers what the test told it to.
//
// It does not emit events: a test that wants the subscription to change
// applies the PaymentEvent the real gateway would send (apply_event), which is
// the code path under test anyway. `fail_with` makes every call fail with
// that sentence (a provider outage). Not thread-safe; one test, one thread.
#pragma once

#include <string>
#include <vector>

#include "billing/payment_gateway.h"

namespace masthead::billing::testing {

class FakePaymentGateway final : public PaymentGateway {
 public:
  struct Call {
    std::string what;  // "checkout", "cancel", "resume", "change_plan"
    std::string subscription_id;
    std::string plan_code;
  };

  std::string_view name() const override { return "fake"; }

  base::Result<Checkout> create_checkout(const CheckoutRequest& request) override {
    checkouts.push_back(request);
    calls.push_back({"checkout", "", request.plan.code});
    if (!fail_with.empty()) return base::Error{fail_with};
    const std::string id = "cs_fake_" + std::to_string(checkouts.size());
    return Checkout{"https://pay.example/checkout/" + id, id};
  }
  Status cancel_at_period_end(const Subscription& s) override {
    return record("cancel", s.gateway_subscription_id, s.plan_code);
  }
  Status resume(const Subscription& s) override {
    return record("resume", s.gateway_subscription_id, s.plan_code);
  }
  Status change_plan(const Subscription& s, const Plan& plan) override {
    return record("change_plan", s.gateway_subscription_id, plan.code);
  }

  std::vector<CheckoutRequest> checkouts;
  std::vector<Call> calls;
  std::string fail_with;  // non-empty: every call fails with it

 private:
  Status record(const char* what, const std::string& id, const std::string& plan) {
    calls.push_back({what, id, plan});
    if (!fail_with.empty()) return base::Error{fail_with};
    return Done{};
  }
};

}  // namespace masthead::billing::testing
