// Searcher: query planning (analysis, compounds, typos, prefixes), per-segment document-at-a-time
// evaluation with BM25F (weighted fields, one saturation) and coordination, filters, facets,
// duplicate collapsing and snippets.
#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <queue>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "rasai/article.h"
#include "rasai/postings.h"
#include "rasai/term_lists.h"
#include "rasai/analysis.h"
#include "rasai/search.h"
#include "search/query_parser.h"
#include "search/snippet.h"
#include "util/hash.h"
#include "util/text.h"
#include "util/utf8.h"

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
// Terms read in dictionary order per prefix before the common ones (ForTermsWithPrefix): a
// prefix* query ranks 64 expansions, which reach down to rarer terms than 8 suggestions do.
constexpr size_t kPrefixScan = 4096, kSuggestScan = 256;
constexpr size_t kMaxFuzzy = 3;         // typo alternatives per word
constexpr size_t kRerankDepth = 30;     // candidates reranked by proximity and lead position (100 measured no better)

// Ranking constants, chosen on the four Urdu dev query files together with Cranfield and TIME
// (docs/analysis.md has the sweep).
constexpr double kK1 = 1.2;
constexpr double kProximityWeight = 1.0;     // for queries of more than kShortQuery words
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
constexpr size_t kShortQuery = 4;            // up to this many words: near-AND ranking
constexpr size_t kKeepStopwordsUpTo = 6;     // queries this short keep their stopwords
double FieldWeight(std::string_view f) {
  if (f == "summary") return 1.2;
  return 1.0;  // title and body alike: a known article is found by its body as much as its title
}
double FieldB(std::string_view) { return 0.5; }

// One way a group can match: a term, or a phrase of terms.
struct Alt {
  std::vector<std::string> terms;  // 1 = term, >1 = phrase (consecutive positions)
  double weight = 1.0;             // relative to an exact match
  int field = -1;                  // -1 = every text field
  bool stop = false;               // one stopword: alone it does not make a document a match
};

struct Group {
  std::vector<Alt> alts;
  bool exclude = false;
  bool stop = false;
  std::string surface;  // the word as typed, for "did you mean"
  std::string fuzzy_best;
};

struct Plan {
  std::vector<Group> groups;  // scoring groups first, then exclusions
  size_t nscoring = 0;
  std::unordered_set<std::string> highlight;         // words a snippet marks wherever they occur
  std::vector<std::vector<std::string>> highlight_phrases;  // and phrases it marks where they stand
  ParsedQuery parsed;
  std::string suggestion;
  double coord_power = 2.0;
};

// Edit distance (optimal string alignment: insert, delete, substitute, swap two neighbours) with an
// early exit above `max` (Urdu letters compared as code points).
int BoundedEditDistance(const std::u32string& a, const std::u32string& b, int max) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > max) return max + 1;
  // Rows reused across calls (a typo scan calls this once per dictionary term).
  thread_local std::vector<int> prev2, prev, cur;
  prev2.assign(m + 1, 0);
  prev.assign(m + 1, 0);
  cur.assign(m + 1, 0);
  for (int j = 0; j <= m; ++j) prev[j] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > max) return max + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

// True when the term's last letter is of the Arabic script (Urdu compounds; English words are
// never glued: «air craft» is not «aircraft»).
bool EndsInArabicScript(std::string_view t) {
  char32_t last = 0;
  size_t i = 0;
  while (i < t.size()) last = DecodeUtf8(t, &i);
  return (last >= 0x0600 && last <= 0x06FF) || (last >= 0x0750 && last <= 0x077F) ||
         (last >= 0x08A0 && last <= 0x08FF);
}

std::u32string ToU32(std::string_view s) {
  std::u32string o;
  DecodeUtf8(s, &o);
  return o;
}

// The term dictionary entries one search needs, looked up once per (field, term) and segment:
// planning (compounds, typos), scoring (idf, postings) and the rerank ask for the same terms.
class TermCache {
 public:
  explicit TermCache(const Snapshot& snap) : snap_(snap), nsegs_(snap.segments().size()) { map_.reserve(64); }
  // df over every segment (deleted documents included).
  uint64_t DocFreq(int field, std::string_view term) { return Get(field, term).df; }
  // The term's entry in segment `seg`; false where the segment lacks the term.
  bool Lookup(uint32_t seg, int field, std::string_view term, TermInfo* info) {
    const TermInfo& ti = infos_[Get(field, term).first + seg];
    if (ti.df == 0) return false;
    *info = ti;
    return true;
  }

 private:
  struct Entry {
    uint64_t df = 0;
    size_t first = 0;  // infos_[first + s]: segment s's entry (df 0 where it lacks the term)
  };
  const Entry& Get(int field, std::string_view term) {
    key_.assign(1, static_cast<char>(field + 1));
    key_.append(term);
    auto [it, inserted] = map_.try_emplace(key_);
    Entry& e = it->second;
    if (inserted) {
      e.first = infos_.size();
      infos_.resize(infos_.size() + nsegs_);
      const auto& segs = snap_.segments();
      for (size_t s = 0; s < nsegs_; ++s)
        if (segs[s]->Lookup(field, term, &infos_[e.first + s])) e.df += infos_[e.first + s].df;
    }
    return e;
  }

  const Snapshot& snap_;
  const size_t nsegs_;
  std::string key_;
  std::unordered_map<std::string, Entry> map_;
  std::vector<TermInfo> infos_;  // every entry's per-segment infos, in one array
};

// Calls fn(term, df) for the terms of `field` in `seg` that start with `prefix`: all of them
// when there are at most `scan`, else the first `scan` in dictionary order and, past those, the
// ones among the field's most common terms (SegmentReader::Frequent). A short prefix has
// thousands of terms, nearly all rare («م» has 7,000 before and after «میں»): reading them all
// costs a millisecond, and stopping after the first ones in dictionary order misses the common.
template <typename Fn>
void ForTermsWithPrefix(const SegmentReader& seg, int field, const std::string& prefix, size_t scan, Fn&& fn) {
  TermIterator ti = seg.Terms(field);
  ti.Seek(prefix);
  for (size_t k = 0; ti.Valid() && ti.term().starts_with(prefix); ti.Next(), ++k) {
    if (k == scan) {
      const std::string rest(ti.term());  // the first term not read
      const FrequentTerms& common = seg.Frequent(field);
      const auto [first, end] = common.Range(prefix);
      for (size_t i = first; i < end; ++i)
        if (common.term(i) >= rest) fn(common.term(i), common.df(i));
      return;
    }
    fn(ti.term(), ti.info().df);
  }
}

class Planner {
 public:
  Planner(const Snapshot& snap, TermCache& terms) : snap_(snap), terms_(terms), an_(DefaultAnalyzer()) {
    for (size_t f = 0; f < snap.schema().fields.size(); ++f) text_fields_.push_back(static_cast<int>(f));
  }

  // Whether some field (or `field`) holds the term, stopping at the first that does: the last
  // field first (in the default schema the body, where most words are). Df(...) > 0, cheaper.
  bool Has(std::string_view term, int field = -1) {
    for (auto f = text_fields_.rbegin(); f != text_fields_.rend(); ++f)
      if ((field < 0 || *f == field) && terms_.DocFreq(*f, term) > 0) return true;
    return false;
  }

  // Walks, per segment and text field (or `field`), the documents holding every one of `terms`:
  // the rarest word's list, the others advanced to it, deleted documents left out. fn(cursors)
  // sees each, the cursors on it; false from fn ends the walk, and the call returns false. Only the first `scan` documents of each rarest list are walked; *cut is set when one
  // had more.
  template <typename Fn>
  bool ForDocsWithAll(const std::vector<std::string>& terms, int field, uint32_t scan, bool* cut, Fn&& fn) {
    std::vector<PostingsCursor> cs(terms.size());
    for (uint32_t s = 0; s < snap_.segments().size(); ++s) {
      const SegmentReader& seg = *snap_.segments()[s];
      for (int f : text_fields_) {
        if (field >= 0 && f != field) continue;
        bool all = true;
        size_t rare = 0;
        for (size_t i = 0; i < terms.size() && all; ++i) {
          TermInfo ti;
          all = terms_.Lookup(s, f, terms[i], &ti);
          if (all) cs[i] = seg.Postings(ti);
          if (all && cs[i].df() < cs[rare].df()) rare = i;
        }
        if (!all) continue;
        uint32_t walked = 0;
        for (uint32_t d = cs[rare].doc(); d != PostingsCursor::kEnd; d = cs[rare].Next()) {
          if (++walked > scan) {
            *cut = true;
            break;
          }
          bool in = true;
          for (size_t i = 0; i < terms.size() && in; ++i)
            if (i != rare) in = cs[i].Advance(d) == d;
          if (in && !seg.IsDeleted(d) && !fn(cs)) return false;
        }
      }
    }
    return true;
  }

  // Whether some document holds `terms` at consecutive positions in one field (or `field`).
  // Past 4,096 documents of a segment's rarest word it answers yes: a bounded cost, and the
  // answer the planner gave before it asked.
  bool PhraseOccurs(const std::vector<std::string>& terms, int field = -1) {
    std::vector<std::vector<uint32_t>> pos(terms.size());
    bool cut = false;
    const bool found = !ForDocsWithAll(terms, field, 4096, &cut, [&](std::vector<PostingsCursor>& cs) {
      for (size_t i = 0; i < terms.size(); ++i) cs[i].Positions(&pos[i]);
      for (uint32_t p : pos[0]) {
        bool at = true;
        for (size_t i = 1; i < terms.size() && at; ++i) at = std::binary_search(pos[i].begin(), pos[i].end(), p + i);
        if (at) return false;  // found: stop
      }
      return true;
    });
    return found || cut;
  }

