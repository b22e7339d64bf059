// Stripe webhooks: the signature table (valid, two v1 of which one is valid,
// tampered body, wrong secret, 300 s and 301 s old, from the future,
// malformed headers), a signature computed independently of
// sign_stripe_payload(), the mapping of each event type, and hostile JSON.
#include "billing/stripe_events.h"

#include <gtest/gtest.h>

#include "base/iso_time.h"

namespace masthead::billing {
namespace {

using namespace std::chrono_literals;

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

const base::TimePoint kNow = at("2026-11-18T07:30:00Z");  // 1794987000
constexpr const char* kSecret = "whsec_test_secret";
constexpr const char* kBody = R"({"id":"evt_1","object":"event"})";

std::string v1_of(const std::string& header) {
  return header.substr(header.find("v1=") + 3);
}

TEST(StripeSignature, TheTable) {
  const std::string signed_now = sign_stripe_payload(kBody, kSecret, kNow);
  const std::string t = std::to_string(base::to_unix_seconds(kNow));
  const std::string good = v1_of(signed_now);
  const std::string other = v1_of(sign_stripe_payload(kBody, "whsec_old", kNow));
  struct Row {
    const char* what;
    std::string header;
    std::string body;
    std::string secret;
    base::TimePoint now;
    StripeSignature expected;
  };
  const Row rows[] = {
      {"valid", signed_now, kBody, kSecret, kNow, StripeSignature::kValid},
      {"valid, spaces and a v0", "t=" + t + ", v0=abc, v1=" + good, kBody, kSecret, kNow,
       StripeSignature::kValid},
      {"two v1, the second valid", "t=" + t + ",v1=" + other + ",v1=" + good, kBody, kSecret, kNow,
       StripeSignature::kValid},
      {"two v1, the first valid", "t=" + t + ",v1=" + good + ",v1=" + other, kBody, kSecret, kNow,
       StripeSignature::kValid},
      {"uppercase hex is the same bytes",
       "t=" + t + ",v1=" +
           [&] {
             std::string up = good;
             for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
             return up;
           }(),
       kBody, kSecret, kNow, StripeSignature::kValid},
      {"tampered body", signed_now, R"({"id":"evt_2","object":"event"})", kSecret, kNow,
       StripeSignature::kMismatch},
      {"a byte appended to the body", signed_now, std::string(kBody) + " ", kSecret, kNow,
       StripeSignature::kMismatch},
      {"wrong secret", signed_now, kBody, "whsec_other", kNow, StripeSignature::kMismatch},
      {"timestamp changed", "t=" + std::to_string(base::to_unix_seconds(kNow) + 1) + ",v1=" + good,
       kBody, kSecret, kNow + 1s, StripeSignature::kMismatch},
      {"v1 of another secret only", "t=" + t + ",v1=" + other, kBody, kSecret, kNow,
       StripeSignature::kMismatch},
      {"v1 too short", "t=" + t + ",v1=" + good.substr(0, 62), kBody, kSecret, kNow,
       StripeSignature::kMismatch},
      {"v1 not hex", "t=" + t + ",v1=" + std::string(64, 'z'), kBody, kSecret, kNow,
       StripeSignature::kMismatch},
      {"only v0", "t=" + t + ",v0=" + good, kBody, kSecret, kNow, StripeSignature::kNoSignature},
      {"300 s old", signed_now, kBody, kSecret, kNow + 300s, StripeSignature::kValid},
      {"301 s old", signed_now, kBody, kSecret, kNow + 301s, StripeSignature::kTooOld},
      {"5 s in the future (clock skew)", signed_now, kBody, kSecret, kNow - 5s,
       StripeSignature::kValid},
      {"6 s in the future", signed_now, kBody, kSecret, kNow - 6s, StripeSignature::kFromTheFuture},
      {"an hour in the future", signed_now, kBody, kSecret, kNow - 1h,
       StripeSignature::kFromTheFuture},
      {"forged and old: mismatch first", signed_now, "x", kSecret, kNow + 1h,
       StripeSignature::kMismatch},
      {"empty header", "", kBody, kSecret, kNow, StripeSignature::kMalformedHeader},
      {"no t", "v1=" + good, kBody, kSecret, kNow, StripeSignature::kNoTimestamp},
      {"no v1", "t=" + t, kBody, kSecret, kNow, StripeSignature::kNoSignature},
      {"t twice", "t=" + t + ",t=" + t + ",v1=" + good, kBody, kSecret, kNow,
       StripeSignature::kMalformedHeader},
      {"t negative", "t=-" + t + ",v1=" + good, kBody, kSecret, kNow,
       StripeSignature::kMalformedHeader},
      {"t not a number", "t=now,v1=" + good, kBody, kSecret, kNow,
       StripeSignature::kMalformedHeader},
      {"t huge", "t=99999999999999999999,v1=" + good, kBody, kSecret, kNow,
       StripeSignature::kMalformedHeader},
      {"an item without '='", "t=" + t + ",v1", kBody, kSecret, kNow,
       StripeSignature::kMalformedHeader},
      {"a trailing comma", signed_now + ",", kBody, kSecret, kNow,
       StripeSignature::kMalformedHeader},
      {"semicolons", "t=" + t + ";v1=" + good, kBody, kSecret, kNow,
       StripeSignature::kMalformedHeader},
  };
  for (const Row& row : rows)
    EXPECT_EQ(signature_name(verify_stripe_signature(row.header, row.body, row.secret, row.now)),
              signature_name(row.expected))
        << row.what << ": " << row.header;
}

// Known answer, computed independently (Python: hmac.new(secret, t + "." + body, sha256)):
// the same bytes as `printf %s "$t.$body" | openssl dgst -sha256 -hmac "$secret"`.
TEST(StripeSignature, MatchesAnIndependentHmac) {
  EXPECT_EQ(base::to_unix_seconds(kNow), 1794987000);
  EXPECT_EQ(sign_stripe_payload(kBody, kSecret, kNow),
            "t=1794987000,v1=5400dc633b11a7c23786db3f5555b86b2be54219155645c141fa6b5d4ba9fbde");
}

TEST(StripeSignature, AShorterToleranceIsHonoured) {
  const std::string header = sign_stripe_payload(kBody, kSecret, kNow);
  EXPECT_EQ(verify_stripe_signature(header, kBody, kSecret, kNow + 60s, 60s),
            StripeSignature::kValid);
  EXPECT_EQ(verify_stripe_signature(header, kBody, kSecret, kNow + 61s, 60s),
            StripeSignature::kTooOld);
}

const char* kSubscriptionUpdated = R"({
  "id": "evt_sub_1", "object": "event", "type": "customer.subscription.updated",
  "created": 1794987000,
  "data": {"object": {
    "id": "sub_1", "object": "subscription", "customer": "cus_7", "status": "past_due",
    "cancel_at_period_end": true, "trial_end": null,
    "current_period_start": 1795001000, "current_period_end": 1797593000,
    "metadata": {"account_id": "7", "plan": "old-plan", "offer": "winter"},
    "items": {"object": "list", "data": [{"price": {"lookup_key": "digital-monthly"}}]}
  }}
})";

