#include "search/roman_query.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

#include "rasai/analysis.h"
#include "search/roman_lexicon.h"
#include "search/roman_urdu.h"
#include "util/utf8.h"

namespace rasai {
namespace {

constexpr size_t kMaxReadings = 6;  // Urdu readings kept per word
// A word is read as two Urdu words when no reading of it costs less than this, and each part has
// a reading that does; at most kMaxSplitWords words of a query are tried so.
constexpr float kSplitFit = 1.0f;
constexpr size_t kMaxSplitWords = 4;

std::string Lower(std::string_view s) {
  std::string o(s);
  for (char& c : o)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  return o;
}

// The names of the Latin letters as Urdu writes them in acronyms («پی ٹی آئی», «ای سی ایل»).
constexpr std::string_view kLetterNames[26] = {
    "اے", "بی", "سی", "ڈی", "ای", "ایف", "جی", "ایچ", "آئی", "جے", "کے", "ایل", "ایم",
    "این", "او", "پی", "کیو", "آر", "ایس", "ٹی", "یو", "وی", "ڈبلیو", "ایکس", "وائی", "زیڈ"};

// The vowels of a word that may be an acronym: one of 2 to 4 letters; SIZE_MAX for other words.
size_t AcronymVowels(std::string_view w) {
  if (w.size() < 2 || w.size() > 4) return SIZE_MAX;
  size_t vowels = 0;
  for (char c : w) vowels += c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
  return vowels;
}
// An acronym with a vowel («ecl», «pti») is read so only when no Urdu word fits it this well.
constexpr float kAcronymFit = 1.0f;

// The future ending, often written apart in Urdu: «denge» دیں گے, «karegi» کرے گی.
struct FutureEnding {
  std::string_view roman, urdu;
};
constexpr FutureEnding kFuture[] = {{"gay", "گے"}, {"ge", "گے"}, {"gi", "گی"}, {"ga", "گا"}};

// The Arabic article before a name or a noun, typed as its own word: «jamaat ud dawa» جماعت
// الدعوۃ, «inzimam ul haq» انضمام الحق. Read as «al» + the next word.
bool IsArticle(std::string_view w) {
  static constexpr std::string_view kArticles[] = {"ul", "ud", "us", "ut", "un", "ur", "uz", "ush", "al", "ad", "ar", "az"};
  return std::find(std::begin(kArticles), std::end(kArticles), w) != std::end(kArticles);
}

// Whether the text holds a letter of the Arabic script (an Urdu word).
bool HasArabicLetter(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const char32_t c = DecodeUtf8(text, &i);
    if (c >= 0x0600 && c <= 0x06FF) return true;
  }
  return false;
}

void AddReading(std::vector<RomanAlt>* alts, RomanAlt a) {
  for (RomanAlt& x : *alts)
    if (x.terms == a.terms) {
      x.weight = std::max(x.weight, a.weight);
      return;
    }
  alts->push_back(std::move(a));
}

}  // namespace

