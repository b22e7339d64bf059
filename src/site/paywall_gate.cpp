// See paywall_gate.h. The order of the steps matters: the cheap,
// reader-independent outcomes first (free, sponsored: no cookie, no store),
// then the crawler check (an address lookup), then the meter.
#include "site/paywall_gate.h"

#include <chrono>
#include <limits>

#include "http/cookies.h"

namespace masthead::site {

using paywall::Decision;
using paywall::MeterState;
using paywall::Reader;
using paywall::ReaderKind;

namespace {
// Long enough to meter a month, short of browsers' 400-day cap.
constexpr std::chrono::seconds kCookieLifetime = std::chrono::hours(24 * 365);
}  // namespace

PaywallGate::PaywallGate(GateOptions options, paywall::MeterStore& meters, KeyRingSource keys,
                         readers::CrawlerVerifier* crawlers, const base::Clock& clock,
                         SignedInLookup signed_in)
    : options_(std::move(options)),
      meters_(meters),
      keys_(std::move(keys)),
      crawlers_(crawlers),
      clock_(clock),
      signed_in_(std::move(signed_in)) {}

std::string PaywallGate::cookie_name() const {
  return options_.secure_cookies ? "__Host-reader" : "reader";
}

std::string PaywallGate::set_cookie(const readers::ReaderToken& token,
                                    const readers::KeyRing& keys) const {
  http::CookieOptions cookie;
  cookie.secure = options_.secure_cookies;
  cookie.http_only = true;
  cookie.same_site = http::SameSite::kLax;
  cookie.max_age = kCookieLifetime;
  return http::build_set_cookie(cookie_name(), readers::seal(token, keys), cookie);
}

int PaywallGate::merge_anonymous_meter(const http::Request& request,
                                       std::string_view account_reader_key) const {
  auto cookie = request.cookie(cookie_name());
  if (!cookie) return 0;
  const base::TimePoint now = clock_.now();
  std::optional<readers::ReaderToken> token = readers::open(*cookie, *keys_(), now);
  if (!token) return 0;
  const paywall::Period period = paywall::current_period(options_.policy, now);
  const std::string reader_key = token->reader_key();
  if (token->first_view && token->first_view->period_key == period.key)
    meters_.record_view(reader_key, period, token->first_view->article_id,
                        std::numeric_limits<int>::max());
  return meters_.merge_views(reader_key, account_reader_key, period);
}

Access PaywallGate::view(const http::Request& request, std::int64_t article_id,
                         const paywall::ArticleFacts& facts) const {
  const paywall::MeterPolicy& policy = options_.policy;
  const base::TimePoint now = clock_.now();
  const paywall::Entitlements none;
  Access access;

  // Free and sponsored articles: the same for everyone, never metered.
  if (facts.free || facts.sponsored) {
    access.decision = paywall::decide(Reader{}, facts, MeterState{}, none, policy, now);
    return access;
  }
  access.personal = true;

  std::string address = readers::client_address(
      request.remote_address, request.header("X-Forwarded-For"), options_.trusted_proxies);
  if (crawlers_ && crawlers_->is_verified(address, request.header("User-Agent"))) {
    access.decision = paywall::decide(Reader{ReaderKind::kVerifiedCrawler}, facts, MeterState{},
                                      none, policy, now);
    return access;
  }

  // HEAD is safe (RFC 9110 9.2.1): it answers what GET would, from the
  // meter as it stands, and records nothing and issues no identity.
  const bool record = request.method != http::Method::kHead;

  if (signed_in_) {
    if (std::optional<SignedInReader> member = signed_in_(request)) {
      const Reader reader{ReaderKind::kRegistered};
      const paywall::Entitlements& e = member->entitlements;
      if (e.active) {
        access.decision = paywall::decide(reader, facts, MeterState{}, e, policy, now);
        return access;
      }
      const paywall::Period period = paywall::current_period(policy, now);
      MeterState meter = meters_.state(member->reader_key, period.key, article_id);
      Decision decision = paywall::decide(reader, facts, meter, e, policy, now);
      if (record && decision.count_view) {
        MeterState found =
            meters_.record_view(member->reader_key, decision.period, article_id, decision.limit);
        decision = paywall::decide(reader, facts, found, e, policy, now);
      }
      access.decision = decision;
      return access;
    }
  }

  std::shared_ptr<const readers::KeyRing> keys = keys_();
  std::optional<readers::ReaderToken> token;
  std::int64_t signed_by = 0;
  if (auto cookie = request.cookie(cookie_name()))
    token = readers::open(*cookie, *keys, now, &signed_by);
  const bool is_new = !token;
  if (is_new) token = readers::ReaderToken::fresh();
  // New readers get a cookie; so do readers whose cookie an older key signed,
  // re-signed with the current one before the old key retires.
  bool reissue = is_new || signed_by != keys->current().id;

  const paywall::Period period = paywall::current_period(policy, now);
  const std::string reader_key = token->reader_key();

  // A first view carried in the cookie joins the store now that the reader
  // is back; one from an earlier period has expired with it.
  MeterState meter;
  std::optional<std::int64_t> carried;  // a first view not yet in the store
  if (token->first_view) {
    if (token->first_view->period_key == period.key) carried = token->first_view->article_id;
    if (record) {
      if (carried)
        meters_.record_view(reader_key, period, *carried, std::numeric_limits<int>::max());
      carried.reset();
      token->first_view.reset();
      reissue = true;
    }
  }
  if (!is_new) meter = meters_.state(reader_key, period.key, article_id);
  if (carried && !meters_.state(reader_key, period.key, *carried).already_viewed) {
    // HEAD only: count the carried view as the store will once it is recorded.
    ++meter.viewed;
    meter.already_viewed = meter.already_viewed || *carried == article_id;
  }

  const bool budget_on = policy.anonymous_network_free > 0;
  std::string network;
  Reader reader{ReaderKind::kAnonymous};
  if (budget_on && meter.viewed == 0) {
    network = readers::network_key(address, request.header("User-Agent"), options_.network_secret);
    reader.network_over_budget =
        meters_.network_views(network, period.key) >= policy.anonymous_network_free;
  }

  Decision decision = paywall::decide(reader, facts, meter, none, policy, now);
  if (!record) return Access{decision, "", true};
  if (decision.count_view) {
    if (is_new) {
      // Nobody else knows this reader yet: no race, nothing to write.
      token->first_view = readers::FirstView{decision.period.key, article_id};
    } else {
      MeterState found =
          meters_.record_view(reader_key, decision.period, article_id, decision.limit);
      decision = paywall::decide(reader, facts, found, none, policy, now);
    }
    if (decision.count_view && budget_on) {
      if (network.empty())
        network =
            readers::network_key(address, request.header("User-Agent"), options_.network_secret);
      meters_.add_network_view(network, decision.period);
    }
  }
  access.decision = decision;
  if (reissue) access.set_cookie = set_cookie(*token, *keys);
  return access;
}

}  // namespace masthead::site
