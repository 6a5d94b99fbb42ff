#include "search/maxscore_scorer.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <vector>

#include "search/alternatives_scorer.h"

namespace rasai {
namespace {

// Bounds are sums taken in another order than the scores they bound; each bound is inflated by
// this relative amount so that rounding never prunes a document that could reach the threshold.
constexpr double kBoundSlack = 1e-9;
// The width of a window of documents (see ScoreQuery): its own partition of the leaves, its
// essential leaves read leaf by leaf into buckets. Narrower when the leaves that may be essential
// hold more than kWindowEntries postings in kWindow documents on average (the buckets' memory).
constexpr uint32_t kWindow = 16384;
constexpr uint64_t kWindowEntries = 1 << 17;
// The width of a window opened while there is no threshold yet: narrow, so that the partition
// made once the collector is full is used over most of the first kWindow documents.
constexpr uint32_t kFirstWindow = 2048;
static_assert(kWindow % 64 == 0 && kFirstWindow % 64 == 0);

// A window's buckets: per doc of the window, a list of (essential leaf, pseudo-frequency). Kept
// per thread (heads -1 and bits 0 between windows: each window empties what it filled).
struct Buckets {
  struct Entry {
    int32_t next;  // the doc's previous entry, -1 when none
    uint32_t leaf;
    double pf;
  };
  std::vector<Entry> entries;
  std::vector<int32_t> head = std::vector<int32_t>(kWindow, -1);  // per doc: its last entry
  std::vector<uint64_t> bits = std::vector<uint64_t>(kWindow / 64, 0);  // the docs with an entry
};
thread_local Buckets buckets;

}  // namespace

uint64_t EstimateTotal(uint64_t collected, const ScoreCoverage& coverage, bool filtered, bool* exact) {
  *exact = !coverage.pruned;
  // The documents cut before full scoring were counted apart; those only in non-essential lists
  // were not.
  uint64_t total = collected + coverage.pruned_seen;
  if (coverage.pruned && !filtered) total = std::max({total, coverage.df_floor, coverage.union_guess});
  return total;
}

ScoreCoverage ScoreQuery(QueryWeight& weight, Collector* collector) {
  ScoreCoverage out;
  if (weight.groups() == 0) return out;
  const Snapshot& snap = weight.snapshot();
  const bool prune = collector->TakesBest();
  const bool content_rule = weight.content_rule();
  const bool filters = collector->Filters();
  double threshold = -std::numeric_limits<double>::infinity();  // MinCompetitiveScore, once known
  bool& pruned = out.pruned;
  uint64_t& pruned_seen = out.pruned_seen;

  // Per-segment state, reused.
  std::vector<LeafScorer> leaves, excl;
  std::vector<AlternativesScorer> slots;  // the scoring groups present in the segment
  std::vector<double> leaf_ub;    // per leaf, the saturation of its bound_pf
  std::vector<double> leaf_pf;    // per leaf, its pseudo-frequency bound over the whole list
  std::vector<double> bound_pf;   // the same over the current window
  std::vector<double> leaf_cost;  // per leaf, the documents it may hand out as candidates
  std::vector<uint32_t> leaf_alt;  // per leaf, the first leaf of its alternative
  std::vector<double> alt_pf;     // per alternative (by its first leaf), a sum of leaf_pf
  std::vector<double> group_ub;   // per slot, a group bound (see prefix)
  std::vector<uint32_t> order;    // leaves by ascending upper bound per candidate (see below)
  std::vector<double> prefix;     // prefix[i] = the bound of the first i leaves of `order`
  std::vector<uint32_t> prefix_groups;  // the number of slots those i leaves belong to
  std::vector<char> seen_slot, essential, in_doc;
  std::vector<double> residual;   // per slot, the bound of its non-essential leaves
  std::vector<double> alt_ne;     // per alternative (by its first leaf), its non-essential leaves' pf bounds
  std::vector<uint32_t> rest;     // slots with non-essential leaves, by ascending residual
  std::vector<double> gbest;      // per slot, the score of the current doc (0 = no match)
  std::vector<uint32_t> touched;  // slots evaluated on the current doc
  std::vector<double> live_sum;   // live_sum[j]: what the first j slots of `rest` may add (0 on the doc)
  // Per slot of `rest`, what it may add at a doc it is not on (LiveBound, then its blocks): the
  // same for every doc before rest_until (see refresh_rest); 0 for the other slots.
  std::vector<double> rest_live;
  // Per slot, the part of rest_live its non-essential leaves allow (LiveBound), and the doc before
  // which it holds (0: to compute): the leaves move only when the slot is scored.
  std::vector<double> live_bound;
  std::vector<uint32_t> live_until;
  std::vector<uint32_t> leaf_slot;  // per leaf, its slot
  std::vector<uint32_t> at;       // the essential leaves on the current doc, in leaf order
  std::vector<double> pf_at;      // per leaf, its pseudo-frequency on the current doc (essential)
  std::vector<Buckets::Entry>& bucket = buckets.entries;
  std::vector<int32_t>& bucket_head = buckets.head;
  std::vector<uint64_t>& bucket_bits = buckets.bits;

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
      uint64_t df = 0, alt_df = 0;
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
      }
      for (uint32_t l = i; l < j; ++l) leaf_slot[l] = static_cast<uint32_t>(slots.size());
      slots.push_back(AlternativesScorer{i, j});
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
      // An alternative's leaves are consecutive: its first leaf's index names it.
      leaf_alt[l] = l > 0 && leaves[l - 1].group == leaves[l].group && leaves[l - 1].alt == leaves[l].alt ? leaf_alt[l - 1] : l;
      alt_pf[leaf_alt[l]] += leaf_pf[l];
    }
    for (uint32_t l = 0; l < nleaves; ++l) leaves[l].alt_bound = leaves[l].Saturate(alt_pf[leaf_alt[l]]);
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
    // `bound_pf`: per leaf, its pseudo-frequency bound over the current window (the whole list
    // until a window is opened).
    bound_pf = leaf_pf;
    uint32_t ne = nstop, ess_groups = 0;  // ess_groups: slots with an essential leaf
    // Orders the leaves by their bounds and sums the prefixes. prefix[i]: the bound of a
    // document matching only the first i leaves of `order`: over the groups they cover, the
    // group's best alternative, each alternative saturating its fields' pseudo-frequency bounds
    // together (as scores are made: the alternatives of one word, or one alternative's title and
    // body, do not add up); prefix_groups[i]: the groups they may match (a group matches when it
    // scores above 0).
    auto build_order = [&] {
      order.resize(nleaves);
      for (uint32_t l = 0; l < nleaves; ++l) {
        order[l] = l;
        leaf_ub[l] = leaves[l].Saturate(bound_pf[l]);
      }
      std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        const bool sa = content_rule && leaves[a].stop, sb = content_rule && leaves[b].stop;
        if (sa != sb) return sa;
        const double x = leaf_ub[a] * leaf_cost[b], y = leaf_ub[b] * leaf_cost[a];
        return x < y || (x == y && a < b);
      });
      prefix.assign(nleaves + 1, 0);
      prefix_groups.assign(nleaves + 1, 0);
      alt_pf.assign(nleaves, 0);
      group_ub.assign(nslots, 0);
      for (uint32_t i = 0; i < nleaves; ++i) {
        const uint32_t l = order[i], s = leaf_slot[l];
        alt_pf[leaf_alt[l]] += bound_pf[l];
        const double alt_ub = leaves[l].Saturate(alt_pf[leaf_alt[l]]);
        prefix[i + 1] = prefix[i];
        prefix_groups[i + 1] = prefix_groups[i];
        if (alt_ub > group_ub[s]) {
          prefix[i + 1] += alt_ub - group_ub[s];
          if (group_ub[s] == 0) ++prefix_groups[i + 1];
          group_ub[s] = alt_ub;
        }
      }
      ne = nstop;
    };
    build_order();
    gbest.assign(nslots, 0);
    in_doc.assign(nslots, 0);
    live_bound.assign(nslots, 0);
    rest_live.assign(nslots, 0);
    // A cut candidate is counted unless deleted; it makes the total an estimate with exclusions
    // or filters.
    const bool cut_prunes = filters || !excl.empty();
    const bool has_deleted = seg.live_docs() != seg.max_doc();

    // The number of non-essential leaves for the current threshold (a document matching only
    // those scores at most coord[their groups] * the sum of their bounds); the essential leaves
    // (candidates come from them), and the slots holding non-essential leaves with the sum of
    // those leaves' bounds ("residual"), smallest first.
    auto update_essential = [&] {
      while (ne < nleaves && weight.coord(prefix_groups[ne + 1]) * prefix[ne + 1] * (1 + kBoundSlack) < threshold) ++ne;
      for (uint32_t i = nstop; i < ne; ++i)
        if (bound_pf[order[i]] > 0) pruned = true;
      essential.assign(nleaves, 1);
      for (uint32_t i = 0; i < ne; ++i) essential[order[i]] = 0;
      ess_groups = 0;
      seen_slot.assign(nslots, 0);
      for (uint32_t l = 0; l < nleaves; ++l)
        if (essential[l] && !seen_slot[leaf_slot[l]]) {
          seen_slot[leaf_slot[l]] = 1;
          ++ess_groups;
        }
      residual.assign(nslots, 0);
      alt_pf.assign(nleaves, 0);
      for (uint32_t i = 0; i < ne; ++i) {
        const uint32_t l = order[i];
        alt_pf[leaf_alt[l]] += bound_pf[l];
        residual[leaf_slot[l]] = std::max(residual[leaf_slot[l]], leaves[l].Saturate(alt_pf[leaf_alt[l]]));
      }
      alt_ne = alt_pf;
      rest.clear();
      for (uint32_t s = 0; s < nslots; ++s)
        if (residual[s] > 0) rest.push_back(s);
      std::fill(rest_live.begin(), rest_live.end(), 0.0);
      std::stable_sort(rest.begin(), rest.end(), [&](uint32_t a, uint32_t b) { return residual[a] < residual[b]; });
    };
    update_essential();

    // After a document was kept: the collector's threshold may have risen (the next window's
    // partition follows it).
    uint64_t rest_until = 0;  // rest_live and the sums below hold for the docs before it
    auto raise_threshold = [&] {
      if (prune) threshold = std::max(threshold, collector->MinCompetitiveScore());
      rest_until = 0;
    };
    // The score of slot `s` at doc `d` (0 when it does not match): the essential leaves' from
    // the window's buckets, the others' aligned on d. Sets `content` when a leaf that is not a
    // stopword matches.
    bool content = false;
    auto eval_slot = [&](uint32_t s, uint32_t d) {
      live_until[s] = 0;  // its leaves move
      if (residual[s] > 0) rest_until = 0;
      return slots[s].Score(leaves, d, essential, pf_at, seg, &content);
    };

    // What slot s may add at doc d from its non-essential leaves (one past d adds nothing; one
    // behind d is first moved to d: candidates come in doc order): its best alternative, each
    // saturating its fields' bounds together. *next is lowered to the first doc past d of those
    // leaves: the bound holds before it.
    auto LiveBound = [&](uint32_t s, uint32_t d, uint32_t* next) {
      const AlternativesScorer& g = slots[s];
      double best = 0, sum = 0;
      int cur = leaves[g.begin].alt;
      for (uint32_t i = g.begin; i < g.end; ++i) {
        if (leaves[i].alt != cur) {
          best = std::max(best, leaves[i - 1].Saturate(sum));
          sum = 0;
          cur = leaves[i].alt;
        }
        if (essential[i]) continue;
        if (leaves[i].doc < d) leaves[i].Align(d);
        if (leaves[i].doc > d) {
          *next = std::min(*next, leaves[i].doc);
          continue;
        }
        sum += bound_pf[i];
      }
      return std::max(best, leaves[g.end - 1].Saturate(sum));
    };

    // rest_live for the docs from d on, their sum and the number of them above 0, and the doc
    // before which they hold (rest_until): until a leaf of theirs comes in or a block of theirs
    // ends, a slot is scored (its leaves move) or the threshold moves.
    double rest_total = 0;
    uint32_t rest_count = 0;
    auto refresh_rest = [&](uint32_t d) {
      rest_total = 0;
      rest_count = 0;
      rest_until = PostingsCursor::kEnd;
      for (uint32_t s : rest) {
        if (d >= live_until[s]) {  // the slot's leaves moved, or one comes in: again
          uint32_t until = PostingsCursor::kEnd;
          live_bound[s] = std::min(residual[s], LiveBound(s, d, &until));
          live_until[s] = until;
        }
        double v = live_bound[s];
        rest_until = std::min<uint64_t>(rest_until, live_until[s]);
        if (v > 0 && threshold > 0) {  // and no more than its blocks at d allow
          v = std::min(v, slots[s].BlockBound(leaves, d));
          rest_until = std::min(rest_until, slots[s].block_next);
        }
        rest_live[s] = v;
        rest_total += v;
        rest_count += v > 0;
      }
    };

    // A candidate cut: it matches (an essential leaf is on it, not a stopword under the content
    // rule) unless excluded, filtered out or deleted: it is counted, the total stays exact
    // without exclusions and filters.
    auto count_cut = [&](uint32_t d) {
      if (cut_prunes) pruned = true;
      if (!has_deleted || !seg.IsDeleted(d)) ++pruned_seen;
    };
    // Whether candidate d, with the essential leaves of the bucket entries from `head` on it, is
    // cut (then counted): what the groups of `rest` not on d may add there, plus, for the groups
    // on d, first what their blocks allow, then, tighter, what their essential leaves' exact part
    // allows. Most candidates are cut here, from the bucket entries, before any bookkeeping.
    uint32_t skip_until = 0, win_end = 0;  // in the window: candidates before skip_until are cut
    auto cut = [&](uint32_t d, int32_t head) {
      if (d < skip_until) {
        count_cut(d);
        return true;
      }
      if (d >= rest_until) refresh_rest(d);
      if (!(threshold > 0)) return false;
      // The entries come by descending leaf: a group's leaves, and an alternative's, together.
      // Slots on d add nothing to `others` (they are scored in full); subtracting rounds, the
      // room added covers it.
      double others = rest_total, blocks = 0, bound = 0;
      uint32_t live_count = rest_count, ntouched = 0;
      uint64_t blocks_end = win_end;
      bool sub = false;
      for (int32_t e = head; e >= 0;) {
        const uint32_t s = leaf_slot[bucket[e].leaf];
        // What slot s may score at d: its essential leaves on d exactly, with every
        // non-essential leaf of their alternatives at its bound; its other alternatives at
        // most what their non-essential leaves may add at d (rest_live, 0 without such leaves).
        double known = rest_live[s];
        while (e >= 0 && leaf_slot[bucket[e].leaf] == s) {
          const uint32_t l = bucket[e].leaf, a = leaf_alt[l];
          double sum = alt_ne[a];
          for (; e >= 0 && leaf_alt[bucket[e].leaf] == a; e = bucket[e].next) sum += bucket[e].pf;
          known = std::max(known, leaves[l].Saturate(sum));
        }
        const double bb = slots[s].BlockBound(leaves, d);
        blocks += bb;
        bound += std::min(bb, known);
        blocks_end = std::min(blocks_end, slots[s].block_next);
        ++ntouched;
        if (rest_live[s] > 0) {
          others -= rest_live[s];
          --live_count;
          sub = true;
        }
      }
      if (sub) others = std::max(0.0, others) + rest_total * 1e-12;
      const double coord = weight.coord(std::min<uint32_t>(nslots, ntouched + live_count));
      if (coord * (others + blocks) * (1 + kBoundSlack) < threshold) {
        if (ntouched >= ess_groups) {
          // Every essential group is on d, and their blocks cannot reach the threshold: no
          // document of the window before the end of the shortest of those blocks (and before
          // the other groups' bounds change) can, whichever of them it matches. Cut those.
          skip_until = std::max(skip_until, static_cast<uint32_t>(std::min(rest_until, blocks_end)));
        }
      } else if (!(coord * (others + bound) * (1 + kBoundSlack) < threshold)) {
        return false;
      }
      count_cut(d);
      return true;
    };

    // A candidate that was not cut: doc d, with the essential leaves `at` on it (their
    // pseudo-frequencies in pf_at).
    auto candidate = [&](uint32_t d) {
      // The groups of the essential leaves on d, in slot order.
      touched.clear();
      for (uint32_t l : at)
        if (touched.empty() || touched.back() != leaf_slot[l]) touched.push_back(leaf_slot[l]);
      // Score those groups fully (every alternative and field, as the exhaustive loop does).
      seg.PrefetchValues(d);  // read by the collector
      for (uint32_t s : touched) in_doc[s] = 1;
      for (size_t j = 0; j < rest.size(); ++j) {
        const uint32_t s = rest[j];
        live_sum[j + 1] = live_sum[j] + (in_doc[s] ? 0 : rest_live[s]);
      }
      content = false;
      double partial = 0;
      uint32_t matched = 0;
      const size_t ntouched = touched.size();
      for (size_t i = 0; i < ntouched; ++i) {
        const uint32_t s = touched[i];
        const double v = eval_slot(s, d);
        if (v > 0) {
          gbest[s] = v;
          partial += v;
          ++matched;
        }
      }
      // Groups with non-essential leaves only on d, largest residual bound first, while the doc
      // can still make the cut.
      bool cut = false;
      for (size_t j = rest.size(); j-- > 0;) {
        const uint32_t s = rest[j];
        if (in_doc[s] || rest_live[s] <= 0) continue;
        const uint32_t count = std::min<uint32_t>(nslots, matched + static_cast<uint32_t>(j) + 1);
        if (weight.coord(count) * (partial + live_sum[j + 1]) * (1 + kBoundSlack) < threshold) {
          cut = true;
          break;
        }
        const double bb = slots[s].BlockBound(leaves, d);
        if (bb <= 0) continue;
        if (weight.coord(count) * (partial + live_sum[j] + std::min(bb, rest_live[s])) * (1 + kBoundSlack) < threshold) {
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
      if (cut) return count_cut(d);
      if (matched == 0 || (content_rule && !content)) return;
      if (seg.IsDeleted(d)) return;
      for (auto& e : excl) {
        if (e.doc < d) e.Align(d);
        if (e.doc == d && e.Freq() > 0) return;  // excluded
      }
      if (collector->Collect(d, score * weight.coord(matched), matched, nullptr)) raise_threshold();
    };

    // Windows of kWindow documents, in doc order. Once the collector has a threshold, every leaf
    // is bounded by the postings blocks it holds in the window (0 when it holds none) and the
    // leaves are partitioned again with those bounds: a common word whose blocks there cannot
    // lift a document to the threshold hands out no candidates there. The essential leaves'
    // documents in the window are read leaf by leaf into the window's buckets (no heap), with
    // their pseudo-frequencies; the candidates are then taken in doc order from the buckets.
    pf_at.assign(nleaves, 0);
    const uint32_t max_doc = seg.max_doc();
    double postings = 0;  // of the leaves that may be essential
    for (uint32_t l = 0; l < nleaves; ++l)
      if (!(content_rule && leaves[l].stop)) postings += leaf_cost[l];
    const uint64_t width =
        postings * kWindow <= static_cast<double>(kWindowEntries) * max_doc
            ? kWindow
            : std::max<uint64_t>(64, static_cast<uint64_t>(kWindowEntries * static_cast<double>(max_doc) / postings) / 64 * 64);
    for (uint64_t start = 0; start < max_doc;) {
      const uint32_t wmin = static_cast<uint32_t>(start);
      const uint64_t w = threshold == -std::numeric_limits<double>::infinity() ? std::min<uint64_t>(width, kFirstWindow) : width;
      const uint32_t wmax = static_cast<uint32_t>(std::min<uint64_t>(start + w, max_doc));
      uint32_t first = PostingsCursor::kEnd;  // the first doc a leaf that is not a stopword may hold
      if (threshold == -std::numeric_limits<double>::infinity()) {
        // No pruning yet: every leaf not a stopword is essential, and each is on its next doc.
        for (uint32_t l = 0; l < nleaves; ++l)
          if (!(content_rule && leaves[l].stop)) first = std::min(first, leaves[l].doc);
      } else {
        for (uint32_t l = 0; l < nleaves; ++l) {
          uint32_t next;
          bound_pf[l] = leaves[l].RangeMaxPseudo(wmin, wmax - 1, &next);
          if (!(content_rule && leaves[l].stop)) first = std::min(first, next);
        }
      }
      if (first >= max_doc) break;
      if (first >= wmax) {  // nothing to take here: on to the first doc a leaf may hold
        start = first;
        continue;
      }
      start = wmax;
      if (threshold != -std::numeric_limits<double>::infinity()) {
        build_order();
        update_essential();
        if (ne == nleaves) continue;
      }
      // The essential leaves' documents in the window, into the buckets.
      bucket.clear();
      for (uint32_t l = 0; l < nleaves; ++l) {
        if (!essential[l]) continue;
        LeafScorer& leaf = leaves[l];
        if (leaf.doc < wmin) leaf.Align(wmin);
        for (uint32_t d = leaf.doc; d < wmax; d = leaf.Next()) {
          const double pf = leaf.PseudoFreq(seg);
          if (pf <= 0) continue;  // a phrase's words not together: adds nothing
          const uint32_t off = d - wmin;
          bucket.push_back(Buckets::Entry{bucket_head[off], l, pf});
          bucket_head[off] = static_cast<int32_t>(bucket.size() - 1);
          bucket_bits[off >> 6] |= uint64_t{1} << (off & 63);
        }
      }
      skip_until = 0;
      win_end = wmax;
      rest_until = 0;
      live_until.assign(nslots, 0);
      live_sum.assign(nslots + 1, 0);  // live_sum[0] stays 0
      for (uint32_t word = 0; word < (wmax - wmin + 63) / 64; ++word)
        while (bucket_bits[word] != 0) {
          const uint32_t off = word * 64 + static_cast<uint32_t>(std::countr_zero(bucket_bits[word]));
          bucket_bits[word] &= bucket_bits[word] - 1;
          const uint32_t d = wmin + off;
          if (cut(d, bucket_head[off])) {
            bucket_head[off] = -1;
            continue;
          }
          at.clear();
          for (int32_t e = bucket_head[off]; e >= 0; e = bucket[e].next) {
            at.push_back(bucket[e].leaf);
            pf_at[bucket[e].leaf] = bucket[e].pf;
          }
          bucket_head[off] = -1;
          std::reverse(at.begin(), at.end());  // in leaf order
          candidate(d);
          for (uint32_t l : at) pf_at[l] = 0;
        }
    }
  }
  if (bucket.capacity() > 4 * kWindowEntries) std::vector<Buckets::Entry>().swap(bucket);  // a rare query's peak
  return out;
}

}  // namespace rasai
