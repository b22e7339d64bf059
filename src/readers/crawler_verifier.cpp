// See crawler_verifier.h.
//
// One mutex guards the cache, the queue and the set of pending addresses;
// the lookup thread holds it only to take work and to store an answer, never
// while it waits for DNS. Cache keys are the 16 address bytes, so one
// address written two ways ("66.249.66.1", "::ffff:66.249.66.1") is one
// entry. An address is "pending" from the moment it is queued until its
// answer is stored, so a burst of requests from one crawler queues one
// lookup. Eviction is least recently inserted first: a list in insertion
// order, each cache entry holding its place in it.
#include "readers/crawler_verifier.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <iterator>
#include <list>
#include <optional>
#include <unordered_set>

#include "base/text.h"

namespace masthead::readers {
namespace {

std::string key_of(const IpAddress& address) {
  return std::string(reinterpret_cast<const char*>(address.bytes.data()), address.bytes.size());
}

std::string to_text(const IpAddress& address) {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (address.v4) {
    inet_ntop(AF_INET, address.bytes.data() + 12, buffer, sizeof buffer);
  } else {
    inet_ntop(AF_INET6, address.bytes.data(), buffer, sizeof buffer);
  }
  return buffer;
}

// Lowercase, without leading or trailing dots.
std::string normalized_name(std::string_view name) {
  while (!name.empty() && name.front() == '.') name.remove_prefix(1);
  while (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return base::to_lower_ascii(name);
}

// "crawl-1.googlebot.com" and "googlebot.com" end in "googlebot.com";
// "evilgooglebot.com" does not (the match must start at a label).
bool ends_in_domain(std::string_view host, std::string_view suffix) {
  if (suffix.empty() || host.size() < suffix.size()) return false;
  if (host.substr(host.size() - suffix.size()) != suffix) return false;
  return host.size() == suffix.size() || host[host.size() - suffix.size() - 1] == '.';
}

constexpr std::size_t kMaxNamesChecked = 8;  // of one address's PTR names

}  // namespace

bool claims_to_be_crawler(std::string_view user_agent) {
  const std::string ua = base::to_lower_ascii(user_agent);
  for (std::string_view word : {"googlebot", "bingbot", "bot/", "crawler", "spider", "slurp",
                                "google-inspectiontool", "adsbot-google", "mediapartners-google"}) {
    if (ua.find(word) != std::string::npos) return true;
  }
  return false;
}

struct CrawlerVerifier::Impl {
  struct Entry {
    bool verified = false;
    base::TimePoint expires;
    std::list<std::string>::iterator order;
  };

  CrawlerOptions options;
  Resolver resolver;
  const base::Clock& clock;
  std::vector<std::string> suffixes;  // normalized

  std::mutex mutex;
  std::condition_variable work;  // the queue has an address, or stopping
  std::condition_variable idle;  // the queue is empty and no lookup runs
  std::unordered_map<std::string, Entry> cache;
  std::list<std::string> insertion_order;  // oldest first
  std::deque<IpAddress> queue;
  std::unordered_set<std::string> pending;  // queued or being looked up
  bool busy = false;
  bool stopping = false;
  std::thread thread;

  Impl(CrawlerOptions o, Resolver r, const base::Clock& c)
      : options(std::move(o)), resolver(std::move(r)), clock(c) {
    for (const std::string& suffix : options.dns_suffixes) {
      std::string normalized = normalized_name(suffix);
      if (!normalized.empty()) suffixes.push_back(std::move(normalized));
    }
  }

  // With the mutex held: the cached answer, dropping it if it has expired.
  std::optional<bool> cached(const std::string& key, base::TimePoint now) {
    const auto it = cache.find(key);
    if (it == cache.end()) return std::nullopt;
    if (now >= it->second.expires) {
      insertion_order.erase(it->second.order);
      cache.erase(it);
      return std::nullopt;
    }
    return it->second.verified;
  }

  // With the mutex held.
  void store(const std::string& key, bool verified, base::TimePoint now) {
    if (options.max_cache_entries == 0) return;
    const auto ttl = verified ? options.positive_ttl : options.negative_ttl;
    const auto existing = cache.find(key);
    if (existing != cache.end()) {
      insertion_order.erase(existing->second.order);
      cache.erase(existing);
    }
    insertion_order.push_back(key);
    cache[key] = Entry{verified, now + ttl, std::prev(insertion_order.end())};
    while (cache.size() > options.max_cache_entries) {
      cache.erase(insertion_order.front());
      insertion_order.pop_front();
    }
  }

