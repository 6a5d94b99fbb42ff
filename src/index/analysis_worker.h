// Internal: the analysis stage of the indexing pipeline — documents gathered into batches
// (AddBatch), analyzed slice by slice into tokens, norms and token offsets (AnalyzeSlice), by the
// writer's thread and one analysis thread (AnalysisWorker) while the writer inverts the previous
// batch into the write buffer.
//
// Thread-safety: AnalysisWorker is driven by one thread (the writer's); it runs one thread of its
// own. The slices of a batch are claimed atomically by either thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rasai/analysis.h"
#include "rasai/document.h"
#include "rasai/index.h"
#include "rasai/status.h"

namespace rasai {

// Documents on their way into the write buffer: added (copied), then analyzed (by the analysis
// thread and the writer's thread, a slice each at a time), then inverted into the buffer's term
// tables by the writer.
struct AddBatch {
  static constexpr size_t kMaxDocs = 256;
  static constexpr size_t kMaxTextBytes = 1 << 20;
  static constexpr size_t kSliceDocs = 16;
  uint32_t first_doc = 0;  // buffer number of docs[0]
  std::vector<Document> docs;
  size_t text_bytes = 0;
  // Analysis output of docs [begin, end). Tokens of the slice's i-th doc, field f:
  // toks[tok_end[i*nf+f-1] .. tok_end[i*nf+f]), the tokens with an empty term left out.
  struct Tok {
    uint64_t hash;  // HashBytes of the term
    uint32_t off, len;  // the term in `terms`
    uint32_t position;
  };
  struct Slice {
    size_t begin = 0, end = 0;
    std::string terms;
    std::vector<Tok> toks;
    std::vector<size_t> tok_end;
    std::vector<uint8_t> norms;  // [i*nf + f]
    std::string off_data;        // token-offset records of the docs' off field, back to back
    std::vector<size_t> off_ends;
    Status error;                // analysis failed (e.g. out of memory): the batch is unusable
  };
  std::vector<Slice> slices;
  std::atomic<size_t> next_slice{0};  // the next slice to claim
  size_t slices_done = 0;             // under AnalysisWorker::mu_

  bool full() const { return docs.size() >= kMaxDocs || text_bytes >= kMaxTextBytes; }
};

// Analyzes one slice of a batch: languages of docs without one, tokens, norms, token offsets.
void AnalyzeSlice(const Schema& schema, int off_field, AddBatch* b, AddBatch::Slice* sl, std::vector<Token>* scratch);

// The analysis thread of a writer: one batch at a time, handed over by Submit and taken back by
// Wait. The writer's thread inverts the previous batch meanwhile, then (in Wait) analyzes the
// slices the thread has not claimed yet. Without a thread (threads = 1, or no thread could be
// started) Submit analyzes in place. Each slice is analyzed alike by whichever thread, and the
// writer inverts the batches in order: the same files whatever the thread count.
class AnalysisWorker {
 public:
  AnalysisWorker(const Schema* schema, int off_field, bool threaded)
      : schema_(schema), off_field_(off_field), threaded_(threaded) {}
  ~AnalysisWorker();
  bool busy() const { return batch_ != nullptr; }
  // REQUIRES: !busy().
  void Submit(std::unique_ptr<AddBatch> b);
  // The submitted batch, analyzed. REQUIRES: busy().
  std::unique_ptr<AddBatch> Wait();

 private:
  // Analyzes unclaimed slices of `b` until none is left; returns how many.
  size_t Claim(AddBatch* b, std::vector<Token>* scratch);
  void Loop();
  const Schema* schema_;
  const int off_field_;
  bool threaded_;
  std::vector<Token> tokens_, own_tokens_;  // scratch of the thread / of the writer's thread
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  std::unique_ptr<AddBatch> batch_;  // submitted, not yet taken back
  uint64_t submitted_ = 0;
  bool worker_in_ = false;  // the thread is claiming slices of batch_
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace rasai
