// See stripe_gateway.h. Every request goes through call(): headers, the
// retry loop with one Idempotency-Key, and nothing else; each public method
// builds its form, calls, and turns the answer into a Result. JSON is read
// with Boost.JSON without exceptions (a malformed answer is an Error).
#include "payments/stripe_gateway.h"

#include <boost/json.hpp>

#include <random>
#include <stdexcept>
#include <thread>

namespace masthead::payments {
namespace json = boost::json;

namespace {

constexpr const char* kUnavailable =
    "The payment provider is unavailable at the moment; please try again in a few minutes.";
constexpr const char* kRefused =
    "The payment provider could not handle this request; please contact us if it happens again.";
constexpr const char* kNoPrice =
    "This plan cannot be paid for online at the moment; please contact us.";

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

// 128 random bits as a UUID-shaped string: Stripe's recommended key format.
std::string new_idempotency_key() {
  thread_local std::mt19937_64 rng{std::random_device{}() ^
                                   (static_cast<std::uint64_t>(std::random_device{}()) << 32)};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "masthead-";
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    out += kHex[rng() & 15];
  }
  return out;
}

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

const json::object* parse_object(const std::string& body, json::value& storage) {
  boost::system::error_code ec;
  storage = json::parse(body, ec);
  if (ec || !storage.is_object()) return nullptr;
  return &storage.as_object();
}

std::string string_at(const json::object* o, std::string_view key) {
  if (!o) return {};
  auto it = o->find(key);
  if (it == o->end() || !it->value().is_string()) return {};
  return std::string(it->value().as_string());
}

const json::object* object_at(const json::object* o, std::string_view key) {
  if (!o) return nullptr;
  auto it = o->find(key);
  if (it == o->end() || !it->value().is_object()) return nullptr;
  return &it->value().as_object();
}

bool retryable(const HttpResult& r) {
  if (!r) return r.failure.kind != HttpFailure::Kind::kTooLarge;
  if (r.response->header("Stripe-Should-Retry") == "false") return false;
  if (r.response->header("Stripe-Should-Retry") == "true") return true;
  const long s = r.response->status;
  return s == 409 || s == 429 || s >= 500;
}

// "HTTP 400 invalid_request_error (resource_missing): No such price: 'x' [req_123]"
std::string describe(const HttpResult& r) {
  if (!r) return "no answer: " + r.failure.message;
  std::string out = "HTTP " + std::to_string(r.response->status);
  json::value v;
  const json::object* error = object_at(parse_object(r.response->body, v), "error");
  if (error) {
    out += " " + string_at(error, "type");
    if (std::string code = string_at(error, "code"); !code.empty()) out += " (" + code + ")";
    out += ": " + string_at(error, "message");
  }
  if (std::string id = r.response->header("Request-Id"); !id.empty()) out += " [" + id + "]";
  return out;
}

bool is_loopback_http(std::string_view base) {
  for (std::string_view host : {"http://127.0.0.1", "http://localhost", "http://[::1]"})
    if (starts_with(base, host) &&
        (base.size() == host.size() || base[host.size()] == ':' || base[host.size()] == '/'))
      return true;
  return false;
}

}  // namespace

std::string check_stripe_config(const StripeConfig& c) {
  if (!starts_with(c.secret_key, "sk_") && !starts_with(c.secret_key, "rk_"))
    return "stripe.secret_key must be a Stripe secret key (sk_live_..., sk_test_... or rk_...)";
  if (c.secret_key.find_first_of(" \r\n\t") != std::string::npos)
    return "stripe.secret_key contains whitespace";
  if (!starts_with(c.api_base, "https://") && !is_loopback_http(c.api_base))
    return "stripe.api_base must be an https:// URL (plain http only on loopback, for tests)";
  if (c.api_base.find_first_of(" \r\n\t@?#") != std::string::npos)
    return "stripe.api_base must be a plain base URL";
  for (const auto& [plan, price] : c.prices)
    if (price.empty() || price.find_first_of(" \r\n\t") != std::string::npos)
      return "stripe.prices: the price id of plan '" + plan + "' is empty or has spaces";
  if (c.max_retries < 0 || c.max_retries > 5) return "stripe.max_retries must be between 0 and 5";
  return {};
}

StripeGateway::StripeGateway(StripeConfig config)
    : config_(std::move(config)), http_(config_.http) {
  if (std::string problem = check_stripe_config(config_); !problem.empty())
    throw std::invalid_argument(problem);
  while (config_.api_base.ends_with('/')) config_.api_base.pop_back();
}

