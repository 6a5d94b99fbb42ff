#include "search/maxscore_scorer.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <vector>

#include "search/alternatives_scorer.h"

namespace rasai {
namespace {

// Bounds are sums taken in another order than the scores they bound; each bound is inflated by
// this relative amount so that rounding never prunes a document that could reach the threshold.
constexpr double kBoundSlack = 1e-9;
// Seeding (below): the rarer groups of a query are scored first when together they match at
// most kSeedDocs documents and kSeedRatio times fewer than its most common group.
constexpr uint64_t kSeedDocs = 2048;
constexpr uint64_t kSeedRatio = 8;

}  // namespace

uint64_t EstimateTotal(uint64_t collected, const ScoreCoverage& coverage, bool filtered, bool* exact) {
  *exact = !coverage.pruned;
  if (!coverage.pruned) return collected;
  // Documents only in non-essential lists, or cut before full scoring, were not counted.
  uint64_t total = collected + coverage.pruned_seen;
  if (!filtered) total = std::max(total, coverage.df_floor);
  return total;
}

ScoreCoverage ScoreQuery(QueryWeight& weight, Collector* collector) {
  ScoreCoverage out;
  if (weight.groups() == 0) return out;
  const Snapshot& snap = weight.snapshot();
  const bool prune = collector->TakesBest();
  const bool filters = collector->Filters();
  const bool content_rule = weight.content_rule();
  double threshold = -std::numeric_limits<double>::infinity();  // MinCompetitiveScore, once known
  bool& pruned = out.pruned;
  uint64_t& pruned_seen = out.pruned_seen;

  // Per-segment state, reused.
  std::vector<LeafScorer> leaves, excl;
  std::vector<AlternativesScorer> slots;  // the scoring groups present in the segment
  std::vector<double> leaf_ub;    // per leaf, its upper bound
  std::vector<uint32_t> order;    // leaves by ascending upper bound
  std::vector<double> prefix;     // prefix[i] = sum of the i smallest leaf bounds
  std::vector<uint32_t> prefix_groups;  // the number of slots those i leaves belong to
  std::vector<char> seen_slot, essential, in_doc;
  std::vector<double> residual;   // per slot, the sum of its non-essential leaves' bounds
  std::vector<uint32_t> rest;     // slots with non-essential leaves, by ascending residual
  std::vector<double> rest_prefix;
  std::vector<double> gbest;      // per slot, the score of the current doc (0 = no match)
  std::vector<uint32_t> touched;  // slots evaluated on the current doc
  std::vector<LeafScorer> seed_leaves;  // copies of the leaves, for the seeding pass
  std::vector<uint32_t> seed_slots, seeded;  // the seeded groups; the docs they scored, ascending
  std::vector<uint32_t> leaf_slot;  // per leaf, its slot
  // The essential leaves, a min-heap of (current doc << 32 | leaf): plain numbers to compare.
  std::vector<uint64_t> heapv;
  std::vector<uint32_t> at;       // the essential leaves on the current doc, in leaf order

  for (uint32_t si = 0; si < snap.segments().size(); ++si) {
    const SegmentReader& seg = *snap.segments()[si];
    if (!collector->BeginSegment(si, seg)) continue;
    weight.MakeScorers(si, &leaves, &excl);
    if (leaves.empty()) continue;

    // Slots (leaves are ordered by group, then alternative, then field): a group scores its
    // best alternative, an alternative its fields' frequencies saturated together.
    slots.clear();
    leaf_slot.resize(leaves.size());
    uint64_t seg_floor = 0;
    for (uint32_t i = 0; i < leaves.size();) {
      uint32_t j = i;
      uint64_t df = 0, docs = 0;
      for (; j < leaves.size() && leaves[j].group == leaves[i].group; ++j) {
        const auto& cursors = leaves[j].postings.cursors();
        if (cursors.size() == 1 && !(content_rule && leaves[j].stop)) df = std::max<uint64_t>(df, cursors[0].df());
        uint32_t leaf_docs = UINT32_MAX;
        for (const auto& c : cursors) leaf_docs = std::min(leaf_docs, c.df());
        docs += leaf_docs;
      }
      for (uint32_t l = i; l < j; ++l) leaf_slot[l] = static_cast<uint32_t>(slots.size());
      slots.push_back(AlternativesScorer{i, j, docs});
      seg_floor = std::max(seg_floor, df);
      i = j;
    }
    out.df_floor += seg_floor;
    const uint32_t nslots = static_cast<uint32_t>(slots.size());
    const uint32_t nleaves = static_cast<uint32_t>(leaves.size());
    // Leaf-level bounds: a group's bound is its best alternative's, but a document found only
    // through one of its alternatives scores at most that alternative's bound; a common word
    // whose group also holds a rare joined form («کے» with «کےبعد») is then non-essential.
    leaf_ub.resize(nleaves);
    for (uint32_t l = 0; l < nleaves; ++l) leaf_ub[l] = leaves[l].MaxScore();
    order.resize(nleaves);
    for (uint32_t l = 0; l < nleaves; ++l) order[l] = l;
    // Under the content rule the stopword leaves come first and are never essential: candidates
    // come from the other leaves, and the stopwords only add to their scores.
    uint32_t nstop = 0;
    for (uint32_t l = 0; l < nleaves; ++l) nstop += content_rule && leaves[l].stop;
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      const bool sa = content_rule && leaves[a].stop, sb = content_rule && leaves[b].stop;
      return sa != sb ? sa : leaf_ub[a] < leaf_ub[b];
    });
    // prefix[i]: the sum of the i smallest leaf bounds; prefix_groups[i]: the groups they cover.
    prefix.assign(nleaves + 1, 0);
    prefix_groups.assign(nleaves + 1, 0);
    seen_slot.assign(nslots, 0);
    for (uint32_t i = 0; i < nleaves; ++i) {
      prefix[i + 1] = prefix[i] + leaf_ub[order[i]];
      const uint32_t s = leaf_slot[order[i]];
      prefix_groups[i + 1] = prefix_groups[i] + (seen_slot[s] ? 0 : 1);
      seen_slot[s] = 1;
    }
    gbest.assign(nslots, 0);
    in_doc.assign(nslots, 0);

