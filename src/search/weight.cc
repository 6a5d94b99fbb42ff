#include "search/weight.h"

#include <algorithm>
#include <cmath>

namespace rasai {

QueryWeight::QueryWeight(TermCache& terms, const BooleanQuery& query) : terms_(terms), query_(query) {
  const Snapshot& snap = terms.snapshot();
  const int nfields = static_cast<int>(snap.schema().fields.size());
  models_.resize(nfields);
  for (int f = 0; f < nfields; ++f) {
    FieldStats st = snap.field_stats(f);
    const auto& name = snap.schema().fields[f];
    models_[f] = {FieldWeight(name), FieldB(name),
                  st.docs_with_field ? static_cast<double>(st.total_length) / st.docs_with_field : 1.0, {}};
  }
  // One idf per term for all the fields an alternative may match (BM25F), from the largest of its
  // per-field document frequencies (a lower bound of the documents holding it).
  const size_t ngroups = query.groups.size();
  for (size_t gi = 0; gi < ngroups + query.exclusions.size(); ++gi) {
    const bool exclude = gi >= ngroups;
    const AlternativesQuery& g = exclude ? query.exclusions[gi - ngroups] : query.groups[gi];
    for (size_t ai = 0; ai < g.alts.size(); ++ai) {
      const Alternative& a = g.alts[ai];
      double idfsum = 0;  // the same for every field of the alternative
      if (!exclude) {
        uint64_t docs = 1;
        for (int h = 0; h < nfields; ++h)
          if (a.field < 0 || a.field == h) docs = std::max<uint64_t>(docs, snap.field_stats(h).docs_with_field);
        const double n = static_cast<double>(docs);
        for (const auto& t : a.terms) {
          uint64_t dfmax = 0;
          for (int h = 0; h < nfields; ++h)
            if (a.field < 0 || a.field == h) dfmax = std::max<uint64_t>(dfmax, terms.DocFreq(h, t));
          idfsum += Idf(n, static_cast<double>(dfmax));
        }
      }
      for (int f = 0; f < nfields; ++f)
        if (a.field < 0 || a.field == f)
          specs_.push_back(Spec{static_cast<int>(gi), static_cast<int>(ai), f, a.weight * idfsum, &a, exclude});
    }
  }
  // Coordination factor by number of matched groups (the same std::pow, computed once).
  const double nscoring = static_cast<double>(ngroups);
  coord_.resize(ngroups + 1);
  for (size_t m = 0; m <= ngroups; ++m) coord_[m] = std::pow(static_cast<uint32_t>(m) / nscoring, query.coord_power);
  bool has_stop = false, has_content = false;
  for (const AlternativesQuery& g : query.groups)
    for (const Alternative& a : g.alts) (a.stop ? has_stop : has_content) = true;
  content_rule_ = has_stop && has_content;
}

void QueryWeight::MakeScorers(uint32_t si, std::vector<LeafScorer>* leaves, std::vector<LeafScorer>* excl) {
  const SegmentReader& seg = *terms_.snapshot().segments()[si];
  leaves->clear();
  excl->clear();
  for (const Spec& sp : specs_) {
    const Alternative& a = *sp.a;
    LeafScorer leaf;
    leaf.group = sp.group;
    leaf.alt = sp.alt;
    leaf.field = sp.field;
    leaf.stop = a.stop;
    leaf.model = &models_[sp.field];
    leaf.weight = sp.weight;
    bool ok = true;
    leaf.postings.Reserve(a.terms.size());
    for (const auto& t : a.terms) {
      TermInfo ti;
      if (!terms_.Lookup(si, sp.field, t, &ti)) {
        ok = false;
        break;
      }
      leaf.postings.Add(seg.Postings(ti));
    }
    if (!ok) continue;
    if (a.terms.size() > 1 && std::all_of(a.terms.begin(), a.terms.end(), [&](const std::string& t) { return t == a.terms[0]; }))
      leaf.postings.SetRepeatedTerm(static_cast<uint32_t>(a.terms.size()));
    leaf.Align(0);
    if (leaf.doc == PostingsCursor::kEnd) continue;
    (sp.exclude ? excl : leaves)->push_back(std::move(leaf));
  }
}

}  // namespace rasai
