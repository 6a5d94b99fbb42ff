// Internal: the second ranking pass over the best candidates of a relevance-ordered search:
// proximity (query words standing close together, as in the sentence the visitor remembers) and
// lead position (query words early in the body, where news puts the facts).
//
// Thread-compatible (the TermCache is one search's).
#pragma once

#include <cstddef>
#include <vector>

#include "search/collector.h"
#include "search/query.h"
#include "search/term_cache.h"

namespace rasai {

// Candidates reranked by proximity and lead position (100 measured no better).
constexpr size_t kRerankDepth = 30;

// Adds the bonuses to the scores of the first `limit` candidates of *top (best first) and
// reorders them by the new scores (stable); the others are left as they are.
void RerankByProximity(TermCache& terms, const BooleanQuery& query, std::vector<Candidate>* top, size_t limit);

}  // namespace rasai
