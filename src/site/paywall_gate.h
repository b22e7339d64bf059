// PaywallGate: who is reading this article, and what they get of it.
//
// What it is. The one place where a request meets the paywall. For each
// article view it works out the reader (a verified crawler by its address;
// otherwise the anonymous reader of the signed cookie, or a new one), reads
// their meter, calls paywall::decide(), records the view with the store's
// conditional insert and decides again (the flow in paywall/decision.h), and
// says which cookie to send back. Every route that can show article text —
// the article page, its print view, and any feed, snippet or API added later
// — asks the gate and renders only what its Decision allows.
//
// A new reader's first view. A reader who arrives without a valid cookie is
// new: their meter is empty by definition, so the gate needs no store read,
// and the view it grants travels in the reader's signed cookie
// (readers::FirstView) instead of being written. When the reader comes back,
// the gate first records that first view in the store, then decides. A flood
// of cookieless requests therefore writes nothing and grows nothing, and a
// reader who clears cookies loses nothing the server kept.
//
// The network budget (MeterPolicy::anonymous_network_free, off by default):
// every view counted for an anonymous reader adds one to their network's
// counter for the period; once a network is at its budget, readers new to
// the period from it (no views yet) are treated as having used their meter,
// which sends them to the registration wall. Readers already part-way
// through their meter keep it.
//
// HEAD requests are safe: they get the decision a GET would get from the
// meter as it stands, and record nothing, issue no cookie.
//
// Signed-in readers. The gate does not know sessions or subscriptions: the
// app gives it a SignedInLookup (accounts/) that returns, for a request with
// a valid session, the account's meter key and billing's Entitlements. Such a
// reader is metered with registered_free on the account's meter (the same on
// every device), and an active entitlement reads everything unmetered.
//
// Not here: message texts and rendering (site).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/clock.h"
#include "http/request.h"
#include "paywall/decision.h"
#include "paywall/meter_store.h"
#include "readers/crawler_verifier.h"
#include "readers/network.h"
#include "readers/reader_token.h"

namespace masthead::site {

struct GateOptions {
  paywall::MeterPolicy policy;
  bool secure_cookies = false;       // the site is served over HTTPS
  readers::CidrSet trusted_proxies;  // whose X-Forwarded-For is believed
  std::array<unsigned char, 32> network_secret{};
};

// A signed-in reader, as accounts/ finds them from the request.
struct SignedInReader {
  std::string reader_key;  // "acct:<id>": the account's meter
  paywall::Entitlements entitlements;
};
using SignedInLookup = std::function<std::optional<SignedInReader>(const http::Request&)>;

// The signing keys in force; the app may swap them (key rotation).
using KeyRingSource = std::function<std::shared_ptr<const readers::KeyRing>()>;

struct Access {
  paywall::Decision decision;
  std::string set_cookie;  // a Set-Cookie value to send, or empty
  bool personal = false;   // the answer depends on who asks: Cache-Control private
};

class PaywallGate {
 public:
  PaywallGate(GateOptions options, paywall::MeterStore& meters, KeyRingSource keys,
              readers::CrawlerVerifier* crawlers, const base::Clock& clock,
              SignedInLookup signed_in = {});

  const paywall::MeterPolicy& policy() const { return options_.policy; }

  // Decides (and meters) one view of article `article_id`.
  Access view(const http::Request& request, std::int64_t article_id,
              const paywall::ArticleFacts& facts) const;

  // Signing in: this request's anonymous meter for the current period (the
  // store's rows and a first view still carried in the cookie) joins
  // `account_reader_key`'s meter. Returns how many views were added.
  int merge_anonymous_meter(const http::Request& request,
                            std::string_view account_reader_key) const;

  // The cookie's name: "__Host-reader" over HTTPS, "reader" otherwise.
  std::string cookie_name() const;

 private:
  std::string set_cookie(const readers::ReaderToken& token, const readers::KeyRing& keys) const;

  GateOptions options_;
  paywall::MeterStore& meters_;
  KeyRingSource keys_;
  readers::CrawlerVerifier* crawlers_;
  const base::Clock& clock_;
  SignedInLookup signed_in_;
};

}  // namespace masthead::site
