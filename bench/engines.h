// The engines compared by the benchmarks, behind one small interface:
//   Build(docs)      -> writes an index into the engine's folder (timed by the caller)
//   OpenForSearch()  -> opens that folder for reading (may be a fresh process)
//   Search(v, q, n)  -> the ids of the top n documents for query q under query variant v, having
//                       read what a results page shows for each (id, title, metadata): Rasai's
//                       Hit carries them, so the peers read their stored fields too
// One index can be searched in several ways (Xapian OR and AND, FTS5 AND and OR); those are the
// engine's variants, each with its own label in the tables.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bench_common.h"

namespace rasai_bench {

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string name() const = 0;                  // "rasai", "xapian", "fts5"
  virtual std::vector<std::string> variants() const = 0;  // labels, e.g. {"xapian", "xapian-and"}
  // How the index is built and queried, for the report.
  virtual std::string config() const = 0;
  virtual void Build(const std::vector<BenchDoc>& docs) = 0;
  virtual void OpenForSearch() = 0;
  virtual std::vector<std::string> Search(size_t variant, const std::string& query, size_t n) = 0;
  const std::string& dir() const { return dir_; }

 protected:
  explicit Engine(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

// Engines this binary was built with: "rasai" (when the Rasai index and search libraries were
// linked), "xapian", "fts5".
std::vector<std::string> AvailableEngines();
bool HaveRasai();

// `language` is "ur" or "en" (chooses the peers' stemmer/tokenizer). `dir` must exist and be empty.
// Throws std::runtime_error for an unknown engine name.
std::unique_ptr<Engine> MakeEngine(const std::string& name, const std::string& language, const std::string& dir);

}  // namespace rasai_bench
