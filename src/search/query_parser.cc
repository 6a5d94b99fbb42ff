#include "search/query_parser.h"

#include <cctype>

namespace rasai {
namespace {

bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string Lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

// Applies a "key:value" filter; false when key is not a filter.
bool ApplyFilter(const std::string& key, const std::string& value, ParsedQuery* q) {
  if (value.empty()) return false;
  if (key == "lang") {
    q->lang = value;
  } else if (key == "source") {
    q->source = value;
  } else if (key == "category") {
    q->category = value;
  } else if (key == "year") {
    q->date_from = value;
    q->date_to = value;
  } else if (key == "from" || key == "after") {
    q->date_from = value;
  } else if (key == "to" || key == "before") {
    q->date_to = value;
  } else if (key == "date") {
    size_t dots = value.find("..");
    if (dots == std::string::npos) {
      q->date_from = q->date_to = value;
    } else {
      q->date_from = value.substr(0, dots);
      q->date_to = value.substr(dots + 2);
    }
  } else if (key == "sort") {
    std::string v = Lower(value);
    if (v == "date" || v == "new" || v == "newest") q->sort = ParsedQuery::Sort::kDateDesc;
    else if (v == "old" || v == "oldest" || v == "date_asc") q->sort = ParsedQuery::Sort::kDateAsc;
    else if (v == "relevance") q->sort = ParsedQuery::Sort::kDefault;
    else return false;
  } else {
    return false;
  }
  return true;
}

}  // namespace

ParsedQuery ParseQuery(std::string_view in) {
  if (in.size() > kMaxQueryBytes) {
    size_t cut = kMaxQueryBytes;
    while (cut > 0 && (static_cast<unsigned char>(in[cut]) & 0xC0) == 0x80) --cut;
    in = in.substr(0, cut);
  }
  ParsedQuery q;
  size_t i = 0;
  int next_group = 0;
  bool pending_or = false;
  while (i < in.size()) {
    while (i < in.size() && IsSpace(in[i])) ++i;
    if (i >= in.size()) break;
    QueryItem item;
    if (in[i] == '-' && i + 1 < in.size() && !IsSpace(in[i + 1])) {
      item.exclude = true;
      ++i;
    } else if (in[i] == '+' && i + 1 < in.size() && !IsSpace(in[i + 1])) {
      ++i;
    }
    // field: prefix (ASCII letters then ':')
    size_t j = i;
    while (j < in.size() && std::isalpha(static_cast<unsigned char>(in[j]))) ++j;
    if (j > i && j < in.size() && in[j] == ':' && j + 1 < in.size() && !IsSpace(in[j + 1])) {
      std::string key = Lower(in.substr(i, j - i));
      if (key == "title" || key == "body" || key == "summary") {
        item.field = key;
        i = j + 1;
      } else if (in[j + 1] != '"') {
        size_t k = j + 1;
        while (k < in.size() && !IsSpace(in[k])) ++k;
        if (ApplyFilter(key, std::string(in.substr(j + 1, k - j - 1)), &q)) {
          i = k;
          continue;
        }
      }
    }
    if (i < in.size() && in[i] == '"') {
      size_t close = in.find('"', i + 1);
      size_t end = close == std::string_view::npos ? in.size() : close;
      item.kind = QueryItem::Kind::kPhrase;
      item.text = std::string(in.substr(i + 1, end - i - 1));
      i = close == std::string_view::npos ? in.size() : close + 1;
    } else {
      size_t k = i;
      while (k < in.size() && !IsSpace(in[k]) && in[k] != '"') ++k;
      item.text = std::string(in.substr(i, k - i));
      i = k;
      if (!item.exclude && item.field.empty() && (item.text == "OR" || item.text == "|")) {
        if (!q.items.empty()) pending_or = true;
        continue;
      }
      if (item.text.size() > 1 && item.text.back() == '*') {
        item.prefix = true;
        item.text.pop_back();
      }
    }
    bool has_content = false;
    for (char c : item.text) has_content |= !IsSpace(static_cast<unsigned char>(c)) && c != '*';
    if (!has_content) {
      pending_or = false;
      continue;
    }
    if (pending_or && !item.exclude && !q.items.back().exclude) {
      QueryItem& prev = q.items.back();
      if (prev.or_group < 0) prev.or_group = next_group++;
      item.or_group = prev.or_group;
    }
    pending_or = false;
    q.items.push_back(std::move(item));
  }
  return q;
}

}  // namespace rasai
