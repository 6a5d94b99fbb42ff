// IndexJobs: the server's writer. Every change to the index (a batch of documents, an upload, a
// deletion) runs here as a job, one at a time and in order, on one thread of its own that runs
// below the visitors' searches in CPU priority (SCHED_IDLE by default): the HTTP library's polling
// threads never wait for a write, and a write gets a small share of the CPU when searches want it
// (nice 10 by default). Threads the index starts from a job (analysis, segment writing,
// background merges) inherit that priority and the thread's name, "rasai-writer".
//
// A job reports its progress as it goes (JobContext); Get()/List() show it to the operator's
// pages, and `done` is called with the outcome when it finishes (from the writer thread).
//
// Thread-safety: every method may be called from any thread. Ownership: a job's closures are
// owned by the queue until they have run (or been cancelled by Stop()).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace rasai::server {

// The scheduling of the writer thread. kLow: nice 10 (a tenth of the CPU share of one search
// thread); kLowest: SCHED_BATCH at nice 19; kIdle: SCHED_IDLE (only CPU time nothing else wants);
// kNormal: as the visitors' threads. The lower ones make a visitor wait longer whenever it needs
// something the writer holds (a lock inside the allocator or the kernel) while the writer waits
// for the CPU: with every core busy, a visitor's request waited up to 72 ms at nice 10, 0.9 s at
// nice 19 and 3 s under SCHED_IDLE (docs/benchmarks.md, "Writes and visitors").
enum class WritePriority { kNormal, kLow, kLowest, kIdle };
// "normal", "low", "lowest" or "idle"; nullopt for anything else.
std::optional<WritePriority> ParseWritePriority(std::string_view name);
const char* WritePriorityName(WritePriority p);

enum class JobState { kQueued, kRunning, kDone, kFailed, kCancelled };
const char* JobStateName(JobState s);

// What a job has done so far.
struct JobProgress {
  std::string phase;        // "queued", "reading", "committing", ... (English, for the API)
  uint64_t done = 0;        // units of the phase done (bytes or entries), and their total
  uint64_t total = 0;       // (0 = unknown)
  uint64_t documents = 0;   // documents added (or deleted) so far
  uint64_t problems = 0;    // inputs skipped or repaired
};

// How a job ended: an HTTP status and a JSON body (what the synchronous API would answer).
struct JobOutcome {
  int status = 200;
  nlohmann::json body = nlohmann::json::object();
};

struct JobInfo {
  uint64_t id = 0;
  std::string kind;   // "docs", "upload", "delete", "delete-source"
  std::string label;  // what the operator recognizes: a file name, an id, a source
  JobState state = JobState::kQueued;
  JobProgress progress;
  std::optional<JobOutcome> outcome;  // when finished
  int64_t created = 0, started = 0, finished = 0;  // Unix seconds; 0 = not yet

  nlohmann::json ToJson() const;
};

// Handed to a running job.
class JobContext {
 public:
  // Replaces the job's progress (shown by Get/List).
  void Report(const JobProgress& progress);
  JobProgress progress() const;
  // True once Stop() asked the job to end: it should return soon, committing nothing more.
  bool cancelled() const { return cancel_->load(std::memory_order_relaxed); }

 private:
  friend class IndexJobs;
  JobContext(class IndexJobs* owner, uint64_t id, const std::atomic<bool>* cancel)
      : owner_(owner), id_(id), cancel_(cancel) {}
  class IndexJobs* owner_;
  uint64_t id_;
  const std::atomic<bool>* cancel_;
};

class IndexJobs {
 public:
  using Work = std::function<JobOutcome(JobContext&)>;
  using Done = std::function<void(const JobOutcome&)>;

  struct Options {
    WritePriority priority = WritePriority::kLow;
    size_t max_queued = 32;                  // jobs waiting (the running one aside)
    size_t max_queued_bytes = 160u << 20;    // their request bodies held in memory, together
    size_t finished_kept = 64;               // finished jobs still shown by Get/List
  };

  IndexJobs();
  explicit IndexJobs(Options options);
  ~IndexJobs();  // Stop()
  IndexJobs(const IndexJobs&) = delete;
  IndexJobs& operator=(const IndexJobs&) = delete;

  // Queues `work`; returns its id, or nullopt when the queue is full (max_queued jobs, or
  // `bytes` more than max_queued_bytes would allow) or stopping. `bytes` is the memory the job
  // holds until it runs (its request body). `done` is called once with the outcome, on the
  // writer thread (or on the caller of Stop() for a job cancelled before it ran).
  std::optional<uint64_t> Submit(std::string kind, std::string label, Work work, Done done = {},
                                 size_t bytes = 0);

  std::optional<JobInfo> Get(uint64_t id) const;
  // Queued and running jobs first (oldest first), then finished ones (latest first).
  std::vector<JobInfo> List() const;
  // True while a job is queued or running.
  bool Busy() const;
  WritePriority priority() const { return options_.priority; }

  // Cancels the queued jobs (their `done` gets 503), asks the running one to stop, waits for it
  // and ends the thread. Submit fails afterwards. Idempotent.
  void Stop();

 private:
  friend class JobContext;
  struct Entry {
    JobInfo info;
    Work work;
    Done done;
    size_t bytes = 0;
  };
  void Loop();
  void Finish(const std::shared_ptr<Entry>& e, JobOutcome outcome, JobState state);

  Options options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Entry>> queue_;
  std::shared_ptr<Entry> running_;
  std::deque<std::shared_ptr<Entry>> finished_;  // latest first
  size_t queued_bytes_ = 0;
  uint64_t next_id_ = 1;
  bool stopping_ = false;
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace rasai::server
