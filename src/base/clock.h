// Clock: where "now" comes from.
//
// Nothing in Masthead reads the system clock directly: handlers and rules take
// a Clock so that tests can hold time still or move it across a midnight or a
// month end (FakeClock). Times are UTC instants (system_clock::time_point);
// turning them into a publication's local dates is render's job (ICU).
#pragma once

#include <atomic>
#include <chrono>

namespace masthead::base {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
  TimePoint now() const override { return TimePoint(TimePoint::duration(now_.load())); }
  void set(TimePoint t) { now_.store(t.time_since_epoch().count()); }
  void advance(std::chrono::system_clock::duration d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<TimePoint::rep> now_;
};

}  // namespace masthead::base
