#include "search/roman_urdu.h"

#include <algorithm>
#include <array>
#include <cstring>

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
    {"tion", {"Sn", ""}}, {"sion", {"Sn", "zn"}}, {"tio", {"S", ""}}, {"tch", {"c", ""}},
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
    {"tch", "چ", 0.1f},  // «match» میچ
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
static_assert(kLongestUrdu <= 3, "RuleInfo holds 3 Urdu letters a rule");
static_assert(kLongestRule <= 4, "RuleHead holds 4 Roman letters a rule");

// The most rules that may apply at one position of a word (those reading no letter and those
// reading from one letter on), and how many Urdu letters rules write first: an Aligner's tables
// hold that many.
constexpr size_t kRulesAtMost = [] {
  size_t none = 0, most = 0;
  for (const RuleSpec& r : kRules) none += r.roman.empty() && !r.urdu.empty();
  for (char c = 'a'; c <= 'z'; ++c) {
    size_t k = 0;
    for (const RuleSpec& r : kRules) k += !r.roman.empty() && r.roman[0] == c;
    most = std::max(most, k);
  }
  return none + most;
}();
static_assert(kRulesAtMost <= Aligner::kRulesAt, "Aligner::kRulesAt");
constexpr size_t kFirstLetterCount = [] {
  std::array<bool, 256> seen{};
  size_t count = 0;
  for (const RuleSpec& r : kRules) {
    if (r.urdu.size() < 2) continue;
    const auto b0 = static_cast<uint8_t>(r.urdu[0]), b1 = static_cast<uint8_t>(r.urdu[1]);
    if (b0 < 0xD8 || b0 > 0xDB) continue;  // (not U+0600..U+06FF: no number)
    const size_t c = static_cast<size_t>((b0 & 0x1F) << 6 | (b1 & 0x3F)) - 0x0600;
    count += !seen[c];
    seen[c] = true;
  }
  return count;
}();
static_assert(kFirstLetterCount + 1 <= Aligner::kLetterIds, "Aligner::kLetterIds");

// A doubled Roman consonant («pappi», «karrwai»): the second letter read as nothing.
constexpr float kDoubledLetter = 0.1f;

// The set of the letters of `s` ('a'..'z'), one bit each.
constexpr uint32_t LetterSet(std::string_view s) {
  uint32_t set = 0;
  for (char c : s)
    if (c >= 'a' && c <= 'z') set |= uint32_t{1} << (c - 'a');
  return set;
}

struct Rule {
  std::string roman;
  std::u32string urdu;
  float cost;
  uint16_t flags;
  uint32_t next_in, next_not_in;  // LetterSet of RuleSpec's (0: no condition)
};

// The order of the rules that apply at one position of a word (Aligner::at_): those writing an
// Urdu letter first, by that letter, then those writing nothing.
bool WritesBefore(const Rule& a, const Rule& b) {
  const bool ea = a.urdu.empty(), eb = b.urdu.empty();
  if (ea != eb) return eb;
  return !ea && a.urdu[0] < b.urdu[0];
}

// The Urdu letters some rule writes first, numbered 1..; 0 for any other code point (no rule
// writes it first).
struct FirstLetters {
  std::array<uint8_t, 256> id_of{};  // by code point - U+0600
  size_t count = 0;
  uint8_t Of(char32_t c) const { return c >= 0x0600 && c < 0x0700 ? id_of[c - 0x0600] : 0; }
};

}  // namespace

// What the Aligner reads of a rule when it applies: its costs and Urdu letters.
struct RuleInfo {
  float cost;
  uint16_t flags;
  uint8_t roman_len, urdu_len;
  std::array<char32_t, 3> urdu;
};

// What deciding whether a rule applies at a position of a word reads of it, packed.
struct RuleHead {
  uint32_t roman;       // the Roman side's letters, little end first, 0 past its end
  uint32_t roman_mask;  // 0xFF for each of its letters
  uint8_t roman_len;
  uint8_t first_id;  // the number (FirstLetters) of the first Urdu letter it writes (0: none)
  uint16_t flags;
  uint32_t next_in, next_not_in;
  uint16_t rule;  // its index in the rule table
  float cost;
  std::array<uint8_t, 3> later_ids;  // the numbers of its 2nd and 3rd Urdu letters
  uint8_t later;                     // how many of those
};

