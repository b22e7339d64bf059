// See sqlite_meter_store.h. Every statement is a string literal, prepared once
// per connection and kept (Connection::prepare); reader and network keys are
// bound, never spliced into SQL.
#include "store/sqlite/sqlite_meter_store.h"

#include <algorithm>

#include "base/iso_time.h"

namespace masthead::store::sqlite {
namespace {

// A meter's count and whether `article_id` is in it, in one range scan of the
// primary key (reader, period, ...): at most `limit` rows.
constexpr const char* kMeterArticles =
    "SELECT article_id FROM meter_views WHERE reader = ?1 AND period = ?2";
constexpr const char* kMeterState =
    "SELECT count(*), coalesce(max(article_id = ?3), 0) FROM meter_views "
    "WHERE reader = ?1 AND period = ?2";

// WAL size (pages) at which the writer asks for a checkpoint: SQLite's own
// default for its automatic checkpoint.
constexpr int kCheckpointPages = 1000;

// Rows per purge transaction: small enough that record_view() waits for
// milliseconds, not seconds, behind a large purge.
constexpr int kPurgeBatch = 10000;

paywall::MeterState read_state(Connection& c, std::string_view reader_key,
                               std::string_view period_key, std::int64_t article_id) {
  Statement s = c.prepare(kMeterState);
  s.bind(1, reader_key).bind(2, period_key).bind(3, article_id);
  s.step();
  return {static_cast<int>(s.int64(0)), s.int64(1) != 0};
}

}  // namespace

SqliteMeterStore::SqliteMeterStore(std::shared_ptr<Database> db)
    : db_(std::move(db)),
      writer_(db_->dedicated_connection()),
      checkpointer_(db_->dedicated_connection()) {
  // Meter views only: a commit survives kill -9 but not a power loss (see the
  // header). Per connection; the pool stays FULL.
  writer_->exec("PRAGMA synchronous=NORMAL");
  // The WAL restarts on the writer's commits; a WAL that a burst of writes
  // grew is cut back to 16 MiB then instead of keeping its size on disk.
  writer_->exec("PRAGMA journal_size_limit=16777216");
  // Replaces the writer's automatic checkpoint (a WAL hook is what it is).
  sqlite3_wal_hook(writer_->handle(), &SqliteMeterStore::on_commit, this);
  checkpoint_thread_ = std::thread([this] { checkpoint_loop(); });
}

SqliteMeterStore::~SqliteMeterStore() {
  {
    std::lock_guard lock(checkpoint_mutex_);
    stopping_ = true;
  }
  checkpoint_wanted_.notify_one();
  checkpoint_thread_.join();
}

// Called by SQLite after each commit on the writer, with write_mutex_ held:
// only a flag and a notification.
int SqliteMeterStore::on_commit(void* self, sqlite3*, const char*, int wal_pages) {
  if (wal_pages >= kCheckpointPages) {
    auto* store = static_cast<SqliteMeterStore*>(self);
    {
      std::lock_guard lock(store->checkpoint_mutex_);
      store->checkpoint_due_ = true;
    }
    store->checkpoint_wanted_.notify_one();
  }
  return SQLITE_OK;
}

void SqliteMeterStore::checkpoint_loop() {
  std::unique_lock lock(checkpoint_mutex_);
  for (;;) {
    checkpoint_wanted_.wait(lock, [this] { return checkpoint_due_ || stopping_; });
    if (stopping_) return;
    checkpoint_due_ = false;
    lock.unlock();
    // PASSIVE: copies what no reader still needs, waits for nobody. A failure
    // (SQLITE_BUSY: another process is checkpointing) is left to the next
    // request; the WAL stays correct, only longer.
    sqlite3* handle = checkpointer_->handle();
    sqlite3_wal_checkpoint_v2(handle, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    // Under a steady stream of meter writes the first pass never catches up
    // (new frames arrive while it copies), and SQLite only rewinds the WAL
    // when a write begins on a fully copied one: without this second pass
    // the file would grow for as long as readers read. So hold meter writes
    // for the frames added meanwhile (a few pages and the fsyncs, about a
    // millisecond), after which the next write starts the WAL over.
    {
      std::lock_guard writes(write_mutex_);
      sqlite3_wal_checkpoint_v2(handle, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
    lock.lock();
  }
}

paywall::MeterState SqliteMeterStore::state(std::string_view reader_key,
                                            std::string_view period_key,
                                            std::int64_t article_id) const {
  std::string key;
  key.reserve(reader_key.size() + period_key.size() + 1);
  key.append(reader_key).append(1, '\n').append(period_key);
  auto state_of = [article_id](const std::vector<std::int64_t>& articles) {
    return paywall::MeterState{
        static_cast<int>(articles.size()),
        std::find(articles.begin(), articles.end(), article_id) != articles.end()};
  };
  {
    std::shared_lock lock(cache_mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) return state_of(it->second);
  }
  const std::uint64_t generation = write_generation_.load();
  std::vector<std::int64_t> articles = db_->with_connection([&](Connection& c) {
    Statement s = c.prepare(kMeterArticles);
    s.bind(1, reader_key).bind(2, period_key);
    std::vector<std::int64_t> ids;
    while (s.step()) ids.push_back(s.int64(0));
    return ids;
  });
  const paywall::MeterState found = state_of(articles);
  std::unique_lock lock(cache_mutex_);
  // Kept only if no meter write happened while the rows were read: a write
  // in between may have changed them.
  if (write_generation_.load() == generation) {
    if (cache_.size() >= kMaxCachedMeters) cache_.clear();
    cache_.emplace(std::move(key), std::move(articles));
  }
  return found;
}

void SqliteMeterStore::forget(std::string_view reader_key, std::string_view period_key) {
  std::string key;
  key.append(reader_key).append(1, '\n').append(period_key);
  std::unique_lock lock(cache_mutex_);
  ++write_generation_;
  cache_.erase(key);
}

paywall::MeterState SqliteMeterStore::record_view(std::string_view reader_key,
                                                  const paywall::Period& period,
                                                  std::int64_t article_id, int limit) {
  std::lock_guard lock(write_mutex_);
  Transaction tx(*writer_);
  const paywall::MeterState found = read_state(*writer_, reader_key, period.key, article_id);
  if (!found.already_viewed && found.viewed < limit) {
    Statement insert = writer_->prepare(
        "INSERT INTO meter_views (reader, period, article_id, period_end) "
        "VALUES (?1, ?2, ?3, ?4)");
    insert.bind(1, reader_key)
        .bind(2, period.key)
        .bind(3, article_id)
        .bind(4, base::to_unix_seconds(period.end));
    insert.run();
    tx.commit();
    forget(reader_key, period.key);
    return found;
  }
  tx.commit();
  return found;
}

int SqliteMeterStore::add_network_view(std::string_view network_key,
                                       const paywall::Period& period) {
  std::lock_guard lock(write_mutex_);
  Transaction tx(*writer_);
  int views = 0;
  {
    Statement s = writer_->prepare(
        "INSERT INTO network_views (network, period, views, period_end) VALUES (?1, ?2, 1, ?3) "
        "ON CONFLICT (network, period) DO UPDATE SET views = views + 1 RETURNING views");
    s.bind(1, network_key).bind(2, period.key).bind(3, base::to_unix_seconds(period.end));
    while (s.step()) views = static_cast<int>(s.int64(0));
  }
  tx.commit();
  return views;
}

int SqliteMeterStore::network_views(std::string_view network_key,
                                    std::string_view period_key) const {
  return db_->with_connection([&](Connection& c) {
    Statement s = c.prepare("SELECT views FROM network_views WHERE network = ?1 AND period = ?2");
    s.bind(1, network_key).bind(2, period_key);
    return s.step() ? static_cast<int>(s.int64(0)) : 0;
  });
}

int SqliteMeterStore::merge_views(std::string_view from_reader, std::string_view to_reader,
                                  const paywall::Period& period) {
  std::lock_guard lock(write_mutex_);
  Transaction tx(*writer_);
  Statement merge = writer_->prepare(
      "INSERT OR IGNORE INTO meter_views (reader, period, article_id, period_end) "
      "SELECT ?2, period, article_id, period_end FROM meter_views "
      "WHERE reader = ?1 AND period = ?3");
  merge.bind(1, from_reader).bind(2, to_reader).bind(3, period.key);
  merge.run();
  const int added = writer_->changes();
  tx.commit();
  if (added > 0) forget(to_reader, period.key);
  return added;
}

std::int64_t SqliteMeterStore::purge_ended(base::TimePoint now) {
  {
    // Ended periods are never asked for again; forget them all the same.
    std::unique_lock lock(cache_mutex_);
    ++write_generation_;
    cache_.clear();
  }
  const std::int64_t cutoff = base::to_unix_seconds(now);
  std::int64_t purged = 0;
  for (;;) {
    std::lock_guard lock(write_mutex_);
    Transaction tx(*writer_);
    writer_
        ->prepare(
            "DELETE FROM meter_views WHERE (reader, period, article_id) IN "
            "(SELECT reader, period, article_id FROM meter_views WHERE period_end <= ?1 LIMIT ?2)")
        .bind(1, cutoff)
        .bind(2, kPurgeBatch)
        .run();
    const int deleted = writer_->changes();
    tx.commit();
    purged += deleted;
    if (deleted < kPurgeBatch) break;
  }
  std::lock_guard lock(write_mutex_);
  Transaction tx(*writer_);
  writer_->prepare("DELETE FROM network_views WHERE period_end <= ?1").bind(1, cutoff).run();
  purged += writer_->changes();
  tx.commit();
  return purged;
}

}  // namespace masthead::store::sqlite
