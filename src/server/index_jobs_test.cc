#include "server/index_jobs.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace rasai::server {
namespace {

using namespace std::chrono_literals;

// A gate a job waits at until the test opens it.
struct Gate {
  std::promise<void> open;
  std::shared_future<void> opened = open.get_future().share();
};

JobOutcome Ok(int n) { return JobOutcome{200, {{"n", n}}}; }

TEST(IndexJobs, RunOneAtATimeInOrderAndReportProgress) {
  IndexJobs jobs;
  Gate gate;
  std::promise<void> first_running;
  std::vector<int> order;
  std::mutex order_mu;
  std::vector<std::future<JobOutcome>> outcomes;
  std::vector<std::shared_ptr<std::promise<JobOutcome>>> promises;
  for (int i = 0; i < 3; ++i) {
    auto p = std::make_shared<std::promise<JobOutcome>>();
    outcomes.push_back(p->get_future());
    promises.push_back(p);
    auto id = jobs.Submit(
        "docs", "batch " + std::to_string(i),
        [&, i](JobContext& job) {
          if (i == 0) {
            job.Report(JobProgress{.phase = "reading", .done = 5, .total = 10, .documents = 3});
            first_running.set_value();
            gate.opened.wait();
          }
          std::lock_guard<std::mutex> l(order_mu);
          order.push_back(i);
          return Ok(i);
        },
        [p](const JobOutcome& o) { p->set_value(o); });
    ASSERT_TRUE(id.has_value());
    EXPECT_EQ(*id, static_cast<uint64_t>(i + 1));
  }
  first_running.get_future().wait();
  std::optional<JobInfo> running = jobs.Get(1);
  ASSERT_TRUE(running.has_value());
  EXPECT_EQ(running->state, JobState::kRunning);
  EXPECT_EQ(running->progress.phase, "reading");
  EXPECT_EQ(running->progress.done, 5u);
  EXPECT_EQ(running->progress.total, 10u);
  EXPECT_EQ(running->progress.documents, 3u);
  EXPECT_EQ(jobs.Get(2)->state, JobState::kQueued);
  EXPECT_TRUE(jobs.Busy());
  EXPECT_EQ(jobs.List().size(), 3u);
  gate.open.set_value();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(outcomes[i].get().body["n"], i);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
  // Finished jobs stay visible with their outcome, latest first.
  for (int spin = 0; spin < 100 && jobs.Busy(); ++spin) std::this_thread::sleep_for(10ms);
  std::vector<JobInfo> list = jobs.List();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].id, 3u);
  EXPECT_EQ(list[0].state, JobState::kDone);
  ASSERT_TRUE(list[0].outcome.has_value());
  EXPECT_EQ(list[0].outcome->status, 200);
  EXPECT_EQ(list[0].ToJson()["state"], "done");
  EXPECT_EQ(list[0].ToJson()["result"]["n"], 2);
  EXPECT_FALSE(jobs.Get(99).has_value());
}

TEST(IndexJobs, AnErrorOutcomeOrAnExceptionFailsTheJob) {
  IndexJobs jobs;
  std::promise<JobOutcome> a, b;
  jobs.Submit("docs", "bad", [](JobContext&) { return JobOutcome{400, {{"error", "no"}}}; },
              [&](const JobOutcome& o) { a.set_value(o); });
  jobs.Submit("docs", "throws", [](JobContext&) -> JobOutcome { throw std::runtime_error("boom"); },
              [&](const JobOutcome& o) { b.set_value(o); });
  EXPECT_EQ(a.get_future().get().status, 400);
  JobOutcome thrown = b.get_future().get();
  EXPECT_EQ(thrown.status, 500);
  EXPECT_NE(thrown.body["error"].get<std::string>().find("boom"), std::string::npos);
  for (int spin = 0; spin < 100 && jobs.Busy(); ++spin) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(jobs.Get(1)->state, JobState::kFailed);
  EXPECT_EQ(jobs.Get(2)->state, JobState::kFailed);
}

