// Internal: the letter model of Roman Urdu (Urdu typed in Latin letters), what query planning uses
// to read a Latin word such as «hukumat» as the Urdu words of the index («حکومت»).
//
// Two parts, both pure functions of the strings (no index, no data files):
//  - Keys: a word's consonant skeleton in classes of letters that Roman spelling does not tell
//    apart (t = ت ط ٹ, s = س ص ث, z = ز ذ ض ظ ژ, k = ک ق, n = ن ں …). Vowel letters and the
//    letters that stand for vowels or aspiration (ا آ ع و ی ے ہ ح ھ ء ئ ؤ) are left out, as Roman
//    vowels and a e i o u y w v h are. An Urdu term has one key; a Roman word a few (kh = خ or کھ,
//    c = ک or س, a doubled letter once or twice), so candidates are found by equal keys.
//  - Alignment cost: how well a Roman word spells an Urdu term, the cheapest way of reading the
//    Roman letters left to right as Urdu letters by weighted rules (letter classes, digraphs, short
//    vowels left unwritten, the ی / ے ending, noon ghunna, the initial alef of «اسکرین», English
//    spellings of loanwords: c before e/i as س, -tion as شن). Lower is better; the weights are in
//    roman_urdu.cc with the reasons for them.
//
// Thread-safety: everything here may be called from many threads at once.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rasai::roman {

// Longest words read: a Roman word of more letters, or an Urdu term of more code points, is not
// transliterated (no real word is that long; the bound keeps a hostile query's cost fixed).
constexpr size_t kMaxRomanLetters = 24;
constexpr size_t kMaxUrduLetters = 24;
// The cost Cost() returns when no alignment exists.
constexpr float kNoMatch = 1e9f;

// True when `word` can be read as Roman Urdu: 2 to kMaxRomanLetters ASCII letters (any case).
bool IsRomanWord(std::string_view word);

// The key of an Urdu term (already normalized as the analyzer normalizes: ی ک ہ folded), into
// *key. False when the term holds a code point that is not an Urdu letter, or is too long.
bool UrduKey(std::u32string_view term, std::string* key);

// The keys a Roman word (lower-case ASCII letters; see IsRomanWord) may have, most likely first,
// at most `limit` of them, without repeats. Empty for a word that is not a Roman word.
std::vector<std::string> RomanKeys(std::string_view word, size_t limit = 16);

// The rule tables an Aligner reads (roman_urdu.cc), built once.
struct AlignerTables;

// Alignment costs of one Roman word against many Urdu terms: the rules that apply at each
// position of the word are found once, when it is constructed. An Aligner holds its tables
// inline (about 8 KB, no allocation but the word's own beyond 15 letters).
class Aligner {
 public:
  // `word`: lower-case ASCII letters (IsRomanWord); any other word aligns with nothing.
  explicit Aligner(std::string_view word);
  // The cost of reading the whole word as the whole term; kNoMatch when no rule path exists, or
  // when the cost passes `max` (the reading stops as soon as it must).
  float Cost(std::u32string_view urdu, float max = kNoMatch) const;
  // The same for the term in UTF-8 (as the index holds it): equal to Cost of its code points
  // (DecodeUtf8), read straight from the bytes of the Arabic block.
  float Cost(std::string_view urdu, float max = kNoMatch) const;
  // The cost of reading the whole word as the start of the term (the rest of the term is free):
  // what completion of a typed prefix uses.
  float PrefixCost(std::u32string_view urdu) const;
  float PrefixCost(std::string_view urdu) const;
  const std::string& word() const { return word_; }

  // Bounds of the inline tables (roman_urdu.cc checks that the rule table fits them).
  static constexpr size_t kRulesAt = 48;    // rules that may apply at one position
  static constexpr size_t kLetterIds = 48;  // Urdu letters some rule writes first, plus 1

 private:
  // The cost of `urdu` (m code points, ids[j] the number of each, FirstLetters::Of), prefix as PrefixCost.
  float Run(const char32_t* urdu, const uint8_t* ids, size_t m, bool prefix, float max) const;
  // Cost / PrefixCost of a UTF-8 term.
  float RunUtf8(std::string_view urdu, bool prefix, float max) const;
  float RunCodePoints(std::u32string_view urdu, bool prefix, float max) const;
  const AlignerTables* t_;
  std::string word_;
  // The rules whose Roman side matches at each position i of word_ (0..size), as indexes into
  // the rule table, with their Roman-side contexts already checked: those writing an Urdu letter
  // first, grouped by that letter, then those writing nothing. Position i's are at_[at_begin_[i]
  // .. at_begin_[i + 1]), those writing nothing from at_[empty_from_[i]].
  std::array<uint16_t, (kMaxRomanLetters + 1) * kRulesAt> at_;
  std::array<uint16_t, kMaxRomanLetters + 2> at_begin_;
  std::array<uint16_t, kMaxRomanLetters + 1> empty_from_;
  // doubled_[i]: letter i repeats letter i - 1, a consonant (read as nothing at kDoubledLetter).
  std::array<bool, kMaxRomanLetters + 1> doubled_;
  // by_letter_[i * kLetterIds + id]: the range [first, end) of at_ (within position i's) writing
  // first the Urdu letter numbered id (roman_urdu.cc, FirstLetters).
  std::array<std::array<uint16_t, 2>, (kMaxRomanLetters + 1) * kLetterIds> by_letter_;
  // least_[id]: the least any rule that applies somewhere in the word costs to write the Urdu
  // letter numbered id (0 where a rule writes it after its first letter; kNoMatch where none
  // writes it): their sum over a term's letters is a lower bound of its cost.
  std::array<float, kLetterIds> least_;
};

}  // namespace rasai::roman
