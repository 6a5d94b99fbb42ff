// What makes two documents one article, as the index stores it and search compares it: the
// content hash (exact copies), the SimHash of the body's word 5-grams (edited copies) and the
// words both are computed over. Definitions: docs/format/README.md; figures: docs/analysis.md
// section 11.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rasai/document.h"

namespace rasai {

// What duplicate collapsing compares: the body alone (leading and trailing whitespace aside) when
// it has at least kArticleWords words, else the title and the body.
constexpr size_t kArticleWords = 50;
uint64_t ContentHash(const Document& doc);
// What finding edited copies compares first: a 64-bit SimHash (Charikar) of the body's word
// 5-grams, over its first kArticleBytes bytes; 0 for a body of fewer than kArticleWords words.
// Bodies whose 5-gram sets resemble (|A and B| / |A or B|) at 0.8 or more were at most 14 bits
// apart on urdu-news, unrelated ones 32 on average.
constexpr size_t kArticleBytes = 32 << 10;
uint64_t ArticleSimHash(std::string_view body);
// Calls fn(word) for the words of an article body as the SimHash and the 5-gram comparison of
// search see them: runs of bytes above the space in its first kArticleBytes bytes, less a word
// cut by that limit.
template <typename Fn>
void ForEachArticleWord(std::string_view body, Fn&& fn) {
  const bool cut = body.size() > kArticleBytes;
  if (cut) body = body.substr(0, kArticleBytes);
  for (size_t i = 0; i < body.size();) {
    while (i < body.size() && static_cast<unsigned char>(body[i]) <= ' ') ++i;
    size_t j = i;
    while (j < body.size() && static_cast<unsigned char>(body[j]) > ' ') ++j;
    if (j > i && !(cut && j == body.size())) fn(body.substr(i, j - i));
    i = j;
  }
}

}  // namespace rasai
