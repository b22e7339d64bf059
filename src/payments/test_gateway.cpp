// TestGateway: pending checkouts in memory, synthesized gateway events
// applied with billing::apply_event(). See test_gateway.h.
#include "payments/test_gateway.h"

#include <sodium.h>

#include <array>
#include <stdexcept>
#include <utility>

#include "billing/payment_event.h"

namespace masthead::payments {

std::string random_id(std::string_view prefix) {
  std::array<unsigned char, 16> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 33> hex{};
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  return std::string(prefix) + hex.data();
}

TestGateway::TestGateway(billing::BillingStore& store, const base::Clock& clock,
                         std::chrono::seconds lifetime)
    : store_(store), clock_(clock), lifetime_(lifetime) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

void TestGateway::drop_expired(base::TimePoint now) {
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (now - it->second.created_at >= lifetime_)
      it = pending_.erase(it);
    else
      ++it;
  }
  while (pending_.size() >= kMaxPending) {
    auto oldest = pending_.begin();
    for (auto it = pending_.begin(); it != pending_.end(); ++it)
      if (it->second.created_at < oldest->second.created_at) oldest = it;
    pending_.erase(oldest);
  }
}

base::Result<billing::Checkout> TestGateway::create_checkout(
    const billing::CheckoutRequest& request) {
  if (request.account_id <= 0) return base::Error{"A checkout needs a signed-in account."};
  const base::TimePoint now = clock_.now();
  std::string id = random_id("test_cs_");
  std::lock_guard lock(mutex_);
  drop_expired(now);
  pending_.emplace(id, Pending{id, request, now});
  return billing::Checkout{"/checkout/test/" + id, id};
}

std::optional<TestGateway::Pending> TestGateway::pending(std::string_view session_id,
                                                         std::int64_t account_id) const {
  const base::TimePoint now = clock_.now();
  std::lock_guard lock(mutex_);
  auto it = pending_.find(session_id);
  if (it == pending_.end() || it->second.request.account_id != account_id ||
      now - it->second.created_at >= lifetime_)
    return std::nullopt;
  return it->second;
}

std::string TestGateway::card_digits(std::string_view typed) {
  std::string digits;
  for (char c : typed) {
    if (c >= '0' && c <= '9')
      digits += c;
    else if (c != ' ' && c != '-')
      return "";
  }
  return digits;
}

TestGateway::Payment TestGateway::pay(std::string_view session_id, std::int64_t account_id,
                                      std::string_view card_number) {
  const base::TimePoint now = clock_.now();
  const std::string card = card_digits(card_number);
  Pending checkout;
  {
    std::lock_guard lock(mutex_);
    auto it = pending_.find(session_id);
    if (it == pending_.end() || it->second.request.account_id != account_id ||
        now - it->second.created_at >= lifetime_)
      return {PayOutcome::kUnknownCheckout, ""};
    if (card == kDecliningCard) return {PayOutcome::kDeclined, ""};
    if (card != kSucceedingCard) return {PayOutcome::kNotATestCard, ""};
    // Taken out before applying: a second submission finds nothing.
    checkout = std::move(it->second);
    pending_.erase(it);
  }
  billing::PaymentEvent event;
  event.gateway = "test";
  event.id = random_id("test_evt_");
  event.created_at = now;
  event.type = billing::PaymentEventType::kCheckoutCompleted;
  event.account_id = checkout.request.account_id;
  event.customer_id = "test_cus_" + std::to_string(checkout.request.account_id);
  event.subscription_id = random_id("test_sub_");
  event.plan_code = checkout.request.plan.code;
  if (checkout.request.offer) event.offer_code = checkout.request.offer->code;
  try {
    billing::apply_event(store_, event, now);
  } catch (...) {
    std::lock_guard lock(mutex_);
    pending_.emplace(checkout.session_id, std::move(checkout));
    throw;
  }
  return {PayOutcome::kPaid, event.subscription_id};
}

billing::Status TestGateway::update(const billing::Subscription& s,
                                    std::optional<bool> cancel_at_period_end,
                                    std::string plan_code) {
  if (s.gateway != name() || s.gateway_subscription_id.empty())
    return base::Error{"This subscription is not managed by the test gateway."};
  billing::PaymentEvent event;
  event.gateway = "test";
  event.id = random_id("test_evt_");
  event.created_at = clock_.now();
  event.type = billing::PaymentEventType::kSubscriptionUpdated;
  event.account_id = s.account_id;
  event.customer_id = s.gateway_customer_id;
  event.subscription_id = s.gateway_subscription_id;
  event.plan_code = plan_code.empty() ? s.plan_code : std::move(plan_code);
  if (s.offer_code) event.offer_code = *s.offer_code;
  event.period = billing::BillingPeriod{s.current_period_start, s.current_period_end};
  event.trial_end = s.trial_end;
  event.status = s.state;
  event.cancel_at_period_end = cancel_at_period_end;
  const billing::ApplyResult applied = billing::apply_event(store_, event, event.created_at);
  if (!applied.duplicate && applied.result.outcome != billing::EventOutcome::kApplied)
    return base::Error{"The change could not be recorded (" + applied.result.detail + ")."};
  return billing::Done{};
}

billing::Status TestGateway::cancel_at_period_end(const billing::Subscription& s) {
  return update(s, true, "");
}

billing::Status TestGateway::resume(const billing::Subscription& s) {
  return update(s, false, "");
}

billing::Status TestGateway::change_plan(const billing::Subscription& s,
                                         const billing::Plan& plan) {
  return update(s, std::nullopt, plan.code);
}

}  // namespace masthead::payments
