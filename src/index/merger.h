// Internal: the merger — writes one segment holding the live documents of several (their terms
// merged in order, their stored documents and token offsets carried over).
//
// Thread-safety: reads immutable segments; may run on any thread while the writer goes on.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "index/format.h"
#include "rasai/index.h"
#include "rasai/status.h"
#include "util/file.h"

namespace rasai {

// Writes segment `name` into `dir` from the live documents of `src` (in order); its metadata
// into *out. docmap[s][d] is the new number of document d of source s (kDeleted for a deleted
// one). `off_field`: the text field whose token offsets segments store (-1: none).
constexpr uint32_t kDeleted = 0xffffffffu;
Status MergeSegments(Directory* dir, const Schema& schema, int off_field,
                     const std::vector<std::shared_ptr<const SegmentReader>>& src, const std::string& name,
                     SegmentMeta* out, std::vector<std::vector<uint32_t>>* docmap);

}  // namespace rasai
