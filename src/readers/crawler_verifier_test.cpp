// CrawlerVerifier against a fake resolver and a FakeClock: CIDR hits are
// immediate; the DNS path answers false, looks up in the background, then
// answers from the cache; suffixes match on a label boundary; the forward
// lookup must return the very address; lookups happen only for crawler
// User-Agents, once per address, within the queue and cache bounds; and
// negative answers expire.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>

#include "readers/crawler_verifier.h"

namespace masthead::readers {
namespace {

using std::chrono::seconds;

constexpr const char* kGooglebot =
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
constexpr const char* kBrowser =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";

// DNS as a table, with call counts, and a gate that can hold lookups.
class FakeDns {
 public:
  void set_ptr(const std::string& address, std::vector<std::string> names) {
    std::lock_guard lock(mutex_);
    ptr_[address] = std::move(names);
  }
  void set_addresses(const std::string& host, std::vector<std::string> addresses) {
    std::lock_guard lock(mutex_);
    a_[host] = std::move(addresses);
  }
  int reverse_calls() const {
    std::lock_guard lock(mutex_);
    return reverse_calls_;
  }
  int forward_calls() const {
    std::lock_guard lock(mutex_);
    return forward_calls_;
  }
  std::vector<std::string> reversed() const {
    std::lock_guard lock(mutex_);
    return reversed_;
  }
  void hold() {
    std::lock_guard lock(mutex_);
    held_ = true;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      held_ = false;
    }
    changed_.notify_all();
  }
  // Blocks until `n` reverse lookups have started.
  void wait_for_reverse_calls(int n) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return reverse_calls_ >= n; });
  }

  Resolver resolver() {
    Resolver r;
    r.reverse = [this](const std::string& address) {
      std::unique_lock lock(mutex_);
      ++reverse_calls_;
      reversed_.push_back(address);
      changed_.notify_all();
      changed_.wait(lock, [&] { return !held_; });
      const auto it = ptr_.find(address);
      return it == ptr_.end() ? std::vector<std::string>{} : it->second;
    };
    r.forward = [this](const std::string& host) {
      std::lock_guard lock(mutex_);
      ++forward_calls_;
      const auto it = a_.find(host);
      return it == a_.end() ? std::vector<std::string>{} : it->second;
    };
    return r;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, std::vector<std::string>> ptr_;
  std::map<std::string, std::vector<std::string>> a_;
  std::vector<std::string> reversed_;
  int reverse_calls_ = 0;
  int forward_calls_ = 0;
  bool held_ = false;
};

class CrawlerVerifierTest : public ::testing::Test {
 protected:
  base::FakeClock clock{std::chrono::sys_days{std::chrono::year{2026} / 11 / 18}};
  FakeDns dns;

  CrawlerOptions options() {
    CrawlerOptions o;
    auto range = Cidr::parse("66.249.64.0/27");
    EXPECT_TRUE(range.has_value());
    o.ranges.add(range.value());
    o.positive_ttl = seconds(1000);
    o.negative_ttl = seconds(100);
    return o;
  }

  // The documented Googlebot pair: PTR under googlebot.com, forward back.
  void googlebot(const std::string& address, const std::string& host) {
    dns.set_ptr(address, {host + "."});
    dns.set_addresses(host, {"2001:db8::99", address});
  }
};

TEST_F(CrawlerVerifierTest, CidrHitIsImmediateAndNeedsNoDns) {
  CrawlerVerifier verifier(options(), dns.resolver(), clock);
  EXPECT_TRUE(verifier.is_verified("66.249.64.5", kGooglebot));
  EXPECT_TRUE(verifier.is_verified("::ffff:66.249.64.31", kGooglebot));
  EXPECT_TRUE(verifier.is_verified("66.249.64.5", kBrowser)) << "the address decides, not the UA";
  verifier.wait_idle();
  EXPECT_EQ(dns.reverse_calls(), 0);
}

TEST_F(CrawlerVerifierTest, DnsPathAnswersFalseFirstThenTrueFromTheCache) {
  googlebot("66.249.66.1", "crawl-66-249-66-1.googlebot.com");
  CrawlerVerifier verifier(options(), dns.resolver(), clock);
  EXPECT_FALSE(verifier.is_verified("66.249.66.1", kGooglebot)) << "never waits for DNS";
  verifier.wait_idle();
  EXPECT_EQ(dns.reverse_calls(), 1);
  EXPECT_EQ(dns.reversed(), std::vector<std::string>{"66.249.66.1"});
  EXPECT_TRUE(verifier.is_verified("66.249.66.1", kGooglebot));
  EXPECT_TRUE(verifier.is_verified("::ffff:66.249.66.1", kGooglebot)) << "one address, one entry";
  EXPECT_TRUE(verifier.is_verified("66.249.66.1", kBrowser)) << "a cached answer stands";
  verifier.wait_idle();
  EXPECT_EQ(dns.reverse_calls(), 1) << "answered from the cache";
}

