// NormalizeText: UTF-8 repair, NFKC, Urdu letter folding towards the Urdu letters, hamza/madda
// composition, aerab/tatweel removal, digit unification, zero-width and bidi control removal.
// The rules and their evidence are in docs/analysis.md.

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "analysis/text_internal.h"
#include "rasai/analysis.h"
#include "analysis/utf8_inline.h"
#include "util/utf8.h"

namespace rasai {
namespace analysis_internal {

bool IsRemovedFormat(char32_t c) {
  switch (c) {
    case 0x00AD:  // soft hyphen
    case 0x061C:  // Arabic letter mark
    case 0x180E:  // Mongolian vowel separator
    case 0x200D:  // ZWJ
    case 0x200E:  // LRM
    case 0x200F:  // RLM
    case 0xFEFF:  // BOM / ZWNBSP
      return true;
    default:
      return (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) ||
             (c >= 0x2066 && c <= 0x206F);
  }
}

bool IsStrippedArabicMark(char32_t c) {
  return (c >= 0x064B && c <= 0x065F) || c == 0x0670 || (c >= 0x0610 && c <= 0x061A) ||
         (c >= 0x06D6 && c <= 0x06ED) || c == 0x0640;
}

bool ZwnjSeparates(char32_t prev) {
  const int jt = u_getIntPropertyValue(static_cast<UChar32>(prev), UCHAR_JOINING_TYPE);
  return jt == U_JT_DUAL_JOINING || jt == U_JT_LEFT_JOINING;
}

bool IsArabicNonJoiner(char32_t c) {
  if (c < 0x0600 || c > 0x08FF) return false;
  if (u_charType(static_cast<UChar32>(c)) != U_OTHER_LETTER) return false;
  const int jt = u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_JOINING_TYPE);
  return jt == U_JT_RIGHT_JOINING || jt == U_JT_NON_JOINING;
}

namespace {

constexpr char32_t kZwnj = 0x200C;
constexpr char32_t kZwsp = 0x200B;

const icu::Normalizer2* Nfkc() {
  static const icu::Normalizer2* nfkc = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return nfkc;
}

// Per BMP code point: kFastBit when NFKC_Quick_Check=Yes and combining class 0 (a string made
// only of them is already in NFKC), or for the stripped Arabic marks other than madda/hamza
// (NFKC may only reorder them among themselves, and they are deleted afterwards): such text
// skips ICU. kMarkBit for combining marks and all stripped Arabic marks, tatweel and U+06DD
// included (skipped when looking for the letter before a ZWNJ, as SegmentText does).
constexpr uint8_t kFastBit = 1;
constexpr uint8_t kMarkBit = 2;

const uint8_t* Flags() {
  static const uint8_t* flags = [] {
    auto* f = new uint8_t[0x10000];
    for (UChar32 c = 0; c < 0x10000; ++c) {
      uint8_t v = 0;
      if (!U16_IS_SURROGATE(c)) {
        if (u_getIntPropertyValue(c, UCHAR_NFKC_QUICK_CHECK) == UNORM_YES && u_getCombiningClass(c) == 0) {
          v |= kFastBit;
        }
        if (IsStrippedArabicMark(static_cast<char32_t>(c)) && !(c >= 0x0653 && c <= 0x0655)) v |= kFastBit;
        const int8_t type = u_charType(c);
        if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_COMBINING_SPACING_MARK ||
            IsStrippedArabicMark(static_cast<char32_t>(c))) {
          v |= kMarkBit;
        }
      }
      f[c] = v;
    }
    return f;
  }();
  return flags;
}

inline uint8_t FlagsOf(const uint8_t* flags, char32_t c) {
  if (c < 0x10000) return flags[c];
  const auto uc = static_cast<UChar32>(c);
  const int8_t type = u_charType(uc);
  const bool mark = type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_COMBINING_SPACING_MARK;
  const bool fast = u_getIntPropertyValue(uc, UCHAR_NFKC_QUICK_CHECK) == UNORM_YES && u_getCombiningClass(uc) == 0;
  return static_cast<uint8_t>((mark ? kMarkBit : 0) | (fast ? kFastBit : 0));
}

}  // namespace