    // The number of non-essential leaves for the current threshold (a document matching only
    // those scores at most coord[their groups] * the sum of their bounds); the essential leaves
    // (candidates come from them), and the slots holding non-essential leaves with the sum of
    // those leaves' bounds ("residual"), smallest first.
    uint32_t ne = nstop, ess_groups = 0;  // ess_groups: slots with an essential leaf
    auto later = std::greater<uint64_t>();
    auto entry = [&](uint32_t l) { return static_cast<uint64_t>(leaves[l].doc) << 32 | l; };
    bool ess_ready = false;
    auto update_essential = [&] {
      uint32_t before = ne;
      while (ne < nleaves && weight.coord(prefix_groups[ne + 1]) * prefix[ne + 1] * (1 + kBoundSlack) < threshold) ++ne;
      if (ne == before && ess_ready) return;
      ess_ready = true;
      if (ne > nstop) pruned = true;
      essential.assign(nleaves, 1);
      for (uint32_t i = 0; i < ne; ++i) essential[order[i]] = 0;
      ess_groups = 0;
      seen_slot.assign(nslots, 0);
      for (uint32_t l = 0; l < nleaves; ++l)
        if (essential[l] && !seen_slot[leaf_slot[l]]) {
          seen_slot[leaf_slot[l]] = 1;
          ++ess_groups;
        }
      heapv.clear();
      for (uint32_t l = 0; l < nleaves; ++l)
        if (essential[l]) heapv.push_back(entry(l));
      std::make_heap(heapv.begin(), heapv.end(), later);
      residual.assign(nslots, 0);
      for (uint32_t i = 0; i < ne; ++i) residual[leaf_slot[order[i]]] += leaf_ub[order[i]];
      rest.clear();
      for (uint32_t s = 0; s < nslots; ++s)
        if (residual[s] > 0) rest.push_back(s);
      std::stable_sort(rest.begin(), rest.end(), [&](uint32_t a, uint32_t b) { return residual[a] < residual[b]; });
      rest_prefix.assign(rest.size() + 1, 0);
      for (size_t j = 0; j < rest.size(); ++j) rest_prefix[j + 1] = rest_prefix[j] + residual[rest[j]];
    };
    update_essential();

