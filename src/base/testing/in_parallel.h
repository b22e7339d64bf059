// in_parallel(): the race harness of the store conformance suites.
//
// Runs work(0) … work(threads − 1) on as many threads, all released at once
// by a latch, and joins them. The races the suites check (one free view
// left, one trial per account, one use of a link) only show when the
// requests really overlap, so the threads start together rather than as
// they are created. Test code only.
#pragma once

#include <latch>
#include <thread>
#include <vector>

namespace masthead::base::testing {

template <typename F>
void in_parallel(int threads, F work) {
  std::latch start(threads);
  std::vector<std::thread> running;
  running.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    running.emplace_back([&, i] {
      start.arrive_and_wait();
      work(i);
    });
  }
  for (std::thread& t : running) t.join();
}

}  // namespace masthead::base::testing
