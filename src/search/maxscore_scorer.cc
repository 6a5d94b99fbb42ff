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
  if (!filtered) total = std::max({total, coverage.df_floor, coverage.union_guess});
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
  std::vector<double> leaf_pf;    // per leaf, its pseudo-frequency bound (leaf_ub = its saturation)
  std::vector<double> leaf_cost;  // per leaf, the documents it may hand out as candidates
  std::vector<uint32_t> leaf_alt;  // per leaf, the first leaf of its alternative
  std::vector<double> alt_pf;     // per alternative (by its first leaf), a sum of leaf_pf
  std::vector<double> group_ub;   // per slot, a group bound (see prefix)
  std::vector<uint32_t> order;    // leaves by ascending upper bound per candidate (see below)
  std::vector<double> prefix;     // prefix[i] = the bound of the first i leaves of `order`
  std::vector<uint32_t> prefix_groups;  // the number of slots those i leaves belong to
  std::vector<char> seen_slot, essential, in_doc;
  std::vector<double> residual;   // per slot, the bound of its non-essential leaves
  std::vector<uint32_t> rest;     // slots with non-essential leaves, by ascending residual
  std::vector<double> gbest;      // per slot, the score of the current doc (0 = no match)
  std::vector<uint32_t> touched;  // slots evaluated on the current doc
  std::vector<LeafScorer> seed_leaves;  // copies of the leaves, for the seeding pass
  std::vector<uint32_t> seed_slots, seeded;  // the seeded groups; the docs they scored, ascending
  std::vector<uint32_t> seed_other;  // the groups not seeded, by bound
  std::vector<char> in_seed;
  std::vector<double> live, live_sum;  // per slot, what it may add at the current doc
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
    const double seg_docs = std::max<double>(seg.max_doc(), 1);
    double none = 1;  // the share of documents holding no group's terms, were they independent
    for (uint32_t i = 0; i < leaves.size();) {
      uint32_t j = i;
      uint64_t df = 0, docs = 0, alt_df = 0;
      double group_none = 1;  // as `none`, for the group's alternatives
      for (; j < leaves.size() && leaves[j].group == leaves[i].group; ++j) {
        const auto& cursors = leaves[j].postings.cursors();
        if (cursors.size() == 1 && !(content_rule && leaves[j].stop)) {
          df = std::max<uint64_t>(df, cursors[0].df());
          alt_df = std::max<uint64_t>(alt_df, cursors[0].df());
        }
        if (j + 1 == leaves.size() || leaves[j + 1].group != leaves[j].group || leaves[j + 1].alt != leaves[j].alt) {
          group_none *= 1 - std::min(1.0, static_cast<double>(alt_df) / seg_docs);
          alt_df = 0;
        }
        uint32_t leaf_docs = UINT32_MAX;
        for (const auto& c : cursors) leaf_docs = std::min(leaf_docs, c.df());
        docs += leaf_docs;
      }
      for (uint32_t l = i; l < j; ++l) leaf_slot[l] = static_cast<uint32_t>(slots.size());
      slots.push_back(AlternativesScorer{i, j, docs});
      seg_floor = std::max(seg_floor, df);
      none *= group_none;
      i = j;
    }
    out.df_floor += seg_floor;
    out.union_guess += static_cast<uint64_t>(seg_docs * (1 - none));
    const uint32_t nslots = static_cast<uint32_t>(slots.size());
    const uint32_t nleaves = static_cast<uint32_t>(leaves.size());
    // Leaf-level bounds: a group's bound is its best alternative's, but a document found only
    // through one of its alternatives scores at most that alternative's bound; a common word
    // whose group also holds a rare joined form («کے» with «کےبعد») is then non-essential.
    leaf_ub.resize(nleaves);
    leaf_pf.resize(nleaves);
    leaf_alt.resize(nleaves);
    alt_pf.assign(nleaves, 0);
    for (uint32_t l = 0; l < nleaves; ++l) {
      leaf_pf[l] = leaves[l].MaxPseudo();
      leaf_ub[l] = leaves[l].Saturate(leaf_pf[l]);
      // An alternative's leaves are consecutive: its first leaf's index names it.
      leaf_alt[l] = l > 0 && leaves[l - 1].group == leaves[l].group && leaves[l - 1].alt == leaves[l].alt ? leaf_alt[l - 1] : l;
      alt_pf[leaf_alt[l]] += leaf_pf[l];
    }
    for (uint32_t l = 0; l < nleaves; ++l) leaves[l].alt_bound = leaves[l].Saturate(alt_pf[leaf_alt[l]]);
    order.resize(nleaves);
    for (uint32_t l = 0; l < nleaves; ++l) order[l] = l;
    // Under the content rule the stopword leaves come first and are never essential: candidates
    // come from the other leaves, and the stopwords only add to their scores. The others by
    // bound per document they hold: the non-essential ones (a prefix of this order) are then
    // those that cost most to walk for what they can add (a common word of small weight) rather
    // than the rare readings of small weight that cost nothing as candidates.
    uint32_t nstop = 0;
    for (uint32_t l = 0; l < nleaves; ++l) nstop += content_rule && leaves[l].stop;
    leaf_cost.resize(nleaves);
    for (uint32_t l = 0; l < nleaves; ++l) {
      uint32_t c = UINT32_MAX;
      for (const auto& cur : leaves[l].postings.cursors()) c = std::min(c, cur.df());
      leaf_cost[l] = std::max<double>(c, 1);
    }
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      const bool sa = content_rule && leaves[a].stop, sb = content_rule && leaves[b].stop;
      if (sa != sb) return sa;
      return leaf_ub[a] * leaf_cost[b] < leaf_ub[b] * leaf_cost[a];
    });
    // prefix[i]: the bound of a document matching only the first i leaves of `order`: over the
    // groups they cover, the group's best alternative, each alternative saturating its fields'
    // pseudo-frequency bounds together (as scores are made: the alternatives of one word, or one
    // alternative's title and body, do not add up); prefix_groups[i]: the groups they cover.
    // group_ub[s] is then slot s's part of prefix[ne] (update_essential).
    prefix.assign(nleaves + 1, 0);
    prefix_groups.assign(nleaves + 1, 0);
    seen_slot.assign(nslots, 0);
    alt_pf.assign(nleaves, 0);
    group_ub.assign(nslots, 0);
    for (uint32_t i = 0; i < nleaves; ++i) {
      const uint32_t l = order[i], s = leaf_slot[l];
      alt_pf[leaf_alt[l]] += leaf_pf[l];
      const double alt_ub = leaves[l].Saturate(alt_pf[leaf_alt[l]]);
      prefix[i + 1] = prefix[i];
      if (alt_ub > group_ub[s]) {
        prefix[i + 1] += alt_ub - group_ub[s];
        group_ub[s] = alt_ub;
      }
      prefix_groups[i + 1] = prefix_groups[i] + (seen_slot[s] ? 0 : 1);
      seen_slot[s] = 1;
    }
    gbest.assign(nslots, 0);
    in_doc.assign(nslots, 0);
    live.assign(nslots, 0);

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
      alt_pf.assign(nleaves, 0);
      for (uint32_t i = 0; i < ne; ++i) {
        const uint32_t l = order[i];
        alt_pf[leaf_alt[l]] += leaf_pf[l];
        residual[leaf_slot[l]] = std::max(residual[leaf_slot[l]], leaves[l].Saturate(alt_pf[leaf_alt[l]]));
      }
      rest.clear();
      for (uint32_t s = 0; s < nslots; ++s)
        if (residual[s] > 0) rest.push_back(s);
      std::stable_sort(rest.begin(), rest.end(), [&](uint32_t a, uint32_t b) { return residual[a] < residual[b]; });
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

    // What slot s may add at doc d, from the leaves of `ls` that may be on d (one already past d
    // adds nothing; with `skip`, the leaves it marks are left out too): its best alternative,
    // each saturating its fields' bounds together. With d = kEnd, the group's bound. *next (when
    // given) is lowered to the first doc past d of a leaf left out: the bound holds before it.
    auto LiveBound = [&](std::vector<LeafScorer>& ls, uint32_t s, const std::vector<char>* skip, uint32_t d,
                         uint32_t* next) {
      const AlternativesScorer& g = slots[s];
      double best = 0, sum = 0;
      int cur = ls[g.begin].alt;
      for (uint32_t i = g.begin; i < g.end; ++i) {
        if (ls[i].alt != cur) {
          best = std::max(best, ls[i - 1].Saturate(sum));
          sum = 0;
          cur = ls[i].alt;
        }
        if (skip && (*skip)[i]) continue;
        if (ls[i].doc > d) {
          if (next) *next = std::min(*next, ls[i].doc);
          continue;
        }
        sum += leaf_pf[i];
      }
      return std::max(best, ls[g.end - 1].Saturate(sum));
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
        // The other groups, by their bound, largest first: once the collector has a threshold, a
        // document is scored in them only while it can still reach it.
        seed_other.clear();
        in_seed.assign(nslots, 0);
        for (uint32_t s : seed_slots) in_seed[s] = 1;
        for (uint32_t s = 0; s < nslots; ++s)
          if (!in_seed[s]) seed_other.push_back(s);
        std::stable_sort(seed_other.begin(), seed_other.end(),
                         [&](uint32_t a, uint32_t b) { return LiveBound(seed_leaves, a, nullptr, PostingsCursor::kEnd, nullptr) >
                                                              LiveBound(seed_leaves, b, nullptr, PostingsCursor::kEnd, nullptr); });
        for (;;) {
          uint32_t d = PostingsCursor::kEnd;
          for (uint32_t s : seed_slots)
            for (uint32_t i = slots[s].begin; i < slots[s].end; ++i) d = std::min(d, seed_leaves[i].doc);
          if (d == PostingsCursor::kEnd) break;
          double partial = 0;
          uint32_t matched = 0;
          content = false;
          for (uint32_t s : seed_slots) {
            const double v = slots[s].Score<true>(seed_leaves, d, essential, seg, &content);
            gbest[s] = v;
            if (v > 0) {
              partial += v;
              ++matched;
            }
          }
          for (uint32_t s : seed_slots)  // past d (a leaf Score skipped may still be before it)
            for (uint32_t i = slots[s].begin; i < slots[s].end; ++i)
              if (seed_leaves[i].doc <= d) seed_leaves[i].Align(d + 1);
          seeded.push_back(d);
          // The other groups: what each may still add at d (a leaf already past d adds nothing).
          live_sum.assign(seed_other.size() + 1, 0);
          for (size_t j = seed_other.size(); j-- > 0;) {
            live[seed_other[j]] = LiveBound(seed_leaves, seed_other[j], nullptr, d, nullptr);
            live_sum[j] = live_sum[j + 1] + live[seed_other[j]];
          }
          bool cut = false;
          for (size_t j = 0; j < seed_other.size(); ++j) {
            const uint32_t s = seed_other[j];
            const uint32_t count = std::min<uint32_t>(nslots, matched + static_cast<uint32_t>(seed_other.size() - j));
            if (weight.coord(count) * (partial + live_sum[j]) * (1 + kBoundSlack) < threshold) {
              cut = true;
              break;
            }
            if (live[s] <= 0) continue;
            const double v = slots[s].Score<true>(seed_leaves, d, essential, seg, &content);
            gbest[s] = v;
            if (v > 0) {
              partial += v;
              ++matched;
            }
          }
          // The exhaustive sum: matched groups in query order.
          double score = 0;
          for (uint32_t s = 0; s < nslots; ++s) {
            score += gbest[s];
            gbest[s] = 0;
          }
          if (cut) {
            pruned = true;
            if (!seg.IsDeleted(d)) ++pruned_seen;
            continue;
          }
          if (matched == 0 || (content_rule && !content) || seg.IsDeleted(d)) continue;
          if (collector->Collect(d, score * weight.coord(matched), matched, nullptr)) raise_threshold();
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
      // What each other group with non-essential leaves may add at d: a leaf already past d adds
      // nothing (a rare alternative, once passed, costs no bound until its next doc). That holds
      // for every doc before `next`, where such a leaf comes in.
      for (uint32_t s : touched) in_doc[s] = 1;
      uint32_t next = PostingsCursor::kEnd, live_count = 0;
      live_sum.assign(rest.size() + 1, 0);
      uint64_t blocks_end = PostingsCursor::kEnd;  // the block bounds used hold before it
      for (size_t j = 0; j < rest.size(); ++j) {
        const uint32_t s = rest[j];
        live[s] = in_doc[s] ? 0 : std::min(residual[s], LiveBound(leaves, s, &essential, d, &next));
        if (live[s] > 0 && threshold > 0) {  // and no more than its blocks at d allow
          live[s] = std::min(live[s], slots[s].BlockBound(leaves, d));
          blocks_end = std::min(blocks_end, slots[s].block_next);
        }
        live_count += live[s] > 0;
        live_sum[j + 1] = live_sum[j] + live[s];
      }
      if (threshold > 0) {
        // Before scoring: the block bounds of those groups plus what the others may add.
        double bound = live_sum[rest.size()];
        for (uint32_t s : touched) bound += slots[s].BlockBound(leaves, d);
        const uint32_t count = std::min<uint32_t>(nslots, static_cast<uint32_t>(touched.size()) + live_count);
        if (weight.coord(count) * bound * (1 + kBoundSlack) < threshold) {
          pruned = true;
          if (!seg.IsDeleted(d)) ++pruned_seen;
          for (uint32_t s : touched) in_doc[s] = 0;
          if (touched.size() < ess_groups) {
            release();
            continue;
          }
          // Every essential group is on d: no document before the end of the shortest of their
          // current blocks (and before `next`) can do better, whichever of them it matches.
          // Skip the blocks.
          uint64_t until = std::min<uint64_t>(next, blocks_end);
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
        if (in_doc[s] || live[s] <= 0) continue;
        const uint32_t count = std::min<uint32_t>(nslots, matched + static_cast<uint32_t>(j) + 1);
        if (weight.coord(count) * (partial + live_sum[j + 1]) * (1 + kBoundSlack) < threshold) {
          cut = true;
          break;
        }
        const double bb = slots[s].BlockBound(leaves, d);
        if (bb <= 0) continue;
        if (weight.coord(count) * (partial + live_sum[j] + std::min(bb, live[s])) * (1 + kBoundSlack) < threshold) {
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
