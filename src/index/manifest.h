// Internal: the manifest (`MANIFEST`), the one file that says what the index is — its fields and
// its segments with their files, sizes and checksums — and how a new one is published: written
// to MANIFEST.tmp, fsynced, renamed over MANIFEST, the folder fsynced. A commit is durable once
// Publish returns. Format: docs/format/README.md.
//
// Thread-safety: pure functions over a Directory (which is thread-safe).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "index/format.h"
#include "rasai/status.h"
#include "util/file.h"

namespace rasai {

constexpr char kManifest[] = "MANIFEST";
constexpr char kManifestTmp[] = "MANIFEST.tmp";
constexpr char kLock[] = "LOCK";

struct Manifest {
  uint64_t generation = 0;
  uint64_t next_segment = 1;
  std::vector<std::string> fields;
  std::vector<SegmentMeta> segments;
};

std::string EncodeManifest(const Manifest& m);
// Corruption for a damaged manifest, Unsupported for one of another format version.
Result<Manifest> DecodeManifest(const std::string& text);

// Reads and decodes the manifest of `dir`.
Result<Manifest> ReadManifest(const Directory& dir);
// Makes `m` the index's manifest, durably (see above). On failure, *replaced says whether
// MANIFEST was already renamed over (the folder's sync failed: the new manifest may or may not
// survive a power cut) or not (the index on disk is as it was).
Status PublishManifest(Directory* dir, const Manifest& m, bool* replaced);

}  // namespace rasai
