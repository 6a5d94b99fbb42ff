// Internal: a query bound to a collection (Lucene's Weight): the BooleanQuery with the statistics
// its scores need, computed once for every segment: each text field's model (bm25f.h), each
// leaf's weight (alternative weight x idf), the coordination factors. It makes the LeafScorers
// of one segment (MakeScorers), which ScoreQuery (maxscore_scorer.h) drives.
//
// Thread-compatible: one per search; holds references to the query and the TermCache.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "rasai/index.h"
#include "search/bm25f.h"
#include "search/leaf_scorer.h"
#include "search/query.h"
#include "search/term_cache.h"

namespace rasai {

class QueryWeight {
 public:
  QueryWeight(TermCache& terms, const BooleanQuery& query);
  const Snapshot& snapshot() const { return terms_.snapshot(); }
  const BooleanQuery& query() const { return query_; }
  size_t groups() const { return query_.groups.size(); }
  // Coordination factor of a document matching `matched` groups: (matched / groups) ^ coord_power.
  double coord(size_t matched) const { return coord_[matched]; }
  // A document matching only the stopwords of a query that has other words is not a match
  // («بھلے فیدل کی»: the 35,000 documents with «کی» alone are not results). Queries made only of
  // stopwords («کیسے ہیں») match as usual.
  bool content_rule() const { return content_rule_; }

  // The leaves of segment `si` positioned on their first doc: the scoring ones in *leaves
  // (ordered by group, then alternative, then field), the exclusions' in *excl. A leaf whose
  // terms the segment lacks, or that holds no doc, is left out.
  void MakeScorers(uint32_t si, std::vector<LeafScorer>* leaves, std::vector<LeafScorer>* excl);

 private:
  struct Spec {  // one leaf: (group, alternative, field) with its weight
    int group, alt, field;
    double weight;
    const Alternative* a;
    bool exclude;
  };
  TermCache& terms_;
  const BooleanQuery& query_;
  std::vector<FieldModel> models_;
  std::vector<Spec> specs_;
  std::vector<double> coord_;
  bool content_rule_ = false;
};

}  // namespace rasai
