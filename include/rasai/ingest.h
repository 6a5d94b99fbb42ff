// Ingest: turns input files (JSONL, folders of .txt/.md/.html, later ZIM archives and site
// mirrors) into Documents. Bad input (malformed line, missing id, broken UTF-8, unreadable file)
// is reported with file and line, skipped and counted; it never stops the run.
// Thread-safety: free functions, no shared state; IngestTasks run on any thread; a
// RepeatedOpenings object is used by one thread (except Find, see there).
#pragma once

#include <cstdint>
#include <unordered_map>
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

// Reading in parallel. An input is cut, in input order, into units that can be read on their own:
// about 1 MiB of whole lines of a JSONL file, one text or HTML file, a problem of the walk (a
// missing file). A unit's task reads it on any thread, concurrently with other units' tasks;
// running the tasks of a path in order and handing their documents on in order is IngestPath.
// A new input kind (e.g. ZIM archives: a range of entries per unit) is fed in parallel by
// emitting such tasks from SplitPath's walk.
struct IngestUnit {
  std::string file;             // where the documents and problems come from
  std::vector<Document> docs;   // in input order
  std::vector<uint64_t> lines;  // per document, its 1-based line in a JSONL text; 0 otherwise
  IngestStats stats;            // this unit's documents, skipped inputs and problems
  uint64_t bytes = 0;           // input bytes the unit covers (progress)
  // A task that reads the unit again at little cost (a JSONL chunk: the file's bytes again, then
  // simdjson), for a later pass over a batch; null when reading again costs what the first
  // reading did (HTML pages, archives): then a caller keeps the documents instead.
  std::function<IngestUnit()> again;
};
// Tasks of one walk may run at once on any threads, but must start in the order they were
// emitted (the pages of a site mirror are judged in walk order: a task may wait for earlier ones).
using IngestTask = std::function<IngestUnit()>;

// Walks `path` as IngestPath does and hands `emit` one task per unit, in input order. A non-OK
// status from emit stops the walk and is returned. A task holds its piece of input (a JSONL
// chunk) or its file's path until it runs; the walk itself reads only JSONL files, sequentially.
Status SplitPath(const std::string& path, const std::function<Status(IngestTask)>& emit);

// JSONL text in memory (e.g. a request body), as tasks over pieces of about 1 MiB of whole lines;
// problems name the file `name`. The text must outlive the tasks.
Status SplitJsonlText(std::string_view text, const std::string& name, const std::function<Status(IngestTask)>& emit);

// Bytes of the files a walk of `path` reads (for progress); 0 when it cannot be read.
uint64_t InputBytes(const std::string& path);

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

// A document from an HTML page: the article's title and text (menus, related links, share bars,
// comments, footers left out; headings, lists, tables, quotes and captions kept), summary, url
// (canonical), date (ISO 8601), lang, and the fields author, site_name and dir (docs/
// extraction.md). Elements nested more than 512 deep are flattened; a page the parser cannot take
// within its memory budget, even without its formatting tags, gives a document with only its id.
Document DocumentFromHtml(std::string_view id, std::string_view html);

// How the article extractor read one HTML page (`rasai extract --explain`): the block it took as
// the article, and every block it left out, with the reason.
struct RemovedBlock {
  std::string element;  // "div.td-post-sharing-top", "p", …
  std::string reason;   // "class/id names 'sidebar'", "'also read' block", "outside the article", …
  std::string text;     // the start of its text
  size_t chars = 0;     // the length of its whole text (characters)
};
struct ExtractionReport {
  std::string container;    // the block taken as the article ("div.td-post-content")
  double score = 0;         // its score
  int attempt = 0;          // 1: every rule; 2-4: fewer rules, as too little text was left
  bool whole_page = false;  // no article found: the page's whole visible text was kept
  std::string page_kind;    // "article", or why a folder walk skips the page ("tag page (…)")
  std::vector<RemovedBlock> removed;
};

// DocumentFromHtml, also telling how the page was read. `id` stands for the page's path in a
// site mirror when page_kind is judged.
Document ExplainHtml(std::string_view id, std::string_view html, ExtractionReport* report);

