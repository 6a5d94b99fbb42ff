#include "search/roman_lexicon.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <unordered_set>

#include "search/roman_urdu.h"
#include "util/utf8.h"

namespace rasai {
namespace {

// UTF-8 lead bytes of U+0600..U+06FF (the Arabic block, where every Urdu letter is).
bool StartsArabic(std::string_view t) {
  const unsigned char c = t.empty() ? 0 : static_cast<unsigned char>(t[0]);
  return c >= 0xD8 && c <= 0xDB;
}

// ln(1 + df), from a table for the small dfs most terms have.
double LogDf(uint64_t df) {
  static const std::array<double, 4096> table = [] {
    std::array<double, 4096> t;
    for (size_t i = 0; i < t.size(); ++i) t[i] = std::log1p(static_cast<double>(i));
    return t;
  }();
  return df < table.size() ? table[df] : std::log1p(static_cast<double>(df));
}

}  // namespace

uint64_t RomanLexicon::Pack(std::string_view key, bool* whole) {
  // 5 bits a class letter (its place in kClasses, 1..18; 31 for another byte), the first 12 of
  // them from the top bit down, so that the keys starting with one prefix pack into one range
  // (PrefixRange); a longer key also keeps its length in the low 4 bits. Equal keys pack equal;
  // a key of at most 12 class letters packs unlike any other key (no letter packs as 0, so the
  // length shows too); ForKey compares other keys themselves.
  static constexpr std::string_view kClasses = "bpftdrzsSjckxgGlmn";
  uint64_t v = 0;
  bool classes = true;
  for (size_t i = 0; i < key.size() && i < 12; ++i) {
    const size_t c = kClasses.find(key[i]);
    classes = classes && c != std::string_view::npos;
    v |= static_cast<uint64_t>(c == std::string_view::npos ? 31 : c + 1) << (59 - 5 * i);
  }
  if (key.size() > 12) v |= std::min<size_t>(key.size() - 12, 15);
  if (whole) *whole = classes && key.size() <= 12;
  return v;
}

std::pair<size_t, size_t> RomanLexicon::PrefixRange(std::string_view prefix) const {
  if (prefix.size() > 12) {
    const size_t first = LowerBound(Pack(prefix.substr(0, 12)));
    return {first, first};  // (no completion of keys this long)
  }
  const uint64_t lo = Pack(prefix);
  const uint64_t span = prefix.empty() ? ~uint64_t{0} : (uint64_t{1} << (64 - 5 * prefix.size())) - 1;
  const size_t first = LowerBound(lo);
  const uint64_t last = lo + span;  // the largest packed value starting with the prefix
  const size_t end = last < lo || last == UINT64_MAX ? entries_.size() : LowerBound(last + 1);
  return {first, std::max(first, end)};
}

std::shared_ptr<const RomanLexicon> RomanLexicon::Build(const SegmentReader& seg) {
  // Each field's Urdu terms in dictionary (byte) order, in one arena per field.
  struct Term {
    uint32_t off, len, df;
  };
  const int nfields = static_cast<int>(seg.schema().fields.size());
  std::vector<std::string> arena(nfields);
  std::vector<std::vector<Term>> terms(nfields);
  for (int f = 0; f < nfields; ++f)
    for (TermIterator it = seg.Terms(f); it.Valid(); it.Next()) {
      const std::string_view t = it.term();
      if (!StartsArabic(t) || t.size() > 255) continue;
      terms[f].push_back(Term{static_cast<uint32_t>(arena[f].size()), static_cast<uint32_t>(t.size()), it.info().df});
      arena[f] += t;
    }
  auto lex = std::make_shared<RomanLexicon>(RomanLexicon());
  // Merged over the fields (df summed), each term keyed once.
  std::vector<size_t> next(nfields, 0);
  std::u32string u;
  std::string key;
  for (;;) {
    std::string_view least;
    bool any = false;
    for (int f = 0; f < nfields; ++f) {
      if (next[f] == terms[f].size()) continue;
      const Term& t = terms[f][next[f]];
      const std::string_view v(arena[f].data() + t.off, t.len);
      if (!any || v < least) least = v;
      any = true;
    }
    if (!any) break;
    const std::string term(least);
    uint32_t df = 0;
    for (int f = 0; f < nfields; ++f) {
      if (next[f] == terms[f].size()) continue;
      const Term& t = terms[f][next[f]];
      if (std::string_view(arena[f].data() + t.off, t.len) == term) {
        df += t.df;
        ++next[f];
      }
    }
    DecodeUtf8(term, &u);
    if (!roman::UrduKey(u, &key)) continue;
    lex->Append(Pack(key), key, term, df);
  }
  std::sort(lex->entries_.begin(), lex->entries_.end(), [&](const Entry& x, const Entry& y) {
    if (x.packed != y.packed) return x.packed < y.packed;
    return lex->CommonerFirst(x, y);
  });
  lex->Finish();
  return lex;
}

void RomanLexicon::Finish() {
  // The text in entry order: a key's terms, read one after another by ForKey, lie together.
  std::string text;
  text.reserve(text_.size());
  for (Entry& e : entries_) {
    const std::string_view key = KeyOf(e), term = TermOf(e);
    e.key_off = static_cast<uint32_t>(text.size());
    text += key;
    e.term_off = static_cast<uint32_t>(text.size());
    text += term;
  }
  text_ = std::move(text);
  entries_.shrink_to_fit();
  // first_[b]: the first entry whose packed key is at least b << bucket_shift_. About one bucket
  // an entry, from 256 up to 32,768 (the first three class letters of a key).
  const int bits = std::clamp(static_cast<int>(std::bit_width(entries_.size())), 8, 15);
  bucket_shift_ = 64 - bits;
  first_.assign((uint64_t{1} << bits) + 1, 0);
  size_t i = 0;
  for (uint64_t b = 0; b + 1 < first_.size(); ++b) {
    while (i < entries_.size() && (entries_[i].packed >> bucket_shift_) < b) ++i;
    first_[b] = static_cast<uint32_t>(i);
  }
  first_.back() = static_cast<uint32_t>(entries_.size());
}

void RomanLexicon::Append(uint64_t packed, std::string_view key, std::string_view term, uint64_t df) {
  Entry e;
  e.packed = packed;
  e.key_off = static_cast<uint32_t>(text_.size());
  e.key_len = static_cast<uint8_t>(key.size());
  text_ += key;
  e.term_off = static_cast<uint32_t>(text_.size());
  e.term_len = static_cast<uint8_t>(term.size());
  text_ += term;
  e.df = static_cast<uint32_t>(std::min<uint64_t>(df, UINT32_MAX));
  entries_.push_back(e);
}

bool RomanLexicon::CommonerFirst(const Entry& x, const Entry& y) const {
  if (x.df != y.df) return x.df > y.df;
  return std::string_view(text_.data() + x.term_off, x.term_len) <
         std::string_view(text_.data() + y.term_off, y.term_len);
}

size_t RomanLexicon::LowerBound(uint64_t packed) const {
  if (first_.empty()) return 0;
  const uint64_t b = packed >> bucket_shift_;
  const auto begin = entries_.begin() + first_[b], end = entries_.begin() + first_[b + 1];
  return std::lower_bound(begin, end, packed, [](const Entry& e, uint64_t p) { return e.packed < p; }) - entries_.begin();
}

std::shared_ptr<const RomanLexicon> RomanLexicon::Merge(const std::vector<const RomanLexicon*>& parts) {
  auto lex = std::make_shared<RomanLexicon>(RomanLexicon());
  size_t total = 0;
  for (const RomanLexicon* p : parts) total += p->entries_.size();
  lex->entries_.reserve(total);
  // Part by part, key (packed value) by key, in ascending order: a key's terms from every part,
  // each term once with its dfs summed, most common first (the order Build sorts in).
  struct From {
    const RomanLexicon* part;
    size_t i;
  };
  std::vector<size_t> next(parts.size(), 0);
  std::vector<From> same;
  for (;;) {
    uint64_t least = UINT64_MAX;
    bool any = false;
    for (size_t p = 0; p < parts.size(); ++p)
      if (next[p] < parts[p]->entries_.size()) {
        least = std::min(least, parts[p]->entries_[next[p]].packed);
        any = true;
      }
    if (!any) break;
    same.clear();
    for (size_t p = 0; p < parts.size(); ++p)
      for (size_t& i = next[p]; i < parts[p]->entries_.size() && parts[p]->entries_[i].packed == least; ++i)
        same.push_back(From{parts[p], i});
    std::sort(same.begin(), same.end(), [](const From& x, const From& y) { return x.part->TermOf(x.i) < y.part->TermOf(y.i); });
    const size_t first = lex->entries_.size();
    for (size_t j = 0; j < same.size();) {
      const std::string_view term = same[j].part->TermOf(same[j].i);
      const std::string_view key = same[j].part->KeyOf(same[j].i);
      uint64_t df = 0;
      for (; j < same.size() && same[j].part->TermOf(same[j].i) == term; ++j) df += same[j].part->entries_[same[j].i].df;
      lex->Append(least, key, term, df);
    }
    std::sort(lex->entries_.begin() + first, lex->entries_.end(),
              [&](const Entry& x, const Entry& y) { return lex->CommonerFirst(x, y); });
  }
  lex->Finish();
  return lex;
}

std::shared_ptr<const RomanLexicon> RomanLexicon::Of(const std::shared_ptr<const SegmentReader>& seg) {
  struct Slot {
    std::weak_ptr<const SegmentReader> segment;
    std::shared_ptr<std::once_flag> once = std::make_shared<std::once_flag>();
    std::shared_ptr<std::shared_ptr<const RomanLexicon>> lexicon = std::make_shared<std::shared_ptr<const RomanLexicon>>();
  };
  static std::mutex mu;
  static std::vector<Slot> slots;
  std::shared_ptr<std::once_flag> once;
  std::shared_ptr<std::shared_ptr<const RomanLexicon>> lexicon;
  {
    std::lock_guard<std::mutex> lock(mu);
    std::erase_if(slots, [](const Slot& s) { return s.segment.expired(); });
    auto same = std::find_if(slots.begin(), slots.end(), [&](const Slot& s) {
      return !s.segment.owner_before(seg) && !seg.owner_before(s.segment);
    });
    if (same == slots.end()) {
      slots.push_back(Slot{seg});
      same = slots.end() - 1;
    }
    once = same->once;
    lexicon = same->lexicon;
  }
  // Built outside the lock, once: other segments' lexicons stay reachable meanwhile.
  std::call_once(*once, [&] { *lexicon = Build(*seg); });
  return *lexicon;
}

std::shared_ptr<const RomanLexicon> RomanLexicon::Of(const Snapshot& snap) {
  const auto& segs = snap.segments();
  if (segs.size() == 1) return Of(segs[0]);
  struct Slot {
    std::vector<std::weak_ptr<const SegmentReader>> segments;
    uint64_t used = 0;
    std::shared_ptr<std::once_flag> once = std::make_shared<std::once_flag>();
    std::shared_ptr<std::shared_ptr<const RomanLexicon>> lexicon = std::make_shared<std::shared_ptr<const RomanLexicon>>();
  };
  static std::mutex mu;
  static std::vector<Slot> slots;
  static uint64_t clock = 0;
  std::shared_ptr<std::once_flag> once;
  std::shared_ptr<std::shared_ptr<const RomanLexicon>> lexicon;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto same = std::find_if(slots.begin(), slots.end(), [&](const Slot& s) {
      if (s.segments.size() != segs.size()) return false;
      for (size_t i = 0; i < segs.size(); ++i)
        if (s.segments[i].owner_before(segs[i]) || segs[i].owner_before(s.segments[i])) return false;
      return true;
    });
    if (same == slots.end()) {
      std::erase_if(slots, [](const Slot& s) {
        return std::any_of(s.segments.begin(), s.segments.end(), [](const auto& w) { return w.expired(); });
      });
      if (slots.size() >= kSnapshotLexicons)
        slots.erase(std::min_element(slots.begin(), slots.end(), [](const Slot& x, const Slot& y) { return x.used < y.used; }));
      slots.push_back(Slot{std::vector<std::weak_ptr<const SegmentReader>>(segs.begin(), segs.end())});
      same = slots.end() - 1;
    }
    same->used = ++clock;
    once = same->once;
    lexicon = same->lexicon;
  }
  // Built outside the lock, once per set of segments; an empty snapshot has an empty lexicon.
  std::call_once(*once, [&] {
    std::vector<std::shared_ptr<const RomanLexicon>> held;
    std::vector<const RomanLexicon*> parts;
    for (const auto& seg : segs) {
      held.push_back(Of(seg));
      parts.push_back(held.back().get());
    }
    *lexicon = Merge(parts);
  });
  return *lexicon;
}

