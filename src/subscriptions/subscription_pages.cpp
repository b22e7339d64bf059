// The subscription pages over BillingService; see subscriptions.h.
#include <boost/json.hpp>

#include "render/money.h"
#include "services/offer_words.h"
#include "subscriptions/subscriptions.h"
#include "web/visitor.h"

namespace masthead::subscriptions {

namespace {

namespace json = boost::json;
using billing::Offer;
using billing::OfferKind;
using billing::Plan;
using billing::Subscription;
using billing::SubscriptionState;
using services::Subscribed;
using web::link;
using web::Page;

std::optional<services::SignedIn> who_of(const SubscriptionPages& pages,
                                         const http::Request& request) {
  return pages.members.signed_in(web::visitor_of(request, pages.kit.cookies));
}

std::string money(const Page& page, std::int64_t minor, const Plan& plan) {
  return render::format_money(page.language().locale, minor, plan.currency);
}

// ---- /offers

http::Response offers_page(const SubscriptionPages& pages, const http::Request& request,
                           std::string notice, int status) {
  Page page(pages.kit, request, "offers.title", "/offers");
  const services::Language& l = page.language();
  const base::TimePoint now = pages.kit.clock.now();
  const auto who = who_of(pages, request);
  const services::OfferList list = pages.billing.offers_for(who);
  if (notice.empty() && list.subscribed) notice = page.t("offers.already_subscribed");
  if (notice.empty()) notice = page.notice();

  json::array plans;
  for (const services::PlanChoice& choice : list.plans) {
    const Plan& plan = choice.plan;
    json::array offers;
    for (const services::OfferChoice& o : choice.offers) {
      const Offer& offer = o.offer;
      const std::string ends = services::offer_ends(l, offer, now);
      json::object item{
          {"code", offer.code},
          {"featured", o.featured},
          {"featured_label", page.t("offers.featured")},
          {"terms", services::offer_terms(l, offer, plan)},
          {"ends", ends.empty() ? json::value(false) : json::value(ends)},
          {"new_only", offer.new_subscribers_only ? json::value(page.t("offers.new_only"))
                                                  : json::value(false)},
          {"note", false},
          {"form", false}};
      if (list.subscribed) {
        item["note"] = page.t("offers.subscribed_note");
      } else if (!o.eligible) {
        item["note"] = page.t(o.trial_used ? "offers.trial_used" : "offers.not_eligible");
      } else {
        const std::string button =
            services::is_free_trial(offer)
                ? page.t("offers.start_trial_days", {{"days", offer.trial_days}})
                : page.t("offers.take_offer_price",
                         {{"price", money(page, services::first_charge_minor(plan, offer), plan)}});
        item["form"] = page.form({.action = "/subscribe",
                                  .id_prefix = "offer-" + offer.code,
                                  .hidden = {{"plan", plan.code}, {"offer", offer.code}},
                                  .submit = button});
      }
      offers.push_back(std::move(item));
    }
    json::value plan_form = false;
    if (!list.subscribed)
      plan_form = page.form(
          {.action = "/subscribe",
           .id_prefix = "plan-" + plan.code,
           .hidden = {{"plan", plan.code}},
           .submit = page.t("offers.subscribe_price", {{"price", services::plan_price(l, plan)}})});
    plans.push_back(json::object{{"code", plan.code},
                                 {"name", services::plan_name(l, plan)},
                                 {"price", services::plan_price(l, plan)},
                                 {"includes", services::plan_includes(l, plan.entitlements)},
                                 {"offers", std::move(offers)},
                                 {"form", std::move(plan_form)}});
  }
  json::object c{{"heading", page.t("offers.heading", {{"publication", pages.kit.publication}})},
                 {"intro", plans.empty() ? page.t("offers.none") : page.t("offers.intro")},
                 {"notice", notice.empty() ? json::value(false) : json::value(notice)},
                 {"account_url", list.subscribed ? json::value("/account") : json::value(false)},
                 {"account_label", page.t("offers.go_account")},
                 {"plans", std::move(plans)}};
  return page.render("offers", c, status);
}

http::Response offers_refusal(const SubscriptionPages& pages, const http::Request& request,
                              std::string_view key, int status, std::string reason = "") {
  Page page(pages.kit, request, "offers.title", "/offers");
  return offers_page(pages, request,
                     reason.empty() ? page.t(key) : page.t(key, {{"reason", reason}}), status);
}

http::Response post_subscribe(const SubscriptionPages& pages, const http::Request& request) {
  web::CheckedForm checked = web::checked_form(pages.kit, request);
  if (!checked.form) return checked.refusal;
  const auto who = who_of(pages, request);
  if (!who) return web::see_other("/register?next=/offers");
  Page page(pages.kit, request, "offers.title", "/offers");
  const Subscribed done = pages.billing.subscribe(*who, checked.form->value("plan"),
                                                  checked.form->value("offer"), page.language());
  switch (done.outcome) {
    case Subscribed::Outcome::kCheckout:
      return web::see_other(done.redirect_url);
    case Subscribed::Outcome::kTrialStarted:
      return web::see_other("/subscribe/done");
    case Subscribed::Outcome::kAlreadySubscribed:
      return web::see_other("/account?notice=already-subscribed");
    case Subscribed::Outcome::kUnknown:
      return offers_refusal(pages, request, "offers.error_unknown", 400);
    case Subscribed::Outcome::kTrialUsed:
      return offers_refusal(pages, request, "offers.error_trial_used", 409);
    case Subscribed::Outcome::kNewSubscribersOnly:
      return offers_refusal(pages, request, "offers.error_new_only", 409);
    case Subscribed::Outcome::kGatewayFailed:
      return offers_refusal(pages, request, "offers.error_gateway", 502, done.reason);
  }
  return offers_refusal(pages, request, "offers.error_unknown", 400);
}

// ---- the confirmation after paying

http::Response get_done(const SubscriptionPages& pages, const http::Request& request) {
  const auto who = who_of(pages, request);
  if (!who) return web::see_other("/login?next=/subscribe/done");
  Page page(pages.kit, request, "done.title", "/subscribe/done");
  const services::Language& l = page.language();
  const auto c = pages.billing.latest_confirmation(who->account.id, base::TimePoint{});
  json::array links{link("/", page.t("done.read")), link("/account", page.t("done.account"))};
  if (!c)
    return page.message_page(page.t("done.pending_title"), page.t("done.pending"), "", std::nullopt,
                             std::move(links));
  const std::string charged = money(page, c->charged_minor, c->plan);
  json::array facts;
  auto fact = [&](std::string_view label_key, std::string value) {
    facts.push_back(json::object{{"label", page.t(label_key)}, {"value", std::move(value)}});
  };
  fact("done.plan", services::plan_name(l, c->plan));
  fact("done.charged", charged);
  if (c->offer) fact("done.offer", services::offer_terms(l, *c->offer, c->plan));
  fact(c->trial ? "done.trial_ends" : "done.renews", l.dates->long_date(c->next_renewal));
  json::object context{
      {"heading", page.t("done.heading", {{"publication", pages.kit.publication}})},
      {"body", page.t("done.body", {{"email", who->account.email}})},
      {"facts", std::move(facts)},
      {"links", std::move(links)}};
  return page.render("subscribed", context);
}

// ---- the test gateway's checkout

http::Response checkout_gone(const SubscriptionPages& pages, const http::Request& request) {
  Page page(pages.kit, request, "checkout.gone_title", "/offers");
  return page.message_page(page.t("checkout.gone_title"), page.t("checkout.gone_body"), "",
                           std::nullopt,
                           json::array{link("/offers", page.t("subscription.offers")),
                                       link("/account", page.t("subscription.back"))},
                           404);
}

http::Response checkout_page(const SubscriptionPages& pages, const http::Request& request,
                             const payments::TestGateway::Pending& pending,
                             std::vector<std::string> errors, int status) {
  const std::string action = "/checkout/test/" + pending.session_id;
  Page page(pages.kit, request, "checkout.title", action);
  const services::Language& l = page.language();
  const Plan& plan = pending.request.plan;
  const std::string name = services::plan_name(l, plan);
  const std::string charge =
      money(page, services::first_charge_minor(plan, pending.request.offer), plan);
  json::array cards{
      json::object{{"number", "4242 4242 4242 4242"}, {"label", page.t("checkout.card_succeeds")}},
      json::object{{"number", "4000 0000 0000 0002"}, {"label", page.t("checkout.card_declined")}}};
  json::object c{
      {"banner_title", page.t("checkout.banner_title")},
      {"banner_body", page.t("checkout.banner_body", {{"publication", pages.kit.publication}})},
      {"heading", page.t("checkout.heading", {{"plan", name}})},
      {"summary",
       page.t("checkout.summary", {{"plan", name}, {"price", services::plan_price(l, plan)}})},
      {"terms", pending.request.offer
                    ? json::value(services::offer_terms(l, *pending.request.offer, plan))
                    : json::value(false)},
      {"form", page.form({.action = action,
                          .id_prefix = "checkout",
                          .fields = {{.name = "card",
                                      .type = "text",
                                      .label = page.t("checkout.card"),
                                      .autocomplete = "off",
                                      .hint = page.t("checkout.card_hint"),
                                      .maxlength = 23,
                                      .inputmode = "numeric"}},
                          .submit = page.t("checkout.pay_price", {{"price", charge}}),
                          .errors = std::move(errors)})},
      {"cards_heading", page.t("checkout.cards_heading")},
      {"cards", std::move(cards)},
      {"cancel_url", "/offers"},
      {"cancel_label", page.t("checkout.cancel")}};
  return page.render("checkout_test", c, status);
}

http::Response get_test_checkout(const SubscriptionPages& pages, const http::Request& request) {
  const std::string id(request.param("id"));
  const auto who = who_of(pages, request);
  if (!who) return web::see_other("/login?next=/checkout/test/" + id);
  const auto pending = pages.test_gateway->pending(id, who->account.id);
  if (!pending) return checkout_gone(pages, request);
  return checkout_page(pages, request, *pending, {}, 200);
}

http::Response post_test_checkout(const SubscriptionPages& pages, const http::Request& request) {
  web::CheckedForm checked = web::checked_form(pages.kit, request);
  if (!checked.form) return checked.refusal;
  const std::string id(request.param("id"));
  const auto who = who_of(pages, request);
  if (!who) return web::see_other("/login?next=/checkout/test/" + id);
  const auto pending = pages.test_gateway->pending(id, who->account.id);
  if (!pending) return checkout_gone(pages, request);
  const payments::TestGateway::Payment paid =
      pages.test_gateway->pay(id, who->account.id, checked.form->value("card"));
  Page page(pages.kit, request, "checkout.title", "/offers");
  switch (paid.outcome) {
    case payments::TestGateway::PayOutcome::kPaid:
      pages.billing.send_receipt(who->account.id, page.language());
      return web::see_other("/subscribe/done");
    case payments::TestGateway::PayOutcome::kDeclined:
      return checkout_page(pages, request, *pending, {page.t("checkout.declined")}, 402);
    case payments::TestGateway::PayOutcome::kNotATestCard:
      return checkout_page(pages, request, *pending, {page.t("checkout.not_test_card")}, 400);
    case payments::TestGateway::PayOutcome::kUnknownCheckout:
      break;
  }
  return checkout_gone(pages, request);
}

// ---- Stripe webhooks

http::Response text(int status, std::string body) {
  http::Response response = http::Response::text(status, std::move(body));
  response.set_header("Cache-Control", "no-store");
  return response;
}

// ---- cancel, resume, change plan

http::Response change_refused(const SubscriptionPages& pages, const http::Request& request,
                              std::string sentence, int status) {
  Page page(pages.kit, request, "subscription.refused_title", "/account");
  return page.message_page(page.t("subscription.refused_title"), std::move(sentence), "",
                           std::nullopt, json::array{link("/account", page.t("subscription.back"))},
                           status);
}

http::Response get_cancel(const SubscriptionPages& pages, const http::Request& request) {
  const auto who = who_of(pages, request);
  if (!who) return web::see_other("/login?next=/account/cancel");
  Page page(pages.kit, request, "subscription.cancel_title", "/account/cancel");
  const auto current = pages.billing.current_subscription(who->account.id);
  if (!current) return web::see_other("/account");
  return page.message_page(
      page.t("subscription.cancel_title"), "",
      page.t("subscription.cancel_intro",
             {{"date", page.language().dates->long_date(current->current_period_end)}}),
      page.form({.action = "/account/cancel",
                 .id_prefix = "cancel",
                 .submit = page.t("subscription.cancel_confirm"),
                 .danger = true}),
      json::array{link("/account", page.t("subscription.keep"))});
}

http::Response post_change(const SubscriptionPages& pages, const http::Request& request,
                           services::ChangeKind kind) {
  web::CheckedForm checked = web::checked_form(pages.kit, request);
  if (!checked.form) return checked.refusal;
  const auto who = who_of(pages, request);
  if (!who) return web::see_other("/login?next=/account");
  Page page(pages.kit, request, "subscription.refused_title", "/account");
  const services::Changed done =
      pages.billing.change(*who, kind, checked.form->value("plan"), page.language());
  using Outcome = services::Changed::Outcome;
  switch (done.outcome) {
    case Outcome::kDone:
      break;
    case Outcome::kNoSubscription:
      return change_refused(pages, request, page.t("subscription.error_none"), 409);
    case Outcome::kNotHere:
      return change_refused(pages, request, page.t("subscription.error_not_here"), 409);
    case Outcome::kUnknownPlan:
      return change_refused(pages, request, page.t("subscription.error_unknown_plan"), 400);
    case Outcome::kRefused:
      return change_refused(pages, request, done.reason, 409);
    case Outcome::kGatewayFailed:
      return change_refused(pages, request,
                            page.t("subscription.error_gateway", {{"reason", done.reason}}), 502);
  }
  switch (kind) {
    case services::ChangeKind::kCancel:
      return web::see_other("/account?notice=cancelled");
    case services::ChangeKind::kResume:
      return web::see_other("/account?notice=resumed");
    case services::ChangeKind::kPlan:
      break;
  }
  return web::see_other("/account?notice=plan-changed");
}

}  // namespace

// ---- the account page's subscription section

json::object account_section(const SubscriptionPages& pages, const web::Page& page,
                             const services::SignedIn& who) {
  const services::Language& l = page.language();
  const base::TimePoint now = pages.kit.clock.now();
  const std::chrono::seconds grace = pages.billing.options().grace;
  json::object section{{"heading", page.t("subscription.heading")},
                       {"detail", false},
                       {"forms", json::array{}},
                       {"cancel_url", false},
                       {"cancel_label", page.t("subscription.cancel")},
                       {"offers_url", false},
                       {"offers_label", page.t("subscription.offers")}};
  const std::optional<Subscription> s = pages.billing.current_subscription(who.account.id);
  if (!s) {
    section["state"] = page.t("subscription.none");
    section["offers_url"] = "/offers";
    return section;
  }
  const billing::EffectiveState state = billing::effective_state(*s, now, grace);
  auto date = [&](base::TimePoint tp) { return l.dates->long_date(tp); };
  switch (state.state) {
    case SubscriptionState::kTrialing:
      section["state"] = page.t("subscription.trialing",
                                {{"date", date(s->trial_end.value_or(s->current_period_end))}});
      break;
    case SubscriptionState::kActive:
      section["state"] =
          state.cancelling
              ? page.t("subscription.cancelling", {{"date", date(s->current_period_end)}})
              : page.t("subscription.active", {{"date", date(s->current_period_end)}});
      break;
    case SubscriptionState::kPastDue:
      section["state"] = page.t("subscription.past_due");
      break;
    case SubscriptionState::kExpired:
      section["state"] = state.trial_unconverted ? page.t("subscription.trial_expired")
                                                 : page.t("subscription.expired",
                                                          {{"publication", pages.kit.publication}});
      break;
  }
  if (const std::optional<Plan> plan = pages.billing.plan(s->plan_code))
    section["detail"] = page.t("subscription.plan", {{"plan", services::plan_name(l, *plan)},
                                                     {"price", services::plan_price(l, *plan)}});

  // A Masthead trial ends by itself and converts through /offers; the forms
  // are for subscriptions of the configured gateway.
  const bool managed = !s->gateway.empty() && s->gateway == pages.billing.gateway_name();
  if (!state.grants_access() || s->gateway.empty()) section["offers_url"] = "/offers";
  if (!managed || !state.grants_access()) return section;

  json::array forms;
  if (state.cancelling)
    forms.push_back(page.form({.action = "/account/resume",
                               .id_prefix = "resume",
                               .submit = page.t("subscription.resume")}));
  else
    section["cancel_url"] = "/account/cancel";
  web::SelectSpec select{.name = "plan", .label = page.t("subscription.change_plan_label")};
  for (const Plan& p : pages.billing.plans()) {
    if (!p.active && p.code != s->plan_code) continue;
    select.choices.push_back({p.code,
                              services::plan_name(l, p) + " — " + services::plan_price(l, p),
                              p.code == s->plan_code});
  }
  if (select.choices.size() > 1)
    forms.push_back(page.form({.action = "/account/plan",
                               .id_prefix = "subscription",
                               .selects = {std::move(select)},
                               .submit = page.t("subscription.change_plan")}));
  section["forms"] = std::move(forms);
  return section;
}

// ---- the paywall's offer

std::optional<WallOffer> wall_offer(const services::BillingService& billing,
                                    const services::Language& language, base::TimePoint now) {
  const auto offer = billing.wall_offer();
  if (!offer) return std::nullopt;
  const auto& [o, plan] = *offer;
  WallOffer wall;
  wall.headline =
      services::plan_name(language, plan) + ": " + services::offer_terms(language, o, plan);
  if (std::string ends = services::offer_ends(language, o, now); !ends.empty())
    wall.headline += " · " + ends;
  wall.url = "/offers#offer-" + o.code;
  return wall;
}

// ---- routes

void add_subscription_routes(http::Router& router, const SubscriptionPages& pages) {
  const SubscriptionPages* p = &pages;
  router.get("/offers", [p](http::Request& r) { return offers_page(*p, r, "", 200); });
  // Gateway calls (up to seconds) run off the io threads.
  router.post(
      "/subscribe", [p](http::Request& r) { return post_subscribe(*p, r); }, http::kBlocking);
  router.get("/subscribe/done", [p](http::Request& r) { return get_done(*p, r); });
  if (pages.test_gateway) {
    router.get("/checkout/test/:id", [p](http::Request& r) { return get_test_checkout(*p, r); });
    router.post(
        "/checkout/test/:id", [p](http::Request& r) { return post_test_checkout(*p, r); },
        http::kBlocking);
  }
  // Always routed, so that an unconfigured Stripe is a plain 404 (not a 405
  // from the section pattern /:section/:slug).
  router.post("/webhooks/stripe", [p](http::Request& r) {
    if (p->billing.options().stripe_webhook_secret.empty()) return text(404, "Not found\n");
    const services::WebhookAnswer answer =
        p->billing.stripe_webhook(r.header("Stripe-Signature"), r.body, p->default_language);
    return text(answer.status, answer.text + "\n");
  });
  router.get("/account/cancel", [p](http::Request& r) { return get_cancel(*p, r); });
  router.post(
      "/account/cancel",
      [p](http::Request& r) { return post_change(*p, r, services::ChangeKind::kCancel); },
      http::kBlocking);
  router.post(
      "/account/resume",
      [p](http::Request& r) { return post_change(*p, r, services::ChangeKind::kResume); },
      http::kBlocking);
  router.post(
      "/account/plan",
      [p](http::Request& r) { return post_change(*p, r, services::ChangeKind::kPlan); },
      http::kBlocking);
}

}  // namespace masthead::subscriptions
