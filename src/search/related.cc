// Searcher::Related: the articles related to one (more-like-this). Its distinctive words make an
// ordinary query, scored and collected as any search is; the article itself, its edited copies
// and a second copy of any article shown are left out (duplicates.h).
#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "rasai/analysis.h"
#include "rasai/search.h"
#include "search/collector.h"
#include "search/duplicates.h"
#include "search/hits.h"
#include "search/maxscore_scorer.h"
#include "search/query.h"
#include "search/term_cache.h"
#include "search/weight.h"

namespace rasai {

Result<std::vector<Hit>> Searcher::Related(const std::string& id, uint32_t n) const {
  const Snapshot& snap = *snapshot_;
  int64_t where_doc = -1;
  uint32_t where_seg = 0;
  for (uint32_t s = static_cast<uint32_t>(snap.segments().size()); s-- > 0;) {
    where_doc = snap.segments()[s]->FindId(id);
    if (where_doc >= 0) {
      where_seg = s;
      break;
    }
  }
  if (where_doc < 0) return Status::NotFound("no document with id " + id);
  const SegmentReader& seg = *snap.segments()[where_seg];
  auto doc = seg.Stored(static_cast<uint32_t>(where_doc));
  if (!doc.ok()) return doc.status();
  const uint64_t self_hash = seg.Values(static_cast<uint32_t>(where_doc)).content_hash;
  // The document's distinctive terms: tf * idf over title and the start of the body.
  std::vector<Token> toks;
  const Analyzer& an = DefaultAnalyzer();
  std::string text = doc->title + "\n" + doc->title + "\n" + doc->body.substr(0, 6000);
  an.Analyze(text, &toks);
  std::unordered_map<std::string, int> tf;
  for (const Token& t : toks)
    if (!t.stop && t.term.size() >= 2) tf[t.term]++;
  const int body = std::max(0, snap.schema().FieldId("body"));
  const double N = static_cast<double>(std::max<uint64_t>(snap.field_stats(body).docs_with_field, 1));
  TermCache terms(snap);
  std::vector<std::pair<double, std::string>> ranked;
  for (auto& [t, c] : tf) {
    uint64_t df = terms.DocFreq(body, t);
    if (df < 2) continue;  // unique to this document: no evidence of relatedness
    ranked.emplace_back(c * std::log(N / df), t);
  }
  std::sort(ranked.rbegin(), ranked.rend());
  // An ordinary query: those terms, any of them (a weighted OR that rewards matching more), in
  // any field; its best documents but the article itself.
  BooleanQuery query;
  for (size_t i = 0; i < ranked.size() && i < 20; ++i) {
    AlternativesQuery g;
    g.Add(Alternative(TermQuery{ranked[i].second, -1}));
    query.groups.push_back(std::move(g));
  }
  query.coord_power = 0.5;
  QueryWeight weight(terms, query);
  TopDocsCollector best(2 * n + 8, TopDocsCollector::Order::kRelevance);
  SkipDocCollector others(&best, where_seg, static_cast<uint32_t>(where_doc));
  ScoreQuery(weight, &others);
  const std::vector<Candidate> top = best.Take();
  // Neither the document again (under another id, or edited) nor one article twice. Bodies are
  // compared only when what costs nothing to read says they could be one article: SimHashes at
  // most kCopyBits apart (as for result lists), or, where a segment keeps none, the stored lengths
  // (tokens, close to words, in a one-byte code) within a factor 4/3.
  struct Shown {
    uint32_t seg, doc, length;
    uint64_t simhash;
    bool keeps;  // the segment keeps SimHashes
    bool read;
    std::vector<uint64_t> shingles;
  };
  auto shown_at = [&](uint32_t s, uint32_t d) {
    const SegmentReader& r = *snap.segments()[s];
    return Shown{s, d, r.FieldLength(body, d), r.Values(d).simhash, r.KeepsSimHashes(), false, {}};
  };
  auto could_be_same = [](const Shown& a, const Shown& b) {
    if (a.keeps && b.keeps) return NearSimHashes(a.simhash, b.simhash);
    return 4 * std::min(a.length, b.length) >= 3 * std::max(a.length, b.length);
  };
  std::string prefix;
  auto shingle = [&](Shown& s) -> Status {  // the document's body is at hand; others read their start
    if (s.seg == where_seg && s.doc == static_cast<uint32_t>(where_doc)) {
      s.shingles = Shingles(doc->body);
    } else {
      RASAI_RETURN_IF_ERROR(StoredShingles(*snap.segments()[s.seg], s.doc, &prefix, &s.shingles));
    }
    s.read = true;
    return Status::OK();
  };
  std::vector<Hit> hits;
  std::unordered_set<uint64_t> seen = {self_hash};
  std::vector<Shown> shown = {shown_at(where_seg, static_cast<uint32_t>(where_doc))};
  for (const Candidate& c : top) {
    if (hits.size() >= n) break;
    if (!seen.insert(c.hash).second) continue;
    const SegmentReader& r = *snap.segments()[c.seg];
    Shown mine = shown_at(c.seg, c.doc);
    const bool compare = std::any_of(shown.begin(), shown.end(), [&](const Shown& s) { return could_be_same(s, mine); });
    auto d = r.StoredHead(c.doc);
    if (!d.ok()) return d.status();
    if (d->id == id) continue;
    if (compare) {
      RASAI_RETURN_IF_ERROR(shingle(mine));
      bool same = false;
      for (size_t i = 0; i < shown.size() && !same; ++i) {
        if (!could_be_same(shown[i], mine)) continue;
        if (!shown[i].read) RASAI_RETURN_IF_ERROR(shingle(shown[i]));
        same = SameArticle(shown[i].shingles, mine.shingles);
      }
      if (same) continue;
    }
    shown.push_back(std::move(mine));
    hits.push_back(MakeHit(std::move(*d), c.score));
  }
  return hits;
}

}  // namespace rasai