TEST(StripeEvents, ASubscriptionUpdate) {
  const base::Result<StripeEvent> parsed = parse_stripe_event(kSubscriptionUpdated);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->id, "evt_sub_1");
  EXPECT_EQ(parsed->type, "customer.subscription.updated");
  ASSERT_TRUE(parsed->event);
  const PaymentEvent& e = *parsed->event;
  EXPECT_EQ(e.gateway, "stripe");
  EXPECT_EQ(e.id, "evt_sub_1");
  EXPECT_EQ(e.created_at, kNow);
  EXPECT_EQ(e.type, PaymentEventType::kSubscriptionUpdated);
  EXPECT_EQ(e.account_id, 7);
  EXPECT_EQ(e.customer_id, "cus_7");
  EXPECT_EQ(e.subscription_id, "sub_1");
  EXPECT_EQ(e.plan_code, "digital-monthly");  // lookup_key wins over metadata.plan
  EXPECT_EQ(e.offer_code, "winter");
  EXPECT_EQ(e.status, SubscriptionState::kPastDue);
  EXPECT_EQ(e.cancel_at_period_end, true);
  EXPECT_FALSE(e.trial_end);
  ASSERT_TRUE(e.period);
  EXPECT_EQ(base::to_unix_seconds(e.period->start), 1795001000);
  EXPECT_EQ(base::to_unix_seconds(e.period->end), 1797593000);
}

