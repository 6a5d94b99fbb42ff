// Text in other encodings than UTF-8: UTF-16 with a byte order mark (what Windows Notepad saves as
// "Unicode"), and HTML pages that declare a legacy charset (windows-1256, windows-1252, ...),
// converted with ICU.
#include <unicode/ucnv.h>

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/ingest_internal.h"
#include "util/utf8.h"

namespace rasai::ingest_internal {
namespace {

// UTF-16 (after its BOM) to UTF-8; unpaired surrogates and an odd last byte become U+FFFD.
std::string Utf16ToUtf8(std::string_view s, bool big_endian, bool* repaired) {
  std::string out;
  out.reserve(s.size() * 3 / 2);
  auto unit = [&](size_t i) -> char32_t {
    const auto a = static_cast<unsigned char>(s[i]), b = static_cast<unsigned char>(s[i + 1]);
    return big_endian ? (char32_t{a} << 8 | b) : (char32_t{b} << 8 | a);
  };
  size_t i = 0;
  for (; i + 1 < s.size(); i += 2) {
    char32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < s.size()) {
      const char32_t low = unit(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00), &out);
        i += 2;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) {
      u = 0xFFFD;
      *repaired = true;
    }
    AppendUtf8(u, &out);
  }
  if (i < s.size()) {
    AppendUtf8(0xFFFD, &out);
    *repaired = true;
  }
  return out;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string DecodeText(std::string_view raw, bool* repaired) {
  bool fixed = false;
  std::string text;
  if (raw.starts_with("\xFF\xFE")) {
    text = Utf16ToUtf8(raw.substr(2), /*big_endian=*/false, &fixed);
  } else if (raw.starts_with("\xFE\xFF")) {
    text = Utf16ToUtf8(raw.substr(2), /*big_endian=*/true, &fixed);
  } else {
    return CleanText(raw, repaired);
  }
  std::string out = CleanText(text, nullptr);
  if (repaired) *repaired = fixed;
  return out;
}

std::string SniffHtmlCharset(std::string_view html) {
  // The declaration must come early (the HTML standard looks at the first 1024 bytes).
  std::string head(html.substr(0, 1024));
  for (char& c : head) c = Lower(c);
  size_t p = 0;
  while ((p = head.find("charset", p)) != std::string::npos) {
    p += 7;
    size_t i = p;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t')) ++i;
    if (i >= head.size() || head[i] != '=') continue;
    ++i;
    while (i < head.size() && (head[i] == ' ' || head[i] == '"' || head[i] == '\'')) ++i;
    size_t end = i;
    while (end < head.size() && (std::isalnum(static_cast<unsigned char>(head[end])) || head[end] == '-' ||
                                 head[end] == '_' || head[end] == ':' || head[end] == '.')) {
      ++end;
    }
    if (end > i && end - i <= 40) return head.substr(i, end - i);
  }
  return "";
}

bool ConvertToUtf8(std::string_view bytes, const std::string& charset, std::string* out) {
  if (charset.empty() || bytes.size() > static_cast<size_t>(INT32_MAX / 4)) return false;
  UErrorCode err = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(charset.c_str(), &err);
  if (U_FAILURE(err) || !conv) return false;
  // Worst case: every byte becomes a 3-byte UTF-8 sequence (U+FFFD for the unmappable ones).
  out->resize(bytes.size() * 3 + 4);
  UErrorCode err2 = U_ZERO_ERROR;
  UConverter* utf8 = ucnv_open("UTF-8", &err2);
  if (U_FAILURE(err2) || !utf8) {
    ucnv_close(conv);
    return false;
  }
  char* target = out->data();
  const char* source = bytes.data();
  ucnv_convertEx(utf8, conv, &target, out->data() + out->size(), &source, bytes.data() + bytes.size(), nullptr,
                 nullptr, nullptr, nullptr, /*reset=*/true, /*flush=*/true, &err);
  ucnv_close(utf8);
  ucnv_close(conv);
  if (U_FAILURE(err)) return false;
  out->resize(static_cast<size_t>(target - out->data()));
  return true;
}

}  // namespace rasai::ingest_internal
