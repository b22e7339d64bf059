// See courier.h. The thread's loop is: wait (notify, stop or poll_interval),
// then drain until a batch comes back short. Counts are kept under the same
// mutex as the wake-up flags, and every change is signalled on `progress_`
// so that tests can wait for an outcome instead of sleeping.
#include "mail/courier.h"

#include <exception>
#include <string>

namespace masthead::mail {

std::string redact_address(std::string_view address) {
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0) return "***";
  return std::string(address.substr(0, 1)) + "***" + std::string(address.substr(at));
}

Courier::Courier(Outbox& outbox, Sender& sender, const base::Clock& clock, CourierOptions options)
    : outbox_(outbox), sender_(sender), clock_(clock), options_(std::move(options)) {
  if (options_.batch == 0) options_.batch = 1;
  thread_ = std::thread([this] { run(); });
}

Courier::~Courier() {
  request_stop();
  thread_.join();
}

void Courier::request_stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
}

void Courier::notify() {
  {
    std::lock_guard lock(mutex_);
    notified_ = true;
  }
  wake_.notify_all();
}

Courier::Counts Courier::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

bool Courier::wait_for(const std::function<bool(const Counts&)>& done,
                       std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return progress_.wait_for(lock, timeout, [&] { return done(counts_); });
}

std::size_t Courier::drain_once() {
  std::lock_guard drain(drain_mutex_);
  std::size_t handled = 0;
  auto count = [&](std::size_t Counts::*field) {
    {
      std::lock_guard lock(mutex_);
      ++(counts_.*field);
    }
    progress_.notify_all();
  };
  try {
    for (;;) {
      std::vector<QueuedMail> batch = outbox_.due(clock_.now(), options_.batch);
      for (const QueuedMail& mail : batch) {
        {
          std::lock_guard lock(mutex_);
          if (stop_) return handled;  // the rest stays leased and comes back later
        }
        SendOutcome outcome = sender_.send(mail);
        ++handled;
        if (outcome.kind == SendOutcome::Kind::kSent) {
          outbox_.mark_sent(mail.id);
          count(&Counts::sent);
          continue;
        }
        const Retry retry =
            outcome.kind == SendOutcome::Kind::kPermanent ? Retry::kNever : Retry::kLater;
        const FailureOutcome result =
            outbox_.mark_failed(mail.id, clock_.now(), outcome.error, retry);
        const bool gave_up = result == FailureOutcome::kGivenUp;
        if (options_.log)
          options_.log("mail " + std::to_string(mail.id) + " to " +
                       redact_address(mail.message.to) +
                       (gave_up ? " given up: " : " will be retried: ") + outcome.error);
        count(gave_up ? &Counts::given_up : &Counts::retried);
      }
      if (batch.size() < options_.batch) break;
    }
  } catch (const std::exception& e) {
    if (options_.log) options_.log(std::string("mail outbox error: ") + e.what());
    count(&Counts::errors);
  }
  return handled;
}

void Courier::run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    lock.unlock();
    drain_once();
    lock.lock();
    wake_.wait_for(lock, options_.poll_interval, [this] { return stop_ || notified_; });
    notified_ = false;
  }
}

}  // namespace masthead::mail
