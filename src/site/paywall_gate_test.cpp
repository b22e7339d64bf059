// Unit tests of the PaywallGate (and the AccessService behind it) with an
// in-memory meter store: the anonymous
// reader's journey through the meter, the first view carried in the cookie,
// forged cookies, free and sponsored articles, crawlers by address (and not
// by headers), the network budget, and ArticleParts' slots.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>

#include "base/iso_time.h"
#include "site/article_parts.h"
#include "site/paywall_gate.h"
#include "web/web_security.h"

namespace masthead::site {
namespace {

using paywall::Outcome;

// The meter store's contract, in memory (the conformance suite holds the
// real stores to it; this one only has to be right, not fast).
class MemoryMeters final : public paywall::MeterStore {
 public:
  paywall::MeterState state(std::string_view reader, std::string_view period,
                            std::int64_t article) const override {
    std::lock_guard lock(mutex_);
    auto it = views_.find({std::string(reader), std::string(period)});
    if (it == views_.end()) return {};
    return {static_cast<int>(it->second.size()), it->second.count(article) > 0};
  }
  paywall::MeterState record_view(std::string_view reader, const paywall::Period& period,
                                  std::int64_t article, int limit) override {
    std::lock_guard lock(mutex_);
    auto& set = views_[{std::string(reader), period.key}];
    paywall::MeterState before{static_cast<int>(set.size()), set.count(article) > 0};
    if (!before.already_viewed && before.viewed < limit) {
      set.insert(article);
      ++writes;
    }
    return before;
  }
  int merge_views(std::string_view from, std::string_view to,
                  const paywall::Period& period) override {
    std::lock_guard lock(mutex_);
    auto source = views_[{std::string(from), period.key}];
    auto& target = views_[{std::string(to), period.key}];
    int added = 0;
    for (auto id : source) added += target.insert(id).second ? 1 : 0;
    return added;
  }
  int add_network_view(std::string_view network, const paywall::Period& period) override {
    std::lock_guard lock(mutex_);
    return ++networks_[std::string(network) + "|" + period.key];
  }
  int network_views(std::string_view network, std::string_view period) const override {
    std::lock_guard lock(mutex_);
    auto it = networks_.find(std::string(network) + "|" + std::string(period));
    return it == networks_.end() ? 0 : it->second;
  }
  std::int64_t purge_ended(base::TimePoint) override { return 0; }

  int writes = 0;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::set<std::int64_t>> views_;
  std::map<std::string, int> networks_;
};

struct NoDns {
  static readers::Resolver resolver() {
    return {[](const std::string&) { return std::vector<std::string>{}; },
            [](const std::string&) { return std::vector<std::string>{}; }};
  }
};

class GateTest : public ::testing::Test {
 protected:
  GateTest()
      : clock_(*base::parse_iso8601("2026-11-29T12:00:00+09:00")),
        keys_(std::make_shared<const readers::KeyRing>(std::vector<readers::SigningKey>{
            {.id = 1, .bytes = readers::generate_key(), .retire_at = std::nullopt}})) {
    options_.policy.anonymous_free = 3;
    options_.policy.time_zone = "Asia/Tokyo";
    options_.policy.registration_wall = true;
    readers::CrawlerOptions crawler;
    crawler.ranges.add(readers::Cidr::parse("127.0.0.2/32").value());
    crawler.dns = false;
    crawlers_ = std::make_unique<readers::CrawlerVerifier>(crawler, NoDns::resolver(), clock_);
    make_gate();
  }

  void make_gate(services::MemberLookup members = {}) {
    gate_.reset();
    access_ = std::make_unique<services::AccessService>(
        options_, meters_, [this] { return keys_; }, crawlers_.get(), clock_, std::move(members));
    gate_ = std::make_unique<PaywallGate>(*access_, web::CookiePolicy{secure_});
  }

