// Analysis of the documents of a batch.
#include "index/analysis_worker.h"

#include <algorithm>
#include <exception>
#include <system_error>

#include "index/format.h"
#include "index/offsets.h"
#include "util/hash.h"

namespace rasai {

void AnalyzeSlice(const Schema& schema, int off_field, AddBatch* b, AddBatch::Slice* sl, std::vector<Token>* scratch) {
  const Analyzer& an = DefaultAnalyzer();
  const int nf = static_cast<int>(schema.fields.size());
  std::vector<Token>& tokens = *scratch;
  for (size_t i = sl->begin; i < sl->end; ++i) {
    Document& doc = b->docs[i];
    if (doc.lang.empty()) {
      std::string sample = doc.title + "\n" + doc.body.substr(0, 2000);
      doc.lang = DetectLanguage(sample);
    }
    for (int f = 0; f < nf; ++f) {
      const std::string* text = doc.TextField(schema.fields[f]);
      tokens.clear();
      if (text && !text->empty()) an.Analyze(IndexedText(*text), &tokens);
      if (f == off_field) {  // no text: a record of 0 positions
        EncodeTokenSpans(tokens, &sl->off_data);
        sl->off_ends.push_back(sl->off_data.size());
      }
      uint32_t len = 0;
      for (const Token& t : tokens) {
        if (t.term.empty()) continue;
        sl->toks.push_back(AddBatch::Tok{HashBytes(t.term), static_cast<uint32_t>(sl->terms.size()),
                                         static_cast<uint32_t>(t.term.size()), t.position});
        sl->terms.append(t.term);
        len = std::max(len, t.position + 1);
      }
      sl->tok_end.push_back(sl->toks.size());
      sl->norms.push_back(EncodeNorm(len));
    }
  }
}

AnalysisWorker::~AnalysisWorker() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AnalysisWorker::Submit(std::unique_ptr<AddBatch> b) {
  for (size_t i = 0; i < b->docs.size(); i += AddBatch::kSliceDocs) {
    AddBatch::Slice& sl = b->slices.emplace_back();
    sl.begin = i;
    sl.end = std::min(b->docs.size(), i + AddBatch::kSliceDocs);
  }
  if (threaded_ && !thread_.joinable()) {
    try {
      thread_ = std::thread([this] { Loop(); });
    } catch (const std::system_error&) {
      threaded_ = false;
    }
  }
  if (!threaded_) {
    Claim(b.get(), &own_tokens_);
    batch_ = std::move(b);
    return;
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    batch_ = std::move(b);
    ++submitted_;
  }
  cv_.notify_all();
}

std::unique_ptr<AddBatch> AnalysisWorker::Wait() {
  if (threaded_) {
    const size_t mine = Claim(batch_.get(), &own_tokens_);
    std::unique_lock<std::mutex> l(mu_);
    batch_->slices_done += mine;
    done_cv_.wait(l, [&] { return !worker_in_ && batch_->slices_done == batch_->slices.size(); });
    return std::move(batch_);
  }
  return std::move(batch_);
}

size_t AnalysisWorker::Claim(AddBatch* b, std::vector<Token>* scratch) {
  size_t n = 0;
  for (size_t i; (i = b->next_slice.fetch_add(1)) < b->slices.size(); ++n) {
    AddBatch::Slice& sl = b->slices[i];
    try {
      AnalyzeSlice(*schema_, off_field_, b, &sl, scratch);
    } catch (const std::exception& e) {
      sl.error = Status::IOError(std::string("analysis failed: ") + e.what());
    }
  }
  return n;
}

void AnalysisWorker::Loop() {
  std::unique_lock<std::mutex> l(mu_);
  uint64_t seen = 0;
  for (;;) {
    cv_.wait(l, [&] { return stop_ || submitted_ != seen; });
    if (stop_) return;
    seen = submitted_;
    AddBatch* b = batch_.get();
    if (!b) continue;  // the writer analyzed it all and took it back already
    worker_in_ = true;  // the writer does not take the batch back meanwhile
    l.unlock();
    const size_t mine = Claim(b, &tokens_);
    l.lock();
    b->slices_done += mine;
    worker_in_ = false;
    done_cv_.notify_all();
  }
}

}  // namespace rasai
