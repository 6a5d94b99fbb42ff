#include "search/roman_urdu.h"

#include <algorithm>
#include <array>

#include "util/utf8.h"

namespace rasai::roman {
namespace {

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

// --- keys ------------------------------------------------------------------------------------------

// The key class of an Urdu letter: a consonant class letter, '.' for a letter that is left out
// of keys (vowels, aspiration, hamza), 0 for a code point that is not an Urdu letter.
char UrduClass(char32_t c) {
  switch (c) {
    case U'ب': return 'b';
    case U'پ': return 'p';
    case U'ف': return 'f';
    case U'ت': case U'ط': case U'ٹ': return 't';
    case U'د': case U'ڈ': return 'd';
    case U'ر': case U'ڑ': return 'r';
    case U'ز': case U'ذ': case U'ض': case U'ظ': case U'ژ': return 'z';
    case U'س': case U'ص': case U'ث': return 's';
    case U'ش': return 'S';
    case U'ج': return 'j';
    case U'چ': return 'c';
    case U'ک': case U'ق': return 'k';
    case U'خ': return 'x';
    case U'گ': return 'g';
    case U'غ': return 'G';
    case U'ل': return 'l';
    case U'م': return 'm';
    case U'ن': case U'ں': return 'n';
    case U'ا': case U'آ': case U'ع': case U'ء': case U'ئ': case U'ؤ': case U'و': case U'ی': case U'ے':
    case U'ہ': case U'ح': case U'ھ': case U'ۃ': case U'ۂ': case U'ۓ':
      return '.';
    default: return 0;
  }
}

// A Roman spelling unit and the key classes it may stand for, most likely first. Longer units
// are tried first; letters not listed (a e i o u y w v h) are left out of keys.
struct Unit {
  std::string_view roman;
  std::array<std::string_view, 2> classes;
};
constexpr Unit kUnits[] = {
    {"tion", {"Sn", ""}}, {"sion", {"Sn", "zn"}}, {"tio", {"S", ""}},
    {"kh", {"x", "k"}},   {"gh", {"G", "g"}},     {"sh", {"S", "s"}},   {"ch", {"c", ""}},
    {"ph", {"f", "p"}},   {"th", {"t", ""}},      {"dg", {"j", ""}},      {"dh", {"d", ""}},    {"bh", {"b", ""}},
    {"jh", {"j", ""}},    {"rh", {"r", ""}},      {"zh", {"z", ""}},    {"ck", {"k", ""}},
    {"b", {"b", ""}},     {"p", {"p", ""}},       {"f", {"f", ""}},     {"t", {"t", ""}},
    {"d", {"d", ""}},     {"r", {"r", ""}},       {"z", {"z", ""}},     {"s", {"s", ""}},
    {"j", {"j", ""}},     {"k", {"k", ""}},       {"q", {"k", ""}},     {"g", {"g", ""}},
    {"l", {"l", ""}},     {"m", {"m", ""}},       {"n", {"n", ""}},     {"x", {"ks", ""}},
    {"c", {"k", "s"}},
};

// --- alignment rules -------------------------------------------------------------------------------

enum Flag : uint16_t {
  kStart = 1,          // at the start of both words
  kEnd = 2,            // at the end of both words
  kNotEnd = 4,         // not at the end of the Roman word
  kNotStart = 8,       // not at the start of the Roman word
  kAfterVowel = 16,    // after a Roman vowel (a e i o u y) or at the start
  kAfterConsonant = 32,
  kMagicE = 64,  // followed by one consonant and a final e, as in English «line», «case», «phone»
  kSilentE = 128,  // a final e after a consonant after a vowel («line»: not written in Urdu)
};

struct RuleSpec {
  std::string_view roman;
  std::string_view urdu;  // UTF-8; "" = nothing written
  float cost;
  uint16_t flags = 0;
  std::string_view next_in = {};      // the next Roman letter must be one of these
  std::string_view next_not_in = {};  // the next Roman letter (if any) must not be one of these
};

// Costs are in units of "surprise": 0 for the usual spelling, about 0.5 for a common other one,
// 1-1.5 for a rare one, 2.5 for a Roman letter the Urdu word does not write at all. They were set
// by what Urdu spelling is (not fitted to query files): short vowels are unwritten between
// consonants but a word-final vowel is written (ا ہ ی ے و); a word-initial vowel needs a carrier
// (ا آ ع); Roman «h» after a consonant is aspiration (ھ) or a digraph, after a vowel the letter ہ;
// an English loanword keeps its sounds, not its letters (c before e/i/y as س, -tion as شن, the
// prosthetic alef of «اسکول»).
constexpr RuleSpec kRules[] = {
    // Consonants and their classes.
    {"b", "ب", 0}, {"p", "پ", 0}, {"f", "ف", 0}, {"ph", "ف", 0.3f},
    {"t", "ت", 0}, {"t", "ٹ", 0.4f}, {"t", "ط", 0.7f},
    {"d", "د", 0}, {"d", "ڈ", 0.4f}, {"d", "ذ", 1.5f}, {"d", "ض", 1.5f},
    {"r", "ر", 0}, {"r", "ڑ", 0.6f},
    {"z", "ز", 0}, {"z", "ذ", 0.6f}, {"z", "ض", 0.6f}, {"z", "ظ", 0.6f}, {"z", "ژ", 1.0f}, {"zh", "ژ", 0.3f},
    {"s", "س", 0}, {"s", "ص", 0.6f}, {"s", "ث", 0.8f}, {"th", "ث", 1.2f}, {"sh", "ش", 0},
    {"s", "ز", 0.5f, kEnd},  // English plural -s sounds z: «jones» جونز
    {"s", "اس", 0.3f, kStart, "bcdfgjklmnpqrtvwz"},  // «screen» اسکرین, «spain» اسپین
    {"j", "ج", 0}, {"ch", "چ", 0}, {"c", "چ", 1.0f},
    {"k", "ک", 0}, {"k", "ق", 0.6f}, {"kh", "خ", 0}, {"k", "خ", 1.5f},
    {"q", "ق", 0}, {"q", "ک", 0.6f}, {"ck", "ک", 0.1f},
    {"c", "ک", 0.2f, 0, {}, "eiy"}, {"c", "س", 1.5f, 0, {}, "eiy"},
    {"c", "س", 0.1f, 0, "eiy"}, {"c", "ک", 1.5f, 0, "eiy"},
    {"x", "کس", 0.2f},
    {"g", "گ", 0}, {"gh", "غ", 0}, {"g", "غ", 1.2f},
    {"g", "ج", 1.5f, 0, {}, "ei"}, {"g", "ج", 0.8f, 0, "ei"},  // «general» جنرل
    {"l", "ل", 0}, {"m", "م", 0}, {"n", "ن", 0}, {"n", "ں", 0.5f}, {"n", "ں", 0, kEnd},  // noon ghunna: «mein» میں
    {"y", "ی", 0}, {"y", "", 0.5f, kNotStart | kNotEnd | kAfterConsonant, {}, "aeiou"},  // English y as a vowel: «cylinder»; before a vowel it is a consonant: «kya» کیا
    {"w", "و", 0}, {"v", "و", 0},
    {"h", "ہ", 0, kAfterVowel}, {"h", "ہ", 0.8f, kAfterConsonant}, {"h", "ح", 0.3f},
    {"h", "ھ", 0.2f, kAfterConsonant}, {"h", "", 2.0f},
    // Vowels: short ones unwritten inside a word, a final one written.
    {"a", "", 0, kNotStart | kNotEnd}, {"a", "", 1.5f, kNotStart | kEnd}, {"a", "ا", 0.2f},
    {"a", "ا", 0.1f, kEnd}, {"a", "ع", 0.5f}, {"a", "آ", 0.5f}, {"a", "ہ", 0.1f, kEnd},
    {"a", "ی", 1.2f}, {"a", "ے", 1.0f, kEnd}, {"a", "ۃ", 0.3f, kEnd}, {"at", "ۃ", 0.3f, kEnd},  // «dawa» دعوۃ  // English a as in «taxi» ٹیکسی
    {"a", "ع", 0.2f, kStart}, {"a", "ا", 0.1f, kStart}, {"a", "آ", 0.2f, kStart}, {"a", "ای", 0.5f, kStart},
    {"aa", "ا", 0}, {"aa", "آ", 0.2f}, {"aa", "عا", 0.2f},
    {"e", "", 0.3f, kNotStart | kNotEnd}, {"e", "", 1.0f, kNotStart | kEnd}, {"e", "ی", 0.3f},
    {"e", "ے", 0, kEnd}, {"e", "ہ", 0.5f, kEnd}, {"e", "ع", 0.7f}, {"e", "ا", 0.1f, kStart},
    {"e", "ای", 0.2f, kStart}, {"e", "ع", 0.3f, kStart}, {"ee", "ی", 0},
    {"i", "ی", 0.3f}, {"i", "ی", 0, kEnd}, {"i", "", 0.2f, kNotStart | kNotEnd}, {"i", "", 1.5f, kNotStart | kEnd},
    {"i", "ع", 0.7f}, {"i", "ا", 0.1f, kStart}, {"i", "ع", 0.2f, kStart}, {"i", "ای", 0.3f, kStart},
    {"i", "ائی", 0.8f}, {"i", "ائ", 0.8f},  // English i as in «driver» ڈرائیور
    {"i", "ئی", 0.3f, kAfterVowel},
    {"e", "", 0.7f, kEnd | kSilentE}, {"i", "ائ", 0.2f, kMagicE}, {"a", "ی", 0.3f, kMagicE},  // «line» لائن, «case» کیس
    {"o", "آ", 0.5f, kStart}, {"o", "ا", 0.5f, kStart},  // English short o: «of» آف
    {"dg", "ج", 0.2f},  // «judge» جج
    {"o", "و", 0}, {"o", "", 0.8f, kNotStart | kNotEnd}, {"o", "ؤ", 0.5f}, {"o", "او", 0.1f, kStart}, {"oo", "و", 0},
    {"u", "", 0.1f, kNotStart | kNotEnd}, {"u", "و", 0.3f}, {"u", "ا", 0.2f, kStart}, {"u", "ع", 0.2f, kStart},
    {"u", "ع", 0.5f}, {"u", "او", 0.3f, kStart},
    {"ai", "ے", 0, kEnd}, {"ai", "ی", 0.3f}, {"ay", "ے", 0, kEnd}, {"ae", "ے", 0.2f, kEnd},
    {"au", "و", 0}, {"au", "ؤ", 0.5f}, {"ei", "ی", 0.1f},
    {"tion", "شن", 0}, {"er", "ر", 0.1f, kEnd},
    // Urdu letters no Roman letter stands for.
    {"", "ا", 1.2f}, {"", "ا", 1.5f, kStart}, {"", "ع", 0.3f}, {"", "ی", 1.2f}, {"", "و", 1.2f},
    {"", "ں", 0.6f, kEnd}, {"", "ہ", 1.0f}, {"", "ح", 1.0f}, {"", "ھ", 0.8f}, {"", "ئ", 0.3f}, {"", "ء", 0.3f},
    {"y", "ئ", 0.3f}, {"i", "ئ", 0.2f}, {"e", "ئ", 0.3f},
    // Roman consonants the Urdu word does not write.
    {"b", "", 2.5f}, {"c", "", 2.5f}, {"d", "", 2.5f}, {"f", "", 2.5f}, {"g", "", 2.5f}, {"j", "", 2.5f},
    {"k", "", 2.5f}, {"l", "", 2.5f}, {"m", "", 2.5f}, {"n", "", 2.5f}, {"p", "", 2.5f}, {"q", "", 2.5f},
    {"r", "", 2.5f}, {"s", "", 2.5f}, {"t", "", 2.5f}, {"v", "", 2.5f}, {"w", "", 2.5f}, {"x", "", 2.5f},
    {"z", "", 2.5f},
};
// The most Roman letters one rule reads («tion»).
constexpr size_t kLongestRule = [] {
  size_t longest = 1;
  for (const RuleSpec& r : kRules) longest = std::max(longest, r.roman.size());
  return longest;
}();

// The most Urdu letters one rule writes («ائی»; every one of them two bytes in UTF-8).
constexpr size_t kLongestUrdu = [] {
  size_t longest = 1;
  for (const RuleSpec& r : kRules) longest = std::max(longest, r.urdu.size() / 2);
  return longest;
}();
static_assert(kLongestUrdu <= 3, "RuleLetterIds holds 3 letters a rule");

// A doubled Roman consonant («pappi», «karrwai»): the second letter read as nothing.
constexpr float kDoubledLetter = 0.1f;

// The set of the letters of `s` ('a'..'z'), one bit each.
constexpr uint32_t LetterSet(std::string_view s) {
  uint32_t set = 0;
  for (char c : s)
    if (c >= 'a' && c <= 'z') set |= uint32_t{1} << (c - 'a');
  return set;
}
bool InSet(uint32_t set, char c) { return c >= 'a' && c <= 'z' && (set >> (c - 'a') & 1); }

struct Rule {
  std::string roman;
  std::u32string urdu;
  float cost;
  uint16_t flags;
  uint32_t next_in, next_not_in;  // LetterSet of RuleSpec's (0: no condition)
};

const std::vector<Rule>& Rules() {
  static const std::vector<Rule> rules = [] {
    std::vector<Rule> r;
    for (const RuleSpec& s : kRules) {
      Rule x{std::string(s.roman), {}, s.cost, s.flags, LetterSet(s.next_in), LetterSet(s.next_not_in)};
      DecodeUtf8(s.urdu, &x.urdu);
      r.push_back(std::move(x));
    }
    return r;
  }();
  return rules;
}

// The order of the rules that apply at one position of a word (Aligner::at_): those writing an
// Urdu letter first, by that letter, then those writing nothing.
bool WritesBefore(uint16_t a, uint16_t b) {
  const std::vector<Rule>& rules = Rules();
  const bool ea = rules[a].urdu.empty(), eb = rules[b].urdu.empty();
  if (ea != eb) return eb;
  return !ea && rules[a].urdu[0] < rules[b].urdu[0];
}

// The rules by the first letter of their Roman side ('a'..'z'; 26: those reading no letter),
// each list in WritesBefore order (stable).
const std::array<std::vector<uint16_t>, 27>& RulesByLetter() {
  static const std::array<std::vector<uint16_t>, 27> by = [] {
    std::array<std::vector<uint16_t>, 27> b;
    const std::vector<Rule>& rules = Rules();
    for (size_t r = 0; r < rules.size(); ++r)
      b[rules[r].roman.empty() ? 26 : rules[r].roman[0] - 'a'].push_back(static_cast<uint16_t>(r));
    for (auto& list : b) std::stable_sort(list.begin(), list.end(), WritesBefore);
    return b;
  }();
  return by;
}

// What deciding whether a rule applies at a position of a word reads of it, packed.
struct RuleHead {
  std::array<char, 4> roman;  // the Roman side, roman_len letters
  uint8_t roman_len, urdu_len;
  uint16_t flags;
  uint32_t next_in, next_not_in;
  uint16_t rule;  // its index in Rules()
};
static_assert(kLongestRule <= 4, "RuleHead holds 4 Roman letters");

// The rules that may apply where the Roman word has the letter 'a' + c (c < 26; 26: past its
// end): those reading no letter and those reading from that letter on, in WritesBefore order.
const std::array<std::vector<RuleHead>, 27>& RulesAtLetter() {
  static const std::array<std::vector<RuleHead>, 27> at = [] {
    std::array<std::vector<RuleHead>, 27> a;
    const auto& by = RulesByLetter();
    const std::vector<Rule>& rules = Rules();
    const std::vector<uint16_t> none;
    std::vector<uint16_t> merged;
    merged.reserve(rules.size());
    for (size_t c = 0; c <= 26; ++c) {
      const std::vector<uint16_t>& letter = c < 26 ? by[c] : none;
      merged.resize(by[26].size() + letter.size());
      std::merge(by[26].begin(), by[26].end(), letter.begin(), letter.end(), merged.begin(), WritesBefore);
      for (uint16_t r : merged) {
        const Rule& x = rules[r];
        RuleHead h{};
        for (size_t k = 0; k < x.roman.size(); ++k) h.roman[k] = x.roman[k];
        h.roman_len = static_cast<uint8_t>(x.roman.size());
        h.urdu_len = static_cast<uint8_t>(x.urdu.size());
        h.flags = x.flags;
        h.next_in = x.next_in;
        h.next_not_in = x.next_not_in;
        h.rule = r;
        a[c].push_back(h);
      }
    }
    return a;
  }();
  return at;
}

// The Urdu letters some rule writes first, numbered 1..; 0 for any other code point (no rule
// writes it first).
struct FirstLetters {
  std::array<uint8_t, 256> id_of{};  // by code point - U+0600
  size_t count = 0;
};
const FirstLetters& FirstLetterIds() {
  static const FirstLetters f = [] {
    FirstLetters x;
    for (const Rule& r : Rules()) {
      if (r.urdu.empty() || r.urdu[0] < 0x0600 || r.urdu[0] >= 0x0700) continue;
      uint8_t& id = x.id_of[r.urdu[0] - 0x0600];
      if (id == 0) id = static_cast<uint8_t>(++x.count);
    }
    return x;
  }();
  return f;
}
uint8_t FirstLetterId(char32_t c) {
  return c >= 0x0600 && c < 0x0700 ? FirstLetterIds().id_of[c - 0x0600] : 0;
}

// Per rule, the numbers (FirstLetterId) of the Urdu letters it writes: [0] how many, then them.
const std::vector<std::array<uint8_t, 4>>& RuleLetterIds() {
  static const std::vector<std::array<uint8_t, 4>> ids = [] {
    std::vector<std::array<uint8_t, 4>> v;
    for (const Rule& r : Rules()) {
      std::array<uint8_t, 4> x{};
      for (size_t k = 0; k < r.urdu.size(); ++k) x[++x[0]] = FirstLetterId(r.urdu[k]);
      v.push_back(x);
    }
    return v;
  }();
  return ids;
}

}  // namespace

bool IsRomanWord(std::string_view word) {
  if (word.size() < 2 || word.size() > kMaxRomanLetters) return false;
  for (char c : word)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

bool UrduKey(std::u32string_view term, std::string* key) {
  key->clear();
  if (term.empty() || term.size() > kMaxUrduLetters) return false;
  for (char32_t c : term) {
    const char k = UrduClass(c);
    if (k == 0) return false;
    if (k != '.') key->push_back(k);
  }
  return true;
}

std::vector<std::string> RomanKeys(std::string_view word, size_t limit) {
  std::vector<std::string> out;
  if (!IsRomanWord(word) || limit == 0) return out;
  // The options of each consonant unit, in word order.
  std::vector<std::vector<std::string>> opts;
  size_t i = 0;
  while (i < word.size()) {
    const char c = word[i];
    if (c < 'a' || c > 'z') return out;  // upper case: the caller lower-cases
    if (IsVowel(c) || c == 'h' || c == 'w' || c == 'v') {
      ++i;
      continue;
    }
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits)
      if (word.substr(i).starts_with(u.roman)) {
        unit = &u;
        break;
      }
    if (!unit) return out;
    i += unit->roman.size();
    const char next = i < word.size() ? word[i] : 0;
    std::vector<std::string> o;
    for (std::string_view cl : unit->classes)
      if (!cl.empty()) o.emplace_back(cl);
    if (unit->roman == "g" && (next == 'e' || next == 'i')) o.push_back("j");        // «general» جنرل
    if (unit->roman == "s" && next == 0 && word.size() > 3) o.push_back("z");        // «jones» جونز
    if (unit->roman.size() == 1 && next == unit->roman[0]) {                         // «pappi» پپی
      ++i;
      const size_t n = o.size();
      for (size_t k = 0; k < n; ++k) o.push_back(o[k] + o[k]);
    }
    opts.push_back(std::move(o));
  }
  // A final nasal vowel is typed without its noon ghunna: «nahi» نہیں, «me» میں.
  if (IsVowel(word.back())) opts.push_back({"", "n"});
  // Every combination, the first options first, up to `limit`.
  std::vector<size_t> pick(opts.size(), 0);
  while (out.size() < limit) {
    std::string key;
    for (size_t u = 0; u < opts.size(); ++u) key += opts[u][pick[u]];
    if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(std::move(key));
    size_t u = opts.size();
    while (u > 0) {
      --u;
      if (++pick[u] < opts[u].size()) break;
      pick[u] = 0;
      if (u == 0) return out;
    }
    if (opts.empty()) break;
  }
  return out;
}

Aligner::Aligner(std::string_view word) {
  if (!IsRomanWord(word)) return;
  word_.assign(word);
  for (char c : word_)
    if (c < 'a' || c > 'z') {
      word_.clear();
      return;
    }
  const size_t n = word_.size();
  const std::vector<Rule>& rules = Rules();
  // Whether rule x reads the word's letters from position i on, in its Roman-side context.
  auto applies = [&](const RuleHead& x, size_t i) {
    if (x.roman_len == 0 && x.urdu_len == 0) return false;
    const size_t after = i + x.roman_len;
    if (after > n) return false;
    for (size_t k = 0; k < x.roman_len; ++k)
      if (word_[i + k] != x.roman[k]) return false;
    const char next = after < n ? word_[after] : 0;
    const char prev = i > 0 ? word_[i - 1] : 0;
    if ((x.flags & kStart) && i != 0) return false;
    if ((x.flags & kEnd) && after != n) return false;
    if ((x.flags & kNotEnd) && after == n) return false;
    if ((x.flags & kNotStart) && i == 0) return false;
    if ((x.flags & kAfterVowel) && prev != 0 && !IsVowel(prev)) return false;
    if ((x.flags & kAfterConsonant) && (prev == 0 || IsVowel(prev))) return false;
    if (x.next_in != 0 && !InSet(x.next_in, next)) return false;
    if (InSet(x.next_not_in, next)) return false;
    if ((x.flags & kMagicE) && !(after + 2 == n && !IsVowel(word_[after]) && word_[after + 1] == 'e')) return false;
    if ((x.flags & kSilentE) && !(i >= 2 && !IsVowel(word_[i - 1]) && IsVowel(word_[i - 2]))) return false;
    return true;
  };
  at_.clear();
  at_begin_.resize(n + 2);
  empty_from_.resize(n + 1);
  const auto& at_letter = RulesAtLetter();
  at_.reserve(8 * (n + 1));
  for (size_t i = 0; i <= n; ++i) {
    // The rules that apply at i, in WritesBefore order.
    const size_t begin = at_.size();
    at_begin_[i] = static_cast<uint16_t>(begin);
    for (const RuleHead& h : at_letter[i < n ? word_[i] - 'a' : 26])
      if (applies(h, i)) at_.push_back(h.rule);
    empty_from_[i] = static_cast<uint16_t>(
        std::find_if(at_.begin() + static_cast<std::ptrdiff_t>(begin), at_.end(), [&](uint16_t r) { return rules[r].urdu.empty(); }) -
        at_.begin());
  }
  at_begin_[n + 1] = static_cast<uint16_t>(at_.size());
  // Where in at_ the rules writing each first letter are, per position.
  const size_t letters = FirstLetterIds().count + 1;
  // (Id 0 stands for every letter no rule writes first: such a letter is written only after
  // the first letter of a rule, if at all.)
  const auto& letter_ids = RuleLetterIds();
  least_.assign(letters, kNoMatch);
  for (uint16_t r : at_) {
    const std::array<uint8_t, 4>& ids = letter_ids[r];
    for (size_t k = 1; k <= ids[0]; ++k) least_[ids[k]] = std::min(least_[ids[k]], k == 1 ? rules[r].cost : 0.0f);
  }
  by_letter_.assign((n + 1) * letters, {0, 0});
  for (size_t i = 0; i <= n; ++i)
    for (size_t k = at_begin_[i]; k < empty_from_[i]; ++k) {
      auto& range = by_letter_[i * letters + letter_ids[at_[k]][1]];
      if (range[1] == 0) range[0] = static_cast<uint16_t>(k);
      range[1] = static_cast<uint16_t>(k + 1);
    }
}

float Aligner::Run(std::u32string_view urdu, bool prefix, float max) const {
  const size_t n = word_.size(), m = urdu.size();
  if (n == 0 || m == 0 || m > kMaxUrduLetters) return kNoMatch;
  const std::vector<Rule>& rules = Rules();
  const size_t letters = FirstLetterIds().count + 1;
  std::array<uint8_t, kMaxUrduLetters> ids;
  for (size_t j = 0; j < m; ++j) ids[j] = FirstLetterId(urdu[j]);
  // Every letter of the term is written by a rule: a whole reading costs at least the least
  // rule writing each (what follows the prefix is free: no bound there).
  if (!prefix && max < kNoMatch) {
    float least = 0;
    for (size_t j = 0; j < m; ++j) {
      least += least_[ids[j]];
      if (least > max) return kNoMatch;
    }
  }
  // d[i][j]: the cheapest reading of the word's first i letters as the term's first j.
  std::array<float, (kMaxRomanLetters + 1) * (kMaxUrduLetters + 1)> d;
  // row_min[i]: the least of row i of d (every value written there; cells only decrease).
  std::array<float, kMaxRomanLetters + 1> row_min;
  const size_t w = m + 1;
  std::fill(d.begin(), d.begin() + (n + 1) * w, kNoMatch);
  std::fill(row_min.begin(), row_min.begin() + n + 1, kNoMatch);
  d[0] = 0;
  row_min[0] = 0;
  auto relax = [&](size_t row, size_t col, float v) {
    float& there = d[row * w + col];
    there = std::min(there, v);
    row_min[row] = std::min(row_min[row], v);
  };
  for (size_t i = 0; i <= n; ++i) {
    // Every path still to be read passes through a cell of rows i .. i + kLongestRule (reached
    // from an earlier row by one rule or a doubled letter) and adds costs, none negative: once
    // those cells all pass `max`, so does the answer.
    if (max < kNoMatch && i > 0) {
      float least = kNoMatch;
      for (size_t r = i; r <= std::min(n, i + kLongestRule); ++r) least = std::min(least, row_min[r]);
      if (least > max) return kNoMatch;
    }
    const size_t nonempty = empty_from_[i], rules_end = at_begin_[i + 1];
    for (size_t j = 0; j <= m; ++j) {
      const float here = d[i * w + j];
      if (here >= kNoMatch) continue;
      // Rules writing a letter: those whose first Urdu letter is urdu[j].
      if (j < m && ids[j] != 0) {
        const auto& range = by_letter_[i * letters + ids[j]];
        for (size_t k = range[0]; k < range[1]; ++k) {
          const Rule& x = rules[at_[k]];
          if ((x.flags & kStart) && j != 0) continue;
          const size_t nj = j + x.urdu.size();
          if (nj > m || (x.urdu.size() > 1 && urdu.compare(j, x.urdu.size(), x.urdu) != 0)) continue;
          if ((x.flags & kEnd) && nj != m) continue;
          relax(i + x.roman.size(), nj, here + x.cost);
        }
      }
      // Rules writing nothing (a Roman letter not written).
      for (size_t k = nonempty; k < rules_end; ++k) {
        const Rule& x = rules[at_[k]];
        if ((x.flags & kEnd) && j != m) continue;
        if ((x.flags & kStart) && j != 0) continue;
        relax(i + x.roman.size(), j, here + x.cost);
      }
      if (i > 0 && i < n && word_[i] == word_[i - 1] && !IsVowel(word_[i])) relax(i + 1, j, here + kDoubledLetter);
    }
  }
  if (!prefix) return d[n * w + m];
  float best = kNoMatch;
  for (size_t j = 1; j <= m; ++j) best = std::min(best, d[n * w + j]);
  return best;
}

}  // namespace rasai::roman
