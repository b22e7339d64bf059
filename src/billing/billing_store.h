// BillingStore: where plans, offers, trials, subscriptions and processed
// payment events live — an interface; store/sqlite implements it (and
// store/postgres later), testing/billing_store_conformance.h holds the tests
// every implementation must pass.
//
// What it is. Plain reads and writes for the catalogue (plans, offers, the
// paywall's offer), and two atomic operations that carry the guarantees:
//
//   start_trial(trialing)  inserts the account's ONE trial and its trialing
//                          subscription together, or refuses: twenty parallel
//                          calls for one account create exactly one.
//   apply(event, mutation) records a gateway event as processed AND runs the
//                          mutation's reads and writes in ONE transaction:
//                          both or neither. An event already recorded is a
//                          duplicate (the mutation does not run); a mutation
//                          that throws leaves nothing (no writes, no record),
//                          so the gateway's retry applies it exactly once.
//
// The mutation sees the store through BillingTransaction, whose reads see its
// own writes. apply_event() (payment_event.h) is the mutation every gateway
// uses; the store knows nothing of event types.
//
// Durability: payments are never relaxed. A call that returned is on disk
// (SQLite: synchronous=FULL); implementations document how.
//
// Accounts: account ids are the members module's; the store keeps them as
// plain integers without a foreign key (deleting an account's billing rows is
// the web layer's job when it deletes the account).
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "billing/offer.h"
#include "billing/plan.h"
#include "billing/subscription.h"

namespace masthead::billing {

// What became of a processed event (recorded with it).
enum class EventOutcome {
  kApplied,    // the state changed (or was confirmed) by it
  kStale,      // older than the subscription's updated_by_event_at: recorded, nothing changed
  kUnmatched,  // no subscription or account it belongs to (or a plan Masthead does not know)
};
std::string_view outcome_name(EventOutcome outcome);  // "applied", "stale", "unmatched"
std::optional<EventOutcome> parse_outcome(std::string_view text);

struct EventResult {
  EventOutcome outcome = EventOutcome::kApplied;
  std::string detail;  // a sentence for logs; "" when applied
};

// A gateway event, as the store records it. (gateway, id) is unique.
struct EventRecord {
  std::string gateway;          // "stripe", "test"
  std::string id;               // the gateway's event id: "evt_1Q..."
  std::string type;             // for operators: "invoice.paid"
  base::TimePoint created_at;   // by the gateway
  base::TimePoint received_at;  // by Masthead
  friend bool operator==(const EventRecord&, const EventRecord&) = default;
};

struct ProcessedEvent {
  EventRecord event;
  EventResult result;
};

struct ApplyResult {
  bool duplicate = false;  // already processed: nothing ran; `result` is the recorded one
  EventResult result;
};

// The store inside one apply() transaction. Reads see this transaction's writes.
class BillingTransaction {
 public:
  virtual ~BillingTransaction() = default;
  virtual std::optional<Plan> plan(std::string_view code) = 0;
  virtual std::optional<Offer> offer(std::string_view code) = 0;
  virtual std::optional<Subscription> subscription_by_gateway_id(
      std::string_view gateway, std::string_view gateway_subscription_id) = 0;
  virtual std::vector<Subscription> subscriptions_of(std::int64_t account_id) = 0;
  // The account of the newest subscription with this gateway customer id.
  virtual std::optional<std::int64_t> account_of_customer(std::string_view gateway,
                                                          std::string_view customer_id) = 0;
  // Inserts (id 0: returns it with its new id) or replaces by id. The plan
  // (and offer, if any) must exist; (gateway, gateway_subscription_id) must be
  // unique when the id is not "". Throws on a broken constraint.
  virtual Subscription put_subscription(const Subscription& s) = 0;
  // Records the account's one trial (false: it had one already; nothing written).
  virtual bool record_trial(std::int64_t account_id, std::int64_t subscription_id,
                            base::TimePoint at) = 0;
};

class BillingStore {
 public:
  virtual ~BillingStore() = default;

  // --- Plans: inserted or replaced by code (validate() first); never deleted.
  virtual void put_plan(const Plan& plan) = 0;
  virtual std::optional<Plan> plan(std::string_view code) const = 0;
  virtual std::vector<Plan> plans() const = 0;  // by code

  // --- Offers: inserted or replaced by code; refused when the plan is unknown.
  // Storing an offer with `paywall` set unmarks every other offer (one transaction).
  virtual Status put_offer(const Offer& offer) = 0;
  virtual std::optional<Offer> offer(std::string_view code) const = 0;
  virtual std::vector<Offer> offers() const = 0;  // by code; filter with current_offers(now)
  // Marks `code` as the paywall's offer and unmarks all others, atomically;
  // nullopt unmarks all. Refused (nothing changed) for an unknown code.
  virtual Status set_paywall_offer(std::optional<std::string_view> code) = 0;

  // --- Trials: once per account, atomically. Inserts `trialing` (state
  // kTrialing, id 0) and the account's trial record in one transaction and
  // returns it with its id; refused when the account has had a trial.
  virtual base::Result<Subscription> start_trial(const Subscription& trialing) = 0;

  // --- Subscriptions.
  virtual std::vector<Subscription> subscriptions_of(std::int64_t account_id) const = 0;  // by id
  virtual std::optional<Subscription> subscription(std::int64_t id) const = 0;
  virtual std::optional<Subscription> subscription_by_gateway_id(
      std::string_view gateway, std::string_view gateway_subscription_id) const = 0;

  // --- Gateway events: see the top of this file.
  using Mutation = std::function<EventResult(BillingTransaction&)>;
  virtual ApplyResult apply(const EventRecord& event, const Mutation& mutation) = 0;
  virtual std::optional<ProcessedEvent> processed_event(std::string_view gateway,
                                                        std::string_view id) const = 0;
};

}  // namespace masthead::billing
