// Small text helpers shared by the ingest readers.
#include <string>
#include <string_view>

#include "ingest/ingest_internal.h"
#include "util/utf8.h"

namespace rasai::ingest_internal {

std::string CleanText(std::string_view raw, bool* repaired) {
  bool fixed = false;
  std::string text = IsValidUtf8(raw) ? std::string(raw) : RepairUtf8(raw, &fixed);
  if (repaired) *repaired = fixed;
  size_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  std::string out;
  out.reserve(text.size() - start);
  for (size_t i = start; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    size_t len = 1;
    if (!space && c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {  // U+00A0 NBSP
      space = true;
      len = 2;
    }
    if (space) {
      pending_space = !out.empty();
      i += len - 1;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace rasai::ingest_internal
