#include "core/store/group_expirer.h"

#include <chrono>

namespace ferry::core::store {
namespace {
// How often the soonest deadline is looked at: expiry lags a deadline by at most this much
// plus the time of the write.
constexpr std::chrono::milliseconds kTick{100};
}  // namespace

GroupExpirer::GroupExpirer(Store& store) : store_(store), thread_([this] { run(); }) {}

GroupExpirer::~GroupExpirer() { stop(); }

void GroupExpirer::expireDue(Store& store, int64_t now_nanos) {
  // One write per batch: pushes queued meanwhile go first, then the next batch queues
  // behind them. A failed write stops the round; the next tick tries again.
  while (store.expire(now_nanos) > 0 && store.nextDeadline() <= now_nanos) {
  }
}

void GroupExpirer::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    store_.stopExpiring();
  }
}

void GroupExpirer::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, kTick, [this] { return stopping_; })) {
    lock.unlock();
    expireDue(store_, nowNanos());
    lock.lock();
  }
}

}  // namespace ferry::core::store