void StripeGateway::log(const std::string& line) const {
  if (config_.log) config_.log(line);
}

HttpResult StripeGateway::call(const char* method, const std::string& path, const HttpFields& form,
                               const std::string& idempotency_key) const {
  HttpFields headers = {{"Authorization", "Bearer " + config_.secret_key}};
  if (!config_.api_version.empty()) headers.emplace_back("Stripe-Version", config_.api_version);
  const bool post = std::string_view(method) == "POST";
  if (post) headers.emplace_back("Idempotency-Key", idempotency_key);
  const std::string url = config_.api_base + path;
  HttpResult result;
  for (int attempt = 0;; ++attempt) {
    result = post ? http_.post_form(url, form, headers) : http_.get(url, headers);
    if (!retryable(result) || attempt >= config_.max_retries) break;
    log("stripe " + std::string(method) + " " + path + ": " + describe(result) + "; retrying");
    std::this_thread::sleep_for(config_.retry_delay * (1 << attempt));
  }
  return result;
}

std::string StripeGateway::coupon_id(const billing::Offer& offer, const billing::Plan& plan) {
  const int months = offer.intro_intervals * (plan.interval == billing::Interval::kYear ? 12 : 1);
  return "masthead-" + offer.code + "-" +
         std::to_string(plan.price_minor - offer.intro_price_minor) + lower_ascii(plan.currency) +
         "-" + std::to_string(months) + "m";
}

base::Result<std::string> StripeGateway::ensure_coupon(const billing::Offer& offer,
                                                       const billing::Plan& plan) const {
  if (auto it = config_.coupons.find(offer.code); it != config_.coupons.end()) return it->second;
  if (offer.intro_price_minor >= plan.price_minor || offer.intro_intervals < 1) {
    log("stripe: offer '" + offer.code + "' is no discount on plan '" + plan.code + "'");
    return base::Error{kRefused};
  }
  const std::string id = coupon_id(offer, plan);
  const int months = offer.intro_intervals * (plan.interval == billing::Interval::kYear ? 12 : 1);
  HttpFields form = {{"id", id},
                     {"amount_off", std::to_string(plan.price_minor - offer.intro_price_minor)},
                     {"currency", lower_ascii(plan.currency)},
                     {"duration", "repeating"},
                     {"duration_in_months", std::to_string(months)},
                     {"name", offer.code.substr(0, 40)},
                     {"metadata[offer]", offer.code},
                     {"metadata[plan]", plan.code}};
  // A deterministic key: the same coupon asked twice is the same request.
  HttpResult r = call("POST", "/v1/coupons", form, "masthead-coupon-" + id);
  if (r && r.response->status == 200) return id;
  if (r && r.response->status == 400) {
    json::value v;
    const json::object* error = object_at(parse_object(r.response->body, v), "error");
    if (string_at(error, "code") == "resource_already_exists") return id;
  }
  log("stripe POST /v1/coupons (" + id + "): " + describe(r));
  return base::Error{r && r.response->status < 500 && r.response->status != 429 ? kRefused
                                                                                : kUnavailable};
}

