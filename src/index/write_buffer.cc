// The write buffer: batching, inversion and the flush of a new segment.
#include "index/write_buffer.h"

#include <algorithm>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include "index/offsets.h"
#include "index/segment_builder.h"
#include "index/store.h"
#include "util/coding.h"

namespace rasai {
namespace {

// Runs `fn` on a thread of its own, or in place when `parallel` is false or no thread can be
// started; the destructor waits for it.
class SideTask {
 public:
  template <typename Fn>
  SideTask(bool parallel, Fn fn) {
    if (parallel) {
      try {
        thread_ = std::thread(fn);
        return;
      } catch (const std::system_error&) {
      }
    }
    fn();
  }
  ~SideTask() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::thread thread_;
};

}  // namespace

WriteBuffer::WriteBuffer(const Schema* schema, int off_field, int threads)
    : schema_(schema),
      ntext_(static_cast<int>(schema->fields.size())),
      off_field_(off_field),
      threads_(threads),
      analysis_(std::make_unique<AnalysisWorker>(schema, off_field, threads > 1)) {
  Reset();
}

WriteBuffer::~WriteBuffer() = default;

void WriteBuffer::Reset() {
  terms_.assign(ntext_, {});
  norms_.assign(ntext_, {});
  docs_.clear();
  ids_.clear();
  langs_.clear();
  std::string().swap(off_data_);
  std::vector<uint64_t>().swap(off_ends_);
  deleted_.clear();
  ndocs_ = 0;
  bytes_ = 0;
}

Status WriteBuffer::Add(const Document& in, uint32_t* number) {
  RASAI_RETURN_IF_ERROR(error_);
  if (!adding_) {
    adding_ = std::make_unique<AddBatch>();
    adding_->first_doc = ndocs_;
    adding_->docs.reserve(AddBatch::kMaxDocs);
  }
  *number = ndocs_++;
  adding_->docs.push_back(in);
  const Document& doc = adding_->docs.back();
  for (int f = 0; f < ntext_; ++f) {
    const std::string* text = doc.TextField(schema_->fields[f]);
    if (text) adding_->text_bytes += text->size();
  }
  ids_.push_back(doc.id);
  bytes_ += StoredSize(doc) + 64;
  if (adding_->full()) {
    // Hand the batch to the analysis thread; meanwhile, invert the one it analyzed before.
    std::unique_ptr<AddBatch> prev;
    if (analysis_->busy()) prev = analysis_->Wait();
    analysis_->Submit(std::move(adding_));
    if (prev) RASAI_RETURN_IF_ERROR(Invert(prev.get()));
  }
  return Status::OK();
}

Status WriteBuffer::Invert(AddBatch* b) {
  for (const AddBatch::Slice& sl : b->slices) {
    if (!sl.error.ok()) {
      error_ = sl.error;
      return error_;
    }
  }
  constexpr size_t kAhead = 8;
  for (const AddBatch::Slice& sl : b->slices) {
    const AddBatch::Tok* toks = sl.toks.data();
    size_t k = 0;
    for (size_t i = sl.begin; i < sl.end; ++i) {
      const size_t j = i - sl.begin;  // in the slice
      const uint32_t d = b->first_doc + static_cast<uint32_t>(i);
      for (int f = 0; f < ntext_; ++f) {
        TermTable& table = terms_[f];
        const size_t end = sl.tok_end[j * ntext_ + f];
        for (; k < end; ++k) {
          if (k + kAhead < end) table.Prefetch(toks[k + kAhead].hash);
          if (k + kAhead / 2 < end) table.PrefetchEntry(toks[k + kAhead / 2].hash);
          const AddBatch::Tok& t = toks[k];
          const std::string_view term(sl.terms.data() + t.off, t.len);
          bool inserted;
          PostingBuf& pb = table.Get(term, t.hash, &inserted);
          if (inserted) bytes_ += term.size() + 96;
          if (pb.last_doc != d) {
            pb.last_doc = d;
            pb.docs.push_back(d);
            pb.freqs.push_back(1);
            PutVarint(&pb.pos, t.position);
            bytes_ += 10;
          } else {
            pb.freqs.back()++;
            PutVarint(&pb.pos, t.position - pb.last_pos);
            bytes_ += 2;
          }
          pb.last_pos = t.position;
        }
        norms_[f].push_back(sl.norms[j * ntext_ + f]);
      }
      if (off_field_ >= 0) {
        const size_t from = j > 0 ? sl.off_ends[j - 1] : 0;
        off_data_.append(sl.off_data, from, sl.off_ends[j] - from);
        off_ends_.push_back(off_data_.size());
        bytes_ += sl.off_ends[j] - from + 8;
      }
      langs_.push_back(b->docs[i].lang);
      docs_.push_back(std::move(b->docs[i]));
    }
  }
  return Status::OK();
}

Status WriteBuffer::Drain() {
  if (analysis_->busy()) {
    std::unique_ptr<AddBatch> prev = analysis_->Wait();
    RASAI_RETURN_IF_ERROR(Invert(prev.get()));
  }
  if (adding_) {
    std::unique_ptr<AddBatch> last = std::move(adding_);
    analysis_->Submit(std::move(last));
    std::unique_ptr<AddBatch> b = analysis_->Wait();
    RASAI_RETURN_IF_ERROR(Invert(b.get()));
  }
  return Status::OK();
}

Status WriteBuffer::Flush(Directory* dir, const std::string& name, SegmentMeta* meta, std::vector<uint64_t>* deleted) {
  SegmentBuilder sb(dir, name, ntext_);
  RASAI_RETURN_IF_ERROR(sb.Open());
  sb.SetNorms(norms_);
  RASAI_RETURN_IF_ERROR(sb.SetStoreDictionaries(
      MakeStoreDictionary(ndocs_, [&](size_t i, std::string* out) { SerializeHead(docs_[i], out); }),
      MakeStoreDictionary(ndocs_, [&](size_t i, std::string* out) { SerializeText(docs_[i], out); })));
  std::unique_ptr<OffsetsWriter> ow;
  if (off_field_ >= 0) {  // token offsets of the body, for snippets
    auto w = OffsetsWriter::Create(dir, sb.name(), off_field_);
    if (!w.ok()) return w.status();
    ow = std::move(*w);
  }
  // The postings, the stored documents (the bulk of the work: compression) and the token
  // offsets go to different files from disjoint state. With two threads: the second writes
  // the offsets, then compresses stored records; the writer's thread writes the postings,
  // then compresses the records left. The records are written in order at the end.
  SegmentBuilder::StoreBatch stored(
      &sb, ndocs_, [this](size_t i) -> const Document& { return docs_[i]; },
      [this](size_t i) -> const std::string& { return langs_[i]; });
  auto write_offsets = [&]() -> Status {
    if (!ow) return Status::OK();
    uint64_t from = 0;
    for (uint64_t end : off_ends_) {
      RASAI_RETURN_IF_ERROR(ow->Add(std::string_view(off_data_).substr(from, end - from)));
      from = end;
    }
    return Status::OK();
  };
  Status offsets_st, st;
  {
    SideTask side(threads_ > 1, [&] {
      offsets_st = write_offsets();
      stored.Work();
    });
    st = WritePostings(&sb);
    stored.Work();
  }  // joined
  RASAI_RETURN_IF_ERROR(st);
  RASAI_RETURN_IF_ERROR(offsets_st);
  RASAI_RETURN_IF_ERROR(stored.Finish());
  RASAI_RETURN_IF_ERROR(sb.Finish(meta));
  if (ow) {
    FileInfo fi;
    RASAI_RETURN_IF_ERROR(ow->Finish(&fi));
    meta->files.push_back(fi);
  }
  deleted->assign((ndocs_ + 63) / 64, 0);
  for (uint32_t d : deleted_) (*deleted)[d >> 6] |= 1ull << (d & 63);
  Reset();
  return Status::OK();
}

Status WriteBuffer::WritePostings(SegmentBuilder* sb) {
  std::vector<std::pair<std::string_view, PostingBuf*>> sorted;
  for (int f = 0; f < ntext_; ++f) {
    sorted.clear();
    TermTable& table = terms_[f];
    sorted.reserve(table.size());
    for (size_t i = 0; i < table.size(); ++i) sorted.emplace_back(table.Term(i), &table.entry(i));
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [t, pb] : sorted)
      RASAI_RETURN_IF_ERROR(sb->AddTerm(f, t, pb->docs.data(), pb->freqs.data(), pb->docs.size(), pb->pos));
    terms_[f] = {};
  }
  std::vector<uint32_t> order(ndocs_);
  for (uint32_t i = 0; i < ndocs_; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return ids_[a] < ids_[b]; });
  std::vector<uint32_t> docs, freqs;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    docs.clear();
    freqs.clear();
    while (j < order.size() && ids_[order[j]] == ids_[order[i]]) {
      docs.push_back(order[j]);
      freqs.push_back(1);
      ++j;
    }
    RASAI_RETURN_IF_ERROR(sb->AddTerm(ntext_, ids_[order[i]], docs.data(), freqs.data(), docs.size(), {}));
    i = j;
  }
  return Status::OK();
}

}  // namespace rasai
