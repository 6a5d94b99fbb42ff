// Searcher::Suggest: completions of what a visitor is typing. The last word is completed from the
// words the collection writes after the word before it (next_words.h), then from the terms that
// start with it, most documents first, a title counting kTitleBoost times; Roman Urdu being typed
// is completed in Urdu script too (RomanSuggest, roman_query.h).
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "rasai/analysis.h"
#include "rasai/postings.h"
#include "rasai/search.h"
#include "search/compounds.h"
#include "search/lexicon.h"
#include "search/next_words.h"
#include "search/roman_query.h"
#include "search/term_cache.h"
#include "util/text.h"
#include "util/utf8.h"

namespace rasai {
namespace {

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

// Completions of `typed` (well-formed UTF-8) from the index's words as written: Searcher::Suggest
// without the reading of Roman Urdu.
std::vector<std::string> SuggestText(const Snapshot& snap, const std::string& typed, uint32_t n) {
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

}  // namespace

std::vector<std::string> Searcher::Suggest(const std::string& input, uint32_t n) const {
  const std::string typed = IsValidUtf8(input) ? input : RepairUtf8(input);
  std::vector<std::string> out = SuggestText(*snapshot_, typed, n);
  if (n == 0 || std::none_of(typed.begin(), typed.end(), [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }))
    return out;
  // Roman Urdu being typed: its completions in Urdu script, first when words come before the
  // one being typed («imran kh» → «عمران خان»), else after the words written as typed.
  TermCache terms(*snapshot_);
  Lexicon lex(terms);
  LexiconProbe probe(lex);
  auto complete = [](const void* ctx, const std::string& text, size_t k) {
    return SuggestText(*static_cast<const Snapshot*>(ctx), text, static_cast<uint32_t>(k));
  };
  std::vector<std::string> roman = RomanSuggest(*snapshot_, typed, n, probe, complete, snapshot_.get());
  if (roman.empty()) return out;
  const size_t first = typed.find_first_not_of(" \t");
  const bool after_words = first != std::string::npos && typed.find_first_of(" \t", first) != std::string::npos;
  std::vector<std::string> merged = after_words ? roman : out;
  for (std::string& s : after_words ? out : roman)
    if (std::find(merged.begin(), merged.end(), s) == merged.end()) merged.push_back(std::move(s));
  if (merged.size() > n) merged.resize(n);
  return merged;
}

}  // namespace rasai
