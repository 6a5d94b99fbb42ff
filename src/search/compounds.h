// Internal: Urdu compounds written with or without the space, as a planning step: «وزیر اعظم»
// also finds «وزیراعظم» and the reverse, using the index's own dictionary as evidence that the
// other form exists.
//
// Thread-compatible (the Lexicon is one search's).
#pragma once

#include <string_view>

#include "search/lexicon.h"
#include "search/query.h"

namespace rasai {

// Adds to each single-word group the joined form of it and the next word, and the split forms of
// the word, where the collection writes them (as alternatives of weight 1).
void AddCompounds(Lexicon& lex, BooleanQuery* query);

// True when the term's last letter is of the Arabic script (Urdu compounds; English words are
// never glued: «air craft» is not «aircraft»).
bool EndsInArabicScript(std::string_view term);

}  // namespace rasai
