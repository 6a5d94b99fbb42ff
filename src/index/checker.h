// Internal: the checker behind Index::Check and `rasai check` — every file of every segment the
// manifest lists, against its size and checksum, then every structure (terms in order, postings
// in order and in range, stored documents readable, token offsets inside their text).
//
// Thread-safety: reads immutable files; any thread.
#pragma once

#include "index/manifest.h"
#include "rasai/status.h"
#include "util/file.h"

namespace rasai {

// OK only when every segment of `m` in `dir` is sound; else what is damaged, and where.
Status CheckIndex(const Directory& dir, const Manifest& m);

}  // namespace rasai
