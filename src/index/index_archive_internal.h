// Internal: ExportIndex over a given Directory, so that tests can change the index between the
// exporter's reading of MANIFEST and its opening of the files. Thread-safety: as ExportIndex.
#pragma once

#include <string>

#include "rasai/index_archive.h"
#include "util/file.h"

namespace rasai {

// ExportIndex(dir.path(), archive), reading the index's files through `dir`.
Result<ArchiveSummary> ExportIndexFrom(const Directory& dir, const std::string& archive);

}  // namespace rasai
