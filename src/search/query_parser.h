// Internal: the query language (docs/search.md) parsed into clauses, leniently: any input parses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rasai {

struct QueryItem {
  enum class Kind { kWord, kPhrase } kind = Kind::kWord;
  std::string text;      // the raw text of the word or phrase (unanalyzed)
  std::string field;     // "" = all text fields, else title/body/summary
  bool prefix = false;   // word*
  bool exclude = false;  // -word
  int or_group = -1;     // items joined by OR share a group id
};

struct ParsedQuery {
  std::vector<QueryItem> items;
  std::string lang, source, category;
  std::string date_from, date_to;  // "YYYY", "YYYY-MM" or "YYYY-MM-DD"
  enum class Sort { kDefault, kDateDesc, kDateAsc } sort = Sort::kDefault;
};

// Never fails. Input of more than kMaxQueryBytes is cut (on a UTF-8 boundary).
ParsedQuery ParseQuery(std::string_view q);
constexpr size_t kMaxQueryBytes = 8192;

}  // namespace rasai
