// Internal: the background merger — one thread that runs the writer's merges when asked, so that
// Commit returns once the change is durable while merges go on (IndexOptions::background_merge).
//
// Thread-safety: Request and Wait from any thread. The destructor waits for a merge in progress.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "rasai/status.h"

namespace rasai {

class BackgroundMerger {
 public:
  // `run` merges until the policy has nothing to do; it is called on the merger's thread.
  explicit BackgroundMerger(std::function<Status()> run) : run_(std::move(run)) {}
  ~BackgroundMerger();
  // Asks for a run (started on a thread of its own at the first request).
  void Request();
  // Waits until no run is in progress or asked for; the error of the last failed run, if any.
  Status Wait();

 private:
  void Loop();
  std::function<Status()> run_;
  std::mutex mu_;
  std::condition_variable cv_, idle_cv_;
  bool requested_ = false, running_ = false, stop_ = false;
  Status error_;
  std::thread thread_;
};

}  // namespace rasai