TEST(StripeEvents, EachTypeMaps) {
  struct Row {
    const char* json;
    PaymentEventType type;
    const char* subscription;
    std::optional<SubscriptionState> status;
  };
  const Row rows[] = {
      {R"({"id":"e1","type":"checkout.session.completed","created":1794987000,"data":{"object":{
          "mode":"subscription","customer":"cus_7","subscription":"sub_1",
          "client_reference_id":"7","metadata":{"plan":"digital-monthly"}}}})",
       PaymentEventType::kCheckoutCompleted, "sub_1", std::nullopt},
      {R"({"id":"e2","type":"customer.subscription.created","created":1794987000,"data":{"object":{
          "id":"sub_2","status":"trialing","trial_end":1796211000,"customer":"cus_7",
          "items":{"data":[{"current_period_start":1794987000,"current_period_end":1796211000,
          "price":{"lookup_key":"digital-monthly"}}]}}}})",
       PaymentEventType::kSubscriptionUpdated, "sub_2", SubscriptionState::kTrialing},
      {R"({"id":"e3","type":"customer.subscription.deleted","created":1794987000,"data":{"object":{
          "id":"sub_3","status":"canceled","customer":"cus_7"}}})",
       PaymentEventType::kSubscriptionDeleted, "sub_3", SubscriptionState::kExpired},
      {R"({"id":"e4","type":"invoice.paid","created":1794987000,"data":{"object":{
          "subscription":"sub_4","customer":"cus_7","period_start":1,"period_end":2,
          "lines":{"data":[{"period":{"start":1794987000,"end":1797593400},
          "metadata":{"account_id":"7"},"price":{"lookup_key":"digital-monthly"}}]}}}})",
       PaymentEventType::kInvoicePaid, "sub_4", std::nullopt},
      {R"({"id":"e5","type":"invoice.payment_failed","created":1794987000,"data":{"object":{
          "parent":{"subscription_details":{"subscription":"sub_5","metadata":{"account_id":"7"}}},
          "customer":"cus_7"}}})",
       PaymentEventType::kInvoicePaymentFailed, "sub_5", std::nullopt},
      {R"({"id":"e6","type":"customer.subscription.updated","created":1794987000,"data":{"object":{
          "id":"sub_6","status":"unpaid"}}})",
       PaymentEventType::kSubscriptionUpdated, "sub_6", SubscriptionState::kPastDue},
  };
  for (const Row& row : rows) {
    const base::Result<StripeEvent> parsed = parse_stripe_event(row.json);
    ASSERT_TRUE(parsed) << row.json << ": " << parsed.error().message;
    ASSERT_TRUE(parsed->event) << row.json << ": " << parsed->ignored;
    EXPECT_EQ(parsed->event->type, row.type) << row.json;
    EXPECT_EQ(parsed->event->subscription_id, row.subscription) << row.json;
    EXPECT_EQ(parsed->event->status, row.status) << row.json;
  }
  const PaymentEvent checkout = parse_stripe_event(rows[0].json)->event.value();
  EXPECT_EQ(checkout.account_id, 7);  // from client_reference_id
  EXPECT_EQ(checkout.plan_code, "digital-monthly");
  const PaymentEvent trial = parse_stripe_event(rows[1].json)->event.value();
  EXPECT_EQ(base::to_unix_seconds(trial.trial_end.value()), 1796211000);
  EXPECT_EQ(base::to_unix_seconds(trial.period.value().end), 1796211000);  // from items
  const PaymentEvent paid = parse_stripe_event(rows[3].json)->event.value();
  EXPECT_EQ(base::to_unix_seconds(paid.period.value().start), 1794987000);  // the line's period
  EXPECT_EQ(paid.account_id, 7);
  EXPECT_EQ(parse_stripe_event(rows[4].json)->event->account_id, 7);
}

TEST(StripeEvents, UninterestingEventsAreIgnoredNotErrors) {
  const char* rows[] = {
      R"({"id":"e1","type":"customer.created","created":1794987000,"data":{"object":{}}})",
      R"({"id":"e2","type":"charge.succeeded","created":1794987000})",
      R"({"id":"e3","type":"checkout.session.completed","created":1794987000,
          "data":{"object":{"mode":"payment"}}})",
      R"({"id":"e4","type":"invoice.paid","created":1794987000,"data":{"object":{"customer":"c"}}})",
      R"({"id":"e5","type":"customer.subscription.created","created":1794987000,
          "data":{"object":{"id":"sub_1","status":"incomplete"}}})",
  };
  for (const char* json : rows) {
    const base::Result<StripeEvent> parsed = parse_stripe_event(json);
    ASSERT_TRUE(parsed) << json << ": " << parsed.error().message;
    EXPECT_FALSE(parsed->event) << json;
    EXPECT_FALSE(parsed->ignored.empty()) << json;
  }
}

