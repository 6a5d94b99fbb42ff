// Internal: typo tolerance, as a planning step: a word found nowhere in the index also matches
// its nearest frequent terms (edit distance 1, or 2 for words of 8 letters or more), and the
// query with the likeliest corrections is the "did you mean".
//
// Thread-compatible (the Lexicon is one search's); BoundedEditDistance is thread-safe.
#pragma once

#include <string>

#include "search/lexicon.h"
#include "search/query.h"

namespace rasai {

// Adds corrections (weight 0.8 at one edit, 0.6 at two) to the groups of words the index lacks;
// short queries only (a dictionary scan per unknown word). Returns the suggested query, "" when
// no word was corrected.
std::string AddTypos(Lexicon& lex, BooleanQuery* query);

// Edit distance (optimal string alignment: insert, delete, substitute, swap two neighbours) with
// an early exit: max + 1 as soon as the distance exceeds `max`.
int BoundedEditDistance(const std::u32string& a, const std::u32string& b, int max);

}  // namespace rasai
