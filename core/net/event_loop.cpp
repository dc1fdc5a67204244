#include "core/net/event_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace ferry::core::net {
namespace {

[[noreturn]] void throwErrno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

EventLoop::EventLoop() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throwErrno("epoll_create1");
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    close(epoll_fd_);
    throwErrno("eventfd");
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // the wake-up descriptor
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) != 0) {
    close(wake_fd_);
    close(epoll_fd_);
    throwErrno("epoll_ctl");
  }
  now_ = Clock::now();
  last_sweep_ = now_;
  next_sweep_ = now_ + sweep_period_;
}

EventLoop::~EventLoop() {
  close(wake_fd_);
  close(epoll_fd_);
}

void EventLoop::add(int fd, uint32_t events, Watcher* watcher) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = watcher;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) throwErrno("epoll_ctl(ADD)");
}

void EventLoop::modify(int fd, uint32_t events, Watcher* watcher) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = watcher;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev) != 0) throwErrno("epoll_ctl(MOD)");
}

void EventLoop::remove(int fd) { epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr); }

void EventLoop::post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    posted_.push_back(std::move(task));
  }
  if (!wake_pending_.exchange(true)) wake();
}

void EventLoop::wake() {
  uint64_t one = 1;
  // EAGAIN means the counter is already non-zero: the loop wakes up either way.
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
}

void EventLoop::stop() {
  stop_.store(true);
  wake_pending_.store(true);
  wake();
}

void EventLoop::setSweep(std::chrono::milliseconds period, std::chrono::milliseconds min_gap,
                         std::function<void(Clock::time_point)> sweep) {
  sweep_period_ = period;
  sweep_min_gap_ = min_gap;
  sweep_ = std::move(sweep);
  next_sweep_ = now_ + period;
}

void EventLoop::drainPosted() {
  uint64_t count = 0;
  [[maybe_unused]] ssize_t n = read(wake_fd_, &count, sizeof count);
  wake_pending_.store(false);
  std::vector<std::function<void()>> tasks;
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks.swap(posted_);
  }
  for (auto& task : tasks) task();
}

void EventLoop::run() {
  constexpr int kMaxEvents = 256;
  epoll_event events[kMaxEvents];
  while (!stop_.load(std::memory_order_relaxed)) {
    Clock::time_point due = next_sweep_;
    if (due < last_sweep_ + sweep_min_gap_) due = last_sweep_ + sweep_min_gap_;
    long long wait = 0;
    if (soon_.empty()) {
      wait = std::chrono::duration_cast<std::chrono::milliseconds>(due - now_).count() + 1;
      if (wait < 0) wait = 0;
    }
    int n = epoll_wait(epoll_fd_, events, kMaxEvents, static_cast<int>(wait));
    if (n < 0 && errno != EINTR) throwErrno("epoll_wait");
    now_ = Clock::now();
    for (int i = 0; i < n; ++i) {
      auto* watcher = static_cast<Watcher*>(events[i].data.ptr);
      if (watcher == nullptr) {
        drainPosted();
      } else {
        watcher->onEvents(events[i].events);
      }
    }
    if (!soon_.empty()) {
      std::vector<std::function<void()>> tasks;
      tasks.swap(soon_);
      for (auto& task : tasks) task();
    }
    if (sweep_ && now_ >= next_sweep_ && now_ >= last_sweep_ + sweep_min_gap_) {
      last_sweep_ = now_;
      next_sweep_ = now_ + sweep_period_;
      sweep_(now_);
    }
  }
  drainPosted();
  while (!soon_.empty()) {
    std::vector<std::function<void()>> tasks;
    tasks.swap(soon_);
    for (auto& task : tasks) task();
  }
}

}  // namespace ferry::core::net
