#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ferry::core::net {

// A fixed number of threads running tasks in arrival order. Tasks beyond the threads wait in
// the queue (they hold no thread); the queue is bounded by the callers (one task per
// connection at most).
class WorkerPool {
 public:
  // `name` names the threads (pthread names are at most 15 characters).
  WorkerPool(unsigned threads, std::string name);
  ~WorkerPool();  // runs the queued tasks, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void submit(std::function<void()> task);
  size_t queued() const;

 private:
  void work();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ferry::core::net