struct AlignerTables {
  std::vector<RuleInfo> info;  // by rule index
  // The rules that may apply where the Roman word has the letter 'a' + c (c < 26; 26: past its
  // end): those reading no letter and those reading from that letter on, in WritesBefore order.
  std::array<std::vector<RuleHead>, 27> at;
  FirstLetters first;
};

namespace {

constexpr uint32_t kMaskOf[5] = {0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF};

uint32_t Load4(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

const AlignerTables& Tables() {
  static const AlignerTables tables = [] {
    AlignerTables t;
    std::vector<Rule> rules;
    for (const RuleSpec& s : kRules) {
      Rule x{std::string(s.roman), {}, s.cost, s.flags, LetterSet(s.next_in), LetterSet(s.next_not_in)};
      DecodeUtf8(s.urdu, &x.urdu);
      rules.push_back(std::move(x));
    }
    for (const Rule& r : rules) {
      if (r.urdu.empty() || r.urdu[0] < 0x0600 || r.urdu[0] >= 0x0700) continue;
      uint8_t& id = t.first.id_of[r.urdu[0] - 0x0600];
      if (id == 0) id = static_cast<uint8_t>(++t.first.count);
    }
    for (const Rule& r : rules) {
      RuleInfo info{r.cost, r.flags, static_cast<uint8_t>(r.roman.size()), static_cast<uint8_t>(r.urdu.size()), {}};
      for (size_t k = 0; k < r.urdu.size(); ++k) info.urdu[k] = r.urdu[k];
      t.info.push_back(info);
    }
    // By the first letter of their Roman side ('a'..'z'; 26: those reading no letter), each list
    // in WritesBefore order (stable); a rule reading and writing nothing never applies.
    std::array<std::vector<uint16_t>, 27> by;
    for (size_t r = 0; r < rules.size(); ++r)
      if (!rules[r].roman.empty() || !rules[r].urdu.empty())
        by[rules[r].roman.empty() ? 26 : rules[r].roman[0] - 'a'].push_back(static_cast<uint16_t>(r));
    auto before = [&](uint16_t a, uint16_t b) { return WritesBefore(rules[a], rules[b]); };
    for (auto& list : by) std::stable_sort(list.begin(), list.end(), before);
    const std::vector<uint16_t> none;
    std::vector<uint16_t> merged;
    for (size_t c = 0; c <= 26; ++c) {
      const std::vector<uint16_t>& letter = c < 26 ? by[c] : none;
      merged.resize(by[26].size() + letter.size());
      std::merge(by[26].begin(), by[26].end(), letter.begin(), letter.end(), merged.begin(), before);
      for (uint16_t r : merged) {
        const Rule& x = rules[r];
        RuleHead h{};
        char roman[4] = {0, 0, 0, 0};
        for (size_t k = 0; k < x.roman.size(); ++k) roman[k] = x.roman[k];
        h.roman = Load4(roman);
        h.roman_len = static_cast<uint8_t>(x.roman.size());
        h.roman_mask = kMaskOf[h.roman_len];
        h.first_id = x.urdu.empty() ? 0 : t.first.Of(x.urdu[0]);
        h.flags = x.flags;
        h.next_in = x.next_in;
        h.next_not_in = x.next_not_in;
        h.rule = r;
        h.cost = x.cost;
        for (size_t k = 1; k < x.urdu.size(); ++k) h.later_ids[h.later++] = t.first.Of(x.urdu[k]);
        t.at[c].push_back(h);
      }
    }
    return t;
  }();
  return tables;
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
  // The options of each consonant unit, in word order: at most 3 classes of at most 2 letters,
  // and each of them doubled for a doubled letter.
  struct Options {
    std::array<std::array<char, 4>, 6> s;
    std::array<uint8_t, 6> len;
    size_t n = 0;
    void Add(std::string_view o) {
      std::copy(o.begin(), o.end(), s[n].begin());
      len[n++] = static_cast<uint8_t>(o.size());
    }
    std::string_view At(size_t k) const { return std::string_view(s[k].data(), len[k]); }
  };
  std::array<Options, kMaxRomanLetters + 1> opts;
  size_t units = 0;
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
      if (u.roman[0] == c && word.substr(i).starts_with(u.roman)) {
        unit = &u;
        break;
      }
    if (!unit) return out;
    i += unit->roman.size();
    const char next = i < word.size() ? word[i] : 0;
    Options& o = opts[units++];
    for (std::string_view cl : unit->classes)
      if (!cl.empty()) o.Add(cl);
    if (unit->roman == "g" && (next == 'e' || next == 'i')) o.Add("j");  // «general» جنرل
    if (unit->roman == "s" && next == 0 && word.size() > 3) o.Add("z");  // «jones» جونز
    if (unit->roman.size() == 1 && next == unit->roman[0]) {             // «pappi» پپی
      ++i;
      const size_t n = o.n;
      for (size_t k = 0; k < n; ++k) {
        std::array<char, 4> twice;
        std::copy(o.s[k].begin(), o.s[k].begin() + o.len[k], twice.begin());
        std::copy(o.s[k].begin(), o.s[k].begin() + o.len[k], twice.begin() + o.len[k]);
        o.Add(std::string_view(twice.data(), 2 * o.len[k]));
      }
    }
  }
  // A final nasal vowel is typed without its noon ghunna: «nahi» نہیں, «me» میں.
  if (IsVowel(word.back())) {
    opts[units].Add("");
    opts[units++].Add("n");
  }
  // Every combination, the first options first, up to `limit`.
  size_t combinations = 1;
  for (size_t u = 0; u < units && combinations < limit; ++u) combinations *= opts[u].n;
  out.reserve(std::min(combinations, limit));
  std::array<uint8_t, kMaxRomanLetters + 1> pick{};
  std::array<char, 4 * (kMaxRomanLetters + 1)> key;
  while (out.size() < limit) {
    size_t len = 0;
    for (size_t u = 0; u < units; ++u) {
      const std::string_view o = opts[u].At(pick[u]);
      std::copy(o.begin(), o.end(), key.begin() + static_cast<std::ptrdiff_t>(len));
      len += o.size();
    }
    const std::string_view k(key.data(), len);
    if (std::find(out.begin(), out.end(), k) == out.end()) out.emplace_back(k);
    size_t u = units;
    while (u > 0) {
      --u;
      if (++pick[u] < opts[u].n) break;
      pick[u] = 0;
      if (u == 0) return out;
    }
    if (units == 0) break;
  }
  return out;
}

Aligner::Aligner(std::string_view word) : t_(&Tables()) {
  if (!IsRomanWord(word)) return;
  for (char c : word)
    if (c < 'a' || c > 'z') return;
  word_.assign(word);
  const size_t n = word_.size();
  // The Roman-side context of a rule read from position i to position `after`: the flags that
  // hold for i (from[i]) and for after (to[after]), and the letter after it (next[after]).
  std::array<char, kMaxRomanLetters + 4> padded{};
  std::memcpy(padded.data(), word_.data(), n);
  std::array<uint16_t, kMaxRomanLetters + 1> from, to;
  std::array<uint32_t, kMaxRomanLetters + 1> next;
  for (size_t i = 0; i <= n; ++i) {
    const char prev = i > 0 ? word_[i - 1] : 0;
    from[i] = (i == 0 ? kStart : kNotStart) | (prev == 0 || IsVowel(prev) ? kAfterVowel : kAfterConsonant) |
              (i >= 2 && !IsVowel(word_[i - 1]) && IsVowel(word_[i - 2]) ? kSilentE : 0);
    to[i] = (i == n ? kEnd : kNotEnd) | (i + 2 == n && !IsVowel(word_[i]) && word_[i + 1] == 'e' ? kMagicE : 0);
    next[i] = i < n ? uint32_t{1} << (word_[i] - 'a') : 0;
    doubled_[i] = i > 0 && i < n && word_[i] == word_[i - 1] && !IsVowel(word_[i]);
  }
  std::fill(least_.begin(), least_.begin() + static_cast<std::ptrdiff_t>(t_->first.count + 1), kNoMatch);
  std::fill(by_letter_.begin(), by_letter_.begin() + static_cast<std::ptrdiff_t>((n + 1) * kLetterIds),
            std::array<uint16_t, 2>{0, 0});
  size_t count = 0;
  for (size_t i = 0; i <= n; ++i) {
    // The rules that apply at i, in WritesBefore order.
    at_begin_[i] = static_cast<uint16_t>(count);
    empty_from_[i] = UINT16_MAX;
    const uint32_t here = Load4(padded.data() + i);
    std::array<uint16_t, 2>* ranges = &by_letter_[i * kLetterIds];
    for (const RuleHead& h : t_->at[i < n ? word_[i] - 'a' : 26]) {
      // (Its letters are not 0: a match ends within the word.)
      if ((here & h.roman_mask) != h.roman) continue;
      const size_t after = i + h.roman_len;
      if ((h.flags & ~(from[i] | to[after])) != 0) continue;
      if (h.next_in != 0 && (h.next_in & next[after]) == 0) continue;
      if ((h.next_not_in & next[after]) != 0) continue;
      if (h.first_id == 0) {
        if (empty_from_[i] == UINT16_MAX) empty_from_[i] = static_cast<uint16_t>(count);
      } else {
        std::array<uint16_t, 2>& range = ranges[h.first_id];
        if (range[1] == 0) range[0] = static_cast<uint16_t>(count);
        range[1] = static_cast<uint16_t>(count + 1);
        least_[h.first_id] = std::min(least_[h.first_id], h.cost);
        for (size_t k = 0; k < h.later; ++k) least_[h.later_ids[k]] = std::min(least_[h.later_ids[k]], 0.0f);
      }
      at_[count++] = h.rule;
    }
    if (empty_from_[i] == UINT16_MAX) empty_from_[i] = static_cast<uint16_t>(count);
  }
  at_begin_[n + 1] = static_cast<uint16_t>(count);
}

float Aligner::Cost(std::u32string_view urdu, float max) const { return RunCodePoints(urdu, false, max); }
float Aligner::Cost(std::string_view urdu, float max) const { return RunUtf8(urdu, false, max); }
float Aligner::PrefixCost(std::u32string_view urdu) const { return RunCodePoints(urdu, true, kNoMatch); }
float Aligner::PrefixCost(std::string_view urdu) const { return RunUtf8(urdu, true, kNoMatch); }

float Aligner::RunCodePoints(std::u32string_view urdu, bool prefix, float max) const {
  const size_t n = word_.size(), m = urdu.size();
  if (n == 0 || m == 0 || m > kMaxUrduLetters) return kNoMatch;
  std::array<uint8_t, kMaxUrduLetters> ids;
  for (size_t j = 0; j < m; ++j) ids[j] = t_->first.Of(urdu[j]);
  // Every letter of the term is written by a rule: a whole reading costs at least the least
  // rule writing each (what follows the prefix is free: no bound there).
  if (!prefix && max < kNoMatch) {
    float least = 0;
    for (size_t j = 0; j < m; ++j) {
      least += least_[ids[j]];
      if (least > max) return kNoMatch;
    }
  }
  return Run(urdu.data(), ids.data(), m, prefix, max);
}

float Aligner::RunUtf8(std::string_view urdu, bool prefix, float max) const {
  const size_t n = word_.size(), m = urdu.size() / 2;
  if (n == 0 || urdu.empty()) return kNoMatch;
  // Letters of the Arabic block (two bytes each: U+0600..U+06FF) are read here; a term of other
  // code points, or too long, is decoded.
  auto decoded = [&] {
    std::u32string u;
    DecodeUtf8(urdu, &u);
    return RunCodePoints(u, prefix, max);
  };
  if (urdu.size() % 2 != 0 || m > kMaxUrduLetters) return decoded();
  std::array<char32_t, kMaxUrduLetters> u;
  std::array<uint8_t, kMaxUrduLetters> ids;
  const bool bound = !prefix && max < kNoMatch;
  float least = 0;  // as RunCodePoints bounds it
  for (size_t j = 0; j < m; ++j) {
    const auto b0 = static_cast<uint8_t>(urdu[2 * j]), b1 = static_cast<uint8_t>(urdu[2 * j + 1]);
    if (b0 < 0xD8 || b0 > 0xDB || (b1 & 0xC0) != 0x80) return decoded();
    const char32_t c = static_cast<char32_t>((b0 & 0x1F) << 6 | (b1 & 0x3F));
    u[j] = c;
    ids[j] = t_->first.id_of[c - 0x0600];
    // (The letters before j decode alike however the term goes on.)
    if (bound) {
      least += least_[ids[j]];
      if (least > max) return kNoMatch;
    }
  }
  return Run(u.data(), ids.data(), m, prefix, max);
}

float Aligner::Run(const char32_t* urdu, const uint8_t* ids, size_t m, bool prefix, float max) const {
  const size_t n = word_.size();
  const RuleInfo* rules = t_->info.data();
  // d[i][j]: the cheapest reading of the word's first i letters as the term's first j.
  std::array<float, (kMaxRomanLetters + 1) * (kMaxUrduLetters + 1)> d;
  const size_t w = m + 1;
  std::fill(d.begin(), d.begin() + static_cast<std::ptrdiff_t>((n + 1) * w), kNoMatch);
  d[0] = 0;
  // A cell past `max` leads only to readings past it (no cost is negative): it is left
  // unwritten. top: the last row with a cell written.
  size_t top = 0;
  auto relax = [&](size_t row, size_t col, float v) {
    if (v > max) return;
    float& there = d[row * w + col];
    there = std::min(there, v);
    top = std::max(top, row);
  };
  for (size_t i = 0; i <= n; ++i) {
    // Rows are read in order and every rule reads forward: with no cell written from row i on,
    // no reading reaches the end.
    if (top < i) return kNoMatch;
    const size_t nonempty = empty_from_[i], rules_end = at_begin_[i + 1];
    const std::array<uint16_t, 2>* ranges = &by_letter_[i * kLetterIds];
    for (size_t j = 0; j <= m; ++j) {
      const float here = d[i * w + j];
      if (here >= kNoMatch) continue;
      // Rules writing a letter: those whose first Urdu letter is urdu[j].
      if (j < m && ids[j] != 0) {
        const std::array<uint16_t, 2>& range = ranges[ids[j]];
        for (size_t k = range[0]; k < range[1]; ++k) {
          const RuleInfo& x = rules[at_[k]];
          if ((x.flags & kStart) && j != 0) continue;
          const size_t nj = j + x.urdu_len;
          if (nj > m) continue;
          if (x.urdu_len > 1 && !std::equal(x.urdu.begin(), x.urdu.begin() + x.urdu_len, urdu + j)) continue;
          if ((x.flags & kEnd) && nj != m) continue;
          relax(i + x.roman_len, nj, here + x.cost);
        }
      }
      // Rules writing nothing (a Roman letter not written).
      for (size_t k = nonempty; k < rules_end; ++k) {
        const RuleInfo& x = rules[at_[k]];
        if ((x.flags & kEnd) && j != m) continue;
        if ((x.flags & kStart) && j != 0) continue;
        relax(i + x.roman_len, j, here + x.cost);
      }
      if (doubled_[i]) relax(i + 1, j, here + kDoubledLetter);
    }
  }
  if (!prefix) return d[n * w + m];
  float best = kNoMatch;
  for (size_t j = 1; j <= m; ++j) best = std::min(best, d[n * w + j]);
  return best;
}

}  // namespace rasai::roman
