// See stripe_events.h. Nothing here throws on input: the JSON is read with
// Boost.JSON's error codes and checked accessors, every field is looked up
// with its type, and every number is range-checked before it becomes a time.
#include "billing/stripe_events.h"

#include <sodium.h>

#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <vector>

#include "base/iso_time.h"

namespace masthead::billing {
namespace {

namespace json = boost::json;

constexpr std::size_t kMacBytes = crypto_auth_hmacsha256_BYTES;
constexpr std::size_t kMaxEventBytes = 1 << 20;
// Times Stripe can send: from 1970 to 2200 (base::from_unix_seconds' range with room to spare).
constexpr std::int64_t kMaxUnixSeconds = 7258118400;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::array<unsigned char, kMacBytes> hmac(std::string_view secret, std::string_view timestamp,
                                          std::string_view body) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(timestamp.data()),
                                timestamp.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>("."), 1);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  std::array<unsigned char, kMacBytes> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return mac;
}

// --- JSON accessors: nullptr / nullopt for absent, null or of another type.

const json::object* object_at(const json::object* o, std::string_view key) {
  if (o == nullptr) return nullptr;
  const json::value* v = o->if_contains(key);
  return v ? v->if_object() : nullptr;
}

std::optional<std::string> string_at(const json::object* o, std::string_view key) {
  if (o == nullptr) return std::nullopt;
  const json::value* v = o->if_contains(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

std::optional<std::int64_t> integer_at(const json::object* o, std::string_view key) {
  if (o == nullptr) return std::nullopt;
  const json::value* v = o->if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (const std::int64_t* i = v->if_int64()) return *i;
  if (const std::uint64_t* u = v->if_uint64())
    if (*u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(*u);
  return std::nullopt;
}

std::optional<bool> bool_at(const json::object* o, std::string_view key) {
  if (o == nullptr) return std::nullopt;
  const json::value* v = o->if_contains(key);
  if (v == nullptr || !v->is_bool()) return std::nullopt;
  return v->get_bool();
}

// o[key].data[0] as an object (Stripe's lists).
const json::object* first_of_list(const json::object* o, std::string_view key) {
  const json::object* list = object_at(o, key);
  if (list == nullptr) return nullptr;
  const json::value* data = list->if_contains("data");
  const json::array* items = data ? data->if_array() : nullptr;
  if (items == nullptr || items->empty()) return nullptr;
  return (*items)[0].if_object();
}

// A Unix time field: absent/null is nullopt; present but out of range is an error.
base::Result<std::optional<base::TimePoint>> time_at(const json::object* o, std::string_view key) {
  if (o == nullptr) return std::optional<base::TimePoint>();
  const json::value* v = o->if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<base::TimePoint>();
  const std::optional<std::int64_t> seconds = integer_at(o, key);
  if (!seconds || *seconds < 0 || *seconds > kMaxUnixSeconds)
    return base::Error{"field '" + std::string(key) + "' is not a Unix time"};
  return std::optional<base::TimePoint>(base::from_unix_seconds(*seconds));
}

// A period from two time fields of `o`; nullopt unless both are there.
base::Result<std::optional<BillingPeriod>> period_at(const json::object* o,
                                                     std::string_view start_key,
                                                     std::string_view end_key) {
  auto start = time_at(o, start_key);
  if (!start) return start.error();
  auto end = time_at(o, end_key);
  if (!end) return end.error();
  if (!start.value() || !end.value()) return std::optional<BillingPeriod>();
  if (*end.value() < *start.value())
    return base::Error{"the period ends (" + std::string(end_key) + ") before it starts"};
  return std::optional<BillingPeriod>(BillingPeriod{*start.value(), *end.value()});
}

base::Result<std::optional<std::int64_t>> account_id_from(std::optional<std::string> text) {
  if (!text || text->empty()) return std::optional<std::int64_t>();
  std::int64_t id = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, id);
  if (ec != std::errc() || ptr != end || id <= 0)
    return base::Error{"metadata account_id '" + text->substr(0, 40) +
                       "' is not a positive integer"};
  return std::optional<std::int64_t>(id);
}

std::string string_or_empty(const json::object* o, std::string_view key) {
  return string_at(o, key).value_or("");
}

// Stripe's subscription.status -> ours; nullopt for "incomplete" (ignored) and unknown values.
std::optional<SubscriptionState> state_from_stripe(std::string_view status) {
  if (status == "trialing") return SubscriptionState::kTrialing;
  if (status == "active") return SubscriptionState::kActive;
  if (status == "past_due" || status == "unpaid") return SubscriptionState::kPastDue;
  if (status == "canceled" || status == "incomplete_expired" || status == "paused")
    return SubscriptionState::kExpired;
  return std::nullopt;
}

StripeEvent ignored(StripeEvent e, std::string why) {
  e.event.reset();
  e.ignored = std::move(why);
  return e;
}

base::Result<StripeEvent> read_checkout(StripeEvent out, PaymentEvent event,
                                        const json::object* o) {
  const std::string mode = string_or_empty(o, "mode");
  if (mode != "subscription") return ignored(std::move(out), "a checkout in mode '" + mode + "'");
  event.type = PaymentEventType::kCheckoutCompleted;
  event.subscription_id = string_or_empty(o, "subscription");
  event.customer_id = string_or_empty(o, "customer");
  const json::object* metadata = object_at(o, "metadata");
  std::optional<std::string> account = string_at(metadata, "account_id");
  if (!account) account = string_at(o, "client_reference_id");
  auto id = account_id_from(account);
  if (!id) return id.error();
  event.account_id = id.value();
  event.plan_code = string_or_empty(metadata, "plan");
  event.offer_code = string_or_empty(metadata, "offer");
  if (event.subscription_id.empty())
    return base::Error{"checkout session without a subscription id"};
  out.event = std::move(event);
  return out;
}

base::Result<StripeEvent> read_subscription(StripeEvent out, PaymentEvent event,
                                            const json::object* o, bool deleted) {
  event.type =
      deleted ? PaymentEventType::kSubscriptionDeleted : PaymentEventType::kSubscriptionUpdated;
  event.subscription_id = string_or_empty(o, "id");
  if (event.subscription_id.empty()) return base::Error{"subscription object without an id"};
  event.customer_id = string_or_empty(o, "customer");
  const std::string status = string_or_empty(o, "status");
  event.status = state_from_stripe(status);
  if (!deleted && !event.status) {
    if (status == "incomplete")
      return ignored(std::move(out), "subscription incomplete: no access before the first payment");
    return base::Error{"subscription status '" + status.substr(0, 40) + "' is not one Stripe has"};
  }
  const json::object* item = first_of_list(o, "items");
  auto period = period_at(o, "current_period_start", "current_period_end");
  if (!period) return period.error();
  if (!period.value()) period = period_at(item, "current_period_start", "current_period_end");
  if (!period) return period.error();
  event.period = period.value();
  auto trial_end = time_at(o, "trial_end");
  if (!trial_end) return trial_end.error();
  event.trial_end = trial_end.value();
  event.cancel_at_period_end = bool_at(o, "cancel_at_period_end");
  const json::object* metadata = object_at(o, "metadata");
  event.plan_code = string_or_empty(object_at(item, "price"), "lookup_key");
  if (event.plan_code.empty()) event.plan_code = string_or_empty(metadata, "plan");
  event.offer_code = string_or_empty(metadata, "offer");
  auto id = account_id_from(string_at(metadata, "account_id"));
  if (!id) return id.error();
  event.account_id = id.value();
  out.event = std::move(event);
  return out;
}

base::Result<StripeEvent> read_invoice(StripeEvent out, PaymentEvent event, const json::object* o,
                                       bool paid) {
  event.type = paid ? PaymentEventType::kInvoicePaid : PaymentEventType::kInvoicePaymentFailed;
  const json::object* details = object_at(object_at(o, "parent"), "subscription_details");
  event.subscription_id = string_or_empty(o, "subscription");
  if (event.subscription_id.empty())
    event.subscription_id = string_or_empty(details, "subscription");
  if (event.subscription_id.empty())
    return ignored(std::move(out), "an invoice without a subscription");
  event.customer_id = string_or_empty(o, "customer");
  const json::object* line = first_of_list(o, "lines");
  auto period = period_at(object_at(line, "period"), "start", "end");
  if (!period) return period.error();
  event.period = period.value();
  event.plan_code = string_or_empty(object_at(line, "price"), "lookup_key");
  const json::object* metadata = object_at(line, "metadata");
  if (metadata == nullptr || metadata->empty()) metadata = object_at(details, "metadata");
  if (metadata == nullptr) metadata = object_at(object_at(o, "subscription_details"), "metadata");
  if (event.plan_code.empty()) event.plan_code = string_or_empty(metadata, "plan");
  auto id = account_id_from(string_at(metadata, "account_id"));
  if (!id) return id.error();
  event.account_id = id.value();
  out.event = std::move(event);
  return out;
}

}  // namespace

std::string_view signature_name(StripeSignature result) {
  switch (result) {
    case StripeSignature::kValid:
      return "valid";
    case StripeSignature::kMalformedHeader:
      return "malformed_header";
    case StripeSignature::kNoTimestamp:
      return "no_timestamp";
    case StripeSignature::kNoSignature:
      return "no_signature";
    case StripeSignature::kMismatch:
      return "mismatch";
    case StripeSignature::kTooOld:
      return "too_old";
    case StripeSignature::kFromTheFuture:
      return "from_the_future";
  }
  return "mismatch";
}

StripeSignature verify_stripe_signature(std::string_view header, std::string_view body,
                                        std::string_view secret, base::TimePoint now,
                                        std::chrono::seconds tolerance) {
  std::optional<std::string_view> timestamp;
  std::vector<std::string_view> v1;
  header = trim(header);
  if (header.empty() || header.size() > 8192) return StripeSignature::kMalformedHeader;
  std::size_t pos = 0;
  while (pos <= header.size()) {
    std::size_t comma = header.find(',', pos);
    if (comma == std::string_view::npos) comma = header.size();
    const std::string_view item = trim(header.substr(pos, comma - pos));
    pos = comma + 1;
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) return StripeSignature::kMalformedHeader;
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    if (key == "t") {
      if (timestamp || value.empty() || value.size() > 12) return StripeSignature::kMalformedHeader;
      for (char c : value)
        if (c < '0' || c > '9') return StripeSignature::kMalformedHeader;
      timestamp = value;
    } else if (key == "v1") {
      v1.push_back(value);
    }
  }
  if (!timestamp) return StripeSignature::kNoTimestamp;
  if (v1.empty()) return StripeSignature::kNoSignature;

  const auto expected = hmac(secret, *timestamp, body);
  int matches = 0;  // every v1 is compared, matched or not
  for (std::string_view hex : v1) {
    std::array<unsigned char, kMacBytes> given{};
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_hex2bin(given.data(), given.size(), hex.data(), hex.size(), nullptr, &length,
                       &end) != 0 ||
        length != kMacBytes || end != hex.data() + hex.size())
      continue;  // not 64 hex digits: cannot match
    matches += sodium_memcmp(given.data(), expected.data(), kMacBytes) == 0 ? 1 : 0;
  }
  if (matches == 0) return StripeSignature::kMismatch;

  std::int64_t t = 0;
  std::from_chars(timestamp->data(), timestamp->data() + timestamp->size(), t);
  const std::int64_t at = base::to_unix_seconds(now);
  if (at - t > tolerance.count()) return StripeSignature::kTooOld;
  if (t - at > kStripeClockSkew.count()) return StripeSignature::kFromTheFuture;
  return StripeSignature::kValid;
}

