// BlockingPool: admission count, hand-off and completion; see blocking_pool.h.
//
// The hand-off is an async_initiate whose initiation posts the job to the
// thread pool. The completion handler (the awaiting coroutine's
// continuation) travels with the job together with a work guard on the
// coroutine's executor, and is posted back to that executor once the job has
// returned: the coroutine never resumes on a pool thread. The admission count
// is released before the completion is posted, so a reader retrying right
// after its answer finds the slot free.
//
// Pool threads run at a lower CPU priority (nice +10, set by each thread the
// first time it runs a job): on a two-core machine a few argon2id hashes at
// once would otherwise take the cores from the io threads, and every page
// would wait behind logins. With the io threads at the default priority the
// scheduler gives them the CPU first; the hashes use what is left.
#include "http/blocking_pool.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <stdexcept>
#include <utility>

namespace masthead::http {

namespace asio = boost::asio;

namespace {
constexpr int kPoolNice = 10;

void lower_this_threads_priority() {
  thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  // Linux keeps a nice value per thread; PRIO_PROCESS with a thread id sets it.
  setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), kPoolNice);
}
}  // namespace

BlockingPool::BlockingPool(unsigned threads, std::size_t queue)
    : pool_(threads), capacity_(threads + queue) {
  if (threads == 0) throw std::invalid_argument("BlockingPool: no threads");
}

BlockingPool::~BlockingPool() {
  join();
}

void BlockingPool::join() {
  pool_.join();
}

bool BlockingPool::try_admit() {
  std::size_t admitted = admitted_.load(std::memory_order_relaxed);
  do {
    if (admitted >= capacity_) return false;
  } while (!admitted_.compare_exchange_weak(admitted, admitted + 1, std::memory_order_relaxed));
  return true;
}

asio::awaitable<bool> BlockingPool::run(std::function<void()> job) {
  if (!try_admit()) co_return false;
  auto executor = co_await asio::this_coro::executor;
  std::exception_ptr error;
  // `job` and `error` live in this coroutine's frame, which stays put until
  // the completion below resumes it.
  co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
      [this, &job, &error, executor](auto completion) {
        asio::post(pool_, [this, &job, &error, completion = std::move(completion),
                           work = asio::make_work_guard(executor)]() mutable {
          lower_this_threads_priority();
          try {
            job();
          } catch (...) {
            error = std::current_exception();
          }
          admitted_.fetch_sub(1, std::memory_order_relaxed);
          asio::post(work.get_executor(), std::move(completion));
        });
      },
      asio::use_awaitable);
  if (error) std::rethrow_exception(error);
  co_return true;
}

}  // namespace masthead::http