TEST(IndexJobs, AFullQueueRefusesAndStopCancelsWhatWaits) {
  IndexJobs::Options options;
  options.max_queued = 2;
  options.max_queued_bytes = 100;
  IndexJobs jobs(options);
  Gate gate;
  std::promise<void> running;
  std::atomic<bool> saw_cancel{false};
  std::promise<JobOutcome> first;
  jobs.Submit(
      "docs", "long",
      [&](JobContext& job) {
        running.set_value();
        gate.opened.wait();
        saw_cancel = job.cancelled();
        return Ok(0);
      },
      [&](const JobOutcome& o) { first.set_value(o); });
  running.get_future().wait();
  std::vector<int> statuses;
  std::mutex mu;
  auto record = [&](const JobOutcome& o) {
    std::lock_guard<std::mutex> l(mu);
    statuses.push_back(o.status);
  };
  EXPECT_TRUE(jobs.Submit("docs", "a", [](JobContext&) { return Ok(1); }, record, 60).has_value());
  // 60 + 60 bytes would be over the 100 the queue may hold.
  EXPECT_FALSE(jobs.Submit("docs", "b", [](JobContext&) { return Ok(2); }, record, 60).has_value());
  EXPECT_TRUE(jobs.Submit("docs", "c", [](JobContext&) { return Ok(3); }, record, 10).has_value());
  EXPECT_FALSE(jobs.Submit("docs", "d", [](JobContext&) { return Ok(4); }, record).has_value());  // 2 queued

  std::thread stopper([&] { jobs.Stop(); });
  for (int spin = 0; spin < 200; ++spin) {
    {
      std::lock_guard<std::mutex> l(mu);
      if (statuses.size() == 2) break;
    }
    std::this_thread::sleep_for(5ms);
  }
  {
    std::lock_guard<std::mutex> l(mu);
    EXPECT_EQ(statuses, (std::vector<int>{503, 503}));  // the queued ones, before the running one ends
  }
  gate.open.set_value();
  stopper.join();
  EXPECT_TRUE(saw_cancel.load());
  EXPECT_EQ(first.get_future().get().status, 200);
  EXPECT_FALSE(jobs.Submit("docs", "late", [](JobContext&) { return Ok(5); }).has_value());
  EXPECT_EQ(jobs.Get(2)->state, JobState::kCancelled);
}

// The scheduling policy of a thread of this process (0: the caller).
int PolicyOf(pid_t tid) { return sched_getscheduler(tid); }

TEST(IndexJobs, TheWriterAndTheThreadsItStartsRunBelowSearches) {
  for (WritePriority p : {WritePriority::kLow, WritePriority::kLowest, WritePriority::kIdle, WritePriority::kNormal}) {
    IndexJobs::Options options;
    options.priority = p;
    IndexJobs jobs(options);
    std::promise<std::pair<int, int>> writer, child;  // policy, nice
    jobs.Submit("docs", "probe", [&](JobContext&) {
      const pid_t tid = static_cast<pid_t>(syscall(SYS_gettid));
      writer.set_value({PolicyOf(0), getpriority(PRIO_PROCESS, static_cast<id_t>(tid))});
      std::thread t([&] {  // as the index's analysis and merge threads are started
        const pid_t ctid = static_cast<pid_t>(syscall(SYS_gettid));
        child.set_value({PolicyOf(0), getpriority(PRIO_PROCESS, static_cast<id_t>(ctid))});
      });
      t.join();
      return Ok(0);
    });
    auto w = writer.get_future().get();
    auto c = child.get_future().get();
    SCOPED_TRACE(WritePriorityName(p));
    const int want = p == WritePriority::kIdle ? SCHED_IDLE : p == WritePriority::kLowest ? SCHED_BATCH : SCHED_OTHER;
    EXPECT_EQ(w.first, want);
    EXPECT_EQ(c.first, want);
    if (p == WritePriority::kLow || p == WritePriority::kLowest) {
      const int nice = p == WritePriority::kLow ? 10 : 19;
      EXPECT_EQ(w.second, nice);
      EXPECT_EQ(c.second, nice);
    }
  }
}

TEST(IndexJobs, PriorityNames) {
  EXPECT_EQ(ParseWritePriority("idle"), WritePriority::kIdle);
  EXPECT_EQ(ParseWritePriority("low"), WritePriority::kLow);
  EXPECT_EQ(ParseWritePriority("lowest"), WritePriority::kLowest);
  EXPECT_EQ(ParseWritePriority("normal"), WritePriority::kNormal);
  EXPECT_FALSE(ParseWritePriority("fast").has_value());
  EXPECT_STREQ(WritePriorityName(WritePriority::kIdle), "idle");
  EXPECT_STREQ(WritePriorityName(WritePriority::kLow), "low");
}

}  // namespace
}  // namespace rasai::server
