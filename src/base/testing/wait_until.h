// wait_until(): wait for a condition nothing can signal, with a bound.
//
// Tests never sleep to let something happen: they wait for the thing itself.
// When the code under test offers a signal (a condition variable, a future,
// Courier::wait_for, a socket read) the test waits on that. Some conditions
// have none: a file another process writes, a child process's exit. For
// those, wait_until() polls `done` every `interval` until it holds, and
// gives up after `timeout`, which only a broken test ever reaches: make it
// generous (seconds), since on a loaded machine the condition may take long
// to come true, and a test that passes never waits for the bound.
//
// The answer is the last value of done(), so the caller asserts on it:
//   ASSERT_TRUE(wait_until([&] { return exists(path); }, 10s));
//
// What it must not be used for is a negative ("nothing was sent"): waiting
// for a bound and then finding nothing proves only that nothing happened
// yet. Make the event observable instead (a counter after a deterministic
// step, a later event that would come after it).
//
// Test code only.
#pragma once

#include <chrono>
#include <thread>

namespace masthead::base::testing {

template <class Done>
bool wait_until(Done&& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval = std::chrono::milliseconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return static_cast<bool>(done());
    std::this_thread::sleep_for(interval);
  }
}

}  // namespace masthead::base::testing
