// Internal: a segment's deletion bitmap file (`<seg>.<gen>.del`, kind "DEL1"): one bit per
// document, a new generation written by each commit that deletes from the segment.
// Format: docs/format/README.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rasai/status.h"
#include "util/file.h"

namespace rasai {

// Encodes a deletion bitmap file body / decodes one.
std::string EncodeDeletions(const std::vector<uint64_t>& bits);
Result<std::vector<uint64_t>> LoadDeletions(const Directory& dir, const std::string& name, uint32_t max_doc);
std::string DeletionFileName(const std::string& seg, uint64_t gen);

}  // namespace rasai
