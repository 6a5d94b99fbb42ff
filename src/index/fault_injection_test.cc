// The index under injected faults (util/fault_injection_directory.h): for every write, file or
// folder sync and rename of a workload of commits, updates, deletes and merges, a fault there —
// with the process going on, or stopped there and the machine's power cut — leaves an index that
// opens, passes Check and holds every acknowledged change (and the change in flight either whole
// or not at all). A full disk is reported as such. Each loop runs until the fault no longer
// triggers, i.e. past the workload's last operation of that kind.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rasai/index.h"
#include "util/fault_injection_directory.h"

namespace rasai {
namespace {

using Model = std::map<std::string, std::string>;  // live id -> body

struct Step {
  std::vector<Document> adds;
  std::vector<std::string> deletes;
  bool force_merge = false;
};

Document Doc(const std::string& id, const std::string& body) {
  Document d;
  d.id = id;
  d.body = body;
  return d;
}

// Ten commits of two new documents, one replaced and one deleted document each (more segments
// than the merge policy lets stand: merges run), then a forced merge.
std::vector<Step> Workload() {
  std::vector<Step> steps;
  int n = 0;
  for (int c = 0; c < 10; ++c) {
    Step s;
    for (int k = 0; k < 2; ++k, ++n) s.adds.push_back(Doc("d" + std::to_string(n), "river " + std::to_string(n)));
    if (c > 0) s.adds.push_back(Doc("d" + std::to_string(c), "replaced " + std::to_string(c)));
    if (c > 1) s.deletes.push_back("d" + std::to_string(2 * c - 3));
    steps.push_back(std::move(s));
  }
  Step last;
  last.force_merge = true;
  steps.push_back(std::move(last));
  return steps;
}

void Apply(const Step& s, Model* m) {
  for (const auto& d : s.adds) (*m)[d.id] = d.body;
  for (const auto& id : s.deletes) m->erase(id);
}

IndexOptions Options() {
  IndexOptions o;
  o.index_threads = 1;  // the same operations in the same order on every run
  return o;
}

struct Outcome {
  Model acked;     // what the last acknowledged commit holds
  Model inflight;  // what the commit that failed would have made
  size_t steps_done = 0;  // steps acknowledged
  bool failed = false;
  std::string error;
};

// Runs `steps` on the folder until the first error.
Outcome RunWorkload(const FaultInjectionDirectory& disk, const std::vector<Step>& steps, Model start = {}) {
  Outcome out;
  out.acked = std::move(start);
  auto idx = Index::Open(disk.NewFaultHandle(), Options());
  if (!idx.ok()) {
    out.failed = true;
    out.error = idx.status().ToString();
    out.inflight = out.acked;
    return out;
  }
  for (const Step& s : steps) {
    out.inflight = out.acked;
    Apply(s, &out.inflight);
    Status st;
    for (const auto& d : s.adds)
      if (st.ok()) st = (*idx)->Add(d);
    for (const auto& id : s.deletes)
      if (st.ok()) st = (*idx)->Delete(id);
    if (st.ok()) st = s.force_merge ? (*idx)->ForceMerge() : (*idx)->Commit();
    if (!st.ok()) {
      out.failed = true;
      out.error = st.ToString();
      return out;
    }
    out.acked = out.inflight;
    ++out.steps_done;
  }
  return out;
}

// What the index in the folder holds; "" when it is sound, else what is wrong.
std::string Verify(const FaultInjectionDirectory& disk, const Outcome& o) {
  auto idx = Index::Open(disk.NewFaultHandle(), Options());
  if (!idx.ok()) return "does not open: " + idx.status().ToString();
  Status check = (*idx)->Check();
  if (!check.ok()) return "check: " + check.ToString();
  auto snap = (*idx)->snapshot();
  auto holds = [&](const Model& m) -> std::string {
    if (snap->live_docs() != m.size())
      return std::to_string(snap->live_docs()) + " live documents, expected " + std::to_string(m.size());
    for (const auto& [id, body] : m) {
      auto d = snap->Get(id);
      if (!d.ok()) return id + ": " + d.status().ToString();
      if (d->body != body) return id + ": body '" + d->body + "', expected '" + body + "'";
    }
    const int f = snap->schema().FieldId("body");
    uint64_t with_river = 0;
    for (const auto& [id, body] : m) with_river += body.find("river") != std::string::npos;
    if (snap->DocFreq(f, "river") < with_river) return "postings of 'river' miss documents";
    return "";
  };
  const std::string a = holds(o.acked);
  if (a.empty()) return "";
  const std::string b = holds(o.inflight);
  if (b.empty()) return "";
  return "neither the last acknowledged commit (" + a + ") nor the one in flight (" + b + ")";
}

enum class Kind { kWrite, kShortWrite, kSync, kRename };

FaultInjectionDirectory::Plan PlanFor(Kind kind, uint64_t n, bool crash) {
  FaultInjectionDirectory::Plan p;
  p.crash = crash;
  switch (kind) {
    case Kind::kWrite:
      p.fail_write = n;
      break;
    case Kind::kShortWrite:
      p.fail_write = n;
      p.short_write = true;
      break;
    case Kind::kSync:
      p.fail_sync = n;
      break;
    case Kind::kRename:
      p.fail_rename = n;
      break;
  }
  return p;
}

// For n = 1, 2, ... until the fault no longer triggers: the workload with the nth operation of
// `kind` failing; then (power_cut) the machine loses what was not synced; then the index is
// opened again, checked, and the rest of the workload runs on it.
void EveryFault(Kind kind, bool crash, bool power_cut) {
  const std::vector<Step> steps = Workload();
  Model all;
  for (const Step& s : steps) Apply(s, &all);
  uint64_t n = 1, failed_runs = 0;
  for (;; ++n) {
    FaultInjectionDirectory disk;
    disk.SetPlan(PlanFor(kind, n, crash));
    Outcome o = RunWorkload(disk, steps);
    const bool triggered = disk.counts().faults > 0;
    disk.SetPlan({});
    if (!triggered) {
      ASSERT_FALSE(o.failed) << "n=" << n << ": " << o.error;
      ASSERT_EQ(Verify(disk, o), "") << "n=" << n << " (no fault)";
      break;
    }
    failed_runs += o.failed;
    if (power_cut) disk.PowerCut();
    ASSERT_EQ(Verify(disk, o), "") << "n=" << n << ", failed with: " << o.error;
    // The index goes on: the rest of the workload runs on it.
    Outcome rest = RunWorkload(disk, std::vector<Step>(steps.begin() + o.steps_done, steps.end()), o.acked);
    ASSERT_FALSE(rest.failed) << "n=" << n << ": " << rest.error;
    rest.inflight = all;
    ASSERT_EQ(Verify(disk, rest), "") << "n=" << n << " after the rest of the workload";
  }
  EXPECT_GT(n, 3u) << "the workload performs too few operations of this kind";
  EXPECT_GT(failed_runs, 0u) << "no injected fault ever reached the index's caller";
}

TEST(FaultInjection, EveryFailedWriteWithThePowerCut) { EveryFault(Kind::kWrite, true, true); }
TEST(FaultInjection, EveryShortWriteWithThePowerCut) { EveryFault(Kind::kShortWrite, true, true); }
TEST(FaultInjection, EveryFailedSyncWithThePowerCut) { EveryFault(Kind::kSync, true, true); }
TEST(FaultInjection, EveryFailedRenameWithThePowerCut) { EveryFault(Kind::kRename, true, true); }
TEST(FaultInjection, EveryFailedWriteTheProcessGoingOn) { EveryFault(Kind::kWrite, false, false); }
TEST(FaultInjection, EveryFailedSyncTheProcessGoingOn) { EveryFault(Kind::kSync, false, false); }
TEST(FaultInjection, EveryFailedRenameTheProcessGoingOn) { EveryFault(Kind::kRename, false, false); }
TEST(FaultInjection, EveryFailedSyncThenThePowerCut) { EveryFault(Kind::kSync, false, true); }

// A disk that fills up at any point of the workload: the failing call says "No space left on
// device", the last commit stays readable, and once there is room the index goes on.
TEST(FaultInjection, AFullDiskIsReportedAndLosesNothing) {
  const std::vector<Step> steps = Workload();
  uint64_t peak = 0;
  {
    FaultInjectionDirectory disk;
    Outcome o = RunWorkload(disk, steps);
    ASSERT_FALSE(o.failed) << o.error;
    peak = disk.BytesUsed();
  }
  ASSERT_GT(peak, 0u);
  int full = 0;
  for (uint64_t cap = 0; cap < 3 * peak; cap += std::max<uint64_t>(1, peak / 40)) {
    FaultInjectionDirectory disk;
    disk.SetPlan({.capacity = cap});
    Outcome o = RunWorkload(disk, steps);
    if (o.failed) {
      ++full;
      EXPECT_NE(o.error.find("No space left on device"), std::string::npos) << "capacity " << cap << ": " << o.error;
    }
    disk.SetPlan({});
    ASSERT_EQ(Verify(disk, o), "") << "capacity " << cap << ", failed with: " << o.error;
    if (o.failed) {
      Outcome again = RunWorkload(disk, steps);
      ASSERT_FALSE(again.failed) << "capacity " << cap << ": " << again.error;
    }
  }
  EXPECT_GT(full, 20) << "the disk was too rarely full";
}

// After a failed flush the writer takes nothing more (its buffer is gone), and says why.
TEST(FaultInjection, AWriterStopsAfterAFailedFlushAndSaysWhy) {
  FaultInjectionDirectory disk;
  auto idx = Index::Open(disk.NewFaultHandle(), Options());
  ASSERT_TRUE(idx.ok());
  ASSERT_TRUE((*idx)->Add(Doc("a", "kept")).ok());
  ASSERT_TRUE((*idx)->Commit().ok());
  disk.SetPlan({.capacity = disk.BytesUsed() + 100});
  ASSERT_TRUE((*idx)->Add(Doc("b", "never acknowledged")).ok());
  Status st = (*idx)->Commit();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("No space left on device"), std::string::npos) << st.ToString();
  disk.SetPlan({});
  Status next = (*idx)->Add(Doc("c", "after"));
  ASSERT_FALSE(next.ok());
  EXPECT_NE(next.message().find("opened again"), std::string::npos) << next.ToString();
  EXPECT_TRUE((*idx)->snapshot()->Get("a").ok());  // searches go on over the last commit
  idx->reset();
  Outcome o;
  o.acked = o.inflight = Model{{"a", "kept"}};
  EXPECT_EQ(Verify(disk, o), "");
}

}  // namespace
}  // namespace rasai
