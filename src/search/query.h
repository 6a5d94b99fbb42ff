// Internal: the query tree one search runs: what the planner (planner.h) builds from the visitor's
// text, and what the weight (weight.h) turns into scorers.
//
//   BooleanQuery          the query: groups, scored, and exclusions (-word), matched only
//    └ AlternativesQuery  one group: a word, a quoted phrase or an OR as typed, with every way
//       └ Alternative     it may match (itself, compound forms, typo corrections, prefix
//          = TermQuery      expansions, other spellings), each a term or a phrase with a weight
//          | PhraseQuery    relative to an exact match
//
// A document's score is coord(groups matched) * the sum over matched groups of the group's best
// alternative (weight.h, bm25f.h). To give a word more ways to match, add Alternatives to its
// group (AlternativesQuery::Add): the scorers need nothing more.
//
// Plain values; thread-compatible.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "search/query_parser.h"

namespace rasai {

// Queries of up to this many groups are the few words a visitor remembers from one passage:
// ranked near-AND (coord_power, planner.cc) and with the lead bonuses (proximity_rerank.cc).
constexpr size_t kShortQuery = 4;

// One analysed term, in text field `field` (an id of the schema) or in every one (-1).
struct TermQuery {
  std::string term;
  int field = -1;
};

// Analysed terms at consecutive word positions, in one field (`field`, or any one when -1).
struct PhraseQuery {
  std::vector<std::string> terms;
  int field = -1;
};

// One way a group can match: a term or a phrase, weighted.
struct Alternative {
  Alternative() = default;
  Alternative(TermQuery q, double w = 1.0, bool is_stop = false)
      : terms{std::move(q.term)}, weight(w), field(q.field), stop(is_stop) {}
  Alternative(PhraseQuery q, double w = 1.0, bool is_stop = false)
      : terms(std::move(q.terms)), weight(w), field(q.field), stop(is_stop) {}

  std::vector<std::string> terms;  // one: a term; more: a phrase
  double weight = 1.0;             // relative to an exact match (1.0)
  int field = -1;                  // -1 = every text field
  bool stop = false;               // a stopword: alone it does not make a document a match
  bool IsTerm() const { return terms.size() == 1; }
};

// A group: the best of its alternatives scores (each alternative's fields saturated together).
struct AlternativesQuery {
  std::vector<Alternative> alts;  // the first is the word as typed (analysed)
  bool stop = false;              // the word is a stopword (long queries drop such groups)
  std::string surface;            // the word as typed, for "did you mean"
  void Add(Alternative a) { alts.push_back(std::move(a)); }
};

struct BooleanQuery {
  std::vector<AlternativesQuery> groups;      // scored, in the order typed
  std::vector<AlternativesQuery> exclusions;  // a document matching any alternative is dropped
  // coord(m) = (m / groups.size()) ^ coord_power: near-AND for short queries, a weighted OR that
  // still rewards matching more words for long ones.
  double coord_power = 2.0;
};

// What the planner hands the searcher: the query, and what the result page needs of the plan.
struct QueryPlan {
  BooleanQuery query;
  std::unordered_set<std::string> highlight;                // words a snippet marks wherever they occur
  std::vector<std::vector<std::string>> highlight_phrases;  // and phrases it marks where they stand
  ParsedQuery parsed;                                       // filters and order written in the query
  std::string suggestion;                                   // "did you mean", "" when none
  std::string transliteration;  // the query with its Roman Urdu words in Urdu script, "" when none
};

}  // namespace rasai
