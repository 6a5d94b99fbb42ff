// Searcher::Search: one search, start to end. Where each part is:
//
//   planned    planner.h       the visitor's text -> the query tree (query.h)
//   weighted   weight.h        the query with the collection's statistics (bm25f.h)
//   scored     maxscore_scorer.h  MaxScore over the leaves' and groups' scorers
//   collected  collector.h     top-k, facets, count, filters
//   reranked   proximity_rerank.h, then query_language.h (the visitor's language first)
//   collapsed  duplicates.h    one article once; edited copies named
//   shown      snippet.h       the hits' snippets
//
// Searcher::Related is in related.cc, Searcher::Suggest in suggest.cc, Searcher::WarmUp in
// warm_up.cc.
#include <algorithm>
#include <chrono>

#include "rasai/search.h"
#include "search/collector.h"
#include "search/duplicates.h"
#include "search/hits.h"
#include "search/maxscore_scorer.h"
#include "search/planner.h"
#include "search/proximity_rerank.h"
#include "search/query_language.h"
#include "search/snippet.h"
#include "search/term_cache.h"
#include "search/weight.h"
#include "util/date.h"
#include "util/utf8.h"

namespace rasai {
namespace {

// What one run of the query collected.
struct Collected {
  std::vector<Candidate> top;  // best first
  uint64_t total = 0;
  bool total_exact = true;  // false when pruning skipped documents: total is then an estimate
  std::map<std::string, std::map<std::string, uint64_t>> facets;
};

// Scores the query and collects what the request asks: its `depth` best in `order` (none for a
// count), facets, filters applied.
Collected Run(QueryWeight& weight, const DocFilters& filters, size_t depth, TopDocsCollector::Order order,
              bool facets, bool count_only) {
  Collected out;
  TopDocsCollector top(depth, order);
  CountCollector count;
  Collector* c = count_only ? static_cast<Collector*>(&count) : &top;
  FacetCollector facet(c);
  if (facets) c = &facet;
  FilterCollector filter(c, filters);
  if (!filters.empty()) c = &filter;
  const ScoreCoverage coverage = ScoreQuery(weight, c);
  out.total = EstimateTotal(count_only ? count.total() : top.total(), coverage, !filters.empty(), &out.total_exact);
  out.top = top.Take();
  if (facets) out.facets = facet.Take();
  return out;
}

}  // namespace

Searcher::Searcher(std::shared_ptr<const Snapshot> snapshot) : snapshot_(std::move(snapshot)) {}
Searcher::~Searcher() = default;

Result<SearchResult> Searcher::Search(const SearchRequest& req) const {
  const auto t0 = std::chrono::steady_clock::now();
  SearchResult res;
  const Snapshot& snap = *snapshot_;
  TermCache terms(snap);
  Planner planner(terms);
  const std::string query = IsValidUtf8(req.query) ? req.query : RepairUtf8(req.query);
  QueryPlan plan = planner.Plan(query);
  DocFilters filters;
  filters.lang = !req.lang.empty() ? req.lang : plan.parsed.lang;
  filters.source = !req.source.empty() ? req.source : plan.parsed.source;
  filters.category = !req.category.empty() ? req.category : plan.parsed.category;
  filters.from = DateBoundKey(!req.date_from.empty() ? req.date_from : plan.parsed.date_from, false);
  filters.to = DateBoundKey(!req.date_to.empty() ? req.date_to : plan.parsed.date_to, true);
  TopDocsCollector::Order order = plan.parsed.sort == ParsedQuery::Sort::kDateDesc  ? TopDocsCollector::Order::kDateDesc
                                  : plan.parsed.sort == ParsedQuery::Sort::kDateAsc ? TopDocsCollector::Order::kDateAsc
                                                                                    : TopDocsCollector::Order::kRelevance;
  if (req.sort == SearchRequest::Sort::kDateDesc) order = TopDocsCollector::Order::kDateDesc;
  if (req.sort == SearchRequest::Sort::kDateAsc) order = TopDocsCollector::Order::kDateAsc;
  const size_t n = std::min<uint32_t>(req.n, 1000), offset = std::min<uint32_t>(req.offset, 10000);
  const size_t want = n + offset;
  // Queries in relevance order are reranked (proximity for long ones, lead position for all),
  // from the best kRerankDepth candidates; date orders need the `want` best (a smaller k also
  // raises the pruning threshold). Collapsing keeps the first document of each content hash, so
  // when the best hold fewer than `want` distinct articles and more documents match, the search
  // runs again twice as deep, until they do or none is left: a deeper run's first candidates are
  // the shallower run's (the order is total), so only the hits past them change. Facets and
  // n = 0 (a count) ask for an exact total: every match is collected.
  const bool rerank = order == TopDocsCollector::Order::kRelevance;
  const bool count_only = n == 0;
  QueryWeight weight(terms, plan.query);
  size_t depth = rerank ? std::max<size_t>(want, kRerankDepth) : std::max<size_t>(want, 1);
  Collected col = Run(weight, filters, depth, order, req.facets, count_only);
  while (req.collapse_duplicates && col.top.size() >= depth) {
    const std::vector<char> first = FirstOfHash(col.top);
    if (static_cast<size_t>(std::count(first.begin(), first.end(), 1)) >= want) break;
    depth *= 2;
    col = Run(weight, filters, depth, order, req.facets, count_only);
  }
  if (rerank) RerankByProximity(terms, plan.query, &col.top, kRerankDepth);
  // The visitor's language first, among near-equal matches (unless the query names one).
  if (rerank && filters.lang.empty())
    PreferLanguage(snap, QueryLanguage(query, !plan.transliteration.empty()), &col.top, kRerankDepth);
  res.total = col.total;
  res.total_exact = col.total_exact;
  res.facets = std::move(col.facets);
  res.suggestion = plan.suggestion;
  res.transliteration = plan.transliteration;
  // The hits shown: the first candidate of each content hash (all of them without collapsing),
  // past the offset. An edited copy of an article listed before it (on this page or an earlier
  // one) stays in its place, and says which one it copies (Hit::copy_of): the results page shows
  // it as a line under that article.
  std::vector<char> keep = req.collapse_duplicates ? FirstOfHash(col.top) : std::vector<char>(col.top.size(), 1);
  std::vector<const Candidate*> listed;
  for (size_t i = 0; i < col.top.size() && listed.size() < want; ++i)
    if (keep[i]) listed.push_back(&col.top[i]);
  const size_t first = std::min(offset, listed.size());  // listed[first + k] is shown[k]
  const std::vector<const Candidate*> shown(listed.begin() + static_cast<std::ptrdiff_t>(first), listed.end());
  std::vector<int> copy_of(listed.size(), -1);
  if (req.collapse_duplicates) {
    auto copies = EditedCopies(snap, listed, first);
    if (!copies.ok()) return copies.status();
    copy_of = std::move(*copies);
  }
  SnippetMaker snippets(snap, plan.highlight);
  snippets.SetPhrases(plan.highlight_phrases);
  snippets.SetLookup([&terms](uint32_t seg, int field, const std::string& t, TermInfo* ti) {
    return terms.Lookup(seg, field, t, ti);
  });
  if (req.snippets) {  // their term positions in one pass
    std::vector<std::pair<uint32_t, uint32_t>> docs;
    for (const Candidate* c : shown) docs.emplace_back(c->seg, c->doc);
    snippets.Prepare(std::move(docs));
  }
  for (size_t k = 0; k < shown.size(); ++k) {
    const Candidate* c = shown[k];
    // The hit's fields; the snippet reads what it needs of the body.
    auto doc = snap.segments()[c->seg]->StoredHead(c->doc);
    if (!doc.ok()) return doc.status();
    Hit h = MakeHit(std::move(*doc), c->score);
    if (req.snippets) {
      auto snippet = snippets.Make(c->seg, c->doc);
      if (!snippet.ok()) return snippet.status();
      h.snippet = std::move(*snippet);
    }
    if (copy_of[first + k] >= 0) {
      const size_t o = static_cast<size_t>(copy_of[first + k]);
      if (o >= first) {
        h.copy_of = res.hits[o - first].id;
      } else {  // on an earlier page
        auto orig = snap.segments()[listed[o]->seg]->StoredHead(listed[o]->doc);
        if (!orig.ok()) return orig.status();
        h.copy_of = orig->id;
      }
    }
    res.hits.push_back(std::move(h));
  }
  res.took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace rasai
