// Connection: one accepted TCP connection and the coroutine that serves it.
//
// serve() is the whole HTTP/1.1 life of a connection, in order: wait for the
// first byte of a request (idle), read and parse it under the limits, call
// the handler, write the response as {header block, body} in one gathered
// write, and loop while keep-alive allows. Requests are handled strictly in
// order, so pipelined requests are answered correctly (just not in
// parallel). All buffers (the read buffer, the Request, the header block,
// the gzip scratch) belong to the connection and keep their capacity from
// one request to the next.
//
// The handler is called in place for inline routes. For a kBlocking route
// serve() co_awaits the BlockingPool instead: the handler runs on a pool
// thread with the connection's Request, and serve() resumes on this
// connection's io thread to write the answer. While it waits the connection
// is busy (not closed by shutdown) and touches nothing the pool thread uses;
// the watchdog has nothing to cancel then, so the deadline is lifted.
//
// Time limits use one watchdog coroutine per connection instead of arming a
// timer per read: serve() only stores a deadline (a clock read, no timer
// operation), and the watchdog wakes at most every ServerState::tick to
// compare. Because no deadline is ever set closer than one tick ahead, the
// watchdog is never late. When a deadline passes it cancels the socket's
// pending operation and marks the connection timed out; serve() then
// decides: an idle wait just closes, a half-received request gets 408.
//
// States, as seen from the worker (same thread, so always at a suspension
// point): idle (waiting for a request's first byte; closed at once by
// shutdown), busy (reading a request, writing a response, lingering), done.
// Invariant: the Connection is registered with its Worker from the moment
// serve starts until it is destroyed.
//
// Internal to src/http (includes Asio and Beast).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "http/request.h"
#include "http/request_parser.h"
#include "http/response.h"
#include "http/router.h"

namespace masthead::http {

class Worker;
struct ServerState;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // Spawns the connection's coroutines on the worker's io_context. May be
  // called from any thread (the acceptor's).
  static void start(Worker& worker, boost::asio::ip::tcp::socket socket);

  Connection(Worker& worker, boost::asio::ip::tcp::socket socket);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Worker thread only.
  void close_if_idle();
  void force_close();

 private:
  using Clock = std::chrono::steady_clock;
  using error_code = boost::system::error_code;

  boost::asio::awaitable<void> serve();
  boost::asio::awaitable<void> watchdog();
  boost::asio::awaitable<error_code> read_request();
  boost::asio::awaitable<bool> write(std::string_view body);
  boost::asio::awaitable<void> linger();
  Response call_handler(const Handler& handler);
  boost::asio::awaitable<Response> call_blocking(const Handler& handler);
  void log_access(int status, std::size_t bytes, Clock::time_point started, bool parsed);
  void set_deadline(Clock::time_point deadline);

  Worker& worker_;
  const ServerState& state_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  boost::beast::flat_buffer buffer_;
  std::string remote_address_;
  Request request_;
  std::optional<RequestParser> parser_;
  std::string head_;
  std::string gzip_;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool idle_ = false;
  bool timed_out_ = false;
  bool done_ = false;
};

}  // namespace masthead::http