  // Documents holding `term` and every one of `others` in one field (or in `field`), summed over
  // fields and segments; a segment's field stops counting after 4,096 documents of its rarest
  // word. For choosing among corrections of one word the one that goes with the others.
  uint64_t CoDocs(const std::string& term, const std::vector<std::string>& others, int field = -1) {
    std::vector<std::string> all = others;
    all.push_back(term);
    uint64_t n = 0;
    bool cut = false;
    ForDocsWithAll(all, field, 4096, &cut, [&](std::vector<PostingsCursor>&) {
      ++n;
      return true;
    });
    return n;
  }

  uint64_t Df(const std::string& term, int field = -1) {
    uint64_t df = 0;
    for (int f : text_fields_)
      if (field < 0 || f == field) df += terms_.DocFreq(f, term);
    return df;
  }

  Plan Build(const std::string& query) {
    Plan plan;
    plan.parsed = ParseQuery(query);
    std::map<int, size_t> or_groups;  // or_group id -> index in plan.groups
    std::vector<Group> excludes;
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
      std::vector<Group> made;
      if (it.kind == QueryItem::Kind::kPhrase) {
        Group g;
        Alt a;
        uint32_t last = 0xffffffffu;
        for (const Token& t : toks) {
          if (t.position == last) continue;
          last = t.position;
          a.terms.push_back(t.term);
        }
        a.field = field;
        g.alts.push_back(a);
        g.surface = it.text;
        made.push_back(std::move(g));
      } else if (it.prefix && toks.size() == 1) {
        Group g;
        g.surface = it.text;
        // The first kMaxGroups prefixes are expanded (more would not be kept); the others are
        // looked for as typed.
        if (expanded++ < kMaxGroups) ExpandPrefix(toks[0].term, field, prefix_terms, &g);
        if (g.alts.empty()) g.alts.push_back(Alt{{toks[0].term}, 1.0, field});
        made.push_back(std::move(g));
      } else {
        uint32_t last = 0xffffffffu;
        for (const Token& t : toks) {
          if (t.position == last && !made.empty()) {
            made.back().alts.push_back(Alt{{t.term}, 1.0, field, t.stop});
            continue;
          }
          last = t.position;
          Group g;
          g.alts.push_back(Alt{{t.term}, 1.0, field, t.stop});
          g.stop = t.stop;
          const size_t b = std::min<size_t>(t.begin, it.text.size()), e = std::min<size_t>(t.end, it.text.size());
          g.surface = it.text.substr(b, e - b);
          made.push_back(std::move(g));
        }
      }
      for (Group& g : made) {
        g.exclude = it.exclude;
        if (g.exclude) {
          excludes.push_back(std::move(g));
        } else if (it.or_group >= 0 && or_groups.count(it.or_group)) {
          Group& target = plan.groups[or_groups[it.or_group]];
          for (auto& a : g.alts) target.alts.push_back(std::move(a));
          target.stop = target.stop && g.stop;
        } else {
          if (it.or_group >= 0) or_groups[it.or_group] = plan.groups.size();
          plan.groups.push_back(std::move(g));
        }
      }
    }
    // Stopwords: long queries score without them (unless they are all there is).
    bool all_stop = true;
    for (const Group& g : plan.groups) all_stop = all_stop && g.stop;
    // Short queries keep them: «کیسے ہیں» still tells which article is meant.
    if (!all_stop && plan.groups.size() > kKeepStopwordsUpTo) {
      std::vector<Group> kept;
      for (auto& g : plan.groups) {
        bool phrase = g.alts.size() == 1 && g.alts[0].terms.size() > 1;
        if (!g.stop || phrase) kept.push_back(std::move(g));
      }
      plan.groups = std::move(kept);
    }
    // The same alternative twice in a group («کے OR کے», «ک* OR ک*») adds nothing: the first
    // stays, with the larger weight. A group of more than kMaxAlts keeps its rarest (as a pasted
    // page keeps its rarest words, below), in the order typed.
    for (auto& g : plan.groups) {
      std::vector<Alt> kept;
      for (auto& a : g.alts) {
        auto same = std::find_if(kept.begin(), kept.end(),
                                 [&](const Alt& k) { return k.field == a.field && k.terms == a.terms; });
        if (same == kept.end()) kept.push_back(std::move(a));
        else same->weight = std::max(same->weight, a.weight);
      }
      KeepRarest(&kept, kMaxAlts, [&](const Alt& a) { return Df(a.terms[0], a.field); });
      g.alts = std::move(kept);
    }
    // Duplicate single-term groups add nothing.
    {
      std::unordered_set<std::string> seen;
      std::vector<Group> kept;
      for (auto& g : plan.groups) {
        std::string key;
        for (const auto& a : g.alts) {
          for (const auto& t : a.terms) key += t + " ";
          key += "|" + std::to_string(a.field) + ";";
        }
        if (seen.insert(key).second) kept.push_back(std::move(g));
      }
      plan.groups = std::move(kept);
    }
    // A pasted page: keep the rarest words.
    KeepRarest(&plan.groups, kMaxGroups, [&](const Group& g) {
      uint64_t df = 0;
      for (const auto& a : g.alts) df = std::max(df, Df(a.terms[0], a.field));
      return df;
    });
    AddCompounds(&plan);
    AddTypos(&plan);
    plan.nscoring = plan.groups.size();
    for (auto& g : excludes) plan.groups.push_back(std::move(g));
    // Snippets mark a phrase's words (a quoted phrase, a compound looked for as two words) only
    // where they stand together: «کرکٹ» is also looked for as «کر کٹ», not as every «کر».
    for (const auto& g : plan.groups)
      if (!g.exclude)
        for (const auto& a : g.alts) {
          if (a.terms.size() == 1) plan.highlight.insert(a.terms[0]);
          else if (std::find(plan.highlight_phrases.begin(), plan.highlight_phrases.end(), a.terms) == plan.highlight_phrases.end())
            plan.highlight_phrases.push_back(a.terms);
        }
    // Longer natural-language queries: a weighted OR that still rewards matching more words.
    plan.coord_power = plan.nscoring <= kShortQuery ? 10.0 : 0.5;
    return plan;
  }

 private:
  // Keeps the `k` items of *items with the smallest df_of (0, a word the index lacks, counts as
  // the largest; ties: the first), in their order.
  template <typename T, typename DfOf>
  static void KeepRarest(std::vector<T>* items, size_t k, DfOf&& df_of) {
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
  // A prefix typed twice is scanned once.
  void ExpandPrefix(const std::string& prefix, int field, size_t limit, Group* g) {
    auto [cached, fresh] = expansions_.try_emplace({field, prefix});
    std::vector<std::pair<uint64_t, std::string>>& byfreq = cached->second;
    if (fresh) {
      std::map<std::string, uint64_t> found;
      for (const auto& seg : snap_.segments()) {
        for (int f : text_fields_) {
          if (field >= 0 && f != field) continue;
          ForTermsWithPrefix(*seg, f, prefix, kPrefixScan,
                             [&](std::string_view t, uint32_t df) { found[std::string(t)] += df; });
        }
      }
      for (auto& [t, df] : found) byfreq.emplace_back(df, t);
      std::sort(byfreq.rbegin(), byfreq.rend());
    }
    for (size_t i = 0; i < byfreq.size() && i < limit; ++i)
      g->alts.push_back(Alt{{byfreq[i].second}, byfreq[i].second == prefix ? 1.0 : 0.8, field});
  }

  // One term that is a stopword.
  bool IsStop(std::string_view term) const {
    std::vector<Token> toks;
    an_.Analyze(term, &toks);
    return toks.size() == 1 && toks[0].stop;
  }

  // Urdu compounds written with or without the space: «وزیر اعظم» also finds «وزیراعظم» and
  // the reverse, using the index's own dictionary as evidence that the other form exists. Two
  // Urdu words are glued whatever the first one's last letter («سفارت خانے» finds «سفارتخانے»,
  // «کن ٹرول» finds «کنٹرول»): writers join compounds after a joining letter too. A word is split
  // only after a non-joiner, where the two spellings look alike; other splits measured worse.
  // A form counts as what it is made of: two stopwords glued, a split into two stopwords and
  // any split of a typed stopword are stopwords («کاہے» as «کا ہے» is plain grammar).
  void AddCompounds(Plan* plan) {
    auto single = [](const Group& g) -> const Alt* {
      return g.alts.size() >= 1 && g.alts[0].terms.size() == 1 && !g.exclude ? &g.alts[0] : nullptr;
    };
    const size_t n = plan->groups.size();
    std::vector<std::vector<Alt>> extra(n);
    for (size_t i = 0; i < n; ++i) {
      const Alt* a = single(plan->groups[i]);
      if (!a) continue;
      const std::string& t = a->terms[0];
      // Joined form of this word and the next.
      if (i + 1 < n) {
        const Alt* b = single(plan->groups[i + 1]);
        if (b && EndsInArabicScript(t)) {
          std::string joined = t + b->terms[0];
          if (Has(joined, a->field)) {
            extra[i].push_back(Alt{{joined}, 1.0, a->field, a->stop && b->stop});
            extra[i + 1].push_back(Alt{{joined}, 1.0, a->field, a->stop && b->stop});
          }
        }
      }
      // Split forms of this word.
      size_t pos = 0;
      int tried = 0;
      while (pos < t.size() && tried < 24) {
        DecodeUtf8(t, &pos);
        if (pos >= t.size()) break;
        ++tried;
        const std::string_view left = std::string_view(t).substr(0, pos), right = std::string_view(t).substr(pos);
        if (!an_.EndsWithNonJoiner(left)) continue;
        if (Has(left, a->field) && Has(right, a->field))
          extra[i].push_back(Alt{{std::string(left), std::string(right)}, 1.0, a->field, a->stop || (IsStop(left) && IsStop(right))});
      }
    }
    for (size_t i = 0; i < n; ++i)
      for (auto& a : extra[i]) plan->groups[i].alts.push_back(std::move(a));
  }

  // Words found nowhere in the index: match their nearest frequent neighbours and suggest.
  void AddTypos(Plan* plan) {
    // Bounded cost: a dictionary scan per unknown word, for short queries and few words only.
    constexpr size_t kMaxTypoGroups = 8, kMaxTypoWords = 3;
    if (plan->groups.size() > kMaxTypoGroups) return;
    size_t scanned = 0;
    bool changed = false;
    std::string suggestion;
    // The words of the other groups as typed, when the index has them (not stopwords): the
    // "did you mean" picks, among a word's nearest corrections, the one found with them most.
    std::vector<std::string> typed(plan->groups.size());
    for (size_t i = 0; i < plan->groups.size(); ++i) {
      const Group& g = plan->groups[i];
      if (!g.exclude && !g.stop && !g.alts.empty() && g.alts[0].terms.size() == 1 && !g.alts[0].stop &&
          Has(g.alts[0].terms[0], g.alts[0].field))
        typed[i] = g.alts[0].terms[0];
    }
    for (size_t gi = 0; gi < plan->groups.size(); ++gi) {
      Group& g = plan->groups[gi];
      if (g.exclude || g.alts.empty()) continue;
      // Copies: alternatives are added to g.alts below, which may move them.
      const int field = g.alts[0].field;
      const std::string word = g.alts[0].terms.size() == 1 ? g.alts[0].terms[0] : "";
      // Known: a form of it is in the dictionary, or a split of it («وزیراعظم» as «وزیر اعظم»)
      // stands in some document. Both halves of a split being words is no evidence: «عمرن» (for
      // «عمران») is «عمر» + «ن», which no document writes together.
      bool known = false;
      for (const Alt& x : g.alts)
        if (x.terms.size() == 1 && Has(x.terms[0], x.field)) known = true;
      for (const Alt& x : g.alts)  // (a quoted phrase, word "", is never corrected: not asked)
        if (!known && !word.empty() && x.terms.size() > 1 && PhraseOccurs(x.terms, x.field)) known = true;
      if (!suggestion.empty()) suggestion += " ";
      if (known || word.empty()) {
        suggestion += g.surface.empty() ? word : g.surface;
        continue;
      }
      const std::u32string w = ToU32(word);
      if (w.size() < 3 || scanned++ >= kMaxTypoWords) {
        suggestion += g.surface.empty() ? word : g.surface;
        continue;
      }
      const int max = w.size() >= 8 ? 2 : 1;
      const uint64_t wsig = TermsByLength::Signature(w);
      std::map<std::string, std::pair<int, uint64_t>> cands;  // term -> (distance, df)
      std::u32string u;
      const uint32_t lo = static_cast<uint32_t>(std::max<int>(1, static_cast<int>(w.size()) - max));
      const uint32_t hi = std::min<uint32_t>(static_cast<uint32_t>(w.size()) + max, TermsByLength::kMaxLength);
      for (const auto& seg : snap_.segments()) {
        for (int f : text_fields_) {
          if (field >= 0 && f != field) continue;
          // Only terms of a length within `max` of the word's, whose letters differ in at most
          // 2 * max signature bits, reach the edit distance.
          const TermsByLength& byLength = seg->TermLengths(f);
          for (uint32_t len = lo; len <= hi; ++len) {
            const size_t count = byLength.size(len);
            for (size_t i = 0; i < count; ++i) {
              const TermsByLength::Entry& e = byLength.entry(len, i);
              if (__builtin_popcountll(e.signature ^ wsig) > 2 * max) continue;
              std::string_view t = byLength.term(len, i);
              DecodeUtf8(t, &u);
              int d = BoundedEditDistance(w, u, max);
              if (d <= max) {
                auto& c = cands[std::string(t)];
                c.first = d;
                c.second += e.df;
              }
            }
          }
        }
      }
      std::vector<std::tuple<int, int64_t, std::string>> ranked;
      for (auto& [t, c] : cands) ranked.emplace_back(c.first, -static_cast<int64_t>(c.second), t);
      std::sort(ranked.begin(), ranked.end());
      for (size_t k = 0; k < ranked.size() && k < kMaxFuzzy; ++k)
        g.alts.push_back(Alt{{std::get<2>(ranked[k])}, std::get<0>(ranked[k]) == 1 ? 0.8 : 0.6, field});
      if (!ranked.empty()) {
        // «عمرن خان»: «عمر» and «عمران» are both one edit away, «عمر» the more common; «عمران»
        // is the one written with «خان».
        std::vector<std::string> others;
        for (size_t i = 0; i < typed.size(); ++i)
          if (i != gi && !typed[i].empty()) others.push_back(typed[i]);
        size_t pick = 0;
        if (!others.empty()) {
          uint64_t best = 0;
          for (size_t k = 0; k < ranked.size() && k < kMaxFuzzy && std::get<0>(ranked[k]) == std::get<0>(ranked[0]); ++k) {
            const uint64_t co = CoDocs(std::get<2>(ranked[k]), others, field);
            if (co > best) {
              best = co;
              pick = k;
            }
          }
        }
        suggestion += std::get<2>(ranked[pick]);
        changed = true;
      } else {
        suggestion += g.surface.empty() ? word : g.surface;
      }
    }
    if (changed) plan->suggestion = suggestion;
  }

  const Snapshot& snap_;
  TermCache& terms_;
  const Analyzer& an_;
  std::vector<int> text_fields_;
  std::map<std::pair<int, std::string>, std::vector<std::pair<uint64_t, std::string>>> expansions_;  // by df, largest first
};

