// The per-connection coroutine; see connection.h for the design.
#include "http/connection.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <exception>

#include "http/http_date.h"
#include "http/response_writer.h"
#include "http/worker.h"

namespace masthead::http {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;
using boost::asio::ip::tcp;

namespace {

constexpr auto kUse = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kMaxLingerBytes = 1024 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// The status a failed read earns; 0 means close without answering (the
// peer went away, or the socket failed).
int status_for_read_error(const boost::system::error_code& ec) {
  if (ec == beast_http::error::header_limit) return 431;
  if (ec == beast_http::error::body_limit) return 413;
  if (ec.category() != beast_http::make_error_code(beast_http::error::bad_target).category()) {
    return 0;
  }
  if (ec == beast_http::error::partial_message || ec == beast_http::error::end_of_stream) {
    return 0;
  }
  return 400;
}

std::string_view error_body(int status) {
  switch (status) {
    case 400:
      return "Bad Request\n";
    case 408:
      return "Request Timeout\n";
    case 413:
      return "Content Too Large\n";
    case 431:
      return "Request Header Fields Too Large\n";
    case 503:
      return "Service Unavailable\n";
    case 501:
      return "Not Implemented: only the chunked transfer coding is supported\n";
    default:
      return "Internal Server Error\n";
  }
}

std::string peer_address(const tcp::socket& socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return {};
  auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

void report(const ServerState& state, std::exception_ptr error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    state.log_error(std::string("connection failed: ") + e.what());
  } catch (...) {
    state.log_error("connection failed: unknown exception");
  }
}

}  // namespace

void Connection::start(Worker& worker, tcp::socket socket) {
  auto connection = std::make_shared<Connection>(worker, std::move(socket));
  const ServerState& state = worker.state();
  auto executor = worker.context().get_executor();
  // The coroutine holds the only reference: were one left here, the
  // acceptor's thread could drop the last one (a connection that ended
  // before this returns) and run ~Connection, which edits the worker's
  // connection set, off the worker's thread.
  asio::co_spawn(
      executor,
      [connection = std::move(connection)]() -> asio::awaitable<void> {
        connection->worker_.add(connection.get());
        asio::co_spawn(
            connection->socket_.get_executor(),
            [connection]() -> asio::awaitable<void> { co_await connection->watchdog(); },
            [&state = connection->state_](std::exception_ptr e) { report(state, e); });
        co_await connection->serve();
      },
      [&state](std::exception_ptr e) { report(state, e); });
}

Connection::Connection(Worker& worker, tcp::socket socket)
    : worker_(worker),
      state_(worker.state()),
      socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      remote_address_(peer_address(socket_)) {
  head_.reserve(1024);
}

Connection::~Connection() {
  worker_.remove(this);
}

void Connection::close_if_idle() {
  if (idle_) force_close();
}

void Connection::force_close() {
  error_code ec;
  socket_.close(ec);
}

void Connection::set_deadline(Clock::time_point deadline) {
  deadline_ = deadline;
  timed_out_ = false;
}

asio::awaitable<void> Connection::watchdog() {
  while (!done_) {
    const auto now = Clock::now();
    if (now >= deadline_) {
      timed_out_ = true;
      error_code ec;
      socket_.cancel(ec);
      deadline_ = now + state_.tick;  // not reacted to by then: cancel again
    }
    timer_.expires_at(std::min(deadline_, now + state_.tick));
    co_await timer_.async_wait(kUse);
  }
}

asio::awaitable<void> Connection::serve() {
  const ServerOptions& options = state_.options;
  bool first = true;
  bool linger_before_close = false;
  for (;;) {
    // Idle: wait for the first byte of the next request (unless pipelined
    // bytes are already buffered). A fresh connection gets request_timeout,
    // a kept-alive one idle_timeout.
    if (buffer_.size() == 0) {
      if (state_.stopping.load(std::memory_order_relaxed) || worker_.shutting_down()) break;
      idle_ = true;
      set_deadline(Clock::now() + (first ? options.request_timeout : options.idle_timeout));
      auto [ec, n] = co_await socket_.async_read_some(buffer_.prepare(kReadChunk), kUse);
      idle_ = false;
      if (ec) break;
      buffer_.commit(n);
    }
    first = false;

    const auto started = Clock::now();
    set_deadline(started + options.request_timeout);
    if (error_code ec = co_await read_request()) {
      int status = timed_out_ ? 408 : status_for_read_error(ec);
      if (status == 400 && parser_ && parser_->unsupported_transfer_coding()) status = 501;
      if (status != 0) {
        Response response = Response::text(status, std::string(error_body(status)));
        WriteContext context;
        context.keep_alive = false;
        context.date = http_date_now();
        context.default_headers = &options.default_headers;
        WirePlan plan = write_head(response, context, head_, gzip_);
        set_deadline(Clock::now() + state_.tick);
        co_await write(plan.body);
        log_access(status, plan.body.size(), started, false);
        linger_before_close = true;
      }
      break;
    }

    request_.remote_address.assign(remote_address_);
    const RouteMatch route = state_.router.match(request_);
    Response response;
    if (route.dispatch == kBlocking && state_.blocking) {
      response = co_await call_blocking(*route.handler);
    } else {
      response = call_handler(*route.handler);
    }
    WriteContext context;
    context.request = &request_;
    context.version = parser_->version();
    context.keep_alive = parser_->keep_alive() && !state_.stopping.load(std::memory_order_relaxed);
    context.date = http_date_now();
    context.gzip_min_bytes = options.gzip_min_bytes;
    context.default_headers = &options.default_headers;
    WirePlan plan = write_head(response, context, head_, gzip_);
    set_deadline(Clock::now() + std::max(options.request_timeout, options.idle_timeout));
    bool written = co_await write(plan.body);
    log_access(response.status, written ? plan.body.size() : 0, started, true);
    if (!written) break;
    if (!plan.keep_alive) {
      // Only pipelined bytes we will never read can turn the close into a
      // reset; a client that sent one request and reads to EOF needs no wait.
      linger_before_close = buffer_.size() > 0;
      break;
    }
  }
  if (linger_before_close) co_await linger();
  force_close();
  done_ = true;
  timer_.cancel();
}

// Feeds the parser from the buffer, reading more as needed, until one whole
// request has been parsed into request_.
asio::awaitable<Connection::error_code> Connection::read_request() {
  const ServerOptions& options = state_.options;
  request_.method = Method::kOther;
  request_.target.clear();
  parser_.emplace(request_, options.max_header_bytes, options.max_body_bytes);
  parser_->eager(false);  // stop after the header so its size can be checked
  std::size_t header_bytes = 0;
  for (;;) {
    if (buffer_.size() > 0) {
      const bool header_was_done = parser_->is_header_done();
      error_code ec;
      std::size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == beast_http::error::need_more) {
        ec = {};
      } else if (ec) {
        co_return ec;
      }
      if (!header_was_done) {
        header_bytes += used;
        if (parser_->is_header_done()) {
          // Beast measures the limit from the start of the fields when the
          // request line arrived separately; the limit is on the whole block.
          if (header_bytes > options.max_header_bytes) co_return beast_http::error::header_limit;
          parser_->eager(true);
          if (!parser_->is_done() && parser_->expects_continue() && parser_->version() >= 11) {
            auto [wec, wn] = co_await asio::async_write(socket_, asio::buffer(kContinue), kUse);
            if (wec) co_return wec;
          }
        }
      }
      if (parser_->is_done()) co_return error_code{};
      if (used > 0 && buffer_.size() > 0) continue;
    }
    auto [ec, n] = co_await socket_.async_read_some(buffer_.prepare(kReadChunk), kUse);
    if (ec == asio::error::eof && parser_->got_some()) {
      error_code eof_ec;
      parser_->put_eof(eof_ec);
      co_return eof_ec ? eof_ec : error_code(beast_http::error::partial_message);
    }
    if (ec) co_return ec;
    buffer_.commit(n);
  }
}

