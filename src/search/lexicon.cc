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

bool Lexicon::PhraseAmongFirst(const std::vector<std::string>& terms, uint32_t scan) {
  if (terms.empty()) return false;
  IntersectionCursor docs;
  for (int f : text_fields_) {
    size_t lead = 0;
    uint64_t least = UINT64_MAX;
    for (size_t i = 0; i < terms.size(); ++i) {
      const uint64_t df = terms_.DocFreq(f, terms[i]);
      if (df < least) {
        least = df;
        lead = i;
      }
    }
    if (least == 0) continue;
    uint32_t left = scan;  // documents of the lead's list still to walk
    for (uint32_t s = 0; s < snap_.segments().size() && left > 0; ++s) {
      const SegmentReader& seg = *snap_.segments()[s];
      docs.Clear();
      TermInfo lead_info;
      if (!terms_.Lookup(s, f, terms[lead], &lead_info)) continue;
      bool all = true;
      for (size_t i = 0; i < terms.size() && all; ++i) {
        TermInfo ti;
        all = terms_.Lookup(s, f, terms[i], &ti);
        if (all) docs.Add(seg.Postings(ti));
      }
      if (!all) {  // the lead's documents here hold no phrase, and count as walked
        left -= std::min<uint64_t>(left, lead_info.df);
        continue;
      }
      docs.SetLead(lead);
      for (uint32_t d = docs.lead().doc(); d != PostingsCursor::kEnd && left > 0; d = docs.NextLead()) {
        --left;
        if (docs.OthersOn(d) && !seg.IsDeleted(d) && docs.PhraseFreq() > 0) return true;
      }
    }
  }
  return false;
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
