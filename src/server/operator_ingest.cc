#include "server/operator_ingest.h"

#include <filesystem>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "rasai/ingest.h"
#include "server/upload_zip.h"
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

  // As rasai index: the openings shared by many documents of a source are learned first.
  RepeatedOpenings openings;
  for (int pass = 1; openings.NeedsPass(); ++pass) {
    progress = JobProgress{.phase = "looking for repeated openings", .done = static_cast<uint64_t>(pass)};
    job.Report(progress);
    IngestStats ignored;
    Status st = IngestPath(root, [&](Document&& doc) -> Status {
      if (job.cancelled()) return Status::Aborted("the server is stopping");
      if (doc.source.empty()) doc.source = source;
      openings.Observe(doc);
      return Status::OK();
    }, &ignored);
    if (!st.ok()) return Failure(503, st.message(), std::move(summary));
    openings.EndPass();
  }

  auto before = index->snapshot();
  const Schema schema = before->schema();
  std::unordered_set<std::string> seen;
  uint64_t added = 0, replaced = 0;
  json notes = json::array();
  IngestStats stats;
  progress = JobProgress{.phase = "reading"};
  job.Report(progress);
  Status st = IngestPath(root, [&](Document&& doc) -> Status {
    if (job.cancelled()) return Status::Aborted("the server is stopping");
    if (doc.source.empty()) doc.source = source;
    openings.Strip(&doc);
    bool dup = !seen.insert(doc.id).second;
    for (size_t i = 0; !dup && i < before->segments().size(); ++i) dup = before->segments()[i]->FindId(doc.id) >= 0;
    for (const std::string& field : FieldsIndexedInPart(doc, schema))
      if (notes.size() < kListed) notes.push_back({{"id", doc.id}, {"note", IndexedInPartNote(field)}});
    RASAI_RETURN_IF_ERROR(index->Add(doc));
    (dup ? replaced : added)++;
    if ((added + replaced) % 64 == 0) {
      progress.documents = added + replaced;
      progress.problems = stats.problems.size();
      job.Report(progress);
    }
    return Status::OK();
  }, &stats);
  if (!st.ok()) {
    // Stopping: nothing is committed here; what was added is not acknowledged.
    return Failure(st.code() == Status::Code::kAborted ? 503 : 500, st.message(), std::move(summary));
  }
  json problems = json::array();
  const std::string prefix = job_dir.string() + "/";
  for (const IngestProblem& p : stats.problems) {
    if (problems.size() >= kListed) break;
    std::string file = p.file.starts_with(prefix) ? p.file.substr(prefix.size()) : p.file;
    if (file.starts_with("site/")) file = file.substr(5);
    problems.push_back({{"file", file}, {"line", p.line}, {"reason", p.reason}});
  }
  json removed = json::array();
  for (const RemovedOpening& r : openings.Removed())
    removed.push_back({{"source", r.source}, {"words", r.words}, {"documents", r.documents}});
  summary["added"] = added;
  summary["replaced"] = replaced;
  summary["skipped"] = stats.skipped;
  summary["problem_count"] = stats.problems.size();
  summary["problems"] = std::move(problems);
  summary["notes"] = std::move(notes);
  summary["removed_openings"] = std::move(removed);
  summary["source"] = source;
  if (added + replaced == 0)
    return Failure(422, "nothing could be read from " + name + " (see problems)", std::move(summary));
  job.Report(JobProgress{.phase = "committing", .documents = added + replaced, .problems = stats.problems.size()});
  st = index->Commit();
  if (!st.ok()) return Failure(500, "commit failed; nothing was acknowledged: " + st.ToString(), std::move(summary));
  summary["generation"] = index->snapshot()->generation();
  return JobOutcome{200, std::move(summary)};
}

JobOutcome DeleteSourceNow(Index* index, const std::string& source, JobContext& job) {
  auto snapshot = index->snapshot();
  uint64_t deleted = 0;
  JobProgress progress{.phase = "deleting"};
  for (const auto& seg : snapshot->segments()) {
    int64_t ord = -1;
    for (uint32_t o = 0; o < seg->ValueCount(DocValueField::kSource); ++o)
      if (seg->ValueName(DocValueField::kSource, o) == source) ord = o;
    if (source.empty()) ord = 0;  // ordinal 0 is ""
    if (ord < 0) continue;
    for (uint32_t d = 0; d < seg->max_doc(); ++d) {
      if (seg->IsDeleted(d) || seg->Values(d).source != static_cast<uint32_t>(ord)) continue;
      Result<Document> head = seg->StoredHead(d);
      if (!head.ok()) return Failure(500, "cannot read a document of the source: " + head.status().ToString());
      Status st = index->Delete(head->id);
      if (!st.ok()) return Failure(500, "delete failed: " + st.ToString());
      if (++deleted % 256 == 0) {
        if (job.cancelled()) return Failure(503, "the server is stopping; nothing was removed");
        progress.documents = deleted;
        job.Report(progress);
      }
    }
  }
  if (deleted == 0) return Failure(404, "no document has this source");
  job.Report(JobProgress{.phase = "committing", .documents = deleted});
  Status st = index->Commit();
  if (!st.ok()) return Failure(500, "commit failed; nothing was removed: " + st.ToString());
  return JobOutcome{200, json{{"source", source}, {"deleted", deleted}, {"generation", index->snapshot()->generation()}}};
}

}  // namespace rasai::server
