// What the collection holds, by source: documents, languages and the range of their dates, for
// the operator's sources page, GET /api/sources and GET /api/stats. Read from the documents'
// values (no stored text is decompressed): one pass over the live documents of a snapshot.
// Thread-safety: free functions over an immutable snapshot.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rasai/index.h"

namespace rasai::server {

struct SourceSummary {
  std::string name;                          // "" for documents without a source
  uint64_t documents = 0;
  std::map<std::string, uint64_t> languages;  // lang -> documents ("" = unknown)
  std::string first_date, last_date;         // "YYYY-MM-DD"; "" when no document has a date
  uint64_t dated = 0;                        // documents with a date
};

// Every source of the snapshot's live documents, most documents first (ties by name).
std::vector<SourceSummary> SummarizeSources(const Snapshot& snapshot);

nlohmann::json SourcesJson(const std::vector<SourceSummary>& sources);

}  // namespace rasai::server
