// Searcher::WarmUp: what the first searches of a kind would build on first use, built now.
#include "rasai/analysis.h"
#include "rasai/index.h"
#include "rasai/search.h"
#include "rasai/term_lists.h"
#include "search/roman_lexicon.h"

namespace rasai {

void Searcher::WarmUp() const {
  const Snapshot& snap = *snapshot_;
  // The analyzer's tables (letter classes, normalization, compounds), built on first use.
  DefaultAnalyzer();
  // Typo tolerance scans each text field's terms by length.
  for (const auto& seg : snap.segments())
    for (size_t f = 0; f < snap.schema().fields.size(); ++f) seg->TermLengths(static_cast<int>(f));
  // Roman Urdu queries read the snapshot's Urdu vocabulary (per segment, then merged).
  RomanLexicon::Of(snap);
}

}  // namespace rasai
