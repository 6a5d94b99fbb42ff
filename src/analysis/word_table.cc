// The fast path's word tables (see word_table.h): Urdu stopwords and joined forms, English
// stopwords.

#include "analysis/word_table.h"

#include <cstddef>
#include <string_view>

#include "analysis/text_internal.h"

namespace rasai::analysis_internal {
namespace {

// Splits a stopword list's multi-word entries (ہوں گے) like stopwords.cc does.
template <typename Fn>
void ForEachListWord(const char* const* list, size_t n, Fn&& fn) {
  for (size_t k = 0; k < n; ++k) {
    std::string_view entry = list[k];
    while (!entry.empty()) {
      const size_t sp = entry.find(' ');
      fn(entry.substr(0, sp));
      entry = sp == std::string_view::npos ? std::string_view() : entry.substr(sp + 1);
    }
  }
}

}  // namespace

const WordTable& UrduWords() {
  static const WordTable* table = [] {
    auto* t = new WordTable();
    size_t n = 0;
    const char* const* list = UrduStopwordList(&n);
    ForEachListWord(list, n, [&](std::string_view w) {
      if (!w.empty()) t->Add(FoldArabicWord(w))->stop = WordTable::kStop;
    });
    const auto& compounds = Compounds();
    for (size_t c = 0; c < compounds.size(); ++c) {
      t->Add(compounds[c].joined)->compound = static_cast<int8_t>(c);
    }
    return t;
  }();
  return *table;
}

const WordTable& EnglishWords() {
  static const WordTable* table = [] {
    auto* t = new WordTable();
    size_t n = 0;
    const char* const* list = EnglishStopwordList(&n);
    ForEachListWord(list, n, [&](std::string_view w) {
      if (!w.empty()) t->Add(w)->stop = WordTable::kStop;
    });
    return t;
  }();
  return *table;
}

}  // namespace rasai::analysis_internal
