#include "search/typos.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <tuple>
#include <vector>

#include "rasai/term_lists.h"
#include "util/utf8.h"

namespace rasai {
namespace {

constexpr size_t kMaxFuzzy = 3;  // typo alternatives per word

std::u32string ToU32(std::string_view s) {
  std::u32string o;
  DecodeUtf8(s, &o);
  return o;
}

// Set bits of x. Inline: the scan below counts one per term of up to five lengths, and
// __builtin_popcountll without a popcnt target is a call into libgcc_s, through the PLT.
inline int SetBits(uint64_t x) {
  x -= (x >> 1) & 0x5555555555555555ull;
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
  return static_cast<int>((x * 0x0101010101010101ull) >> 56);
}

}  // namespace

int BoundedEditDistance(const std::u32string& a, const std::u32string& b, int max) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > max) return max + 1;
  // Rows reused across calls (a typo scan calls this once per dictionary term).
  thread_local std::vector<int> prev2, prev, cur;
  prev2.assign(m + 1, 0);
  prev.assign(m + 1, 0);
  cur.assign(m + 1, 0);
  for (int j = 0; j <= m; ++j) prev[j] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > max) return max + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

std::string AddTypos(Lexicon& lex, BooleanQuery* query) {
  std::vector<AlternativesQuery>& groups = query->groups;
  // Bounded cost: a dictionary scan per unknown word, for short queries and few words only.
  constexpr size_t kMaxTypoGroups = 8, kMaxTypoWords = 3;
  if (groups.size() > kMaxTypoGroups) return "";
  const Snapshot& snap = lex.snapshot();
  size_t scanned = 0;
  bool changed = false;
  std::string suggestion;
  // The words of the other groups as typed, when the index has them (not stopwords): the
  // "did you mean" picks, among a word's nearest corrections, the one found with them most.
  std::vector<std::string> typed(groups.size());
  for (size_t i = 0; i < groups.size(); ++i) {
    const AlternativesQuery& g = groups[i];
    if (!g.stop && !g.alts.empty() && g.alts[0].terms.size() == 1 && !g.alts[0].stop &&
        lex.Has(g.alts[0].terms[0], g.alts[0].field))
      typed[i] = g.alts[0].terms[0];
  }
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    AlternativesQuery& g = groups[gi];
    if (g.alts.empty()) continue;
    // Copies: alternatives are added to g.alts below, which may move them.
    const int field = g.alts[0].field;
    const std::string word = g.alts[0].terms.size() == 1 ? g.alts[0].terms[0] : "";
    // Known: a form of it is in the dictionary, or a split of it («وزیراعظم» as «وزیر اعظم»)
    // stands in some document. Both halves of a split being words is no evidence: «عمرن» (for
    // «عمران») is «عمر» + «ن», which no document writes together.
    bool known = false;
    for (const Alternative& x : g.alts)
      if (x.terms.size() == 1 && lex.Has(x.terms[0], x.field)) known = true;
    for (const Alternative& x : g.alts)  // (a quoted phrase, word "", is never corrected: not asked)
      if (!known && !word.empty() && x.terms.size() > 1 && lex.PhraseOccurs(x.terms, x.field)) known = true;
    if (!suggestion.empty()) suggestion += " ";
    if (known || word.empty()) {
      suggestion += g.surface.empty() ? word : g.surface;
      continue;
    }
    const std::u32string w = ToU32(word);
    if (w.size() < 3 || scanned++ >= kMaxTypoWords) {
      suggestion += g.surface.empty() ? word : g.surface;
      continue;
    }
    const int max = w.size() >= 8 ? 2 : 1;
    const uint64_t wsig = TermsByLength::Signature(w);
    std::map<std::string, std::pair<int, uint64_t>> cands;  // term -> (distance, df)
    std::u32string u;
    const uint32_t lo = static_cast<uint32_t>(std::max<int>(1, static_cast<int>(w.size()) - max));
    const uint32_t hi = std::min<uint32_t>(static_cast<uint32_t>(w.size()) + max, TermsByLength::kMaxLength);
    // Only terms of a length within `max` of the word's, with a number of letters outside ASCII
    // within `max` of the word's, whose letters differ in at most 2 * max signature bits, reach
    // the edit distance.
    const uint32_t wide = TermsByLength::Wide(w);
    const uint32_t wide_lo = std::min(wide - std::min<uint32_t>(wide, max), TermsByLength::kMaxWide);
    const uint32_t wide_hi = std::min<uint32_t>(wide + max, TermsByLength::kMaxWide);
    for (const auto& seg : snap.segments()) {
      for (int f : lex.text_fields()) {
        if (field >= 0 && f != field) continue;
        const TermsByLength& byLength = seg->TermLengths(f);
        for (uint32_t len = lo; len <= hi; ++len)
          for (uint32_t wd = wide_lo; wd <= wide_hi; ++wd) {
            const size_t count = byLength.size(len, wd);
            if (count == 0) continue;
            const TermsByLength::Entry* const entries = &byLength.entry(len, wd, 0);
            for (size_t i = 0; i < count; ++i) {
              const TermsByLength::Entry& e = entries[i];
              if (SetBits(e.signature ^ wsig) > 2 * max) continue;
              std::string_view t = byLength.term(len, wd, i);
              DecodeUtf8(t, &u);
              int d = BoundedEditDistance(w, u, max);
              if (d <= max) {
                auto& c = cands[std::string(t)];
                c.first = d;
                c.second += e.df;
              }
            }
          }
      }
    }
    std::vector<std::tuple<int, int64_t, std::string>> ranked;
    for (auto& [t, c] : cands) ranked.emplace_back(c.first, -static_cast<int64_t>(c.second), t);
    std::sort(ranked.begin(), ranked.end());
    for (size_t k = 0; k < ranked.size() && k < kMaxFuzzy; ++k)
      g.Add(Alternative(TermQuery{std::get<2>(ranked[k]), field}, std::get<0>(ranked[k]) == 1 ? 0.8 : 0.6));
    if (!ranked.empty()) {
      // «عمرن خان»: «عمر» and «عمران» are both one edit away, «عمر» the more common; «عمران»
      // is the one written with «خان».
      std::vector<std::string> others;
      for (size_t i = 0; i < typed.size(); ++i)
        if (i != gi && !typed[i].empty()) others.push_back(typed[i]);
      size_t pick = 0;
      if (!others.empty()) {
        uint64_t best = 0;
        for (size_t k = 0; k < ranked.size() && k < kMaxFuzzy && std::get<0>(ranked[k]) == std::get<0>(ranked[0]); ++k) {
          const uint64_t co = lex.CoDocs(std::get<2>(ranked[k]), others, field);
          if (co > best) {
            best = co;
            pick = k;
          }
        }
      }
      suggestion += std::get<2>(ranked[pick]);
      changed = true;
    } else {
      suggestion += g.surface.empty() ? word : g.surface;
    }
  }
  return changed ? suggestion : "";
}

}  // namespace rasai