std::vector<RomanCandidate> RomanCandidates(const Snapshot& snap, std::string_view word, const RomanOptions& options) {
  return RomanCandidates(*RomanLexicon::Of(snap), word, options);
}

std::vector<RomanCandidate> RomanCandidates(const RomanLexicon& lex, std::string_view word, const RomanOptions& options) {
  std::vector<RomanCandidate> out;
  if (!roman::IsRomanWord(word) || options.max == 0) return out;
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(c | 0x20);
  const std::vector<std::string> keys = roman::RomanKeys(lower);
  if (keys.empty()) return out;
  const roman::Aligner aligner(lower);
  // A candidate is kept when its score is within `margin` of the best one's, and among the
  // `max` best. Since a cost is never negative, a term's score is at least -commonness * ln(1 +
  // df): reading a key's terms most common first, the rest of them cannot be kept once that bound
  // passes the max-th best score found so far (or the best plus the margin). A term is under one
  // key, and a word's keys are distinct: each term is met once.
  const double margin = std::log(1 / std::max(options.min_weight, 1e-9)) / options.steepness;
  std::vector<double> kept;  // the best scores so far, at most options.max, ascending
  auto threshold = [&] {
    double t = kept.empty() ? INFINITY : kept[0] + margin;
    if (kept.size() == options.max) t = std::min(t, kept.back());
    return t;
  };
  for (const std::string& key : keys) {
    lex.ForKey(key, options.scan, [&](std::string_view term, uint32_t df) {
      const double common = options.commonness * LogDf(df);
      if (-common > threshold()) return false;
      // A cost above this would not be kept.
      const double max_cost = threshold() + common;
      const float cost = aligner.Cost(term, static_cast<float>(std::min<double>(max_cost, roman::kNoMatch)));
      if (cost >= roman::kNoMatch) return true;
      RomanCandidate c{std::string(term), cost, df};
      c.score = c.cost - common;
      out.push_back(std::move(c));
      kept.insert(std::upper_bound(kept.begin(), kept.end(), out.back().score), out.back().score);
      if (kept.size() > options.max) kept.pop_back();
      return true;
    });
  }
  std::sort(out.begin(), out.end(), [](const RomanCandidate& a, const RomanCandidate& b) {
    return a.score != b.score ? a.score < b.score : a.term < b.term;
  });
  if (out.empty()) return out;
  const double best = out[0].score;
  for (RomanCandidate& c : out) c.weight = std::exp(options.steepness * (best - c.score));
  std::erase_if(out, [&](const RomanCandidate& c) { return c.weight < options.min_weight; });
  if (out.size() > options.max) out.resize(options.max);
  return out;
}