RomanReading ReadRomanUrdu(const Snapshot& snap, const std::vector<RomanQueryWord>& words, RomanProbe& probe) {
  const size_t n = words.size();
  RomanReading r;
  r.alts.resize(n);
  r.drop.assign(n, 0);
  std::vector<std::string> lower(n);
  std::vector<char> roman(n, 0);
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!words[i].latin || !roman::IsRomanWord(words[i].surface) || count == kMaxRomanWords) continue;
    roman[i] = 1;
    lower[i] = Lower(words[i].surface);
    ++count;
  }
  if (count == 0) return r;
  const std::shared_ptr<const RomanLexicon> held = RomanLexicon::Of(snap);
  const RomanLexicon& lex = *held;
  std::string latin_text;
  for (size_t i = 0; i < n; ++i)
    if (roman[i]) latin_text += lower[i] + " ";
  const bool roman_query = DetectLanguage(latin_text) == "ur-Latn";
  size_t splits = 0;
  std::vector<uint64_t> best_dfs(n, 0);  // per word: its most common Urdu reading's df
  RomanOptions options;
  // A long query needs fewer readings per word (its words say what it is about together) and
  // each one costs postings to merge: 3 up to 8 Roman words, 1 from 13.
  options.scan = std::clamp<size_t>(512 / count, 16, 32);
  options.max = std::clamp<size_t>(24 / count, 1, 3);
  for (size_t i = 0; i < n; ++i) {
    if (!roman[i]) continue;
    const std::string& w = lower[i];
    std::vector<RomanAlt> alts;
    const std::vector<RomanCandidate> cands = RomanCandidates(lex, w, options);
    const size_t vowels = AcronymVowels(w);
    bool acronym = false;
    if (vowels == 0 || (vowels == 1 && (cands.empty() || cands[0].cost >= kAcronymFit))) {
      RomanAlt a;
      for (char c : w) a.terms.emplace_back(kLetterNames[c - 'a']);
      if (probe.PhraseOccurs(a.terms)) {
        acronym = true;
        alts.push_back(std::move(a));
      }
    }
    // A word typed as the usual spelling of its best reading (cost 0: «lag» لگ, «pakistani»
    // پاکستانی) reads as that alone: the others (لیگ, لگا; پاکستان) are there for their
    // frequency, and each is one more postings list to score.
    const bool exact = !cands.empty() && cands[0].cost == 0;
    uint64_t best_df = 0;
    for (const RomanCandidate& c : cands) {
      best_df = std::max(best_df, c.df);
      if (exact && &c != &cands[0]) continue;
      AddReading(&alts, RomanAlt{{c.term}, c.weight, probe.IsStop(c.term)});
    }
    for (const FutureEnding& f : kFuture) {
      if (w.size() < f.roman.size() + 3 || !w.ends_with(f.roman)) continue;
      RomanOptions stem_options = options;
      stem_options.max = 2;
      for (const RomanCandidate& c : RomanCandidates(lex, w.substr(0, w.size() - f.roman.size()), stem_options)) {
        std::vector<std::string> phrase = {c.term, std::string(f.urdu)};
        if (probe.PhraseOccurs(phrase)) AddReading(&alts, RomanAlt{std::move(phrase), c.weight, false});
      }
      break;
    }
    // A word Urdu writes as two («islamabad» اسلام آباد, «website» ویب سائٹ) when no one word
    // fits it well: the best split into two parts of three letters or more that are both read
    // well and stand together in some document.
    if (w.size() >= 6 && (cands.empty() || cands[0].cost >= kSplitFit) && splits < kMaxSplitWords) {
      ++splits;
      RomanOptions part_options = options;
      part_options.max = 1;
      double best = INFINITY;
      RomanAlt split;
      for (size_t p = 3; p + 3 <= w.size(); ++p) {
        const auto left = RomanCandidates(lex, w.substr(0, p), part_options);
        if (left.empty() || left[0].cost >= kSplitFit) continue;
        const auto right = RomanCandidates(lex, w.substr(p), part_options);
        if (right.empty() || right[0].cost >= kSplitFit || left[0].score + right[0].score >= best) continue;
        std::vector<std::string> phrase = {left[0].term, right[0].term};
        if (!probe.PhraseOccurs(phrase)) continue;
        best = left[0].score + right[0].score;
        split = RomanAlt{std::move(phrase), 1.0, false};
      }
      if (!split.terms.empty()) {
        best_df = std::max(best_df, probe.Df(split.terms[0]));
        AddReading(&alts, std::move(split));
      }
    }
    r.alts[i] = std::move(alts);
    best_dfs[i] = acronym ? UINT64_MAX : best_df;
  }
  // A word the collection also writes in Latin letters («computer», «lab», «Lahore» in a collection
  // with English text) is read as Urdu only when the query is Roman Urdu and an Urdu reading is
  // common enough: at least as common in a query with Roman Urdu function words («mein», «ki»,
  // «hai»), twice as common next to a word read as Urdu that the collection never writes in Latin
  // letters («trump taiwan rabta»), ten times as common otherwise («karachi» alone: 2,020 against 36).
  // In a query written mostly in Urdu script, such words are English quoted as written (an
  // organisation's name, «No more tears»), unless they read as Roman Urdu.
  bool other = false;
  for (size_t i = 0; i < n; ++i) other = other || (!r.alts[i].empty() && words[i].latin_df == 0);
  size_t urdu_script = 0;
  for (const RomanQueryWord& w : words) urdu_script += !w.latin && HasArabicLetter(w.surface);
  const bool quoted = urdu_script > count;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t latin = words[i].latin_df;
    if (r.alts[i].empty() || latin == 0) continue;
    const uint64_t need = roman_query ? latin : quoted ? UINT64_MAX : other ? 2 * latin : 10 * latin;
    if (best_dfs[i] < need) r.alts[i].clear();
  }
  // The Arabic article: the next word read with «al» before it.
  for (size_t i = 0; i + 1 < n; ++i) {
    if (!roman[i] || !roman[i + 1] || !IsArticle(lower[i]) || i == 0 || r.alts[i - 1].empty()) continue;
    const std::vector<RomanCandidate> glued = RomanCandidates(lex, "al" + lower[i + 1], options);
    if (glued.empty()) continue;
    // First: the article says which reading is meant.
    std::vector<RomanAlt> alts;
    for (const RomanCandidate& c : glued) AddReading(&alts, RomanAlt{{c.term}, c.weight, probe.IsStop(c.term)});
    for (RomanAlt& a : r.alts[i + 1]) AddReading(&alts, std::move(a));
    r.alts[i + 1] = std::move(alts);
    r.drop[i] = 1;
  }
  // Izafat and conjunction between two words read as Urdu.
  for (size_t i = 1; i + 1 < n; ++i) {
    if (r.alts[i - 1].empty() || r.alts[i + 1].empty()) continue;
    const std::string s = Lower(words[i].surface);
    if (s == "e") r.drop[i] = 1;
    if (s == "o") r.alts[i] = {RomanAlt{{"و"}, 1.0, true}};
  }
  bool any = false;
  for (size_t i = 0; i < n; ++i) {
    std::vector<RomanAlt>& alts = r.alts[i];
    std::stable_sort(alts.begin(), alts.end(), [](const RomanAlt& a, const RomanAlt& b) { return a.weight > b.weight; });
    // A content word's readings that are stopwords («hafiz» as «حافظ», not «ہے») add cost and
    // only noise.
    if (!alts.empty() && !alts[0].stop) std::erase_if(alts, [](const RomanAlt& a) { return a.stop; });
    // A stopword's other stopword readings («ki» as «کی», then «کے», «کہ»): each a long postings
    // list to merge, for words that barely rank. Only the best of them is kept.
    if (!alts.empty() && alts[0].stop)
      alts.erase(std::remove_if(alts.begin() + 1, alts.end(), [](const RomanAlt& a) { return a.stop; }), alts.end());
    if (alts.size() > kMaxReadings) alts.resize(kMaxReadings);
    if (r.drop[i]) continue;
    if (!r.transliteration.empty()) r.transliteration += " ";
    if (alts.empty()) {
      r.transliteration += words[i].surface;
      continue;
    }
    any = true;
    for (size_t t = 0; t < alts[0].terms.size(); ++t) r.transliteration += (t ? " " : "") + alts[0].terms[t];
  }
  if (!any) r.transliteration.clear();
  return r;
}

