// The fast path's word tables: WordTable, a small open-addressing hash set of words with a flag
// byte (stopword, index of a joined form), and the two tables built from the stopword lists and
// Compounds(). Internal to the analysis layer.
//
// Thread-safety: UrduWords() and EnglishWords() are built once on first use (thread-safe) and only
// read afterwards; Find may be called from many threads at once. Add is not thread-safe.
// Ownership: the two tables live for the whole process (never freed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "util/hash.h"

namespace rasai::analysis_internal {

// A small open-addressing hash set of words with a flag byte (stopword, compound index), built once.
class WordTable {
 public:
  static constexpr uint8_t kStop = 1;

  struct Entry {
    std::string word;
    uint64_t hash = 0;
    uint8_t stop = 0;
    int8_t compound = -1;  // index in Compounds(), or -1
  };

  // The entry of `w`, added if absent. Pointers stay valid until the next Add.
  Entry* Add(std::string_view w) {
    if (Entry* e = const_cast<Entry*>(Find(w))) return e;
    entries_.push_back(Entry{std::string(w), HashBytes(w)});
    Rehash();
    return &entries_.back();
  }

  const Entry* Find(std::string_view w) const {
    if (slots_.empty()) return nullptr;
    const uint64_t h = HashBytes(w);
    for (size_t k = h & mask_;; k = (k + 1) & mask_) {
      const uint32_t s = slots_[k];
      if (s == 0) return nullptr;
      const Entry& e = entries_[s - 1];
      if (e.hash == h && e.word.size() == w.size() && Equal(e.word.data(), w.data(), w.size())) return &e;
    }
  }

 private:
  // Inline comparison for the short words of the tables (a memcmp call costs more here).
  static bool Equal(const char* a, const char* b, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t x, y;
      std::memcpy(&x, a + i, 8);
      std::memcpy(&y, b + i, 8);
      if (x != y) return false;
    }
    for (; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }


  void Rehash() {
    size_t n = 16;
    while (n < entries_.size() * 4) n *= 2;
    mask_ = n - 1;
    slots_.assign(n, 0);
    for (size_t e = 0; e < entries_.size(); ++e) {
      size_t k = HashBytes(entries_[e].word) & mask_;
      while (slots_[k] != 0) k = (k + 1) & mask_;
      slots_[k] = static_cast<uint32_t>(e + 1);
    }
  }

  std::vector<Entry> entries_;
  std::vector<uint32_t> slots_;
  size_t mask_ = 0;
};

// Folded Urdu stopwords (kStop) and the joined forms of Compounds() (compound = its index).
const WordTable& UrduWords();
// English stopwords, lower case (kStop).
const WordTable& EnglishWords();

}  // namespace rasai::analysis_internal
