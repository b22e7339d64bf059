// StripeGateway against tests/tools/fake_stripe.py, started per test on a
// loopback port (api_base = http://127.0.0.1:PORT). Each test makes the
// gateway call, then reads what the fake recorded (GET /_fake/requests) and
// checks the form fields, headers and idempotency keys Stripe would have
// received; failures are injected through POST /_fake/fail. The last test
// closes the loop with billing: the fake completes a checkout and delivers
// its signed webhook events (to itself, where they are recorded), and
// billing's verify_stripe_signature() and parse_stripe_event() must read
// back the account, plan and offer that create_checkout() sent.
//
// These tests start a Python process, so they build into their own binary,
// payments_stripe_test, labelled `integration` for CTest (the sanitizer pass
// runs `unit` only); check_stripe_config(), which needs no server, is tested
// in stripe_config_test.cpp (payments_test). No test sleeps or measures time:
// the fake records each request before answering it, and the gateway's calls
// are synchronous, so the recorded requests are complete when a call returns.
//
// Skipped (GTEST_SKIP) only when python3 is not on PATH.
#include "payments/stripe_gateway.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <mutex>

#include "base/iso_time.h"
#include "billing/stripe_events.h"
#include "tools/child_process.h"

namespace masthead::payments {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using masthead::testing::ChildProcess;

constexpr const char* kKey = "sk_test_masthead_51Secret";

class FakeStripe {
 public:
  FakeStripe() {
    child_ = std::make_unique<ChildProcess>(std::vector<std::string>{
        *masthead::testing::find_in_path("python3"),
        (masthead::testing::source_dir() / "tests/tools/fake_stripe.py").string(), "--secret-key",
        kKey, "--exit-on-stdin-eof"});
    port_ = masthead::testing::port_from_line(child_->wait_for_line("listening on", 20s));
  }
  int port() const { return port_; }
  std::string api_base() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // POSTs a JSON control request (a raw socket: HttpClient speaks forms only).
  json::value control(const std::string& path, const json::value& body = json::object{}) {
    const std::string payload = json::serialize(body);
    const std::string request =
        "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(payload.size()) +
        "\r\nConnection: close\r\n\r\n" + payload;
    return json::parse(exchange(request));
  }
  json::array requests() {
    return json::parse(exchange("GET /_fake/requests HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Connection: close\r\n\r\n"))
        .as_array();
  }
  // The Stripe requests (not the webhooks the fake posted to itself).
  json::array api_requests() {
    json::array out;
    for (auto& r : requests())
      if (r.at("path").as_string().starts_with("/v1/")) out.push_back(r);
    return out;
  }

 private:
  std::string exchange(const std::string& request) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      throw std::runtime_error("cannot connect to fake_stripe");
    }
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string response;
    char buf[8192];
    for (;;) {
      // The fake keeps HTTP/1.1 connections open: stop at Content-Length.
      const std::size_t end = response.find("\r\n\r\n");
      if (end != std::string::npos) {
        const std::size_t cl = response.find("Content-Length: ");
        if (cl != std::string::npos && cl < end &&
            response.size() >= end + 4 + std::stoul(response.substr(cl + 16)))
          break;
      }
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      response.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return response.substr(response.find("\r\n\r\n") + 4);
  }

  std::unique_ptr<ChildProcess> child_;
  int port_ = 0;
};

#define REQUIRE_PYTHON()                           \
  if (!masthead::testing::find_in_path("python3")) \
  GTEST_SKIP() << "python3 is not on PATH: the Stripe tests need tests/tools/fake_stripe.py"

// The form of a recorded request as a map (last value wins) and as pairs.
std::map<std::string, std::string> form_of(const json::value& request) {
  std::map<std::string, std::string> out;
  for (auto& pair : request.at("form").as_array())
    out[std::string(pair.as_array()[0].as_string())] = std::string(pair.as_array()[1].as_string());
  return out;
}