bool LexiconProbe::PhraseOccurs(const std::vector<std::string>& terms) {
  return lex_.PhraseAmongFirst(terms, kPhraseScan);
}

bool LexiconProbe::IsStop(const std::string& term) {
  std::vector<Token> toks;
  DefaultAnalyzer().Analyze(term, &toks);
  return toks.size() == 1 && toks[0].stop;
}

std::string AddRomanUrdu(Lexicon& lex, BooleanQuery* query) {
  std::vector<AlternativesQuery>& groups = query->groups;
  std::vector<RomanQueryWord> words(groups.size());
  bool any = false;
  for (size_t i = 0; i < groups.size(); ++i) {
    const AlternativesQuery& g = groups[i];
    words[i].surface = g.surface;
    words[i].latin = g.alts.size() == 1 && g.alts[0].terms.size() == 1 && roman::IsRomanWord(g.surface);
    if (words[i].latin) words[i].latin_df = lex.Df(g.alts[0].terms[0], g.alts[0].field);
    any = any || words[i].latin;
  }
  if (!any) return "";
  LexiconProbe probe(lex);
  RomanReading reading = ReadRomanUrdu(lex.snapshot(), words, probe);
  std::vector<AlternativesQuery> kept;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (reading.drop[i]) continue;
    AlternativesQuery& g = groups[i];
    if (!reading.alts[i].empty()) {
      const int field = g.alts[0].field;
      std::vector<Alternative> alts;
      for (RomanAlt& a : reading.alts[i]) {
        Alternative alt(PhraseQuery{std::move(a.terms), field}, a.weight, a.stop);
        alts.push_back(std::move(alt));
        if (alts.size() == 1) {  // the typed word, second
          alts.push_back(g.alts[0]);
          // A function word («ki», «hai») typed in Latin letters is a function word still: as a
          // content word, it would keep documents holding only its Urdu reading from matching a
          // query of function words alone («kya»).
          alts.back().stop = alts.back().stop || alts[0].stop;
        }
      }
      g.stop = alts[0].stop;
      // A word read first as a function word («to» تو, «jaye» جائے) is one: its other readings
      // (ٹو, جی) score alongside the query's content words but do not make a match alone, as its
      // best reading does not (each would otherwise be one more list of candidates to score).
      if (g.stop)
        for (Alternative& a : alts) a.stop = true;
      g.alts = std::move(alts);
    }
    kept.push_back(std::move(g));
  }
  groups = std::move(kept);
  return std::move(reading.transliteration);
}

