// Server-rendered HTML: the reader page (/read/{id}) and error pages, plus the text helpers
// they need (HTML escaping, writing direction of Urdu/English text).
// Thread-safety: free functions, no shared state.
#pragma once

#include <string>
#include <string_view>

#include "rasai/document.h"
#include "server/assets.h"

namespace rasai::server {

// Escapes & < > " ' for use in HTML text and attribute values.
std::string HtmlEscape(std::string_view s);

// True for languages written right to left (ur, ar, fa, ps, sd, ...; subtags ignored).
bool IsRtlLanguage(std::string_view bcp47);

// True when most strong letters in (the start of) `text` are right-to-left (Arabic script,
// Hebrew). Digits, punctuation and spaces do not count.
bool LooksRtl(std::string_view text);

struct LangDir {
  std::string lang;  // BCP 47 for the lang attribute ("" when unknown)
  const char* dir;   // "rtl" or "ltr"
};
// Language and direction of a document: its lang field when set, else guessed from its text
// (Arabic-script text is taken as Urdu, the collections' main language).
LangDir DocumentLangDir(const Document& doc);

// The reader page for `doc`, from the template /_reader.html.
std::string RenderReaderPage(const StaticFiles& files, const Document& doc);
// An HTML error page (404, 500, ...) from the template /_error.html.
std::string RenderErrorPage(const StaticFiles& files, int status, std::string_view message);

}  // namespace rasai::server