std::string header_of(const json::value& request, const std::string& name) {
  for (auto& [k, v] : request.at("headers").as_object())
    if (std::string(k) == name) return std::string(v.as_string());
  return "<none>";
}

billing::Plan monthly() {
  billing::Plan p;
  p.code = "digital-monthly";
  p.name = "Digital, monthly";
  p.price_minor = 2900;
  p.currency = "USD";
  p.interval = billing::Interval::kMonth;
  return p;
}

billing::Plan yearly() {
  billing::Plan p = monthly();
  p.code = "digital-yearly";
  p.name = "Digital, yearly";
  p.price_minor = 29000;
  p.interval = billing::Interval::kYear;
  return p;
}

billing::Offer intro_offer() {
  billing::Offer o;
  o.code = "winter-2026";
  o.plan_code = "digital-monthly";
  o.kind = billing::OfferKind::kIntroPrice;
  o.intro_price_minor = 900;
  o.intro_intervals = 3;
  o.starts_at = *base::parse_iso8601("2026-11-01T00:00:00Z");
  o.ends_at = *base::parse_iso8601("2027-02-01T00:00:00Z");
  return o;
}

billing::Offer trial_offer(std::int64_t price = 0) {
  billing::Offer o = intro_offer();
  o.code = "try-14";
  o.kind = billing::OfferKind::kTrial;
  o.intro_price_minor = price;
  o.intro_intervals = 0;
  o.trial_days = 14;
  return o;
}

struct Logged {
  std::mutex mutex;
  std::vector<std::string> lines;
  std::string all() {
    std::lock_guard lock(mutex);
    std::string out;
    for (auto& l : lines) out += l + "\n";
    return out;
  }
};

StripeConfig config_for(const FakeStripe& fake, Logged* logged = nullptr) {
  StripeConfig c;
  c.secret_key = kKey;
  c.api_base = fake.api_base();
  c.prices = {{"digital-monthly", "price_monthly_2900"}, {"digital-yearly", "price_yearly_29000"}};
  c.http.proxy = "";  // loopback: never through a proxy from the environment
  c.http.timeout = 5s;
  c.retry_delay = 10ms;
  if (logged)
    c.log = [logged](std::string_view line) {
      std::lock_guard lock(logged->mutex);
      logged->lines.emplace_back(line);
    };
  return c;
}

billing::CheckoutRequest checkout_request(std::optional<billing::Offer> offer = std::nullopt,
                                          billing::Plan plan = monthly()) {
  return {.account_id = 1234,
          .email = "reader@example.com",
          .plan = std::move(plan),
          .offer = std::move(offer),
          .success_url = "https://gazette.test/subscribe/done?session={CHECKOUT_SESSION_ID}",
          .cancel_url = "https://gazette.test/offers"};
}

