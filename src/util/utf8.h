// UTF-8 validation and repair.
#pragma once

#include <string>
#include <string_view>

namespace rasai {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);
// `s` with every ill-formed sequence replaced by U+FFFD. Sets *repaired when anything changed.
std::string RepairUtf8(std::string_view s, bool* repaired = nullptr);
// Decodes one code point at s[*i], advancing *i; returns 0xFFFD (advancing one byte) when ill-formed.
char32_t DecodeUtf8(std::string_view s, size_t* i);
void AppendUtf8(char32_t cp, std::string* out);
// The code points of `s` in *out (replacing its content; ill-formed sequences as U+FFFD).
void DecodeUtf8(std::string_view s, std::u32string* out);

}  // namespace rasai