TEST(StripeEvents, HostileJsonIsAnErrorNeverACrash) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string huge(2 << 20, ' ');
  struct Row {
    std::string json;
    const char* error;
  };
  const Row rows[] = {
      {"", "not JSON"},
      {"{", "not JSON"},
      {"[]", "not a JSON object"},
      {"null", "not a JSON object"},
      {deep, "not JSON"},
      {huge, "larger than 1 MiB"},
      {R"({"type":"invoice.paid","created":1})", "no usable id"},
      {R"({"id":7,"type":"invoice.paid","created":1})", "no usable id"},
      {R"({"id":"e","created":1})", "no type"},
      {R"({"id":"e","type":"invoice.paid"})", "no creation time"},
      {R"({"id":"e","type":"invoice.paid","created":-1})", "not a Unix time"},
      {R"({"id":"e","type":"invoice.paid","created":1e300})", "not a Unix time"},
      {R"({"id":"e","type":"invoice.paid","created":"1794987000"})", "not a Unix time"},
      {R"({"id":"e","type":"invoice.paid","created":18446744073709551615})", "not a Unix time"},
      {R"({"id":"e","type":"invoice.paid","created":1})", "no data.object"},
      {R"({"id":"e","type":"invoice.paid","created":1,"data":{"object":[]}})", "no data.object"},
      {R"({"id":"e","type":"customer.subscription.updated","created":1,"data":{"object":{
          "id":"sub_1","status":"sleeping"}}})",
       "not one Stripe has"},
      {R"({"id":"e","type":"customer.subscription.updated","created":1,"data":{"object":{
          "status":"active"}}})",
       "without an id"},
      {R"({"id":"e","type":"customer.subscription.updated","created":1,"data":{"object":{
          "id":"sub_1","status":"active","current_period_start":5,"current_period_end":4}}})",
       "ends"},
      {R"({"id":"e","type":"customer.subscription.updated","created":1,"data":{"object":{
          "id":"sub_1","status":"active","current_period_start":5,"current_period_end":1e99}}})",
       "not a Unix time"},
      {R"({"id":"e","type":"customer.subscription.updated","created":1,"data":{"object":{
          "id":"sub_1","status":"active","metadata":{"account_id":"7; DROP"}}}})",
       "not a positive integer"},
      {R"({"id":"e","type":"customer.subscription.updated","created":1,"data":{"object":{
          "id":"sub_1","status":"active","metadata":{"account_id":"99999999999999999999"}}}})",
       "not a positive integer"},
      {R"({"id":"e","type":"checkout.session.completed","created":1,"data":{"object":{
          "mode":"subscription","client_reference_id":"-3","subscription":"sub_1"}}})",
       "not a positive integer"},
      {R"({"id":"e","type":"checkout.session.completed","created":1,"data":{"object":{
          "mode":"subscription","client_reference_id":"3"}}})",
       "without a subscription id"},
  };
  for (const Row& row : rows) {
    const base::Result<StripeEvent> parsed = parse_stripe_event(row.json);
    ASSERT_FALSE(parsed) << row.json.substr(0, 200);
    EXPECT_NE(parsed.error().message.find(row.error), std::string::npos)
        << row.json.substr(0, 200) << ": " << parsed.error().message;
  }
  // Wrong types in optional places are treated as absent, not trusted.
  const base::Result<StripeEvent> odd = parse_stripe_event(
      R"({"id":"e","type":"customer.subscription.updated","created":1,"data":{"object":{
          "id":"sub_1","status":"active","customer":5,"cancel_at_period_end":"yes",
          "items":{"data":"nope"},"metadata":[1,2]}}})");
  ASSERT_TRUE(odd) << odd.error().message;
  EXPECT_EQ(odd->event->customer_id, "");
  EXPECT_FALSE(odd->event->cancel_at_period_end);
  EXPECT_FALSE(odd->event->account_id);
  EXPECT_FALSE(odd->event->period);
}

}  // namespace
}  // namespace masthead::billing
