// The write buffer: batching, inversion and the flush of a new segment.
#include "index/write_buffer.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <deque>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include "index/offsets.h"
#include "index/segment_builder.h"
#include "index/store.h"
#include "util/coding.h"
#include "util/hash.h"

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

// Heap bytes a document holds (its strings past the small-string buffer, with the allocator's
// overhead), beside sizeof(Document).
size_t HeapBytes(const Document& d) {
  auto str = [](const std::string& s) -> size_t { return s.capacity() > 15 ? s.capacity() + 17 : 0; };
  size_t n = str(d.id) + str(d.title) + str(d.body) + str(d.summary) + str(d.url) + str(d.date) + str(d.lang) +
             str(d.source) + str(d.category);
  if (d.extra.capacity() > 0) n += d.extra.capacity() * sizeof(d.extra[0]) + 16;
  for (const auto& [k, v] : d.extra) n += str(k) + str(v);
  return n;
}

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
  pool_.Clear();
  norms_.assign(ntext_, {});
  std::deque<Document>().swap(docs_);
  std::vector<std::string>().swap(ids_);
  std::vector<std::string>().swap(langs_);
  std::vector<uint32_t>().swap(id_slots_);
  id_count_ = 0;
  std::string().swap(off_data_);
  std::vector<uint64_t>().swap(off_ends_);
  deleted_.clear();
  ndocs_ = 0;
  bytes_ = 0;
}

size_t WriteBuffer::bytes() const {
  size_t n = bytes_ + pool_.bytes() + off_data_.capacity() + off_ends_.capacity() * sizeof(uint64_t) +
             ids_.capacity() * sizeof(std::string) + langs_.capacity() * sizeof(std::string) +
             id_slots_.capacity() * sizeof(uint32_t);
  for (int f = 0; f < ntext_; ++f) n += terms_[f].bytes() + norms_[f].capacity();
  return n;
}

Status WriteBuffer::Add(const Document& in, uint32_t* number) { return Add(Document(in), number); }

Status WriteBuffer::Add(Document&& in, uint32_t* number) {
  RASAI_RETURN_IF_ERROR(error_);
  if (!adding_) {
    adding_ = std::make_unique<AddBatch>();
    adding_->first_doc = ndocs_;
    adding_->docs.reserve(AddBatch::kMaxDocs);
  }
  *number = ndocs_++;
  // Counted as it will be held: the document (until the flush), its id and language.
  bytes_ += sizeof(Document) + HeapBytes(in) + (in.id.size() > 15 ? in.id.size() + 17 : 0) + 2 * sizeof(std::string);
  ids_.push_back(in.id);
  IndexId(*number);
  adding_->docs.push_back(std::move(in));
  const Document& doc = adding_->docs.back();
  for (int f = 0; f < ntext_; ++f) {
    const std::string* text = doc.TextField(schema_->fields[f]);
    if (text) adding_->text_bytes += text->size();
  }
  if (adding_->full()) {
    // Hand the batch to the analysis thread; meanwhile, invert the one it analyzed before.
    std::unique_ptr<AddBatch> prev;
    if (analysis_->busy()) prev = analysis_->Wait();
    analysis_->Submit(std::move(adding_));
    if (prev) RASAI_RETURN_IF_ERROR(Invert(prev.get()));
  }
  return Status::OK();
}

int64_t WriteBuffer::Find(std::string_view id) const {
  if (id_slots_.empty()) return -1;
  const size_t mask = id_slots_.size() - 1;
  for (size_t i = HashBytes(id) & mask; id_slots_[i] != 0; i = (i + 1) & mask)
    if (ids_[id_slots_[i] - 1] == id) return id_slots_[i] - 1;
  return -1;
}

void WriteBuffer::IndexId(uint32_t number) {
  if ((id_count_ + 1) * 2 > id_slots_.size()) {
    std::vector<uint32_t> old = std::move(id_slots_);
    id_slots_.assign(old.empty() ? 1024 : 2 * old.size(), 0);
    const size_t mask = id_slots_.size() - 1;
    for (uint32_t n : old) {
      if (n == 0) continue;
      size_t i = HashBytes(ids_[n - 1]) & mask;
      while (id_slots_[i] != 0) i = (i + 1) & mask;
      id_slots_[i] = n;
    }
  }
  const size_t mask = id_slots_.size() - 1;
  size_t i = HashBytes(ids_[number]) & mask;
  for (; id_slots_[i] != 0; i = (i + 1) & mask) {
    if (ids_[id_slots_[i] - 1] == ids_[number]) {
      id_slots_[i] = number + 1;  // the later document of the id
      return;
    }
  }
  id_slots_[i] = number + 1;
  ++id_count_;
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
          if (pb.last_doc != d) {
            if (pb.last_doc != kNoDoc) WriteLastDoc(&pb);
            pb.last_doc = d;
            pb.freq = 1;
            ++pb.ndocs;
            pool_.PutVarint(&pb.pos, t.position);
          } else {
            ++pb.freq;
            pool_.PutVarint(&pb.pos, t.position - pb.last_pos);
          }
          pb.last_pos = t.position;
        }
        norms_[f].push_back(sl.norms[j * ntext_ + f]);
      }
      if (off_field_ >= 0) {
        const size_t from = j > 0 ? sl.off_ends[j - 1] : 0;
        off_data_.append(sl.off_data, from, sl.off_ends[j] - from);
        off_ends_.push_back(off_data_.size());
      }
      langs_.push_back(b->docs[i].lang);
      docs_.push_back(std::move(b->docs[i]));
    }
  }
  return Status::OK();
}

void WriteBuffer::WriteLastDoc(PostingBuf* pb) {
  pool_.PutVarint(&pb->docs, ((pb->last_doc - pb->written) << 1) | (pb->freq == 1 ? 1u : 0u));
  if (pb->freq != 1) pool_.PutVarint(&pb->docs, pb->freq);
  pb->written = pb->last_doc;
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
#if defined(__GLIBC__)
  // The buffer's memory goes back to the system, not only to the allocator's free lists, where
  // the pieces scattered over the threads' arenas would keep the process's footprint at its
  // highest flush after flush.
  malloc_trim(0);
#endif
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
    std::vector<uint32_t> docs, freqs;
    std::string bytes, pos;
    for (auto& [t, pb] : sorted) {
      // The postings back from their streams, the last document's entry written first.
      if (pb->last_doc == kNoDoc) continue;
      WriteLastDoc(pb);
      bytes.clear();
      pos.clear();
      pool_.Read(pb->docs, &bytes);
      pool_.Read(pb->pos, &pos);
      docs.resize(pb->ndocs);
      freqs.resize(pb->ndocs);
      Decoder in(bytes);
      uint32_t doc = 0xffffffffu;
      size_t n = 0;
      for (; in.remaining() > 0 && n < pb->ndocs; ++n) {
        const uint32_t v = in.Varint32();
        doc += v >> 1;
        docs[n] = doc;
        freqs[n] = (v & 1) ? 1 : in.Varint32();
      }
      if (!in.ok()) n = 0;
      if (n != pb->ndocs) return Status::Corruption("write buffer: postings of a term do not decode");
      RASAI_RETURN_IF_ERROR(sb->AddTerm(f, t, docs.data(), freqs.data(), n, pos));
    }
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
