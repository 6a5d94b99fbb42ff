// The content hash and SimHash of an article (rasai/article.h).
#include "rasai/article.h"

#include <array>
#include <string>
#include <vector>

namespace rasai {

uint64_t ContentHash(const Document& doc) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0x1f;
    h *= 1099511628211ull;
  };
  // An article republished under an edited title (a typo fixed, a word added) is the same
  // article: a body of kArticleWords words or more is hashed alone. Shorter bodies (a headline's
  // blurb, a page that is only a "read more" link) may be shared by different articles: the
  // title is hashed with them.
  std::string_view body = doc.body;
  while (!body.empty() && static_cast<unsigned char>(body.front()) <= ' ') body.remove_prefix(1);
  while (!body.empty() && static_cast<unsigned char>(body.back()) <= ' ') body.remove_suffix(1);
  size_t words = 0;
  for (size_t i = 0; i < body.size() && words < kArticleWords; ++i)
    if (static_cast<unsigned char>(body[i]) > ' ' && (i == 0 || static_cast<unsigned char>(body[i - 1]) <= ' ')) ++words;
  if (words < kArticleWords) mix(doc.title);
  mix(body);
  return h;
}

uint64_t ArticleSimHash(std::string_view body) {
  // Words (ForEachArticleWord), each hashed with 64-bit FNV-1a. A 5-gram folds its words'
  // hashes; its bits are mixed (the splitmix64 finalizer) so that each of the 64 votes on an
  // independent-looking bit.
  thread_local std::vector<uint64_t> words;
  words.clear();
  ForEachArticleWord(body, [](std::string_view w) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : w) {
      h ^= c;
      h *= 1099511628211ull;
    }
    words.push_back(h);
  });
  if (words.size() < kArticleWords) return 0;
  // Every 5-gram votes. The 64 bit counts are kept as bytes, eight to a word (a byte of
  // kSpread[v] is bit i of v), and emptied into 32-bit counts before a byte can overflow.
  static const std::array<uint64_t, 256> kSpread = [] {
    std::array<uint64_t, 256> t{};
    for (unsigned v = 0; v < 256; ++v)
      for (unsigned i = 0; i < 8; ++i)
        if ((v >> i) & 1) t[v] |= 1ull << (8 * i);
    return t;
  }();
  uint64_t packed[8] = {};
  uint32_t ones[64] = {};
  auto flush = [&] {
    for (int k = 0; k < 8; ++k) {
      for (int i = 0; i < 8; ++i) ones[8 * k + i] += static_cast<uint32_t>((packed[k] >> (8 * i)) & 0xff);
      packed[k] = 0;
    }
  };
  const size_t grams = words.size() - 4;
  for (size_t i = 0; i < grams; ++i) {
    uint64_t g = 0;
    for (size_t k = 0; k < 5; ++k) g = (g ^ words[i + k]) * 0x9e3779b97f4a7c15ull;
    g ^= g >> 30;
    g *= 0xbf58476d1ce4e5b9ull;
    g ^= g >> 27;
    g *= 0x94d049bb133111ebull;
    g ^= g >> 31;
    for (int k = 0; k < 8; ++k) packed[k] += kSpread[(g >> (8 * k)) & 0xff];
    if (i % 255 == 254) flush();
  }
  flush();
  uint64_t out = 0;
  for (int b = 0; b < 64; ++b)
    if (2 * static_cast<uint64_t>(ones[b]) > grams) out |= 1ull << b;
  return out;
}

}  // namespace rasai