base::Result<billing::Checkout> StripeGateway::create_checkout(
    const billing::CheckoutRequest& request) {
  const billing::Plan& plan = request.plan;
  auto price = config_.prices.find(plan.code);
  if (price == config_.prices.end()) {
    log("stripe: no price id configured for plan '" + plan.code + "' (stripe.prices)");
    return base::Error{kNoPrice};
  }
  const std::string account = std::to_string(request.account_id);
  HttpFields form = {
      {"mode", "subscription"},
      {"line_items[0][price]", price->second},
      {"line_items[0][quantity]", "1"},
      {"client_reference_id", account},
      {"success_url", request.success_url},
      {"cancel_url", request.cancel_url},
      {"metadata[account_id]", account},
      {"metadata[plan]", plan.code},
      {"subscription_data[metadata][account_id]", account},
      {"subscription_data[metadata][plan]", plan.code},
  };
  if (!request.email.empty()) form.emplace_back("customer_email", request.email);
  if (request.offer) {
    const billing::Offer& offer = *request.offer;
    form.emplace_back("metadata[offer]", offer.code);
    form.emplace_back("subscription_data[metadata][offer]", offer.code);
    if (offer.kind == billing::OfferKind::kTrial) {
      form.emplace_back("subscription_data[trial_period_days]", std::to_string(offer.trial_days));
      if (offer.intro_price_minor > 0) {
        form.emplace_back("line_items[1][price_data][currency]", lower_ascii(plan.currency));
        form.emplace_back("line_items[1][price_data][unit_amount]",
                          std::to_string(offer.intro_price_minor));
        form.emplace_back("line_items[1][price_data][product_data][name]", "Trial: " + plan.name);
        form.emplace_back("line_items[1][quantity]", "1");
      }
    } else {
      auto coupon = ensure_coupon(offer, plan);
      if (!coupon) return coupon.error();
      form.emplace_back("discounts[0][coupon]", coupon.value());
    }
  }

  HttpResult r = call("POST", "/v1/checkout/sessions", form, new_idempotency_key());
  if (!r || r.response->status != 200) {
    log("stripe POST /v1/checkout/sessions for account " + account + ": " + describe(r));
    return base::Error{!r || retryable(r) ? kUnavailable : kRefused};
  }
  json::value v;
  const json::object* session = parse_object(r.response->body, v);
  billing::Checkout checkout{string_at(session, "url"), string_at(session, "id")};
  if (checkout.session_id.empty() || !starts_with(checkout.redirect_url, "https://")) {
    log("stripe POST /v1/checkout/sessions: an answer without id or https url: " +
        r.response->body.substr(0, 300));
    return base::Error{kUnavailable};
  }
  return checkout;
}

billing::Status StripeGateway::set_cancel_at_period_end(const billing::Subscription& s,
                                                        bool cancel) {
  if (s.gateway_subscription_id.empty()) {
    log("stripe: subscription " + std::to_string(s.id) + " has no Stripe id");
    return base::Error{kRefused};
  }
  const std::string path = "/v1/subscriptions/" + url_escape(s.gateway_subscription_id);
  HttpResult r = call("POST", path, {{"cancel_at_period_end", cancel ? "true" : "false"}},
                      new_idempotency_key());
  if (r && r.response->status == 200) return billing::Done{};
  log("stripe POST " + path + " cancel_at_period_end=" + (cancel ? "true" : "false") + ": " +
      describe(r));
  return base::Error{!r || retryable(r) ? kUnavailable : kRefused};
}

billing::Status StripeGateway::cancel_at_period_end(const billing::Subscription& s) {
  return set_cancel_at_period_end(s, true);
}

billing::Status StripeGateway::resume(const billing::Subscription& s) {
  return set_cancel_at_period_end(s, false);
}

billing::Status StripeGateway::change_plan(const billing::Subscription& s,
                                           const billing::Plan& plan) {
  auto price = config_.prices.find(plan.code);
  if (price == config_.prices.end()) {
    log("stripe: no price id configured for plan '" + plan.code + "' (stripe.prices)");
    return base::Error{kNoPrice};
  }
  if (s.gateway_subscription_id.empty()) {
    log("stripe: subscription " + std::to_string(s.id) + " has no Stripe id");
    return base::Error{kRefused};
  }
  const std::string path = "/v1/subscriptions/" + url_escape(s.gateway_subscription_id);
  HttpResult got = call("GET", path, {}, {});
  if (!got || got.response->status != 200) {
    log("stripe GET " + path + ": " + describe(got));
    return base::Error{!got || retryable(got) ? kUnavailable : kRefused};
  }
  json::value v;
  const json::object* sub = parse_object(got.response->body, v);
  std::string item;
  if (const json::object* items = object_at(sub, "items")) {
    auto data = items->find("data");
    if (data != items->end() && data->value().is_array() && !data->value().as_array().empty() &&
        data->value().as_array()[0].is_object())
      item = string_at(&data->value().as_array()[0].as_object(), "id");
  }
  if (item.empty()) {
    log("stripe GET " + path + ": no subscription item in the answer");
    return base::Error{kUnavailable};
  }
  HttpResult r = call("POST", path,
                      {{"items[0][id]", item},
                       {"items[0][price]", price->second},
                       {"metadata[plan]", plan.code},
                       {"proration_behavior", "create_prorations"}},
                      new_idempotency_key());
  if (r && r.response->status == 200) return billing::Done{};
  log("stripe POST " + path + " (change to plan '" + plan.code + "'): " + describe(r));
  return base::Error{!r || retryable(r) ? kUnavailable : kRefused};
}

}  // namespace masthead::payments
