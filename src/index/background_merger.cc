// The background merger's thread.
#include "index/background_merger.h"

namespace rasai {

BackgroundMerger::~BackgroundMerger() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();  // a merge in progress finishes first
}

void BackgroundMerger::Request() {
  {
    std::lock_guard<std::mutex> l(mu_);
    requested_ = true;
    if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
  }
  cv_.notify_all();
}

Status BackgroundMerger::Wait() {
  std::unique_lock<std::mutex> l(mu_);
  idle_cv_.wait(l, [&] { return !requested_ && !running_; });
  return error_;
}

void BackgroundMerger::Loop() {
  std::unique_lock<std::mutex> l(mu_);
  for (;;) {
    cv_.wait(l, [&] { return stop_ || requested_; });
    if (stop_) break;
    requested_ = false;
    running_ = true;
    l.unlock();
    Status st = run_();
    l.lock();
    running_ = false;
    if (!st.ok()) error_ = st;
    idle_cv_.notify_all();
  }
  running_ = false;
  requested_ = false;
  idle_cv_.notify_all();
}

}  // namespace rasai
