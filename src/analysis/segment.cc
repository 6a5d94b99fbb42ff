// Word segmentation by script runs (our own rules, not ICU BreakIterator: it is thread-safe,
// allocation-free and keeps Urdu words whole). See SegmentText in text_internal.h.

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <string>
#include <string_view>

#include "analysis/text_internal.h"
#include "analysis/utf8_inline.h"

namespace rasai::analysis_internal {
namespace {

inline bool IsArabicBlock(char32_t c) {
  return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
         (c >= 0x08A0 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
         (c >= 0xFE70 && c <= 0xFEFF);
}

CharInfo ClassifyPlain(char32_t c);

inline bool Neutral(int32_t script) { return script == USCRIPT_COMMON || script == USCRIPT_INHERITED; }

// Characters that NFKC may change ("slow" ones) make segmentation context-dependent in ways the
// rules below cannot foresee (ﳳ is deleted, ㌈ becomes four katakana, ŉ becomes ʼn). So a word
// that meets one becomes a "chunk": it runs on to the next hard separator, and the analyzer
// segments its normalized text again. A hard separator is a separator NFKC leaves alone (space,
// punctuation, ۔ ،), or one whose NFKC image is only such separators (NBSP, …, ，, ideographic
// space): no normalization can join text across it.
bool ImageIsHardSeparator(char32_t c) {
  thread_local std::u32string image;
  if (!NfkcImage(c, &image) || image.empty()) return false;
  for (char32_t x : image) {
    if (!IsNfkcFast(x) || ClassifyPlain(x).cls != CharClass::kSeparator) return false;
  }
  return true;
}

// Classification of one code point; *slow is true for a character that turns a word into a chunk.
CharInfo ClassifySlow(char32_t c, bool* slow) {
  const CharInfo plain = ClassifyPlain(c);
  *slow = false;
  if (c < 0x80 || IsNfkcFast(c)) return plain;
  if (ImageIsHardSeparator(c)) return {CharClass::kSeparator, USCRIPT_COMMON};
  *slow = true;
  return plain;
}

CharInfo ClassifyPlain(char32_t c) {
  if (c < 0x80) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return {CharClass::kLetter, USCRIPT_LATIN};
    if (c >= '0' && c <= '9') return {CharClass::kDigit, USCRIPT_COMMON};
    if (c == '\'') return {CharClass::kApostrophe, USCRIPT_COMMON};
    return {CharClass::kSeparator, USCRIPT_COMMON};
  }
  if (c == 0x200C) return {CharClass::kZwnj, USCRIPT_COMMON};
  if (c == 0x2019) return {CharClass::kApostrophe, USCRIPT_COMMON};
  if (IsRemovedFormat(c)) return {CharClass::kIgnorable, USCRIPT_COMMON};
  if (IsStrippedArabicMark(c)) return {CharClass::kMark, USCRIPT_INHERITED};
  const auto uc = static_cast<UChar32>(c);
  switch (u_charType(uc)) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER: {
      if (IsArabicBlock(c)) return {CharClass::kLetter, USCRIPT_ARABIC};
      UErrorCode status = U_ZERO_ERROR;
      const int32_t script = uscript_getScript(uc, &status);
      if (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA) {
        return {CharClass::kIdeograph, script};
      }
      return {CharClass::kLetter, U_SUCCESS(status) ? script : USCRIPT_COMMON};
    }
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
      return {CharClass::kMark, USCRIPT_INHERITED};
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
      return {CharClass::kDigit, USCRIPT_COMMON};
    default:
      return {CharClass::kSeparator, USCRIPT_COMMON};
  }
}

// ClassifySlow for the whole BMP, packed as slow << 11 | class << 8 | script (UScriptCode < 256).
static_assert(USCRIPT_CODE_LIMIT < 256, "script codes must fit in a byte");
constexpr uint16_t kSlowBit = 1u << 11;

const uint16_t* BmpTable() {
  static const uint16_t* table = [] {
    auto* t = new uint16_t[0x10000];
    for (char32_t c = 0; c < 0x10000; ++c) {
      bool slow = false;
      const CharInfo info = (c >= 0xD800 && c <= 0xDFFF) ? CharInfo{CharClass::kSeparator, USCRIPT_COMMON}
                                                          : ClassifySlow(c, &slow);
      t[c] = static_cast<uint16_t>((slow ? kSlowBit : 0) | (static_cast<unsigned>(info.cls) << 8) |
                                   static_cast<unsigned>(info.script));
    }
    return t;
  }();
  return table;
}

inline CharInfo Classify(char32_t c, bool* slow) {
  if (c < 0x10000) {
    static const uint16_t* table = BmpTable();
    const uint16_t v = table[c];
    *slow = (v & kSlowBit) != 0;
    return {static_cast<CharClass>((v >> 8) & 0x7), static_cast<int32_t>(v & 0xFF)};
  }
  return ClassifySlow(c, slow);
}

inline char32_t Decode(std::string_view s, size_t* i) { return NextCodePoint(s, i); }

}  // namespace

