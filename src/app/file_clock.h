// FileClock: a clock the integration and browser tests can set.
//
// What it is. `serve --clock-file PATH` (a testing option, hidden from
// --help) makes the server's "now" the ISO 8601 instant written in PATH,
// re-read at most every 20 ms, instead of the system clock. Tests write
// "2026-11-30T14:59:59Z" into the file to carry readers across a metering
// period's midnight or month end without waiting for it. An unreadable or
// malformed file keeps the last good instant (the first must be good).
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

#include "base/clock.h"

namespace masthead::app {

class FileClock final : public base::Clock {
 public:
  // Throws std::runtime_error when `path` does not hold an instant.
  explicit FileClock(std::string path);
  base::TimePoint now() const override;

 private:
  bool read() const;

  std::string path_;
  mutable std::mutex mutex_;
  mutable base::TimePoint now_{};
  mutable std::chrono::steady_clock::time_point next_read_{};
};

}  // namespace masthead::app
