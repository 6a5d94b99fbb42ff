// IndexImpl: the writer (buffer, flush, deletes, commit protocol, merges) and snapshots.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <queue>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "index/segment.h"
#include "rasai/analysis.h"
#include "util/coding.h"
#include "util/crc32c.h"
#include "util/hash.h"

namespace rasai {

int Schema::FieldId(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i] == name) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> FieldsIndexedInPart(const Document& doc, const Schema& schema) {
  std::vector<std::string> cut;
  for (const std::string& f : schema.fields) {
    const std::string* text = doc.TextField(f);
    if (text && text->size() > kIndexedFieldBytes) cut.push_back(f);
  }
  return cut;
}

std::string IndexedInPartNote(std::string_view field) {
  const std::string mib = std::to_string(kIndexedFieldBytes >> 20);
  return std::string(field) + " longer than " + mib + " MiB: stored whole, searchable in its first " + mib + " MiB";
}

uint64_t Snapshot::live_docs() const {
  uint64_t n = 0;
  for (const auto& s : segments_) n += s->live_docs();
  return n;
}

FieldStats Snapshot::field_stats(int field) const {
  FieldStats t;
  for (const auto& s : segments_) {
    FieldStats f = s->field_stats(field);
    t.docs_with_field += f.docs_with_field;
    t.total_length += f.total_length;
  }
  return t;
}

uint64_t Snapshot::DocFreq(int field, std::string_view term) const {
  uint64_t df = 0;
  TermInfo ti;
  for (const auto& s : segments_)
    if (s->Lookup(field, term, &ti)) df += ti.df;
  return df;
}

Result<Document> Snapshot::Get(std::string_view id) const {
  for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) {
    int64_t d = (*it)->FindId(id);
    if (d >= 0) return (*it)->Stored(static_cast<uint32_t>(d));
  }
  return Status::NotFound("no document with id " + std::string(id));
}

