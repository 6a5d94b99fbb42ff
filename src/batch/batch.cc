// IndexFiles / IndexJsonl: the document-batch path (contract in rasai/batch.h).
#include "rasai/batch.h"

#include <algorithm>
#include <cstdint>
#include <chrono>
#include <thread>
#include <utility>

#include "batch/spool.h"
#include "util/ordered_pool.h"

namespace rasai {
namespace {

using batch_internal::DecodeBlock;
using batch_internal::EncodeBlock;
using batch_internal::Spool;
using batch_internal::SpoolBlock;
using Clock = std::chrono::steady_clock;
using Emit = std::function<Status(IngestTask)>;
// The tasks that read the inputs, emitted in input order.
using TaskSource = std::function<Status(const Emit&)>;

// What a task hands back: its unit, prepared on the worker for the pass at hand.
struct Work {
  IngestUnit unit;
  std::string block;                          // the reading pass of a spooled batch: the unit, encoded
  std::vector<RepeatedOpenings::Cut> cuts;    // the indexing pass: what was cut from each document
  Status status;                              // a spool block that could not be read back
};
using WorkTask = std::function<Work()>;
// The tasks of one pass over the batch, emitted in input order.
using WorkSource = std::function<Status(const std::function<Status(WorkTask)>&)>;

WorkSource FromInputs(TaskSource read) {
  return [read = std::move(read)](const std::function<Status(WorkTask)>& emit) {
    return read([&emit](IngestTask task) {
      return emit([task = std::move(task)] {
        Work w;
        w.unit = task();
        return w;
      });
    });
  };
}

class BatchRun {
 public:
  // `max_workers`: no more reading threads than there will be units to read at once.
  BatchRun(Index* index, const BatchOptions& options, size_t max_workers = SIZE_MAX)
      : index_(index), options_(options), openings_(options.openings) {
    threads_ = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    threads_ = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads_), max_workers));
  }

  // `read` reads the inputs. A later pass reads each unit again by its `again` task when it has
  // one, else from the spool the reading pass fills.
  Result<BatchSummary> Run(const TaskSource& read, uint64_t total_bytes) {
    start_ = Clock::now();
    total_bytes_ = total_bytes;
    before_ = index_->snapshot();
    schema_ = before_->schema();
    Spool spool(options_.spool_dir, options_.spool_memory);
    spool_ = &spool;
    const WorkSource first = FromInputs(read);
    const WorkSource replay = [this](const std::function<Status(WorkTask)>& emit) -> Status {
      for (size_t i = 0; i < replay_.size(); ++i) {
        RASAI_RETURN_IF_ERROR(emit([this, i] {
          const Replay& r = replay_[i];
          if (!r.again && r.block != kNoBlock) return FromSpool(r.block);
          Work w;
          if (r.again) {
            w.unit = r.again();
          } else {
            w.unit.bytes = r.bytes;  // a unit without documents: only its bytes, for progress
          }
          return w;
        }));
      }
      return Status::OK();
    };

    if (options_.remove_openings) {
      // The reading pass: problems, the first openings pass, and how to read each unit again.
      RASAI_RETURN_IF_ERROR(Pass(BatchProgress::Phase::kReading, 0, first, [&](Work& w) -> Status {
        NoteProblems(w.unit);
        summary_.bytes += w.unit.bytes;
        for (const Document& d : w.unit.docs) openings_.Observe(d);
        Replay r{std::move(w.unit.again), kNoBlock, w.unit.docs.size(), w.unit.bytes};
        if (!r.again && !w.unit.docs.empty()) {
          RASAI_RETURN_IF_ERROR(spool_->Append(std::move(w.block)));
          r.block = spool_->blocks() - 1;
        }
        replay_.push_back(std::move(r));
        return Status::OK();
      }));
      openings_.EndPass();
      for (int pass = 2; openings_.NeedsPass(); ++pass) {
        RASAI_RETURN_IF_ERROR(Pass(BatchProgress::Phase::kLearning, pass, replay, [&](Work& w) -> Status {
          RASAI_RETURN_IF_ERROR(w.status);
          for (const Document& d : w.unit.docs) openings_.Observe(d);
          return Status::OK();
        }));
        openings_.EndPass();
      }
      replayed_ = 0;
      RASAI_RETURN_IF_ERROR(Pass(BatchProgress::Phase::kIndexing, 0, replay, [&](Work& w) -> Status {
        RASAI_RETURN_IF_ERROR(w.status);
        const Replay& r = replay_[replayed_++];
        if (w.unit.docs.size() != r.documents) {  // a file that changed since the reading pass
          IngestUnit note;
          note.file = w.unit.file;
          note.stats.problems.push_back(IngestProblem{w.unit.file, w.unit.lines.empty() ? 0 : w.unit.lines.front(),
                                                      "changed while it was being indexed: " +
                                                          std::to_string(r.documents) + " documents read first, " +
                                                          std::to_string(w.unit.docs.size()) + " indexed"});
          NoteProblems(note);
        }
        return AddUnit(w, false);
      }));
      summary_.openings = openings_.Removed();
    } else {
      RASAI_RETURN_IF_ERROR(Pass(BatchProgress::Phase::kIndexing, 0, first, [&](Work& w) { return AddUnit(w, true); }));
    }

    if (options_.cancelled && options_.cancelled()) return Status::Aborted("the batch was cancelled");
    if (summary_.documents > 0) {
      Report(BatchProgress::Phase::kCommitting, 0, true);
      RASAI_RETURN_IF_ERROR(index_->Commit());
      summary_.committed = true;
    }
    summary_.generation = index_->snapshot()->generation();
    summary_.seconds = Seconds(start_);
    return std::move(summary_);
  }

 private:
  static double Seconds(Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
  }

  // The documents of spool block i (on a worker).
  Work FromSpool(size_t i) const {
    Work w;
    Result<std::string> data = spool_->Read(i);
    Result<SpoolBlock> b = data.ok() ? DecodeBlock(*data) : Result<SpoolBlock>(data.status());
    if (!b.ok()) {
      w.status = Status::IOError("the batch's spool could not be read back: " + b.status().ToString());
      return w;
    }
    w.unit.file = std::move(b->file);
    w.unit.docs = std::move(b->docs);
    w.unit.lines = std::move(b->lines);
    w.unit.bytes = b->bytes;
    w.unit.stats.documents = w.unit.docs.size();
    return w;
  }

  // Runs one pass: the tasks of `source` on the pool, each unit prepared on its worker for the
  // pass, then `consume`d here in input order.
  Status Pass(BatchProgress::Phase phase, int pass, const WorkSource& source, const std::function<Status(Work&)>& consume) {
    phase_ = phase;
    pass_ = pass;
    phase_start_ = last_report_ = Clock::now();
    phase_docs_ = phase_bytes_ = 0;
    const bool encode = phase == BatchProgress::Phase::kReading;
    const bool cut = phase == BatchProgress::Phase::kIndexing && options_.remove_openings;
    OrderedPool<Work> pool(threads_, static_cast<size_t>(std::max(4, 4 * threads_)));
    auto take = [&]() -> Status {
      Work w = pool.Take();
      if (options_.cancelled && options_.cancelled()) return Status::Aborted("the batch was cancelled");
      phase_docs_ += w.unit.docs.size();
      phase_bytes_ += w.unit.bytes;
      RASAI_RETURN_IF_ERROR(consume(w));
      if (Clock::now() - last_report_ >= std::chrono::milliseconds(options_.progress_every_ms)) Report(phase, pass, false);
      return Status::OK();
    };
    Status st = source([&](WorkTask task) -> Status {
      while (pool.full()) RASAI_RETURN_IF_ERROR(take());
      pool.Submit([this, task = std::move(task), encode, cut] {
        Work w = task();
        if (!options_.default_source.empty())
          for (Document& d : w.unit.docs)
            if (d.source.empty()) d.source = options_.default_source;
        if (encode && !w.unit.again && !w.unit.docs.empty()) {
          SpoolBlock b;
          b.file = w.unit.file;
          b.docs = std::move(w.unit.docs);
          b.lines = std::move(w.unit.lines);
          b.bytes = w.unit.bytes;
          w.block = EncodeBlock(b);
          w.unit.docs = std::move(b.docs);  // for the first openings pass
          w.unit.lines = std::move(b.lines);
        }
        if (cut) {
          w.cuts.resize(w.unit.docs.size());
          for (size_t i = 0; i < w.unit.docs.size(); ++i) {
            w.cuts[i] = openings_.Find(w.unit.docs[i]);
            if (w.cuts[i].words > 0) w.unit.docs[i].body.erase(0, w.cuts[i].bytes);
          }
        }
        return w;
      });
      while (pool.pending() > 0 && pool.Ready()) RASAI_RETURN_IF_ERROR(take());
      return Status::OK();
    });
    while (st.ok() && pool.pending() > 0) st = take();
    if (st.ok()) Report(phase, pass, true);
    return st;
  }

  void NoteProblems(IngestUnit& u) {
    summary_.skipped += u.stats.skipped;
    for (IngestProblem& p : u.stats.problems) {
      ++summary_.problem_count;
      ++summary_.problem_kinds[p.reason.substr(0, p.reason.find(':'))];
      if (summary_.problems.size() < options_.max_listed) summary_.problems.push_back(std::move(p));
    }
  }

  // The indexing pass over one unit: counts, notes, and the documents into the index.
  Status AddUnit(Work& w, bool first_pass) {
    if (first_pass) {
      NoteProblems(w.unit);
      summary_.bytes += w.unit.bytes;
    }
    for (size_t i = 0; i < w.unit.docs.size(); ++i) {
      Document& doc = w.unit.docs[i];
      if (i < w.cuts.size()) openings_.Record(doc.source, std::move(w.cuts[i]));
      // Replaced: an id the index held when the batch began, or one added since (by the batch,
      // which the index tells; no set of the batch's ids is kept).
      bool replaced = before_->Contains(doc.id);
      for (const std::string& field : FieldsIndexedInPart(doc, schema_)) {
        ++summary_.note_count;
        if (summary_.notes.size() < options_.max_listed)
          summary_.notes.push_back(BatchNote{w.unit.file, i < w.unit.lines.size() ? w.unit.lines[i] : 0, doc.id,
                                             IndexedInPartNote(field)});
      }
      bool replaced_uncommitted = false;
      RASAI_RETURN_IF_ERROR(index_->Add(std::move(doc), &replaced_uncommitted));
      replaced = replaced || replaced_uncommitted;
      ++summary_.documents;
      ++(replaced ? summary_.replaced : summary_.added);
    }
    return Status::OK();
  }

  void Report(BatchProgress::Phase phase, int pass, bool last) {
    last_report_ = Clock::now();
    if (!options_.progress) return;
    BatchProgress p;
    p.phase = phase;
    p.pass = pass;
    p.documents = phase_docs_;
    p.bytes = phase_bytes_;
    p.total_bytes = total_bytes_;
    p.phase_seconds = Seconds(phase_start_);
    p.seconds = Seconds(start_);
    p.last = last;
    options_.progress(p);
  }

  rasai::Index* index_;
  const BatchOptions& options_;
  RepeatedOpenings openings_;
  int threads_ = 1;
  Spool* spool_ = nullptr;
  // How a later pass reads each unit of the reading pass: its `again` task, or its block in the
  // spool (kNoBlock: it gave no document); how many documents it gave and its bytes.
  static constexpr size_t kNoBlock = SIZE_MAX;
  struct Replay {
    IngestTask again;
    size_t block = kNoBlock;
    uint64_t documents = 0;
    uint64_t bytes = 0;
  };
  std::vector<Replay> replay_;
  size_t replayed_ = 0;
  std::shared_ptr<const Snapshot> before_;
  Schema schema_;
  BatchSummary summary_;
  Clock::time_point start_, phase_start_, last_report_;
  BatchProgress::Phase phase_ = BatchProgress::Phase::kReading;
  int pass_ = 0;
  uint64_t phase_docs_ = 0, phase_bytes_ = 0, total_bytes_ = 0;
};

}  // namespace

Result<BatchSummary> IndexFiles(Index* index, const std::vector<std::string>& paths, const BatchOptions& options) {
  if (!index) return Status::InvalidArgument("IndexFiles: no index");
  uint64_t total = 0;
  for (const std::string& p : paths) total += InputBytes(p);
  const TaskSource read = [&paths](const Emit& emit) -> Status {
    for (const std::string& p : paths) RASAI_RETURN_IF_ERROR(SplitPath(p, emit));
    return Status::OK();
  };
  BatchRun run(index, options);
  return run.Run(read, total);
}

Result<BatchSummary> IndexJsonl(Index* index, std::string_view jsonl, const std::string& name,
                                const BatchOptions& options) {
  if (!index) return Status::InvalidArgument("IndexJsonl: no index");
  const TaskSource read = [jsonl, &name](const Emit& emit) { return SplitJsonlText(jsonl, name, emit); };
  // A body of one piece is read on this thread (SplitJsonlText cuts about 1 MiB per piece).
  BatchRun run(index, options, jsonl.size() <= (1u << 20) ? 0 : SIZE_MAX);
  return run.Run(read, jsonl.size());
}

}  // namespace rasai