std::vector<std::string> RomanSuggest(const Snapshot& snap, std::string_view typed, size_t n, RomanProbe& probe,
                                      UrduCompleter complete, const void* ctx) {
  constexpr float kFit = 1.5f;  // how well the typed letters must spell a completion's last word
  std::vector<std::string> out;
  // The words typed, the last one (being typed) apart; "" when the text ends in a space.
  std::vector<std::string> head;
  std::string last;
  size_t i = 0;
  while (i < typed.size()) {
    while (i < typed.size() && (typed[i] == ' ' || typed[i] == '\t')) ++i;
    size_t j = i;
    while (j < typed.size() && typed[j] != ' ' && typed[j] != '\t') ++j;
    if (j > i) {
      if (j == typed.size()) last.assign(typed.substr(i, j - i));
      else head.emplace_back(typed.substr(i, j - i));
    }
    i = j;
  }
  if (head.size() > kMaxRomanWords) return out;
  // An izafat typed before the word being typed («wazir e az»): not written in Urdu.
  if (head.size() >= 2 && (head.back() == "e" || head.back() == "E") && roman::IsRomanWord(head[head.size() - 2]))
    head.pop_back();
  const bool last_roman = !last.empty() && roman::IsRomanWord(last);
  // The words before: as a query reads them.
  std::vector<RomanQueryWord> words(head.size());
  bool any_roman = last_roman || (last.size() == 1 && (last[0] | 0x20) >= 'a' && (last[0] | 0x20) <= 'z');
  for (size_t k = 0; k < head.size(); ++k) {
    words[k].surface = head[k];
    words[k].latin = roman::IsRomanWord(head[k]);
    any_roman = any_roman || words[k].latin;
    if (words[k].latin) words[k].latin_df = probe.Df(DefaultAnalyzer().Term(head[k]));
  }
  if (!any_roman) return out;
  std::string urdu_head;
  if (!head.empty()) {
    const RomanReading reading = ReadRomanUrdu(snap, words, probe);
    // English words before the one being typed («prime min»): English text, not Roman Urdu.
    for (size_t k = 0; k < head.size(); ++k)
      if (words[k].latin && reading.alts[k].empty() && !reading.drop[k]) return out;
    urdu_head = reading.transliteration;
    if (urdu_head.empty())
      for (const std::string& w : head) urdu_head += (urdu_head.empty() ? "" : " ") + w;
  }
  auto add = [&](std::string s) {
    if (out.size() < n && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
  };
  const std::string before = urdu_head.empty() ? "" : urdu_head + " ";
  // The words the collection writes after the ones before, when the letters typed spell them.
  if (!head.empty() && (last.empty() || last_roman)) {
    const roman::Aligner aligner(Lower(last));
    for (const std::string& c : complete(ctx, before, 4 * n)) {
      if (!c.starts_with(before)) continue;
      if (!last.empty()) {
        const std::string_view next = std::string_view(c).substr(before.size());
        if (aligner.PrefixCost(next.substr(0, next.find(' '))) > kFit) continue;
      }
      add(c);
    }
  }
  // The Urdu words the letters typed may begin.
  const std::string_view previous = std::string_view(urdu_head).substr(urdu_head.find_last_of(' ') + 1);
  if (last_roman)
    for (const RomanCandidate& c : RomanCompletions(snap, last, n + 1))
      if (c.term != previous) add(before + c.term);  // not the word just typed again
  return out;
}

}  // namespace rasai
