// OrderedPool: runs tasks on worker threads and hands their results back in the order the tasks
// were submitted, so that work done in parallel is consumed as if it had been done in sequence.
//
//   OrderedPool<Unit> pool(threads, window);
//   for (each piece) { while (pool.full()) Use(pool.Take()); pool.Submit(task); }
//   while (pool.pending()) Use(pool.Take());
//
// At most `window` tasks are submitted and not yet taken back: what bounds the memory in flight.
// Take waits for the oldest task; while it waits, the owner runs tasks no worker has started, so
// that with 0 workers (or none startable) every task runs on the owner's thread, in order.
// Thread-safety: Submit, Take, Ready, full and pending are called by one thread (the owner).
// Tasks run on any thread, concurrently with each other and with the owner; a task must not
// throw (a result type holding a Status reports failures). The destructor waits for running
// tasks and drops results not taken.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

namespace rasai {

template <class R>
class OrderedPool {
 public:
  OrderedPool(int threads, size_t window) : window_(window < 1 ? 1 : window) {
    for (int i = 0; i < threads; ++i) {
      try {
        workers_.emplace_back([this] { Work(); });
      } catch (const std::system_error&) {
        break;  // fewer workers: the owner runs what they do not
      }
    }
  }
  ~OrderedPool() {
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_ = true;
    }
    work_cv_.notify_all();
    for (std::thread& t : workers_) t.join();
  }
  OrderedPool(const OrderedPool&) = delete;
  OrderedPool& operator=(const OrderedPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()); }
  size_t pending() const { return slots_.size(); }
  bool full() const { return slots_.size() >= window_; }

  // Queues a task. REQUIRES: !full().
  void Submit(std::function<R()> task) {
    auto slot = std::make_shared<Slot>();
    slot->task = std::move(task);
    {
      std::lock_guard<std::mutex> l(mu_);
      slots_.push_back(slot);
      queue_.push_back(slot);
    }
    work_cv_.notify_one();
  }

  // Whether the oldest pending task has finished (Take would not wait). REQUIRES: pending() > 0.
  bool Ready() {
    std::lock_guard<std::mutex> l(mu_);
    return slots_.front()->result.has_value();
  }

  // The result of the oldest pending task. REQUIRES: pending() > 0.
  R Take() {
    std::shared_ptr<Slot> oldest = slots_.front();
    std::unique_lock<std::mutex> l(mu_);
    while (!oldest->result) {
      if (!queue_.empty()) {  // help: run the next unstarted task here
        std::shared_ptr<Slot> s = queue_.front();
        queue_.pop_front();
        l.unlock();
        R r = s->task();
        l.lock();
        s->result.emplace(std::move(r));
        s->task = nullptr;
        done_cv_.notify_all();
        continue;
      }
      done_cv_.wait(l);
    }
    R r = std::move(*oldest->result);
    slots_.pop_front();
    return r;
  }

 private:
  struct Slot {
    std::function<R()> task;
    std::optional<R> result;
  };
  void Work() {
    std::unique_lock<std::mutex> l(mu_);
    for (;;) {
      work_cv_.wait(l, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      std::shared_ptr<Slot> s = queue_.front();
      queue_.pop_front();
      l.unlock();
      R r = s->task();
      l.lock();
      s->result.emplace(std::move(r));
      s->task = nullptr;
      done_cv_.notify_all();
    }
  }

  const size_t window_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<std::shared_ptr<Slot>> slots_;  // submitted, not taken; owner's only (read by Ready under mu_)
  std::deque<std::shared_ptr<Slot>> queue_;  // submitted, not started (under mu_)
  bool stop_ = false;
};

}  // namespace rasai
