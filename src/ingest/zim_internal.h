// Internal pieces of the ZIM reader (not part of the public API): the file check done before
// libzim sees a file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rasai/status.h"

namespace rasai::zim_internal {

// The fixed 80-byte header of a ZIM archive (openZIM format, all integers little-endian).
struct ZimHeader {
  uint32_t magic = 0;
  uint16_t major = 0, minor = 0;
  uint8_t uuid[16] = {};
  uint32_t entry_count = 0, cluster_count = 0;
  uint64_t path_ptr_pos = 0, title_ptr_pos = 0, cluster_ptr_pos = 0, mime_list_pos = 0;
  uint32_t main_page = 0, layout_page = 0;
  uint64_t checksum_pos = 0;
};
constexpr uint32_t kZimMagic = 72173914;  // "ZIM\x04"
constexpr size_t kZimHeaderSize = 80;

// The files holding an archive, in order: `logical` itself, or its parts logical + "aa",
// "ab", ... (a split archive). NotFound when there is neither.
Result<std::vector<std::string>> ZimParts(const std::string& logical);

// What CheckZimFile found.
struct ZimFileFacts {
  ZimHeader header;
  uint64_t size = 0;  // all parts together
  bool split = false;
};

// Checks the archive at `logical` (one file or split parts) before libzim opens it: a header
// of the right magic and version, a checksum where the file ends (else it is truncated or has
// bytes appended), pointer tables inside the file, and, when `verify_checksum`, the MD5 of
// everything before the checksum and every directory entry (in range, names that end).
// InvalidArgument with a reason an operator can act on.
Status CheckZimFile(const std::string& logical, bool verify_checksum, ZimFileFacts* facts);

// Parses a header from its 80 bytes.
ZimHeader ParseZimHeader(const unsigned char* bytes);

// Checks a header against the archive's size (the checks of CheckZimFile but the checksum).
Status CheckZimHeader(const ZimHeader& h, uint64_t size);

}  // namespace rasai::zim_internal
