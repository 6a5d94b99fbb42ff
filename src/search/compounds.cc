#include "search/compounds.h"

#include <string>
#include <vector>

#include "rasai/analysis.h"
#include "util/utf8.h"

namespace rasai {
namespace {

// One term that is a stopword.
bool IsStop(const Analyzer& an, std::string_view term) {
  std::vector<Token> toks;
  an.Analyze(term, &toks);
  return toks.size() == 1 && toks[0].stop;
}

}  // namespace

bool EndsInArabicScript(std::string_view t) {
  char32_t last = 0;
  size_t i = 0;
  while (i < t.size()) last = DecodeUtf8(t, &i);
  return (last >= 0x0600 && last <= 0x06FF) || (last >= 0x0750 && last <= 0x077F) ||
         (last >= 0x08A0 && last <= 0x08FF);
}

// Two Urdu words are glued whatever the first one's last letter («سفارت خانے» finds «سفارتخانے»,
// «کن ٹرول» finds «کنٹرول»): writers join compounds after a joining letter too. A word is split
// only after a non-joiner, where the two spellings look alike; other splits measured worse.
// A form counts as what it is made of: two stopwords glued, a split into two stopwords and
// any split of a typed stopword are stopwords («کاہے» as «کا ہے» is plain grammar).
void AddCompounds(Lexicon& lex, BooleanQuery* query) {
  const Analyzer& an = DefaultAnalyzer();
  std::vector<AlternativesQuery>& groups = query->groups;
  auto single = [](const AlternativesQuery& g) -> const Alternative* {
    return g.alts.size() >= 1 && g.alts[0].terms.size() == 1 ? &g.alts[0] : nullptr;
  };
  const size_t n = groups.size();
  std::vector<std::vector<Alternative>> extra(n);
  for (size_t i = 0; i < n; ++i) {
    const Alternative* a = single(groups[i]);
    if (!a) continue;
    const std::string& t = a->terms[0];
    // Joined form of this word and the next.
    if (i + 1 < n) {
      const Alternative* b = single(groups[i + 1]);
      if (b && EndsInArabicScript(t)) {
        std::string joined = t + b->terms[0];
        if (lex.Has(joined, a->field)) {
          extra[i].push_back(Alternative(TermQuery{joined, a->field}, 1.0, a->stop && b->stop));
          extra[i + 1].push_back(Alternative(TermQuery{joined, a->field}, 1.0, a->stop && b->stop));
        }
      }
    }
    // Split forms of this word.
    size_t pos = 0;
    int tried = 0;
    while (pos < t.size() && tried < 24) {
      DecodeUtf8(t, &pos);
      if (pos >= t.size()) break;
      ++tried;
      const std::string_view left = std::string_view(t).substr(0, pos), right = std::string_view(t).substr(pos);
      if (!an.EndsWithNonJoiner(left)) continue;
      if (lex.Has(left, a->field) && lex.Has(right, a->field))
        extra[i].push_back(Alternative(PhraseQuery{{std::string(left), std::string(right)}, a->field}, 1.0,
                                       a->stop || (IsStop(an, left) && IsStop(an, right))));
    }
  }
  for (size_t i = 0; i < n; ++i)
    for (auto& a : extra[i]) groups[i].Add(std::move(a));
}

}  // namespace rasai