CharInfo ClassifyCodePoint(char32_t c, bool* slow) { return Classify(c, slow); }

bool NextSegment(std::string_view text, size_t* pos, Segment* seg, bool chunks) {
  bool open = false;
  bool chunk = false;
  Segment cur{0, 0, SegKind::kWord, USCRIPT_COMMON};
  char32_t prev_letter = 0;  // last letter, digit or apostrophe of the open segment (for ZWNJ)
  size_t i = *pos;
  auto emit = [&](size_t next) {
    *pos = next;
    *seg = cur;
    return true;
  };
  while (i < text.size()) {
    const size_t at = i;
    const char32_t c = Decode(text, &i);
    bool slow = false;
    const CharInfo info = Classify(c, &slow);
    slow = slow && chunks;
    if (chunk) {  // a chunk runs on to the next hard separator
      if (info.cls == CharClass::kSeparator && !slow) return emit(i);
      cur.end = i;
      if (cur.kind == SegKind::kNumber && info.cls == CharClass::kLetter) cur.kind = SegKind::kWord;
      continue;
    }
    if (slow) {
      if (!open) {
        cur = {at, i, info.cls == CharClass::kDigit ? SegKind::kNumber : SegKind::kWord, info.script};
        open = true;
      }
      cur.end = i;
      chunk = true;
      continue;
    }
    switch (info.cls) {
      case CharClass::kLetter: {
        if (!open) {
          cur = {at, i, SegKind::kWord, info.script};
          open = true;
        } else if (cur.kind == SegKind::kNumber) {
          if (info.script != USCRIPT_LATIN) return emit(at);  // 2005ء → 2005 | ء ; 19th stays whole
          cur.kind = SegKind::kWord;
          cur.script = USCRIPT_LATIN;
          cur.end = i;
        } else if (Neutral(cur.script) || Neutral(info.script) || cur.script == info.script) {
          if (Neutral(cur.script)) cur.script = info.script;
          cur.end = i;
        } else {
          return emit(at);
        }
        prev_letter = c;
        break;
      }
      case CharClass::kDigit:
        if (!open) {
          cur = {at, i, SegKind::kNumber, USCRIPT_COMMON};
          open = true;
        } else if (cur.kind == SegKind::kNumber || cur.script == USCRIPT_LATIN || Neutral(cur.script)) {
          cur.end = i;
        } else {
          return emit(at);
        }
        prev_letter = c;
        break;
      case CharClass::kMark:
        if (open) cur.end = i;  // a mark before any word is dropped
        break;
      case CharClass::kIgnorable:
        break;  // inside a word it is covered once the word goes on; never at its ends
      case CharClass::kZwnj:
        if (open && prev_letter != 0 && ZwnjSeparates(prev_letter)) return emit(i);
        break;  // otherwise deleted, like an invisible character
      case CharClass::kApostrophe: {
        if (open && cur.kind == SegKind::kWord && (cur.script == USCRIPT_LATIN || Neutral(cur.script))) {
          // Look past what normalization deletes or attaches (marks, invisible characters, a
          // ZWNJ, which never separates after a Latin letter) for the next Latin letter; a slow
          // character there makes the word a chunk.
          size_t j = i;
          CharInfo ni{CharClass::kSeparator, USCRIPT_COMMON};
          bool nslow = false;
          while (j < text.size()) {
            ni = Classify(Decode(text, &j), &nslow);
            nslow = nslow && chunks;
            if (nslow) break;
            if (ni.cls != CharClass::kMark && ni.cls != CharClass::kIgnorable && ni.cls != CharClass::kZwnj) break;
          }
          if (nslow) {
            cur.end = i;
            chunk = true;
            break;
          }
          if (ni.cls == CharClass::kLetter && ni.script == USCRIPT_LATIN) {
            cur.end = i;
            prev_letter = c;  // as in NormalizeInto: the character before a ZWNJ, marks skipped
            break;
          }
        }
        if (open) return emit(i);
        break;
      }
      case CharClass::kIdeograph:
        if (open) return emit(at);
        *pos = i;
        *seg = {at, i, SegKind::kWord, info.script};
        return true;
      case CharClass::kSeparator:
        if (open) return emit(i);
        break;
    }
  }
  *pos = i;
  if (open) {
    *seg = cur;
    return true;
  }
  return false;
}

}  // namespace rasai::analysis_internal