TEST(StripeGateway, CreatesACheckoutSessionForAPlan) {
  REQUIRE_PYTHON();
  FakeStripe fake;
  ASSERT_GT(fake.port(), 0) << "fake_stripe.py did not start";
  StripeConfig config = config_for(fake);
  config.api_version = "2024-06-20";
  StripeGateway gateway(config);
  EXPECT_EQ(gateway.name(), "stripe");
  auto checkout = gateway.create_checkout(checkout_request());
  ASSERT_TRUE(checkout) << checkout.error().message;
  EXPECT_TRUE(checkout->session_id.starts_with("cs_test_")) << checkout->session_id;
  EXPECT_EQ(checkout->redirect_url, "https://checkout.stripe.test/c/pay/" + checkout->session_id);

  auto requests = fake.api_requests();
  ASSERT_EQ(requests.size(), 1u);
  const json::value& r = requests[0];
  EXPECT_EQ(r.at("method").as_string(), "POST");
  EXPECT_EQ(r.at("path").as_string(), "/v1/checkout/sessions");
  EXPECT_EQ(header_of(r, "Authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(header_of(r, "Stripe-Version"), "2024-06-20");
  EXPECT_EQ(header_of(r, "Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_GE(header_of(r, "Idempotency-Key").size(), 32u);
  const std::map<std::string, std::string> expected = {
      {"mode", "subscription"},
      {"line_items[0][price]", "price_monthly_2900"},
      {"line_items[0][quantity]", "1"},
      {"client_reference_id", "1234"},
      {"customer_email", "reader@example.com"},
      {"success_url", "https://gazette.test/subscribe/done?session={CHECKOUT_SESSION_ID}"},
      {"cancel_url", "https://gazette.test/offers"},
      {"metadata[account_id]", "1234"},
      {"metadata[plan]", "digital-monthly"},
      {"subscription_data[metadata][account_id]", "1234"},
      {"subscription_data[metadata][plan]", "digital-monthly"},
  };
  EXPECT_EQ(form_of(r), expected);
}

TEST(StripeGateway, TrialOffersAskForTrialDays) {
  REQUIRE_PYTHON();
  FakeStripe fake;
  ASSERT_GT(fake.port(), 0);
  StripeGateway gateway(config_for(fake));
  ASSERT_TRUE(gateway.create_checkout(checkout_request(trial_offer())));
  ASSERT_TRUE(gateway.create_checkout(checkout_request(trial_offer(100))));
  auto requests = fake.api_requests();
  ASSERT_EQ(requests.size(), 2u);
  auto free_trial = form_of(requests[0]);
  EXPECT_EQ(free_trial["subscription_data[trial_period_days]"], "14");
  EXPECT_EQ(free_trial["metadata[offer]"], "try-14");
  EXPECT_EQ(free_trial["subscription_data[metadata][offer]"], "try-14");
  EXPECT_EQ(free_trial.count("line_items[1][price_data][unit_amount]"), 0u);
  EXPECT_EQ(free_trial.count("discounts[0][coupon]"), 0u);
  auto paid_trial = form_of(requests[1]);
  EXPECT_EQ(paid_trial["subscription_data[trial_period_days]"], "14");
  EXPECT_EQ(paid_trial["line_items[1][price_data][unit_amount]"], "100");
  EXPECT_EQ(paid_trial["line_items[1][price_data][currency]"], "usd");
  EXPECT_EQ(paid_trial["line_items[1][price_data][product_data][name]"], "Trial: Digital, monthly");
  // Each call its own idempotency key.
  EXPECT_NE(header_of(requests[0], "Idempotency-Key"), header_of(requests[1], "Idempotency-Key"));
}

TEST(StripeGateway, IntroOffersUseACouponCreatedOnce) {
  REQUIRE_PYTHON();
  FakeStripe fake;
  ASSERT_GT(fake.port(), 0);
  StripeGateway gateway(config_for(fake));
  ASSERT_TRUE(gateway.create_checkout(checkout_request(intro_offer())));
  auto second = gateway.create_checkout(checkout_request(intro_offer()));
  ASSERT_TRUE(second) << second.error().message;
  auto requests = fake.api_requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].at("path").as_string(), "/v1/coupons");
  auto coupon = form_of(requests[0]);
  const std::string id = "masthead-winter-2026-2000usd-3m";
  EXPECT_EQ(StripeGateway::coupon_id(intro_offer(), monthly()), id);
  EXPECT_EQ(coupon["id"], id);
  EXPECT_EQ(coupon["amount_off"], "2000");
  EXPECT_EQ(coupon["currency"], "usd");
  EXPECT_EQ(coupon["duration"], "repeating");
  EXPECT_EQ(coupon["duration_in_months"], "3");
  EXPECT_EQ(form_of(requests[1])["discounts[0][coupon]"], id);
  EXPECT_EQ(form_of(requests[1])["metadata[offer]"], "winter-2026");
  // The second checkout asked again, got resource_already_exists, and went on.
  EXPECT_EQ(requests[2].at("path").as_string(), "/v1/coupons");
  EXPECT_EQ(form_of(requests[3])["discounts[0][coupon]"], id);

  // A yearly plan counts its intro intervals in years.
  billing::Offer yearly_offer = intro_offer();
  yearly_offer.plan_code = "digital-yearly";
  yearly_offer.intro_price_minor = 19000;
  yearly_offer.intro_intervals = 1;
  EXPECT_EQ(StripeGateway::coupon_id(yearly_offer, yearly()), "masthead-winter-2026-10000usd-12m");
}

TEST(StripeGateway, ConfiguredCouponsAreUsedAsGiven) {
  REQUIRE_PYTHON();
  FakeStripe fake;
  ASSERT_GT(fake.port(), 0);
  Logged logged;
  StripeConfig config = config_for(fake, &logged);
  config.coupons = {{"winter-2026", "WINTER_CONFIGURED"}};
  StripeGateway gateway(config);
  // The fake knows no such coupon: Stripe's 400 is a refusal, not an outage.
  auto checkout = gateway.create_checkout(checkout_request(intro_offer()));
  ASSERT_FALSE(checkout);
  EXPECT_NE(checkout.error().message.find("could not handle"), std::string::npos);
  EXPECT_NE(logged.all().find("HTTP 400 invalid_request_error (resource_missing): No such coupon"),
            std::string::npos)
      << logged.all();
  auto requests = fake.api_requests();
  ASSERT_EQ(requests.size(), 1u) << "no coupon is created when one is configured";
  EXPECT_EQ(form_of(requests[0])["discounts[0][coupon]"], "WINTER_CONFIGURED");
}

TEST(StripeGateway, APlanWithoutAPriceIsRefusedBeforeAnyRequest) {
  REQUIRE_PYTHON();
  FakeStripe fake;
  ASSERT_GT(fake.port(), 0);
  Logged logged;
  StripeGateway gateway(config_for(fake, &logged));
  billing::Plan print = monthly();
  print.code = "print-weekend";
  auto checkout = gateway.create_checkout(checkout_request(std::nullopt, print));
  ASSERT_FALSE(checkout);
  EXPECT_NE(checkout.error().message.find("cannot be paid for online"), std::string::npos);
  EXPECT_NE(logged.all().find("print-weekend"), std::string::npos);
  EXPECT_TRUE(fake.api_requests().empty());
}

TEST(StripeGateway, ServerErrorsAreRetriedWithTheSameIdempotencyKey) {
  REQUIRE_PYTHON();
  FakeStripe fake;
  ASSERT_GT(fake.port(), 0);
  fake.control("/_fake/fail", {{"count", 1}, {"status", 500}, {"path", "/v1/checkout/sessions"}});
  StripeGateway gateway(config_for(fake));
  auto checkout = gateway.create_checkout(checkout_request());
  ASSERT_TRUE(checkout) << checkout.error().message;
  auto requests = fake.api_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(header_of(requests[0], "Idempotency-Key"), header_of(requests[1], "Idempotency-Key"));
  EXPECT_EQ(requests[0].at("body"), requests[1].at("body"));
}

TEST(StripeGateway, AnOutageIsAnErrorReadersMaySeeWithDetailsInTheLog) {
  REQUIRE_PYTHON();
  FakeStripe fake;
  ASSERT_GT(fake.port(), 0);
  fake.control("/_fake/fail", {{"count", 5}, {"status", 503}, {"message", "Stripe is down"}});
  Logged logged;
  StripeGateway gateway(config_for(fake, &logged));
  auto checkout = gateway.create_checkout(checkout_request());
  ASSERT_FALSE(checkout);
  EXPECT_EQ(checkout.error().message,
            "The payment provider is unavailable at the moment; please try again in a few "
            "minutes.");
  EXPECT_EQ(fake.api_requests().size(), 2u) << "one try and max_retries (1) retry";
  const std::string log = logged.all();
  EXPECT_NE(log.find("HTTP 503 api_error: Stripe is down [req_"), std::string::npos) << log;
  EXPECT_EQ(log.find(kKey), std::string::npos) << "the secret key was logged";
}

TEST(StripeGateway, AWrongKeyIsARefusalAndNeverLogged) {
  REQUIRE_PYTHON();
  FakeStripe fake;
  ASSERT_GT(fake.port(), 0);
  Logged logged;
  StripeConfig config = config_for(fake, &logged);
  config.secret_key = "sk_test_wrong_key_123";
  StripeGateway gateway(config);
  auto checkout = gateway.create_checkout(checkout_request());
  ASSERT_FALSE(checkout);
  EXPECT_NE(checkout.error().message.find("could not handle"), std::string::npos);
  EXPECT_EQ(fake.api_requests().size(), 1u) << "a 401 is not retried";
  EXPECT_NE(logged.all().find("HTTP 401"), std::string::npos) << logged.all();
  EXPECT_EQ(logged.all().find("sk_test_wrong_key_123"), std::string::npos);
}

TEST(StripeGateway, ATimeoutIsAnOutage) {
  REQUIRE_PYTHON();
  FakeStripe fake;
  ASSERT_GT(fake.port(), 0);
  // The fake answers after 30 s, a hundred times the client's timeout: only
  // the timeout can end the call, and the log must say so (curl's "Timeout
  // was reached"). The fake is stopped, mid-delay, when the test ends.
  fake.control("/_fake/fail", {{"count", 1}, {"status", 0}, {"delay", 30}});
  Logged logged;
  StripeConfig config = config_for(fake, &logged);
  config.http.timeout = 300ms;
  config.max_retries = 0;
  StripeGateway gateway(config);
  auto checkout = gateway.create_checkout(checkout_request());
  ASSERT_FALSE(checkout);
  EXPECT_NE(checkout.error().message.find("unavailable"), std::string::npos);
  EXPECT_NE(logged.all().find("Timeout"), std::string::npos) << logged.all();
}

billing::Subscription stripe_subscription(const std::string& id) {
  billing::Subscription s;
  s.id = 7;
  s.account_id = 1234;
  s.plan_code = "digital-monthly";
  s.gateway = "stripe";
  s.gateway_subscription_id = id;
  return s;
}

TEST(StripeGateway, CancelsAndResumesAtPeriodEnd) {
  REQUIRE_PYTHON();
  FakeStripe fake;
  ASSERT_GT(fake.port(), 0);
  fake.control("/_fake/subscriptions", {{"id", "sub_123"}, {"price", "price_monthly_2900"}});
  Logged logged;
  StripeGateway gateway(config_for(fake, &logged));
  auto cancelled = gateway.cancel_at_period_end(stripe_subscription("sub_123"));
  ASSERT_TRUE(cancelled) << cancelled.error().message << logged.all();
  auto resumed = gateway.resume(stripe_subscription("sub_123"));
  ASSERT_TRUE(resumed) << resumed.error().message;
  auto requests = fake.api_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].at("path").as_string(), "/v1/subscriptions/sub_123");
  EXPECT_EQ(form_of(requests[0]),
            (std::map<std::string, std::string>{{"cancel_at_period_end", "true"}}));
  EXPECT_EQ(form_of(requests[1]),
            (std::map<std::string, std::string>{{"cancel_at_period_end", "false"}}));
  EXPECT_NE(header_of(requests[0], "Idempotency-Key"), "<none>");

  // Unknown to Stripe: a refusal, with Stripe's words in the log.
  auto missing = gateway.cancel_at_period_end(stripe_subscription("sub_unknown"));
  ASSERT_FALSE(missing);
  EXPECT_NE(logged.all().find("HTTP 404 invalid_request_error (resource_missing)"),
            std::string::npos);
  // No Stripe id at all: refused without a request.
  EXPECT_FALSE(gateway.resume(stripe_subscription("")));
  EXPECT_EQ(fake.api_requests().size(), 3u);
  // A hostile id cannot leave the path segment.
  EXPECT_FALSE(gateway.resume(stripe_subscription("../v1/coupons")));
  EXPECT_EQ(fake.api_requests().back().at("path").as_string(),
            "/v1/subscriptions/..%2Fv1%2Fcoupons");
}