  // Reverse, then forward: a PTR name under a configured domain whose
  // addresses include this very address. Runs without the mutex.
  bool lookup(const IpAddress& address) const {
    try {
      std::vector<std::string> names = resolver.reverse(to_text(address));
      if (names.size() > kMaxNamesChecked) names.resize(kMaxNamesChecked);
      for (const std::string& raw_name : names) {
        const std::string name = normalized_name(raw_name);
        const bool under_suffix = std::any_of(suffixes.begin(), suffixes.end(),
                                              [&](auto& s) { return ends_in_domain(name, s); });
        if (!under_suffix) continue;
        for (const std::string& text : resolver.forward(name)) {
          const auto forward = IpAddress::parse(text);
          if (forward && *forward == address) return true;
        }
      }
    } catch (...) {
      // A resolver that throws has said nothing: not verified.
    }
    return false;
  }

  void run() {
    std::unique_lock lock(mutex);
    while (true) {
      work.wait(lock, [&] { return stopping || !queue.empty(); });
      if (stopping) return;
      const IpAddress address = queue.front();
      queue.pop_front();
      busy = true;
      lock.unlock();
      const bool verified = lookup(address);
      lock.lock();
      const std::string key = key_of(address);
      store(key, verified, clock.now());
      pending.erase(key);
      busy = false;
      if (queue.empty()) idle.notify_all();
    }
  }
};

CrawlerVerifier::CrawlerVerifier(CrawlerOptions options, Resolver resolver,
                                 const base::Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(resolver), clock)) {
  if (impl_->options.dns) impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

CrawlerVerifier::~CrawlerVerifier() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->work.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

bool CrawlerVerifier::is_verified(std::string_view address, std::string_view user_agent) {
  const auto parsed = IpAddress::parse(address);
  if (!parsed) return false;
  if (impl_->options.ranges.contains(*parsed)) return true;
  if (!impl_->options.dns) return false;

  const std::string key = key_of(*parsed);
  std::lock_guard lock(impl_->mutex);
  if (const auto answer = impl_->cached(key, impl_->clock.now())) return *answer;
  // Not known: only a claim to be a crawler is worth a lookup.
  if (!claims_to_be_crawler(user_agent)) return false;
  if (impl_->pending.count(key) != 0) return false;
  if (impl_->queue.size() >= impl_->options.max_queue) return false;  // dropped; asked again later
  impl_->queue.push_back(*parsed);
  impl_->pending.insert(key);
  impl_->work.notify_one();
  return false;
}

void CrawlerVerifier::wait_idle() {
  std::unique_lock lock(impl_->mutex);
  impl_->idle.wait(lock, [&] { return impl_->queue.empty() && !impl_->busy; });
}

Resolver system_resolver() {
  Resolver resolver;
  resolver.reverse = [](const std::string& address) {
    std::vector<std::string> names;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_flags = AI_NUMERICHOST;
    addrinfo* numeric = nullptr;
    if (getaddrinfo(address.c_str(), nullptr, &hints, &numeric) != 0 || numeric == nullptr) {
      return names;
    }
    char host[NI_MAXHOST] = {};
    if (getnameinfo(numeric->ai_addr, numeric->ai_addrlen, host, sizeof host, nullptr, 0,
                    NI_NAMEREQD) == 0) {
      names.emplace_back(host);
    }
    freeaddrinfo(numeric);
    return names;
  };
  resolver.forward = [](const std::string& host) {
    std::vector<std::string> addresses;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;  // one entry per address, not one per socket type
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return addresses;
    for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
      char text[INET6_ADDRSTRLEN] = {};
      const void* bytes = nullptr;
      if (ai->ai_family == AF_INET) {
        bytes = &reinterpret_cast<const sockaddr_in*>(ai->ai_addr)->sin_addr;
      } else if (ai->ai_family == AF_INET6) {
        bytes = &reinterpret_cast<const sockaddr_in6*>(ai->ai_addr)->sin6_addr;
      }
      if (bytes != nullptr && inet_ntop(ai->ai_family, bytes, text, sizeof text) != nullptr) {
        addresses.emplace_back(text);
      }
    }
    freeaddrinfo(found);
    return addresses;
  };
  return resolver;
}

}  // namespace masthead::readers
