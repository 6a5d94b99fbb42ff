// Ingest: turns input files (JSONL, folders of .txt/.md/.html, later ZIM archives and site
// mirrors) into Documents. Bad input (malformed line, missing id, broken UTF-8, unreadable file)
// is reported with file and line, skipped and counted; it never stops the run.
// Thread-safety: free functions, no shared state.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rasai/document.h"
#include "rasai/status.h"

namespace rasai {

struct IngestProblem {
  std::string file;
  uint64_t line = 0;   // 1-based line for JSONL; 0 when the whole file is concerned
  std::string reason;  // e.g. "missing id", "malformed JSON: ...", "invalid UTF-8 (replaced)"
};

struct IngestStats {
  uint64_t documents = 0;             // handed to the sink
  uint64_t skipped = 0;               // inputs that produced no document
  std::vector<IngestProblem> problems;  // skipped inputs and repaired ones (e.g. broken UTF-8)
};

// Called for every document read. A non-OK status stops the ingest and is returned.
using DocumentSink = std::function<Status(Document&&)>;

// Reads `path`: a .jsonl/.ndjson file (one object per line), a .json file (an object, an array of
// objects, or one object per line), a single .txt/.md/.html/.htm file, or
// a folder of those (recursively, in sorted order). Returns non-OK only for a failure that
// stops everything (e.g. the sink failed); per-input problems go into *stats.
Status IngestPath(const std::string& path, const DocumentSink& sink, IngestStats* stats);

// Parses one JSONL line into a Document (contract in ARCHITECTURE.md). Broken UTF-8 is replaced.
Result<Document> ParseJsonDocument(std::string_view line);

// A document from a text or Markdown file: id = path relative to `root`, title = first heading
// or first line.
Document DocumentFromText(std::string_view id, std::string_view content, bool markdown);

// A document from an HTML page: title from <title>/<h1>, body text without scripts, styles and
// markup, lang from <html lang>. (The full article extractor replaces this later.)
Document DocumentFromHtml(std::string_view id, std::string_view html);

// Serializes a Document as one JSON object (no trailing newline), extra fields included.
std::string DocumentToJson(const Document& doc);

}  // namespace rasai
