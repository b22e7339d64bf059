// MemoryBillingStore: a BillingStore in memory, for tests of code that uses
// one (the web layer's, apply_event's) — not for production.
//
// The key idea: one mutex and copy-on-write transactions. apply() and
// start_trial() work on a copy of the whole state and swap it in only when
// they finish, so a mutation that throws leaves nothing, exactly the
// both-or-neither a database transaction gives. It passes the same
// conformance suite as SqliteBillingStore (billing_test runs it).
//
// FaultyBillingStore wraps any BillingStore and makes the mutation of apply()
// throw right after its Nth subscription write — a crash "midway", between
// writing state and committing — to show that nothing is left behind and a
// retry applies the event once.
#pragma once

#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "billing/billing_store.h"

namespace masthead::billing::testing {

class MemoryBillingStore final : public BillingStore {
 public:
  void put_plan(const Plan& plan) override;
  std::optional<Plan> plan(std::string_view code) const override;
  std::vector<Plan> plans() const override;
  Status put_offer(const Offer& offer) override;
  std::optional<Offer> offer(std::string_view code) const override;
  std::vector<Offer> offers() const override;
  Status set_paywall_offer(std::optional<std::string_view> code) override;
  base::Result<Subscription> start_trial(const Subscription& trialing) override;
  std::vector<Subscription> subscriptions_of(std::int64_t account_id) const override;
  std::optional<Subscription> subscription(std::int64_t id) const override;
  std::optional<Subscription> subscription_by_gateway_id(
      std::string_view gateway, std::string_view gateway_subscription_id) const override;
  ApplyResult apply(const EventRecord& event, const Mutation& mutation) override;
  std::optional<ProcessedEvent> processed_event(std::string_view gateway,
                                                std::string_view id) const override;

  struct State {
    std::map<std::string, Plan, std::less<>> plans;
    std::map<std::string, Offer, std::less<>> offers;
    std::map<std::int64_t, Subscription> subscriptions;
    std::map<std::int64_t, std::int64_t> trials;  // account -> subscription
    std::map<std::pair<std::string, std::string>, ProcessedEvent> events;
    std::int64_t next_id = 1;
  };

 private:
  mutable std::mutex mutex_;
  State state_;
};

// Forwards everything to `inner`; apply()'s mutation throws std::runtime_error
// right after its `throw_after`-th put_subscription (1 = after the first
// write), as long as `armed`.
class FaultyBillingStore final : public BillingStore {
 public:
  explicit FaultyBillingStore(BillingStore& inner, int throw_after = 1)
      : inner_(inner), throw_after_(throw_after) {}
  bool armed = true;

  void put_plan(const Plan& p) override { inner_.put_plan(p); }
  std::optional<Plan> plan(std::string_view c) const override { return inner_.plan(c); }
  std::vector<Plan> plans() const override { return inner_.plans(); }
  Status put_offer(const Offer& o) override { return inner_.put_offer(o); }
  std::optional<Offer> offer(std::string_view c) const override { return inner_.offer(c); }
  std::vector<Offer> offers() const override { return inner_.offers(); }
  Status set_paywall_offer(std::optional<std::string_view> c) override {
    return inner_.set_paywall_offer(c);
  }
  base::Result<Subscription> start_trial(const Subscription& s) override {
    return inner_.start_trial(s);
  }
  std::vector<Subscription> subscriptions_of(std::int64_t a) const override {
    return inner_.subscriptions_of(a);
  }
  std::optional<Subscription> subscription(std::int64_t id) const override {
    return inner_.subscription(id);
  }
  std::optional<Subscription> subscription_by_gateway_id(std::string_view g,
                                                         std::string_view id) const override {
    return inner_.subscription_by_gateway_id(g, id);
  }
  std::optional<ProcessedEvent> processed_event(std::string_view g,
                                                std::string_view id) const override {
    return inner_.processed_event(g, id);
  }
  ApplyResult apply(const EventRecord& event, const Mutation& mutation) override;

 private:
  BillingStore& inner_;
  int throw_after_;
};

}  // namespace masthead::billing::testing
