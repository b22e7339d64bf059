// See meter_store_conformance.h. Each TEST_P states one promise of the
// MeterStore contract; the parallel ones start every thread at a latch so
// that all of them are inside the store at once.
#include "paywall/testing/meter_store_conformance.h"
#include "base/testing/in_parallel.h"

#include <algorithm>
#include <cstdint>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "base/iso_time.h"
#include "paywall/decision.h"
#include "paywall/meter_policy.h"

namespace masthead::paywall::testing {
namespace {

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

const Period kOctober{at("2026-10-01T00:00:00Z"), at("2026-11-01T00:00:00Z"), "2026-10"};
const Period kNovember{at("2026-11-01T00:00:00Z"), at("2026-12-01T00:00:00Z"), "2026-11"};
const Period kDecember{at("2026-12-01T00:00:00Z"), at("2027-01-01T00:00:00Z"), "2026-12"};
const base::TimePoint kNow = at("2026-11-18T07:30:00Z");

constexpr const char* kReader = "anon:0123456789abcdef";

// Records articles first, first + 1, ... until the meter holds `views`.
void fill(MeterStore& store, std::string_view reader, const Period& period, int views,
          std::int64_t first = 1000) {
  for (int i = 0; i < views; ++i) {
    ASSERT_EQ(store.record_view(reader, period, first + i, views), (MeterState{i, false}));
  }
}

int viewed(const MeterStore& store, std::string_view reader, const Period& period) {
  return store.state(reader, period.key, -1).viewed;
}

using base::testing::in_parallel;

TEST_P(MeterStoreConformance, AnEmptyStoreHoldsNothing) {
  EXPECT_EQ(store_->state(kReader, kNovember.key, 1), (MeterState{0, false}));
  EXPECT_EQ(store_->network_views("net:a", kNovember.key), 0);
  EXPECT_EQ(store_->purge_ended(kNow), 0);
}

TEST_P(MeterStoreConformance, ARecordedViewIsCountedAndKnown) {
  EXPECT_EQ(store_->record_view(kReader, kNovember, 1, 5), (MeterState{0, false}));
  EXPECT_EQ(store_->state(kReader, kNovember.key, 1), (MeterState{1, true}));
  EXPECT_EQ(store_->state(kReader, kNovember.key, 2), (MeterState{1, false}));
}

TEST_P(MeterStoreConformance, RecordViewReturnsTheStateBeforeTheInsert) {
  fill(*store_, kReader, kNovember, 2);
  EXPECT_EQ(store_->record_view(kReader, kNovember, 7, 5), (MeterState{2, false}));
  EXPECT_EQ(store_->state(kReader, kNovember.key, 7), (MeterState{3, true}));
}

TEST_P(MeterStoreConformance, RecordingAnArticleAgainIsFreeAndReportsIt) {
  EXPECT_EQ(store_->record_view(kReader, kNovember, 1, 3), (MeterState{0, false}));
  EXPECT_EQ(store_->record_view(kReader, kNovember, 1, 3), (MeterState{1, true}));
  EXPECT_EQ(viewed(*store_, kReader, kNovember), 1);
  // A full meter still knows the articles in it (a reread is not refused).
  store_->record_view(kReader, kNovember, 2, 3);
  store_->record_view(kReader, kNovember, 3, 3);
  EXPECT_EQ(store_->record_view(kReader, kNovember, 2, 3), (MeterState{3, true}));
  EXPECT_EQ(store_->record_view(kReader, kNovember, 2, 0), (MeterState{3, true}));
  EXPECT_EQ(viewed(*store_, kReader, kNovember), 3);
}

TEST_P(MeterStoreConformance, InsertsOnlyBelowTheLimit) {
  constexpr int kLimit = 3;
  fill(*store_, kReader, kNovember, kLimit - 1);
  // limit - 1 viewed: the last free view goes in.
  EXPECT_EQ(store_->record_view(kReader, kNovember, 1, kLimit), (MeterState{kLimit - 1, false}));
  EXPECT_EQ(viewed(*store_, kReader, kNovember), kLimit);
  // limit viewed: refused, nothing inserted, the article stays unviewed.
  EXPECT_EQ(store_->record_view(kReader, kNovember, 2, kLimit), (MeterState{kLimit, false}));
  EXPECT_EQ(store_->state(kReader, kNovember.key, 2), (MeterState{kLimit, false}));
  // A larger limit (the reader registered) lets one more in.
  EXPECT_EQ(store_->record_view(kReader, kNovember, 2, kLimit + 1), (MeterState{kLimit, false}));
  EXPECT_EQ(viewed(*store_, kReader, kNovember), kLimit + 1);
  // limit + 1 viewed (the policy was lowered mid-period): still refused.
  EXPECT_EQ(store_->record_view(kReader, kNovember, 3, kLimit), (MeterState{kLimit + 1, false}));
  EXPECT_EQ(viewed(*store_, kReader, kNovember), kLimit + 1);
}

TEST_P(MeterStoreConformance, AZeroOrNegativeLimitInsertsNothing) {
  EXPECT_EQ(store_->record_view(kReader, kNovember, 1, 0), (MeterState{0, false}));
  EXPECT_EQ(store_->record_view(kReader, kNovember, 1, -1), (MeterState{0, false}));
  EXPECT_EQ(store_->state(kReader, kNovember.key, 1), (MeterState{0, false}));
}

TEST_P(MeterStoreConformance, PeriodsAreSeparate) {
  fill(*store_, kReader, kOctober, 3);
  EXPECT_EQ(store_->record_view(kReader, kNovember, 1000, 3), (MeterState{0, false}));
  EXPECT_EQ(store_->state(kReader, kOctober.key, 1000), (MeterState{3, true}));
  EXPECT_EQ(store_->state(kReader, kNovember.key, 1000), (MeterState{1, true}));
  EXPECT_EQ(store_->state(kReader, kNovember.key, 1001), (MeterState{1, false}));
  // Keys of other period kinds are just other keys.
  EXPECT_EQ(store_->state(kReader, "2026-W47", 1000), (MeterState{0, false}));
}

TEST_P(MeterStoreConformance, ReadersAreSeparate) {
  fill(*store_, "anon:a", kNovember, 3);
  EXPECT_EQ(store_->record_view("anon:ab", kNovember, 1000, 3), (MeterState{0, false}));
  EXPECT_EQ(store_->record_view("acct:1", kNovember, 1000, 3), (MeterState{0, false}));
  EXPECT_EQ(store_->state("anon:a", kNovember.key, 1000), (MeterState{3, true}));
  EXPECT_EQ(store_->state("anon:ab", kNovember.key, 1001), (MeterState{1, false}));
  EXPECT_EQ(store_->state("anon:", kNovember.key, 1000), (MeterState{0, false}));
}

TEST_P(MeterStoreConformance, KeysAreOpaqueAndIdsAreSixtyFourBits) {
  static constexpr char kOdd[] = "anon:'; DROP TABLE x; --\0\xc3\xa9";  // 24 + NUL + é
  const std::string odd_reader(kOdd, sizeof(kOdd) - 1);
  constexpr std::int64_t kBig = std::int64_t{1} << 40;
  EXPECT_EQ(store_->record_view(odd_reader, kNovember, kBig, 5), (MeterState{0, false}));
  EXPECT_EQ(store_->state(odd_reader, kNovember.key, kBig), (MeterState{1, true}));
  EXPECT_EQ(store_->state(odd_reader, kNovember.key, kBig + 1), (MeterState{1, false}));
  EXPECT_EQ(store_->state(odd_reader.substr(0, 24), kNovember.key, kBig), (MeterState{0, false}));
  EXPECT_EQ(store_->add_network_view(odd_reader, kNovember), 1);
  EXPECT_EQ(store_->network_views(odd_reader.substr(0, 24), kNovember.key), 0);
}

// With one free view left, 16 requests for 16 different articles reach the
// store at once: exactly one is inserted, and exactly one caller is told it
// found the meter below the limit.
TEST_P(MeterStoreConformance, ParallelRecordsWithOneViewLeftInsertExactlyOne) {
  constexpr int kLimit = 5;
  constexpr int kThreads = 16;
  fill(*store_, kReader, kNovember, kLimit - 1);
  std::vector<MeterState> found(kThreads);
  in_parallel(kThreads,
              [&](int i) { found[i] = store_->record_view(kReader, kNovember, i, kLimit); });

  int fitted = 0;
  int winner = -1;
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_FALSE(found[i].already_viewed) << i;
    if (found[i].viewed < kLimit) {
      ++fitted;
      winner = i;
      EXPECT_EQ(found[i].viewed, kLimit - 1) << i;
    } else {
      EXPECT_EQ(found[i].viewed, kLimit) << i;
    }
  }
  EXPECT_EQ(fitted, 1);
  EXPECT_EQ(viewed(*store_, kReader, kNovember), kLimit);
  for (int i = 0; i < kThreads; ++i)
    EXPECT_EQ(store_->state(kReader, kNovember.key, i).already_viewed, i == winner) << i;
}

// 16 requests for the same article with views to spare: one inserts it, the
// others find it already recorded (a reread).
TEST_P(MeterStoreConformance, ParallelRecordsOfOneArticleInsertItOnce) {
  constexpr int kThreads = 16;
  fill(*store_, kReader, kNovember, 2);
  std::vector<MeterState> found(kThreads);
  in_parallel(kThreads, [&](int i) { found[i] = store_->record_view(kReader, kNovember, 77, 5); });

  int inserted = 0;
  for (int i = 0; i < kThreads; ++i) {
    if (found[i] == MeterState{2, false}) {
      ++inserted;
    } else {
      EXPECT_EQ(found[i], (MeterState{3, true})) << i;
    }
  }
  EXPECT_EQ(inserted, 1);
  EXPECT_EQ(store_->state(kReader, kNovember.key, 77), (MeterState{3, true}));
}

// The handler flow of decision.h against this store.
struct Request {
  std::int64_t article = 0;
  Decision first;
  Decision final;
};

MeterPolicy flow_policy() {
  MeterPolicy policy;
  policy.anonymous_free = 5;
  policy.registration_wall = true;
  policy.period = PeriodKind::kMonth;
  policy.time_zone = "UTC";
  return policy;
}

std::vector<Request> run_flow(MeterStore& store, const std::vector<std::int64_t>& articles) {
  const MeterPolicy policy = flow_policy();
  const Period period = current_period(policy, kNow);
  std::vector<Request> requests(articles.size());
  std::latch all_decided(static_cast<std::ptrdiff_t>(articles.size()));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    threads.emplace_back([&, i] {
      Request& r = requests[i];
      r.article = articles[i];
      const MeterState meter = store.state(kReader, period.key, r.article);
      r.first = decide(Reader{}, ArticleFacts{}, meter, Entitlements{}, policy, kNow);
      r.final = r.first;
      all_decided.arrive_and_wait();
      if (r.first.count_view) {
        const MeterState found =
            store.record_view(kReader, r.first.period, r.article, r.first.limit);
        r.final = decide(Reader{}, ArticleFacts{}, found, Entitlements{}, policy, kNow);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return requests;
}

TEST_P(MeterStoreConformance, TheHandlerFlowWithOneViewLeftGivesOneFullArticle) {
  const Period period = current_period(flow_policy(), kNow);
  fill(*store_, kReader, period, 4);
  std::vector<std::int64_t> articles;
  for (int i = 0; i < 10; ++i) articles.push_back(i);

  int full = 0;
  for (const Request& r : run_flow(*store_, articles)) {
    EXPECT_EQ(r.first.outcome, Outcome::kLastFree) << "everyone saw one view left";
    EXPECT_EQ(r.final.broken_invariant(), "");
    if (r.final.full_text) {
      ++full;
      EXPECT_EQ(r.final.outcome, Outcome::kLastFree);
      EXPECT_TRUE(store_->state(kReader, period.key, r.article).already_viewed);
    } else {
      EXPECT_EQ(r.final.outcome, Outcome::kRegistrationWall);
      EXPECT_FALSE(store_->state(kReader, period.key, r.article).already_viewed);
    }
  }
  EXPECT_EQ(full, 1);
  EXPECT_EQ(viewed(*store_, kReader, period), 5);
}

TEST_P(MeterStoreConformance, TheHandlerFlowForOneArticleCountsItOnce) {
  const Period period = current_period(flow_policy(), kNow);
  fill(*store_, kReader, period, 4);
  int counted = 0;
  int rereads = 0;
  for (const Request& r : run_flow(*store_, std::vector<std::int64_t>(10, 42))) {
    EXPECT_TRUE(r.final.full_text);
    if (r.final.count_view) ++counted;
    if (r.final.outcome == Outcome::kReread) ++rereads;
  }
  EXPECT_EQ(counted, 1);
  EXPECT_EQ(rereads, 9);
  EXPECT_EQ(viewed(*store_, kReader, period), 5);
}

TEST_P(MeterStoreConformance, MergingAddsTheAnonymousViewsOnceAndOnlyThePeriods) {
  const std::string account = "acct:42";
  store_->record_view(kReader, kNovember, 1, 10);
  store_->record_view(kReader, kNovember, 2, 10);
  store_->record_view(kReader, kDecember, 9, 10);
  store_->record_view(account, kNovember, 2, 10);
  store_->record_view(account, kNovember, 3, 10);
  EXPECT_EQ(store_->merge_views(kReader, account, kNovember), 1) << "article 2 is in both";
  EXPECT_EQ(store_->state(account, kNovember.key, 1), (MeterState{3, true}));
  EXPECT_EQ(store_->state(account, kDecember.key, 9), (MeterState{0, false}))
      << "only the given period";
  EXPECT_EQ(store_->state(kReader, kNovember.key, 1), (MeterState{2, true}))
      << "the anonymous meter stays";
  EXPECT_EQ(store_->merge_views(kReader, account, kNovember), 0) << "merging again adds nothing";
  EXPECT_EQ(store_->merge_views("anon:nobody", account, kNovember), 0);
  store_->purge_ended(kNovember.end);
  EXPECT_EQ(viewed(*store_, account, kNovember), 0) << "merged rows are purged with their period";
}

TEST_P(MeterStoreConformance, NetworkCountersCountPerKeyAndPeriod) {
  EXPECT_EQ(store_->add_network_view("net:a", kNovember), 1);
  EXPECT_EQ(store_->add_network_view("net:a", kNovember), 2);
  EXPECT_EQ(store_->add_network_view("net:a", kNovember), 3);
  EXPECT_EQ(store_->add_network_view("net:b", kNovember), 1);
  EXPECT_EQ(store_->add_network_view("net:a", kOctober), 1);
  EXPECT_EQ(store_->network_views("net:a", kNovember.key), 3);
  EXPECT_EQ(store_->network_views("net:b", kNovember.key), 1);
  EXPECT_EQ(store_->network_views("net:a", kOctober.key), 1);
  EXPECT_EQ(store_->network_views("net:c", kNovember.key), 0);
  EXPECT_EQ(store_->network_views("net:a", "2026-12"), 0);
  // Network counters and meters do not share keys.
  EXPECT_EQ(store_->state("net:a", kNovember.key, 1), (MeterState{0, false}));
}

TEST_P(MeterStoreConformance, ParallelNetworkViewsAreAllCounted) {
  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  std::vector<std::vector<int>> seen(kThreads);
  in_parallel(kThreads, [&](int i) {
    for (int n = 0; n < kEach; ++n) seen[i].push_back(store_->add_network_view("net:a", kNovember));
  });
  std::vector<int> all;
  for (const auto& s : seen) all.insert(all.end(), s.begin(), s.end());
  std::sort(all.begin(), all.end());
  std::vector<int> expected(kThreads * kEach);
  for (int i = 0; i < kThreads * kEach; ++i) expected[i] = i + 1;
  EXPECT_EQ(all, expected) << "every add returns a distinct count";
  EXPECT_EQ(store_->network_views("net:a", kNovember.key), kThreads * kEach);
}

TEST_P(MeterStoreConformance, PurgeDeletesPeriodsThatHaveEndedAndKeepsTheCurrentOne) {
  fill(*store_, "anon:a", kOctober, 3);
  fill(*store_, "anon:b", kOctober, 1);
  fill(*store_, "anon:a", kNovember, 2);
  store_->add_network_view("net:a", kOctober);
  store_->add_network_view("net:a", kOctober);
  store_->add_network_view("net:b", kOctober);
  store_->add_network_view("net:a", kNovember);

  // One second before October ends, nothing has ended.
  EXPECT_EQ(store_->purge_ended(at("2026-10-31T23:59:59Z")), 0);
  EXPECT_EQ(viewed(*store_, "anon:a", kOctober), 3);
  // At its end it has: 4 meter rows and 2 counters go.
  EXPECT_EQ(store_->purge_ended(kOctober.end), 6);
  EXPECT_EQ(viewed(*store_, "anon:a", kOctober), 0);
  EXPECT_EQ(viewed(*store_, "anon:b", kOctober), 0);
  EXPECT_EQ(store_->network_views("net:a", kOctober.key), 0);
  EXPECT_EQ(store_->network_views("net:b", kOctober.key), 0);
  EXPECT_EQ(store_->state("anon:a", kNovember.key, 1001), (MeterState{2, true}));
  EXPECT_EQ(store_->network_views("net:a", kNovember.key), 1);
  EXPECT_EQ(store_->purge_ended(kNow), 0);
  // The current period keeps counting after a purge.
  EXPECT_EQ(store_->record_view("anon:a", kNovember, 5, 5), (MeterState{2, false}));
  EXPECT_EQ(store_->add_network_view("net:a", kNovember), 2);
}

}  // namespace
}  // namespace masthead::paywall::testing
