// CRC-32C (Castagnoli), as used in every Rasai file footer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace rasai {

// Extends `crc` (0 to start) with n bytes at p.
uint32_t Crc32c(uint32_t crc, const void* p, size_t n);

}  // namespace rasai
