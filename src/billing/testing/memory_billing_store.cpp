// See memory_billing_store.h.
#include "billing/testing/memory_billing_store.h"

#include <algorithm>

namespace masthead::billing::testing {
namespace {

using State = MemoryBillingStore::State;

// BillingTransaction over a State (the working copy of one apply()).
class Transaction final : public BillingTransaction {
 public:
  explicit Transaction(State& s) : s_(s) {}
  std::optional<Plan> plan(std::string_view code) override {
    auto it = s_.plans.find(code);
    if (it == s_.plans.end()) return std::nullopt;
    return it->second;
  }
  std::optional<Offer> offer(std::string_view code) override {
    auto it = s_.offers.find(code);
    if (it == s_.offers.end()) return std::nullopt;
    return it->second;
  }
  std::optional<Subscription> subscription_by_gateway_id(std::string_view gateway,
                                                         std::string_view id) override {
    if (id.empty()) return std::nullopt;
    for (const auto& [_, sub] : s_.subscriptions)
      if (sub.gateway == gateway && sub.gateway_subscription_id == id) return sub;
    return std::nullopt;
  }
  std::vector<Subscription> subscriptions_of(std::int64_t account_id) override {
    std::vector<Subscription> out;
    for (const auto& [_, sub] : s_.subscriptions)
      if (sub.account_id == account_id) out.push_back(sub);
    return out;
  }
  std::optional<std::int64_t> account_of_customer(std::string_view gateway,
                                                  std::string_view customer) override {
    std::optional<std::int64_t> found;
    if (customer.empty()) return found;
    for (const auto& [_, sub] : s_.subscriptions)
      if (sub.gateway == gateway && sub.gateway_customer_id == customer) found = sub.account_id;
    return found;  // the newest: ids ascend
  }
  Subscription put_subscription(const Subscription& in) override {
    if (!s_.plans.contains(in.plan_code))
      throw std::invalid_argument("no plan '" + in.plan_code + "'");
    if (in.offer_code && !s_.offers.contains(*in.offer_code))
      throw std::invalid_argument("no offer '" + *in.offer_code + "'");
    if (in.id != 0 && !s_.subscriptions.contains(in.id))
      throw std::invalid_argument("no subscription " + std::to_string(in.id));
    if (!in.gateway_subscription_id.empty())
      for (const auto& [id, sub] : s_.subscriptions)
        if (id != in.id && sub.gateway == in.gateway &&
            sub.gateway_subscription_id == in.gateway_subscription_id)
          throw std::invalid_argument("duplicate gateway subscription id");
    Subscription out = in;
    if (out.id == 0) out.id = s_.next_id++;
    s_.subscriptions[out.id] = out;
    return out;
  }
  bool record_trial(std::int64_t account_id, std::int64_t subscription_id,
                    base::TimePoint) override {
    return s_.trials.emplace(account_id, subscription_id).second;
  }

