// IndexImpl: the index behind rasai/index.h — opening, the writer's commit protocol (buffered
// adds and deletes made durable by a new manifest), merges installed in place of their sources,
// and the snapshots readers take. The write buffer, merge policy, merger, background merger and
// checker are in files of their own.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "index/background_merger.h"
#include "index/checker.h"
#include "index/deletions.h"
#include "index/manifest.h"
#include "index/merge_policy.h"
#include "index/merger.h"
#include "index/segment_core.h"
#include "index/write_buffer.h"
#include "rasai/index.h"
#include "rasai/postings.h"
#include "util/hash.h"
#include "util/bloom_filter.h"

namespace rasai {
namespace {

// A segment flushed since the last commit, with the documents replaced since in its bitmap, a
// filter of its ids (HashBytes; 2 bytes an id) that says which ids it may hold, and a reader of
// it (not published; opened when first needed) to find its documents by id.
struct PendingSegment {
  SegmentMeta meta;
  std::vector<uint64_t> deleted;
  BloomFilter ids;
  std::shared_ptr<const SegmentReader> reader;
};

}  // namespace

class IndexImpl final : public Index {
 public:
  IndexImpl(std::unique_ptr<Directory> dir, IndexOptions opts, bool read_only)
      : dir_(std::move(dir)), opts_(std::move(opts)), read_only_(read_only) {}

  ~IndexImpl() override {
    background_.reset();  // a merge in progress finishes first
  }

  Status Init(bool create) {
    if (!read_only_) {
      auto lock = dir_->Lock(kLock);
      if (!lock.ok()) return lock.status();
      lock_ = std::move(*lock);
    }
    if (!dir_->Exists(kManifest)) {
      if (!create || read_only_) return Status::NotFound("no Rasai index in " + dir_->path() + " (no MANIFEST)");
      manifest_.fields = opts_.schema.fields;
      if (manifest_.fields.empty()) return Status::InvalidArgument("an index needs at least one field");
      bool replaced = false;
      RASAI_RETURN_IF_ERROR(PublishManifest(dir_.get(), manifest_, &replaced));
    } else {
      auto m = ReadManifest(*dir_);
      if (!m.ok()) return m.status();
      manifest_ = std::move(*m);
    }
    schema_.fields = manifest_.fields;
    ntext_ = static_cast<int>(schema_.fields.size());
    off_field_ = schema_.FieldId("body");
    if (opts_.index_threads < 0) return Status::InvalidArgument("index_threads must be 0 (automatic) or more");
    const int threads =
        opts_.index_threads > 0 ? opts_.index_threads : (std::thread::hardware_concurrency() >= 2 ? 2 : 1);
    buffer_ = std::make_unique<WriteBuffer>(&schema_, off_field_, threads);
    for (const auto& meta : manifest_.segments) {
      auto r = OpenSegment(meta);
      if (!r.ok()) return r.status();
      readers_.push_back(std::move(*r));
    }
    if (!read_only_) RASAI_RETURN_IF_ERROR(RemoveLeftovers());
    PublishSnapshot();
    background_ = std::make_unique<BackgroundMerger>([this] { return RunMerges(false); });
    return Status::OK();
  }

  Status Add(const Document& in) override { return Add(Document(in), nullptr); }
  Status Add(Document&& in) override { return Add(std::move(in), nullptr); }

  Status Add(Document&& in, bool* replaced_uncommitted) override {
    if (read_only_) return Status::InvalidArgument("index opened read-only");
    if (in.id.empty()) return Status::InvalidArgument("document has an empty id");
    std::lock_guard<std::mutex> l(mu_);
    RASAI_RETURN_IF_ERROR(writer_error_);
    // An earlier version added since the last commit, if any, is replaced.
    bool found = false;
    RASAI_RETURN_IF_ERROR(ForgetPending(in.id, &found));
    if (replaced_uncommitted) *replaced_uncommitted = found;
    uint32_t d = 0;
    const Status st = buffer_->Add(std::move(in), &d);
    if (!st.ok()) return Stop(st);  // an analysis failure: the buffer misses a document
    // An earlier committed version, if any, is replaced: CommitLocked deletes the ids added
    // since the last commit, as well as delete_ids_, from the committed segments.
    if (buffer_->bytes() >= opts_.ram_buffer_bytes || buffer_->full()) return FlushBuffer();
    return Status::OK();
  }

  Status Delete(std::string_view id) override {
    if (read_only_) return Status::InvalidArgument("index opened read-only");
    std::lock_guard<std::mutex> l(mu_);
    RASAI_RETURN_IF_ERROR(writer_error_);
    bool found = false;
    RASAI_RETURN_IF_ERROR(ForgetPending(id, &found));
    delete_ids_.insert(std::string(id));
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
    background_->Request();
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

  Status WaitForMerges() override { return background_->Wait(); }

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
      auto dm = ReadManifest(*dir_);
      if (!dm.ok()) return dm.status();
      m = std::move(*dm);
    }
    return CheckIndex(*dir_, m);
  }