  // One view of article `id` by the browser holding `jar` (updated from
  // Set-Cookie like a browser would).
  Access view(std::int64_t id, std::string& jar, paywall::ArticleFacts facts = {},
              std::string address = "192.0.2.10", std::string xff = "",
              http::Method method = http::Method::kGet) {
    http::Request r;
    r.method = method;
    r.remote_address = address;
    std::string cookies = "session=" + std::string(43, 'A');
    if (!jar.empty()) cookies += "; " + gate_->cookie_name() + "=" + jar;
    r.headers.push_back({"Cookie", cookies});
    if (!xff.empty()) r.headers.push_back({"X-Forwarded-For", xff});
    r.headers.push_back({"User-Agent", "Mozilla/5.0 (X11; Linux) Chrome/130.0"});
    Access a = gate_->view(r, id, facts);
    if (!a.set_cookie.empty()) {
      auto start = a.set_cookie.find('=') + 1;
      jar = a.set_cookie.substr(start, a.set_cookie.find(';') - start);
    }
    return a;
  }

  base::FakeClock clock_;
  std::shared_ptr<const readers::KeyRing> keys_;
  services::AccessOptions options_;
  bool secure_ = false;
  MemoryMeters meters_;
  std::unique_ptr<readers::CrawlerVerifier> crawlers_;
  std::unique_ptr<services::AccessService> access_;
  std::unique_ptr<PaywallGate> gate_;
};

TEST_F(GateTest, AnonymousJourneyCountsEveryNewArticleOnceThenWalls) {
  std::string jar;
  Access first = view(1, jar);
  EXPECT_EQ(first.decision.outcome, Outcome::kMetered);
  EXPECT_EQ(first.decision.remaining_after, 2);
  EXPECT_TRUE(first.personal);
  EXPECT_NE(first.set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(first.set_cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(first.set_cookie.find("Secure"), std::string::npos) << "plain HTTP: no Secure";
  EXPECT_EQ(meters_.writes, 0) << "a new reader's first view travels in the cookie";

  Access reread = view(1, jar);
  EXPECT_EQ(reread.decision.outcome, Outcome::kReread);
  EXPECT_EQ(reread.decision.remaining_after, 2);
  EXPECT_EQ(meters_.writes, 1) << "the first view joins the store when the reader is back";

  EXPECT_EQ(view(2, jar).decision.remaining_after, 1);
  Access last = view(3, jar);
  EXPECT_EQ(last.decision.outcome, Outcome::kLastFree);
  EXPECT_TRUE(last.decision.full_text);
  Access wall = view(4, jar);
  EXPECT_EQ(wall.decision.outcome, Outcome::kRegistrationWall);
  EXPECT_FALSE(wall.decision.full_text);
  EXPECT_EQ(view(2, jar).decision.outcome, Outcome::kReread) << "rereads stay free after the wall";
  EXPECT_EQ(meters_.writes, 3);
}

TEST_F(GateTest, ForgedOrEditedCookiesAreANewReaderNeverAnother) {
  std::string jar;
  for (int id = 1; id <= 4; ++id) view(id, jar);
  ASSERT_EQ(view(5, jar).decision.outcome, Outcome::kRegistrationWall);
  std::string edited = jar;
  edited[edited.size() / 2] = edited[edited.size() / 2] == 'A' ? 'B' : 'A';
  Access forged = view(5, edited);
  EXPECT_EQ(forged.decision.outcome, Outcome::kMetered);
  EXPECT_EQ(forged.decision.remaining_after, 2) << "a fresh meter, not the victim's";
  std::string garbage = "1.1.AAAA.BBBB";
  EXPECT_EQ(view(5, garbage).decision.remaining_after, 2);
  EXPECT_EQ(view(6, jar).decision.outcome, Outcome::kRegistrationWall) << "the original is intact";
}

TEST_F(GateTest, FreeAndSponsoredAreTheSameForEveryoneAndNotCounted) {
  std::string jar;
  Access free_view = view(10, jar, {.free = true});
  EXPECT_EQ(free_view.decision.outcome, Outcome::kFreeArticle);
  EXPECT_FALSE(free_view.personal);
  EXPECT_TRUE(free_view.set_cookie.empty());
  EXPECT_EQ(view(11, jar, {.sponsored = true}).decision.outcome, Outcome::kSponsored);
  EXPECT_EQ(view(1, jar).decision.remaining_after, 2) << "free and sponsored did not count";
}

TEST_F(GateTest, CrawlersAreKnownByAddressNeverByHeaders) {
  std::string jar;
  Access crawler = view(1, jar, {}, "127.0.0.2");
  EXPECT_EQ(crawler.decision.outcome, Outcome::kCrawler);
  EXPECT_TRUE(crawler.decision.full_text);
  EXPECT_TRUE(crawler.set_cookie.empty());
  std::string spoof;
  Access spoofed = view(1, spoof, {}, "192.0.2.10", "127.0.0.2");
  EXPECT_EQ(spoofed.decision.outcome, Outcome::kMetered)
      << "X-Forwarded-For from an untrusted peer is ignored";

  options_.trusted_proxies.add(readers::Cidr::parse("10.0.0.0/8").value());
  make_gate();
  std::string proxied;
  EXPECT_EQ(view(1, proxied, {}, "10.0.0.5", "127.0.0.2").decision.outcome, Outcome::kCrawler)
      << "a trusted proxy's X-Forwarded-For is believed";

  options_.policy.crawler_full_text = false;
  make_gate();
  Access lead_in = view(1, jar, {}, "127.0.0.2");
  EXPECT_EQ(lead_in.decision.outcome, Outcome::kCrawler);
  EXPECT_FALSE(lead_in.decision.full_text);
}

TEST_F(GateTest, FirstViewFromAnEarlierPeriodExpires) {
  std::string jar;
  view(1, jar);
  clock_.set(*base::parse_iso8601("2026-12-01T00:00:00+09:00"));  // Tokyo's new month
  Access next = view(1, jar);
  EXPECT_EQ(next.decision.outcome, Outcome::kMetered) << "last month's view is not a reread";
  EXPECT_EQ(next.decision.remaining_after, 2);
  EXPECT_EQ(next.decision.period.key, "2026-12");
}

TEST_F(GateTest, NetworkBudgetSendsNewIdentitiesToTheRegistrationWall) {
  options_.policy.anonymous_network_free = 4;
  make_gate();
  std::string a;
  for (int id = 1; id <= 3; ++id) view(id, a);  // 3 views from this network
  std::string b;
  EXPECT_EQ(view(1, b).decision.outcome, Outcome::kMetered);  // the 4th
  std::string c;
  EXPECT_EQ(view(1, c).decision.outcome, Outcome::kRegistrationWall)
      << "a cookie-clearer from the same network meets the wall";
  std::string elsewhere;
  EXPECT_EQ(view(1, elsewhere, {}, "198.51.100.7").decision.outcome, Outcome::kMetered)
      << "another network has its own budget";
  EXPECT_EQ(view(2, b).decision.remaining_after, 1)
      << "a reader part-way through the meter keeps it";
}

TEST_F(GateTest, HeadAnswersLikeGetButRecordsNothing) {
  auto head = [&](std::int64_t id, std::string& jar) {
    return view(id, jar, {}, "192.0.2.10", "", http::Method::kHead);
  };
  std::string fresh;
  Access a = head(1, fresh);
  EXPECT_EQ(a.decision.outcome, Outcome::kMetered);
  EXPECT_TRUE(a.set_cookie.empty());
  std::string jar;
  view(1, jar);  // the first view, carried in the cookie
  std::string before = jar;
  EXPECT_EQ(head(1, jar).decision.outcome, Outcome::kReread) << "the carried view counts";
  EXPECT_EQ(head(2, jar).decision.remaining_after, 1);
  EXPECT_EQ(head(2, jar).decision.remaining_after, 1) << "HEAD did not take a view";
  EXPECT_EQ(jar, before);
  EXPECT_EQ(meters_.writes, 0);
  EXPECT_EQ(view(2, jar).decision.remaining_after, 1);
  EXPECT_EQ(meters_.writes, 2);
}

TEST_F(GateTest, CookiesSignedWithAnOlderKeyAreReSignedWithTheCurrentOne) {
  std::string jar;
  view(1, jar);
  view(2, jar);  // the first view is in the store; this cookie is plain
  ASSERT_EQ(jar.rfind("1.1.", 0), 0u);
  auto old = keys_->current();
  old.retire_at = clock_.now() + std::chrono::hours(24 * 30);
  keys_ = std::make_shared<const readers::KeyRing>(std::vector<readers::SigningKey>{
      old, {.id = 2, .bytes = readers::generate_key(), .retire_at = std::nullopt}});
  Access a = view(3, jar);
  EXPECT_EQ(a.decision.remaining_after, 0) << "the old cookie still finds its meter";
  EXPECT_EQ(jar.rfind("1.2.", 0), 0u) << "and comes back signed with key 2";
  EXPECT_TRUE(view(3, jar).set_cookie.empty()) << "a current cookie is not re-sent";
}

TEST_F(GateTest, SignedInReadersUseTheirAccountMeterAndEntitlements) {
  std::string anonymous;
  view(1, anonymous);  // carried in the cookie
  view(2, anonymous);  // both in the store now
  std::optional<services::Member> member;
  make_gate([&member](std::string_view) { return member; });
  services::Visitor login;
  login.reader_cookie = anonymous;
  EXPECT_EQ(access_->merge_anonymous_meter(login, "acct:7"), 2);
  member = services::Member{7, {}};
  std::string jar;
  Access a = view(3, jar);
  EXPECT_EQ(a.decision.outcome, Outcome::kMetered);
  EXPECT_EQ(a.decision.limit, 10) << "registered_free";
  EXPECT_EQ(a.decision.remaining_after, 7) << "two merged views and this one";
  EXPECT_EQ(view(1, jar).decision.outcome, Outcome::kReread) << "a merged view is a reread";
  EXPECT_TRUE(a.set_cookie.empty()) << "a signed-in reader needs no reader cookie";
  member->entitlements.active = true;
  Access entitled = view(9, jar);
  EXPECT_EQ(entitled.decision.outcome, Outcome::kEntitled);
  EXPECT_TRUE(entitled.decision.full_text);
}

TEST_F(GateTest, SecureSitesUseHostPrefixedSecureCookies) {
  secure_ = true;
  make_gate();
  std::string jar;
  Access a = view(1, jar);
  EXPECT_EQ(a.set_cookie.rfind("__Host-reader=", 0), 0u);
  EXPECT_NE(a.set_cookie.find("; Secure"), std::string::npos);
}

TEST(ArticlePartsTest, CutsAtTheThreeSlotsAndAssembles) {
  std::string page = "<h>" + std::string(ArticleParts::kMeterSlot) + "<a>" +
                     std::string(ArticleParts::kBodySlot) + "</a>" +
                     std::string(ArticleParts::kWallSlot) + "<f>";
  // Blocks: "LEAD" (paragraph 1), "MID" (paragraph 2), " REST" (paragraph 3).
  auto parts = ArticleParts::cut(page, "LEAD MID REST", {"LEAD", " MID", " REST"}, {0, 1, 2, 3}, 1);
  paywall::Decision full;
  full.full_text = true;
  paywall::Decision walled;
  walled.lead_in_paragraphs = 1;
  EXPECT_EQ(parts.assemble("M", full, ""), "<h>M<a>LEAD MID REST</a><f>");
  EXPECT_EQ(parts.assemble("", walled, "W"), "<h><a>LEAD</a>W<f>");
  // The lead-in is the Decision's, even when the page was cut for another.
  walled.lead_in_paragraphs = 2;
  EXPECT_EQ(parts.assemble("", walled, "W"), "<h><a>LEAD MID</a>W<f>");
  walled.lead_in_paragraphs = 0;
  EXPECT_EQ(parts.assemble("", walled, "W"), "<h><a></a>W<f>");
  walled.lead_in_paragraphs = 9;
  EXPECT_EQ(parts.assemble("", walled, "W"), "<h><a>LEAD MID REST</a>W<f>");
  EXPECT_THROW(ArticleParts::cut("<h>no slots</h>", "", {}, {0}, 1), std::logic_error);
  std::string twice = page + std::string(ArticleParts::kBodySlot);
  EXPECT_THROW(ArticleParts::cut(twice, "", {}, {0}, 1), std::logic_error);
}

}  // namespace
}  // namespace masthead::site
