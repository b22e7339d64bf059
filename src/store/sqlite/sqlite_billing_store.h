// SqliteBillingStore: billing::BillingStore on the SQLite file (migration 4,
// schema_billing.h).
//
// What it is. Plans, offers, subscriptions, trials and processed payment
// events as rows; every write is one BEGIN IMMEDIATE transaction on a pooled
// connection, and the pool is synchronous=FULL: a write that returned is on
// disk. Payments are never relaxed (unlike meter views, see
// sqlite_meter_store.h): losing an acknowledged webhook on power loss would
// lose a payment, since the gateway does not send it again.
//
// The key idea: the guarantees are constraints, not checks in C++.
//   - trials.account_id is the primary key: start_trial() inserts the trial
//     row and the trialing subscription in one transaction, and a second
//     start for the account breaks the key and rolls back — however many
//     threads or processes try at once (BEGIN IMMEDIATE serialises them; the
//     key would catch them even if it did not);
//   - payment_events has the primary key (gateway, event_id): apply() looks
//     the event up, runs the mutation on the same connection (its reads see
//     its writes) and inserts the event, all inside one transaction, so the
//     record and the state change commit together or not at all; an
//     exception anywhere rolls both back (Transaction's destructor);
//   - a partial unique index allows at most one offer with paywall = 1, and
//     another makes (gateway, gateway_subscription_id) unique when set.
//
// Thread safety: every method may be called from any thread; each call takes
// its own pooled connection.
#pragma once

#include <memory>

#include "billing/billing_store.h"
#include "store/sqlite/database.h"

namespace masthead::store::sqlite {

class SqliteBillingStore final : public billing::BillingStore {
 public:
  explicit SqliteBillingStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  void put_plan(const billing::Plan& plan) override;
  std::optional<billing::Plan> plan(std::string_view code) const override;
  std::vector<billing::Plan> plans() const override;
  billing::Status put_offer(const billing::Offer& offer) override;
  std::optional<billing::Offer> offer(std::string_view code) const override;
  std::vector<billing::Offer> offers() const override;
  billing::Status set_paywall_offer(std::optional<std::string_view> code) override;
  base::Result<billing::Subscription> start_trial(const billing::Subscription& trialing) override;
  std::vector<billing::Subscription> subscriptions_of(std::int64_t account_id) const override;
  std::optional<billing::Subscription> subscription(std::int64_t id) const override;
  std::optional<billing::Subscription> subscription_by_gateway_id(
      std::string_view gateway, std::string_view gateway_subscription_id) const override;
  billing::ApplyResult apply(const billing::EventRecord& event, const Mutation& mutation) override;
  std::optional<billing::ProcessedEvent> processed_event(std::string_view gateway,
                                                         std::string_view id) const override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace masthead::store::sqlite
