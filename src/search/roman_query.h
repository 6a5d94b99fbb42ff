// Internal: how query planning reads the Roman Urdu words of a query («imran khan ki hukumat»).
// Given the query's words in order, ReadRomanUrdu says, for each Latin word that the collection
// writes in Urdu letters, which Urdu terms and phrases to look for instead, with weights from the
// candidate model (roman_lexicon.h), and how the query reads in Urdu script («عمران خان کی
// حکومت»). Besides single words it reads:
//  - the izafat «e» / «-e-» between two such words (not written in Urdu: left out) and the
//    conjunction «o» (و);
//  - the Arabic article: «jamaat ud dawa» → جماعت الدعوۃ («ul», «ud», «us» … + the next word);
//  - the future ending written apart: «denge» → «دیں گے», «banegi» → «بنے گی»;
//  - acronyms spelled out in Urdu letter names: «tv» → «ٹی وی», «ecl» → «ای سی ایل».
// The planner keeps the typed word as an alternative too, so Latin text still matches.
//
// AddRomanUrdu is the planning step (planner.h) built on it.
//
// Thread-safety: ReadRomanUrdu may run on many threads at once (each with its own Probe);
// AddRomanUrdu and LexiconProbe use one search's Lexicon (thread-compatible).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rasai/index.h"
#include "search/lexicon.h"
#include "search/query.h"

namespace rasai {

// What ReadRomanUrdu asks of the index, answered by the planner (which caches its lookups).
class RomanProbe {
 public:
  virtual ~RomanProbe() = default;
  // Documents holding the term (any text field).
  virtual uint64_t Df(const std::string& term) = 0;
  // Whether some document holds the terms at consecutive positions. An answer may look at a
  // bounded number of the documents holding them all, and say false when those lack the phrase.
  virtual bool PhraseOccurs(const std::vector<std::string>& terms) = 0;
  // Whether the (Urdu) term is a stopword.
  virtual bool IsStop(const std::string& term) = 0;
};

// A RomanProbe answered by one search's Lexicon (which caches its lookups).
class LexiconProbe : public RomanProbe {
 public:
  explicit LexiconProbe(Lexicon& lex) : lex_(lex) {}
  uint64_t Df(const std::string& term) override { return lex_.Df(term); }
  // Looks at the first kPhraseScan documents (per field, over the snapshot: Lexicon::
  // PhraseAmongFirst) holding the rarest of the terms: a reading that needs a phrase («میں گی» for
  // «mehngi») is kept only when the phrase shows there, so that two common words that never stand
  // together cost a bounded walk.
  static constexpr uint32_t kPhraseScan = 128;
  bool PhraseOccurs(const std::vector<std::string>& terms) override;
  bool IsStop(const std::string& term) override;

 private:
  Lexicon& lex_;
};

struct RomanAlt {
  std::vector<std::string> terms;  // one term, or a phrase
  double weight = 1;               // relative to the word's best reading (1)
  bool stop = false;
};

struct RomanQueryWord {
  std::string surface;    // the word as typed
  bool latin = false;     // a single Latin-script word (the planner's analyzer decides)
  uint64_t latin_df = 0;  // documents holding the typed word's own term
};

struct RomanReading {
  // Per word: its Urdu readings, best first (empty: not read as Roman Urdu).
  std::vector<std::vector<RomanAlt>> alts;
  std::vector<char> drop;     // per word: an izafat «e», to be left out of the query
  std::string transliteration;  // the words with each Roman one as its best reading; "" if none
};

// Bounded: at most kMaxRomanWords words are read (the first ones), each with at most 16 keys and
// a scan per key that shrinks as the query grows.
constexpr size_t kMaxRomanWords = 48;
RomanReading ReadRomanUrdu(const Snapshot& snap, const std::vector<RomanQueryWord>& words, RomanProbe& probe);

// The planning step: each group of one Latin word that the collection writes in Urdu letters gets
// its Urdu readings as alternatives, weighted by the candidate model, the best one first (so that
// compounds are glued and split from it) and the typed word second; an izafat «e» is left out.
// Returns the query as searched in Urdu script (RomanReading::transliteration), "" when no word
// was read as Roman Urdu.
std::string AddRomanUrdu(Lexicon& lex, BooleanQuery* query);

// Completions, in Urdu script, of text being typed in Roman Urdu («imran kh» → «عمران خان»), best
// first, at most n; empty when the text holds no Roman word. The words before the last are read
// as a query reads them (ReadRomanUrdu); `complete(text, k)` completes Urdu text as
// Searcher::Suggest does, and its completions after those words come first when their last word
// can be spelt by the letters typed (Aligner::PrefixCost); then the Urdu words those letters may
// begin (RomanCompletions). A last word typed in full is completed after the words before it too.
using UrduCompleter = std::vector<std::string> (*)(const void* ctx, const std::string& text, size_t k);
std::vector<std::string> RomanSuggest(const Snapshot& snap, std::string_view typed, size_t n, RomanProbe& probe,
                                      UrduCompleter complete, const void* ctx);

}  // namespace rasai