    // The score of slot `s` at doc `d` (0 when it does not match). Essential leaves are never
    // moved here (the candidate loop does it); a non-essential leaf is aligned on d. Sets
    // `content` when a leaf that is not a stopword matches.
    bool content = false;
    auto eval_slot = [&](uint32_t s, uint32_t d) {
      return slots[s].Score<false>(leaves, d, essential, seg, &content);
    };
    // After a document was kept: the collector's threshold may have risen.
    auto raise_threshold = [&] {
      if (!prune) return;
      const double min = collector->MinCompetitiveScore();
      if (min > threshold) {
        threshold = min;
        update_essential();
      }
    };

    // Seeding: when some groups are far rarer than the most common one (two names next to «کی»),
    // every document they match is scored first, on copies of the cursors, so that the threshold
    // starts at the level of those documents instead of rising slowly through the common word's
    // documents in doc order. The main loop then skips the seeded documents: same result.
    seeded.clear();
    if (prune && !filters && excl.empty() && nslots >= 2) {
      std::vector<uint32_t> by_docs(nslots);
      for (uint32_t s = 0; s < nslots; ++s) by_docs[s] = s;
      std::stable_sort(by_docs.begin(), by_docs.end(), [&](uint32_t a, uint32_t b) { return slots[a].docs < slots[b].docs; });
      const uint64_t most = slots[by_docs.back()].docs;
      uint64_t sum = 0;
      seed_slots.clear();
      for (uint32_t i = 0; i + 1 < nslots; ++i) {
        const uint64_t next = sum + slots[by_docs[i]].docs;
        if (next > kSeedDocs || next * kSeedRatio > most) break;
        sum = next;
        seed_slots.push_back(by_docs[i]);
      }
      if (!seed_slots.empty()) {
        seed_leaves = leaves;
        for (;;) {
          uint32_t d = PostingsCursor::kEnd;
          for (uint32_t s : seed_slots)
            for (uint32_t i = slots[s].begin; i < slots[s].end; ++i) d = std::min(d, seed_leaves[i].doc);
          if (d == PostingsCursor::kEnd) break;
          double score = 0;
          uint32_t matched = 0;
          content = false;
          for (uint32_t s = 0; s < nslots; ++s) {  // every group, in query order
            const double v = slots[s].Score<true>(seed_leaves, d, essential, seg, &content);
            if (v > 0) {
              score += v;
              ++matched;
            }
          }
          for (uint32_t s : seed_slots)
            for (uint32_t i = slots[s].begin; i < slots[s].end; ++i)
              if (seed_leaves[i].doc == d) seed_leaves[i].Next();
          seeded.push_back(d);
          if (matched == 0 || (content_rule && !content) || seg.IsDeleted(d)) continue;
          collector->Collect(d, score * weight.coord(matched), matched, nullptr);
        }
        raise_threshold();
      }
    }
    size_t seeded_at = 0;