// ---------------------------------------------------------------------------------------------
// Per-segment evaluation.

struct FieldModel {
  double weight, b, avglen;  // weight multiplies the field's term frequencies (BM25F)
  // BM25's length normalisation on the square root of len / avglen: a collection that mixes
  // one-line headlines with full articles (urdu-news + urdu-headlines: the articles are 10-50x
  // the average) would otherwise bury every article under the headlines that share a word.
  // Increasing in len, so a score never rises with the field length.
  double Norm(double len) const { return 1 - b + b * std::sqrt(len / avglen); }
  // Norm of a stored length code (SegmentReader::FieldLengthCode), computed at its first use in
  // a search (0: not yet; a norm is at least 1 - b > 0).
  double NormOfCode(uint8_t code) const {
    double& n = norm_of_code[code];
    if (n == 0) n = Norm(SegmentReader::FieldLengthOfCode(code));
    return n;
  }
  mutable std::array<double, 256> norm_of_code{};
};

struct Leaf {
  int group;
  int alt;  // index of the alternative within its group
  int field;
  bool stop;      // the alternative is one stopword
  double weight;  // alt weight * field weight * idf
  const FieldModel* model;
  std::vector<PostingsCursor> cursors;  // 1 = term, >1 = phrase
  uint32_t doc = PostingsCursor::kEnd;
  std::vector<uint32_t> scratch_a, scratch_b;

  // Aligns every cursor of a phrase on one doc; returns it.
  uint32_t Align(uint32_t target) {
    if (cursors.size() == 1) return doc = cursors[0].Advance(target);
    uint32_t d = target;
    for (;;) {
      bool all = true;
      for (auto& c : cursors) {
        uint32_t x = c.Advance(d);
        if (x == PostingsCursor::kEnd) return doc = PostingsCursor::kEnd;
        if (x != d) {
          d = x;
          all = false;
        }
      }
      if (all) return doc = d;
    }
  }
  uint32_t Next() { return Align(doc + 1); }

  // Frequency at the current doc (phrase occurrences for a phrase).
  uint32_t Freq() {
    if (cursors.size() == 1) return cursors[0].freq();
    cursors[0].Positions(&scratch_a);
    for (size_t k = 1; k < cursors.size() && !scratch_a.empty(); ++k) {
      cursors[k].Positions(&scratch_b);
      size_t j = 0, kept = 0;  // the starts followed by word k at +k, kept in place
      for (uint32_t p : scratch_a) {
        while (j < scratch_b.size() && scratch_b[j] < p + k) ++j;
        if (j < scratch_b.size() && scratch_b[j] == p + k) scratch_a[kept++] = p;
      }
      scratch_a.resize(kept);
    }
    return static_cast<uint32_t>(scratch_a.size());
  }

  // BM25F: an alternative's fields add their length-normalised, weighted frequencies
  // (PseudoFreq) and the sum is saturated once (Saturate), so a word in both title and body counts
  // less than twice. The pseudo-frequency of this leaf at the current doc (0 when it is absent):
  double PseudoFreq(const SegmentReader& seg) {
    uint32_t tf = Freq();
    if (tf == 0) return 0;
    return PseudoOfNorm(tf, model->NormOfCode(seg.FieldLengthCode(field, doc)));
  }
  double PseudoOf(uint32_t tf, double len) const { return PseudoOfNorm(tf, model->Norm(len)); }
  double PseudoOfNorm(uint32_t tf, double norm) const { return model->weight * tf / norm; }
  // The alternative's score from its fields' summed pseudo-frequencies (weight is the same for
  // every leaf of one alternative).
  double Saturate(double x) const { return x > 0 ? weight * (kK1 + 1) * x / (x + kK1) : 0; }
  // This leaf's score alone: increasing in tf, decreasing in the field length. The saturation is
  // concave with Saturate(0) = 0, so an alternative's score is at most the sum of its leaves'
  // scores alone: the per-leaf bounds below stay safe for the fields summed.
  double ScoreOf(uint32_t tf, double len) const { return Saturate(PseudoOf(tf, len)); }