std::string sign_stripe_payload(std::string_view body, std::string_view secret,
                                base::TimePoint timestamp) {
  const std::string t = std::to_string(base::to_unix_seconds(timestamp));
  const auto mac = hmac(secret, t, body);
  std::string hex(kMacBytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  hex.pop_back();
  return "t=" + t + ",v1=" + hex;
}

base::Result<StripeEvent> parse_stripe_event(std::string_view json_text) {
  if (json_text.size() > kMaxEventBytes) return base::Error{"the event is larger than 1 MiB"};
  boost::system::error_code ec;
  const json::value root = json::parse(json::string_view(json_text.data(), json_text.size()), ec);
  if (ec) return base::Error{"the event is not JSON: " + ec.message()};
  const json::object* top = root.if_object();
  if (top == nullptr) return base::Error{"the event is not a JSON object"};
  StripeEvent out;
  out.id = string_or_empty(top, "id");
  out.type = string_or_empty(top, "type");
  if (out.id.empty() || out.id.size() > 255) return base::Error{"the event has no usable id"};
  if (out.type.empty()) return base::Error{"the event has no type"};
  auto created = time_at(top, "created");
  if (!created) return created.error();
  if (!created.value()) return base::Error{"the event has no creation time"};
  const json::object* o = object_at(object_at(top, "data"), "object");

  PaymentEvent event;
  event.gateway = "stripe";
  event.id = out.id;
  event.created_at = *created.value();
  const std::string& type = out.type;
  const bool known =
      type == "checkout.session.completed" || type == "customer.subscription.created" ||
      type == "customer.subscription.updated" || type == "customer.subscription.deleted" ||
      type == "invoice.paid" || type == "invoice.payment_failed";
  if (!known)
    return ignored(std::move(out), "Masthead does not use '" + type.substr(0, 80) + "' events");
  if (o == nullptr) return base::Error{"the event has no data.object"};
  if (type == "checkout.session.completed") return read_checkout(std::move(out), event, o);
  if (type == "invoice.paid" || type == "invoice.payment_failed")
    return read_invoice(std::move(out), event, o, type == "invoice.paid");
  return read_subscription(std::move(out), event, o, type == "customer.subscription.deleted");
}

}  // namespace masthead::billing
