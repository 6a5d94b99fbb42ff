// The ZIM parts of the `rasai` commands: finding archives among the inputs, indexing them,
// listing them in `rasai stats`. Called on the main thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rasai/index.h"
#include "rasai/ingest.h"

namespace rasai::cli {

// `inputs` split into ZIM archives (files named *.zim or *.zimaa, *.zimab, ... given directly,
// and the *.zim / *.zimaa files inside the folders given, in sorted order; each archive once, by
// the path libzim opens) and the inputs IngestPath reads (every folder, and the files that are
// not archives). IngestPath ignores the archives it meets in a folder.
struct SplitInputs {
  std::vector<std::string> archives;
  std::vector<std::string> others;
};
SplitInputs SplitZimInputs(const std::vector<std::string>& inputs);

// Indexes each archive into `index` (AddZimArchive: the documents go through `sink`), one after
// the other, removing their pages' boilerplate openings unless `keep_openings` (what was removed
// is appended to *openings). Appends one line per archive to *lines (what was indexed or why
// not); problems go to *stats. Returns the number of archives refused.
uint64_t IndexZimArchives(Index* index, const std::string& dir, const std::vector<std::string>& archives,
                          const DocumentSink& sink, IngestStats* stats, std::vector<std::string>* lines,
                          bool keep_openings = false, std::vector<RemovedOpening>* openings = nullptr);

// Hands the documents of the archive at `path` to `sink` (for rasai extract): no index, no
// catalog. A refused archive is a problem in *stats.
Status ReadZimArchive(const std::string& path, const DocumentSink& sink, IngestStats* stats);

// The archives of the index in `dir` as text lines (for rasai stats), and as a JSON array text.
std::vector<std::string> ZimStatsLines(const std::string& dir, const Snapshot& snapshot);
std::string ZimStatsJson(const std::string& dir, const Snapshot& snapshot);

}  // namespace rasai::cli
