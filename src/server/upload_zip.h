// Unpacking a .zip the operator uploads (a saved web site, a folder of pages or JSONL files) into
// a fresh folder, through libzip, so that ingest reads it as a folder. Hostile archives are
// bounded: entry names are cleaned (no absolute paths, no "..", no drive letters; '\' is a
// separator), symbolic links and encrypted entries are skipped, only the kinds ingest reads are
// written (.html .htm .xhtml .txt .md .markdown .jsonl .ndjson .json), and the bytes written are
// counted as they are inflated (never trusting the sizes the archive declares) against a limit per
// entry, a limit in all, and a ratio to the compressed size (zip bombs).
// Thread-safety: free function; no shared state.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "rasai/status.h"

namespace rasai::server {

struct ZipLimits {
  uint64_t max_entries = 200000;
  uint64_t max_entry_bytes = 256ull << 20;  // one file, inflated
  uint64_t max_total_bytes = 2ull << 30;    // every file, inflated
  uint64_t max_ratio = 200;                 // inflated / compressed, for entries over 1 MiB inflated
};

struct ZipReport {
  uint64_t entries = 0;   // in the archive
  uint64_t written = 0;   // files written
  uint64_t bytes = 0;     // their bytes
  uint64_t ignored = 0;   // files of other kinds (images, styles, ...), not written
  std::vector<std::string> problems;  // "name: reason" for entries skipped for cause
};

// Unpacks `zip_path` into `dest` (created; must not exist). `progress(done, total)` is called
// with entries done. `cancelled()` true stops early (Aborted). InvalidArgument when the file is
// not a readable zip archive or breaks a limit in all; entries that break a limit of their own are
// skipped and reported.
Status UnpackZip(const std::string& zip_path, const std::string& dest, const ZipLimits& limits, ZipReport* report,
                 const std::function<void(uint64_t, uint64_t)>& progress = {},
                 const std::function<bool()>& cancelled = {});

// The relative path an entry name is written to ("" when the name is refused): '\' is a
// separator, "." and empty parts are dropped, leading '/' and "C:" are removed; "..", a part
// over 255 bytes, a control character, broken UTF-8 or more than 64 levels are refused.
std::string CleanEntryName(std::string_view name);

}  // namespace rasai::server