 private:
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
    return std::make_shared<const SegmentReader>(std::move(data));
  }

  void PublishSnapshot() {
    auto snap = std::make_shared<Snapshot>();
    snap->segments_ = readers_;
    snap->schema_ = schema_;
    snap->generation_ = manifest_.generation;
    std::lock_guard<std::mutex> l(snap_mu_);
    snapshot_ = std::move(snap);
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

  // Marks deleted every document with this id added since the last commit: in the write
  // buffer, and in the segments flushed since (their id filters tell which may hold it; their id
  // dictionaries on disk confirm). *found: whether there was one.
  Status ForgetPending(std::string_view id, bool* found) {
    const int64_t b = buffer_->Find(id);
    if (b >= 0) buffer_->MarkDeleted(static_cast<uint32_t>(b));
    *found = b >= 0;
    if (pending_.empty()) return Status::OK();
    const uint64_t h = HashBytes(id);
    for (PendingSegment& p : pending_) {
      if (!p.ids.MayContain(h)) continue;
      RASAI_RETURN_IF_ERROR(PendingReader(&p));
      TermInfo ti;
      if (!p.reader->Lookup(ntext_, id, &ti)) continue;
      *found = true;
      PostingsCursor pc = p.reader->Postings(ti);
      for (uint32_t d = pc.doc(); d != PostingsCursor::kEnd; d = pc.Next()) p.deleted[d >> 6] |= 1ull << (d & 63);
    }
    return Status::OK();
  }

  // Opens p->reader when it is not open yet. A failure stops the writer (a replaced document
  // could not be marked deleted).
  Status PendingReader(PendingSegment* p) {
    if (p->reader) return Status::OK();
    auto r = OpenSegment(p->meta);
    if (!r.ok()) return Stop(r.status());
    p->reader = std::move(*r);
    return Status::OK();
  }

  std::string NewSegmentName() {
    char b[32];
    std::snprintf(b, sizeof b, "s%08llx", static_cast<unsigned long long>(manifest_.next_segment++));
    return b;
  }

  // A failure that leaves the writer's state in doubt (a buffer half written as a segment, a
  // manifest renamed but not synced): every later change reports it until the index is opened
  // again. On disk, the last commit stays readable (or the new one, when its manifest made it).
  Status Stop(const Status& st) {
    writer_error_ = Status::IOError(st.message() + " (the index takes no more changes until it is opened again)");
    return writer_error_;
  }

  // Publishes `next` as the index's manifest; a failure after the rename stops the writer.
  Status Publish(const Manifest& next) {
    bool replaced = false;
    Status st = PublishManifest(dir_.get(), next, &replaced);
    if (!st.ok() && replaced) return Stop(st);
    return st;
  }

  Status FlushBuffer() {
    Status st = buffer_->Drain();
    if (!st.ok()) return Stop(st);
    if (buffer_->ndocs() == 0) return Status::OK();
    PendingSegment p;
    p.ids = BloomFilter(buffer_->ids().size());
    for (const std::string& id : buffer_->ids()) p.ids.Insert(HashBytes(id));
    const std::string name = NewSegmentName();
    st = buffer_->Flush(dir_.get(), name, &p.meta, &p.deleted);
    if (!st.ok()) {
      RemoveSegmentFiles(name);
      return Stop(st);  // the buffer is gone: its documents cannot be committed
    }
    // What the id lookups of earlier flushes mapped of the pending segments goes back (a filter's
    // false positive opens a segment and reads its id dictionary): it would add up over a long run.
    for (const PendingSegment& q : pending_)
      if (q.reader) q.reader->data().core->ReleasePages();
    pending_.push_back(std::move(p));
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
    // Deletions in committed segments: ids deleted since the last commit (in order: lookups
    // walk each segment's id dictionary forwards), then the ids of the segments flushed since
    // (each in order, from its id dictionary).
    std::vector<std::vector<uint64_t>> dels(readers_.size());
    auto gone = [&](std::string_view id) {
      for (size_t i = 0; i < readers_.size(); ++i) {
        const SegmentReader& r = *readers_[i];
        const int64_t d = r.FindId(id);
        if (d < 0) continue;
        if (dels[i].empty()) {
          dels[i].assign((r.max_doc() + 63) / 64, 0);
          if (r.data().deleted) dels[i] = *r.data().deleted;
        }
        dels[i][d >> 6] |= 1ull << (d & 63);
      }
    };
    if (!readers_.empty()) {
      for (const auto& id : delete_ids_) gone(id);
      for (PendingSegment& p : pending_) {
        RASAI_RETURN_IF_ERROR(PendingReader(&p));
        for (TermIterator it = p.reader->Terms(ntext_); it.Valid(); it.Next()) gone(it.term());
      }
    }
    for (size_t i = 0; i < readers_.size(); ++i) {
      if (dels[i].empty()) continue;
      RASAI_RETURN_IF_ERROR(WriteDeletions(&next.segments[i], dels[i]));
      changed.push_back(i);
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
      auto r = OpenSegment(manifest_.segments[i], readers_[i]->data().core);
      if (!r.ok()) return Stop(r.status());
      readers_[i] = std::move(*r);
    }
    for (size_t k = 0; k < pending_.size(); ++k) {
      auto r = OpenSegment(manifest_.segments[readers_.size()],
                           pending_[k].reader ? pending_[k].reader->data().core : nullptr);
      if (!r.ok()) return Stop(r.status());
      // What opening and the id lookups mapped of a new segment goes back: searches map what
      // they read, and a long run's many segments would otherwise add up in RSS.
      (*r)->data().core->ReleasePages();
      readers_.push_back(std::move(*r));
    }
    pending_.clear();
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
        if (!writer_error_.ok()) return Status::OK();  // stopped: reported by the writer's calls
        std::vector<MergeCandidate> sizes;
        for (size_t i = 0; i < readers_.size(); ++i) {
          uint64_t bytes = 0;
          for (const FileInfo& f : manifest_.segments[i].files) bytes += f.size;
          sizes.push_back({readers_[i]->max_doc(), readers_[i]->live_docs(), bytes});
        }
        MergePolicy policy;
        policy.max_merge_bytes = opts_.max_merge_bytes;
        std::vector<size_t> pick = PickMerge(sizes, force, policy);
        if (pick.empty()) return Status::OK();
        for (size_t i : pick) src.push_back(readers_[i]);
        name = NewSegmentName();
      }
      SegmentMeta meta;
      std::vector<std::vector<uint32_t>> docmap;
      Status st = MergeSegments(dir_.get(), schema_, off_field_, src, name, &meta, &docmap);
      if (st.ok()) {
        std::lock_guard<std::mutex> l(mu_);
        st = InstallMergeLocked(src, docmap, &meta);
      }
      if (!st.ok()) {
        // The sources stay in the index; the half-written segment goes, unless a manifest that
        // names it may have been published (then the writer stopped, and opening the index
        // again removes whichever files the manifest on disk does not name).
        std::lock_guard<std::mutex> l(mu_);
        if (writer_error_.ok()) RemoveSegmentFiles(name);
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

  // Publishes a merged segment in place of its sources. Documents deleted from a source after
  // the merge began (a commit ran meanwhile) are deleted in the merged segment too.
  Status InstallMergeLocked(const std::vector<std::shared_ptr<const SegmentReader>>& src,
                            const std::vector<std::vector<uint32_t>>& docmap, SegmentMeta* meta) {
    // Where the sources are now (only merges remove segments, and they run one at a time).
    std::vector<size_t> where;
    for (const auto& s : src) {
      size_t i = 0;
      while (i < manifest_.segments.size() && manifest_.segments[i].name != s->name()) ++i;
      if (i == manifest_.segments.size()) return Status::Aborted("merge source " + s->name() + " vanished");
      where.push_back(i);
    }
    std::vector<uint64_t> carried((meta->max_doc + 63) / 64, 0);
    bool any = false;
    for (size_t s = 0; s < src.size(); ++s) {
      const SegmentReader& now = *readers_[where[s]];
      if (now.live_docs() == src[s]->live_docs()) continue;
      for (uint32_t d = 0; d < src[s]->max_doc(); ++d) {
        const uint32_t nd = docmap[s][d];
        if (nd == kDeleted || !now.IsDeleted(d)) continue;
        carried[nd >> 6] |= 1ull << (nd & 63);
        any = true;
      }
    }
    if (any) RASAI_RETURN_IF_ERROR(WriteDeletions(meta, carried));
    auto opened = OpenSegment(*meta);
    if (!opened.ok()) return opened.status();
    (*opened)->data().core->ReleasePages();  // as for a committed segment (CommitLocked)
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

  std::unique_ptr<Directory> dir_;
  IndexOptions opts_;
  bool read_only_;
  std::unique_ptr<DirectoryLock> lock_;
  mutable std::mutex mu_;       // the writer state below
  mutable std::mutex snap_mu_;  // snapshot_
  Manifest manifest_;
  Schema schema_;
  int ntext_ = 0;
  int off_field_ = -1;  // the text field whose token offsets segments store ("body"), -1 = none
  std::vector<std::shared_ptr<const SegmentReader>> readers_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::unique_ptr<WriteBuffer> buffer_;  // documents added since the last flush
  Status writer_error_;  // set by Stop
  // Since the last commit.
  std::vector<PendingSegment> pending_;
  std::set<std::string> delete_ids_;  // ids deleted by Delete (added ones: in pending_ and the buffer)
  // Merges: one at a time; in the background when opts_.background_merge.
  std::mutex merge_mu_;
  std::unique_ptr<BackgroundMerger> background_;
};

Result<std::unique_ptr<Index>> Index::Open(const std::string& dir, const IndexOptions& options, bool create) {
  auto d = OpenPosixDirectory(dir, create);
  if (!d.ok()) return d.status();
  auto idx = std::make_unique<IndexImpl>(std::move(*d), options, false);
  RASAI_RETURN_IF_ERROR(idx->Init(create));
  return std::unique_ptr<Index>(std::move(idx));
}

Result<std::unique_ptr<Index>> Index::Open(std::unique_ptr<Directory> dir, const IndexOptions& options, bool create) {
  if (!dir) return Status::InvalidArgument("no directory");
  auto idx = std::make_unique<IndexImpl>(std::move(dir), options, false);
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