 private:
  State& s_;
};

template <typename Map>
auto values(const Map& m) {
  std::vector<typename Map::mapped_type> out;
  for (const auto& [_, v] : m) out.push_back(v);
  return out;
}

}  // namespace

void MemoryBillingStore::put_plan(const Plan& plan) {
  std::lock_guard lock(mutex_);
  state_.plans[plan.code] = plan;
}

std::optional<Plan> MemoryBillingStore::plan(std::string_view code) const {
  std::lock_guard lock(mutex_);
  auto it = state_.plans.find(code);
  if (it == state_.plans.end()) return std::nullopt;
  return it->second;
}

std::vector<Plan> MemoryBillingStore::plans() const {
  std::lock_guard lock(mutex_);
  return values(state_.plans);
}

Status MemoryBillingStore::put_offer(const Offer& offer) {
  std::lock_guard lock(mutex_);
  if (!state_.plans.contains(offer.plan_code))
    return base::Error{"offer '" + offer.code + "' is for plan '" + offer.plan_code +
                       "', which does not exist"};
  if (offer.paywall)
    for (auto& [_, o] : state_.offers) o.paywall = false;
  state_.offers[offer.code] = offer;
  return Done{};
}

std::optional<Offer> MemoryBillingStore::offer(std::string_view code) const {
  std::lock_guard lock(mutex_);
  auto it = state_.offers.find(code);
  if (it == state_.offers.end()) return std::nullopt;
  return it->second;
}

std::vector<Offer> MemoryBillingStore::offers() const {
  std::lock_guard lock(mutex_);
  return values(state_.offers);
}

Status MemoryBillingStore::set_paywall_offer(std::optional<std::string_view> code) {
  std::lock_guard lock(mutex_);
  if (code && !state_.offers.contains(*code))
    return base::Error{"there is no offer '" + std::string(*code) + "'"};
  for (auto& [c, o] : state_.offers) o.paywall = code && c == *code;
  return Done{};
}

base::Result<Subscription> MemoryBillingStore::start_trial(const Subscription& trialing) {
  std::lock_guard lock(mutex_);
  if (state_.trials.contains(trialing.account_id))
    return base::Error{"account " + std::to_string(trialing.account_id) + " has had a trial"};
  State copy = state_;
  Transaction tx(copy);
  Subscription s = trialing;
  s.id = 0;
  s = tx.put_subscription(s);
  tx.record_trial(s.account_id, s.id, s.started_at);
  state_ = std::move(copy);
  return s;
}

std::vector<Subscription> MemoryBillingStore::subscriptions_of(std::int64_t account_id) const {
  std::lock_guard lock(mutex_);
  std::vector<Subscription> out;
  for (const auto& [_, sub] : state_.subscriptions)
    if (sub.account_id == account_id) out.push_back(sub);
  return out;
}

std::optional<Subscription> MemoryBillingStore::subscription(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  auto it = state_.subscriptions.find(id);
  if (it == state_.subscriptions.end()) return std::nullopt;
  return it->second;
}

std::optional<Subscription> MemoryBillingStore::subscription_by_gateway_id(
    std::string_view gateway, std::string_view id) const {
  std::lock_guard lock(mutex_);
  if (id.empty()) return std::nullopt;
  for (const auto& [_, sub] : state_.subscriptions)
    if (sub.gateway == gateway && sub.gateway_subscription_id == id) return sub;
  return std::nullopt;
}

ApplyResult MemoryBillingStore::apply(const EventRecord& event, const Mutation& mutation) {
  std::lock_guard lock(mutex_);
  const auto key = std::make_pair(event.gateway, event.id);
  if (auto it = state_.events.find(key); it != state_.events.end())
    return {true, it->second.result};
  State copy = state_;
  Transaction tx(copy);
  EventResult result = mutation(tx);
  copy.events[key] = ProcessedEvent{event, result};
  state_ = std::move(copy);
  return {false, result};
}

std::optional<ProcessedEvent> MemoryBillingStore::processed_event(std::string_view gateway,
                                                                  std::string_view id) const {
  std::lock_guard lock(mutex_);
  auto it = state_.events.find(std::make_pair(std::string(gateway), std::string(id)));
  if (it == state_.events.end()) return std::nullopt;
  return it->second;
}

namespace {

// Forwards to `inner`, throwing after the `throw_after`-th put_subscription.
class FaultyTransaction final : public BillingTransaction {
 public:
  FaultyTransaction(BillingTransaction& inner, int throw_after)
      : inner_(inner), left_(throw_after) {}
  std::optional<Plan> plan(std::string_view c) override { return inner_.plan(c); }
  std::optional<Offer> offer(std::string_view c) override { return inner_.offer(c); }
  std::optional<Subscription> subscription_by_gateway_id(std::string_view g,
                                                         std::string_view id) override {
    return inner_.subscription_by_gateway_id(g, id);
  }
  std::vector<Subscription> subscriptions_of(std::int64_t a) override {
    return inner_.subscriptions_of(a);
  }
  std::optional<std::int64_t> account_of_customer(std::string_view g, std::string_view c) override {
    return inner_.account_of_customer(g, c);
  }
  Subscription put_subscription(const Subscription& s) override {
    Subscription out = inner_.put_subscription(s);
    if (--left_ == 0) throw std::runtime_error("injected failure after a subscription write");
    return out;
  }
  bool record_trial(std::int64_t a, std::int64_t s, base::TimePoint at) override {
    return inner_.record_trial(a, s, at);
  }

 private:
  BillingTransaction& inner_;
  int left_;
};

}  // namespace

ApplyResult FaultyBillingStore::apply(const EventRecord& event, const Mutation& mutation) {
  if (!armed) return inner_.apply(event, mutation);
  return inner_.apply(event, [&](BillingTransaction& tx) {
    FaultyTransaction faulty(tx, throw_after_);
    return mutation(faulty);
  });
}

}  // namespace masthead::billing::testing
