// BlockingPool: the bounded pool of threads that runs blocking routes.
//
// An io thread serves every connection it owns, so a handler that holds it
// for long (an argon2id password check takes about 0.1 s and 64 MiB, a
// payment gateway call up to 15 s) stalls every page on that thread. Routes
// registered with Dispatch::kBlocking run here instead: the connection
// coroutine co_awaits run(job); the job runs on a pool thread, and its
// completion is posted back to the coroutine's own executor, so the
// connection resumes on its io thread and writes the response there as
// usual. Nothing else of the connection is touched while the job runs.
//
// Bounded: at most `threads` jobs run and `queue` more wait for a thread. A
// job beyond that is refused at once (run() returns false without running
// it; the server answers 503 with Retry-After) instead of queueing without
// limit, so a flood of logins bounds both the memory (64 MiB per hash) and
// the wait of the readers already in line.
//
// Lifetime: while a job is admitted, its completion holds work on the
// awaiting io_context, so a worker cannot run out of work (and finish its
// graceful stop) before the jobs of its connections are done. join() waits
// for the threads; Server::run calls it after the workers have returned.
//
// Internal to src/http (includes Asio).
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstddef>
#include <functional>

namespace masthead::http {

class BlockingPool {
 public:
  // threads >= 1; queue may be 0 (a job waits for no one: all threads busy
  // means refused).
  BlockingPool(unsigned threads, std::size_t queue);
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // Runs job() on a pool thread and resumes the caller on its own executor
  // when job has returned; an exception from job is rethrown to the caller.
  // Returns false, without running job, when the pool is full. Thread-safe.
  boost::asio::awaitable<bool> run(std::function<void()> job);

  // Waits until every admitted job has finished and the threads have ended.
  void join();

 private:
  bool try_admit();

  boost::asio::thread_pool pool_;
  const std::size_t capacity_;            // threads + queue
  std::atomic<std::size_t> admitted_{0};  // running or waiting jobs
};

}  // namespace masthead::http
