// rasai index: create or update an index from JSONL files and folders of .txt/.md/.html, through
// the document-batch path (rasai/batch.h), and from ZIM archives (zim_cli.h). Exit codes (also
// in --help and the operator guide):
//   0  documents were indexed, or an archive was read (problems with some inputs, if any, are
//      listed and summed up);
//   1  nothing could be read: no input gave a document and no archive was read (each reason is
//      printed);
//   2  a wrong option value (e.g. an unknown field);
//   3  the index could not be opened or written: nothing of this run was kept.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/progress_line.h"
#include "cli/zim_cli.h"
#include "rasai/batch.h"
#include "rasai/index.h"
#include "rasai/ingest.h"
#include "server/zim_collection.h"

namespace rasai::cli {
namespace {

constexpr int kNothingRead = 1, kBadOption = 2, kIndexFailed = 3;
constexpr size_t kMaxListed = 100000;  // problems and notes listed, as BatchOptions

struct Options {
  std::string dir, fields;
  std::vector<std::string> inputs;
  size_t ram_mb = 128;
  bool keep_openings = false;
  int threads = 0;
};

int Problem(int code, const std::string& message) {
  std::cerr << "rasai index: " << message << "\n";
  return code;
}

void PrintProblems(const BatchSummary& s) {
  for (const auto& p : s.problems)
    std::cerr << p.file << (p.line ? ":" + std::to_string(p.line) : "") << ": " << p.reason << "\n";
  if (s.problem_count > s.problems.size())
    std::cerr << "… and " << s.problem_count - s.problems.size() << " more problems\n";
  for (const auto& n : s.notes) std::cerr << n.id << ": " << n.note << "\n";
  if (s.note_count > s.notes.size()) std::cerr << "… and " << s.note_count - s.notes.size() << " more notes\n";
}

void PrintSummary(const Options& o, const BatchSummary& s, Index* index) {
  std::printf("indexed %llu documents in %.1f s: %llu added, %llu replaced, %llu skipped",
              static_cast<unsigned long long>(s.documents), s.seconds, static_cast<unsigned long long>(s.added),
              static_cast<unsigned long long>(s.replaced), static_cast<unsigned long long>(s.skipped));
  if (!s.problem_kinds.empty()) {
    std::printf("; problems (");
    bool first = true;
    for (const auto& [reason, n] : s.problem_kinds) {
      std::printf("%s%s: %llu", first ? "" : ", ", reason.c_str(), static_cast<unsigned long long>(n));
      first = false;
    }
    std::printf(")");
  }
  const IndexStats st = index->stats();
  std::printf("\nindex %s: %llu live documents, %llu segments, %.1f MB\n", o.dir.c_str(),
              static_cast<unsigned long long>(st.live_docs), static_cast<unsigned long long>(st.segments),
              st.bytes_on_disk / 1048576.0);
  for (const auto& r : s.openings) {
    std::string text = r.text;
    if (text.size() > 300) {
      size_t n = 300;
      while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // a character boundary
      text = text.substr(0, n) + "…";
    }
    std::printf("removed a %zu-word opening from %llu documents of source '%s': %s\n", r.words,
                static_cast<unsigned long long>(r.documents), r.source.c_str(), text.c_str());
  }
}

// The ZIM archives among the inputs, after the batch (each archive commits itself), counted into
// *summary as the batch counts its documents; *read: the archives read (an archive with no article
// is read, and gives no document).
Status IndexArchives(Index* index, const Options& o, const std::vector<std::string>& archives, BatchSummary* summary,
                     std::vector<std::string>* lines, uint64_t* read) {
  const auto t0 = std::chrono::steady_clock::now();
  const Schema schema = index->snapshot()->schema();
  ProgressLine line(stderr, isatty(STDERR_FILENO), 1);
  BatchProgress progress;
  progress.phase = BatchProgress::Phase::kIndexing;
  server::ZimIndexingSink counted(index, [&](uint64_t documents) {
    progress.documents = documents;
    progress.seconds = progress.phase_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    line.Update(progress);
    return Status::OK();
  });
  const DocumentSink sink = [&](Document&& doc) -> Status {
    for (const std::string& field : FieldsIndexedInPart(doc, schema)) {
      if (++summary->note_count <= kMaxListed) summary->notes.push_back(BatchNote{"", 0, doc.id, IndexedInPartNote(field)});
    }
    return counted.Add(std::move(doc));
  };
  IngestStats stats;
  *read = archives.size() - IndexZimArchives(index, o.dir, archives, sink, &stats, lines, o.keep_openings,
                                             &summary->openings);
  line.Clear();
  summary->documents += counted.documents();
  summary->added += counted.added();
  summary->replaced += counted.replaced();
  summary->skipped += stats.skipped;
  for (IngestProblem& p : stats.problems) {
    ++summary->problem_count;
    ++summary->problem_kinds[p.reason.substr(0, p.reason.find(':'))];
    if (summary->problems.size() < kMaxListed) summary->problems.push_back(std::move(p));
  }
  summary->seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return index->Commit();
}

int RunIndex(const Options& o) {
  IndexOptions opts;
  if (!o.fields.empty()) opts.schema.fields = SplitComma(o.fields);
  if (opts.schema.fields.empty()) return Problem(kBadOption, "--fields names no field");
  for (const auto& f : opts.schema.fields)
    if (f != "title" && f != "body" && f != "summary")
      return Problem(kBadOption, "unknown field '" + f + "' (title, summary, body)");
  if (o.threads < 0) return Problem(kBadOption, "--threads must be 0 (one per core) or more");
  // Inputs that are not there at all: said before anything is created.
  size_t missing = 0;
  for (const auto& in : o.inputs) {
    std::error_code ec;
    if (!std::filesystem::exists(in, ec)) {
      std::cerr << in << ": cannot read: " << (ec ? ec.message() : "no such file or folder") << "\n";
      ++missing;
    }
  }
  if (missing == o.inputs.size())
    return Problem(kNothingRead, "nothing to index: none of the inputs exists (no index was created or changed)");

  opts.ram_buffer_bytes = o.ram_mb << 20;
  auto index = Index::Open(o.dir, opts, true);
  if (!index.ok()) return Problem(kIndexFailed, index.status().ToString());
  const auto existing = (*index)->stats().fields;
  if (!o.fields.empty() && existing != opts.schema.fields) {
    std::string have;
    for (const auto& f : existing) have += (have.empty() ? "" : ",") + f;
    std::cerr << "rasai: note: this index was created with --fields " << have << "; those are used\n";
  }

  const SplitInputs split = SplitZimInputs(o.inputs);  // ZIM archives are read by zim_cli
  ProgressLine line(stderr, isatty(STDERR_FILENO), o.keep_openings ? 1 : 2);
  Result<BatchSummary> summary = BatchSummary();
  if (!split.others.empty()) {
    BatchOptions batch;
    batch.remove_openings = !o.keep_openings;
    batch.threads = o.threads;
    batch.spool_dir = o.dir;
    batch.progress = [&line](const BatchProgress& p) { line.Update(p); };
    summary = IndexFiles(index->get(), split.others, batch);
    line.Clear();
    if (!summary.ok())
      return Problem(kIndexFailed,
                     "the index could not be written; nothing of this run was kept: " + summary.status().ToString());
  }
  std::vector<std::string> archive_lines;
  uint64_t archives_read = 0;
  if (!split.archives.empty()) {
    Status st = IndexArchives(index->get(), o, split.archives, &*summary, &archive_lines, &archives_read);
    if (!st.ok()) return Problem(kIndexFailed, "the index could not be written: " + st.ToString());
  }
  PrintProblems(*summary);
  PrintSummary(o, *summary, index->get());
  for (const std::string& l : archive_lines) std::printf("%s\n", l.c_str());
  if (summary->documents == 0 && archives_read == 0) {
    return Problem(kNothingRead, "nothing was indexed: no input gave a document (" +
                                     std::to_string(summary->problem_count) + " problems, listed above)");
  }
  return 0;
}

}  // namespace

Command AddIndexCommand(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand("index", "Create or update an index from JSONL files, folders of .txt/.md/.html and ZIM archives");
  sub->footer(
      "Exit codes: 0 documents were indexed, or a ZIM archive was read (problems with some inputs are\n"
      "listed and counted); 1 nothing could be read (no input gave a document and no archive was read:\n"
      "missing files, every line bad, damaged archives); 2 a wrong option value; 3 the index could not\n"
      "be opened or written (nothing of this run was kept).");
  sub->add_option("--index", o->dir, "Index folder")->required();
  sub->add_option("--fields", o->fields, "Text fields to index, e.g. title,body (default title,summary,body)");
  sub->add_option("--ram-mb", o->ram_mb, "Memory for the write buffer before a segment is flushed")->default_val(128);
  sub->add_flag("--keep-openings", o->keep_openings,
                "Keep the openings many documents of a source share (share buttons and other boilerplate)");
  sub->add_option("--threads", o->threads, "Threads that read and parse the inputs (0: one per core)")->default_val(0);
  sub->add_option("inputs", o->inputs, "Input files or folders")->required();
  return {sub, [o] { return RunIndex(*o); }};
}

}  // namespace rasai::cli