  // Upper bounds for top-k pruning, through ScoreOf at (largest freq, smallest length). A phrase
  // occurs at most as often as its rarest word, in a field at least as long as any word's minimum.
  double MaxScore() const {
    uint32_t tf = UINT32_MAX, len = 0;
    for (const auto& c : cursors) {
      tf = std::min(tf, c.MaxFreq());
      len = std::max(len, c.MinLength());
    }
    return tf == 0 || tf == UINT32_MAX ? 0 : ScoreOf(tf, len);
  }
  // The same over the blocks that would hold `target`; 0 when no doc >= target is left. *last is
  // the last doc for which this bound holds (the end of the shortest of those blocks).
  double BlockMaxScore(uint32_t target, uint32_t* last) {
    uint32_t tf = UINT32_MAX, len = 0;
    *last = PostingsCursor::kEnd;
    for (auto& c : cursors) {
      const uint32_t end = c.ShallowAdvance(target);
      if (end == PostingsCursor::kEnd) {
        *last = PostingsCursor::kEnd;
        return 0;
      }
      *last = std::min(*last, end);
      uint32_t f = c.BlockMaxFreq();
      if (f >= 0xffff) f = std::max(f, c.MaxFreq());  // the block table saturates at 65535
      tf = std::min(tf, f);
      len = std::max(len, c.BlockMinLength());
    }
    return tf == 0 || tf == UINT32_MAX ? 0 : ScoreOf(tf, len);
  }
};

// When a document was published, as one number ordered like time: yyyymmdd, then the second of
// the day (a date without a time of day sorts before that day's timed articles).
int64_t WhenKey(const DocValues& dv) { return static_cast<int64_t>(dv.date) * 100000 + (static_cast<int64_t>(dv.time) + 1); }

struct Candidate {
  double score;
  int64_t when;  // WhenKey
  uint32_t seg;
  uint32_t doc;
  uint64_t hash;
  uint32_t matched = 0;  // query groups matched (kept for a date order only)
};

struct Filters {
  std::string lang, source, category;
  int32_t from = 0, to = 0;
};

int32_t DateBound(const std::string& s, bool upper) {
  if (s.empty()) return 0;
  int y = 0, m = 0, d = 0;
  int n = std::sscanf(s.c_str(), "%d-%d-%d", &y, &m, &d);
  if (n < 1 || y <= 0 || y > 9999) return 0;
  if (n < 2) m = upper ? 12 : 0;
  if (n < 3) d = upper ? 31 : 0;
  return y * 10000 + m * 100 + d;
}

}  // namespace

Searcher::Searcher(std::shared_ptr<const Snapshot> snapshot) : snapshot_(std::move(snapshot)) {}
Searcher::~Searcher() = default;

namespace {

struct Collected {
  std::vector<Candidate> top;
  uint64_t total = 0;
  bool total_exact = true;  // false when pruning skipped documents: total is then an estimate
  std::map<std::string, std::map<std::string, uint64_t>> facets;
};

// Bounds are sums taken in another order than the scores they bound; each bound is inflated by
// this relative amount so that rounding never prunes a document that could reach the threshold.
constexpr double kBoundSlack = 1e-9;
// Seeding (see Execute): the rarer groups of a query are scored first when together they match at
// most kSeedDocs documents and kSeedRatio times fewer than its most common group.
constexpr uint64_t kSeedDocs = 2048;
constexpr uint64_t kSeedRatio = 8;

// Runs a plan over every segment, keeping the best `k` candidates (k >= 1).
//
// Document-at-a-time MaxScore. A document's score is
// coord[matched groups] * sum over matched groups of the group's best alternative, with coord
// increasing. The partition is over leaves (one term or phrase of one alternative in one field),
// each with its own upper bound: a document matching only leaves from a set L scores at most
// coord[groups of L] * the sum of their bounds. Leaves are sorted by bound; the longest prefix
// whose bound stays below the k-th best score so far is "non-essential": candidates come from the
// other leaves only. A candidate's groups are scored in full (every alternative and field); the
// groups it reaches only through non-essential leaves are looked at (block bound first, then
// postings) only while it can still reach the threshold. Bounding by leaf rather than by group
// matters when a group holds a rare alternative next to a common word («کے» with the joined
// «کےبعد»): the common word's documents no longer have to be scored one by one. With `exact`
// (and for facets or a date order, which need every match) no threshold is ever set: every match
// is scored and counted. The scores are the exhaustive ones bit for bit: groups are summed in
// plan order.
Collected Execute(const Snapshot& snap, TermCache& terms, const Plan& plan, const Filters& filters, size_t k, bool facets,
                  ParsedQuery::Sort sort, const std::function<bool(uint32_t, uint32_t)>& skip_doc,
                  bool exact = false) {
  Collected out;
  if (plan.nscoring == 0) return out;
  k = std::max<size_t>(k, 1);
  const int nfields = static_cast<int>(snap.schema().fields.size());
  std::vector<FieldModel> models(nfields);
  for (int f = 0; f < nfields; ++f) {
    FieldStats st = snap.field_stats(f);
    const auto& name = snap.schema().fields[f];
    models[f] = {FieldWeight(name), FieldB(name),
                 st.docs_with_field ? static_cast<double>(st.total_length) / st.docs_with_field : 1.0, {}};
  }
  // The leaves of the plan (group, alternative, field) with their weights, computed once for all
  // segments. One idf per term for all the fields an alternative may match (BM25F), from the
  // largest of its per-field document frequencies (a lower bound of the documents holding it).
  struct Spec {
    int group, alt, field;
    double weight;
  };
  std::vector<Spec> specs;
  for (size_t gi = 0; gi < plan.groups.size(); ++gi) {
    const Group& g = plan.groups[gi];
    for (size_t ai = 0; ai < g.alts.size(); ++ai) {
      const Alt& a = g.alts[ai];
      double idfsum = 0;  // the same for every field of the alternative
      if (!g.exclude) {
        uint64_t docs = 1;
        for (int h = 0; h < nfields; ++h)
          if (a.field < 0 || a.field == h) docs = std::max<uint64_t>(docs, snap.field_stats(h).docs_with_field);
        const double n = static_cast<double>(docs);
        for (const auto& t : a.terms) {
          uint64_t dfmax = 0;
          for (int h = 0; h < nfields; ++h)
            if (a.field < 0 || a.field == h) dfmax = std::max<uint64_t>(dfmax, terms.DocFreq(h, t));
          const double df = static_cast<double>(dfmax);
          idfsum += std::log(1.0 + (n - df + 0.5) / (df + 0.5));
        }
      }
      for (int f = 0; f < nfields; ++f)
        if (a.field < 0 || a.field == f) specs.push_back(Spec{static_cast<int>(gi), static_cast<int>(ai), f, a.weight * idfsum});
    }
  }
  // A date order lists the documents that match more of the query's words first, each level
  // by date: «عمران خان», newest first, is the newest articles naming Imran Khan, then those
  // with only «خان» (which alone would fill the first pages with every other Khan).
  auto cmp = [&](const Candidate& a, const Candidate& b) {  // "a better than b"
    if (sort != ParsedQuery::Sort::kDefault && a.matched != b.matched) return a.matched > b.matched;
    if (sort == ParsedQuery::Sort::kDateDesc && a.when != b.when) return a.when > b.when;
    if (sort == ParsedQuery::Sort::kDateAsc && a.when != b.when) return a.when < b.when;
    if (a.score != b.score) return a.score > b.score;
    // Ties: the newer article (to the second, when the dates say), then by content hash, so that
    // the order (and which of several tied documents makes a cut) does not depend on the order
    // documents were added in.
    if (a.when != b.when) return a.when > b.when;
    if (a.hash != b.hash) return a.hash < b.hash;
    if (a.seg != b.seg) return a.seg > b.seg;
    return a.doc < b.doc;
  };
  std::vector<Candidate> heap_store;
  heap_store.reserve(k + 1);
  std::priority_queue<Candidate, std::vector<Candidate>, decltype(cmp)> heap(cmp, std::move(heap_store));  // worst on top
  // Keeps `c` when it is among the best k so far.
  auto keep = [&](const Candidate& c) {
    if (heap.size() >= k) {
      if (!cmp(c, heap.top())) return false;
      heap.pop();
    }
    heap.push(c);
    return true;
  };
  const double nscoring = static_cast<double>(plan.nscoring);
  std::map<std::string, uint64_t> counts[4];
  // Coordination factor by number of matched groups (the same std::pow, computed once).
  std::vector<double> coord(plan.nscoring + 1);
  for (size_t m = 0; m <= plan.nscoring; ++m) coord[m] = std::pow(static_cast<uint32_t>(m) / nscoring, plan.coord_power);
  const bool has_filters = !filters.lang.empty() || !filters.source.empty() || !filters.category.empty() ||
                           filters.from || filters.to;
  const bool need_values = facets || sort != ParsedQuery::Sort::kDefault || has_filters;
  const bool prune = !exact && !facets && sort == ParsedQuery::Sort::kDefault;
  // A document that matches only the stopwords of a query that has other words is not a match
  // («بھلے فیدل کی»: the 35,000 documents with «کی» alone are not results). Queries made only of
  // stopwords («کیسے ہیں») match as usual.
  bool has_stop = false, has_content = false;
  for (size_t gi = 0; gi < plan.nscoring; ++gi)
    for (const Alt& a : plan.groups[gi].alts) (a.stop ? has_stop : has_content) = true;
  const bool content_rule = has_stop && has_content;
  double threshold = -std::numeric_limits<double>::infinity();  // the k-th best score, once k are kept
  bool pruned = false;
  uint64_t pruned_seen = 0, df_floor = 0;

  // Per-segment state, reused.
  std::vector<Leaf> leaves, excl;
  leaves.reserve(specs.size());
  struct Slot {  // a scoring group present in the segment: leaves[begin, end)
    uint32_t begin, end;
    uint64_t docs;        // at most this many documents match the group
    double block_ub = 0;  // over the current blocks, valid for docs < block_next
    uint64_t block_next = 0;
  };
  std::vector<Slot> slots;
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
  std::vector<Leaf> seed_leaves;  // copies of the leaves, for the seeding pass
  std::vector<uint32_t> seed_slots, seeded;  // the seeded groups; the docs they scored, ascending
  std::vector<uint32_t> leaf_slot;  // per leaf, its slot
  // The essential leaves, a min-heap of (current doc << 32 | leaf): plain numbers to compare.
  std::vector<uint64_t> heapv;
  std::vector<uint32_t> at;       // the essential leaves on the current doc, in leaf order

  for (uint32_t si = 0; si < snap.segments().size(); ++si) {
    const SegmentReader& seg = *snap.segments()[si];
    // Filter ordinals for this segment (a filter value absent from the segment matches nothing).
    auto ord_of = [&](DocValueField f, const std::string& v) -> int64_t {
      if (v.empty()) return -1;
      for (uint32_t o = 0; o < seg.ValueCount(f); ++o)
        if (seg.ValueName(f, o) == v) return o;
      return -2;
    };
    const int64_t lang_ord = ord_of(DocValueField::kLang, filters.lang);
    const int64_t src_ord = ord_of(DocValueField::kSource, filters.source);
    const int64_t cat_ord = ord_of(DocValueField::kCategory, filters.category);
    if (lang_ord == -2 || src_ord == -2 || cat_ord == -2) continue;

    leaves.clear();
    excl.clear();
    for (const Spec& sp : specs) {
      const Group& g = plan.groups[sp.group];
      const Alt& a = g.alts[sp.alt];
      Leaf leaf;
      leaf.group = sp.group;
      leaf.alt = sp.alt;
      leaf.field = sp.field;
      leaf.stop = a.stop;
      leaf.model = &models[sp.field];
      leaf.weight = sp.weight;
      bool ok = true;
      leaf.cursors.reserve(a.terms.size());
      for (const auto& t : a.terms) {
        TermInfo ti;
        if (!terms.Lookup(si, sp.field, t, &ti)) {
          ok = false;
          break;
        }
        leaf.cursors.push_back(seg.Postings(ti));
      }
      if (!ok) continue;
      leaf.Align(0);
      if (leaf.doc == PostingsCursor::kEnd) continue;
      (g.exclude ? excl : leaves).push_back(std::move(leaf));
    }
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
        if (leaves[j].cursors.size() == 1 && !(content_rule && leaves[j].stop))
          df = std::max<uint64_t>(df, leaves[j].cursors[0].df());
        uint32_t leaf_docs = UINT32_MAX;
        for (const auto& c : leaves[j].cursors) leaf_docs = std::min(leaf_docs, c.df());
        docs += leaf_docs;
      }
      for (uint32_t l = i; l < j; ++l) leaf_slot[l] = static_cast<uint32_t>(slots.size());
      slots.push_back(Slot{i, j, docs});
      seg_floor = std::max(seg_floor, df);
      i = j;
    }
    df_floor += seg_floor;
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
      while (ne < nleaves && coord[prefix_groups[ne + 1]] * prefix[ne + 1] * (1 + kBoundSlack) < threshold) ++ne;
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
    // The same over `ls` (the leaves or the seeding pass's copies of them); `align_all` aligns
    // every leaf on d, not only the non-essential ones.
    auto eval_in = [&](std::vector<Leaf>& ls, uint32_t s, uint32_t d, bool align_all) {
      double best = 0, alt_sum = 0;
      int cur_alt = ls[slots[s].begin].alt;
      for (uint32_t i = slots[s].begin; i < slots[s].end; ++i) {
        Leaf& l = ls[i];
        if (l.alt != cur_alt) {
          best = std::max(best, ls[i - 1].Saturate(alt_sum));
          alt_sum = 0;
          cur_alt = l.alt;
        }
        if ((align_all || !essential[i]) && l.doc < d) l.Align(d);
        if (l.doc != d) continue;
        const double v = l.PseudoFreq(seg);
        alt_sum += v;
        if (v > 0 && !l.stop) content = true;
      }
      return std::max(best, ls[slots[s].end - 1].Saturate(alt_sum));
    };
    auto eval_slot = [&](uint32_t s, uint32_t d) { return eval_in(leaves, s, d, false); };
    // Upper bound of slot `s` over the postings blocks that would hold doc `d` (docs only grow
    // within a segment, so the bound is kept until a block ends).
    auto block_bound = [&](uint32_t s, uint32_t d) {
      Slot& sl = slots[s];
      if (d < sl.block_next) return sl.block_ub;
      double best = 0, alt_sum = 0;
      uint32_t until = PostingsCursor::kEnd;
      int cur_alt = leaves[sl.begin].alt;
      for (uint32_t i = sl.begin; i < sl.end; ++i) {
        Leaf& l = leaves[i];
        if (l.alt != cur_alt) {
          best = std::max(best, alt_sum);
          alt_sum = 0;
          cur_alt = l.alt;
        }
        uint32_t last;
        alt_sum += l.BlockMaxScore(d, &last);
        until = std::min(until, last);
      }
      sl.block_ub = std::max(best, alt_sum);
      sl.block_next = static_cast<uint64_t>(until) + 1;
      return sl.block_ub;
    };

