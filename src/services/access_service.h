// AccessService: who is reading, and what they get of an article.
//
// What it is. The one place where a reader meets the paywall — for the web
// pages, their print view, feeds and the apps API alike. For each article
// view it works out the reader (a verified crawler by its address; a
// signed-in reader by their session, with billing's entitlements; otherwise
// the anonymous reader of the signed cookie, or a new one), reads their
// meter, calls paywall::decide(), records the view with the store's
// conditional insert and decides again (the flow in paywall/decision.h), and
// says which anonymous-reader token to send back. Callers render only what
// the Decision allows; none decides by itself.
//
// A new reader's first view. A reader who arrives without a valid cookie is
// new: their meter is empty by definition, so no store read is needed, and
// the view granted travels in the reader's signed token (readers::FirstView)
// instead of being written. When the reader comes back, the first view is
// recorded, then the decision is made. A flood of cookieless requests
// therefore writes nothing and grows nothing.
//
// The network budget (MeterPolicy::anonymous_network_free, off by default):
// every view counted for an anonymous reader adds one to their network's
// counter for the period; once a network is at its budget, readers new to
// the period from it (no views yet) are treated as having used their meter,
// which sends them to the registration wall.
//
// Safe requests (HEAD) get the decision a GET would get from the meter as it
// stands, and record nothing, issue no identity.
//
// Signed-in readers are metered with registered_free on the account's meter
// ("acct:<id>", the same on every device); an active entitlement reads
// everything unmetered. merge_anonymous_meter() joins an anonymous reader's
// views of this period into an account's meter at sign-in.
//
// Not here: message texts, cookies' names and attributes, rendering.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/clock.h"
#include "paywall/decision.h"
#include "paywall/meter_store.h"
#include "readers/crawler_verifier.h"
#include "readers/network.h"
#include "readers/reader_token.h"
#include "services/visitor.h"

namespace masthead::services {

struct AccessOptions {
  paywall::MeterPolicy policy;
  readers::CidrSet trusted_proxies;  // whose X-Forwarded-For is believed
  std::array<unsigned char, 32> network_secret{};
};

// The signing keys in force; the app may swap them (key rotation).
using KeyRingSource = std::function<std::shared_ptr<const readers::KeyRing>()>;
// A signed-in reader, as the app finds them from a session token
// (Sessions::find and BillingService::entitlements).
struct Member {
  std::int64_t account_id = 0;
  paywall::Entitlements entitlements;
};
using MemberLookup = std::function<std::optional<Member>(std::string_view session_token)>;

// "acct:<id>": an account's meter key.
std::string account_reader_key(std::int64_t account_id);

struct Access {
  paywall::Decision decision;
  std::string reader_token;  // a sealed anonymous-reader token to send back, or empty
  bool personal = false;     // the answer depends on who asks: not for shared caches
};

class AccessService {
 public:
  AccessService(AccessOptions options, paywall::MeterStore& meters, KeyRingSource keys,
                readers::CrawlerVerifier* crawlers, const base::Clock& clock,
                MemberLookup members = {});

  const paywall::MeterPolicy& policy() const { return options_.policy; }

  // Decides (and, unless the visitor is safe, meters) one view of an article.
  Access view(const Visitor& visitor, std::int64_t article_id,
              const paywall::ArticleFacts& facts) const;

  // What `member` may read of an article, decided as for their session but
  // safe: nothing is recorded (the private feed, read outside the meter).
  Access member_view(const Member& member, std::int64_t article_id,
                     const paywall::ArticleFacts& facts) const;

  // Signing in: the visitor's anonymous meter for the current period (the
  // store's rows and a first view still carried in the token) joins
  // `account_reader_key`'s meter. Returns how many views were added.
  int merge_anonymous_meter(const Visitor& visitor, std::string_view account_reader_key) const;

  // The client's address: the connection's peer, or X-Forwarded-For's
  // nearest untrusted hop when the peer is a trusted proxy.
  std::string client_address(const Visitor& visitor) const;

 private:
  paywall::Decision decide_for(const Member& member, std::int64_t article_id,
                               const paywall::ArticleFacts& facts, bool record,
                               base::TimePoint now) const;

  AccessOptions options_;
  paywall::MeterStore& meters_;
  KeyRingSource keys_;
  readers::CrawlerVerifier* crawlers_;
  const base::Clock& clock_;
  MemberLookup members_;
};

}  // namespace masthead::services