    while (ne < nleaves && !heapv.empty()) {
      const uint32_t d = static_cast<uint32_t>(heapv.front() >> 32);
      if (d == PostingsCursor::kEnd) break;
      at.clear();
      do {
        std::pop_heap(heapv.begin(), heapv.end(), later);
        at.push_back(static_cast<uint32_t>(heapv.back()));
        heapv.pop_back();
      } while (!heapv.empty() && static_cast<uint32_t>(heapv.front() >> 32) == d);
      if (at.size() > 1) std::sort(at.begin(), at.end());
      auto release = [&] {  // moves the leaves on d to their next doc
        for (uint32_t l : at) {
          leaves[l].Next();
          heapv.push_back(entry(l));
          std::push_heap(heapv.begin(), heapv.end(), later);
        }
      };
      while (seeded_at < seeded.size() && seeded[seeded_at] < d) ++seeded_at;
      if (seeded_at < seeded.size() && seeded[seeded_at] == d) {  // scored by the seeding pass
        release();
        continue;
      }
      // The groups of the essential leaves on d, in slot order.
      touched.clear();
      for (uint32_t l : at)
        if (touched.empty() || touched.back() != leaf_slot[l]) touched.push_back(leaf_slot[l]);
      if (threshold > 0) {
        // Before scoring: the block bounds of those groups plus every non-essential leaf.
        // (A touched group's non-essential leaves are within its block bound: not counted twice.)
        double bound = prefix[ne];
        uint32_t overlap = 0;
        for (uint32_t s : touched) {
          bound += slots[s].BlockBound(leaves, d) - residual[s];
          overlap += residual[s] > 0;
        }
        const uint32_t count =
            std::min<uint32_t>(nslots, static_cast<uint32_t>(touched.size()) + prefix_groups[ne] - overlap);
        if (weight.coord(count) * bound * (1 + kBoundSlack) < threshold) {
          pruned = true;
          if (!seg.IsDeleted(d)) ++pruned_seen;
          if (touched.size() < ess_groups) {
            release();
            continue;
          }
          // Every essential group is on d: no document before the end of the shortest of their
          // current blocks can do better, whichever of them it matches. Skip the blocks.
          uint64_t until = PostingsCursor::kEnd;
          for (uint32_t s : touched) until = std::min(until, slots[s].block_next);
          for (uint32_t l : at) heapv.push_back(entry(l));
          for (uint64_t& e : heapv) {
            const uint32_t l = static_cast<uint32_t>(e);
            if (leaves[l].doc < until) leaves[l].Align(static_cast<uint32_t>(std::max<uint64_t>(until, d + 1)));
            e = entry(l);
          }
          std::make_heap(heapv.begin(), heapv.end(), later);
          continue;
        }
      }
      // Score those groups fully (every alternative and field, as the exhaustive loop does).
      seg.PrefetchValues(d);  // read by the collector
      content = false;
      double partial = 0;
      uint32_t matched = 0;
      const size_t ntouched = touched.size();
      for (size_t i = 0; i < ntouched; ++i) {
        const uint32_t s = touched[i];
        in_doc[s] = 1;
        const double v = eval_slot(s, d);
        if (v > 0) {
          gbest[s] = v;
          partial += v;
          ++matched;
        }
      }
      release();
      // Groups with non-essential leaves only on d, largest residual bound first, while the doc
      // can still make the cut.
      bool cut = false;
      for (size_t j = rest.size(); j-- > 0;) {
        const uint32_t s = rest[j];
        if (in_doc[s]) continue;
        const uint32_t count = std::min<uint32_t>(nslots, matched + static_cast<uint32_t>(j) + 1);
        if (weight.coord(count) * (partial + rest_prefix[j + 1]) * (1 + kBoundSlack) < threshold) {
          cut = true;
          break;
        }
        const double bb = slots[s].BlockBound(leaves, d);
        if (bb <= 0) continue;
        if (weight.coord(count) * (partial + rest_prefix[j] + std::min(bb, residual[s])) * (1 + kBoundSlack) < threshold) {
          cut = true;
          break;
        }
        in_doc[s] = 1;
        touched.push_back(s);
        const double v = eval_slot(s, d);
        if (v > 0) {
          gbest[s] = v;
          partial += v;
          ++matched;
        }
      }
      if (touched.size() > ntouched) std::sort(touched.begin(), touched.end());
      // The exhaustive sum: matched groups in query order.
      double score = 0;
      for (uint32_t s : touched) {
        score += gbest[s];
        gbest[s] = 0;
        in_doc[s] = 0;
      }
      if (cut) {
        pruned = true;
        if (!seg.IsDeleted(d)) ++pruned_seen;
        continue;
      }
      if (matched == 0 || (content_rule && !content)) continue;
      if (seg.IsDeleted(d)) continue;
      bool excluded = false;
      for (auto& e : excl) {
        if (e.doc < d) e.Align(d);
        if (e.doc == d && e.Freq() > 0) excluded = true;
      }
      if (excluded) continue;
      score *= weight.coord(matched);
      if (collector->Collect(d, score, matched, nullptr)) raise_threshold();
    }
    if (ne > nstop) pruned = true;
  }
  return out;
}

}  // namespace rasai