bool IsNfkcFast(char32_t c) { return (FlagsOf(Flags(), c) & kFastBit) != 0; }

bool NfkcImage(char32_t c, std::u32string* image) {
  image->clear();
  const icu::Normalizer2* nfkc = Nfkc();
  if (nfkc == nullptr) return false;
  icu::UnicodeString d;
  if (!nfkc->getDecomposition(static_cast<UChar32>(c), d)) return false;
  for (int32_t k = 0; k < d.length();) {
    const UChar32 x = d.char32At(k);
    image->push_back(static_cast<char32_t>(x));
    k += U16_LENGTH(x);
  }
  return true;
}

namespace {

constexpr char32_t kDelete = kFoldDelete;

// Letter folding towards the Urdu letters; kDelete for "delete".
inline char32_t FoldLetter(char32_t c) {
  if (c < 0x0600) return c;
  if (c <= 0x06FF) {
    switch (c) {
      case 0x064A:  // ي Arabic yeh
      case 0x0649:  // ى alef maksura
        return 0x06CC;
      case 0x0643:  // ك Arabic kaf
        return 0x06A9;
      case 0x0647:  // ه Arabic heh
      case 0x06D5:  // ە ae
        return 0x06C1;
      case 0x0629:  // ة teh marbuta
        return 0x06C3;
      case 0x06C0:  // ۀ heh with yeh above (Persian ezafe) → ۂ
        return 0x06C2;
      case 0x0623:  // أ
      case 0x0625:  // إ
      case 0x0671:  // ٱ
        return 0x0627;
      default:
        break;
    }
    if (c >= 0x0660 && c <= 0x0669) return U'0' + (c - 0x0660);
    if (c >= 0x06F0 && c <= 0x06F9) return U'0' + (c - 0x06F0);
    if (IsStrippedArabicMark(c)) return kDelete;
    return c;
  }
  if (IsRemovedFormat(c)) return kDelete;
  return c;
}

}  // namespace

char32_t FoldCodePoint(char32_t c) { return FoldLetter(c); }

namespace {

// Output buffer that remembers its last code point, for composition with a following mark.
class FoldWriter {
 public:
  explicit FoldWriter(std::string* out) : out_(out) {}

  void Put(char32_t c) {
    if (c == 0x0653 || c == 0x0654 || c == 0x0655 || c == 0x0674) {
      Compose(c);
      return;
    }
    const char32_t f = FoldLetter(c);
    if (f == kDelete) {
      deleted_ = true;
      return;
    }
    Append(f);
  }

  // True when a character was deleted: what surrounded it may now compose (a + ◌ٓ + ◌́).
  bool deleted() const { return deleted_; }

