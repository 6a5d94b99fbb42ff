#include "search/snippet.h"

#include <vector>

#include "rasai/analysis.h"
#include "util/text.h"

namespace rasai {

std::string BuildSnippet(std::string_view text, const std::unordered_set<std::string>& terms, size_t max_words) {
  if (text.empty()) return "";
  // Bound the work on very long texts: look at the first 64 KiB (cut on a UTF-8 boundary).
  constexpr size_t kScan = 64 << 10;
  if (text.size() > kScan) {
    size_t cut = kScan;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  std::vector<Token> toks;
  DefaultAnalyzer().Analyze(text, &toks);
  // One entry per position (the first token), flagged when it matches a query term.
  std::vector<const Token*> words;
  std::vector<char> hit;
  for (const Token& t : toks) {
    if (!words.empty() && words.back()->position == t.position) {
      if (terms.count(t.term)) hit.back() = 1;
      continue;
    }
    words.push_back(&t);
    hit.push_back(terms.count(t.term) ? 1 : 0);
  }
  if (words.empty()) return "";
  // Window of max_words positions with the most distinct matching terms (ties: the earliest).
  size_t best = 0, best_score = 0;
  const size_t w = std::min(max_words, words.size());
  if (!terms.empty()) {
    for (size_t s = 0; s + w <= words.size(); ++s) {
      if (s > 0 && !hit[s]) continue;  // windows start on a match (or at 0)
      std::unordered_set<std::string_view> seen;
      size_t score = 0;
      for (size_t k = s; k < s + w; ++k)
        if (hit[k] && seen.insert(words[k]->term).second) score += 2;
        else if (hit[k]) score += 1;
      if (score > best_score) {
        best_score = score;
        best = s;
      }
    }
  }
  // Start a little before the first match for context.
  size_t start = best;
  if (best_score > 0 && start > 0) start = start >= 3 ? start - 3 : 0;
  size_t end = std::min(words.size(), start + w);
  std::string out;
  if (start > 0) out += "… ";
  size_t cursor = words[start]->begin;
  for (size_t k = start; k < end; ++k) {
    const Token* t = words[k];
    if (t->begin > cursor) AppendHtmlEscaped(text.substr(cursor, t->begin - cursor), &out);
    if (hit[k]) out += "<mark>";
    AppendHtmlEscaped(text.substr(t->begin, t->end - t->begin), &out);
    if (hit[k]) out += "</mark>";
    cursor = t->end;
  }
  if (end < words.size()) out += " …";
  return out;
}

}  // namespace rasai
