// Internal: the words that follow a word in the collection, for completions after a word
// (Searcher::Suggest, suggest.cc): «نواز ش» -> «شریف», «سپریم کو» -> «کورٹ».
//
// Thread-safety: thread-safe; reads an immutable snapshot.
#pragma once

#include <map>
#include <string>

#include "rasai/index.h"

namespace rasai {

// A title counts this many times a body's occurrence, in completions as in the plain ranking.
constexpr double kTitleBoost = 4;

// Words that follow `prev` in the collection and start with `prefix` (any word when it is
// empty), for completions after a word («نواز ش» → «شریف», «سپریم کو» → «کورٹ»): term ->
// estimated number of documents holding the pair, a title counting kTitleBoost times as in the
// plain ranking, and the word as most often written there. Counted over a sample of the
// documents holding `prev`, up to kContextDocs per field, spread evenly over each segment's list:
// titles are analyzed whole from the stored heads (they are short); bodies are read through the
// token offsets, up to the word after each of `prev`'s first 4 occurrences that lie in the first
// 8 KiB. The sample finds the words; for the kContextExact likeliest the pair's documents are
// then counted (PairDocs), so that a sample's luck does not put «قومی اسکواڈ» before «قومی اسمبلی».
// A word seen once in the sample is kept (over the first two words of the dev queries, asking for
// two sightings put the typed word first less often: docs/analysis.md §8). Stopwords are left out
// («نواز » → «شریف», not «اور»; Suggest offers none). A damaged record only leaves its document out.
//
// English terms are stems, and a stem stands for several words: "operating" and "operation" are
// both «oper», and "Operation Sealion" is no completion of "operating ". When `prev_word` (the
// previous word as typed, lower-cased) is given, an occurrence counts only where the text writes
// that word, and the counts stay the sample's (postings know stems, not words).
struct NextWord {
  double docs = 0;
  std::string written;  // the commonest spelling seen after `prev` (lower-cased), "" if none
};
std::map<std::string, NextWord> NextWords(const Snapshot& snap, const std::string& prev, const std::string& prev_word,
                                          const std::string& prefix);

}  // namespace rasai
