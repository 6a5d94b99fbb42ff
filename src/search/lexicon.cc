#include "search/lexicon.h"

#include <algorithm>

namespace rasai {

Lexicon::Lexicon(TermCache& terms) : snap_(terms.snapshot()), terms_(terms) {
  for (size_t f = 0; f < snap_.schema().fields.size(); ++f) text_fields_.push_back(static_cast<int>(f));
}

bool Lexicon::Has(std::string_view term, int field) {
  for (auto f = text_fields_.rbegin(); f != text_fields_.rend(); ++f)
    if ((field < 0 || *f == field) && terms_.DocFreq(*f, term) > 0) return true;
  return false;
}

uint64_t Lexicon::Df(const std::string& term, int field) {
  uint64_t df = 0;
  for (int f : text_fields_)
    if (field < 0 || f == field) df += terms_.DocFreq(f, term);
  return df;
}

bool Lexicon::PhraseOccurs(const std::vector<std::string>& terms, int field) {
  bool cut = false;
  const bool found = !ForDocsWithAll(terms, field, 4096, &cut, [&](IntersectionCursor& docs) {
    return docs.PhraseFreq() == 0;  // found: stop
  });
  return found || cut;
}

uint64_t Lexicon::CoDocs(const std::string& term, const std::vector<std::string>& others, int field) {
  std::vector<std::string> all = others;
  all.push_back(term);
  uint64_t n = 0;
  bool cut = false;
  ForDocsWithAll(all, field, 4096, &cut, [&](IntersectionCursor&) {
    ++n;
    return true;
  });
  return n;
}

const std::vector<std::pair<uint64_t, std::string>>& Lexicon::TermsWithPrefix(const std::string& prefix, int field) {
  auto [cached, fresh] = expansions_.try_emplace({field, prefix});
  std::vector<std::pair<uint64_t, std::string>>& byfreq = cached->second;
  if (fresh) {
    std::map<std::string, uint64_t> found;
    for (const auto& seg : snap_.segments()) {
      for (int f : text_fields_) {
        if (field >= 0 && f != field) continue;
        ForTermsWithPrefix(*seg, f, prefix, kPrefixScan,
                           [&](std::string_view t, uint32_t df) { found[std::string(t)] += df; });
      }
    }
    for (auto& [t, df] : found) byfreq.emplace_back(df, t);
    std::sort(byfreq.rbegin(), byfreq.rend());
  }
  return byfreq;
}

}  // namespace rasai
