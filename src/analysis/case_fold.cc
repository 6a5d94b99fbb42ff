// Case folding of words: LatinFold for Latin terms (lower case, diacritics removed, ’ → ') and
// CaseFold for the terms of other scripts (ICU full case folding).

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <string>
#include <string_view>

#include "analysis/text_internal.h"
#include "util/utf8.h"

namespace rasai::analysis_internal {
namespace {

const icu::Normalizer2* Nfd() {
  static const icu::Normalizer2* nfd = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return nfd;
}

const icu::Normalizer2* Nfc() {
  static const icu::Normalizer2* nfc = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return nfc;
}

bool IsAscii(std::string_view s) {
  for (char ch : s) {
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  }
  return true;
}

bool ChangesWhenCaseFolded(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const char32_t c = DecodeUtf8(s, &i);
    if (u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_CHANGES_WHEN_CASEFOLDED)) return true;
  }
  return false;
}

}  // namespace

// Latin word → lower case, diacritics removed, ’ → '.
void LatinFold(std::string_view word, std::string* out) {
  out->clear();
  if (IsAscii(word)) {
    out->reserve(word.size());
    for (char ch : word) out->push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
    return;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  u.foldCase();
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString d;
  if (Nfd() != nullptr) Nfd()->normalize(u, d, status);
  if (U_FAILURE(status) || Nfd() == nullptr) d = u;
  icu::UnicodeString stripped;
  for (int32_t k = 0; k < d.length();) {
    const UChar32 c = d.char32At(k);
    k += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    stripped.append(c == 0x2019 ? UChar32{'\''} : c);
  }
  icu::UnicodeString composed;
  status = U_ZERO_ERROR;
  if (Nfc() != nullptr) Nfc()->normalize(stripped, composed, status);
  if (U_FAILURE(status) || Nfc() == nullptr) composed = stripped;
  composed.toUTF8String(*out);
}

void CaseFold(std::string_view word, std::string* out) {
  out->clear();
  if (!ChangesWhenCaseFolded(word)) {
    out->assign(word);
    return;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  u.foldCase();
  u.toUTF8String(*out);
}

}  // namespace rasai::analysis_internal
