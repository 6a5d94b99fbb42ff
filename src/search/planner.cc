#include "search/planner.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "rasai/analysis.h"
#include "search/compounds.h"
#include "search/roman_query.h"
#include "search/typos.h"

namespace rasai {
namespace {

constexpr size_t kMaxGroups = 48;       // scoring groups kept from a very long query
constexpr size_t kMaxPrefixTerms = 64;  // expansions of one prefix*
// The expansions of all the prefixes of one query (each keeps at least kMinPrefixTerms), and the
// alternatives of one group (an OR, a prefix, with compounds and corrections): bounds on what one
// query can ask, so that «ک* OR ک* OR …» or a line of one-letter prefixes is answered in tens of
// milliseconds rather than seconds.
constexpr size_t kPrefixTermsPerQuery = 128, kMinPrefixTerms = 4;
constexpr size_t kMaxAlts = 64;
constexpr size_t kKeepStopwordsUpTo = 6;  // queries this short keep their stopwords

// Keeps the `k` items of *items with the smallest df_of (0, a word the index lacks, counts as
// the largest; ties: the first), in their order.
template <typename T, typename DfOf>
void KeepRarest(std::vector<T>* items, size_t k, DfOf&& df_of) {
  if (items->size() <= k) return;
  std::vector<std::pair<uint64_t, size_t>> rank;
  for (size_t i = 0; i < items->size(); ++i) {
    const uint64_t df = df_of((*items)[i]);
    rank.emplace_back(df == 0 ? UINT64_MAX : df, i);
  }
  std::sort(rank.begin(), rank.end());
  std::vector<char> keep(items->size(), 0);
  for (size_t j = 0; j < k; ++j) keep[rank[j].second] = 1;
  std::vector<T> kept;
  for (size_t i = 0; i < items->size(); ++i)
    if (keep[i]) kept.push_back(std::move((*items)[i]));
  *items = std::move(kept);
}

// The `limit` most frequent terms starting with `prefix` (in `field`, or any), as alternatives.
void ExpandPrefix(Lexicon& lex, const std::string& prefix, int field, size_t limit, AlternativesQuery* g) {
  const auto& byfreq = lex.TermsWithPrefix(prefix, field);
  for (size_t i = 0; i < byfreq.size() && i < limit; ++i)
    g->Add(Alternative(TermQuery{byfreq[i].second, field}, byfreq[i].second == prefix ? 1.0 : 0.8));
}

}  // namespace

Planner::Planner(TermCache& terms) : snap_(terms.snapshot()), lex_(terms), an_(DefaultAnalyzer()) {}

QueryPlan Planner::Plan(const std::string& text) {
  QueryPlan plan;
  plan.parsed = ParseQuery(text);
  BooleanQuery& q = plan.query;
  std::map<int, size_t> or_groups;  // or_group id -> index in q.groups
  std::set<std::pair<std::string, std::string>> prefixes;  // (field, text) of each distinct prefix*
  for (const QueryItem& it : plan.parsed.items)
    if (it.prefix) prefixes.emplace(it.field, it.text);
  const size_t prefix_terms =
      std::clamp(kPrefixTermsPerQuery / std::max<size_t>(prefixes.size(), 1), kMinPrefixTerms, kMaxPrefixTerms);
  size_t expanded = 0;
  for (const QueryItem& it : plan.parsed.items) {
    const int field = it.field.empty() ? -1 : snap_.schema().FieldId(it.field);
    if (!it.field.empty() && field < 0) continue;  // a field this index does not have
    std::vector<Token> toks;
    an_.Analyze(it.text, &toks);
    if (toks.empty()) continue;
    std::vector<AlternativesQuery> made;
    if (it.kind == QueryItem::Kind::kPhrase) {
      AlternativesQuery g;
      PhraseQuery phrase;
      uint32_t last = 0xffffffffu;
      for (const Token& t : toks) {
        if (t.position == last) continue;
        last = t.position;
        phrase.terms.push_back(t.term);
      }
      phrase.field = field;
      g.Add(Alternative(std::move(phrase)));
      g.surface = it.text;
      made.push_back(std::move(g));
    } else if (it.prefix && toks.size() == 1) {
      AlternativesQuery g;
      g.surface = it.text;
      // The first kMaxGroups prefixes are expanded (more would not be kept); the others are
      // looked for as typed.
      if (expanded++ < kMaxGroups) ExpandPrefix(lex_, toks[0].term, field, prefix_terms, &g);
      if (g.alts.empty()) g.Add(Alternative(TermQuery{toks[0].term, field}));
      made.push_back(std::move(g));
    } else {
      uint32_t last = 0xffffffffu;
      for (const Token& t : toks) {
        if (t.position == last && !made.empty()) {
          made.back().Add(Alternative(TermQuery{t.term, field}, 1.0, t.stop));
          continue;
        }
        last = t.position;
        AlternativesQuery g;
        g.Add(Alternative(TermQuery{t.term, field}, 1.0, t.stop));
        g.stop = t.stop;
        const size_t b = std::min<size_t>(t.begin, it.text.size()), e = std::min<size_t>(t.end, it.text.size());
        g.surface = it.text.substr(b, e - b);
        made.push_back(std::move(g));
      }
    }
    for (AlternativesQuery& g : made) {
      if (it.exclude) {
        q.exclusions.push_back(std::move(g));
      } else if (it.or_group >= 0 && or_groups.count(it.or_group)) {
        AlternativesQuery& target = q.groups[or_groups[it.or_group]];
        for (auto& a : g.alts) target.Add(std::move(a));
        target.stop = target.stop && g.stop;
      } else {
        if (it.or_group >= 0) or_groups[it.or_group] = q.groups.size();
        q.groups.push_back(std::move(g));
      }
    }
  }
  plan.transliteration = AddRomanUrdu(lex_, &q);
  // Stopwords: long queries score without them (unless they are all there is).
  bool all_stop = true;
  for (const AlternativesQuery& g : q.groups) all_stop = all_stop && g.stop;
  // Short queries keep them: «کیسے ہیں» still tells which article is meant.
  if (!all_stop && q.groups.size() > kKeepStopwordsUpTo) {
    std::vector<AlternativesQuery> kept;
    for (auto& g : q.groups) {
      bool phrase = g.alts.size() == 1 && g.alts[0].terms.size() > 1;
      if (!g.stop || phrase) kept.push_back(std::move(g));
    }
    q.groups = std::move(kept);
  }
  // The same alternative twice in a group («کے OR کے», «ک* OR ک*») adds nothing: the first
  // stays, with the larger weight. A group of more than kMaxAlts keeps its rarest (as a pasted
  // page keeps its rarest words, below), in the order typed.
  for (auto& g : q.groups) {
    std::vector<Alternative> kept;
    for (auto& a : g.alts) {
      auto same = std::find_if(kept.begin(), kept.end(),
                               [&](const Alternative& k) { return k.field == a.field && k.terms == a.terms; });
      if (same == kept.end()) kept.push_back(std::move(a));
      else same->weight = std::max(same->weight, a.weight);
    }
    KeepRarest(&kept, kMaxAlts, [&](const Alternative& a) { return lex_.Df(a.terms[0], a.field); });
    g.alts = std::move(kept);
  }
  // Duplicate single-term groups add nothing.
  {
    std::unordered_set<std::string> seen;
    std::vector<AlternativesQuery> kept;
    for (auto& g : q.groups) {
      std::string key;
      for (const auto& a : g.alts) {
        for (const auto& t : a.terms) key += t + " ";
        key += "|" + std::to_string(a.field) + ";";
      }
      if (seen.insert(key).second) kept.push_back(std::move(g));
    }
    q.groups = std::move(kept);
  }
  // A pasted page: keep the rarest words.
  KeepRarest(&q.groups, kMaxGroups, [&](const AlternativesQuery& g) {
    uint64_t df = 0;
    for (const auto& a : g.alts) df = std::max(df, lex_.Df(a.terms[0], a.field));
    return df;
  });
  AddCompounds(lex_, &q);
  plan.suggestion = AddTypos(lex_, &q);
  // Snippets mark a phrase's words (a quoted phrase, a compound looked for as two words) only
  // where they stand together: «کرکٹ» is also looked for as «کر کٹ», not as every «کر».
  for (const auto& g : q.groups)
    for (const auto& a : g.alts) {
      if (a.terms.size() == 1) plan.highlight.insert(a.terms[0]);
      else if (std::find(plan.highlight_phrases.begin(), plan.highlight_phrases.end(), a.terms) == plan.highlight_phrases.end())
        plan.highlight_phrases.push_back(a.terms);
    }
  // Longer natural-language queries: a weighted OR that still rewards matching more words.
  q.coord_power = q.groups.size() <= kShortQuery ? 10.0 : 0.5;
  return plan;
}

}  // namespace rasai
