// A fast non-cryptographic hash of a byte string, for in-memory hash tables (the analyzer's word
// tables, the index writer's term table). Never persisted: the values may change between builds.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace rasai {

inline uint64_t HashBytes(std::string_view s) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 29;
  }
  uint64_t w = 0;
  if (i < s.size()) std::memcpy(&w, s.data() + i, s.size() - i);  // never from a null data() of ""
  h = (h ^ w) * 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

}  // namespace rasai
