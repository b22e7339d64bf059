// Stripe's webhooks, as an answer: the status and text to send back for one
// delivery, and the event applied (or not) on the way.
//
// What it is. POST /webhooks/stripe (BillingService::stripe_webhook) hands the raw body
// and the Stripe-Signature header to handle_stripe_webhook(), which follows
// billing/README.md's webhook flow:
//
//   signature not valid        -> 400 "signature: <reason>"   nothing changed
//   JSON not a Stripe event    -> 400 "event: <sentence>"     nothing changed
//   a type Masthead ignores    -> 200 "ignored: <why>"
//   apply_event()              -> 200 "applied" | "stale: …" | "unmatched: …" | "duplicate"
//   the store threw midway     -> 500                         nothing recorded; Stripe retries
//
// The key idea: 2xx tells Stripe "never send this again", so it is answered
// only when the event's fate is final — applied, a replay, older than what
// was applied, or about nothing Masthead knows (all recorded by the store).
// A failure midway is a 5xx and leaves nothing behind (BillingStore::apply is
// both-or-neither), so Stripe's retry applies the event exactly once.
//
// Kept apart from the page code so that the whole flow is unit-tested
// against the in-memory and the faulty billing stores.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "billing/billing_store.h"
#include "billing/payment_event.h"

namespace masthead::services {

struct WebhookAnswer {
  int status = 200;
  std::string text;  // one line for Stripe's dashboard and the logs
  // The event, when it was applied now (not a replay, not stale).
  std::optional<billing::PaymentEvent> applied;
};

WebhookAnswer handle_stripe_webhook(billing::BillingStore& store, std::string_view secret,
                                    std::string_view signature_header, std::string_view body,
                                    base::TimePoint now);

}  // namespace masthead::services
