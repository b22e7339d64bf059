// Database: an SQLite file opened for Masthead, with a pool of connections.
//
// Every connection is set up the same way: WAL journal (readers never block
// the writer), synchronous=FULL (a commit that returned is on disk, so a
// kill -9 or power loss loses no acknowledged write), foreign keys on, and a
// busy timeout so that two writers — the server and a CLI command — wait for
// each other instead of failing. Connections are handed out one per caller
// from a pool; each caches its prepared statements by SQL text (BEGIN, COMMIT
// and ROLLBACK included, so a short transaction parses nothing).
//
// A store that needs its own connection (SqliteMeterStore's writer, which
// relaxes synchronous for meter views only) takes one with
// dedicated_connection(): set up like the pool's, never shared, never
// returned to the pool, so a per-connection pragma cannot leak to other
// writes.
//
// The schema is versioned by `PRAGMA user_version` and migrated forward by
// migrations.cpp, one transaction per step; a file from a newer Masthead is
// refused rather than guessed at.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace masthead::store::sqlite {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(std::string message, int code)
      : std::runtime_error(std::move(message)), code_(code) {}
  int code() const { return code_; }
  bool constraint() const { return (code_ & 0xff) == SQLITE_CONSTRAINT; }

 private:
  int code_;
};

// A prepared statement borrowed from a connection's cache; reset on release.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind_null(int index);
  Statement& bind(int index, std::optional<std::int64_t> value);

  // Advances; true while there is a row. Throws SqliteError on failure.
  bool step();
  // Runs to completion (for statements without rows).
  void run();

  std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string text(int column) const;
  std::string blob(int column) const;
  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  explicit Connection(const std::string& path, bool create);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // `sql` must outlive the connection (a string literal): it keys the cache.
  Statement prepare(const char* sql);
  // Runs one or more statements without results (migrations, pragmas).
  void exec(std::string_view sql);
  sqlite3* handle() const { return db_; }
  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Connection& c);
  ~Transaction();
  void commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

class Database {
 public:
  // Opens an existing file (create=false: a missing file is an error) and
  // migrates it to the latest schema.
  static std::shared_ptr<Database> open(const std::string& path, bool create);
  ~Database();

  // Runs `work` with a pooled connection.
  template <typename F>
  auto with_connection(F&& work) {
    Lease lease(*this);
    return work(*lease.connection);
  }

  // A new connection to the same file, set up like the pool's (WAL,
  // synchronous=FULL, foreign keys, busy timeout), for the caller alone.
  std::unique_ptr<Connection> dedicated_connection() const;

  int schema_version();
  const std::string& path() const { return path_; }

 private:
  Database(std::string path, bool create);
  struct Lease {
    explicit Lease(Database& db);
    ~Lease();
    Database& db;
    std::unique_ptr<Connection> connection;
  };
  std::unique_ptr<Connection> acquire();
  void release(std::unique_ptr<Connection> c);

  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

// The schema version this binary writes (migrations.cpp).
int latest_schema_version();
// Migrates forward to `up_to_version` (tests build old schemas with it), one
// transaction per step; throws for a schema newer than latest.
void migrate(Connection& connection, int up_to_version = latest_schema_version());

}  // namespace masthead::store::sqlite
