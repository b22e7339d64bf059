// Runs the BillingStore conformance suite against SQLite (a fresh file per
// test in a temporary directory), plus what only SQLite can be asked: the
// tables of migration 4 exist with the constraints the guarantees rest on,
// billing writes leave content_version (the page cache) alone, the pool a
// payment commits on is synchronous=FULL, data survives reopening the file,
// and two stores on one file (the server and the CLI) still create one trial.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "base/iso_time.h"
#include "base/testing/temp_dir.h"
#include "billing/payment_event.h"
#include "billing/testing/billing_store_conformance.h"
#include "store/sqlite/sqlite_billing_store.h"

namespace masthead::store::sqlite {
namespace {

// One fresh directory per test process (see base/testing/temp_dir.h).
const std::filesystem::path& fresh_dir() {
  static const std::filesystem::path dir = base::testing::fresh_temp_dir("masthead-billing-test");
  return dir;
}

using namespace std::chrono_literals;

std::string temp_db_path() {
  static std::atomic<int> counter{0};
  auto dir = fresh_dir();
  std::filesystem::create_directories(dir);
  return (dir / ("billing" + std::to_string(counter++) + ".sqlite")).string();
}

std::unique_ptr<billing::BillingStore> make_sqlite_billing_store() {
  return std::make_unique<SqliteBillingStore>(Database::open(temp_db_path(), true));
}

using billing::testing::BillingStoreConformance;
INSTANTIATE_TEST_SUITE_P(Sqlite, BillingStoreConformance,
                         ::testing::Values(&make_sqlite_billing_store),
                         [](const auto&) { return std::string("Store"); });

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

std::int64_t scalar(Database& db, const char* sql) {
  return db.with_connection([&](Connection& c) {
    Statement s = c.prepare(sql);
    s.step();
    return s.int64(0);
  });
}

const billing::Plan kPlan{"digital-monthly",    "Digital", 2900, "USD", billing::Interval::kMonth,
                          {true, false, false}, true};

billing::Subscription trial_for(std::int64_t account) {
  billing::Subscription s;
  s.account_id = account;
  s.plan_code = kPlan.code;
  const base::TimePoint now = at("2026-11-18T07:30:00Z");
  return billing::trial_started(s, now, now + 14 * 24h);
}

TEST(SqliteBillingStore, MigrationFourCreatesTheTablesAndConstraints) {
  auto db = Database::open(temp_db_path(), true);
  EXPECT_GE(db->schema_version(), 4);
  for (const char* table : {"plans", "offers", "subscriptions", "trials", "payment_events"}) {
    const std::int64_t found = db->with_connection([&](Connection& c) {
      Statement s =
          c.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
      s.bind(1, table);
      s.step();
      return s.int64(0);
    });
    EXPECT_EQ(found, 1) << table;
  }
  // The constraints the store's guarantees rest on, checked in SQL directly.
  db->with_connection([](Connection& c) {
    c.exec(
        "INSERT INTO payment_events VALUES ('stripe', 'evt_1', 'invoice.paid', 1, 2, 'applied', "
        "'')");
    EXPECT_THROW(c.exec("INSERT INTO payment_events VALUES "
                        "('stripe', 'evt_1', 'invoice.paid', 1, 2, 'applied', '')"),
                 SqliteError);
    c.exec("INSERT INTO payment_events VALUES ('test', 'evt_1', 'x', 1, 2, 'stale', '')");
    EXPECT_THROW(c.exec("INSERT INTO plans VALUES ('p', 'P', -1, 'USD', 'month', 'web', 1)"),
                 SqliteError);
  });
}

TEST(SqliteBillingStore, BillingWritesLeaveThePageCacheAlone) {
  auto db = Database::open(temp_db_path(), true);
  SqliteBillingStore store(db);
  const std::int64_t before = scalar(*db, "SELECT version FROM content_version");
  store.put_plan(kPlan);
  ASSERT_TRUE(store.start_trial(trial_for(1)));
  EXPECT_EQ(scalar(*db, "SELECT version FROM content_version"), before);
  // Payments commit on synchronous=FULL connections (2), never relaxed.
  EXPECT_EQ(scalar(*db, "PRAGMA synchronous"), 2);
}

TEST(SqliteBillingStore, EverythingSurvivesReopeningTheFile) {
  const std::string path = temp_db_path();
  billing::PaymentEvent e;
  e.gateway = "stripe";
  e.id = "evt_1";
  e.type = billing::PaymentEventType::kCheckoutCompleted;
  e.created_at = at("2026-11-18T07:30:00Z");
  e.account_id = 5;
  e.subscription_id = "sub_5";
  e.plan_code = kPlan.code;
  {
    SqliteBillingStore store(Database::open(path, true));
    store.put_plan(kPlan);
    ASSERT_EQ(billing::apply_event(store, e, e.created_at).result.outcome,
              billing::EventOutcome::kApplied);
  }
  SqliteBillingStore store(Database::open(path, false));
  EXPECT_EQ(store.plan(kPlan.code), kPlan);
  EXPECT_EQ(store.subscriptions_of(5).size(), 1u);
  EXPECT_TRUE(billing::apply_event(store, e, e.created_at + 1h).duplicate);
}

// The server and a CLI process each hold their own Database (pool) on one
// file: the trial key holds across them, not just inside one pool.
TEST(SqliteBillingStore, TwoStoresOnOneFileStillCreateOneTrial) {
  const std::string path = temp_db_path();
  SqliteBillingStore a(Database::open(path, true));
  SqliteBillingStore b(Database::open(path, false));
  a.put_plan(kPlan);
  std::atomic<int> started{0};
  std::latch start(20);
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i)
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      if ((i % 2 ? a : b).start_trial(trial_for(9))) ++started;
    });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(started.load(), 1);
  EXPECT_EQ(a.subscriptions_of(9).size(), 1u);
}

}  // namespace
}  // namespace masthead::store::sqlite
