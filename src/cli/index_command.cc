// rasai index: create or update an index from JSONL files and folders of .txt/.md/.html.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <unordered_set>

#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/zim_cli.h"
#include "rasai/index.h"
#include "rasai/ingest.h"

namespace rasai::cli {
namespace {

int RunIndex(const std::string& dir, const std::string& fields, const std::vector<std::string>& all_inputs,
             size_t ram_mb, bool keep_openings) {
  const SplitInputs split = SplitZimInputs(all_inputs);  // ZIM archives are read by zim_cli
  const std::vector<std::string>& inputs = split.others;
  IndexOptions opts;
  if (!fields.empty()) opts.schema.fields = SplitComma(fields);
  if (opts.schema.fields.empty()) return Fail(Status::InvalidArgument("--fields names no field"));
  for (const auto& f : opts.schema.fields)
    if (f != "title" && f != "body" && f != "summary")
      return Fail(Status::InvalidArgument("unknown field '" + f + "' (title, summary, body)"));
  opts.ram_buffer_bytes = ram_mb << 20;
  auto index = Index::Open(dir, opts, true);
  if (!index.ok()) return Fail(index.status());
  const auto existing = (*index)->stats().fields;
  if (!fields.empty() && existing != opts.schema.fields) {
    std::string have;
    for (const auto& f : existing) have += (have.empty() ? "" : ",") + f;
    std::cerr << "rasai: note: this index was created with --fields " << have << "; those are used\n";
  }
  auto before = (*index)->snapshot();
  const bool tty = isatty(STDERR_FILENO);
  const auto t0 = std::chrono::steady_clock::now();
  auto last_report = t0;
  uint64_t added = 0, replaced = 0;
  // First passes over the inputs: learn the boilerplate openings of this batch (hashes only).
  RepeatedOpenings openings;
  if (!keep_openings) {
    for (int pass = 1; openings.NeedsPass(); ++pass) {
      if (tty) std::fprintf(stderr, "\r  looking for repeated openings (pass %d)…   ", pass);
      IngestStats ignored;  // problems are reported once, by the indexing pass
      const DocumentSink observe = [&](Document&& doc) -> Status {
        openings.Observe(doc);
        return Status::OK();
      };
      for (const auto& in : inputs) {
        Status s = IngestPath(in, observe, &ignored);
        if (!s.ok()) return Fail(s);
      }
      openings.EndPass();
    }
  }
  std::unordered_set<std::string> seen;
  const Schema schema = (*index)->snapshot()->schema();
  std::vector<std::string> cut;  // "id: note" for each field longer than what is indexed
  IngestStats stats;
  DocumentSink sink = [&](Document&& doc) -> Status {
    if (!keep_openings) openings.Strip(&doc);
    bool dup = !seen.insert(doc.id).second;
    if (!dup) {
      for (const auto& seg : before->segments())
        if (seg->FindId(doc.id) >= 0) {
          dup = true;
          break;
        }
    }
    (dup ? replaced : added)++;
    for (const std::string& field : FieldsIndexedInPart(doc, schema))
      cut.push_back(doc.id + ": " + IndexedInPartNote(field));
    RASAI_RETURN_IF_ERROR((*index)->Add(doc));
    if (tty) {
      auto now = std::chrono::steady_clock::now();
      if (now - last_report > std::chrono::milliseconds(500)) {
        last_report = now;
        double s = std::chrono::duration<double>(now - t0).count();
        std::fprintf(stderr, "\r  %llu documents (%.0f/s)   ", static_cast<unsigned long long>(added + replaced),
                     (added + replaced) / std::max(s, 1e-3));
      }
    }
    return Status::OK();
  };
  for (const auto& in : inputs) {
    Status s = IngestPath(in, sink, &stats);
    if (!s.ok()) return Fail(s);
  }
  std::vector<std::string> archive_lines;
  const uint64_t refused_archives = IndexZimArchives(index->get(), dir, split.archives, sink, &stats, &archive_lines);
  if (tty) std::fprintf(stderr, "\r  committing…                      \r");
  Status s = (*index)->Commit();
  if (!s.ok()) return Fail(s);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const auto& p : stats.problems)
    std::cerr << p.file << (p.line ? ":" + std::to_string(p.line) : "") << ": " << p.reason << "\n";
  for (const std::string& line : cut) std::cerr << line << "\n";
  std::map<std::string, uint64_t> why;
  for (const auto& p : stats.problems) {
    std::string r = p.reason.substr(0, p.reason.find(':'));
    why[r]++;
  }
  IndexStats st = (*index)->stats();
  std::printf("indexed %llu documents in %.1f s: %llu added, %llu replaced, %llu skipped",
              static_cast<unsigned long long>(added + replaced), secs, static_cast<unsigned long long>(added),
              static_cast<unsigned long long>(replaced), static_cast<unsigned long long>(stats.skipped));
  if (!why.empty()) {
    std::printf("; problems (");
    bool first = true;
    for (auto& [r, n] : why) {
      std::printf("%s%s: %llu", first ? "" : ", ", r.c_str(), static_cast<unsigned long long>(n));
      first = false;
    }
    std::printf(")");
  }
  std::printf("\nindex %s: %llu live documents, %llu segments, %.1f MB\n", dir.c_str(),
              static_cast<unsigned long long>(st.live_docs), static_cast<unsigned long long>(st.segments),
              st.bytes_on_disk / 1048576.0);
  for (const auto& r : openings.Removed()) {
    std::string text = r.text;
    if (text.size() > 300) {
      size_t n = 300;
      while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // a character boundary
      text = text.substr(0, n) + "…";
    }
    std::printf("removed a %zu-word opening from %llu documents of source '%s': %s\n", r.words,
                static_cast<unsigned long long>(r.documents), r.source.c_str(), text.c_str());
  }
  for (const std::string& line : archive_lines) std::printf("%s\n", line.c_str());
  if (refused_archives > 0 && added + replaced == 0) return 1;  // nothing could be read
  return 0;
}

}  // namespace

Command AddIndexCommand(CLI::App& app) {
  struct Options {
    std::string dir, fields;
    std::vector<std::string> inputs;
    size_t ram_mb = 96;
    bool keep_openings = false;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand("index", "Create or update an index from JSONL files, folders of .txt/.md/.html and ZIM archives");
  sub->add_option("--index", o->dir, "Index folder")->required();
  sub->add_option("--fields", o->fields, "Text fields to index, e.g. title,body (default title,summary,body)");
  sub->add_option("--ram-mb", o->ram_mb, "Memory for the write buffer before a segment is flushed")->default_val(96);
  sub->add_flag("--keep-openings", o->keep_openings,
                "Keep the openings many documents of a source share (share buttons and other boilerplate)");
  sub->add_option("inputs", o->inputs, "Input files or folders")->required();
  return {sub, [o] { return RunIndex(o->dir, o->fields, o->inputs, o->ram_mb, o->keep_openings); }};
}

}  // namespace rasai::cli
