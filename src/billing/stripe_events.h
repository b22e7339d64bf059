// Stripe webhooks, the pure part: checking the Stripe-Signature header, and
// reading Stripe's event JSON into a gateway-neutral PaymentEvent.
//
// Signatures, as Stripe documents them
// (https://docs.stripe.com/webhooks#verify-manually):
//   Stripe-Signature: t=1700000000,v1=<hex>[,v1=<hex>...][,v0=<hex>]
//   signed payload  = t + "." + raw request body (the bytes as received)
//   v1              = hex(HMAC-SHA256(key = the endpoint's secret "whsec_...", the whole
//                     string as given, payload))
// verify_stripe_signature() computes the HMAC with libsodium and compares it
// in constant time (sodium_memcmp) with EVERY v1 value (several during a
// secret rotation); v0 and unknown keys are ignored. Checks, in order, each
// with its own reason: the header parses (comma-separated key=value items,
// exactly one t of decimal digits) -> there is a v1 -> a v1 matches -> the
// timestamp is at most `tolerance` old (300 s: exactly 300 s passes, 301
// fails) -> it is not from the future. Signature before age, so that "too
// old" is only ever said of an authentic message (a replayed event) and a
// forgery always reads "mismatch".
//
// Future timestamps: a timestamp up to kStripeClockSkew (5 s) ahead of `now`
// is accepted, for clocks that disagree by a little (Stripe's and ours are
// both NTP-synchronised); more than that is refused as kFromTheFuture.
// Stripe's own libraries refuse only old timestamps; the issue asks for both.
//
// Events. parse_stripe_event() reads the JSON with Boost.JSON (no exceptions;
// hostile input yields an Error sentence, never a crash: nesting deeper than
// Boost.JSON's limit of 32, bodies over 1 MiB, wrong types, huge numbers are
// all errors). Mapping (data.object = o):
//   every event:    id -> id, created -> created_at, type
//   checkout.session.completed (mode "subscription"; other modes are ignored)
//                   o.subscription -> subscription_id, o.customer -> customer_id,
//                   o.metadata.account_id, else o.client_reference_id -> account_id,
//                   o.metadata.plan -> plan_code, o.metadata.offer -> offer_code
//   customer.subscription.created / .updated -> kSubscriptionUpdated, .deleted -> kDeleted:
//                   o.id -> subscription_id, o.customer, o.status -> status (trialing,
//                   active, past_due, unpaid -> past_due; canceled, incomplete_expired,
//                   paused -> expired; incomplete: ignored, no access before the first
//                   payment), o.current_period_start/end (else those of
//                   o.items.data[0], newer API versions) -> period, o.trial_end,
//                   o.cancel_at_period_end, o.items.data[0].price.lookup_key, else
//                   o.metadata.plan -> plan_code, o.metadata.account_id, o.metadata.offer
//   invoice.paid / invoice.payment_failed -> kInvoicePaid / kInvoicePaymentFailed:
//                   o.subscription (else o.parent.subscription_details.subscription),
//                   o.customer, o.lines.data[0].period.start/end -> period (the period
//                   paid for; the invoice's own period_start/end is the previous one),
//                   o.lines.data[0].price.lookup_key -> plan_code, o.lines.data[0].metadata
//                   (else o.subscription_details.metadata).account_id; an invoice without a
//                   subscription (a one-off) is ignored
//   anything else:  ignored (the result says which type), not an error
// account_id must be a decimal integer string; plan and offer codes are taken
// as given (apply_event() checks that Masthead knows them).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/result.h"
#include "billing/payment_event.h"

namespace masthead::billing {

inline constexpr std::chrono::seconds kStripeTolerance{300};
inline constexpr std::chrono::seconds kStripeClockSkew{5};

enum class StripeSignature {
  kValid,
  kMalformedHeader,  // not key=value items, a bad or repeated t, empty
  kNoTimestamp,      // no t=
  kNoSignature,      // no v1=
  kMismatch,         // no v1 matches (wrong secret, tampered body or timestamp)
  kTooOld,           // authentic, but more than `tolerance` old (a replay)
  kFromTheFuture,    // authentic, but more than kStripeClockSkew ahead of now
};

// "valid", "malformed_header", "no_timestamp", "no_signature", "mismatch",
// "too_old", "from_the_future".
std::string_view signature_name(StripeSignature result);

StripeSignature verify_stripe_signature(std::string_view header, std::string_view body,
                                        std::string_view secret, base::TimePoint now,
                                        std::chrono::seconds tolerance = kStripeTolerance);

// "t=<timestamp>,v1=<hex>": the header Stripe would send, for tests and fakes.
std::string sign_stripe_payload(std::string_view body, std::string_view secret,
                                base::TimePoint timestamp);

struct StripeEvent {
  std::string id;    // Stripe's event id
  std::string type;  // Stripe's event type: "invoice.paid"
  // The event to apply (gateway "stripe"); empty when Stripe's event is of no
  // interest to Masthead, with the reason in `ignored`.
  std::optional<PaymentEvent> event;
  std::string ignored;
};

base::Result<StripeEvent> parse_stripe_event(std::string_view json_text);

}  // namespace masthead::billing