// Boilerplate openings: text that a site puts before every article (share buttons, "these links
// open in a new window"), found as an opening shared verbatim by many documents of one source.
// Words are the whitespace-separated words of the raw body (ASCII whitespace and Unicode spaces);
// an opening is a sequence of leading words. With the defaults, an opening is boilerplate when it
// is at least 6 words long and shared by at least 20 documents and at least 1% of that source's
// documents in the batch (documents without a source form one group). A document loses its
// longest such opening, except that a longer opening which extends a shorter one must add at
// least 6 words of its own: where 54 documents continue the share text with the same first
// article word ("Pakistan ..."), that word is the article's, not boilerplate. A body that would
// become empty keeps its text. The body keeps its original bytes after the cut.
//
// Learned from a batch in passes over the same documents, holding hashes only (never the
// documents): the first pass counts 6-word openings of every document; each further pass counts
// the next `window` lengths of the documents whose opening is still frequent; the learner stops
// when no opening reaches the last length counted. Memory: 16 bytes per document in the first
// pass, 16 * window bytes per document that shares a frequent opening in later passes.
//
//   RepeatedOpenings openings;
//   while (openings.NeedsPass()) { for (each document d) openings.Observe(d); openings.EndPass(); }
//   for (each document d) { openings.Strip(&d); ... }
struct RepeatedOpeningsOptions {
  size_t min_words = 6;       // shortest opening, and shortest extension of a shorter one
  uint64_t min_docs = 20;     // shared by at least this many documents of the source...
  double min_share = 0.01;    // ...and at least this share of the source's documents
  size_t window = 32;         // opening lengths counted per further pass
};

struct RemovedOpening {
  std::string source;     // "" for documents without a source
  size_t words = 0;       // length of the opening in words
  uint64_t documents = 0; // documents it was removed from
  std::string text;       // the opening, words joined by one space
};

class RepeatedOpenings {
 public:
  explicit RepeatedOpenings(RepeatedOpeningsOptions options = {});

  // True while the learner wants another pass over the batch (Observe every document, then
  // EndPass). Every pass must see the same documents.
  bool NeedsPass() const { return !done_; }
  // Returns, in the first pass, the key of the document's opening of min_words words (0 when the
  // body is shorter, and in later passes): documents whose key fewer than min_docs documents share
  // take no part in later passes, so a caller that keeps (key, document) pairs may pass only the
  // others again.
  uint64_t Observe(const Document& doc);
  void EndPass();

  // Removes the document's boilerplate opening (after the learning passes) and the whitespace
  // that follows it; returns the number of words removed (0: the body is unchanged).
  // Strip(d) is Record(d->source, c) and d->body.erase(0, c.bytes) for c = Find(*d).
  size_t Strip(Document* doc);

  // What Strip would remove from `doc` (words 0: nothing). Const: after the learning passes,
  // several threads may call it at once (while no other method runs).
  struct Cut {
    size_t words = 0;   // of the opening
    size_t bytes = 0;   // of the body to remove: the opening and the whitespace after it
    uint64_t key = 0;   // the opening, for Record
    std::string text;   // the opening, words joined by one space
  };
  Cut Find(const Document& doc) const;
  // Counts a cut of a document of `source` in Removed().
  void Record(const std::string& source, Cut cut);

  // What Strip removed so far: one entry per distinct opening, by source, most documents first.
  std::vector<RemovedOpening> Removed() const;

 private:
  struct Entry {
    uint64_t key;     // hash of (source, length, words)
    uint32_t source;  // index into source_docs_
    uint32_t words;   // length of the opening
  };
  uint64_t Threshold(uint32_t source) const;

  RepeatedOpeningsOptions options_;
  bool done_ = false;
  size_t pass_ = 0;
  size_t lo_ = 0, hi_ = 0;  // opening lengths [lo_, hi_) counted in the current pass
  std::unordered_map<uint64_t, uint32_t> source_index_;  // source hash -> index
  std::vector<uint64_t> source_docs_;                    // index -> documents in the batch
  std::unordered_map<uint64_t, uint32_t> frequent_;      // opening key -> documents sharing it
  std::vector<Entry> entries_;                           // keys seen in the current pass
  std::unordered_map<uint64_t, RemovedOpening> removed_; // opening key -> what Strip removed
};

// Serializes a Document as one JSON object (no trailing newline), extra fields included.
std::string DocumentToJson(const Document& doc);

}  // namespace rasai
