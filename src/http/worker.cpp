// Worker: per-thread io_context and graceful drain; see worker.h.
#include "http/worker.h"

#include <exception>
#include <string>

#include "http/connection.h"

namespace masthead::http {

Worker::Worker(const ServerState& state) : state_(state) {}

Worker::~Worker() {
  // From here on, connections destroyed along with the io_context only
  // unregister; the timer and work guard are about to go.
  destroying_ = true;
}

void Worker::remove(Connection* connection) {
  connections_.erase(connection);
  if (!destroying_) finish_if_drained();
}

void Worker::begin_shutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  for (Connection* connection : connections_) connection->close_if_idle();
  if (connections_.empty()) {
    finish_if_drained();
    return;
  }
  grace_.expires_after(state_.options.shutdown_grace);
  grace_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;  // cancelled: everything finished in time
    for (Connection* connection : connections_) connection->force_close();
  });
}

void Worker::finish_if_drained() {
  if (!shutting_down_ || !connections_.empty()) return;
  grace_.cancel();
  work_.reset();
}

void Worker::run() {
  for (;;) {
    try {
      context_.run();
      return;
    } catch (const std::exception& e) {
      state_.log_error(std::string("io thread: ") + e.what());
    } catch (...) {
      state_.log_error("io thread: unknown exception");
    }
  }
}

}  // namespace masthead::http
