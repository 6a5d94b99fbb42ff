// The fast path's per-code-point table (see fast_table.h), derived from the segmentation classes
// (ClassifyCodePoint) and the normalization folds (FoldCodePoint).

#include "analysis/fast_table.h"

#include <unicode/uscript.h>

#include <cstdint>

#include "analysis/text_internal.h"

namespace rasai::analysis_internal {

const uint32_t* FastTable() {
  static const uint32_t* table = [] {
    auto* t = new uint32_t[0x10000];
    for (char32_t c = 0; c < 0x10000; ++c) {
      uint32_t kind = kFastBail;
      bool slow = false;
      const CharInfo info =
          (c >= 0xD800 && c <= 0xDFFF) ? CharInfo{CharClass::kIgnorable, 0}
                                       : ClassifyCodePoint(c, &slow);
      const char32_t fold = slow ? c : FoldCodePoint(c);
      const bool composes = c == 0x0653 || c == 0x0654 || c == 0x0655 || c == 0x0674;
      if (!slow && !composes && c != 0xFFFD) {
        switch (info.cls) {
          case CharClass::kSeparator:
            kind = kFastSep;
            break;
          case CharClass::kLetter:
            if (info.script != USCRIPT_COMMON && info.script != USCRIPT_INHERITED && fold != kFoldDelete) {
              kind = kFastLetter;
            }
            break;
          case CharClass::kMark:
            kind = kFastMark;
            break;
          case CharClass::kDigit:
            if (fold != kFoldDelete) kind = kFastDigit;
            break;
          case CharClass::kApostrophe:
            kind = kFastApos;
            break;
          default:
            break;
        }
      }
      uint32_t v = kind << 16 | static_cast<uint32_t>(info.script & 0xFF) << 20;
      if (fold == kFoldDelete) {
        v |= kFastDeleted;
      } else if (fold < 0x10000) {
        v |= static_cast<uint32_t>(fold);
      } else {
        v = 0;  // never expected: a fold outside the BMP goes to the reference path
      }
      t[c] = v;
    }
    return t;
  }();
  return table;
}

}  // namespace rasai::analysis_internal