// Runs on the io thread for inline routes and on a pool thread for blocking
// ones; it only reads state_ (log_error is thread-safe) and request_.
Response Connection::call_handler(const Handler& handler) {
  Response response;
  try {
    response = handler(request_);
  } catch (const std::exception& e) {
    state_.log_error("handler for " + std::string(method_name(request_.method)) + " " +
                     request_.target + " threw: " + e.what());
    return Response::text(500, std::string(error_body(500)));
  } catch (...) {
    state_.log_error("handler for " + std::string(method_name(request_.method)) + " " +
                     request_.target + " threw a non-std exception");
    return Response::text(500, std::string(error_body(500)));
  }
  if (const char* problem = response_problem(response)) {
    state_.log_error("handler for " + std::string(method_name(request_.method)) + " " +
                     request_.target + " returned an unsendable response: " + problem);
    return Response::text(500, std::string(error_body(500)));
  }
  return response;
}

asio::awaitable<Response> Connection::call_blocking(const Handler& handler) {
  set_deadline(Clock::time_point::max());
  Response response;
  bool ran = co_await state_.blocking->run([&] { response = call_handler(handler); });
  if (!ran) {
    response = Response::text(503, std::string(error_body(503)));
    response.set_header("Retry-After", "1");
  }
  co_return response;
}

asio::awaitable<bool> Connection::write(std::string_view body) {
  std::array<asio::const_buffer, 2> buffers{asio::buffer(head_),
                                            asio::buffer(body.data(), body.size())};
  auto [ec, n] = co_await asio::async_write(socket_, buffers, kUse);
  co_return !ec;
}

// Half-closes and drains what the peer still sends (at most a tick, at most
// kMaxLingerBytes), so that closing with unread input does not reset the
// connection and destroy the response we just wrote before the client has
// read it. Used after error responses, which are typically sent while the
// client is still sending an oversized header or body.
asio::awaitable<void> Connection::linger() {
  error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  buffer_.consume(buffer_.size());
  set_deadline(Clock::now() + state_.tick);
  std::size_t drained = 0;
  while (drained < kMaxLingerBytes) {
    auto [rec, n] = co_await socket_.async_read_some(buffer_.prepare(kReadChunk), kUse);
    if (rec) break;
    drained += n;
  }
}

// `parsed`: the request was read whole; otherwise its headers may be those
// of the previous request on the connection, so none are reported.
void Connection::log_access(int status, std::size_t bytes, Clock::time_point started, bool parsed) {
  if (!state_.options.access_log) return;
  AccessLogEntry entry{
      remote_address_,
      request_.method,
      request_.target,
      status,
      bytes,
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started),
      parsed ? request_.header("user-agent") : std::string_view{},
  };
  state_.options.access_log(entry);
}

}  // namespace masthead::http