    // Offers a fully scored document (no filter, facet or date order) to the heap. The values
    // (tie-breaks) are read only for a document that can enter it.
    auto offer = [&](double score, uint32_t d) {
      ++out.total;
      if (heap.size() >= k && score < heap.top().score) return false;
      const DocValues dv = seg.Values(d);
      return keep(Candidate{score, WhenKey(dv), si, d, dv.content_hash});
    };
    auto raise_threshold = [&] {
      if (prune && heap.size() >= k && heap.top().score > threshold) {
        threshold = heap.top().score;
        update_essential();
      }
    };

    // Seeding: when some groups are far rarer than the most common one (two names next to «کی»),
    // every document they match is scored first, on copies of the cursors, so that the threshold
    // starts at the level of those documents instead of rising slowly through the common word's
    // documents in doc order. The main loop then skips the seeded documents: same result.
    seeded.clear();
    if (prune && !need_values && excl.empty() && nslots >= 2) {
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
          for (uint32_t s = 0; s < nslots; ++s) {  // every group, in plan order
            const double v = eval_in(seed_leaves, s, d, true);
            if (v > 0) {
              score += v;
              ++matched;
            }
          }
          for (uint32_t s : seed_slots)
            for (uint32_t i = slots[s].begin; i < slots[s].end; ++i)
              if (seed_leaves[i].doc == d) seed_leaves[i].Next();
          seeded.push_back(d);
          if (matched == 0 || (content_rule && !content) || seg.IsDeleted(d) || (skip_doc && skip_doc(si, d)))
            continue;
          offer(score * coord[matched], d);
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
          bound += block_bound(s, d) - residual[s];
          overlap += residual[s] > 0;
        }
        const uint32_t count =
            std::min<uint32_t>(nslots, static_cast<uint32_t>(touched.size()) + prefix_groups[ne] - overlap);
        if (coord[count] * bound * (1 + kBoundSlack) < threshold) {
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
      seg.PrefetchValues(d);  // read by offer() or the filters below
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
        if (coord[count] * (partial + rest_prefix[j + 1]) * (1 + kBoundSlack) < threshold) {
          cut = true;
          break;
        }
        const double bb = block_bound(s, d);
        if (bb <= 0) continue;
        if (coord[count] * (partial + rest_prefix[j] + std::min(bb, residual[s])) * (1 + kBoundSlack) < threshold) {
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
      // The exhaustive sum: matched groups in plan order.
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
      if (seg.IsDeleted(d) || (skip_doc && skip_doc(si, d))) continue;
      bool excluded = false;
      for (auto& e : excl) {
        if (e.doc < d) e.Align(d);
        if (e.doc == d && e.Freq() > 0) excluded = true;
      }
      if (excluded) continue;
      score *= coord[matched];
      if (!need_values) {
        if (!offer(score, d)) continue;
      } else {
        DocValues dv = seg.Values(d);
        if ((lang_ord >= 0 && dv.lang != lang_ord) || (src_ord >= 0 && dv.source != src_ord) ||
            (cat_ord >= 0 && dv.category != cat_ord))
          continue;
        if ((filters.from && dv.date < filters.from) || (filters.to && (dv.date == 0 || dv.date > filters.to))) continue;
        ++out.total;
        if (facets) {
          counts[0][std::string(seg.ValueName(DocValueField::kSource, dv.source))]++;
          counts[1][std::string(seg.ValueName(DocValueField::kCategory, dv.category))]++;
          counts[2][std::string(seg.ValueName(DocValueField::kLang, dv.lang))]++;
          counts[3][dv.date ? std::to_string(dv.date / 10000) : std::string()]++;
        }
        if (!keep(Candidate{score, WhenKey(dv), si, d, dv.content_hash, matched})) continue;
      }
      raise_threshold();
    }
    if (ne > nstop) pruned = true;
  }
  if (pruned) {
    // Documents only in non-essential lists, or cut before full scoring, were not counted.
    out.total_exact = false;
    out.total += pruned_seen;
    if (!has_filters) out.total = std::max(out.total, df_floor);
  }
  out.top.reserve(heap.size());
  while (!heap.empty()) {
    out.top.push_back(heap.top());
    heap.pop();
  }
  std::sort(out.top.begin(), out.top.end(), cmp);
  if (facets) {
    const char* names[4] = {"source", "category", "lang", "year"};
    for (int i = 0; i < 4; ++i) {
      counts[i].erase("");
      out.facets[names[i]] = std::move(counts[i]);
    }
  }
  return out;
}