TEST_F(CrawlerVerifierTest, IPv6AddressesCompareParsedNotAsText) {
  dns.set_ptr("2001:4860:4801:1::42", {"crawl.googlebot.com"});
  dns.set_addresses("crawl.googlebot.com", {"2001:4860:4801:0001:0000:0000:0000:0042"});
  CrawlerVerifier verifier(options(), dns.resolver(), clock);
  EXPECT_FALSE(verifier.is_verified("2001:4860:4801:1:0::42", kGooglebot));
  verifier.wait_idle();
  EXPECT_TRUE(verifier.is_verified("2001:4860:4801:1::42", kGooglebot));
}

TEST_F(CrawlerVerifierTest, SuffixMustMatchOnALabelBoundary) {
  struct Case {
    const char* address;
    const char* ptr;
    bool verified;
  } cases[] = {
      {"192.0.2.1", "crawl-192-0-2-1.googlebot.com", true},
      {"192.0.2.2", "CRAWL.GoogleBot.COM.", true},
      {"192.0.2.3", "msnbot-192-0-2-3.search.msn.com", true},
      {"192.0.2.4", "googlebot.com", true},
      {"192.0.2.5", "evilgooglebot.com", false},
      {"192.0.2.6", "crawl.googlebot.com.evil.example", false},
      {"192.0.2.7", "googlebot.com-evil.example", false},
      {"192.0.2.8", "crawl.example.com", false},
      {"192.0.2.9", "", false},
  };
  for (const Case& c : cases) {
    dns.set_ptr(c.address, {c.ptr});
    std::string host = c.ptr;
    for (char& ch : host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!host.empty() && host.back() == '.') host.pop_back();
    dns.set_addresses(host, {c.address});
  }
  CrawlerVerifier verifier(options(), dns.resolver(), clock);
  for (const Case& c : cases) EXPECT_FALSE(verifier.is_verified(c.address, kGooglebot));
  verifier.wait_idle();
  for (const Case& c : cases) {
    EXPECT_EQ(verifier.is_verified(c.address, kGooglebot), c.verified) << c.ptr;
  }
}

TEST_F(CrawlerVerifierTest, ForwardLookupMustReturnTheSameAddress) {
  dns.set_ptr("192.0.2.10", {"crawl-1.googlebot.com"});
  dns.set_addresses("crawl-1.googlebot.com", {"192.0.2.11", "2001:db8::10", "::ffff:192.0.2.12"});
  dns.set_ptr("192.0.2.20", {"crawl-2.googlebot.com"});  // no forward record at all
  CrawlerVerifier verifier(options(), dns.resolver(), clock);
  EXPECT_FALSE(verifier.is_verified("192.0.2.10", kGooglebot));
  EXPECT_FALSE(verifier.is_verified("192.0.2.20", kGooglebot));
  verifier.wait_idle();
  EXPECT_EQ(dns.forward_calls(), 2) << "both names were under a suffix";
  EXPECT_FALSE(verifier.is_verified("192.0.2.10", kGooglebot));
  EXPECT_FALSE(verifier.is_verified("192.0.2.20", kGooglebot));
}

TEST_F(CrawlerVerifierTest, SpoofedUserAgentFromAnOrdinaryAddressIsNotVerified) {
  dns.set_ptr("198.51.100.7", {"host-7.isp.example.net"});
  dns.set_addresses("host-7.isp.example.net", {"198.51.100.7"});
  CrawlerVerifier verifier(options(), dns.resolver(), clock);
  EXPECT_FALSE(verifier.is_verified("198.51.100.7", kGooglebot));
  verifier.wait_idle();
  EXPECT_EQ(dns.reverse_calls(), 1);
  EXPECT_EQ(dns.forward_calls(), 0) << "no forward lookup for a name under no suffix";
  EXPECT_FALSE(verifier.is_verified("198.51.100.7", kGooglebot));
  verifier.wait_idle();
  EXPECT_EQ(dns.reverse_calls(), 1) << "the negative answer is cached";
}

