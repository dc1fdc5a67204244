#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

// One thread's epoll loop: descriptors it watches, tasks other threads hand it, and a timer
// sweep. Everything registered with a loop is touched only by that loop's thread, except
// through post().
namespace ferry::core::net {

class EventLoop {
 public:
  // Something the loop reports readiness to. Descriptors are registered edge-triggered.
  class Watcher {
   public:
    virtual ~Watcher() = default;
    virtual void onEvents(uint32_t events) = 0;  // EPOLLIN, EPOLLOUT, EPOLLRDHUP, EPOLLERR...
  };

  using Clock = std::chrono::steady_clock;

  EventLoop();  // throws std::system_error
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Loop thread only. `events` are EPOLL* bits (EPOLLET is the caller's choice).
  void add(int fd, uint32_t events, Watcher* watcher);
  void modify(int fd, uint32_t events, Watcher* watcher);
  void remove(int fd);

  // Any thread: runs `task` on the loop thread soon. Tasks posted after stop() still run before
  // run() returns.
  void post(std::function<void()> task);

  // Loop thread only: `sweep` runs at least every `period`, and as soon as possible after a
  // time given to wakeAt() (but not more often than every `min_gap`).
  void setSweep(std::chrono::milliseconds period, std::chrono::milliseconds min_gap,
                std::function<void(Clock::time_point)> sweep);
  void wakeAt(Clock::time_point when) {
    if (when < next_sweep_) next_sweep_ = when;
  }

  // Loop thread only: `task` runs on the next turn of the loop, after the events that are ready
  // by then (work split into steps so that one connection cannot keep the others waiting).
  void soon(std::function<void()> task) { soon_.push_back(std::move(task)); }

  // The loop's notion of now, refreshed once per wake-up (cheaper than a clock call each time).
  Clock::time_point now() const { return now_; }

  // Runs until stop(); then returns after running the posted tasks.
  void run();
  // Any thread.
  void stop();

 private:
  void drainPosted();
  void wake();

  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // eventfd
  std::mutex mu_;
  std::vector<std::function<void()>> posted_;  // under mu_
  std::atomic<bool> wake_pending_{false};
  std::atomic<bool> stop_{false};
  std::vector<std::function<void()>> soon_;
  std::function<void(Clock::time_point)> sweep_;
  std::chrono::milliseconds sweep_period_{1000};
  std::chrono::milliseconds sweep_min_gap_{50};
  Clock::time_point last_sweep_;
  Clock::time_point next_sweep_;
  Clock::time_point now_;
};

}  // namespace ferry::core::net