 private:
  void Append(char32_t c) {
    last_pos_ = out_->size();
    last_ = c;
    if (c < 0x80) {
      out_->push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      const char two[2] = {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
      out_->append(two, 2);
    } else {
      AppendUtf8(c, out_);
    }
  }
  void ReplaceLast(char32_t c) {
    out_->resize(last_pos_);
    Append(c);
  }

  // madda U+0653, hamza above U+0654, hamza below U+0655, high hamza U+0674 after a letter.
  void Compose(char32_t mark) {
    const bool has_last = last_pos_ != kNone;
    if (mark == 0x0653) {
      if (has_last && last_ == 0x0627) {
        ReplaceLast(0x0622);  // ا + madda → آ
      } else {
        deleted_ = true;
      }
      return;
    }
    if (mark == 0x0655) {  // إ was folded to ا; elsewhere hamza below is an aerab
      deleted_ = true;
      return;
    }
    if (has_last) {
      switch (last_) {
        case 0x06CC: ReplaceLast(0x0626); return;  // ی + hamza → ئ
        case 0x06C1: ReplaceLast(0x06C2); return;  // ہ + hamza → ۂ
        case 0x06D2: ReplaceLast(0x06D3); return;  // ے + hamza → ۓ
        case 0x0648: ReplaceLast(0x0624); return;  // و + hamza → ؤ
        case 0x0627:                               // ا + hamza: أ folds to ا; ا + ٴ is اء
          if (mark == 0x0674) Append(0x0621);
          return;
        default:
          break;
      }
    }
    if (mark == 0x0674) {
      Append(0x0674);  // a free-standing high hamza is a letter: keep it
    } else {
      deleted_ = true;
    }
  }

  static constexpr size_t kNone = static_cast<size_t>(-1);
  std::string* out_;
  size_t last_pos_ = kNone;
  char32_t last_ = 0;
  bool deleted_ = false;
};

// Pre-pass: decode (ill-formed → U+FFFD), drop removed format characters, resolve ZWNJ/ZWSP.
// Calls emit(c) for each surviving code point; returns false if some code point is not fast.
template <typename Emit>
bool PrePass(std::string_view raw, Emit&& emit) {
  const uint8_t* flags = Flags();
  bool all_fast = true;
  char32_t prev_letter = 0;
  size_t i = 0;
  while (i < raw.size()) {
    const char32_t c = NextCodePoint(raw, &i);
    if (c >= 0x80) {
      if (IsRemovedFormat(c)) continue;
      if (c == kZwnj) {
        if (prev_letter != 0 && ZwnjSeparates(prev_letter)) {
          emit(U' ');
          prev_letter = 0;
        }
        continue;
      }
      if (c == kZwsp) {
        emit(U' ');
        prev_letter = 0;
        continue;
      }
      // Aerab, Quranic marks and tatweel go before NFKC, so that they cannot block a composition
      // (a + U+0610 + U+0301 must give á); madda and hamza stay for the composition rules.
      if (IsStrippedArabicMark(c) && !(c >= 0x0653 && c <= 0x0655)) continue;
      const uint8_t f = FlagsOf(flags, c);
      if (!(f & kFastBit)) all_fast = false;
      if (!(f & kMarkBit)) prev_letter = c;
    } else {
      prev_letter = c;
    }
    emit(c);
  }
  return all_fast;
}

}  // namespace

bool NormalizeInto(std::string_view raw, bool allow_fast, std::string* out) {
  out->reserve(out->size() + raw.size());
  const size_t start = out->size();
  // Fast attempt: fold directly while checking that every code point is NFKC-inert.
  if (allow_fast) {
    FoldWriter w(out);
    if (PrePass(raw, [&](char32_t c) { w.Put(c); })) return true;
    out->resize(start);
  }
  const icu::Normalizer2* nfkc = Nfkc();
  std::string again;
  for (int round = 0;; ++round) {
    icu::UnicodeString u;
    PrePass(raw, [&](char32_t c) { u.append(static_cast<UChar32>(c)); });
    icu::UnicodeString n;
    UErrorCode status = U_ZERO_ERROR;
    if (nfkc != nullptr) nfkc->normalize(u, n, status);
    const icu::UnicodeString& src = (nfkc != nullptr && U_SUCCESS(status)) ? n : u;
    FoldWriter w(out);
    for (int32_t k = 0; k < src.length();) {
      const UChar32 c = src.char32At(k);
      w.Put(static_cast<char32_t>(c));
      k += U16_LENGTH(c);
    }
    // A deletion may leave text that NFKC would change (a mark now next to a base it composes
    // with): normalize the result again so that NormalizeText stays idempotent.
    if (!w.deleted() || nfkc == nullptr || round == 3) break;
    const std::string_view produced = std::string_view(*out).substr(start);
    status = U_ZERO_ERROR;
    if (nfkc->isNormalizedUTF8(icu::StringPiece(produced.data(), static_cast<int32_t>(produced.size())), status) ||
        U_FAILURE(status)) {
      break;
    }
    again.assign(produced);
    out->resize(start);
    raw = again;
  }
  return false;
}

}  // namespace analysis_internal

std::string NormalizeText(std::string_view text) {
  std::string out;
  analysis_internal::NormalizeInto(text, /*allow_fast=*/true, &out);
  return out;
}

}  // namespace rasai