TEST(StripeGateway, ChangesThePlanOfTheSubscriptionItem) {
  REQUIRE_PYTHON();
  FakeStripe fake;
  ASSERT_GT(fake.port(), 0);
  json::value sub =
      fake.control("/_fake/subscriptions", {{"id", "sub_456"}, {"price", "price_monthly_2900"}});
  const std::string item(sub.at("items").at("data").at(0).at("id").as_string());
  StripeGateway gateway(config_for(fake));
  auto changed = gateway.change_plan(stripe_subscription("sub_456"), yearly());
  ASSERT_TRUE(changed) << changed.error().message;
  auto requests = fake.api_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].at("method").as_string(), "GET");
  EXPECT_EQ(requests[1].at("method").as_string(), "POST");
  EXPECT_EQ(form_of(requests[1]),
            (std::map<std::string, std::string>{{"items[0][id]", item},
                                                {"items[0][price]", "price_yearly_29000"},
                                                {"metadata[plan]", "digital-yearly"},
                                                {"proration_behavior", "create_prorations"}}));
  // The fake applied it: the subscription now has the yearly price.
  HttpOptions direct;
  direct.proxy = "";
  HttpResult after = HttpClient(direct).get(fake.api_base() + "/v1/subscriptions/sub_456",
                                            {{"Authorization", std::string("Bearer ") + kKey}});
  ASSERT_TRUE(after);
  EXPECT_EQ(json::parse(after.response->body).at("items").at("data").at(0).at("price").at("id"),
            "price_yearly_29000");
}

