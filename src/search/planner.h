// Internal: query planning: the visitor's text -> the query tree (query.h) a search runs.
//
//   ParseQuery (query_parser.h)      words, "phrases", -exclusions, OR, field:, prefix*, filters
//   -> one group per word as typed  analysed; a word the analyser gives two terms holds both
//   -> AddRomanUrdu (roman_query.h) Roman Urdu words («hukumat») also match their Urdu readings
//   -> stopwords, duplicates, bounds long queries drop stopwords, a pasted page keeps its rarest words
//   -> prefix expansions             prefix* matches its most common terms
//   -> AddCompounds (compounds.h)    Urdu compounds written with or without the space
//   -> AddTypos (typos.h)            words the index lacks match their nearest terms; "did you mean"
//   -> coordination, highlights
//
// A step that gives words more ways to match (another spelling, another script) adds
// Alternatives to their groups between these steps, asking the Lexicon what the collection holds.
//
// Thread-compatible: a Planner belongs to one search (one thread).
#pragma once

#include <string>

#include "search/lexicon.h"
#include "search/query.h"
#include "search/term_cache.h"

namespace rasai {

class Analyzer;

class Planner {
 public:
  explicit Planner(TermCache& terms);
  // The plan of `query` (well-formed UTF-8). Never fails: what the index lacks matches nothing.
  QueryPlan Plan(const std::string& query);
  Lexicon& lexicon() { return lex_; }

 private:
  const Snapshot& snap_;
  Lexicon lex_;
  const Analyzer& an_;
};

}  // namespace rasai