namespace {

constexpr char kManifest[] = "MANIFEST";
constexpr char kManifestTmp[] = "MANIFEST.tmp";
constexpr char kLock[] = "LOCK";

struct Manifest {
  uint64_t generation = 0;
  uint64_t next_segment = 1;
  std::vector<std::string> fields;
  std::vector<SegmentMeta> segments;
};

std::string EncodeManifest(const Manifest& m) {
  std::ostringstream o;
  o << "rasai-manifest " << kFormatVersion << "\n";
  o << "generation " << m.generation << "\n";
  o << "next_segment " << m.next_segment << "\n";
  o << "fields ";
  for (size_t i = 0; i < m.fields.size(); ++i) o << (i ? "," : "") << m.fields[i];
  o << "\n";
  for (const auto& s : m.segments) {
    o << "segment " << s.name << " " << s.max_doc << " " << s.del_gen << " " << s.del_count << " ";
    for (size_t i = 0; i < s.stats.size(); ++i)
      o << (i ? "," : "") << s.stats[i].total_length << ":" << s.stats[i].docs_with_field;
    o << "\n";
    for (const auto& f : s.files) o << "file " << f.name << " " << f.size << " " << f.crc << "\n";
  }
  std::string body = o.str();
  char crc[32];
  std::snprintf(crc, sizeof crc, "crc %08x\n", Crc32c(0, body.data(), body.size()));
  return body + crc;
}

Result<Manifest> DecodeManifest(const std::string& text) {
  auto bad = [](const std::string& why) { return Status::Corruption("MANIFEST: " + why); };
  size_t crc_at = text.rfind("crc ");
  if (crc_at == std::string::npos || (crc_at > 0 && text[crc_at - 1] != '\n')) return bad("no checksum line");
  unsigned crc = 0;
  if (std::sscanf(text.c_str() + crc_at, "crc %8x", &crc) != 1 || crc != Crc32c(0, text.data(), crc_at))
    return bad("checksum mismatch");
  Manifest m;
  std::istringstream in(text.substr(0, crc_at));
  std::string line;
  const std::string want = "rasai-manifest " + std::to_string(kFormatVersion);
  if (!std::getline(in, line)) return bad("empty");
  if (line != want) {
    unsigned v = 0;
    if (std::sscanf(line.c_str(), "rasai-manifest %u", &v) == 1)
      return Status::Unsupported("index format " + std::to_string(v) + ", this build reads format " +
                                 std::to_string(kFormatVersion) +
                                 ": rebuild the index with this version (rasai index)");
    return bad("unknown version");
  }
  while (std::getline(in, line)) {
    std::istringstream l(line);
    std::string key;
    l >> key;
    if (key == "generation") {
      l >> m.generation;
    } else if (key == "next_segment") {
      l >> m.next_segment;
    } else if (key == "fields") {
      std::string f;
      l >> f;
      std::stringstream fs(f);
      std::string x;
      while (std::getline(fs, x, ',')) m.fields.push_back(x);
    } else if (key == "segment") {
      SegmentMeta s;
      std::string stats;
      l >> s.name >> s.max_doc >> s.del_gen >> s.del_count >> stats;
      std::stringstream ss(stats);
      std::string x;
      while (std::getline(ss, x, ',')) {
        FieldStats fs;
        if (std::sscanf(x.c_str(), "%lu:%lu", &fs.total_length, &fs.docs_with_field) != 2) return bad("bad stats");
        s.stats.push_back(fs);
      }
      m.segments.push_back(std::move(s));
    } else if (key == "file") {
      if (m.segments.empty()) return bad("file before segment");
      FileInfo f;
      l >> f.name >> f.size >> f.crc;
      m.segments.back().files.push_back(f);
    } else if (!key.empty()) {
      return bad("unknown line '" + key + "'");
    }
    if (l.fail()) return bad("malformed line '" + line + "'");
  }
  if (m.fields.empty()) return bad("no fields");
  for (const auto& s : m.segments)
    if (s.stats.size() != m.fields.size()) return bad("segment " + s.name + " has wrong stats");
  return m;
}

// One term's postings while buffered in memory.
struct PostingBuf {
  uint64_t key_off = 0;  // the term in TermTable's arena
  uint32_t key_len = 0;
  uint32_t last_doc = 0xffffffffu;  // docs.back(), kept here to spare a cache miss per token
  uint32_t last_pos = 0;
  std::vector<uint32_t> docs;
  std::vector<uint32_t> freqs;
  std::string pos;
};

// The buffered terms of one field: an open-addressing table (power-of-two slots, linear
// probing, hashes kept in the slots) over PostingBufs, the term bytes in one arena. Cheaper per
// token than std::unordered_map<std::string, ...>: no node allocation per new term, no modulo
// by a prime, and a probe compares the stored hash before touching the term.
class TermTable {
 public:
  size_t size() const { return entries_.size(); }
  // The postings of `term` (h = HashBytes(term)), created empty when new (*inserted = true).
  PostingBuf& Get(std::string_view term, uint64_t h, bool* inserted) {
    if ((entries_.size() + 1) * 2 > slots_.size()) Grow();
    const uint32_t tag = static_cast<uint32_t>(h >> 32) | 1;  // never 0 (0 = empty slot)
    size_t i = h & mask_;
    for (;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.tag == 0) break;
      if (s.tag == tag) {
        PostingBuf& e = entries_[s.idx];
        if (e.key_len == term.size() && SameBytes(arena_.data() + e.key_off, term.data(), term.size())) {
          *inserted = false;
          return e;
        }
      }
    }
    slots_[i] = Slot{tag, static_cast<uint32_t>(entries_.size())};
    PostingBuf& e = entries_.emplace_back();
    e.key_off = arena_.size();
    e.key_len = static_cast<uint32_t>(term.size());
    arena_.append(term);
    *inserted = true;
    return e;
  }
  // Hints that Get(·, h) comes soon: Prefetch a few tokens ahead, then PrefetchEntry closer
  // (it reads the slot, which Prefetch brought in).
  void Prefetch(uint64_t h) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[h & mask_]);
  }
  void PrefetchEntry(uint64_t h) const {
    if (slots_.empty()) return;
    const Slot& s = slots_[h & mask_];
    if (s.tag == (static_cast<uint32_t>(h >> 32) | 1)) __builtin_prefetch(&entries_[s.idx]);
  }
  std::string_view Term(size_t i) const {
    return std::string_view(arena_).substr(entries_[i].key_off, entries_[i].key_len);
  }
  PostingBuf& entry(size_t i) { return entries_[i]; }

 private:
  struct Slot {
    uint32_t tag = 0;
    uint32_t idx = 0;
  };
  // memcmp(a, b, n) == 0 for the short strings terms are, without a library call.
  static bool SameBytes(const char* a, const char* b, size_t n) {
    for (; n >= 8; a += 8, b += 8, n -= 8) {
      uint64_t x, y;
      std::memcpy(&x, a, 8);
      std::memcpy(&y, b, 8);
      if (x != y) return false;
    }
    for (; n > 0; ++a, ++b, --n)
      if (*a != *b) return false;
    return true;
  }
  void Grow() {
    const size_t n = slots_.empty() ? 1024 : slots_.size() * 2;
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(n, Slot{});
    mask_ = n - 1;
    for (const Slot& s : old) {
      if (s.tag == 0) continue;
      size_t i = HashBytes(Term(s.idx)) & mask_;
      while (slots_[i].tag != 0) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::vector<PostingBuf> entries_;
  std::string arena_;
};

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

// The analysis thread of a writer: one batch at a time, handed over by Submit and taken back by
// Wait. The writer's thread inverts the previous batch meanwhile, then (in Wait) analyzes the
// slices the thread has not claimed yet. Without a thread (threads = 1, or no thread could be
// started) Submit analyzes in place. Each slice is analyzed alike by whichever thread, and the
// writer inverts the batches in order: the same files whatever the thread count.
class AnalysisWorker {
 public:
  AnalysisWorker(const Schema* schema, int off_field, bool threaded)
      : schema_(schema), off_field_(off_field), threaded_(threaded) {}
  ~AnalysisWorker() {
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  bool busy() const { return batch_ != nullptr; }
  // REQUIRES: !busy().
  void Submit(std::unique_ptr<AddBatch> b) {
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
  // The submitted batch, analyzed. REQUIRES: busy().
  std::unique_ptr<AddBatch> Wait() {
    if (threaded_) {
      const size_t mine = Claim(batch_.get(), &own_tokens_);
      std::unique_lock<std::mutex> l(mu_);
      batch_->slices_done += mine;
      done_cv_.wait(l, [&] { return !worker_in_ && batch_->slices_done == batch_->slices.size(); });
      return std::move(batch_);
    }
    return std::move(batch_);
  }

 private:
  // Analyzes unclaimed slices of `b` until none is left; returns how many.
  size_t Claim(AddBatch* b, std::vector<Token>* scratch) {
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
  void Loop() {
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

// Where a document added since the last commit lives.
struct PendingLoc {
  int seg;  // index into pending_ segments, or -1 for the RAM buffer
  uint32_t doc;
};

struct PendingSegment {
  SegmentMeta meta;
  std::vector<uint64_t> deleted;
};

}  // namespace

class IndexImpl final : public Index {
 public:
  IndexImpl(std::unique_ptr<Directory> dir, IndexOptions opts, bool read_only)
      : dir_(std::move(dir)), opts_(std::move(opts)), read_only_(read_only) {}

  ~IndexImpl() override {
    {
      std::lock_guard<std::mutex> l(bg_mu_);
      bg_stop_ = true;
    }
    bg_cv_.notify_all();
    if (bg_thread_.joinable()) bg_thread_.join();  // a merge in progress finishes first
  }

  Status Init(bool create) {
    if (!read_only_) {
      auto lock = FileLock::Acquire(dir_->path() + "/" + kLock);
      if (!lock.ok()) return lock.status();
      lock_ = std::move(*lock);
    }
    if (!dir_->Exists(kManifest)) {
      if (!create || read_only_) return Status::NotFound("no Rasai index in " + dir_->path() + " (no MANIFEST)");
      manifest_.fields = opts_.schema.fields;
      if (manifest_.fields.empty()) return Status::InvalidArgument("an index needs at least one field");
      RASAI_RETURN_IF_ERROR(Publish(manifest_));
    } else {
      auto text = ReadWholeFile(dir_->path() + "/" + kManifest);
      if (!text.ok()) return text.status();
      auto m = DecodeManifest(*text);
      if (!m.ok()) return m.status();
      manifest_ = std::move(*m);
    }
    schema_.fields = manifest_.fields;
    ntext_ = static_cast<int>(schema_.fields.size());
    off_field_ = schema_.FieldId("body");
    if (opts_.index_threads < 0) return Status::InvalidArgument("index_threads must be 0 (automatic) or more");
    threads_ = opts_.index_threads > 0 ? opts_.index_threads : (std::thread::hardware_concurrency() >= 2 ? 2 : 1);
    analysis_ = std::make_unique<AnalysisWorker>(&schema_, off_field_, threads_ > 1);
    for (const auto& meta : manifest_.segments) {
      auto r = OpenSegment(meta);
      if (!r.ok()) return r.status();
      readers_.push_back(std::move(*r));
    }
    if (!read_only_) RASAI_RETURN_IF_ERROR(RemoveLeftovers());
    PublishSnapshot();
    ResetBuffer();
    return Status::OK();
  }

  Status Add(const Document& in) override {
    if (read_only_) return Status::InvalidArgument("index opened read-only");
    if (in.id.empty()) return Status::InvalidArgument("document has an empty id");
    std::lock_guard<std::mutex> l(mu_);
    RASAI_RETURN_IF_ERROR(writer_error_);
    if (!adding_) {
      adding_ = std::make_unique<AddBatch>();
      adding_->first_doc = buf_ndocs_;
      adding_->docs.reserve(AddBatch::kMaxDocs);
    }
    const uint32_t d = buf_ndocs_++;
    adding_->docs.push_back(in);
    const Document& doc = adding_->docs.back();
    for (int f = 0; f < ntext_; ++f) {
      const std::string* text = doc.TextField(schema_.fields[f]);
      if (text) adding_->text_bytes += text->size();
    }
    buf_ids_.push_back(doc.id);
    buf_bytes_ += StoredSize(doc) + 64;
    NoteAdded(buf_ids_.back(), PendingLoc{-1, d});
    if (adding_->full()) {
      // Hand the batch to the analysis thread; meanwhile, invert the one it analyzed before.
      std::unique_ptr<AddBatch> prev;
      if (analysis_->busy()) prev = analysis_->Wait();
      analysis_->Submit(std::move(adding_));
      if (prev) RASAI_RETURN_IF_ERROR(Invert(prev.get()));
    }
    if (buf_bytes_ >= opts_.ram_buffer_bytes) return FlushBuffer();
    return Status::OK();
  }

  // Adds an analyzed batch to the buffer's postings. An analysis failure leaves the writer
  // unusable (documents acknowledged by Add would be missing): every later call reports it.
  Status Invert(AddBatch* b) {
    for (const AddBatch::Slice& sl : b->slices) {
      if (!sl.error.ok()) {
        writer_error_ = sl.error;
        return writer_error_;
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
          TermTable& table = buf_terms_[f];
          const size_t end = sl.tok_end[j * ntext_ + f];
          for (; k < end; ++k) {
            if (k + kAhead < end) table.Prefetch(toks[k + kAhead].hash);
            if (k + kAhead / 2 < end) table.PrefetchEntry(toks[k + kAhead / 2].hash);
            const AddBatch::Tok& t = toks[k];
            const std::string_view term(sl.terms.data() + t.off, t.len);
            bool inserted;
            PostingBuf& pb = table.Get(term, t.hash, &inserted);
            if (inserted) buf_bytes_ += term.size() + 96;
            if (pb.last_doc != d) {
              pb.last_doc = d;
              pb.docs.push_back(d);
              pb.freqs.push_back(1);
              PutVarint(&pb.pos, t.position);
              buf_bytes_ += 10;
            } else {
              pb.freqs.back()++;
              PutVarint(&pb.pos, t.position - pb.last_pos);
              buf_bytes_ += 2;
            }
            pb.last_pos = t.position;
          }
          buf_norms_[f].push_back(sl.norms[j * ntext_ + f]);
        }
        if (off_field_ >= 0) {
          const size_t from = j > 0 ? sl.off_ends[j - 1] : 0;
          buf_off_data_.append(sl.off_data, from, sl.off_ends[j] - from);
          buf_off_ends_.push_back(buf_off_data_.size());
          buf_bytes_ += sl.off_ends[j] - from + 8;
        }
        buf_langs_.push_back(b->docs[i].lang);
        buf_docs_.push_back(std::move(b->docs[i]));
      }
    }
    return Status::OK();
  }

  // Inverts every document added so far: the batch in analysis, then the one being filled.
  Status DrainAdds() {
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

  Status Delete(std::string_view id) override {
    if (read_only_) return Status::InvalidArgument("index opened read-only");
    std::lock_guard<std::mutex> l(mu_);
    std::string key(id);
    auto it = pending_ids_.find(key);
    if (it != pending_ids_.end()) {
      MarkPendingDeleted(it->second);
      pending_ids_.erase(it);
    }
    delete_ids_.insert(std::move(key));
    return Status::OK();
  }

  Status Commit() override {
    if (read_only_) return Status::InvalidArgument("index opened read-only");
    {
      std::lock_guard<std::mutex> l(mu_);
      RASAI_RETURN_IF_ERROR(CommitLocked());
    }
    if (!opts_.merge_on_commit) return Status::OK();
    if (!opts_.background_merge) return RunMerges(false);
    RequestBackgroundMerge();
    return Status::OK();
  }

  Status ForceMerge() override {
    if (read_only_) return Status::InvalidArgument("index opened read-only");
    {
      std::lock_guard<std::mutex> l(mu_);
      RASAI_RETURN_IF_ERROR(CommitLocked());
    }
    return RunMerges(true);
  }

  Status WaitForMerges() override {
    std::unique_lock<std::mutex> l(bg_mu_);
    bg_idle_cv_.wait(l, [&] { return !bg_requested_ && !bg_running_; });
    return bg_error_;
  }

  std::shared_ptr<const Snapshot> snapshot() const override {
    std::lock_guard<std::mutex> l(snap_mu_);
    return snapshot_;
  }

  IndexStats stats() const override {
    auto snap = snapshot();
    IndexStats s;
    s.generation = snap->generation();
    s.segments = snap->segments().size();
    s.fields = schema_.fields;
    for (const auto& seg : snap->segments()) {
      s.live_docs += seg->live_docs();
      s.deleted_docs += seg->max_doc() - seg->live_docs();
    }
    std::lock_guard<std::mutex> l(mu_);
    for (const auto& m : manifest_.segments)
      for (const auto& f : m.files) s.bytes_on_disk += f.size;
    return s;
  }

  Status Check() const override {
    Manifest m;
    {
      std::lock_guard<std::mutex> l(mu_);
      auto text = ReadWholeFile(dir_->path() + "/" + kManifest);
      if (!text.ok()) return text.status();
      auto dm = DecodeManifest(*text);
      if (!dm.ok()) return dm.status();
      m = std::move(*dm);
    }
    for (const auto& seg : m.segments) {
      for (const auto& f : seg.files) {
        auto mf = dir_->OpenMapped(f.name);
        if (!mf.ok()) return Status::Corruption(f.name + ": missing (" + mf.status().message() + ")");
        if ((*mf)->size() != f.size)
          return Status::Corruption(f.name + ": size " + std::to_string((*mf)->size()) + ", manifest says " +
                                    std::to_string(f.size));
        RASAI_RETURN_IF_ERROR(VerifyFileCrc(**mf, f.name));
        if (DecodeFixed32((*mf)->data() + f.size - kFooterSize) != f.crc)
          return Status::Corruption(f.name + ": checksum differs from the manifest");
      }
      auto core = SegmentCore::Open(*dir_, seg, static_cast<int>(m.fields.size()));
      if (!core.ok()) return core.status();
      if (seg.del_gen > 0) {
        auto del = LoadDeletions(*dir_, DeletionFileName(seg.name, seg.del_gen), seg.max_doc);
        if (!del.ok()) return del.status();
        uint32_t n = 0;
        for (uint64_t w : *del) n += __builtin_popcountll(w);
        if (n != seg.del_count) return Status::Corruption(seg.name + ": deletion count mismatch");
      }
      RASAI_RETURN_IF_ERROR(CheckStructures(*core, seg, static_cast<int>(m.fields.size())));
    }
    return Status::OK();
  }

 private:
  // Walks every term and postings list, checking order and bounds.
  Status CheckStructures(const std::shared_ptr<SegmentCore>& core, const SegmentMeta& meta, int ntext) const {
    auto data = std::make_unique<SegmentData>();
    data->meta = meta;
    data->schema = schema_;
    data->core = core;
    SegmentReader r(std::move(data));
    for (int f = 0; f <= ntext; ++f) {
      std::string prev;
      bool first = true;
      for (TermIterator it = r.Terms(f); it.Valid(); it.Next()) {
        if (!first && std::string_view(prev) >= it.term())
          return Status::Corruption(meta.name + ".tim: terms out of order in field " + std::to_string(f));
        first = false;
        prev.assign(it.term());
        const TermInfo& ti = it.info();
        if (ti.df == 0 || ti.df > meta.max_doc || ti.doc_offset >= core->doc_body.size() ||
            ti.pos_offset > core->pos_body.size())
          return Status::Corruption(meta.name + ".tim: bad term info for '" + prev + "'");
        PostingsCursor pc = r.Postings(ti);
        uint32_t n = 0, last = 0;
        for (uint32_t d = pc.doc(); d != PostingsCursor::kEnd; d = pc.Next()) {
          if ((n > 0 && d <= last) || d >= meta.max_doc)
            return Status::Corruption(meta.name + ".doc: postings out of order for '" + prev + "'");
          last = d;
          ++n;
        }
        if (n != ti.df) return Status::Corruption(meta.name + ".doc: postings count mismatch for '" + prev + "'");
      }
    }
    std::vector<TokenSpan> spans;
    for (uint32_t d = 0; d < meta.max_doc; ++d) {
      auto doc = r.Stored(d);
      if (!doc.ok()) return doc.status();
      if (core->off) {  // every span inside the stored text of its field
        uint32_t npos = 0;
        RASAI_RETURN_IF_ERROR(r.TokenSpans(d, 0, UINT32_MAX, &spans, &npos));
        const std::string* text = doc->TextField(schema_.fields[core->off->field()]);
        const size_t size = text ? text->size() : 0;
        for (const TokenSpan& sp : spans)
          if (sp.begin > sp.end || sp.end > size)
            return Status::Corruption(meta.name + ".off: span outside the text of document " + std::to_string(d));
      }
    }
    return Status::OK();
  }

  Result<std::shared_ptr<const SegmentReader>> OpenSegment(const SegmentMeta& meta,
                                                           std::shared_ptr<const SegmentCore> core = nullptr) {
    if (!core) {
      auto c = SegmentCore::Open(*dir_, meta, ntext_);
      if (!c.ok()) return c.status();
      core = std::move(*c);
    }
    auto data = std::make_unique<SegmentData>();
    data->meta = meta;
    data->schema = schema_;
    data->core = std::move(core);
    if (meta.del_gen > 0) {
      auto del = LoadDeletions(*dir_, DeletionFileName(meta.name, meta.del_gen), meta.max_doc);
      if (!del.ok()) return del.status();
      data->deleted = std::make_shared<const std::vector<uint64_t>>(std::move(*del));
    }
    return std::shared_ptr<const SegmentReader>(new SegmentReader(std::move(data)));
  }

  void PublishSnapshot() {
    auto snap = std::make_shared<Snapshot>();
    snap->segments_ = readers_;
    snap->schema_ = schema_;
    snap->generation_ = manifest_.generation;
    std::lock_guard<std::mutex> l(snap_mu_);
    snapshot_ = std::move(snap);
  }

  Status Publish(const Manifest& m) {
    RASAI_RETURN_IF_ERROR(dir_->WriteFileSync(kManifestTmp, EncodeManifest(m)));
    RASAI_RETURN_IF_ERROR(dir_->Rename(kManifestTmp, kManifest));
    return dir_->SyncDir();
  }

  Status RemoveLeftovers() {
    std::set<std::string> keep = {kManifest, kLock};
    for (const auto& s : manifest_.segments)
      for (const auto& f : s.files) keep.insert(f.name);
    auto names = dir_->List();
    if (!names.ok()) return names.status();
    for (const auto& n : *names) {
      if (keep.count(n)) continue;
      // Only files that look like ours: never delete what a user put in the folder.
      bool ours = n == kManifestTmp || (n.size() > 1 && n[0] == 's' && n.find('.') != std::string::npos &&
                                        n.find_first_not_of("0123456789abcdef", 1) == n.find('.'));
      if (ours) RASAI_RETURN_IF_ERROR(dir_->Remove(n));
    }
    return Status::OK();
  }

  void ResetBuffer() {
    buf_terms_.assign(ntext_, {});
    buf_norms_.assign(ntext_, {});
    buf_docs_.clear();
    buf_ids_.clear();
    buf_langs_.clear();
    std::string().swap(buf_off_data_);
    std::vector<uint64_t>().swap(buf_off_ends_);
    buf_deleted_.clear();
    buf_ndocs_ = 0;
    buf_bytes_ = 0;
  }

  void NoteAdded(const std::string& id, PendingLoc loc) {
    auto [it, inserted] = pending_ids_.try_emplace(id, loc);
    if (!inserted) {
      MarkPendingDeleted(it->second);
      it->second = loc;
    }
    // An earlier committed version, if any, is replaced: CommitLocked deletes the ids of
    // pending_ids_ as well as delete_ids_ from the committed segments.
  }

  void MarkPendingDeleted(const PendingLoc& loc) {
    if (loc.seg < 0) {
      buf_deleted_.insert(loc.doc);
    } else {
      auto& p = pending_[loc.seg];
      p.deleted[loc.doc >> 6] |= 1ull << (loc.doc & 63);
    }
  }

  std::string NewSegmentName() {
    char b[32];
    std::snprintf(b, sizeof b, "s%08llx", static_cast<unsigned long long>(manifest_.next_segment++));
    return b;
  }

  Status FlushBuffer() {
    RASAI_RETURN_IF_ERROR(DrainAdds());
    if (buf_ndocs_ == 0) return Status::OK();
    SegmentBuilder sb(dir_.get(), NewSegmentName(), ntext_);
    RASAI_RETURN_IF_ERROR(sb.Open());
    sb.SetNorms(buf_norms_);
    RASAI_RETURN_IF_ERROR(sb.SetStoreDictionaries(
        MakeStoreDictionary(buf_ndocs_, [&](size_t i, std::string* out) { SerializeHead(buf_docs_[i], out); }),
        MakeStoreDictionary(buf_ndocs_, [&](size_t i, std::string* out) { SerializeText(buf_docs_[i], out); })));
    std::unique_ptr<OffsetsWriter> ow;
    if (off_field_ >= 0) {  // token offsets of the body, for snippets
      auto w = OffsetsWriter::Create(dir_.get(), sb.name(), off_field_);
      if (!w.ok()) return w.status();
      ow = std::move(*w);
    }
    // The postings, the stored documents (the bulk of the work: compression) and the token
    // offsets go to different files from disjoint state. With two threads: the second writes
    // the offsets, then compresses stored records; the writer's thread writes the postings,
    // then compresses the records left. The records are written in order at the end.
    SegmentBuilder::StoreBatch stored(
        &sb, buf_ndocs_, [this](size_t i) -> const Document& { return buf_docs_[i]; },
        [this](size_t i) -> const std::string& { return buf_langs_[i]; });
    auto write_offsets = [&]() -> Status {
      if (!ow) return Status::OK();
      uint64_t from = 0;
      for (uint64_t end : buf_off_ends_) {
        RASAI_RETURN_IF_ERROR(ow->Add(std::string_view(buf_off_data_).substr(from, end - from)));
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
    PendingSegment p;
    RASAI_RETURN_IF_ERROR(sb.Finish(&p.meta));
    if (ow) {
      FileInfo fi;
      RASAI_RETURN_IF_ERROR(ow->Finish(&fi));
      p.meta.files.push_back(fi);
    }
    p.deleted.assign((buf_ndocs_ + 63) / 64, 0);
    for (uint32_t d : buf_deleted_) p.deleted[d >> 6] |= 1ull << (d & 63);
    const int seg_index = static_cast<int>(pending_.size());
    for (auto& [id, loc] : pending_ids_)
      if (loc.seg < 0) loc.seg = seg_index;
    pending_.push_back(std::move(p));
    ResetBuffer();
    return Status::OK();
  }

  // The postings of the buffer, field by field in term order, then the _id field.
  Status WritePostings(SegmentBuilder* sb) {
    std::vector<std::pair<std::string_view, PostingBuf*>> sorted;
    for (int f = 0; f < ntext_; ++f) {
      sorted.clear();
      TermTable& table = buf_terms_[f];
      sorted.reserve(table.size());
      for (size_t i = 0; i < table.size(); ++i) sorted.emplace_back(table.Term(i), &table.entry(i));
      std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto& [t, pb] : sorted)
        RASAI_RETURN_IF_ERROR(sb->AddTerm(f, t, pb->docs.data(), pb->freqs.data(), pb->docs.size(), pb->pos));
      buf_terms_[f] = {};
    }
    std::vector<uint32_t> order(buf_ndocs_);
    for (uint32_t i = 0; i < buf_ndocs_; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return buf_ids_[a] < buf_ids_[b]; });
    std::vector<uint32_t> docs, freqs;
    for (size_t i = 0; i < order.size();) {
      size_t j = i;
      docs.clear();
      freqs.clear();
      while (j < order.size() && buf_ids_[order[j]] == buf_ids_[order[i]]) {
        docs.push_back(order[j]);
        freqs.push_back(1);
        ++j;
      }
      RASAI_RETURN_IF_ERROR(sb->AddTerm(ntext_, buf_ids_[order[i]], docs.data(), freqs.data(), docs.size(), {}));
      i = j;
    }
    return Status::OK();
  }

  // Writes a deletion file for a segment and updates its meta.
  Status WriteDeletions(SegmentMeta* meta, const std::vector<uint64_t>& bits) {
    uint32_t n = 0;
    for (uint64_t w : bits) n += __builtin_popcountll(w);
    if (n == meta->del_count && meta->del_gen > 0) return Status::OK();
    if (n == 0) return Status::OK();
    const uint64_t gen = manifest_.generation + 1;
    const std::string name = DeletionFileName(meta->name, gen);
    auto w = FormatWriter::Create(dir_.get(), name, "DEL1");
    if (!w.ok()) return w.status();
    RASAI_RETURN_IF_ERROR((*w)->Append(EncodeDeletions(bits)));
    FileInfo fi;
    RASAI_RETURN_IF_ERROR((*w)->Finish(&fi));
    auto& files = meta->files;
    files.erase(std::remove_if(files.begin(), files.end(),
                               [](const FileInfo& f) { return f.name.size() > 4 && f.name.ends_with(".del"); }),
                files.end());
    files.push_back(fi);
    meta->del_gen = gen;
    meta->del_count = n;
    return Status::OK();
  }

  Status CommitLocked() {
    RASAI_RETURN_IF_ERROR(writer_error_);
    RASAI_RETURN_IF_ERROR(FlushBuffer());
    if (pending_.empty() && delete_ids_.empty()) return Status::OK();
    Manifest next = manifest_;
    next.generation = manifest_.generation + 1;
    std::vector<size_t> changed;  // committed segments whose deletions changed
    // Deletions in committed segments: ids replaced or deleted since the last commit, in
    // order (lookups walk each segment's id dictionary forwards).
    std::vector<std::string_view> gone;
    if (!readers_.empty()) {
      gone.reserve(delete_ids_.size() + pending_ids_.size());
      for (const auto& id : delete_ids_) gone.push_back(id);
      for (const auto& [id, loc] : pending_ids_) gone.push_back(id);
      std::sort(gone.begin(), gone.end());
      gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
    }
    std::vector<std::vector<uint64_t>> dels(readers_.size());
    for (size_t i = 0; i < readers_.size(); ++i) {
      const SegmentReader& r = *readers_[i];
      bool any = false;
      for (std::string_view id : gone) {
        int64_t d = r.FindId(id);
        if (d < 0) continue;
        if (!any) {
          dels[i].assign((r.max_doc() + 63) / 64, 0);
          if (r.data_->deleted) dels[i] = *r.data_->deleted;
          any = true;
        }
        dels[i][d >> 6] |= 1ull << (d & 63);
      }
      if (any) {
        RASAI_RETURN_IF_ERROR(WriteDeletions(&next.segments[i], dels[i]));
        changed.push_back(i);
      }
    }
    for (auto& p : pending_) {
      RASAI_RETURN_IF_ERROR(WriteDeletions(&p.meta, p.deleted));
      next.segments.push_back(p.meta);
    }
    RASAI_RETURN_IF_ERROR(Publish(next));
    // Durable: now make it visible.
    const std::vector<SegmentMeta> old_metas = manifest_.segments;
    manifest_ = std::move(next);
    for (size_t i : changed) {
      auto r = OpenSegment(manifest_.segments[i], readers_[i]->data_->core);
      if (!r.ok()) return r.status();
      readers_[i] = std::move(*r);
    }
    for (size_t k = 0; k < pending_.size(); ++k) {
      auto r = OpenSegment(manifest_.segments[readers_.size()]);
      if (!r.ok()) return r.status();
      readers_.push_back(std::move(*r));
    }
    pending_.clear();
    pending_ids_.clear();
    delete_ids_.clear();
    PublishSnapshot();
    RemoveStaleFiles(old_metas);
    return Status::OK();
  }

  // Removes files of the previous manifest that the current one no longer names.
  void RemoveStaleFiles(const std::vector<SegmentMeta>& old_metas) {
    std::set<std::string> keep;
    for (const auto& s : manifest_.segments)
      for (const auto& f : s.files) keep.insert(f.name);
    for (const auto& s : old_metas)
      for (const auto& f : s.files)
        if (!keep.count(f.name)) dir_->Remove(f.name).PermitUnchecked();
  }

  void RequestBackgroundMerge() {
    {
      std::lock_guard<std::mutex> l(bg_mu_);
      bg_requested_ = true;
      if (!bg_thread_.joinable()) bg_thread_ = std::thread([this] { BackgroundLoop(); });
    }
    bg_cv_.notify_all();
  }

  void BackgroundLoop() {
    std::unique_lock<std::mutex> l(bg_mu_);
    for (;;) {
      bg_cv_.wait(l, [&] { return bg_stop_ || bg_requested_; });
      if (bg_stop_) break;
      bg_requested_ = false;
      bg_running_ = true;
      l.unlock();
      Status st = RunMerges(false);
      l.lock();
      bg_running_ = false;
      if (!st.ok()) bg_error_ = st;
      bg_idle_cv_.notify_all();
    }
    bg_running_ = false;
    bg_requested_ = false;
    bg_idle_cv_.notify_all();
  }

  // Tiered policy: merge the smallest segments while there are more than kMaxSegments, or all
  // of them when forced. Returns the positions in readers_ to merge (empty: nothing to do).
  std::vector<size_t> PickMergeLocked(bool force) const {
    constexpr size_t kMaxSegments = 8, kMergeFactor = 8;
    std::vector<size_t> idx(readers_.size());
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::vector<size_t> pick;
    if (force) {
      bool has_deletes = false;
      for (const auto& r : readers_) has_deletes |= r->live_docs() != r->max_doc();
      if (readers_.size() <= 1 && !has_deletes) return pick;
      pick = idx;
    } else {
      if (readers_.size() <= kMaxSegments) return pick;
      std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return readers_[a]->live_docs() < readers_[b]->live_docs(); });
      pick.assign(idx.begin(), idx.begin() + std::min(kMergeFactor, idx.size()));
    }
    std::sort(pick.begin(), pick.end());  // keep segment order: later segments hold newer docs
    return pick;
  }

  // Runs the merge policy until it has nothing to do (or once, when forced). One merge at a time
  // (merge_mu_); the writer lock mu_ is held only to pick the sources and to publish the result,
  // so Add/Delete/Commit and searches go on while the merged segment is written.
  Status RunMerges(bool force) {
    std::lock_guard<std::mutex> one_at_a_time(merge_mu_);
    for (;;) {
      std::vector<std::shared_ptr<const SegmentReader>> src;
      std::string name;
      {
        std::lock_guard<std::mutex> l(mu_);
        std::vector<size_t> pick = PickMergeLocked(force);
        if (pick.empty()) return Status::OK();
        for (size_t i : pick) src.push_back(readers_[i]);
        name = NewSegmentName();
      }
      SegmentMeta meta;
      std::vector<std::vector<uint32_t>> docmap;
      Status st = BuildMergedSegment(src, name, &meta, &docmap);
      if (st.ok()) {
        std::lock_guard<std::mutex> l(mu_);
        st = InstallMergeLocked(src, docmap, &meta);
      }
      if (!st.ok()) {
        // The sources stay in the index; the half-written segment goes.
        std::lock_guard<std::mutex> l(mu_);
        RemoveSegmentFiles(name);
        return st;
      }
      if (force) return Status::OK();
    }
  }

  void RemoveSegmentFiles(const std::string& name) {
    auto names = dir_->List();
    if (!names.ok()) return;
    for (const auto& n : *names)
      if (n.size() > name.size() && n.compare(0, name.size(), name) == 0 && n[name.size()] == '.')
        dir_->Remove(n).PermitUnchecked();
  }

  // Writes one segment holding the live documents of `src` (in order). docmap[s][d] is the new
  // number of document d of source s (kEnd for a deleted one).
  Status BuildMergedSegment(const std::vector<std::shared_ptr<const SegmentReader>>& src, const std::string& name,
                            SegmentMeta* out, std::vector<std::vector<uint32_t>>* docmap_out) {
    std::vector<std::vector<uint32_t>>& docmap = *docmap_out;
    docmap.assign(src.size(), {});
    uint32_t ndocs = 0;
    for (size_t s = 0; s < src.size(); ++s) {
      docmap[s].assign(src[s]->max_doc(), PostingsCursor::kEnd);
      for (uint32_t d = 0; d < src[s]->max_doc(); ++d)
        if (!src[s]->IsDeleted(d)) docmap[s][d] = ndocs++;
    }
    SegmentBuilder sb(dir_.get(), name, ntext_);
    RASAI_RETURN_IF_ERROR(sb.Open());
    std::vector<std::vector<uint8_t>> norms(ntext_, std::vector<uint8_t>(ndocs));
    for (size_t s = 0; s < src.size(); ++s) {
      const auto& core = *src[s]->data_->core;
      for (int f = 0; f < ntext_; ++f)
        for (uint32_t d = 0; d < src[s]->max_doc(); ++d)
          if (docmap[s][d] != PostingsCursor::kEnd)
            norms[f][docmap[s][d]] = static_cast<uint8_t>(core.nrm_body[static_cast<size_t>(f) * core.max_doc + d]);
    }
    sb.SetNorms(norms);
    std::vector<uint32_t> docs, freqs;
    std::string pos;
    for (int f = 0; f <= ntext_; ++f) {
      using Item = std::pair<std::string, size_t>;
      auto cmp = [](const Item& a, const Item& b) { return a.first > b.first || (a.first == b.first && a.second > b.second); };
      std::priority_queue<Item, std::vector<Item>, decltype(cmp)> heap(cmp);
      std::vector<TermIterator> its;
      for (size_t s = 0; s < src.size(); ++s) {
        its.push_back(src[s]->Terms(f));
        if (its.back().Valid()) heap.emplace(std::string(its.back().term()), s);
      }
      while (!heap.empty()) {
        const std::string term = heap.top().first;
        docs.clear();
        freqs.clear();
        pos.clear();
        while (!heap.empty() && heap.top().first == term) {
          size_t s = heap.top().second;
          heap.pop();
          PostingsCursor pc = src[s]->Postings(its[s].info());
          for (uint32_t d = pc.doc(); d != PostingsCursor::kEnd; d = pc.Next()) {
            if (docmap[s][d] == PostingsCursor::kEnd) continue;
            docs.push_back(docmap[s][d]);
            freqs.push_back(pc.freq());
            if (f < ntext_) pos.append(pc.RawPositions());
          }
          its[s].Next();
          if (its[s].Valid()) heap.emplace(std::string(its[s].term()), s);
        }
        if (!docs.empty()) RASAI_RETURN_IF_ERROR(sb.AddTerm(f, term, docs.data(), freqs.data(), docs.size(), pos));
      }
    }
    {
      // Store dictionaries from the live documents of the sources, picked evenly.
      std::vector<std::pair<uint32_t, uint32_t>> live;  // (source, doc) in new doc order
      live.reserve(ndocs);
      for (size_t s = 0; s < src.size(); ++s)
        for (uint32_t d = 0; d < src[s]->max_doc(); ++d)
          if (docmap[s][d] != PostingsCursor::kEnd) live.emplace_back(static_cast<uint32_t>(s), d);
      std::string rec;
      Status st;
      auto sample = [&](bool head) {
        return MakeStoreDictionary(live.size(), [&](size_t i, std::string* out) {
          const SegmentCore& core = *src[live[i].first]->data_->core;
          Status r = (head ? core.heads : core.texts).Read(live[i].second, &rec);
          if (r.ok()) out->append(rec); else if (st.ok()) st = r;
        });
      };
      std::string head_dict = sample(true), text_dict = sample(false);
      RASAI_RETURN_IF_ERROR(st);
      RASAI_RETURN_IF_ERROR(sb.SetStoreDictionaries(std::move(head_dict), std::move(text_dict)));
    }
    std::unique_ptr<OffsetsWriter> ow;
    if (off_field_ >= 0) {
      auto w = OffsetsWriter::Create(dir_.get(), name, off_field_);
      if (!w.ok()) return w.status();
      ow = std::move(*w);
    }
    std::string rec;
    for (size_t s = 0; s < src.size(); ++s) {
      for (uint32_t d = 0; d < src[s]->max_doc(); ++d) {
        if (docmap[s][d] == PostingsCursor::kEnd) continue;
        auto doc = src[s]->Stored(d);
        if (!doc.ok()) return doc.status();
        std::string lang(src[s]->ValueName(DocValueField::kLang, src[s]->Values(d).lang));
        RASAI_RETURN_IF_ERROR(sb.AddDocument(*doc, lang));
        if (ow) RASAI_RETURN_IF_ERROR(MergeOffsets(*src[s], d, *doc, ow.get(), &rec));
      }
    }
    RASAI_RETURN_IF_ERROR(sb.Finish(out));
    if (ow) {
      FileInfo fi;
      RASAI_RETURN_IF_ERROR(ow->Finish(&fi));
      out->files.push_back(fi);
    }
    return Status::OK();
  }

  // Publishes a merged segment in place of its sources. Documents deleted from a source after
  // the merge began (a commit ran meanwhile) are deleted in the merged segment too.
  Status InstallMergeLocked(const std::vector<std::shared_ptr<const SegmentReader>>& src,
                            const std::vector<std::vector<uint32_t>>& docmap, SegmentMeta* meta) {
    // Where the sources are now (only merges remove segments, and they run one at a time).
    std::vector<size_t> where;
    for (const auto& s : src) {
      size_t i = 0;
      while (i < manifest_.segments.size() && manifest_.segments[i].name != s->data_->meta.name) ++i;
      if (i == manifest_.segments.size()) return Status::Aborted("merge source " + s->data_->meta.name + " vanished");
      where.push_back(i);
    }
    std::vector<uint64_t> carried((meta->max_doc + 63) / 64, 0);
    bool any = false;
    for (size_t s = 0; s < src.size(); ++s) {
      const SegmentReader& now = *readers_[where[s]];
      if (now.live_docs() == src[s]->live_docs()) continue;
      for (uint32_t d = 0; d < src[s]->max_doc(); ++d) {
        const uint32_t nd = docmap[s][d];
        if (nd == PostingsCursor::kEnd || !now.IsDeleted(d)) continue;
        carried[nd >> 6] |= 1ull << (nd & 63);
        any = true;
      }
    }
    if (any) RASAI_RETURN_IF_ERROR(WriteDeletions(meta, carried));
    auto opened = OpenSegment(*meta);
    if (!opened.ok()) return opened.status();
    // The merged segment takes the place of the first source, the others go.
    Manifest next = manifest_;
    next.generation++;
    std::vector<SegmentMeta> segs;
    std::vector<std::shared_ptr<const SegmentReader>> readers;
    std::set<size_t> picked(where.begin(), where.end());
    const size_t first = *picked.begin();
    for (size_t i = 0; i < readers_.size(); ++i) {
      if (i == first) {
        segs.push_back(*meta);
        readers.push_back(*opened);
      } else if (!picked.count(i)) {
        segs.push_back(manifest_.segments[i]);
        readers.push_back(readers_[i]);
      }
    }
    next.segments = segs;
    RASAI_RETURN_IF_ERROR(Publish(next));
    const std::vector<SegmentMeta> old_metas = manifest_.segments;
    manifest_ = std::move(next);
    readers_ = std::move(readers);
    PublishSnapshot();
    RemoveStaleFiles(old_metas);
    return Status::OK();
  }

  // Carries one document's token offsets into a merged segment: the record as it is when the
  // source has one for the same field, else made again from the stored text.
  Status MergeOffsets(const SegmentReader& src, uint32_t d, const Document& doc, OffsetsWriter* ow, std::string* rec) {
    const auto& off = src.data_->core->off;
    if (off && off->field() == off_field_) {
      std::string_view r;
      RASAI_RETURN_IF_ERROR(off->Record(d, &r));
      return ow->Add(r);
    }
    rec->clear();
    std::vector<Token> tokens;  // not a member: merges run outside the writer lock
    const std::string* text = doc.TextField(schema_.fields[off_field_]);
    if (text && !text->empty()) DefaultAnalyzer().Analyze(IndexedText(*text), &tokens);
    EncodeTokenSpans(tokens, rec);
    return ow->Add(*rec);
  }

  std::unique_ptr<Directory> dir_;
  IndexOptions opts_;
  bool read_only_;
  std::unique_ptr<FileLock> lock_;
  mutable std::mutex mu_;       // the writer state below
  mutable std::mutex snap_mu_;  // snapshot_
  Manifest manifest_;
  Schema schema_;
  int ntext_ = 0;
  int off_field_ = -1;  // the text field whose token offsets segments store ("body"), -1 = none
  std::vector<std::shared_ptr<const SegmentReader>> readers_;
  std::shared_ptr<const Snapshot> snapshot_;
  // Write buffer.
  std::vector<TermTable> buf_terms_;
  std::vector<std::vector<uint8_t>> buf_norms_;
  std::vector<Document> buf_docs_;
  std::vector<std::string> buf_ids_, buf_langs_;
  // Token-offset records of the buffered docs, back to back, and where each ends (off_field_ >= 0).
  std::string buf_off_data_;
  std::vector<uint64_t> buf_off_ends_;
  std::unordered_set<uint32_t> buf_deleted_;
  uint32_t buf_ndocs_ = 0;
  size_t buf_bytes_ = 0;
  // Documents added but not yet in the buffer's postings: the batch being filled, and the one
  // the analysis thread holds (analysis_ stays last among the members the thread reads).
  std::unique_ptr<AddBatch> adding_;
  int threads_ = 1;
  std::unique_ptr<AnalysisWorker> analysis_;
  Status writer_error_;
  // Since the last commit.
  std::vector<PendingSegment> pending_;
  std::unordered_map<std::string, PendingLoc> pending_ids_;
  std::set<std::string> delete_ids_;  // ids deleted by Delete (added ones: pending_ids_)
  // Merges: one at a time; in the background when opts_.background_merge.
  std::mutex merge_mu_;
  std::mutex bg_mu_;  // the bg_ fields
  std::condition_variable bg_cv_, bg_idle_cv_;
  bool bg_requested_ = false, bg_running_ = false, bg_stop_ = false;
  Status bg_error_;
  std::thread bg_thread_;
};

Result<std::unique_ptr<Index>> Index::Open(const std::string& dir, const IndexOptions& options, bool create) {
  auto d = OpenPosixDirectory(dir, create);
  if (!d.ok()) return d.status();
  auto idx = std::make_unique<IndexImpl>(std::move(*d), options, false);
  RASAI_RETURN_IF_ERROR(idx->Init(create));
  return std::unique_ptr<Index>(std::move(idx));
}

Result<std::unique_ptr<Index>> Index::OpenReadOnly(const std::string& dir) {
  auto d = OpenPosixDirectory(dir, false);
  if (!d.ok()) return d.status();
  auto idx = std::make_unique<IndexImpl>(std::move(*d), IndexOptions(), true);
  RASAI_RETURN_IF_ERROR(idx->Init(false));
  return std::unique_ptr<Index>(std::move(idx));
}

}  // namespace rasai
