// See sqlite_billing_store.h. Every statement is a string literal, prepared
// once per connection and kept (Connection::prepare); every value is bound.
// The *_on() helpers work on a given connection, so that apply()'s
// transaction and the plain reads share one implementation.
#include "store/sqlite/sqlite_billing_store.h"

#include "base/iso_time.h"

namespace masthead::store::sqlite {
namespace {

using billing::Offer;
using billing::Plan;
using billing::Subscription;

std::int64_t seconds(base::TimePoint t) {
  return base::to_unix_seconds(t);
}
std::optional<std::int64_t> seconds(const std::optional<base::TimePoint>& t) {
  if (!t) return std::nullopt;
  return base::to_unix_seconds(*t);
}
base::TimePoint time_at(const Statement& s, int column) {
  return base::from_unix_seconds(s.int64(column));
}
std::optional<base::TimePoint> optional_time_at(const Statement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  return base::from_unix_seconds(s.int64(column));
}

// --- Plans and offers.

Plan plan_from(const Statement& s) {
  Plan p;
  p.code = s.text(0);
  p.name = s.text(1);
  p.price_minor = s.int64(2);
  p.currency = s.text(3);
  p.interval = billing::parse_interval(s.text(4)).value_or(billing::Interval::kMonth);
  auto set = billing::parse_entitlements(s.text(5));
  p.entitlements = set ? set.value() : billing::EntitlementSet{};
  p.active = s.int64(6) != 0;
  return p;
}

std::optional<Plan> plan_on(Connection& c, std::string_view code) {
  Statement s = c.prepare(
      "SELECT code, name, price_minor, currency, interval, entitlements, active FROM plans "
      "WHERE code = ?1");
  s.bind(1, code);
  if (!s.step()) return std::nullopt;
  return plan_from(s);
}

Offer offer_from(const Statement& s) {
  Offer o;
  o.code = s.text(0);
  o.plan_code = s.text(1);
  o.kind = billing::parse_offer_kind(s.text(2)).value_or(billing::OfferKind::kIntroPrice);
  o.intro_price_minor = s.int64(3);
  o.intro_intervals = static_cast<int>(s.int64(4));
  o.trial_days = static_cast<int>(s.int64(5));
  o.starts_at = time_at(s, 6);
  o.ends_at = time_at(s, 7);
  o.new_subscribers_only = s.int64(8) != 0;
  o.paywall = s.int64(9) != 0;
  return o;
}

std::optional<Offer> offer_on(Connection& c, std::string_view code) {
  Statement s = c.prepare(
      "SELECT code, plan_code, kind, intro_price_minor, intro_intervals, trial_days, starts_at, "
      "ends_at, new_subscribers_only, paywall FROM offers WHERE code = ?1");
  s.bind(1, code);
  if (!s.step()) return std::nullopt;
  return offer_from(s);
}

// --- Subscriptions: the same 18 columns in every SELECT.

#define MASTHEAD_SUBSCRIPTION_COLUMNS                                                      \
  "SELECT id, account_id, plan_code, offer_code, gateway, gateway_customer_id, "           \
  "gateway_subscription_id, state, started_at, current_period_start, current_period_end, " \
  "trial_end, intro_end, cancel_at_period_end, past_due_since, activated_at, ended_at, "   \
  "updated_by_event_at FROM subscriptions "

Subscription subscription_from(const Statement& s) {
  Subscription out;
  out.id = s.int64(0);
  out.account_id = s.int64(1);
  out.plan_code = s.text(2);
  if (!s.is_null(3)) out.offer_code = s.text(3);
  out.gateway = s.text(4);
  out.gateway_customer_id = s.text(5);
  out.gateway_subscription_id = s.text(6);
  out.state = billing::parse_state(s.text(7)).value_or(billing::SubscriptionState::kExpired);
  out.started_at = time_at(s, 8);
  out.current_period_start = time_at(s, 9);
  out.current_period_end = time_at(s, 10);
  out.trial_end = optional_time_at(s, 11);
  out.intro_end = optional_time_at(s, 12);
  out.cancel_at_period_end = s.int64(13) != 0;
  out.past_due_since = optional_time_at(s, 14);
  out.activated_at = optional_time_at(s, 15);
  out.ended_at = optional_time_at(s, 16);
  out.updated_by_event_at = optional_time_at(s, 17);
  return out;
}

std::vector<Subscription> all_of(Statement& s) {
  std::vector<Subscription> out;
  while (s.step()) out.push_back(subscription_from(s));
  return out;
}

std::optional<Subscription> by_id_on(Connection& c, std::int64_t id) {
  Statement s = c.prepare(MASTHEAD_SUBSCRIPTION_COLUMNS "WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return subscription_from(s);
}

std::optional<Subscription> by_gateway_id_on(Connection& c, std::string_view gateway,
                                             std::string_view id) {
  if (id.empty()) return std::nullopt;
  Statement s = c.prepare(MASTHEAD_SUBSCRIPTION_COLUMNS
                          "WHERE gateway = ?1 AND gateway_subscription_id = ?2");
  s.bind(1, gateway).bind(2, id);
  if (!s.step()) return std::nullopt;
  return subscription_from(s);
}

std::vector<Subscription> of_account_on(Connection& c, std::int64_t account_id) {
  Statement s = c.prepare(MASTHEAD_SUBSCRIPTION_COLUMNS "WHERE account_id = ?1 ORDER BY id");
  s.bind(1, account_id);
  return all_of(s);
}

// Binds ?2.. ?18 (every column but id) from `in`.
void bind_subscription(Statement& s, const Subscription& in) {
  s.bind(2, in.account_id)
      .bind(3, in.plan_code)
      .bind(5, in.gateway)
      .bind(6, in.gateway_customer_id)
      .bind(7, in.gateway_subscription_id)
      .bind(8, billing::state_name(in.state))
      .bind(9, seconds(in.started_at))
      .bind(10, seconds(in.current_period_start))
      .bind(11, seconds(in.current_period_end))
      .bind(12, seconds(in.trial_end))
      .bind(13, seconds(in.intro_end))
      .bind(14, in.cancel_at_period_end ? 1 : 0)
      .bind(15, seconds(in.past_due_since))
      .bind(16, seconds(in.activated_at))
      .bind(17, seconds(in.ended_at))
      .bind(18, seconds(in.updated_by_event_at));
  if (in.offer_code)
    s.bind(4, *in.offer_code);
  else
    s.bind_null(4);
}

Subscription put_subscription_on(Connection& c, const Subscription& in) {
  Subscription out = in;
  if (in.id == 0) {
    Statement s = c.prepare(
        "INSERT INTO subscriptions (account_id, plan_code, offer_code, gateway, "
        "gateway_customer_id, gateway_subscription_id, state, started_at, current_period_start, "
        "current_period_end, trial_end, intro_end, cancel_at_period_end, past_due_since, "
        "activated_at, ended_at, updated_by_event_at) "
        "VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
    bind_subscription(s, in);
    s.run();
    out.id = c.last_insert_id();
    return out;
  }
  Statement s = c.prepare(
      "UPDATE subscriptions SET account_id = ?2, plan_code = ?3, offer_code = ?4, gateway = ?5, "
      "gateway_customer_id = ?6, gateway_subscription_id = ?7, state = ?8, started_at = ?9, "
      "current_period_start = ?10, current_period_end = ?11, trial_end = ?12, intro_end = ?13, "
      "cancel_at_period_end = ?14, past_due_since = ?15, activated_at = ?16, ended_at = ?17, "
      "updated_by_event_at = ?18 WHERE id = ?1");
  s.bind(1, in.id);
  bind_subscription(s, in);
  s.run();
  if (c.changes() != 1)
    throw SqliteError("no subscription " + std::to_string(in.id) + " to update", SQLITE_NOTFOUND);
  return out;
}

bool record_trial_on(Connection& c, std::int64_t account_id, std::int64_t subscription_id,
                     base::TimePoint at) {
  c.prepare(
       "INSERT INTO trials (account_id, subscription_id, started_at) VALUES (?1, ?2, ?3) "
       "ON CONFLICT (account_id) DO NOTHING")
      .bind(1, account_id)
      .bind(2, subscription_id)
      .bind(3, seconds(at))
      .run();
  return c.changes() == 1;
}

// BillingTransaction on the connection holding apply()'s transaction.
class SqliteTransaction final : public billing::BillingTransaction {
 public:
  explicit SqliteTransaction(Connection& c) : c_(c) {}
  std::optional<Plan> plan(std::string_view code) override { return plan_on(c_, code); }
  std::optional<Offer> offer(std::string_view code) override { return offer_on(c_, code); }
  std::optional<Subscription> subscription_by_gateway_id(std::string_view gateway,
                                                         std::string_view id) override {
    return by_gateway_id_on(c_, gateway, id);
  }
  std::vector<Subscription> subscriptions_of(std::int64_t account_id) override {
    return of_account_on(c_, account_id);
  }
  std::optional<std::int64_t> account_of_customer(std::string_view gateway,
                                                  std::string_view customer) override {
    if (customer.empty()) return std::nullopt;
    Statement s = c_.prepare(
        "SELECT account_id FROM subscriptions WHERE gateway = ?1 AND gateway_customer_id = ?2 "
        "ORDER BY id DESC LIMIT 1");
    s.bind(1, gateway).bind(2, customer);
    if (!s.step()) return std::nullopt;
    return s.int64(0);
  }
  Subscription put_subscription(const Subscription& s) override {
    return put_subscription_on(c_, s);
  }
  bool record_trial(std::int64_t account_id, std::int64_t subscription_id,
                    base::TimePoint at) override {
    return record_trial_on(c_, account_id, subscription_id, at);
  }

 private:
  Connection& c_;
};

std::optional<billing::ProcessedEvent> event_on(Connection& c, std::string_view gateway,
                                                std::string_view id) {
  Statement s = c.prepare(
      "SELECT type, created_at, received_at, outcome, detail FROM payment_events "
      "WHERE gateway = ?1 AND event_id = ?2");
  s.bind(1, gateway).bind(2, id);
  if (!s.step()) return std::nullopt;
  billing::ProcessedEvent e;
  e.event = {std::string(gateway), std::string(id), s.text(0), time_at(s, 1), time_at(s, 2)};
  e.result.outcome = billing::parse_outcome(s.text(3)).value_or(billing::EventOutcome::kApplied);
  e.result.detail = s.text(4);
  return e;
}

}  // namespace

void SqliteBillingStore::put_plan(const Plan& plan) {
  db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    c.prepare(
         "INSERT INTO plans (code, name, price_minor, currency, interval, entitlements, active) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (code) DO UPDATE SET "
         "name = excluded.name, price_minor = excluded.price_minor, currency = excluded.currency, "
         "interval = excluded.interval, entitlements = excluded.entitlements, "
         "active = excluded.active")
        .bind(1, plan.code)
        .bind(2, plan.name)
        .bind(3, plan.price_minor)
        .bind(4, plan.currency)
        .bind(5, billing::interval_name(plan.interval))
        .bind(6, billing::format_entitlements(plan.entitlements))
        .bind(7, plan.active ? 1 : 0)
        .run();
    tx.commit();
  });
}

std::optional<Plan> SqliteBillingStore::plan(std::string_view code) const {
  return db_->with_connection([&](Connection& c) { return plan_on(c, code); });
}

std::vector<Plan> SqliteBillingStore::plans() const {
  return db_->with_connection([&](Connection& c) {
    Statement s = c.prepare(
        "SELECT code, name, price_minor, currency, interval, entitlements, active FROM plans "
        "ORDER BY code");
    std::vector<Plan> out;
    while (s.step()) out.push_back(plan_from(s));
    return out;
  });
}

billing::Status SqliteBillingStore::put_offer(const Offer& offer) {
  return db_->with_connection([&](Connection& c) -> billing::Status {
    Transaction tx(c);
    if (!plan_on(c, offer.plan_code))
      return base::Error{"offer '" + offer.code + "' is for plan '" + offer.plan_code +
                         "', which does not exist"};
    if (offer.paywall)
      c.prepare("UPDATE offers SET paywall = 0 WHERE paywall = 1 AND code <> ?1")
          .bind(1, offer.code)
          .run();
    c.prepare(
         "INSERT INTO offers (code, plan_code, kind, intro_price_minor, intro_intervals, "
         "trial_days, starts_at, ends_at, new_subscribers_only, paywall) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (code) DO UPDATE SET "
         "plan_code = excluded.plan_code, kind = excluded.kind, "
         "intro_price_minor = excluded.intro_price_minor, "
         "intro_intervals = excluded.intro_intervals, trial_days = excluded.trial_days, "
         "starts_at = excluded.starts_at, ends_at = excluded.ends_at, "
         "new_subscribers_only = excluded.new_subscribers_only, paywall = excluded.paywall")
        .bind(1, offer.code)
        .bind(2, offer.plan_code)
        .bind(3, billing::offer_kind_name(offer.kind))
        .bind(4, offer.intro_price_minor)
        .bind(5, offer.intro_intervals)
        .bind(6, offer.trial_days)
        .bind(7, seconds(offer.starts_at))
        .bind(8, seconds(offer.ends_at))
        .bind(9, offer.new_subscribers_only ? 1 : 0)
        .bind(10, offer.paywall ? 1 : 0)
        .run();
    tx.commit();
    return billing::Done{};
  });
}

std::optional<Offer> SqliteBillingStore::offer(std::string_view code) const {
  return db_->with_connection([&](Connection& c) { return offer_on(c, code); });
}

std::vector<Offer> SqliteBillingStore::offers() const {
  return db_->with_connection([&](Connection& c) {
    Statement s = c.prepare(
        "SELECT code, plan_code, kind, intro_price_minor, intro_intervals, trial_days, "
        "starts_at, ends_at, new_subscribers_only, paywall FROM offers ORDER BY code");
    std::vector<Offer> out;
    while (s.step()) out.push_back(offer_from(s));
    return out;
  });
}

billing::Status SqliteBillingStore::set_paywall_offer(std::optional<std::string_view> code) {
  return db_->with_connection([&](Connection& c) -> billing::Status {
    Transaction tx(c);
    if (code && !offer_on(c, *code))
      return base::Error{"there is no offer '" + std::string(*code) + "'"};
    // Two statements: the partial unique index would refuse a moment with two marked rows.
    c.prepare("UPDATE offers SET paywall = 0 WHERE paywall = 1").run();
    if (code) c.prepare("UPDATE offers SET paywall = 1 WHERE code = ?1").bind(1, *code).run();
    tx.commit();
    return billing::Done{};
  });
}

base::Result<Subscription> SqliteBillingStore::start_trial(const Subscription& trialing) {
  return db_->with_connection([&](Connection& c) -> base::Result<Subscription> {
    Transaction tx(c);
    Subscription s = trialing;
    s.id = 0;
    s = put_subscription_on(c, s);
    if (!record_trial_on(c, s.account_id, s.id, s.started_at))
      return base::Error{"account " + std::to_string(s.account_id) + " has had a trial"};
    tx.commit();
    return s;
  });
}

std::vector<Subscription> SqliteBillingStore::subscriptions_of(std::int64_t account_id) const {
  return db_->with_connection([&](Connection& c) { return of_account_on(c, account_id); });
}

std::optional<Subscription> SqliteBillingStore::subscription(std::int64_t id) const {
  return db_->with_connection([&](Connection& c) { return by_id_on(c, id); });
}

std::optional<Subscription> SqliteBillingStore::subscription_by_gateway_id(
    std::string_view gateway, std::string_view id) const {
  return db_->with_connection([&](Connection& c) { return by_gateway_id_on(c, gateway, id); });
}

billing::ApplyResult SqliteBillingStore::apply(const billing::EventRecord& event,
                                               const Mutation& mutation) {
  return db_->with_connection([&](Connection& c) {
    Transaction tx(c);
    if (std::optional<billing::ProcessedEvent> seen = event_on(c, event.gateway, event.id))
      return billing::ApplyResult{true, seen->result};  // rolled back: nothing was written
    SqliteTransaction view(c);
    billing::EventResult result = mutation(view);
    c.prepare(
         "INSERT INTO payment_events (gateway, event_id, type, created_at, received_at, outcome, "
         "detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind(1, event.gateway)
        .bind(2, event.id)
        .bind(3, event.type)
        .bind(4, seconds(event.created_at))
        .bind(5, seconds(event.received_at))
        .bind(6, billing::outcome_name(result.outcome))
        .bind(7, result.detail)
        .run();
    tx.commit();
    return billing::ApplyResult{false, std::move(result)};
  });
}

std::optional<billing::ProcessedEvent> SqliteBillingStore::processed_event(
    std::string_view gateway, std::string_view id) const {
  return db_->with_connection([&](Connection& c) { return event_on(c, gateway, id); });
}

}  // namespace masthead::store::sqlite
