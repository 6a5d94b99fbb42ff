#include "search/proximity_rerank.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "rasai/postings.h"
#include "search/bm25f.h"

namespace rasai {
namespace {

constexpr double kProximityWeight = 1.0;  // for queries of more than kShortQuery words
// Lead bonus: a query word whose first occurrence in the body is at token position p adds
// idf * kLeadScale / (kLeadScale + p); the candidate's score is multiplied by
// 1 + kLeadWeight * (sum of those) / (sum of the query's idfs). News puts the facts a reader
// remembers in the first sentences.
constexpr double kLeadWeight = 12.0;
constexpr double kLeadScale = 50.0;
// Short queries (up to kShortQuery words) are the few words a visitor remembers from one passage;
// two more lead signals apply to them. Coverage: when every query word occurs in the body, and P is
// the position by which all of them have appeared, the score is also multiplied by
// 1 + kCoverageWeight * lead(P). Lead against the body's end: a position p counts as
// s(p) - kLeadRelative * s(body length), s(x) = kLeadScale / (kLeadScale + x), so that a one-line
// headline, where every word is "early", does not earn what an article earns by naming the words
// in its first sentence.
constexpr double kCoverageWeight = 3.0;
constexpr double kLeadRelative = 0.5;

}  // namespace

// Proximity: query words that stand close together in a document (as in the sentence the visitor
// remembers) raise it among the candidates. For each pair of query groups (adjacent pairs only in
// long queries), the smallest distance between their words in one field adds min(idf)/distance.
// Lead position: query words that occur early in the body (see kLeadWeight, kCoverageWeight)
// multiply the score.
void RerankByProximity(TermCache& terms, const BooleanQuery& query, std::vector<Candidate>* top, size_t limit) {
  const Snapshot& snap = terms.snapshot();
  const size_t nscoring = query.groups.size();
  // Short queries are ranked near-AND already; proximity measured no gain there (docs/analysis.md),
  // so they get the lead bonuses only.
  const bool short_query = nscoring <= kShortQuery;
  const double lambda = short_query ? 0.0 : kProximityWeight;
  const bool proximity = lambda > 0;  // else the positions of fields other than the body go unused
  auto early = [](double p) { return kLeadScale / (kLeadScale + p); };
  if (top->empty()) return;
  const int nfields = static_cast<int>(snap.schema().fields.size());
  const size_t n = std::min(limit, top->size());
  const bool adjacent_only = nscoring > 8;
  // idf of each group: the largest of its single-term alternatives (body-level statistic).
  std::vector<double> gidf(nscoring, 0);
  const int body = std::max(0, snap.schema().FieldId("body"));
  const double N = static_cast<double>(std::max<uint64_t>(snap.field_stats(body).docs_with_field, 1));
  for (size_t g = 0; g < nscoring; ++g)
    for (const Alternative& a : query.groups[g].alts) {
      double df = static_cast<double>(terms.DocFreq(body, a.terms[0]));
      gidf[g] = std::max(gidf[g], Idf(N, df));
    }
  double gidf_sum = 1e-9;
  for (double v : gidf) gidf_sum += v;
  std::vector<std::vector<uint32_t>> pos(nscoring);
  std::vector<uint32_t> tmp;
  // Candidates in (segment, doc) order, so that one cursor per (field, group, alternative) and
  // segment, looked up once, only ever moves forward; bonuses are applied in the original order.
  std::vector<size_t> order(n);
  for (size_t c = 0; c < n; ++c) order[c] = c;
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const Candidate& a = (*top)[x];
    const Candidate& b = (*top)[y];
    return a.seg != b.seg ? a.seg < b.seg : a.doc < b.doc;
  });
  std::vector<double> bonuses(n, 0);
  // slot_start[f * nscoring + g] indexes the first cursor slot of group g in field f.
  std::vector<size_t> slot_start(static_cast<size_t>(nfields) * nscoring + 1);
  std::vector<PostingsCursor> cursors;
  std::vector<char> usable;
  uint32_t cur_seg = UINT32_MAX;
  for (size_t oi = 0; oi < n; ++oi) {
    const size_t c = order[oi];
    Candidate& cand = (*top)[c];
    const SegmentReader& seg = *snap.segments()[cand.seg];
    if (cand.seg != cur_seg) {
      cur_seg = cand.seg;
      cursors.clear();
      usable.clear();
      cursors.reserve(slot_start.size() * 2);
      size_t slot = 0;
      for (int f = 0; f < nfields; ++f)
        for (size_t g = 0; g < nscoring; ++g) {
          slot_start[static_cast<size_t>(f) * nscoring + g] = slot;
          if (!proximity && f != body) continue;  // only the body's lead counts
          for (const Alternative& a : query.groups[g].alts) {
            if (a.field >= 0 && a.field != f) continue;
            TermInfo ti;
            if (!terms.Lookup(cand.seg, f, a.terms[0], &ti)) {
              cursors.emplace_back();
              usable.push_back(0);
            } else {
              cursors.push_back(seg.Postings(ti));
              usable.push_back(1);
            }
            ++slot;
          }
        }
      slot_start.back() = slot;
    }
    double bonus = 0, lead = 0;
    // What a position counts for is measured against the body's end (short queries only).
    const double end_lead = short_query ? kLeadRelative * early(seg.FieldLength(body, cand.doc)) : 0;
    double covered = 0;  // the body position by which every query word has appeared
    size_t body_missing = 0;  // query groups absent from the body
    for (int f = 0; f < nfields; ++f) {
      if (!proximity && f != body) continue;
      for (size_t g = 0; g < nscoring; ++g) {
        pos[g].clear();
        const size_t from = slot_start[static_cast<size_t>(f) * nscoring + g];
        const size_t to = slot_start[static_cast<size_t>(f) * nscoring + g + 1];
        for (size_t s = from; s < to; ++s) {
          if (!usable[s]) continue;
          PostingsCursor& pc = cursors[s];
          if (pc.Advance(cand.doc) != cand.doc) continue;
          if (!proximity) {  // the lead needs the first position only
            const uint32_t p = pc.FirstPosition();
            if (p != PostingsCursor::kEnd && (pos[g].empty() || p < pos[g][0])) pos[g].assign(1, p);
            continue;
          }
          pc.Positions(&tmp);
          pos[g].insert(pos[g].end(), tmp.begin(), tmp.end());
        }
        std::sort(pos[g].begin(), pos[g].end());
        if (f == body && pos[g].empty()) ++body_missing;
        if (f == body && !pos[g].empty()) {
          lead += gidf[g] * (early(pos[g][0]) - end_lead);
          covered = std::max<double>(covered, pos[g][0]);
        }
      }
      for (size_t i = 0; lambda > 0 && i < nscoring; ++i) {
        if (pos[i].empty()) continue;
        for (size_t j = i + 1; j < nscoring && (!adjacent_only || j == i + 1); ++j) {
          if (pos[j].empty()) continue;
          // Smallest |pi - pj| by a merge of the two sorted lists.
          uint32_t best = UINT32_MAX;
          size_t a = 0, b = 0;
          while (a < pos[i].size() && b < pos[j].size() && best > 1) {
            uint32_t x = pos[i][a], y = pos[j][b];
            best = std::min(best, x > y ? x - y : y - x);
            if (x < y) ++a; else ++b;
          }
          if (best == 0) best = 1;
          if (best <= 16) bonus += std::min(gidf[i], gidf[j]) / best;
        }
      }
    }
    double mult = 1 + kLeadWeight * lead / gidf_sum;
    if (short_query && body_missing == 0) mult *= 1 + kCoverageWeight * (early(covered) - end_lead);
    bonuses[c] = lambda * bonus + cand.score * (mult - 1);
  }
  for (size_t c = 0; c < n; ++c) (*top)[c].score += bonuses[c];
  std::stable_sort(top->begin(), top->begin() + n, [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
}

}  // namespace rasai