TEST_F(CrawlerVerifierTest, NoLookupForOrdinaryUserAgentsOrBadAddresses) {
  googlebot("66.249.66.1", "crawl-66-249-66-1.googlebot.com");
  CrawlerVerifier verifier(options(), dns.resolver(), clock);
  EXPECT_FALSE(verifier.is_verified("66.249.66.1", kBrowser));
  EXPECT_FALSE(verifier.is_verified("66.249.66.1", ""));
  EXPECT_FALSE(verifier.is_verified("not-an-address", kGooglebot));
  EXPECT_FALSE(verifier.is_verified("", kGooglebot));
  verifier.wait_idle();
  EXPECT_EQ(dns.reverse_calls(), 0);
  EXPECT_FALSE(verifier.is_verified("66.249.66.1", kBrowser)) << "still unknown";
}

TEST_F(CrawlerVerifierTest, DnsOffMeansRangesOnly) {
  googlebot("66.249.66.1", "crawl-66-249-66-1.googlebot.com");
  CrawlerOptions o = options();
  o.dns = false;
  CrawlerVerifier verifier(std::move(o), dns.resolver(), clock);
  EXPECT_FALSE(verifier.is_verified("66.249.66.1", kGooglebot));
  verifier.wait_idle();
  EXPECT_FALSE(verifier.is_verified("66.249.66.1", kGooglebot));
  EXPECT_TRUE(verifier.is_verified("66.249.64.1", kGooglebot));
  EXPECT_EQ(dns.reverse_calls(), 0);
}

TEST_F(CrawlerVerifierTest, ConcurrentRequestsQueueOneLookup) {
  googlebot("66.249.66.1", "crawl-66-249-66-1.googlebot.com");
  dns.hold();
  CrawlerVerifier verifier(options(), dns.resolver(), clock);
  EXPECT_FALSE(verifier.is_verified("66.249.66.1", kGooglebot));
  dns.wait_for_reverse_calls(1);  // in flight now
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(verifier.is_verified("66.249.66.1", kGooglebot));
  dns.release();
  verifier.wait_idle();
  EXPECT_EQ(dns.reverse_calls(), 1);
  EXPECT_TRUE(verifier.is_verified("66.249.66.1", kGooglebot));
}

TEST_F(CrawlerVerifierTest, FullQueueDropsNewLookups) {
  for (const char* a : {"192.0.2.1", "192.0.2.2", "192.0.2.3"}) {
    googlebot(a, std::string("crawl-") + a + ".googlebot.com");
  }
  CrawlerOptions o = options();
  o.max_queue = 1;
  dns.hold();
  CrawlerVerifier verifier(std::move(o), dns.resolver(), clock);
  EXPECT_FALSE(verifier.is_verified("192.0.2.1", kGooglebot));
  dns.wait_for_reverse_calls(1);  // taken off the queue: the queue is empty
  EXPECT_FALSE(verifier.is_verified("192.0.2.2", kGooglebot));  // queued: the queue is full
  EXPECT_FALSE(verifier.is_verified("192.0.2.3", kGooglebot));  // dropped
  dns.release();
  verifier.wait_idle();
  EXPECT_EQ(dns.reversed(), (std::vector<std::string>{"192.0.2.1", "192.0.2.2"}));
  EXPECT_TRUE(verifier.is_verified("192.0.2.1", kGooglebot));
  EXPECT_TRUE(verifier.is_verified("192.0.2.2", kGooglebot));
  EXPECT_FALSE(verifier.is_verified("192.0.2.3", kGooglebot)) << "asked again now";
  verifier.wait_idle();
  EXPECT_TRUE(verifier.is_verified("192.0.2.3", kGooglebot));
}

TEST_F(CrawlerVerifierTest, NegativeAnswersExpireAfterTheirTtl) {
  CrawlerVerifier verifier(options(), dns.resolver(), clock);
  EXPECT_FALSE(verifier.is_verified("66.249.66.1", kGooglebot));
  verifier.wait_idle();
  EXPECT_EQ(dns.reverse_calls(), 1);

  // DNS starts answering; the cached "no" stands until negative_ttl.
  googlebot("66.249.66.1", "crawl-66-249-66-1.googlebot.com");
  clock.advance(seconds(99));
  EXPECT_FALSE(verifier.is_verified("66.249.66.1", kGooglebot));
  verifier.wait_idle();
  EXPECT_EQ(dns.reverse_calls(), 1) << "still cached at 99 s";

  clock.advance(seconds(1));
  EXPECT_FALSE(verifier.is_verified("66.249.66.1", kGooglebot)) << "expired: looked up again";
  verifier.wait_idle();
  EXPECT_EQ(dns.reverse_calls(), 2);
  EXPECT_TRUE(verifier.is_verified("66.249.66.1", kGooglebot));
}

