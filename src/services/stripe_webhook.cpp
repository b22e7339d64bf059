// handle_stripe_webhook(): billing's webhook flow as HTTP answers. See
// stripe_webhook.h.
#include "services/stripe_webhook.h"

#include <exception>

#include "billing/payment_event.h"
#include "billing/stripe_events.h"

namespace masthead::services {

WebhookAnswer handle_stripe_webhook(billing::BillingStore& store, std::string_view secret,
                                    std::string_view signature_header, std::string_view body,
                                    base::TimePoint now) {
  const billing::StripeSignature check =
      billing::verify_stripe_signature(signature_header, body, secret, now);
  if (check != billing::StripeSignature::kValid)
    return {400, "signature: " + std::string(billing::signature_name(check)), std::nullopt};
  base::Result<billing::StripeEvent> parsed = billing::parse_stripe_event(body);
  if (!parsed) return {400, "event: " + parsed.error().message, std::nullopt};
  if (!parsed->event) return {200, "ignored: " + parsed->ignored, std::nullopt};
  try {
    const billing::ApplyResult applied = billing::apply_event(store, *parsed->event, now);
    if (applied.duplicate) return {200, "duplicate", std::nullopt};
    std::string answer(billing::outcome_name(applied.result.outcome));
    if (!applied.result.detail.empty()) answer += ": " + applied.result.detail;
    WebhookAnswer done{200, answer, std::nullopt};
    if (applied.result.outcome == billing::EventOutcome::kApplied) done.applied = *parsed->event;
    return done;
  } catch (const std::exception&) {
    // Nothing was recorded (BillingStore::apply): Stripe retries.
    return {500, "the event could not be stored; it will be retried", std::nullopt};
  }
}

}  // namespace masthead::services
