// Shared pieces of the Rasai benchmarks: loading the evaluation collections and their
// judgments, the ranking measures, latency percentiles, and small file-system helpers.
// Nothing here depends on Rasai or on a peer engine.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#if RASAI_BENCH_HAVE_RASAI
#include "rasai/document.h"
#endif

namespace rasai_bench {

// One document as every engine receives it. Only title and body are indexed; `meta_json` holds
// the other stored fields (url, date, source, category, lang) as a JSON object so that each
// engine stores the same information.
struct BenchDoc {
  std::string id;
  std::string title;
  std::string body;
  std::string url, date, source, category, lang;
  // The document as one JSON object (id, title, body and the metadata; never the summary).
  std::string ToJson() const;
  std::string MetaJson() const;
};

#if RASAI_BENCH_HAVE_RASAI
// The document as Rasai indexes it; an empty lang becomes `default_lang`.
inline rasai::Document ToRasaiDocument(const BenchDoc& d, const std::string& default_lang) {
  rasai::Document doc;
  doc.id = d.id;
  doc.title = d.title;
  doc.body = d.body;
  doc.url = d.url;
  doc.date = d.date;
  doc.source = d.source;
  doc.category = d.category;
  doc.lang = d.lang.empty() ? default_lang : d.lang;
  return doc;
}
#endif

// A query with graded judgments: doc id -> gain (> 0 means relevant).
struct BenchQuery {
  std::string qid;
  std::string text;
  std::map<std::string, int> gains;
};

struct QuerySet {
  std::string name;  // e.g. "queries-dev" or "cranfield"
  std::vector<BenchQuery> queries;
  bool graded = false;  // true when gains other than 1 occur
};

struct Collection {
  std::string name;      // "urdu", "cranfield", "time"
  std::string language;  // "ur" or "en"
  std::vector<BenchDoc> docs;
  std::vector<QuerySet> query_sets;
  std::string notes;  // how the judgments were read
};

// Throws std::runtime_error with a clear message when a file is missing or malformed.
// Without require_id, a line without an id gets its line number as id (e.g. FOLDOC).
std::vector<BenchDoc> LoadJsonlDocs(const std::string& path, bool require_id = true);
QuerySet LoadTsvQueries(const std::string& path);  // qid<TAB>query<TAB>id,id,...[<TAB>...]

// The three suites. `data` is the shared data folder (with urdu/ and english/).
// `cranfield_base_gain` is the gain given to the judgments coded -1 in cranqrel (see .cc).
Collection LoadUrdu(const std::string& data, const std::vector<std::string>& query_files);
Collection LoadCranfield(const std::string& data, int cranfield_base_gain);
Collection LoadTime(const std::string& data);

// Ranking measures over the top 10 of `ranked` (extra entries ignored).
struct QueryScores {
  double rr = 0, recall = 0, ndcg = 0;
};
QueryScores ScoreQuery(const BenchQuery& q, const std::vector<std::string>& ranked, size_t k = 10);

// The percentile as ../shared/tools/score-queries computes it: sorted[min(n-1, floor(p*n))].
double Percentile(std::vector<double> values, double p);

// Milliseconds since `start`.
inline double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// Sum of the sizes of the regular files under `path` (recursively), in bytes.
uint64_t DiskBytes(const std::string& path);
// Creates a fresh temporary folder under $TMPDIR (or /tmp) named prefix-XXXXXX.
std::string MakeTempDir(const std::string& prefix);
void RemoveTree(const std::string& path);

// The data folder: --data DIR when given, else ../shared/data next to the repository root.
// Exits with a clear message when it is absent.
std::string ResolveDataDir(const std::string& flag_value);

// "1.234" style formatting helpers for tables.
std::string Fmt(double v, int decimals);
std::string FmtBytes(uint64_t bytes);

}  // namespace rasai_bench
