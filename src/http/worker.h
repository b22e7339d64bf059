// Worker: one io thread, its io_context, and the connections it owns.
//
// The server runs one Worker per io thread. Each has its own io_context
// (concurrency hint 1), so a connection's reads, timer, handler call and
// writes all happen on one thread with no locks and no cross-core traffic;
// the acceptor (on worker 0) hands each accepted socket to the workers in
// turn. A worker's connection set and shutdown state are only touched on its
// own thread: other threads reach it with asio::post.
//
// Shutdown (begin_shutdown, posted by Server::stop): idle keep-alive
// connections are closed at once, busy ones finish their current response
// (and close, because ServerState::stopping makes it "Connection: close"),
// and a grace timer force-closes whatever is left after shutdown_grace. When
// the last connection has gone the work guard is released, so the io_context
// runs out of work and the worker's thread returns from run().
//
// Internal to src/http (includes Asio).
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string_view>
#include <unordered_set>

#include "http/blocking_pool.h"
#include "http/router.h"
#include "http/server.h"

namespace masthead::http {

class Connection;

// What every worker and connection of one Server shares (read-only but for
// the stopping flag).
struct ServerState {
  ServerOptions options;
  Router router;
  // Runs the router's kBlocking routes; null when it has none.
  std::unique_ptr<BlockingPool> blocking;
  std::atomic<bool> stopping{false};
  // Watchdog period: no connection deadline is ever shorter than this.
  std::chrono::steady_clock::duration tick;

  void log_error(std::string_view message) const {
    if (options.error_log) options.error_log(message);
  }
};

class Worker {
 public:
  explicit Worker(const ServerState& state);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  boost::asio::io_context& context() { return context_; }
  const ServerState& state() const { return state_; }

  // Called by connections on this worker's thread.
  void add(Connection* connection) { connections_.insert(connection); }
  void remove(Connection* connection);
  bool shutting_down() const { return shutting_down_; }

  // Runs on this worker's thread (post it).
  void begin_shutdown();
  // Runs the io_context until it is out of work; handler-independent
  // exceptions are logged and the loop resumes.
  void run();

 private:
  void finish_if_drained();

  const ServerState& state_;
  std::unordered_set<Connection*> connections_;
  bool shutting_down_ = false;
  bool destroying_ = false;
  // Declared after the set: destroying the io_context destroys suspended
  // connection coroutines, which remove themselves from connections_.
  boost::asio::io_context context_{1};
  boost::asio::steady_timer grace_{context_};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      context_.get_executor()};
};

}  // namespace masthead::http
