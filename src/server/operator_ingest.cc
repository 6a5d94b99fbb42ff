#include "server/operator_ingest.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "rasai/batch.h"
#include "rasai/ingest.h"
#include "rasai/sources.h"
#include "server/upload_zip.h"
#include "server/zim_collection.h"
#include "util/utf8.h"

namespace rasai::server {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr size_t kListed = 200;  // problems and notes listed in a summary

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

bool HasExtension(std::string_view lower, std::initializer_list<std::string_view> exts) {
  for (std::string_view e : exts)
    if (lower.size() > e.size() && lower.substr(lower.size() - e.size()) == e) return true;
  return false;
}

std::string Stem(const std::string& name) {
  const size_t dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

JobOutcome Failure(int status, std::string message, json extra = json::object()) {
  extra["error"] = std::move(message);
  extra["status"] = status;
  return JobOutcome{status, std::move(extra)};
}

}  // namespace

UploadKind UploadKindOf(std::string_view name) {
  const std::string lower = Lower(name);
  if (HasExtension(lower, {".zip"})) return UploadKind::kZip;
  if (HasExtension(lower, {".zim"})) return UploadKind::kZim;
  if (HasExtension(lower, {".jsonl", ".ndjson", ".json", ".html", ".htm", ".xhtml", ".txt", ".md", ".markdown"}))
    return UploadKind::kDocuments;
  return UploadKind::kUnknown;
}

std::string UploadName(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  std::string out;
  for (unsigned char c : RepairUtf8(name))
    if (c >= 0x20 && c != 0x7f) out.push_back(static_cast<char>(c));
  if (out.size() > 120) {
    size_t cut = 120;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  while (!out.empty() && (out.front() == ' ' || out.front() == '.')) out.erase(0, 1);  // no hidden or "." names
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

JobOutcome IngestUpload(Index* index, const std::string& input, const std::string& name, UploadKind kind,
                        uint64_t bytes, JobContext& job) {
  const fs::path job_dir = fs::path(input).parent_path();
  const std::string source = Stem(name);
  json summary = {{"name", name}, {"bytes", bytes}};
  JobProgress progress{.phase = "reading", .done = 0, .total = 0};
  std::string root = input;  // what ingest reads
  if (kind == UploadKind::kZip) {
    progress.phase = "unpacking";
    job.Report(progress);
    const std::string site = (job_dir / "site").string();
    std::error_code ec;
    fs::create_directories(site, ec);
    ZipReport zr;
    Status st = UnpackZip(
        input, site + "/" + source, ZipLimits(), &zr,
        [&](uint64_t done, uint64_t total) {
          progress.done = done;
          progress.total = total;
          job.Report(progress);
        },
        [&] { return job.cancelled(); });
    fs::remove(input, ec);  // its pages are unpacked
    json zip = {{"entries", zr.entries}, {"written", zr.written}, {"ignored", zr.ignored}, {"problems", json::array()}};
    for (size_t i = 0; i < zr.problems.size() && i < kListed; ++i) zip["problems"].push_back(zr.problems[i]);
    summary["zip"] = std::move(zip);
    if (!st.ok()) return Failure(st.code() == Status::Code::kAborted ? 503 : 422, st.message(), std::move(summary));
    if (zr.written == 0)
      return Failure(422, "the archive holds no page or document Rasai reads (.html, .txt, .md, .jsonl, .json)",
                     std::move(summary));
    root = site;
  }

  // The document-batch path of rasai index: the same reading, openings rule, counts and notes.
  BatchOptions options;
  options.max_listed = kListed;
  options.default_source = source;
  options.spool_dir = job_dir.string();
  options.cancelled = [&job] { return job.cancelled(); };
  options.progress = [&job](const BatchProgress& p) {
    JobProgress jp;
    switch (p.phase) {
      case BatchProgress::Phase::kReading: jp.phase = "reading"; break;
      case BatchProgress::Phase::kLearning: jp.phase = "looking for repeated openings"; break;
      case BatchProgress::Phase::kIndexing: jp.phase = "indexing"; break;
      case BatchProgress::Phase::kCommitting: jp.phase = "committing"; break;
    }
    jp.done = p.bytes;
    jp.total = p.total_bytes;
    jp.documents = p.documents;
    job.Report(jp);
  };
  Result<BatchSummary> batch = IndexFiles(index, {root}, options);
  if (!batch.ok()) {
    // Stopping, or the index could not be written: nothing of the upload is acknowledged.
    const bool stopping = batch.status().code() == Status::Code::kAborted;
    return Failure(stopping ? 503 : 500, stopping ? "the server is stopping; nothing was acknowledged"
                            : "indexing or the commit failed; nothing was acknowledged: " + batch.status().ToString(),
                   std::move(summary));
  }
  json problems = json::array(), notes = json::array(), removed = json::array();
  const std::string prefix = job_dir.string() + "/";
  auto shown = [&prefix](const std::string& path) {  // the file as the operator named it
    std::string file = path.starts_with(prefix) ? path.substr(prefix.size()) : path;
    if (file.starts_with("site/")) file = file.substr(5);
    return file;
  };
  for (const IngestProblem& p : batch->problems)
    problems.push_back({{"file", shown(p.file)}, {"line", p.line}, {"reason", p.reason}});
  for (const BatchNote& n : batch->notes)
    notes.push_back({{"file", shown(n.file)}, {"line", n.line}, {"id", n.id}, {"note", n.note}});
  for (const RemovedOpening& r : batch->openings)
    removed.push_back({{"source", r.source}, {"words", r.words}, {"documents", r.documents}, {"text", r.text}});
  summary["added"] = batch->added;
  summary["replaced"] = batch->replaced;
  summary["skipped"] = batch->skipped;
  summary["problem_count"] = batch->problem_count;
  summary["problems"] = std::move(problems);
  summary["notes"] = std::move(notes);
  summary["removed_openings"] = std::move(removed);
  summary["source"] = source;
  if (batch->documents == 0)
    return Failure(422, "nothing could be read from " + name + " (see problems)", std::move(summary));
  summary["generation"] = batch->generation;
  return JobOutcome{200, std::move(summary)};
}

JobOutcome IngestZimUpload(Index* index, const std::string& index_dir, const std::string& input,
                           const std::string& name, uint64_t bytes, JobContext& job) {
  json summary = {{"name", name}, {"bytes", bytes}};
  std::error_code ec;
  const std::string folder = UploadedArchiveFolder(index_dir);
  fs::create_directories(folder, ec);
  if (ec) return Failure(500, "cannot make the folder for archives: " + ec.message(), std::move(summary));
  const std::string kept = (fs::absolute(folder, ec) / name).lexically_normal().string();
  if (fs::exists(kept, ec))
    return Failure(409, "an archive file named " + name + " is already in the collection: remove its source first",
                   std::move(summary));
  fs::rename(input, kept, ec);
  if (ec) return Failure(500, "cannot keep the archive: " + ec.message(), std::move(summary));

  // The file of the version this one may replace (deleted once this one is committed).
  std::string previous;
  if (auto catalog = ZimCatalog::Load(index_dir); catalog.ok())
    if (const ZimRecord* old = catalog->Find(ZimArchiveName(kept)); old && old->info.path != kept)
      previous = old->info.path;

  job.Report(JobProgress{.phase = "checking the archive"});
  JobProgress progress{.phase = "indexing"};
  ZimIndexingSink counted(index, [&](uint64_t documents) {
    if (job.cancelled()) return Status::Aborted("the server is stopping");
    progress.documents = documents;
    job.Report(progress);
    return Status::OK();
  });
  IngestStats stats;
  ZimAddResult r = AddZimArchive(index, index_dir, kept, counted.sink(), &stats);
  summary["source"] = r.info.name;
  summary["title"] = r.info.title;
  summary["date"] = r.info.date;
  summary["articles"] = r.info.article_count;
  if (!r.indexed) {
    // Not kept: neither the file nor a record of it (a refusal after its record was saved).
    auto catalog = ZimCatalog::Load(index_dir);
    if (catalog.ok() && catalog->Find(r.info.name) && catalog->Find(r.info.name)->info.path == kept)
      (void)ForgetZimArchive(index_dir, r.info.name);
    fs::remove(kept, ec);
    const bool stopping = job.cancelled();
    return Failure(stopping ? 503 : 422, stopping ? "the server is stopping; the archive was not added" : r.problem,
                   std::move(summary));
  }
  progress.documents = counted.documents();
  job.Report(progress);
  if (!previous.empty()) DeleteIfUploaded(index_dir, previous);
  summary["added"] = counted.added();
  summary["replaced"] = counted.replaced();
  summary["removed"] = r.stale;
  summary["skipped"] = 0;
  summary["problem_count"] = 0;
  summary["problems"] = json::array();
  if (!r.replaced.empty()) summary["replaced_version"] = r.replaced;
  summary["generation"] = index->snapshot()->generation();
  return JobOutcome{200, std::move(summary)};
}

JobOutcome DeleteSourceNow(Index* index, const std::string& source, JobContext& job) {
  JobProgress progress{.phase = "deleting"};
  const DeleteProgress going_on = [&](uint64_t deleted) {
    progress.documents = deleted;
    job.Report(progress);
    return !job.cancelled();
  };
  Result<uint64_t> deleted = source.empty() ? DeleteSourceless(index, going_on) : DeleteSource(index, source, nullptr, going_on);
  if (!deleted.ok()) {
    if (deleted.status().code() == Status::Code::kAborted) return Failure(503, "the server is stopping; nothing was removed");
    return Failure(500, "cannot delete the source's documents: " + deleted.status().ToString());
  }
  if (*deleted == 0) return Failure(404, "no document has this source");
  job.Report(JobProgress{.phase = "committing", .documents = *deleted});
  Status st = index->Commit();
  if (!st.ok()) return Failure(500, "commit failed; nothing was removed: " + st.ToString());
  return JobOutcome{200, json{{"source", source}, {"deleted", *deleted}, {"generation", index->snapshot()->generation()}}};
}

}  // namespace rasai::server
