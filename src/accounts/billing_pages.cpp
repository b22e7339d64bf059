// The billing pages: what a reader can subscribe to, how they subscribe, and
// what they can change afterwards; plus the payment gateways' way in.
//
// Routes (add_billing_routes):
//   GET  /offers                 every active plan with its price and its current offers
//                                (the paywall's offer featured), a subscribe form each
//   POST /subscribe              plan, offer, csrf: eligibility, then a free trial (granted
//                                here, once per reader) or the gateway's checkout (303)
//   GET  /checkout/test/:id      the test gateway's checkout page (only when the configured
//   POST /checkout/test/:id      gateway is the TestGateway): test cards, decline, success
//   POST /webhooks/stripe        Stripe's events (only when a webhook secret is configured)
//   POST /account/cancel         cancel at period end, resume, change plan: checked with the
//   POST /account/resume         pure transition first, then asked of the gateway, whose
//   POST /account/plan           event records the change; 303 back to /account
//
// The key idea: nothing here writes a subscription. Checkout, cancel, resume
// and plan changes ASK the gateway; the gateway's events (Stripe's webhooks,
// or the test gateway's synthesized events) are applied by
// billing::apply_event(), the one path that changes state, exactly once and in
// order. The only write of this file's own is a free trial: a trial offer at
// no price is granted by Masthead itself with BillingStore::start_trial(),
// which is atomic per account (twenty parallel requests make one trial), and
// needs no payment details; a discounted trial goes through the gateway's
// checkout like any paid offer.
//
// Eligibility is asked before anything is started: the offer must be current
// (every query takes now, so an offer past its end is simply not there), on
// the plan posted, and billing::eligible() for the account's history (a
// returning subscriber is refused a new-subscribers-only offer, with a clear
// sentence); an account that already has access through a gateway
// subscription is sent to its account page instead of paying twice. A
// Masthead trial does not block a checkout: that is how a trial converts.
//
// Security (accounts.h): every POST but the webhook goes through
// checked_form() (CSRF token + Origin) before anything else; the webhook is
// not a browser's, so it is authenticated by Stripe's signature instead
// (verify_stripe_signature: HMAC, 300 s tolerance, no future timestamps), and
// a request that fails it gets 400 and changes nothing. Pages that depend on
// the reader are no-store (render_page). A test checkout belongs to the
// account that created it; anyone else gets the same 404 as an unknown id.
//
// Webhook answers, as Stripe expects: 2xx means "do not send again" — for
// applied, duplicate (a replay), stale (older than what was applied) and
// unmatched events, and for event types Masthead ignores; 400 for a bad
// signature or unreadable JSON; 500 when the store failed midway (nothing was
// recorded, BillingStore::apply), so that Stripe retries and the retry
// applies the event once.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "accounts/accounts.h"
#include "accounts/stripe_webhook.h"
#include "accounts/test_gateway.h"
#include "billing/entitlements.h"
#include "render/money.h"