std::vector<RomanCandidate> RomanCompletions(const Snapshot& snap, std::string_view prefix, size_t n) {
  return RomanCompletions(*RomanLexicon::Of(snap), prefix, n);
}

std::vector<RomanCandidate> RomanCompletions(const RomanLexicon& lex, std::string_view prefix, size_t n) {
  constexpr size_t kMaxRange = 4096;
  constexpr float kFit = 1.5f;  // a completion must spell the typed letters at least this well
  std::vector<RomanCandidate> out;
  if (n == 0 || prefix.size() < 2 || prefix.size() > roman::kMaxRomanLetters) return out;  // one letter: too many
  std::string lower(prefix);
  for (char& c : lower) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return out;
    c = static_cast<char>(c | 0x20);
  }
  // The keys of the letters typed, and of the digraph the last one may begin («k» of «kh»).
  std::vector<std::string> keys = roman::RomanKeys(lower);
  if (std::string_view("bcdgjkprstz").find(lower.back()) != std::string_view::npos)
    for (std::string& k : roman::RomanKeys(lower + "h"))
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(std::move(k));
  const roman::Aligner aligner(lower);
  // A term's key may start with several of the keys (one the prefix of another): each term once.
  std::unordered_set<std::string_view> seen;
  for (const std::string& key : keys) {
    if (key.empty()) continue;
    lex.ForKeyPrefix(key, kMaxRange, [&](std::string_view term, uint32_t df) {
      if (!seen.insert(term).second) return;
      out.push_back(RomanCandidate{std::string(term), aligner.PrefixCost(term), df});
    });
  }
  std::erase_if(out, [&](const RomanCandidate& c) { return c.cost > kFit; });
  const RomanOptions options;
  for (RomanCandidate& c : out) c.score = c.cost - options.commonness * std::log1p(static_cast<double>(c.df));
  std::sort(out.begin(), out.end(), [](const RomanCandidate& a, const RomanCandidate& b) {
    return a.score != b.score ? a.score < b.score : a.term < b.term;
  });
  if (out.size() > n) out.resize(n);
  return out;
}

}  // namespace rasai
