// CrawlerVerifier: is this connection a search engine's crawler?
//
// What it is. A verified crawler gets the full text (or, by policy, the
// lead-in) and is never metered, so the proof must be one a reader cannot
// fake: the connection's address, never the User-Agent, the Referer or an
// X-Forwarded-For header from an untrusted peer. An address is verified when
//  - it lies in a configured CIDR range (an operator's list, or the JSON
//    file Google publishes of its crawler ranges), or
//  - DNS says so, as the search engines document it: the reverse (PTR) name
//    of the address ends in one of the configured suffixes (".googlebot.com",
//    ".google.com", ".search.msn.com", ...) and a forward lookup of that name
//    returns the same address.
//
// DNS is slow and must never hold up a request: is_verified() answers from
// a cache at once, and when the address is not cached it queues a lookup
// for a background thread and answers false for now. The next request from
// that address gets the cached answer. Only requests whose User-Agent claims
// to be a crawler trigger a lookup (the claim decides whether to check, never
// the result), so ordinary readers cost no DNS traffic. The cache is bounded
// (least recently inserted out first) and entries expire (positive and
// negative TTLs), so a flood of addresses cannot grow memory.
//
// The resolver is a pair of functions so that tests can answer for DNS;
// system_resolver() uses getnameinfo/getaddrinfo.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "readers/network.h"

namespace masthead::readers {

struct Resolver {
  // PTR names of an address (empty when none or on error).
  std::function<std::vector<std::string>(const std::string& address)> reverse;
  // Addresses (as text, the form inet_ntop prints) of a host name.
  std::function<std::vector<std::string>(const std::string& host)> forward;
};

Resolver system_resolver();

// True when the User-Agent claims to be a crawler ("Googlebot", "bingbot",
// "...bot/", "crawler", "spider"): a reason to check, never a proof.
bool claims_to_be_crawler(std::string_view user_agent);

struct CrawlerOptions {
  CidrSet ranges;
  bool dns = true;
  // Not googleusercontent.com: Google Cloud machines get PTR names under it
  // that resolve back to them, so renting one would pass the check.
  std::vector<std::string> dns_suffixes = {
      "googlebot.com",   "google.com", "search.msn.com", "applebot.apple.com",
      "crawl.yahoo.net", "yandex.com", "yandex.ru",      "yandex.net"};
  std::chrono::seconds positive_ttl{24 * 3600};
  std::chrono::seconds negative_ttl{3600};
  std::size_t max_cache_entries = 65536;
  std::size_t max_queue = 1024;  // pending lookups; beyond this new ones are dropped
};

class CrawlerVerifier {
 public:
  CrawlerVerifier(CrawlerOptions options, Resolver resolver, const base::Clock& clock);
  ~CrawlerVerifier();  // stops and joins the lookup thread
  CrawlerVerifier(const CrawlerVerifier&) = delete;
  CrawlerVerifier& operator=(const CrawlerVerifier&) = delete;

  // Never blocks on DNS (see above). `address` is the client address.
  bool is_verified(std::string_view address, std::string_view user_agent);

  // Tests: blocks until the lookup queue is empty and the thread is idle.
  void wait_idle();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace masthead::readers
