// The document-batch path: inputs -> documents -> index -> commit -> summary. What `rasai index`
// runs over files and folders, what the operator's uploads run over an uploaded file, and what
// POST /api/docs runs over a request's JSONL body: the same reading, the same repeated-openings
// rule, the same counts and notes.
//
//   auto summary = IndexFiles(index, {"news.jsonl", "site/"}, options);   // or IndexJsonl(...)
//   if (!summary.ok()) ...            // the index could not be written: nothing acknowledged
//   else if (summary->documents == 0) // nothing could be read (summary->problems say why)
//
// Reading, parsing and the opening search run on `threads` threads; documents reach the index in
// input order, so the same inputs give the same index whatever the thread count. With the
// repeated-openings rule on, the passes after the first read each unit again only where that is
// cheap (a JSONL chunk: its bytes from the page cache, then simdjson); the documents of the
// other units (HTML pages, archives), parsed once, wait in a compressed spool (memory up to a
// budget, then an unlinked file in `spool_dir`). Memory: a window of units in flight (about 1 MiB
// of JSONL each), the spool's memory budget and the index's write buffer; per document, 16 bytes
// for the openings during a learning pass (freed before the indexing pass) and the index's 2 bytes
// of id filter until the commit.
//
// Thread-safety: a call is a plain library call on the caller's thread (a server may run it on a
// worker thread of its own); it starts and joins its reading threads. Calls on one Index must not
// overlap (the index has one writer). `progress` runs on the caller's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rasai/index.h"
#include "rasai/ingest.h"
#include "rasai/status.h"

namespace rasai {

struct BatchProgress {
  enum class Phase { kReading, kLearning, kIndexing, kCommitting };
  Phase phase = Phase::kReading;
  int pass = 0;                  // kLearning: 2, 3, ... (the reading pass is the first)
  uint64_t documents = 0;        // documents this phase has handled
  uint64_t bytes = 0;            // input bytes this phase has covered...
  uint64_t total_bytes = 0;      // ...of these (0: unknown)
  double phase_seconds = 0;      // since this phase began
  double seconds = 0;            // since the batch began
  bool last = false;             // the phase's last report
};

struct BatchOptions {
  // Remove the boilerplate openings many documents of a source share (RepeatedOpenings).
  bool remove_openings = true;
  RepeatedOpeningsOptions openings;
  // Threads that read, parse and prepare documents; 0 = one per core.
  int threads = 0;
  // Where a file batch's spool goes once it passes `spool_memory` bytes ("" = kept in memory).
  std::string spool_dir;
  size_t spool_memory = 32u << 20;
  // Called about every `progress_every_ms` and at the end of each phase.
  std::function<void(const BatchProgress&)> progress;
  int progress_every_ms = 250;
  // Problems and notes listed in the summary (all are counted).
  size_t max_listed = 100000;
  // The source given to documents that have none ("" = left without one).
  std::string default_source;
  // Asked between units on the caller's thread: true ends the batch with Status::Aborted before
  // its commit (documents already handed to the index stay unacknowledged).
  std::function<bool()> cancelled;
};

// A document with a text field longer than what is indexed (FieldsIndexedInPart).
struct BatchNote {
  std::string file;
  uint64_t line = 0;  // in a JSONL text; 0 otherwise
  std::string id;
  std::string note;   // IndexedInPartNote(field)
};

struct BatchSummary {
  uint64_t documents = 0;        // read and handed to the index
  uint64_t added = 0;            // ...of which new ids
  uint64_t replaced = 0;         // ...of which ids the index or the batch already had
  uint64_t skipped = 0;          // inputs that gave no document (lines, files)
  uint64_t problem_count = 0;
  std::vector<IngestProblem> problems;             // the first max_listed
  std::map<std::string, uint64_t> problem_kinds;   // reason up to its first ':' -> count
  uint64_t note_count = 0;
  std::vector<BatchNote> notes;                    // the first max_listed
  std::vector<RemovedOpening> openings;            // what the openings rule removed
  uint64_t bytes = 0;            // input bytes read
  double seconds = 0;
  bool committed = false;        // documents > 0 and the commit is durable
  uint64_t generation = 0;       // the index's commit generation afterwards
};

// Reads `paths` (files and folders, as IngestPath), adds every document to `index` and commits
// once. Per-input problems are reported in the summary, never fatal; an error is returned only
// when the index could not be written (then nothing of the batch is acknowledged). With no
// document read, nothing is committed.
Result<BatchSummary> IndexFiles(Index* index, const std::vector<std::string>& paths, const BatchOptions& options);

// The same for JSONL text in memory (a request body); problems and notes name `name` and the line.
Result<BatchSummary> IndexJsonl(Index* index, std::string_view jsonl, const std::string& name,
                                const BatchOptions& options);

}  // namespace rasai
