// Server: the HTTP/1.1 server that runs Masthead's handlers.
//
// Built on Boost.Beast and Asio with C++20 coroutines: one session coroutine
// per connection reads a request under the configured limits, converts it to a
// plain Request, calls the handler on the same io thread, and writes the
// Response. A route registered as kBlocking (router.h) runs instead on a
// bounded pool of blocking threads, while the connection's coroutine waits
// without holding its io thread; a full pool answers 503 with Retry-After.
// Beast and Asio stay inside src/http (this header includes neither), so the
// rest of the code base compiles fast.
//
// Limits and what breaking them earns: malformed request line or headers 400,
// headers over max_header_bytes 431, body over max_body_bytes 413, a request
// not received within request_timeout 408 (then close), an idle keep-alive
// connection closed after idle_timeout. A handler that throws gets a 500 and
// the connection stays usable. stop() stops accepting and lets in-flight
// requests finish (up to shutdown_grace; a request already in the blocking
// pool always finishes) before run() returns.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

namespace masthead::http {

struct AccessLogEntry {
  std::string_view remote_address;
  Method method;
  std::string_view target;
  int status;
  std::size_t bytes;  // body bytes sent
  std::chrono::microseconds duration;
  std::string_view user_agent;
};

struct ServerOptions {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port; listen() returns it
  unsigned threads = 0;       // 0: one io thread per core
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::milliseconds request_timeout{15000};
  std::chrono::milliseconds idle_timeout{60000};
  std::chrono::milliseconds shutdown_grace{10000};
  // Threads that run kBlocking routes (started only when the router has
  // one), and how many more such requests may wait for a free thread; past
  // both, 503 with Retry-After: 1. blocking_threads must be at least 1.
  unsigned blocking_threads = 4;
  std::size_t blocking_queue = 64;
  std::size_t gzip_min_bytes = 1024;
  // Added to every response that does not set them itself (security headers).
  std::vector<Header> default_headers;
  // Called once per request after the response is written; may be empty.
  std::function<void(const AccessLogEntry&)> access_log;
  // Called with a one-line message when a handler throws or returns a
  // response that cannot be sent (both answered with 500); may be empty.
  // Like access_log, called concurrently from the io threads (and, for
  // blocking routes, from the blocking threads).
  std::function<void(std::string_view message)> error_log;
};

class Server {
 public:
  // Serves the router's routes, each as its Dispatch says. Throws
  // std::invalid_argument for blocking_threads == 0.
  Server(ServerOptions options, Router router);
  // Every request goes to `handler`, inline on the io threads.
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; returns the port actually bound. Throws std::runtime_error
  // with a readable message when the address cannot be bound.
  std::uint16_t listen();
  // Runs the io threads until stop() (or a signal, see stop_on_signals) and
  // every in-flight request has finished. Call listen() first.
  void run();
  // Graceful stop; safe to call from any thread or a signal-handling context
  // set up by stop_on_signals.
  void stop();
  // SIGINT and SIGTERM call stop().
  void stop_on_signals();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace masthead::http