TEST_F(CrawlerVerifierTest, PositiveAnswersExpireAfterTheirTtl) {
  googlebot("66.249.66.1", "crawl-66-249-66-1.googlebot.com");
  CrawlerVerifier verifier(options(), dns.resolver(), clock);
  verifier.is_verified("66.249.66.1", kGooglebot);
  verifier.wait_idle();
  clock.advance(seconds(999));
  EXPECT_TRUE(verifier.is_verified("66.249.66.1", kGooglebot));
  dns.set_ptr("66.249.66.1", {});  // the address has moved on
  clock.advance(seconds(1));
  EXPECT_FALSE(verifier.is_verified("66.249.66.1", kGooglebot));
  verifier.wait_idle();
  EXPECT_FALSE(verifier.is_verified("66.249.66.1", kGooglebot));
  EXPECT_EQ(dns.reverse_calls(), 2);
}

TEST_F(CrawlerVerifierTest, CacheIsBoundedOldestInsertedOutFirst) {
  const char* addresses[] = {"192.0.2.1", "192.0.2.2", "192.0.2.3"};
  for (const char* a : addresses) googlebot(a, std::string("crawl-") + a + ".googlebot.com");
  CrawlerOptions o = options();
  o.max_cache_entries = 2;
  CrawlerVerifier verifier(std::move(o), dns.resolver(), clock);
  for (const char* a : addresses) {
    verifier.is_verified(a, kGooglebot);
    verifier.wait_idle();
  }
  EXPECT_EQ(dns.reverse_calls(), 3);
  EXPECT_TRUE(verifier.is_verified("192.0.2.2", kGooglebot));
  EXPECT_TRUE(verifier.is_verified("192.0.2.3", kGooglebot));
  EXPECT_FALSE(verifier.is_verified("192.0.2.1", kGooglebot)) << "evicted, so looked up again";
  verifier.wait_idle();
  EXPECT_EQ(dns.reverse_calls(), 4);
  EXPECT_TRUE(verifier.is_verified("192.0.2.1", kGooglebot));
  EXPECT_FALSE(verifier.is_verified("192.0.2.2", kGooglebot)) << "now the oldest, evicted";
}

TEST_F(CrawlerVerifierTest, ThrowingResolverCountsAsNo) {
  Resolver r;
  r.reverse = [](const std::string&) -> std::vector<std::string> {
    throw std::runtime_error("resolver down");
  };
  r.forward = [](const std::string&) { return std::vector<std::string>{}; };
  CrawlerVerifier verifier(options(), std::move(r), clock);
  EXPECT_FALSE(verifier.is_verified("66.249.66.1", kGooglebot));
  verifier.wait_idle();
  EXPECT_FALSE(verifier.is_verified("66.249.66.1", kGooglebot));
}

TEST(ClaimsToBeCrawler, IsACaseInsensitiveHint) {
  struct Case {
    const char* ua;
    bool claims;
  } cases[] = {
      {kGooglebot, true},
      {"GOOGLEBOT", true},
      {"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", true},
      {"Mozilla/5.0 (compatible; YandexBot/3.0)", true},
      {"DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)", true},
      {"Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Applebot/0.1", true},
      {"Some Web Crawler", true},
      {"Baiduspider", true},
      {"Mozilla/5.0 (compatible; Yahoo! Slurp)", true},
      {kBrowser, false},
      {"curl/8.5.0", false},
      {"", false},
  };
  for (const Case& c : cases) EXPECT_EQ(claims_to_be_crawler(c.ua), c.claims) << c.ua;
}

// Needs a network; the fake resolver covers the logic. Only checks that the
// system resolver answers without crashing for a numeric address.
TEST(SystemResolver, HandlesNumericAndUnknownNames) {
  const Resolver r = system_resolver();
  EXPECT_EQ(r.forward("127.0.0.1"), std::vector<std::string>{"127.0.0.1"});
  EXPECT_TRUE(r.reverse("not an address").empty());
  EXPECT_TRUE(r.forward("").empty());
}

}  // namespace
}  // namespace masthead::readers