TEST(StripeGateway, WebhooksOfTheCheckoutNameItsAccountPlanAndOffer) {
  REQUIRE_PYTHON();
  FakeStripe fake;
  ASSERT_GT(fake.port(), 0);
  StripeGateway gateway(config_for(fake));
  auto checkout = gateway.create_checkout(checkout_request(intro_offer()));
  ASSERT_TRUE(checkout) << checkout.error().message;
  const std::string secret = "whsec_test_secret";
  const std::int64_t now = 1'800'000'000;
  json::value done =
      fake.control("/_fake/complete_checkout", {{"session", checkout->session_id},
                                                {"webhook_url", fake.api_base() + "/hooks/stripe"},
                                                {"secret", secret},
                                                {"now", now},
                                                {"timestamp", now}});
  // The fake posted the events to itself: read them back as Masthead would receive them.
  std::vector<json::value> hooks;
  for (auto& r : fake.requests())
    if (r.at("path").as_string() == "/hooks/stripe") hooks.push_back(r);
  ASSERT_EQ(hooks.size(), 3u) << json::serialize(done);
  std::vector<std::string> types;
  for (auto& hook : hooks) {
    const std::string body(hook.at("body").as_string());
    ASSERT_EQ(billing::verify_stripe_signature(header_of(hook, "Stripe-Signature"), body, secret,
                                               base::from_unix_seconds(now + 10)),
              billing::StripeSignature::kValid);
    auto event = billing::parse_stripe_event(body);
    ASSERT_TRUE(event) << event.error().message;
    types.push_back(event->type);
    ASSERT_TRUE(event->event) << event->type << ": " << event->ignored;
    EXPECT_EQ(event->event->account_id, 1234) << event->type;
    EXPECT_EQ(event->event->plan_code, "digital-monthly") << event->type;
    EXPECT_FALSE(event->event->subscription_id.empty());
    if (event->type != "invoice.paid") {
      EXPECT_EQ(event->event->offer_code, "winter-2026");
    }
  }
  EXPECT_EQ(types, (std::vector<std::string>{"checkout.session.completed",
                                             "customer.subscription.created", "invoice.paid"}));
}

}  // namespace
}  // namespace masthead::payments
