// Server-rendered HTML: the reader page (/read/{id}) and error pages, plus the text helpers
// they need (HTML escaping, writing direction of Urdu/English text).
// Thread-safety: free functions, no shared state.
#pragma once

#include <string>
#include <string_view>

#include "rasai/document.h"
#include "rasai/search.h"
#include "server/assets.h"
#include "util/text.h"  // HtmlEscape, used by the page builders

namespace rasai::server {

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
// The search snippet with every tag except <mark> and </mark> neutralized (the searcher
// already escapes; this is a second line of defence).
std::string SafeSnippet(std::string_view snippet);

// What the server-rendered results page (/search, for browsers without JavaScript) shows.
struct ResultsView {
  std::string query;
  uint32_t page = 1;         // 1-based
  uint32_t page_size = 10;
  std::string sort;          // "" = relevance, "date", "date_asc"
  std::string source, category, lang, year;
};
// "/search?q=..." for `view` (page 1 is left out).
std::string ResultsUrl(const ResultsView& view);
// The results page from the template /_results.html; `result` is null when the query is empty.
std::string RenderResultsPage(const StaticFiles& files, const ResultsView& view, const SearchResult* result);

// An HTML error page (404, 500, ...) from the template /_error.html.
std::string RenderErrorPage(const StaticFiles& files, int status, std::string_view message);

}  // namespace rasai::server
