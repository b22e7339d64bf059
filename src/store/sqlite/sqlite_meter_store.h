// SqliteMeterStore: paywall::MeterStore on the SQLite file.
//
// What it is. Readers' meters are rows of `meter_views` (reader, period key,
// article id, the period's end), one per distinct article viewed; a meter's
// count is the number of its rows, at most the limit (ten or so), read by one
// range scan of the primary key. Network budgets are one counter row per
// network and period in `network_views`. Neither table has content_version
// triggers, so metering never flushes the page cache, and `meter_views` has
// no foreign key to `articles`, so deleting an article is never blocked by
// meters; purge_ended() removes rows with their period.
//
// The key idea: one writer. Reads (state, network_views) take the Database's
// pooled connections and never wait for a write (WAL). Writes (record_view,
// add_network_view, purge_ended) go through ONE dedicated connection, behind
// a mutex, each one BEGIN IMMEDIATE ... COMMIT with statements prepared once.
// record_view() reads the count and whether the article is in the meter,
// inserts iff it is not and the count is below the limit, commits, and
// returns what it read: the conditional insert meter_store.h asks for. The
// write lock taken by BEGIN IMMEDIATE makes it atomic against this process's
// other threads (which also wait on the mutex) and against other processes
// (the CLI), which wait on the busy timeout.
//
// Durability: the writer connection runs with PRAGMA synchronous=NORMAL, the
// only relaxed connection in Masthead. In WAL mode a commit is then written to
// the WAL file but not fsynced: it survives kill -9 of the process (the
// operating system has the bytes), and only a power loss or kernel crash may
// lose the last commits, i.e. give a reader a free view or two back. The
// product allows that for meter views (and their network counters) only;
// every other connection, including the pool this store reads from and
// SqliteSecrets, stays synchronous=FULL, and the next FULL commit by anyone
// (or a checkpoint) makes the meter writes before it durable as well.
//
// Checkpoints happen off the request path. SQLite's automatic checkpoint
// runs inside the commit that pushes the WAL past 1000 pages: copying them
// into the database file and two fsyncs, several milliseconds that a reader's
// request would wait for every few hundred meter writes. The writer turns it
// off and instead wakes a background thread (with its own synchronous=FULL
// connection) that runs a PASSIVE checkpoint, which blocks neither writers
// nor readers, and then a second one for the frames written meanwhile with
// meter writes held (about a millisecond), so that the next write can start
// the WAL over and it stays near 1000 pages however steady the writes. Other
// connections keep SQLite's automatic checkpoint.
//
// Cost: see README.md for the numbers and how they were measured. purge_ended()
// deletes in batches of 10,000 rows, one transaction each, so a large purge
// holds up meter writes for milliseconds at a time, not for the whole purge.
//
// Reads are cached. A meter is read from the file once and then answered
// from memory (readers' article ids per period, at most kMaxCachedMeters
// meters, dropped all at once when full); record_view() forgets the meter it
// changed, and a read that raced with any meter write is not kept. A reread
// therefore costs no SQLite read. This holds because one serving process
// writes a file's meters (the CLI never does); several nodes share meters
// through PostgreSQL, not one SQLite file.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "paywall/meter_store.h"
#include "store/sqlite/database.h"

namespace masthead::store::sqlite {

class SqliteMeterStore final : public paywall::MeterStore {
 public:
  explicit SqliteMeterStore(std::shared_ptr<Database> db);
  ~SqliteMeterStore() override;

  paywall::MeterState state(std::string_view reader_key, std::string_view period_key,
                            std::int64_t article_id) const override;
  paywall::MeterState record_view(std::string_view reader_key, const paywall::Period& period,
                                  std::int64_t article_id, int limit) override;
  int merge_views(std::string_view from_reader, std::string_view to_reader,
                  const paywall::Period& period) override;
  int add_network_view(std::string_view network_key, const paywall::Period& period) override;
  int network_views(std::string_view network_key, std::string_view period_key) const override;
  std::int64_t purge_ended(base::TimePoint now) override;

 private:
  static constexpr std::size_t kMaxCachedMeters = 200000;
  static int on_commit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void forget(std::string_view reader_key, std::string_view period_key);

  mutable std::shared_mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<std::int64_t>> cache_;
  std::atomic<std::uint64_t> write_generation_{0};
  void checkpoint_loop();

  std::shared_ptr<Database> db_;
  std::mutex write_mutex_;              // guards writer_
  std::unique_ptr<Connection> writer_;  // synchronous=NORMAL; meter writes only

  std::unique_ptr<Connection> checkpointer_;  // used by checkpoint_thread_ only
  std::mutex checkpoint_mutex_;               // guards the two flags
  std::condition_variable checkpoint_wanted_;
  bool checkpoint_due_ = false;
  bool stopping_ = false;
  std::thread checkpoint_thread_;
};

}  // namespace masthead::store::sqlite
