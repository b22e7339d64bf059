// Migration 4: the billing tables (see migrations.cpp and
// sqlite_billing_store.h).
//
// Plans and offers are the catalogue, keyed by their codes; subscriptions
// hold one row per gateway subscription (or Masthead-granted trial); trials
// hold each account's one trial (account_id is the primary key: the
// constraint that makes "twenty parallel trial starts create one trial"
// true); payment_events hold every processed gateway event, keyed by
// (gateway, event_id): the constraint that makes a replay a no-op.
//
// account_id columns are the members' accounts(id) (migration 3), written as
// plain INTEGER NOT NULL without a foreign key, so that the two migrations do
// not depend on each other's DDL; deleting an account's billing rows is the
// web layer's job when it deletes the account. Times are INTEGER Unix
// seconds. No content_version triggers: billing writes must not flush the
// page cache. Booleans are INTEGER 0/1 with CHECKs; states and kinds are TEXT
// with CHECKs naming the values billing/*.h writes.
#pragma once
namespace masthead::store::sqlite {
inline constexpr const char* kBillingSchema = R"sql(
CREATE TABLE plans (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  interval TEXT NOT NULL CHECK (interval IN ('month', 'year')),
  entitlements TEXT NOT NULL,
  active INTEGER NOT NULL CHECK (active IN (0, 1))
) WITHOUT ROWID;
CREATE TABLE offers (
  code TEXT PRIMARY KEY,
  plan_code TEXT NOT NULL REFERENCES plans(code),
  kind TEXT NOT NULL CHECK (kind IN ('intro_price', 'trial')),
  intro_price_minor INTEGER NOT NULL CHECK (intro_price_minor >= 0),
  intro_intervals INTEGER NOT NULL,
  trial_days INTEGER NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  new_subscribers_only INTEGER NOT NULL CHECK (new_subscribers_only IN (0, 1)),
  paywall INTEGER NOT NULL CHECK (paywall IN (0, 1))
) WITHOUT ROWID;
CREATE UNIQUE INDEX offers_one_paywall ON offers (paywall) WHERE paywall = 1;
CREATE TABLE subscriptions (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL,
  plan_code TEXT NOT NULL REFERENCES plans(code),
  offer_code TEXT REFERENCES offers(code),
  gateway TEXT NOT NULL,
  gateway_customer_id TEXT NOT NULL,
  gateway_subscription_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('trialing', 'active', 'past_due', 'expired')),
  started_at INTEGER NOT NULL,
  current_period_start INTEGER NOT NULL,
  current_period_end INTEGER NOT NULL,
  trial_end INTEGER,
  intro_end INTEGER,
  cancel_at_period_end INTEGER NOT NULL CHECK (cancel_at_period_end IN (0, 1)),
  past_due_since INTEGER,
  activated_at INTEGER,
  ended_at INTEGER,
  updated_by_event_at INTEGER
);
CREATE INDEX subscriptions_by_account ON subscriptions (account_id);
CREATE UNIQUE INDEX subscriptions_by_gateway_id
  ON subscriptions (gateway, gateway_subscription_id) WHERE gateway_subscription_id <> '';
CREATE INDEX subscriptions_by_customer
  ON subscriptions (gateway, gateway_customer_id) WHERE gateway_customer_id <> '';
CREATE TABLE trials (
  account_id INTEGER PRIMARY KEY,
  subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
  started_at INTEGER NOT NULL
);
CREATE TABLE payment_events (
  gateway TEXT NOT NULL,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'stale', 'unmatched')),
  detail TEXT NOT NULL,
  PRIMARY KEY (gateway, event_id)
) WITHOUT ROWID;
)sql";
}  // namespace masthead::store::sqlite
