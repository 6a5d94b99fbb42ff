#include "server/zim_collection.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>

#include "rasai/sources.h"

namespace rasai::server {
namespace {

std::string NowUtc() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

Status ZimIndexingSink::Add(Document&& doc) {
  // The snapshot of now (cheap): an archive committed earlier in the run is in it.
  const bool known = index_->snapshot()->Contains(doc.id);
  RASAI_RETURN_IF_ERROR(index_->Add(std::move(doc)));
  ++(known ? replaced_ : added_);
  if (progress_ && documents() % 256 == 0) return progress_(documents());
  return Status::OK();
}

ZimAddResult AddZimArchive(Index* index, const std::string& index_dir, const std::string& path,
                           const DocumentSink& sink, IngestStats* stats, int threads, ZimOpenOptions options,
                           bool remove_openings) {
  ZimAddResult out;
  auto refuse = [&](std::string reason) {
    out.problem = reason;
    stats->problems.push_back(IngestProblem{path, 0, std::move(reason)});
    ++stats->skipped;
    return out;
  };
  auto invalid = [&](const Status& s) {
    return refuse(s.IsNotFound() ? "cannot read: no such file" : "not a valid ZIM archive: " + s.message());
  };
  // The archive's MD5 is computed while its directory is read (ZimDocuments::Create); its
  // verdict comes before anything is recorded or added.
  options.checksum_in_background = true;
  auto archive = ZimArchive::Open(path, options);
  if (!archive.ok()) return invalid(archive.status());
  auto docs = ZimDocuments::Create(**archive);
  if (Status checksum = (*archive)->WaitChecksum(); !checksum.ok()) return invalid(checksum);
  if (!docs.ok()) return invalid(docs.status());
  out.info = (*archive)->info();
  const ZimInfo& info = out.info;
  auto catalog = ZimCatalog::Load(index_dir);
  if (!catalog.ok()) return refuse("cannot record the archive: " + catalog.status().ToString());
  if (const ZimRecord* old = catalog->Find(info.name)) {
    // ISO dates (YYYY-MM-DD) compare as text; an undated archive is older than any dated one.
    if (old->info.uuid != info.uuid && old->info.date > info.date) {
      return refuse("an older version (" + (info.date.empty() ? std::string("undated") : info.date) +
                    ") of the archive '" + info.name + "' than the one indexed (" + old->info.date + ", " +
                    old->info.path + "): not indexed; `rasai remove` the archive first to go back to this one");
    }
    out.replaced = old->info.uuid == info.uuid ? "" : (old->info.date.empty() ? "undated" : old->info.date);
  }

  ZimRecord record;
  record.info = info;
  record.documents = (*docs)->size();
  record.indexed_at = NowUtc();
  catalog->Put(record);
  Status saved = catalog->Save(index_dir);
  if (!saved.ok()) return refuse("cannot record the archive: " + saved.ToString());

  const uint64_t before = stats->documents;
  ZimOpenings openings(**docs);
  Status read = (*docs)->ReadPositions(nullptr, threads,
                                       [&](uint64_t position, Document&& doc) {
                                         if (remove_openings) openings.Observe(position, &doc);
                                         return sink(std::move(doc));
                                       },
                                       stats);
  out.documents = stats->documents - before;
  if (!read.ok()) return refuse("stopped: " + read.ToString());
  if (remove_openings) {
    IngestStats again;  // the first reading reported the unreadable articles
    read = openings.Finish(threads, [&](Document&& doc) { return index->Add(doc); }, &again);
    if (!read.ok()) return refuse("stopped: " + read.ToString());
    out.openings = openings.Removed();
    out.cut = openings.documents_cut();
  }
  // The documents of the previous version whose articles this one no longer has.
  const std::string prefix = info.name + "/";
  auto stale = DeleteSource(index, info.name, [&](std::string_view id) {
    return !id.starts_with(prefix) || (*docs)->IsArticle(id.substr(prefix.size()));
  });
  if (!stale.ok()) return refuse("cannot delete the previous version's documents: " + stale.status().ToString());
  out.stale = *stale;
  Status committed = index->Commit();
  if (!committed.ok()) return refuse("cannot commit: " + committed.ToString());
  out.indexed = true;
  return out;
}

Result<SourceRemoval> RemoveSource(Index* index, const std::string& index_dir, std::string_view source) {
  SourceRemoval out;
  auto catalog = ZimCatalog::Load(index_dir);
  if (!catalog.ok()) return catalog.status();
  auto deleted = DeleteSource(index, source);
  if (!deleted.ok()) return deleted.status();
  out.documents = *deleted;
  out.archive = catalog->Find(source) != nullptr;
  if (out.documents == 0 && !out.archive) {
    return Status::NotFound("the index holds no document of the source '" + std::string(source) +
                            "' and no archive of that name");
  }
  RASAI_RETURN_IF_ERROR(index->Commit());
  if (out.archive) {
    const std::string file = catalog->Find(source)->info.path;
    catalog->Remove(source);
    RASAI_RETURN_IF_ERROR(catalog->Save(index_dir));
    DeleteIfUploaded(index_dir, file);
  }
  return out;
}

Result<bool> ForgetZimArchive(const std::string& index_dir, std::string_view name) {
  auto catalog = ZimCatalog::Load(index_dir);
  if (!catalog.ok()) return catalog.status();
  const ZimRecord* record = catalog->Find(name);
  if (record == nullptr) return false;
  const std::string file = record->info.path;
  catalog->Remove(name);
  RASAI_RETURN_IF_ERROR(catalog->Save(index_dir));
  DeleteIfUploaded(index_dir, file);
  return true;
}

std::string UploadedArchiveFolder(const std::string& index_dir) { return index_dir + "/archives"; }

void DeleteIfUploaded(const std::string& index_dir, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path folder = fs::weakly_canonical(UploadedArchiveFolder(index_dir), ec);
  if (ec || path.empty()) return;
  const fs::path file = fs::weakly_canonical(path, ec);
  if (ec || file.parent_path() != folder || !fs::is_regular_file(file, ec)) return;
  fs::remove(file, ec);
}

}  // namespace rasai::server
