// Inline UTF-8 decoding for the hot loops of the analysis layer: ASCII and well-formed 2- and
// 3-byte sequences are decoded here; anything else goes to rasai::DecodeUtf8 (same results).
#pragma once

#include <cstddef>
#include <string_view>

#include "util/utf8.h"

namespace rasai::analysis_internal {

inline char32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  if ((b0 & 0xE0) == 0xC0 && b0 >= 0xC2 && *i + 1 < s.size()) {
    const auto b1 = static_cast<unsigned char>(s[*i + 1]);
    if ((b1 & 0xC0) == 0x80) {
      *i += 2;
      return (static_cast<char32_t>(b0 & 0x1F) << 6) | (b1 & 0x3F);
    }
  }
  return DecodeUtf8(s, i);
}

}  // namespace rasai::analysis_internal
