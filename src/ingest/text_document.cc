// Documents from plain-text and Markdown files.
//
// Input: UTF-8 (broken sequences replaced) or UTF-16 with a byte order mark.
// Plain text: title = first non-empty line, body = the whole text.
// Markdown: the markup is reduced to its text (heading markers, emphasis, link targets, code
// fences, list bullets, quote markers, table pipes and YAML front matter go); title = the front
// matter's `title:`, else the first level-1 heading (which then leaves the body), else the first
// non-empty line. Front matter may also give `date:` and `lang:`.
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ingest_internal.h"
#include "rasai/ingest.h"

namespace rasai {
namespace {

using ingest_internal::CollapseSpaces;
using ingest_internal::Trim;

constexpr size_t kMaxTitleBytes = 200;

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// A title no longer than kMaxTitleBytes, cut at a space (or at least at a code point boundary).
std::string ShortTitle(std::string_view line) {
  std::string t = CollapseSpaces(line);
  if (t.size() <= kMaxTitleBytes) return t;
  size_t cut = kMaxTitleBytes;
  while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;
  size_t space = t.rfind(' ', cut);
  if (space != std::string::npos && space > kMaxTitleBytes / 2) cut = space;
  t.resize(cut);
  t += "\xE2\x80\xA6";  // …
  return t;
}

size_t LeadingSpaces(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && s[n] == ' ') ++n;
  return n;
}

// True when `s` (trimmed) consists of at least `min` copies of `c`, optionally space-separated.
bool IsRuleOf(std::string_view s, char c, int min) {
  s = Trim(s);
  int count = 0;
  for (char x : s) {
    if (x == c) {
      ++count;
    } else if (x != ' ' && x != '\t') {
      return false;
    }
  }
  return count >= min;
}

bool IsThematicBreak(std::string_view s) {
  return LeadingSpaces(s) <= 3 && (IsRuleOf(s, '-', 3) || IsRuleOf(s, '*', 3) || IsRuleOf(s, '_', 3));
}

// "## Heading ##" -> level 2, text "Heading"; 0 when `s` is not an ATX heading.
int AtxHeading(std::string_view s, std::string_view* text) {
  size_t i = LeadingSpaces(s);
  if (i > 3) return 0;
  size_t level = 0;
  while (i + level < s.size() && s[i + level] == '#') ++level;
  if (level == 0 || level > 6) return 0;
  size_t rest = i + level;
  if (rest < s.size() && s[rest] != ' ' && s[rest] != '\t') return 0;
  std::string_view t = Trim(s.substr(rest));
  // An optional closing sequence of '#' preceded by a space.
  size_t end = t.size();
  while (end > 0 && t[end - 1] == '#') --end;
  if (end == 0) {
    t = {};
  } else if (end < t.size() && (t[end - 1] == ' ' || t[end - 1] == '\t')) {
    t = Trim(t.substr(0, end));
  }
  *text = t;
  return static_cast<int>(level);
}

bool IsFence(std::string_view s) {
  s = s.substr(std::min(LeadingSpaces(s), s.size()));
  return s.starts_with("```") || s.starts_with("~~~");
}

// Inline markup reduced to its text: [text](url) and ![alt](url) -> text, `code` -> code,
// **strong** -> strong, <http://x> -> http://x, backslash escapes resolved.
std::string StripInline(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  // s.find(ch, from), remembering where a search found nothing: a later one from there on finds
  // nothing either. Without it, a line of 1,000,000 '[' (or "[a](" repeated) took seconds to
  // minutes, each bracket looking to the end of the line for its close.
  size_t none_from[3] = {std::string_view::npos, std::string_view::npos, std::string_view::npos};
  auto find = [&](char ch, size_t from) {
    size_t& none = none_from[ch == ']' ? 0 : ch == ')' ? 1 : 2];
    if (from >= none) return std::string_view::npos;
    const size_t at = s.find(ch, from);
    if (at == std::string_view::npos) none = from;
    return at;
  };
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && std::string_view("\\`*_{}[]()#+-.!|<>~").find(s[i + 1]) != std::string_view::npos) {
      out.push_back(s[i + 1]);
      i += 2;
    } else if (c == '!' && i + 1 < s.size() && s[i + 1] == '[') {
      ++i;  // an image: keep its alt text like a link's text
    } else if (c == '[') {
      size_t close = find(']', i + 1);
      if (close == std::string_view::npos) {
        out.push_back(c);
        ++i;
        continue;
      }
      std::string_view label = s.substr(i + 1, close - i - 1);
      size_t after = close + 1;
      if (after < s.size() && (s[after] == '(' || s[after] == '[')) {
        size_t end = find(s[after] == '(' ? ')' : ']', after + 1);
        if (end != std::string_view::npos) after = end + 1;
      }
      out += StripInline(label);
      i = after;
    } else if (c == '`') {
      size_t ticks = 0;
      while (i + ticks < s.size() && s[i + ticks] == '`') ++ticks;
      i += ticks;
    } else if ((c == '*' || c == '_') && i + 1 < s.size() && s[i + 1] == c) {
      i += 2;  // ** or __ (strong); a single * or _ is left alone: it is often content
    } else if (c == '<' && (s.substr(i + 1).starts_with("http://") || s.substr(i + 1).starts_with("https://") ||
                            s.substr(i + 1).starts_with("mailto:"))) {
      size_t end = find('>', i + 1);
      if (end == std::string_view::npos) {
        out.push_back(c);
        ++i;
      } else {
        out += s.substr(i + 1, end - i - 1);
        i = end + 1;
      }
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

// A line's block markers removed: quote markers, list bullets, table pipes.
std::string StripBlockMarkers(std::string_view s) {
  for (;;) {
    size_t sp = LeadingSpaces(s);
    if (sp < s.size() && s[sp] == '>') {
      s.remove_prefix(sp + 1);
      if (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      continue;
    }
    break;
  }
  size_t sp = LeadingSpaces(s);
  if (sp + 1 < s.size() && (s[sp] == '-' || s[sp] == '*' || s[sp] == '+') && (s[sp + 1] == ' ' || s[sp + 1] == '\t')) {
    std::string_view rest = s.substr(sp + 2);
    // Task list boxes: "- [ ] x", "- [x] x".
    if (rest.starts_with("[ ] ") || rest.starts_with("[x] ") || rest.starts_with("[X] ")) rest.remove_prefix(4);
    return std::string(s.substr(0, sp)) + std::string(rest);
  }
  std::string_view t = Trim(s);
  if (t.starts_with('|')) {
    // A table row; its separator row (|---|:--:|) has no text at all.
    bool separator = true;
    for (char c : t) {
      if (c != '|' && c != '-' && c != ':' && c != ' ' && c != '\t') separator = false;
    }
    if (separator) return std::string();
    std::string row;
    for (char c : t) row.push_back(c == '|' ? ' ' : c);
    return CollapseSpaces(row);
  }
  return std::string(s);
}

std::string Unquote(std::string_view v) {
  v = Trim(v);
  if (v.size() >= 2 && ((v.front() == '"' && v.back() == '"') || (v.front() == '\'' && v.back() == '\''))) {
    v = v.substr(1, v.size() - 2);
  }
  return std::string(v);
}

// Removes YAML front matter ("---" ... "---" / "...") from the start of `lines`, taking title,
// date and lang from it.
void TakeFrontMatter(std::vector<std::string_view>* lines, Document* doc) {
  if (lines->empty() || Trim((*lines)[0]) != "---") return;
  size_t end = 0;
  for (size_t i = 1; i < lines->size() && i < 200; ++i) {
    std::string_view t = Trim((*lines)[i]);
    if (t == "---" || t == "...") {
      end = i;
      break;
    }
  }
  if (end == 0) return;
  for (size_t i = 1; i < end; ++i) {
    std::string_view l = (*lines)[i];
    size_t colon = l.find(':');
    if (colon == std::string_view::npos || LeadingSpaces(l) > 0) continue;
    std::string_view key = Trim(l.substr(0, colon));
    std::string value = Unquote(l.substr(colon + 1));
    if (value.empty()) continue;
    if (key == "title") {
      doc->title = ShortTitle(value);
    } else if (key == "date") {
      doc->date = value;
    } else if (key == "lang" || key == "language") {
      doc->lang = value;
    }
  }
  lines->erase(lines->begin(), lines->begin() + static_cast<std::ptrdiff_t>(end) + 1);
}

// Joins lines, at most one blank line in a row, trimmed.
std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  bool blank_pending = false;
  for (const auto& l : lines) {
    std::string_view t = l;
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    if (Trim(t).empty()) {
      blank_pending = !out.empty();
      continue;
    }
    if (!out.empty()) out += blank_pending ? "\n\n" : "\n";
    blank_pending = false;
    out += t;
  }
  return out;
}

void FromMarkdown(std::string_view text, Document* doc) {
  std::vector<std::string_view> lines = SplitLines(text);
  TakeFrontMatter(&lines, doc);

  std::vector<std::string> body;
  body.reserve(lines.size());
  bool in_fence = false;
  bool title_from_heading = !doc->title.empty();
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (IsFence(line)) {
      in_fence = !in_fence;
      continue;
    }
    if (in_fence) {
      body.emplace_back(line);
      continue;
    }
    std::string_view heading;
    if (int level = AtxHeading(line, &heading); level > 0) {
      std::string h = CollapseSpaces(StripInline(heading));
      if (level == 1 && !title_from_heading && !h.empty()) {
        doc->title = ShortTitle(h);
        title_from_heading = true;
        continue;  // the title is not repeated in the body
      }
      body.push_back(std::move(h));
      continue;
    }
    // Setext headings: a text line underlined with === (level 1) or --- (level 2).
    if (i + 1 < lines.size() && !Trim(line).empty() && LeadingSpaces(line) <= 3) {
      const std::string_view next = lines[i + 1];
      const bool eq = IsRuleOf(next, '=', 1);
      const bool dash = IsRuleOf(next, '-', 2) && Trim(next).find(' ') == std::string_view::npos;
      if (eq || dash) {
        std::string h = CollapseSpaces(StripInline(StripBlockMarkers(line)));
        ++i;
        if (eq && !title_from_heading && !h.empty()) {
          doc->title = ShortTitle(h);
          title_from_heading = true;
          continue;
        }
        body.push_back(std::move(h));
        continue;
      }
    }
    if (IsThematicBreak(line)) continue;
    std::string_view t = Trim(line);
    if (t.starts_with('[') && t.find("]: ") != std::string_view::npos) continue;  // [ref]: url
    if (t.starts_with("<!--") && t.ends_with("-->")) continue;
    if (t.starts_with('|') && t.find_first_not_of("|-: \t") == std::string_view::npos) continue;  // |---|
    body.push_back(StripInline(StripBlockMarkers(line)));
  }
  doc->body = JoinLines(body);
  if (doc->title.empty()) {
    for (const auto& l : body) {
      if (!Trim(l).empty()) {
        doc->title = ShortTitle(l);
        break;
      }
    }
  }
}

}  // namespace

namespace ingest_internal {

Document TextDocument(std::string_view id, std::string_view content, bool markdown, bool* repaired) {
  Document doc;
  doc.id = std::string(id);
  const std::string text = DecodeText(content, repaired);
  if (markdown) {
    FromMarkdown(text, &doc);
    return doc;
  }
  for (std::string_view line : SplitLines(text)) {
    if (!Trim(line).empty()) {
      doc.title = ShortTitle(line);
      break;
    }
  }
  std::vector<std::string> lines;
  for (std::string_view line : SplitLines(text)) lines.emplace_back(line);
  doc.body = std::string(Trim(JoinLines(lines)));
  return doc;
}

}  // namespace ingest_internal

Document DocumentFromText(std::string_view id, std::string_view content, bool markdown) {
  return ingest_internal::TextDocument(id, content, markdown, nullptr);
}

}  // namespace rasai
