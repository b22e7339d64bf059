// See access_service.h. The order of the steps matters: the cheap,
// reader-independent outcomes first (free, sponsored: no cookie, no store),
// then the crawler check (an address lookup), then the session, then the
// anonymous meter.
#include "services/access_service.h"

#include <limits>

namespace masthead::services {

using paywall::Decision;
using paywall::MeterState;
using paywall::Reader;
using paywall::ReaderKind;

std::string account_reader_key(std::int64_t account_id) {
  return "acct:" + std::to_string(account_id);
}

AccessService::AccessService(AccessOptions options, paywall::MeterStore& meters, KeyRingSource keys,
                             readers::CrawlerVerifier* crawlers, const base::Clock& clock,
                             MemberLookup members)
    : options_(std::move(options)),
      meters_(meters),
      keys_(std::move(keys)),
      crawlers_(crawlers),
      clock_(clock),
      members_(std::move(members)) {}

std::string AccessService::client_address(const Visitor& visitor) const {
  return readers::client_address(visitor.remote_address, visitor.forwarded_for,
                                 options_.trusted_proxies);
}

int AccessService::merge_anonymous_meter(const Visitor& visitor,
                                         std::string_view account_reader_key) const {
  if (!visitor.reader_cookie) return 0;
  const base::TimePoint now = clock_.now();
  std::optional<readers::ReaderToken> token = readers::open(*visitor.reader_cookie, *keys_(), now);
  if (!token) return 0;
  const paywall::Period period = paywall::current_period(options_.policy, now);
  const std::string reader_key = token->reader_key();
  if (token->first_view && token->first_view->period_key == period.key)
    meters_.record_view(reader_key, period, token->first_view->article_id,
                        std::numeric_limits<int>::max());
  return meters_.merge_views(reader_key, account_reader_key, period);
}

Decision AccessService::decide_for(const Member& member, std::int64_t article_id,
                                   const paywall::ArticleFacts& facts, bool record,
                                   base::TimePoint now) const {
  const paywall::MeterPolicy& policy = options_.policy;
  const Reader reader{ReaderKind::kRegistered};
  const paywall::Entitlements& e = member.entitlements;
  if (e.active) return paywall::decide(reader, facts, MeterState{}, e, policy, now);
  const std::string key = account_reader_key(member.account_id);
  const paywall::Period period = paywall::current_period(policy, now);
  MeterState meter = meters_.state(key, period.key, article_id);
  Decision decision = paywall::decide(reader, facts, meter, e, policy, now);
  if (record && decision.count_view) {
    MeterState found = meters_.record_view(key, decision.period, article_id, decision.limit);
    decision = paywall::decide(reader, facts, found, e, policy, now);
  }
  return decision;
}

Access AccessService::member_view(const Member& member, std::int64_t article_id,
                                  const paywall::ArticleFacts& facts) const {
  Access access;
  access.personal = true;
  access.decision = decide_for(member, article_id, facts, /*record=*/false, clock_.now());
  return access;
}

Access AccessService::view(const Visitor& visitor, std::int64_t article_id,
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

  const std::string address = client_address(visitor);
  if (crawlers_ && crawlers_->is_verified(address, visitor.user_agent)) {
    access.decision = paywall::decide(Reader{ReaderKind::kVerifiedCrawler}, facts, MeterState{},
                                      none, policy, now);
    return access;
  }

  // Safe requests (HEAD, RFC 9110 9.2.1) answer what GET would, from the
  // meter as it stands, and record nothing and issue no identity.
  const bool record = !visitor.safe;

  if (visitor.session_token && members_) {
    if (std::optional<Member> member = members_(*visitor.session_token)) {
      access.decision = decide_for(*member, article_id, facts, record, now);
      return access;
    }
  }

  std::shared_ptr<const readers::KeyRing> keys = keys_();
  std::optional<readers::ReaderToken> token;
  std::int64_t signed_by = 0;
  if (visitor.reader_cookie) token = readers::open(*visitor.reader_cookie, *keys, now, &signed_by);
  const bool is_new = !token;
  if (is_new) token = readers::ReaderToken::fresh();
  // New readers get a token; so do readers whose token an older key signed,
  // re-signed with the current one before the old key retires.
  bool reissue = is_new || signed_by != keys->current().id;

  const paywall::Period period = paywall::current_period(policy, now);
  const std::string reader_key = token->reader_key();

  // A first view carried in the token joins the store now that the reader
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
    // Safe requests only: count the carried view as the store will once it is recorded.
    ++meter.viewed;
    meter.already_viewed = meter.already_viewed || *carried == article_id;
  }

  const bool budget_on = policy.anonymous_network_free > 0;
  std::string network;
  Reader reader{ReaderKind::kAnonymous};
  if (budget_on && meter.viewed == 0) {
    network = readers::network_key(address, visitor.user_agent, options_.network_secret);
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
        network = readers::network_key(address, visitor.user_agent, options_.network_secret);
      meters_.add_network_view(network, decision.period);
    }
  }
  access.decision = decision;
  if (reissue) access.reader_token = readers::seal(*token, *keys);
  return access;
}

}  // namespace masthead::services