// Proximity: query words that stand close together in a document (as in the sentence the visitor
// remembers) raise it among the candidates. For each pair of query groups (adjacent pairs only in
// long queries), the smallest distance between their words in one field adds min(idf)/distance.
// Lead position: query words that occur early in the body (see kLeadWeight, kCoverageWeight)
// multiply the score.
void RerankByProximity(const Snapshot& snap, TermCache& terms, const Plan& plan, std::vector<Candidate>* top,
                       size_t limit) {
  // Short queries are ranked near-AND already; proximity measured no gain there (docs/analysis.md),
  // so they get the lead bonuses only.
  const bool short_query = plan.nscoring <= kShortQuery;
  const double lambda = short_query ? 0.0 : kProximityWeight;
  const bool proximity = lambda > 0;  // else the positions of fields other than the body go unused
  auto early = [](double p) { return kLeadScale / (kLeadScale + p); };
  if (top->empty()) return;
  const int nfields = static_cast<int>(snap.schema().fields.size());
  const size_t n = std::min(limit, top->size());
  const bool adjacent_only = plan.nscoring > 8;
  // idf of each group: the largest of its single-term alternatives (body-level statistic).
  std::vector<double> gidf(plan.nscoring, 0);
  const int body = std::max(0, snap.schema().FieldId("body"));
  const double N = static_cast<double>(std::max<uint64_t>(snap.field_stats(body).docs_with_field, 1));
  for (size_t g = 0; g < plan.nscoring; ++g)
    for (const Alt& a : plan.groups[g].alts) {
      double df = static_cast<double>(terms.DocFreq(body, a.terms[0]));
      gidf[g] = std::max(gidf[g], std::log(1.0 + (N - df + 0.5) / (df + 0.5)));
    }
  double gidf_sum = 1e-9;
  for (double v : gidf) gidf_sum += v;
  std::vector<std::vector<uint32_t>> pos(plan.nscoring);
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
  std::vector<size_t> slot_start(static_cast<size_t>(nfields) * plan.nscoring + 1);
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
        for (size_t g = 0; g < plan.nscoring; ++g) {
          slot_start[static_cast<size_t>(f) * plan.nscoring + g] = slot;
          if (!proximity && f != body) continue;  // only the body's lead counts
          for (const Alt& a : plan.groups[g].alts) {
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
      for (size_t g = 0; g < plan.nscoring; ++g) {
        pos[g].clear();
        const size_t from = slot_start[static_cast<size_t>(f) * plan.nscoring + g];
        const size_t to = slot_start[static_cast<size_t>(f) * plan.nscoring + g + 1];
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
      for (size_t i = 0; lambda > 0 && i < plan.nscoring; ++i) {
        if (pos[i].empty()) continue;
        for (size_t j = i + 1; j < plan.nscoring && (!adjacent_only || j == i + 1); ++j) {
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

// Whether each candidate is the first of its content hash in `top`'s order: the one that
// collapsing duplicates keeps.
std::vector<char> FirstOfHash(const std::vector<Candidate>& top) {
  std::vector<std::pair<uint64_t, uint32_t>> by_hash(top.size());
  for (size_t i = 0; i < top.size(); ++i) by_hash[i] = {top[i].hash, static_cast<uint32_t>(i)};
  std::sort(by_hash.begin(), by_hash.end());
  std::vector<char> first(top.size(), 0);
  for (size_t i = 0; i < by_hash.size(); ++i)
    if (i == 0 || by_hash[i].first != by_hash[i - 1].first) first[by_hash[i].second] = 1;
  return first;
}

// An edited copy of an article (a letter fixed, a sentence added, reposted under another id)
// has another content hash. Two bodies are one article when their sets of word 5-grams resemble
// at kSameArticle or more, |A and B| / |A or B| (Broder's resemblance). In urdu-news such copies
// resemble at 0.80-0.99; follow-ups on a story (the second day of a match, a later toll) at
// 0.55-0.77. The sets compared are the 5-grams whose hash is 0 modulo kShingleSample (Broder's
// mod-m sample: the same estimate on a quarter of the sorting); on urdu-news it sorts every pair
// above 0.5 to the same side as the full sets. Words are as in the content hash (runs of bytes
// above the space, ForEachArticleWord); bodies under kArticleWords words are never compared,
// since different headlines share one-line blurbs. Only a body's first kArticleBytes are read and
// compared, without the word cut there: a long article's start tells whether it is a copy.
constexpr double kSameArticle = 0.8;
constexpr size_t kShingleWords = 5;
constexpr uint64_t kShingleSample = 4;

std::vector<uint64_t> Shingles(std::string_view body) {
  std::vector<uint64_t> words;
  ForEachArticleWord(body, [&](std::string_view w) { words.push_back(HashBytes(w)); });
  std::vector<uint64_t> out;
  if (words.size() < kArticleWords) return out;
  out.reserve((words.size() - kShingleWords + 1) / kShingleSample + 16);
  for (size_t i = 0; i + kShingleWords <= words.size(); ++i) {
    uint64_t h = 0;
    for (size_t k = 0; k < kShingleWords; ++k) h = (h ^ words[i + k]) * 0x9e3779b97f4a7c15ull;
    h ^= h >> 32;
    if ((h & (kShingleSample - 1)) == 0) out.push_back(h);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool SameArticle(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  if (a.empty() || b.empty()) return false;
  const size_t lo = std::min(a.size(), b.size()), hi = std::max(a.size(), b.size());
  if (static_cast<double>(lo) < kSameArticle * static_cast<double>(hi)) return false;  // |A and B| <= lo, |A or B| >= hi
  size_t common = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  return static_cast<double>(common) >= kSameArticle * static_cast<double>(a.size() + b.size() - common);
}

// Edited copies in a result list. Two article bodies whose SimHashes (DocValues::simhash) are at
// most kCopyBits apart are read and compared as Related compares them (SameArticle). A SimHash bit
// differs with probability angle / pi between the two 5-gram vectors: for resemblance 0.8, 9.7 of
// 64 bits on average, standard deviation 2.9, so 16 keeps 99% of such pairs. Over the 1.8 million
// pairs of urdu-news' 1,912 article bodies, the 46 resembling at 0.8 or more lay 0-14 bits apart,
// and 93 others within 16 (docs/analysis.md section 11): the SimHash rules the other pairs out
// unread, and the reading keeps the line where Related draws it.
constexpr int kCopyBits = 16;

// Whether two bodies may be one article by their SimHashes (0: under kArticleWords words, or none kept).
bool NearSimHashes(uint64_t a, uint64_t b) { return a != 0 && b != 0 && std::popcount(a ^ b) <= kCopyBits; }

// The 5-gram sample (Shingles) of a stored document's body, read up to kArticleBytes.
Status StoredShingles(const SegmentReader& seg, uint32_t doc, std::string* scratch, std::vector<uint64_t>* out) {
  size_t size = 0;
  RASAI_RETURN_IF_ERROR(seg.BodyPrefix(doc, kArticleBytes + 1, scratch, &size));
  *out = Shingles(*scratch);
  return Status::OK();
}

// For each candidate of `listed` (the hits listed, in their order) from `first` on (the page
// shown), the index of an earlier one it is an edited copy of (the article, never a copy), or
// -1. A hit is compared with the kCopyLookback candidates listed before it: copies score and
// date alike, so they stand together, and a deep page (offset 10,000) costs no more than its
// own hits and those 200. (Which of those 200 are copies is found the same way, among them.)
constexpr size_t kCopyLookback = 200;

Result<std::vector<int>> EditedCopies(const Snapshot& snap, const std::vector<const Candidate*>& listed, size_t first) {
  std::vector<int> copy_of(listed.size(), -1);
  const size_t from = first - std::min(first, kCopyLookback);  // the first one a hit may copy
  std::vector<uint64_t> simhash(listed.size());
  for (size_t i = from; i < listed.size(); ++i) simhash[i] = snap.segments()[listed[i]->seg]->Values(listed[i]->doc).simhash;
  std::vector<std::vector<uint64_t>> shingles(listed.size());
  std::vector<char> read(listed.size(), 0);
  std::string prefix;
  auto shingle = [&](size_t i) -> Status {
    if (read[i]) return Status::OK();
    RASAI_RETURN_IF_ERROR(StoredShingles(*snap.segments()[listed[i]->seg], listed[i]->doc, &prefix, &shingles[i]));
    read[i] = 1;
    return Status::OK();
  };
  // A copy of a copy (C edits B, which edits A, but C is too far from A itself) copies the article
  // too: it names A, as B does. The hits before it are tried in list order, the article first.
  for (size_t i = from; i < listed.size(); ++i) {
    for (size_t j = std::max(from, i - std::min(i, kCopyLookback)); j < i && simhash[i] != 0; ++j) {
      if (!NearSimHashes(simhash[i], simhash[j])) continue;
      RASAI_RETURN_IF_ERROR(shingle(i));
      RASAI_RETURN_IF_ERROR(shingle(j));
      if (SameArticle(shingles[j], shingles[i])) {
        copy_of[i] = copy_of[j] >= 0 ? copy_of[j] : static_cast<int>(j);
        break;
      }
    }
  }
  return copy_of;
}

// What to show for a dictionary term in a completion. Latin-script terms are stems («comput»):
// the words as written where the term first occurs in the body of its first `docs` documents
// (positions, token offsets, the body read up to there), lower-cased, that start with what was
// typed and analyse back to the term; the shortest of them, the base form more often than not
// ("computer" of computing, computer, computers; "interpreted" rather than FOLDOC's misspelt
// "interpretted"); else the term. Other terms (Urdu is not stemmed) are words already. `strict`: for a stem shorter than what was typed
// («oper» for "operating"), only such a word will do: up to 4 occurrences per document are read,
// and "" comes back when none starts with what was typed.
std::string SurfaceOf(const Snapshot& snap, const std::string& term, const std::string& typed, int docs = 3,
                      bool strict = false) {
  if (term.empty() || !IsAscii(term)) return term;
  std::vector<TokenSpan> spans;
  std::vector<uint32_t> positions;
  std::string body, best;
  for (size_t s = snap.segments().size(); s-- > 0;) {
    const SegmentReader& seg = *snap.segments()[s];
    const int field = seg.OffsetsField();
    TermInfo ti;
    if (field < 0 || !seg.Lookup(field, term, &ti)) continue;
    PostingsCursor pc = seg.Postings(ti);
    int tries = 0;
    for (uint32_t d = pc.doc(); d != PostingsCursor::kEnd && tries < docs; d = pc.Next()) {
      if (seg.IsDeleted(d)) continue;
      ++tries;
      if (strict) {
        pc.Positions(&positions);
        if (positions.size() > 4) positions.resize(4);
      } else {
        positions.assign(1, pc.FirstPosition());
      }
      for (const uint32_t p : positions) {
        uint32_t npos = 0;
        size_t size = 0;
        if (!seg.TokenSpans(d, p, p + 1, &spans, &npos).ok() || spans.empty()) continue;
        const TokenSpan span = spans[0];
        if (span.end <= span.begin || span.end > 8192 || !seg.BodyPrefix(d, span.end, &body, &size).ok() ||
            body.size() < span.end)
          continue;
        const std::string word = LowerAscii(std::string_view(body).substr(span.begin, span.end - span.begin));
        if (!word.starts_with(typed) || DefaultAnalyzer().Term(word) != term) continue;
        if (strict) return word;
        if (best.empty() || word.size() < best.size()) best = word;
      }
    }
  }
  if (!best.empty()) return best;
  return strict ? std::string() : term;
}

constexpr size_t kContextDocs = 48;
constexpr double kTitleBoost = 4;
constexpr size_t kContextExact = 16;   // sampled words whose pair is then counted exactly
constexpr uint32_t kPairScan = 4096;   // documents of the rarer list walked per pair and segment

// Documents holding `a` right before `b` in `field`, over every segment (deleted ones left out):
// the rarer list is walked and the other advanced to it; past kPairScan documents of the
// rarer, its count is extrapolated.
double PairDocs(const Snapshot& snap, int field, const std::string& a, const std::string& b) {
  double n = 0;
  std::vector<uint32_t> pa, pb;
  for (const auto& segp : snap.segments()) {
    const SegmentReader& seg = *segp;
    TermInfo ia, ib;
    if (!seg.Lookup(field, a, &ia) || !seg.Lookup(field, b, &ib)) continue;
    PostingsCursor ca = seg.Postings(ia), cb = seg.Postings(ib);
    PostingsCursor& lo = ca.df() <= cb.df() ? ca : cb;
    PostingsCursor& hi = &lo == &ca ? cb : ca;
    uint32_t walked = 0, found = 0;
    for (uint32_t d = lo.doc(); d != PostingsCursor::kEnd; d = lo.Next()) {
      if (walked == kPairScan) break;
      ++walked;
      const uint32_t h = hi.Advance(d);
      if (h == PostingsCursor::kEnd) {
        walked = lo.df();  // no later document holds both
        break;
      }
      if (h != d || seg.IsDeleted(d)) continue;
      ca.Positions(&pa);
      cb.Positions(&pb);
      for (size_t i = 0, j = 0; i < pa.size() && j < pb.size();) {
        if (pa[i] + 1 == pb[j]) {
          ++found;
          break;
        }
        if (pa[i] + 1 < pb[j]) ++i;
        else ++j;
      }
    }
    if (walked > 0) n += static_cast<double>(found) * lo.df() / walked;
  }
  return n;
}

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
                                          const std::string& prefix) {
  std::map<std::string, NextWord> out;
  std::map<std::string, std::map<std::string, uint32_t>> spellings;
  std::vector<std::pair<int, double>> counted;  // the fields sampled, with their weight
  std::vector<uint32_t> positions;
  std::vector<TokenSpan> spans, wanted;
  std::vector<Token> tokens, word;
  std::string body;
  const auto& fields = snap.schema().fields;
  for (size_t f = 0; f < fields.size(); ++f) {
    const int field = static_cast<int>(f);
    const bool title = fields[f] == "title";
    std::vector<PostingsCursor> cursors(snap.segments().size());
    uint64_t df = 0;
    for (size_t s = 0; s < cursors.size(); ++s) {
      const SegmentReader& seg = *snap.segments()[s];
      TermInfo ti;
      if ((title || seg.OffsetsField() == field) && seg.Lookup(field, prev, &ti)) cursors[s] = seg.Postings(ti);
      df += cursors[s].df();
    }
    if (df == 0) continue;
    std::map<std::string, uint32_t> hits;
    uint64_t sampled = 0;
    // `t` written as `text` follows `prev` written as `before`.
    auto count = [&](const Token& t, std::string_view before, std::string_view text) {
      if (t.term.empty() || !t.term.starts_with(prefix) || t.stop) return;
      if (!prev_word.empty() && LowerAscii(before) != prev_word) return;
      ++hits[t.term];
      if (!prev_word.empty()) ++spellings[t.term][LowerAscii(text)];
    };
    for (size_t s = 0; s < cursors.size(); ++s) {
      PostingsCursor& pc = cursors[s];
      if (pc.df() == 0) continue;
      const SegmentReader& seg = *snap.segments()[s];
      // Every `every`-th document of the list (a list's documents may lie close together: the
      // articles of one source, added at once).
      const uint64_t want = (kContextDocs * pc.df() + df - 1) / df;
      const uint64_t every = std::max<uint64_t>(1, pc.df() / want);
      uint64_t rank = 0;
      for (uint32_t d = pc.doc(); d != PostingsCursor::kEnd; d = pc.Next()) {
        if (rank++ % every != 0 || seg.IsDeleted(d)) continue;
        if (title) {
          auto head = seg.StoredHead(d);
          if (!head.ok()) continue;
          ++sampled;
          tokens.clear();
          const std::string& text = head->title;
          DefaultAnalyzer().Analyze(text, &tokens);
          auto source = [&](const Token& t) {
            return t.begin <= t.end && t.end <= text.size() ? std::string_view(text).substr(t.begin, t.end - t.begin)
                                                            : std::string_view();
          };
          for (size_t i = 0; i < tokens.size(); ++i) {
            if (tokens[i].term != prev) continue;
            for (size_t j = i + 1; j < tokens.size() && tokens[j].position <= tokens[i].position + 1; ++j)
              if (tokens[j].position == tokens[i].position + 1) count(tokens[j], source(tokens[i]), source(tokens[j]));
          }
          continue;
        }
        pc.Positions(&positions);
        wanted.clear();  // pairs of spans: `prev` and the word after it
        for (size_t i = 0; i < positions.size() && i < 4; ++i) {
          uint32_t npos = 0;
          if (!seg.TokenSpans(d, positions[i], positions[i] + 2, &spans, &npos).ok() || spans.size() < 2) continue;
          if (spans[1].end > 8192) break;
          if (spans[1].end > spans[1].begin && spans[0].begin <= spans[0].end) {
            wanted.push_back(spans[0]);
            wanted.push_back(spans[1]);
          }
        }
        ++sampled;
        if (wanted.empty()) continue;
        size_t size = 0;
        uint32_t end = 0;
        for (const TokenSpan& w : wanted) end = std::max(end, w.end);
        if (!seg.BodyPrefix(d, end, &body, &size).ok() || body.size() < end) continue;
        const std::string_view text(body);
        for (size_t i = 0; i + 1 < wanted.size(); i += 2) {
          const TokenSpan& b = wanted[i];
          const TokenSpan& w = wanted[i + 1];
          word.clear();
          DefaultAnalyzer().Analyze(text.substr(w.begin, w.end - w.begin), &word);
          if (!word.empty()) count(word[0], text.substr(b.begin, b.end - b.begin), text.substr(w.begin, w.end - w.begin));
        }
      }
    }
    if (sampled == 0) continue;
    const double scale = (title ? kTitleBoost : 1.0) * static_cast<double>(df) / static_cast<double>(sampled);
    counted.emplace_back(field, title ? kTitleBoost : 1.0);
    for (const auto& [t, n] : hits) out[t].docs += n * scale;
  }
  for (auto& [t, w] : out) {
    uint32_t most = 0;
    for (const auto& [text, n] : spellings[t])
      if (n > most) {
        most = n;
        w.written = text;
      }
  }
  if (!prev_word.empty()) return out;
  // The sample finds the words; for the likeliest, the pair's documents are then counted.
  std::vector<std::pair<double, std::string>> best;
  for (const auto& [t, w] : out) best.emplace_back(w.docs, t);
  std::sort(best.begin(), best.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  for (size_t i = 0; i < best.size() && i < kContextExact; ++i) {
    double c = 0;
    for (const auto& [field, weight] : counted) c += weight * PairDocs(snap, field, prev, best[i].second);
    out[best[i].second].docs = c;
  }
  return out;
}

Hit MakeHit(Document&& d, double score) {
  Hit h;
  h.id = std::move(d.id);
  h.score = score;
  h.title = std::move(d.title);
  h.url = std::move(d.url);
  h.date = std::move(d.date);
  h.lang = std::move(d.lang);
  h.source = std::move(d.source);
  h.category = std::move(d.category);
  return h;
}

}  // namespace

Result<SearchResult> Searcher::Search(const SearchRequest& req) const {
  const auto t0 = std::chrono::steady_clock::now();
  SearchResult res;
  const Snapshot& snap = *snapshot_;
  TermCache terms(snap);
  Planner planner(snap, terms);
  const std::string query = IsValidUtf8(req.query) ? req.query : RepairUtf8(req.query);
  Plan plan = planner.Build(query);
  Filters filters;
  filters.lang = !req.lang.empty() ? req.lang : plan.parsed.lang;
  filters.source = !req.source.empty() ? req.source : plan.parsed.source;
  filters.category = !req.category.empty() ? req.category : plan.parsed.category;
  filters.from = DateBound(!req.date_from.empty() ? req.date_from : plan.parsed.date_from, false);
  filters.to = DateBound(!req.date_to.empty() ? req.date_to : plan.parsed.date_to, true);
  ParsedQuery::Sort sort = plan.parsed.sort;
  if (req.sort == SearchRequest::Sort::kDateDesc) sort = ParsedQuery::Sort::kDateDesc;
  if (req.sort == SearchRequest::Sort::kDateAsc) sort = ParsedQuery::Sort::kDateAsc;
  const size_t n = std::min<uint32_t>(req.n, 1000), offset = std::min<uint32_t>(req.offset, 10000);
  const size_t want = n + offset;
  // Queries in relevance order are reranked (proximity for long ones, lead position for all),
  // from the best kRerankDepth candidates; date orders need the `want` best (a smaller k also
  // raises the pruning threshold). Collapsing keeps the first document of each content hash, so
  // when the best hold fewer than `want` distinct articles and more documents match, the search
  // runs again twice as deep, until they do or none is left: a deeper run's first candidates are
  // the shallower run's (the order is total), so only the hits past them change. Facets and
  // n = 0 (a count) ask for an exact total.
  const bool rerank = sort == ParsedQuery::Sort::kDefault;
  const bool exact = req.facets || n == 0;
  size_t depth = rerank ? std::max<size_t>(want, kRerankDepth) : std::max<size_t>(want, 1);
  Collected col = Execute(snap, terms, plan, filters, depth, req.facets, sort, nullptr, exact);
  while (req.collapse_duplicates && col.top.size() >= depth) {
    const std::vector<char> first = FirstOfHash(col.top);
    if (static_cast<size_t>(std::count(first.begin(), first.end(), 1)) >= want) break;
    depth *= 2;
    col = Execute(snap, terms, plan, filters, depth, req.facets, sort, nullptr, exact);
  }
  if (rerank) RerankByProximity(snap, terms, plan, &col.top, kRerankDepth);
  res.total = col.total;
  res.total_exact = col.total_exact;
  res.facets = std::move(col.facets);
  res.suggestion = plan.suggestion;
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
  Plan plan;
  for (size_t i = 0; i < ranked.size() && i < 20; ++i) {
    Group g;
    g.alts.push_back(Alt{{ranked[i].second}, 1.0, -1});
    plan.groups.push_back(std::move(g));
  }
  plan.nscoring = plan.groups.size();
  plan.coord_power = 0.5;
  Collected col = Execute(snap, terms, plan, Filters{}, 2 * n + 8, false, ParsedQuery::Sort::kDefault,
                          [&](uint32_t s, uint32_t d) { return s == where_seg && d == where_doc; });
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
  for (const Candidate& c : col.top) {
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

std::vector<std::string> Searcher::Suggest(const std::string& input, uint32_t n) const {
  const std::string typed = IsValidUtf8(input) ? input : RepairUtf8(input);
  // Complete the last word; keep what comes before it.
  size_t cut = typed.find_last_of(" \t");
  std::string head = cut == std::string::npos ? "" : typed.substr(0, cut + 1);
  std::string last = cut == std::string::npos ? typed : typed.substr(cut + 1);
  std::vector<std::string> out;
  if (n == 0) return out;
  // The word before the last, when it says something of what follows: not a stopword. A
  // Latin-script term is a stem: the word as typed goes along (NextWords).
  std::string prev, prev_word;
  {
    std::vector<Token> toks;
    DefaultAnalyzer().Analyze(head, &toks);
    if (!toks.empty() && !toks.back().stop) prev = toks.back().term;
    for (const Token& t : toks)  // an alternative at the last position that is a stopword
      if (t.position == toks.back().position && t.stop) prev.clear();
    if (!prev.empty() && IsAscii(prev) && toks.back().begin <= toks.back().end && toks.back().end <= head.size())
      prev_word = LowerAscii(std::string_view(head).substr(toks.back().begin, toks.back().end - toks.back().begin));
  }
  std::string prefix = NormalizeText(last);
  std::vector<Token> toks;
  DefaultAnalyzer().Analyze(last, &toks);
  if (toks.size() == 1 && toks[0].term.size() > prefix.size()) prefix = toks[0].term;
  prefix = LowerAscii(prefix);  // "Comp" completes "computer"
  if (prefix.empty() && (!last.empty() || prev.empty())) return out;
  const Snapshot& snap = *snapshot_;
  std::vector<std::string> shown;  // the terms of `out`: one completion per term
  std::vector<Token> stop;
  std::set<std::string> short_stems;  // stems shorter than what was typed (see below)
  auto add = [&](const std::string& term, const std::string& written) {
    if (std::find(shown.begin(), shown.end(), term) != shown.end()) return;
    // Stopwords are no completions: «ک» offered «کے», «کی», «کا», «کو» before any word worth
    // searching for, "a" offered a, and, are, an; nobody needs help to type them.
    auto is_stop = [&](std::string_view t) {
      stop.clear();
      DefaultAnalyzer().Analyze(t, &stop);
      return stop.size() == 1 && stop[0].stop;
    };
    if (is_stop(term)) return;
    // Nor are two of them written together («کےلیے», «ہوگیا» after «کے», «ہ»): Urdu stopwords are
    // short, so only a first part of up to 4 letters is tried.
    if (EndsInArabicScript(term)) {
      size_t pos = 0;
      for (int letters = 1; letters <= 4; ++letters) {
        DecodeUtf8(term, &pos);
        if (pos >= term.size()) break;
        if (is_stop(std::string_view(term).substr(0, pos)) && is_stop(std::string_view(term).substr(pos))) return;
      }
    }
    std::string surface;
    if (!written.empty() && written.starts_with(prefix)) surface = written;
    else if (short_stems.count(term)) surface = SurfaceOf(snap, term, prefix, 6, /*strict=*/true);
    else surface = SurfaceOf(snap, term, prefix);
    if (surface.empty()) return;
    const std::string word = head + surface;
    if (std::find(out.begin(), out.end(), word) != out.end()) return;
    shown.push_back(term);
    out.push_back(word);
  };
  auto weighted_df = [&](const std::string& term) {
    uint64_t c = 0;
    for (size_t f = 0; f < snap.schema().fields.size(); ++f)
      c += static_cast<uint64_t>((snap.schema().fields[f] == "title" ? kTitleBoost : 1) *
                                 snap.DocFreq(static_cast<int>(f), term));
    return c;
  };
  // First the words seen after the previous one, most documents first (ties: the commoner word);
  // then (when a prefix was typed) the prefix's words by document frequency, a title counting
  // kTitleBoost times.
  if (!prev.empty()) {
    std::vector<std::tuple<double, uint64_t, std::string, std::string>> next;
    for (auto& [t, w] : NextWords(snap, prev, prev_word, prefix))
      if (w.docs > 0) next.emplace_back(w.docs, weighted_df(t), t, w.written);
    std::sort(next.begin(), next.end(), [](const auto& a, const auto& b) {
      if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) > std::get<0>(b);
      if (std::get<1>(a) != std::get<1>(b)) return std::get<1>(a) > std::get<1>(b);
      return std::get<2>(a) < std::get<2>(b);
    });
    for (size_t i = 0; i < next.size() && out.size() < n; ++i) add(std::get<2>(next[i]), std::get<3>(next[i]));
  }
  if (prefix.empty()) return out;
  std::map<std::string, uint64_t> found;
  for (const auto& seg : snap.segments()) {
    for (size_t f = 0; f < snap.schema().fields.size(); ++f) {
      const double boost = snap.schema().fields[f] == "title" ? kTitleBoost : 1;
      ForTermsWithPrefix(*seg, static_cast<int>(f), prefix, kSuggestScan, [&](std::string_view t, uint32_t df) {
        found[std::string(t)] += static_cast<uint64_t>(boost * df);
      });
    }
  }
  // English terms are stems, often shorter than the word being typed: "programm" and "operating"
  // start no term, since "programming" is «program» and "operating" «oper». Stems that begin what
  // was typed count too: the typed word's own stem, and its first letters less 1 to 3 (a word
  // typed in part); each is shown as one of its words that starts with what was typed
  // ("programming", "operating"), or not at all.
  if (IsAscii(prefix) && prefix.size() >= 4) {
    std::vector<std::string> stems;
    for (size_t len = prefix.size() - 1; len >= 3 && len + 3 >= prefix.size(); --len) stems.push_back(prefix.substr(0, len));
    const std::string own = DefaultAnalyzer().Term(prefix);
    if (own.size() >= 3 && own.size() < prefix.size() && prefix.starts_with(own) &&
        std::find(stems.begin(), stems.end(), own) == stems.end())
      stems.push_back(own);
    for (const std::string& stem : stems) {
      const uint64_t c = weighted_df(stem);
      if (c == 0) continue;
      found[stem] += c;
      short_stems.insert(stem);
    }
  }
  std::vector<std::pair<uint64_t, std::string>> ranked;
  for (auto& [t, c] : found) ranked.emplace_back(c, t);
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (size_t i = 0; i < ranked.size() && out.size() < n; ++i) add(ranked[i].second, "");
  return out;
}

}  // namespace rasai
