#include "server/index_jobs.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <exception>

namespace rasai::server {
namespace {

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Puts the calling thread at `p`. Threads it starts later inherit the policy and nice value
// (Linux copies both on clone), which is how the index's own threads end up below searches too.
void LowerPriority(WritePriority p) {
  pthread_setname_np(pthread_self(), "rasai-writer");
  if (p == WritePriority::kNormal) return;
  const pid_t tid = static_cast<pid_t>(syscall(SYS_gettid));
  const int nice = p == WritePriority::kLow ? 10 : 19;
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(tid), nice) != 0) std::perror("rasai: setpriority (writer)");
  if (p == WritePriority::kLow) return;
  sched_param param{};
  param.sched_priority = 0;
  const int policy = p == WritePriority::kIdle ? SCHED_IDLE : SCHED_BATCH;
  if (sched_setscheduler(0, policy, &param) != 0) std::perror("rasai: sched_setscheduler (writer)");
}

}  // namespace

std::optional<WritePriority> ParseWritePriority(std::string_view name) {
  if (name == "normal") return WritePriority::kNormal;
  if (name == "low") return WritePriority::kLow;
  if (name == "lowest") return WritePriority::kLowest;
  if (name == "idle") return WritePriority::kIdle;
  return std::nullopt;
}

const char* WritePriorityName(WritePriority p) {
  switch (p) {
    case WritePriority::kNormal: return "normal";
    case WritePriority::kLow: return "low";
    case WritePriority::kLowest: return "lowest";
    case WritePriority::kIdle: return "idle";
  }
  return "low";
}

const char* JobStateName(JobState s) {
  switch (s) {
    case JobState::kQueued: return "queued";
    case JobState::kRunning: return "running";
    case JobState::kDone: return "done";
    case JobState::kFailed: return "failed";
    case JobState::kCancelled: return "cancelled";
  }
  return "failed";
}

nlohmann::json JobInfo::ToJson() const {
  nlohmann::json j = {{"id", id},
                      {"kind", kind},
                      {"label", label},
                      {"state", JobStateName(state)},
                      {"phase", progress.phase},
                      {"done", progress.done},
                      {"total", progress.total},
                      {"documents", progress.documents},
                      {"problems", progress.problems},
                      {"created", created},
                      {"started", started},
                      {"finished", finished}};
  if (outcome) {
    j["status"] = outcome->status;
    j["result"] = outcome->body;
  }
  return j;
}

void JobContext::Report(const JobProgress& progress) {
  std::lock_guard<std::mutex> l(owner_->mu_);
  if (owner_->running_ && owner_->running_->info.id == id_) owner_->running_->info.progress = progress;
}

JobProgress JobContext::progress() const {
  std::lock_guard<std::mutex> l(owner_->mu_);
  if (owner_->running_ && owner_->running_->info.id == id_) return owner_->running_->info.progress;
  return {};
}

IndexJobs::IndexJobs() : IndexJobs(Options()) {}
IndexJobs::IndexJobs(Options options) : options_(options) {}
IndexJobs::~IndexJobs() { Stop(); }

std::optional<uint64_t> IndexJobs::Submit(std::string kind, std::string label, Work work, Done done, size_t bytes) {
  std::lock_guard<std::mutex> l(mu_);
  if (stopping_ || queue_.size() >= options_.max_queued) return std::nullopt;
  if (queued_bytes_ > 0 && queued_bytes_ + bytes > options_.max_queued_bytes) return std::nullopt;
  auto e = std::make_shared<Entry>();
  e->info.id = next_id_++;
  e->info.kind = std::move(kind);
  e->info.label = std::move(label);
  e->info.progress.phase = "queued";
  e->info.created = UnixNow();
  e->work = std::move(work);
  e->done = std::move(done);
  e->bytes = bytes;
  queued_bytes_ += bytes;
  queue_.push_back(e);
  if (!thread_.joinable()) {
    try {
      thread_ = std::thread([this] { Loop(); });
    } catch (const std::system_error&) {
      queue_.pop_back();
      queued_bytes_ -= bytes;
      return std::nullopt;
    }
  }
  cv_.notify_all();
  return e->info.id;
}

void IndexJobs::Loop() {
  LowerPriority(options_.priority);
  std::unique_lock<std::mutex> l(mu_);
  for (;;) {
    cv_.wait(l, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    std::shared_ptr<Entry> e = queue_.front();
    queue_.pop_front();
    queued_bytes_ -= e->bytes;
    running_ = e;
    e->info.state = JobState::kRunning;
    e->info.started = UnixNow();
    if (e->info.progress.phase == "queued") e->info.progress.phase = "starting";
    l.unlock();
    JobContext context(this, e->info.id, &cancel_);
    JobOutcome outcome;
    JobState state = JobState::kDone;
    try {
      outcome = e->work(context);
    } catch (const std::exception& ex) {
      outcome.status = 500;
      outcome.body = {{"error", std::string("internal error: ") + ex.what()}, {"status", 500}};
    }
    if (outcome.status >= 400) state = cancel_.load() ? JobState::kCancelled : JobState::kFailed;
    Finish(e, std::move(outcome), state);
    l.lock();
    running_.reset();
  }
}

void IndexJobs::Finish(const std::shared_ptr<Entry>& e, JobOutcome outcome, JobState state) {
  Done done;
  {
    std::lock_guard<std::mutex> l(mu_);
    e->info.state = state;
    e->info.finished = UnixNow();
    if (e->info.started == 0) e->info.started = e->info.finished;
    e->info.progress.phase = JobStateName(state);
    e->info.outcome = outcome;
    e->work = nullptr;  // frees what the job held (a request body)
    done = std::move(e->done);
    finished_.push_front(e);
    while (finished_.size() > options_.finished_kept) finished_.pop_back();
  }
  if (done) done(outcome);
}

std::optional<JobInfo> IndexJobs::Get(uint64_t id) const {
  std::lock_guard<std::mutex> l(mu_);
  if (running_ && running_->info.id == id) return running_->info;
  for (const auto& e : queue_)
    if (e->info.id == id) return e->info;
  for (const auto& e : finished_)
    if (e->info.id == id) return e->info;
  return std::nullopt;
}

std::vector<JobInfo> IndexJobs::List() const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<JobInfo> out;
  if (running_) out.push_back(running_->info);
  for (const auto& e : queue_) out.push_back(e->info);
  for (const auto& e : finished_) out.push_back(e->info);
  return out;
}

bool IndexJobs::Busy() const {
  std::lock_guard<std::mutex> l(mu_);
  return running_ != nullptr || !queue_.empty();
}

void IndexJobs::Stop() {
  std::deque<std::shared_ptr<Entry>> cancelled;
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
    cancelled.swap(queue_);
    queued_bytes_ = 0;
  }
  cancel_.store(true);
  cv_.notify_all();
  JobOutcome stopping;
  stopping.status = 503;
  stopping.body = {{"error", "the server is stopping; this change was not made"}, {"status", 503}};
  for (const auto& e : cancelled) Finish(e, stopping, JobState::kCancelled);
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

}  // namespace rasai::server
