// Server: listening, io threads, and graceful stop.
//
// Shape: one Worker (io_context + thread) per io thread; worker 0 also owns
// the acceptor and the signal set. The accept loop hands accepted sockets to
// the workers round-robin, each socket already bound to its worker's
// io_context, so from then on a connection never crosses threads (only a
// blocking route's handler runs elsewhere, see blocking_pool.h). This
// scales like one event loop per core (nginx's model) without SO_REUSEPORT,
// which would let a second process silently share the port instead of
// failing to bind.
//
// Lifecycle: construct, listen() (bind now so errors surface before run),
// run() (blocks: runs worker 0 on the calling thread and the others on new
// threads), stop() from anywhere. stop() flips ServerState::stopping, closes
// the acceptor on worker 0 and from there posts begin_shutdown to every
// worker (see worker.h); run() returns when every worker has drained, then
// joins the blocking pool, which by then has nothing left to run: a
// connection whose request is in the pool keeps its worker from draining
// until the answer is written. A Server runs once.
//
// Routing: the server holds the Router. A plain-Handler server is a Router
// with no routes whose not-found handler is that Handler, so both kinds run
// the same request path.
#include "http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <optional>
#include <stdexcept>
#include <thread>

#include "http/connection.h"
#include "http/worker.h"

namespace masthead::http {

namespace asio = boost::asio;
using boost::asio::ip::tcp;

namespace {

constexpr auto kUse = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::milliseconds kAcceptRetry{50};

unsigned thread_count(unsigned requested) {
  if (requested != 0) return requested;
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

std::string endpoint_text(std::string_view host, std::uint16_t port) {
  bool v6 = host.find(':') != std::string_view::npos;
  return (v6 ? "[" + std::string(host) + "]" : std::string(host)) + ":" + std::to_string(port);
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, Router router) {
    if (options.blocking_threads == 0)
      throw std::invalid_argument("Server: blocking_threads must be at least 1");
    state.options = std::move(options);
    state.router = std::move(router);
    if (state.router.has_blocking_routes()) {
      state.blocking = std::make_unique<BlockingPool>(state.options.blocking_threads,
                                                      state.options.blocking_queue);
    }
    auto shortest = std::min(state.options.request_timeout, state.options.idle_timeout);
    state.tick =
        std::max<std::chrono::steady_clock::duration>(shortest, std::chrono::milliseconds(1));
    unsigned n = thread_count(state.options.threads);
    for (unsigned i = 0; i < n; ++i) workers.push_back(std::make_unique<Worker>(state));
  }

  asio::awaitable<void> accept_loop() {
    std::size_t next = 0;
    asio::steady_timer backoff(workers[0]->context());
    while (acceptor && acceptor->is_open()) {
      Worker& worker = *workers[next];
      next = (next + 1) % workers.size();
      auto [ec, socket] = co_await acceptor->async_accept(worker.context(), kUse);
      if (ec) {
        if (ec == asio::error::operation_aborted || state.stopping.load()) break;
        if (ec == asio::error::connection_aborted) continue;  // the client gave up
        // Out of descriptors or memory: do not spin, let the pressure ease.
        state.log_error("accept: " + ec.message());
        backoff.expires_after(kAcceptRetry);
        co_await backoff.async_wait(kUse);
        continue;
      }
      boost::system::error_code ignored;
      // Accepted once stop() has begun (the completion was already queued
      // when the acceptor closed): its worker may have drained and returned,
      // and would never serve or close it.
      if (state.stopping.load()) {
        socket.close(ignored);
        break;
      }
      socket.set_option(tcp::no_delay(true), ignored);
      Connection::start(worker, std::move(socket));
    }
  }

  // Fields are destroyed in reverse: signals and acceptor before the
  // workers whose io_context they use; the state last.
  ServerState state;
  std::vector<std::unique_ptr<Worker>> workers;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::signal_set> signals;
  bool ran = false;
};

namespace {

Router router_for(Handler handler) {
  if (!handler) throw std::invalid_argument("Server: empty handler");
  Router router;
  router.set_not_found(std::move(handler));
  return router;
}

}  // namespace

Server::Server(ServerOptions options, Router router)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router))) {}

Server::Server(ServerOptions options, Handler handler)
    : Server(std::move(options), router_for(std::move(handler))) {}

Server::~Server() = default;

std::uint16_t Server::listen() {
  Impl& impl = *impl_;
  if (impl.acceptor) throw std::logic_error("Server::listen called twice");
  const ServerOptions& options = impl.state.options;
  auto fail = [&](const std::string& why) -> std::runtime_error {
    return std::runtime_error("cannot listen on " + endpoint_text(options.bind, options.port) +
                              ": " + why);
  };

  boost::system::error_code ec;
  auto address = asio::ip::make_address(options.bind, ec);
  if (ec) throw fail("not an IP address");
  tcp::endpoint endpoint(address, options.port);
  tcp::acceptor acceptor(impl.workers[0]->context());
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw fail(ec.message());
  std::uint16_t port = acceptor.local_endpoint().port();

  impl.acceptor.emplace(std::move(acceptor));
  asio::co_spawn(impl.workers[0]->context(), impl.accept_loop(), [&impl](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& error) {
      impl.state.log_error(std::string("accept loop failed: ") + error.what());
    }
  });
  return port;
}

void Server::run() {
  Impl& impl = *impl_;
  if (!impl.acceptor) throw std::logic_error("Server::run called before listen");
  if (impl.ran) throw std::logic_error("Server::run called twice");
  impl.ran = true;
  std::vector<std::thread> threads;
  threads.reserve(impl.workers.size() - 1);
  for (std::size_t i = 1; i < impl.workers.size(); ++i) {
    threads.emplace_back([worker = impl.workers[i].get()] { worker->run(); });
  }
  impl.workers[0]->run();
  for (std::thread& thread : threads) thread.join();
  if (impl.state.blocking) impl.state.blocking->join();
}

void Server::stop() {
  Impl& impl = *impl_;
  if (impl.state.stopping.exchange(true)) return;
  asio::post(impl.workers[0]->context(), [&impl] {
    boost::system::error_code ignored;
    if (impl.acceptor) impl.acceptor->close(ignored);
    if (impl.signals) {
      impl.signals->cancel(ignored);
      // Back to the default disposition: a second Ctrl-C ends the process
      // even while requests drain.
      impl.signals->clear(ignored);
    }
    // Posted from here, after the acceptor has closed: a connection the
    // accept loop handed to a worker before this point reaches that worker
    // before its begin_shutdown, so no worker drains with one still on the
    // way; the accept loop drops any accepted after it.
    for (auto& worker : impl.workers) {
      asio::post(worker->context(), [w = worker.get()] { w->begin_shutdown(); });
    }
  });
}

void Server::stop_on_signals() {
  Impl& impl = *impl_;
  if (impl.signals || impl.state.stopping.load()) return;
  impl.signals.emplace(impl.workers[0]->context(), SIGINT, SIGTERM);
  impl.signals->async_wait([this](boost::system::error_code ec, int) {
    if (!ec) stop();
  });
}

}  // namespace masthead::http
