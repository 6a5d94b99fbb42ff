// Small ASCII and HTML text helpers shared by the layers.
#pragma once

#include <string>
#include <string_view>

namespace rasai {

// True when a and b are equal ignoring ASCII case.
bool EqualsIgnoreCaseAscii(std::string_view a, std::string_view b);
// s with A-Z lower-cased; every other byte as it is.
std::string LowerAscii(std::string_view s);
// True when every byte of s is ASCII (an English word or term, not Urdu).
bool IsAscii(std::string_view s);
// Appends s with & < > " ' escaped for HTML text and attribute values.
void AppendHtmlEscaped(std::string_view s, std::string* out);
std::string HtmlEscape(std::string_view s);

}  // namespace rasai