namespace masthead::accounts {

namespace json = boost::json;

namespace {

using billing::Offer;
using billing::OfferKind;
using billing::Plan;
using billing::Subscription;
using billing::SubscriptionState;

// Offers ending further away than this are shown without an end date (an
// "always on" offer is stored with a far end).
constexpr auto kShowEndWithin = std::chrono::days(366);

std::string t(const Frame& frame, std::string_view key,
              std::initializer_list<render::MessageArg> args = {}) {
  return frame.messages->format(key, args);
}

// ---- words for plans and offers ---------------------------------------------------------

std::string per_interval(const render::MessageCatalog& m, std::string_view locale,
                         std::int64_t minor, const Plan& plan) {
  const std::string price = render::format_money(locale, minor, plan.currency);
  return m.format("offers.per_interval",
                  {{"price", price}, {"interval", billing::interval_name(plan.interval)}});
}

std::string plan_price(const Frame& frame, const Plan& plan) {
  return per_interval(*frame.messages, frame.locale, plan.price_minor, plan);
}

std::string offer_terms(const render::MessageCatalog& m, std::string_view locale,
                        const Offer& offer, const Plan& plan) {
  const std::string then = per_interval(m, locale, plan.price_minor, plan);
  const std::string intro = render::format_money(locale, offer.intro_price_minor, plan.currency);
  if (offer.kind == OfferKind::kIntroPrice)
    return m.format("offers.intro_terms", {{"count", offer.intro_intervals},
                                           {"interval", billing::interval_name(plan.interval)},
                                           {"intro", intro},
                                           {"then", then}});
  if (offer.intro_price_minor == 0)
    return m.format("offers.trial_free_terms", {{"days", offer.trial_days}, {"then", then}});
  return m.format("offers.trial_paid_terms",
                  {{"days", offer.trial_days}, {"price", intro}, {"then", then}});
}

// "Offer ends January 31": the last instant it is current, in the reader's
// zone; "" for offers that end far in the future.
std::string offer_ends(const render::MessageCatalog& m, const render::DateFormatter& dates,
                       const Offer& offer, base::TimePoint now) {
  if (offer.ends_at - now > kShowEndWithin) return "";
  return m.format("offers.ends",
                  {{"date", dates.month_day(offer.ends_at - std::chrono::seconds(1))}});
}

std::string includes(const Frame& frame, const billing::EntitlementSet& set) {
  std::vector<std::string> items;
  if (set.web) items.push_back(t(frame, "offers.entitlement_web"));
  if (set.apps) items.push_back(t(frame, "offers.entitlement_apps"));
  if (set.print) items.push_back(t(frame, "offers.entitlement_print"));
  return t(frame, "offers.includes", {{"list", render::format_list(frame.locale, items)}});
}

bool is_free_trial(const Offer& offer) {
  return offer.kind == OfferKind::kTrial && offer.intro_price_minor == 0;
}

// ---- forms (templates/form.html) ----------------------------------------------------------

// Every key form.html looks up is set, so that nothing resolves in an
// enclosing context by accident.
json::object form(std::string_view action, const CsrfGuard::Token& csrf, json::array hidden,
                  json::array fields, std::string submit, std::vector<std::string> errors = {},
                  bool danger = false) {
  json::array error_list;
  for (std::string& e : errors) error_list.emplace_back(std::move(e));
  return json::object{{"action", action},
                      {"csrf", csrf.field},
                      {"novalidate", false},
                      {"has_errors", !error_list.empty()},
                      {"errors", std::move(error_list)},
                      {"hidden", std::move(hidden)},
                      {"fields", std::move(fields)},
                      {"submit", std::move(submit)},
                      {"danger", danger}};
}

json::object hidden(std::string_view name, std::string_view value) {
  return json::object{{"name", name}, {"value", value}};
}

json::object text_field(std::string id, std::string name, std::string label, std::string hint) {
  return json::object{{"id", std::move(id)}, {"name", std::move(name)}, {"label", std::move(label)},
                      {"is_select", false},  {"type", "text"},          {"autocomplete", "off"},
                      {"required", true},    {"value", false},          {"hint", std::move(hint)},
                      {"minlength", false},  {"maxlength", 23},         {"inputmode", "numeric"}};
}

json::object select_field(std::string id, std::string name, std::string label,
                          json::array choices) {
  return json::object{{"id", std::move(id)},           {"name", std::move(name)},
                      {"label", std::move(label)},     {"is_select", true},
                      {"choices", std::move(choices)}, {"hint", false}};
}

std::vector<std::string> cookies_of(const CsrfGuard::Token& token) {
  if (token.set_cookie.empty()) return {};
  return {token.set_cookie};
}

// The frame for one of these pages, with its title.
Frame make_frame(const Services& services, const AccountsOptions& options,
                 const http::Request& request, std::string_view title_key,
                 std::string canonical_path) {
  Frame frame = services.frame(request, "", std::move(canonical_path));
  const std::string title = frame.messages->format(title_key);
  if (auto* page = frame.context.if_contains("page"); page && page->is_object()) {
    page->as_object()["title"] = title + " — " + options.publication;
    page->as_object()["og_title"] = title;
  }
  return frame;
}

// templates/form_page.html with a heading, a sentence and links.
http::Response message_page(const Services& services, Frame frame, std::string heading,
                            std::string notice, json::array links, int status,
                            const CsrfGuard::Token* csrf = nullptr) {
  const bool has_links = !links.empty();
  json::object c{{"heading", std::move(heading)},
                 {"notice", std::move(notice)},
                 {"intro", false},
                 {"form", false},
                 {"has_links", has_links},
                 {"links", std::move(links)}};
  return render_page(services, std::move(frame), "form_page", c, status,
                     csrf ? cookies_of(*csrf) : std::vector<std::string>{});
}

json::object link(std::string url, std::string label) {
  return json::object{{"url", std::move(url)}, {"label", std::move(label)}};
}

// ---- subscriptions --------------------------------------------------------------------------

// The subscription the account page is about: one that gives access now
// (a gateway's before a Masthead trial, then the newest), else the newest.
std::optional<Subscription> current_subscription(const std::vector<Subscription>& all,
                                                 base::TimePoint now, std::chrono::seconds grace) {
  const Subscription* best = nullptr;
  auto rank = [&](const Subscription& s) {
    const bool access = billing::effective_state(s, now, grace).grants_access();
    return std::make_tuple(access, access && !s.gateway.empty(), s.started_at, s.id);
  };
  for (const Subscription& s : all)
    if (!best || rank(s) > rank(*best)) best = &s;
  if (!best) return std::nullopt;
  return *best;
}

// Whether the account already has access the reader would pay for again: a
// gateway subscription that grants access now.
bool has_paid_access(const std::vector<Subscription>& all, base::TimePoint now,
                     std::chrono::seconds grace) {
  return std::any_of(all.begin(), all.end(), [&](const Subscription& s) {
    return !s.gateway.empty() && billing::effective_state(s, now, grace).grants_access();
  });
}

// ---- /offers --------------------------------------------------------------------------------

http::Response offers_page(const Services& services, const AccountsOptions& options,
                           const http::Request& request, std::string notice, int status) {
  Frame frame = make_frame(services, options, request, "offers.title", "/offers");
  const CsrfGuard::Token csrf = services.csrf.issue(request);
  const base::TimePoint now = services.clock.now();

  // A signed-in reader sees only the offers they may take.
  std::optional<billing::AccountHistory> history;
  if (auto who = signed_in(services, options, request))
    history = billing::account_history(services.billing.subscriptions_of(who->account.id));

  const std::vector<Offer> current = billing::current_offers(services.billing.offers(), now);
  const std::optional<Offer> featured = billing::paywall_offer(current, now);

  json::array plans;
  for (const Plan& plan : services.billing.plans()) {
    if (!plan.active) continue;
    json::array offers;
    for (const Offer& offer : current) {
      if (offer.plan_code != plan.code) continue;
      const bool is_featured = featured && featured->code == offer.code;
      const std::string ends = offer_ends(*frame.messages, *frame.dates, offer, now);
      json::object o{
          {"code", offer.code},
          {"featured", is_featured},
          {"featured_label", t(frame, "offers.featured")},
          {"terms", offer_terms(*frame.messages, frame.locale, offer, plan)},
          {"ends", ends.empty() ? json::value(false) : json::value(ends)},
          {"new_only", offer.new_subscribers_only ? json::value(t(frame, "offers.new_only"))
                                                  : json::value(false)}};
      if (history && !billing::eligible(offer, *history)) {
        o["form"] = false;
        o["note"] =
            t(frame, history->had_trial && offer.kind == OfferKind::kTrial ? "offers.trial_used"
                                                                           : "offers.not_eligible");
      } else {
        o["note"] = false;
        o["form"] = form(
            "/subscribe", csrf, json::array{hidden("plan", plan.code), hidden("offer", offer.code)},
            {}, t(frame, is_free_trial(offer) ? "offers.start_trial" : "offers.take_offer"));
      }
      // The paywall's offer first.
      if (is_featured)
        offers.insert(offers.begin(), std::move(o));
      else
        offers.push_back(std::move(o));
    }
    plans.push_back(
        json::object{{"code", plan.code},
                     {"name", plan.name},
                     {"price", plan_price(frame, plan)},
                     {"includes", includes(frame, plan.entitlements)},
                     {"offers", std::move(offers)},
                     {"form", form("/subscribe", csrf, json::array{hidden("plan", plan.code)}, {},
                                   t(frame, "offers.subscribe"))}});
  }
  json::object c{{"heading", t(frame, "offers.heading", {{"publication", options.publication}})},
                 {"intro", plans.empty() ? t(frame, "offers.none") : t(frame, "offers.intro")},
                 {"notice", notice.empty() ? json::value(false) : json::value(notice)},
                 {"plans", std::move(plans)}};
  return render_page(services, std::move(frame), "offers", c, status, cookies_of(csrf));
}

// A refusal of /subscribe, shown on the offers page.
http::Response offers_refusal(const Services& services, const AccountsOptions& options,
                              const http::Request& request, std::string_view key, int status,
                              std::string reason = "") {
  const Frame frame = services.frame(request, "", "/offers");
  std::string notice = reason.empty() ? t(frame, key) : t(frame, key, {{"reason", reason}});
  return offers_page(services, options, request, std::move(notice), status);
}

http::Response post_subscribe(const Services& services, const AccountsOptions& options,
                              const http::Request& request) {
  CheckedForm checked = checked_form(services, options, request);
  if (!checked.form) return checked.refusal;
  const auto who = signed_in(services, options, request);
  if (!who) return http::Response::redirect("/register?next=/offers");
  const http::Form& f = *checked.form;
  const base::TimePoint now = services.clock.now();

  const std::optional<Plan> plan = services.billing.plan(f.value("plan"));
  if (!plan || !plan->active)
    return offers_refusal(services, options, request, "offers.error_unknown", 400);
  std::optional<Offer> offer;
  if (!f.value("offer").empty()) {
    offer = services.billing.offer(f.value("offer"));
    if (!offer || offer->plan_code != plan->code || !billing::is_current(*offer, now))
      return offers_refusal(services, options, request, "offers.error_unknown", 400);
  }

  const std::vector<Subscription> subscriptions =
      services.billing.subscriptions_of(who->account.id);
  if (has_paid_access(subscriptions, now, options.grace))
    return offers_refusal(services, options, request, "offers.error_subscribed", 409);
  const billing::AccountHistory history = billing::account_history(subscriptions);
  if (offer && !billing::eligible(*offer, history))
    return offers_refusal(services, options, request,
                          offer->kind == OfferKind::kTrial && history.had_trial
                              ? "offers.error_trial_used"
                              : "offers.error_new_only",
                          409);

  if (offer && is_free_trial(*offer)) {
    // Granted here: no payment details, once per reader (atomic in the store).
    Subscription trial;
    trial.account_id = who->account.id;
    trial.plan_code = plan->code;
    trial.offer_code = offer->code;
    trial.gateway = "";
    trial =
        billing::trial_started(std::move(trial), now, now + std::chrono::days(offer->trial_days));
    if (!services.billing.start_trial(trial))
      return offers_refusal(services, options, request, "offers.error_trial_used", 409);
    return http::Response::redirect("/account?trial=1");
  }

  billing::CheckoutRequest checkout;
  checkout.account_id = who->account.id;
  checkout.email = who->account.email;
  checkout.plan = *plan;
  checkout.offer = offer;
  checkout.success_url = options.base_url + "/account?subscribed=1";
  checkout.cancel_url = options.base_url + "/offers";
  base::Result<billing::Checkout> started = services.gateway.create_checkout(checkout);
  if (!started)
    return offers_refusal(services, options, request, "offers.error_gateway", 502,
                          started.error().message);
  http::Response response = http::Response::redirect(started->redirect_url);
  response.set_header("Cache-Control", "no-store");
  return response;
}

// ---- the test gateway's checkout page -------------------------------------------------------

http::Response checkout_gone(const Services& services, const AccountsOptions& options,
                             const http::Request& request) {
  Frame frame = make_frame(services, options, request, "checkout.gone_title", "/offers");
  json::array links{link("/offers", t(frame, "subscription.offers")),
                    link("/account", t(frame, "subscription.back"))};
  std::string heading = t(frame, "checkout.gone_title");
  std::string body = t(frame, "checkout.gone_body");
  return message_page(services, std::move(frame), std::move(heading), std::move(body),
                      std::move(links), 404);
}

http::Response checkout_page(const Services& services, const AccountsOptions& options,
                             const http::Request& request, const TestGateway::Pending& pending,
                             std::vector<std::string> errors, int status) {
  Frame frame = make_frame(services, options, request, "checkout.title",
                           "/checkout/test/" + pending.session_id);
  const CsrfGuard::Token csrf = services.csrf.issue(request);
  const Plan& plan = pending.request.plan;
  const std::string action = "/checkout/test/" + pending.session_id;
  json::array fields{
      text_field("card", "card", t(frame, "checkout.card"), t(frame, "checkout.card_hint"))};
  json::array cards{json::object{{"number", "4242 4242 4242 4242"},
                                 {"label", t(frame, "checkout.card_succeeds")}},
                    json::object{{"number", "4000 0000 0000 0002"},
                                 {"label", t(frame, "checkout.card_declined")}}};
  json::object c{
      {"banner_title", t(frame, "checkout.banner_title")},
      {"banner_body", t(frame, "checkout.banner_body", {{"publication", options.publication}})},
      {"heading", t(frame, "checkout.heading", {{"plan", plan.name}})},
      {"summary",
       t(frame, "checkout.summary", {{"plan", plan.name}, {"price", plan_price(frame, plan)}})},
      {"terms", pending.request.offer ? json::value(offer_terms(*frame.messages, frame.locale,
                                                                *pending.request.offer, plan))
                                      : json::value(false)},
      {"form",
       form(action, csrf, {}, std::move(fields), t(frame, "checkout.pay"), std::move(errors))},
      {"cards_heading", t(frame, "checkout.cards_heading")},
      {"cards", std::move(cards)},
      {"cancel_url", "/offers"},
      {"cancel_label", t(frame, "checkout.cancel")}};
  return render_page(services, std::move(frame), "checkout_test", c, status, cookies_of(csrf));
}

http::Response get_test_checkout(const Services& services, const AccountsOptions& options,
                                 TestGateway& gateway, const http::Request& request) {
  const std::string id(request.param("id"));
  const auto who = signed_in(services, options, request);
  if (!who) return http::Response::redirect("/login?next=/checkout/test/" + id);
  const auto pending = gateway.pending(id, who->account.id);
  if (!pending) return checkout_gone(services, options, request);
  return checkout_page(services, options, request, *pending, {}, 200);
}

http::Response post_test_checkout(const Services& services, const AccountsOptions& options,
                                  TestGateway& gateway, const http::Request& request) {
  CheckedForm checked = checked_form(services, options, request);
  if (!checked.form) return checked.refusal;
  const std::string id(request.param("id"));
  const auto who = signed_in(services, options, request);
  if (!who) return http::Response::redirect("/login?next=/checkout/test/" + id);
  const auto pending = gateway.pending(id, who->account.id);
  if (!pending) return checkout_gone(services, options, request);
  const TestGateway::Payment paid = gateway.pay(id, who->account.id, checked.form->value("card"));
  const Frame frame = services.frame(request, "", "/offers");
  switch (paid.outcome) {
    case TestGateway::PayOutcome::kPaid: {
      http::Response response = http::Response::redirect("/account?subscribed=1");
      response.set_header("Cache-Control", "no-store");
      return response;
    }
    case TestGateway::PayOutcome::kDeclined:
      return checkout_page(services, options, request, *pending, {t(frame, "checkout.declined")},
                           402);
    case TestGateway::PayOutcome::kNotATestCard:
      return checkout_page(services, options, request, *pending,
                           {t(frame, "checkout.not_test_card")}, 400);
    case TestGateway::PayOutcome::kUnknownCheckout:
      break;
  }
  return checkout_gone(services, options, request);
}

// ---- Stripe webhooks ------------------------------------------------------------------------

http::Response text(int status, std::string body) {
  http::Response response = http::Response::text(status, std::move(body));
  response.set_header("Cache-Control", "no-store");
  return response;
}

http::Response post_stripe_webhook(const Services& services, const AccountsOptions& options,
                                   const http::Request& request) {
  const WebhookAnswer answer =
      handle_stripe_webhook(services.billing, options.stripe_webhook_secret,
                            request.header("Stripe-Signature"), request.body, services.clock.now());
  return text(answer.status, answer.text + "\n");
}

// ---- cancel, resume, change plan --------------------------------------------------------------

http::Response change_refused(const Services& services, const AccountsOptions& options,
                              const http::Request& request, std::string sentence, int status) {
  Frame frame = make_frame(services, options, request, "subscription.refused_title", "/account");
  json::array links{link("/account", t(frame, "subscription.back"))};
  std::string heading = t(frame, "subscription.refused_title");
  return message_page(services, std::move(frame), std::move(heading), std::move(sentence),
                      std::move(links), status);
}

enum class Change { kCancel, kResume, kPlan };

http::Response post_change(const Services& services, const AccountsOptions& options,
                           const http::Request& request, Change change) {
  CheckedForm checked = checked_form(services, options, request);
  if (!checked.form) return checked.refusal;
  const auto who = signed_in(services, options, request);
  if (!who) return http::Response::redirect("/login?next=/account");
  const base::TimePoint now = services.clock.now();
  const Frame frame = services.frame(request, "", "/account");
  auto refuse = [&](std::string sentence, int status) {
    return change_refused(services, options, request, std::move(sentence), status);
  };

  const std::optional<Subscription> current =
      current_subscription(services.billing.subscriptions_of(who->account.id), now, options.grace);
  if (!current) return refuse(t(frame, "subscription.error_none"), 409);
  if (current->gateway.empty() || current->gateway != services.gateway.name())
    return refuse(t(frame, "subscription.error_not_here"), 409);

  billing::Status asked = billing::Done{};
  switch (change) {
    case Change::kCancel: {
      auto allowed = billing::cancel_at_period_end(*current, now, options.grace);
      if (!allowed) return refuse(allowed.error().message, 409);
      asked = services.gateway.cancel_at_period_end(*current);
      break;
    }
    case Change::kResume: {
      auto allowed = billing::resume(*current, now, options.grace);
      if (!allowed) return refuse(allowed.error().message, 409);
      asked = services.gateway.resume(*current);
      break;
    }
    case Change::kPlan: {
      const std::optional<Plan> plan = services.billing.plan(checked.form->value("plan"));
      if (!plan) return refuse(t(frame, "subscription.error_unknown_plan"), 400);
      auto allowed = billing::change_plan(*current, *plan, now, options.grace);
      if (!allowed) return refuse(allowed.error().message, 409);
      asked = services.gateway.change_plan(*current, *plan);
      break;
    }
  }
  if (!asked)
    return refuse(t(frame, "subscription.error_gateway", {{"reason", asked.error().message}}), 502);
  http::Response response = http::Response::redirect("/account");
  response.set_header("Cache-Control", "no-store");
  return response;
}

}  // namespace

// ---- the account page's subscription section --------------------------------------------------

json::object subscription_section(const Services& services, const AccountsOptions& options,
                                  const SignedIn& who, const Frame& frame,
                                  const CsrfGuard::Token& csrf) {
  const base::TimePoint now = services.clock.now();
  json::object section{{"heading", t(frame, "subscription.heading")},
                       {"detail", false},
                       {"forms", json::array{}},
                       {"offers_url", false},
                       {"offers_label", t(frame, "subscription.offers")}};
  const std::optional<Subscription> s =
      current_subscription(services.billing.subscriptions_of(who.account.id), now, options.grace);
  if (!s) {
    section["state"] = t(frame, "subscription.none");
    section["offers_url"] = "/offers";
    return section;
  }
  const billing::EffectiveState state = billing::effective_state(*s, now, options.grace);
  auto date = [&](base::TimePoint tp) { return frame.dates->long_date(tp); };
  switch (state.state) {
    case SubscriptionState::kTrialing:
      section["state"] = t(frame, "subscription.trialing",
                           {{"date", date(s->trial_end.value_or(s->current_period_end))}});
      break;
    case SubscriptionState::kActive:
      section["state"] =
          state.cancelling
              ? t(frame, "subscription.cancelling", {{"date", date(s->current_period_end)}})
              : t(frame, "subscription.active", {{"date", date(s->current_period_end)}});
      break;
    case SubscriptionState::kPastDue:
      section["state"] = t(frame, "subscription.past_due");
      break;
    case SubscriptionState::kExpired:
      section["state"] = state.trial_unconverted ? t(frame, "subscription.trial_expired")
                                                 : t(frame, "subscription.expired",
                                                     {{"publication", options.publication}});
      break;
  }
  const std::optional<Plan> plan = services.billing.plan(s->plan_code);
  if (plan)
    section["detail"] =
        t(frame, "subscription.plan", {{"plan", plan->name}, {"price", plan_price(frame, *plan)}});

  // A Masthead trial ends by itself and converts through /offers; the forms
  // are for subscriptions of the configured gateway.
  const bool managed = !s->gateway.empty() && s->gateway == services.gateway.name();
  if (!state.grants_access() || s->gateway.empty()) section["offers_url"] = "/offers";
  if (!managed || !state.grants_access()) return section;

  json::array forms;
  if (state.cancelling) {
    forms.push_back(form("/account/resume", csrf, {}, {}, t(frame, "subscription.resume")));
  } else {
    forms.push_back(
        form("/account/cancel", csrf, {}, {}, t(frame, "subscription.cancel"), {}, true));
  }
  json::array choices;
  for (const Plan& p : services.billing.plans()) {
    if (!p.active && p.code != s->plan_code) continue;
    choices.push_back(json::object{{"value", p.code},
                                   {"label", p.name + " — " + plan_price(frame, p)},
                                   {"selected", p.code == s->plan_code}});
  }
  if (choices.size() > 1) {
    json::array fields{select_field("subscription-plan", "plan",
                                    t(frame, "subscription.change_plan_label"),
                                    std::move(choices))};
    forms.push_back(
        form("/account/plan", csrf, {}, std::move(fields), t(frame, "subscription.change_plan")));
  }
  section["forms"] = std::move(forms);
  return section;
}

// ---- the paywall's offer --------------------------------------------------------------------

std::optional<WallOffer> current_wall_offer(const Services& services,
                                            const render::MessageCatalog& messages,
                                            const render::DateFormatter& dates,
                                            std::string_view locale) {
  const base::TimePoint now = services.clock.now();
  const std::optional<Offer> offer = billing::paywall_offer(services.billing.offers(), now);
  if (!offer) return std::nullopt;
  const std::optional<Plan> plan = services.billing.plan(offer->plan_code);
  if (!plan || !plan->active) return std::nullopt;
  WallOffer wall;
  wall.headline = plan->name + ": " + offer_terms(messages, locale, *offer, *plan);
  if (std::string ends = offer_ends(messages, dates, *offer, now); !ends.empty())
    wall.headline += " · " + ends;
  wall.url = "/offers#offer-" + offer->code;
  return wall;
}

// ---- routes ---------------------------------------------------------------------------------

void add_billing_routes(http::Router& router, Services& services, const AccountsOptions& options) {
  const Services* s = &services;
  const AccountsOptions* o = &options;
  router.get("/offers", [s, o](http::Request& r) { return offers_page(*s, *o, r, "", 200); });
  router.post(
      "/subscribe", [s, o](http::Request& r) { return post_subscribe(*s, *o, r); },
      http::kBlocking);
  if (auto* test = dynamic_cast<TestGateway*>(&services.gateway)) {
    router.get("/checkout/test/:id",
               [s, o, test](http::Request& r) { return get_test_checkout(*s, *o, *test, r); });
    router.post(
        "/checkout/test/:id",
        [s, o, test](http::Request& r) { return post_test_checkout(*s, *o, *test, r); },
        http::kBlocking);
  }
  // Always routed, so that an unconfigured Stripe is a plain 404 (not a 405
  // from the section pattern /:section/:slug).
  router.post("/webhooks/stripe", [s, o](http::Request& r) {
    if (o->stripe_webhook_secret.empty()) return text(404, "Not found\n");
    return post_stripe_webhook(*s, *o, r);
  });
  router.post(
      "/account/cancel",
      [s, o](http::Request& r) { return post_change(*s, *o, r, Change::kCancel); },
      http::kBlocking);
  router.post(
      "/account/resume",
      [s, o](http::Request& r) { return post_change(*s, *o, r, Change::kResume); },
      http::kBlocking);
  router.post(
      "/account/plan", [s, o](http::Request& r) { return post_change(*s, *o, r, Change::kPlan); },
      http::kBlocking);
}

}  // namespace masthead::accounts
