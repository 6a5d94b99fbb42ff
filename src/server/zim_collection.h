// Adding ZIM archives to an index and removing them: the archive's documents, the record in
// the index's ZimCatalog, and the rules for versions. Used by `rasai index`, `rasai remove` and
// the operator's pages.
//
// Versions: an archive is known by its name (ZimArchiveName). Indexing an archive whose name the
// index already holds replaces the older version when the new one is as recent or more (its
// Date metadata): its documents replace those of the same id, and the documents of articles the
// new version no longer has are deleted. An older version is refused.
//
// Order of writes (a crash at any point leaves a usable index): the catalog record is saved
// before the documents are committed (a record without documents shows nothing), and removed
// after the deletion of its documents is committed.
//
// Thread-safety: one writer at a time, as Index (callers serialize writes).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rasai/index.h"
#include "rasai/ingest.h"
#include "rasai/zim.h"

namespace rasai::server {

// What happened to one archive.
struct ZimAddResult {
  bool indexed = false;      // false: refused (problem says why; it is also in stats)
  std::string problem;
  ZimInfo info;
  uint64_t documents = 0;    // documents handed to the sink
  uint64_t stale = 0;        // documents of the older version deleted (articles no longer there)
  std::string replaced;      // "" or the date of the version replaced ("" date: "undated")
  std::vector<RemovedOpening> openings;  // what the repeated-openings rule removed
  uint64_t cut = 0;          // documents added again without their opening
};

// The sink through which `rasai index` and the operator's pages add archives' documents
// (AddZimArchive's `sink`): each document is added to `index` and counted as replacing one (its
// id is in the index's committed snapshot as it is added: an earlier version of the archive, or
// an archive committed before in the same run) or as added. Every 256 documents `progress` (when
// given) is called with the count so far; a non-OK status from it stops the reading (how a
// caller cancels). Thread-safety: used on one thread (the one AddZimArchive hands documents on);
// `index` must outlive it.
class ZimIndexingSink {
 public:
  using Progress = std::function<Status(uint64_t documents)>;
  explicit ZimIndexingSink(Index* index, Progress progress = nullptr)
      : index_(index), progress_(std::move(progress)) {}
  Status Add(Document&& doc);
  // Add, as the DocumentSink AddZimArchive takes; valid while this object is.
  DocumentSink sink() {
    return [this](Document&& doc) { return Add(std::move(doc)); };
  }
  uint64_t added() const { return added_; }
  uint64_t replaced() const { return replaced_; }
  uint64_t documents() const { return added_ + replaced_; }

 private:
  Index* index_;
  Progress progress_;
  uint64_t added_ = 0, replaced_ = 0;
};

// Reads the archive at `path` (verified first; ZimOpenOptions) and hands its documents to `sink`
// (which adds them to `index`); records it in the catalog of `index_dir`. Problems go to *stats
// with the archive's path (a refused archive counts as one skipped input). Deletes the documents
// of articles an older version had and this one has not, then commits (so that a second version
// of the same archive in one run sees the first).
// The documents are made on `threads` threads (0: one per core; ZimDocuments::ReadAll) and
// handed to `sink` on the caller's thread, in order. With `remove_openings`, the boilerplate
// openings of the archive's pages (ZimOpenings) are learned meanwhile, and the documents that
// lose one are added to `index` again without it (directly, not through `sink`: they replace
// the documents of the same id handed before).
ZimAddResult AddZimArchive(Index* index, const std::string& index_dir, const std::string& path,
                           const DocumentSink& sink, IngestStats* stats, int threads = 0,
                           ZimOpenOptions options = {}, bool remove_openings = true);

// What RemoveSource did.
struct SourceRemoval {
  uint64_t documents = 0;  // documents deleted
  bool archive = false;    // a ZIM archive's record was removed too
};

// Deletes every document of `source` (a ZIM archive's name is its documents' source), commits,
// then removes the archive's record from the catalog of `index_dir` when there is one (and its
// file when it was uploaded through the operator's pages). NotFound
// when the index holds no document of that source and no archive of that name.
Result<SourceRemoval> RemoveSource(Index* index, const std::string& index_dir, std::string_view source);

// Removes the record of the archive named `name` from the catalog of `index_dir`, once its
// documents' deletion is committed (the operator's pages delete a source's documents themselves),
// and the archive's file when it was uploaded (in UploadedArchiveFolder). Returns whether there
// was a record.
Result<bool> ForgetZimArchive(const std::string& index_dir, std::string_view name);

// The folder where the archives uploaded through the operator's pages are kept: the index owns
// the files in it (it deletes them when their archive is removed or replaced).
std::string UploadedArchiveFolder(const std::string& index_dir);
// Deletes `path` when it is a file in UploadedArchiveFolder(index_dir); else leaves it.
void DeleteIfUploaded(const std::string& index_dir, const std::string& path);

}  // namespace rasai::server
