// FileClock: a clock the integration and browser tests can set.
//
// What it is. `serve --clock-file PATH` (a testing option, hidden from
// --help) makes the server's "now" the ISO 8601 instant written in PATH
// instead of the system clock. Tests write "2026-11-30T14:59:59Z" into the
// file to carry readers across a metering period's midnight or month end
// without waiting for it. An unreadable or malformed file keeps the last
// good instant (the first must be good).
//
// The key idea: the file is read on every now(), so a request that starts
// after the test has written the file sees the new instant, and a test never
// waits for the server to notice (a cached instant re-read every N ms made
// every test that moves the clock sleep, and guess N). Reading a
// 21-byte file costs a few microseconds, nothing beside a request; this
// clock is never used outside tests. Writers should replace the file whole
// (write a temporary file, rename it over PATH) so no reader sees half an
// instant; a half-written one would be malformed and keep the last instant.
#pragma once

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
};

}  // namespace masthead::app
