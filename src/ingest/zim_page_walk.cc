// WalkPageText: the text of an archive page read from its markup in one pass, without building
// the page's tree (contract in zim_internal.h). It takes what VisibleText takes from the tree
// gumbo builds (ArticleText: a line per block, inline text joined, cells and images a space,
// <pre> keeping its lines, script, style, hidden and embedded content left out), and gives up
// (false) wherever the tree could put text elsewhere than where the markup has it or the
// metadata reader could find something in the body: the caller parses the page then.
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ingest_internal.h"
#include "ingest/zim_internal.h"
#include "util/text.h"
#include "util/utf8.h"

namespace rasai::zim_internal {
namespace {

using ingest_internal::CollapseSpaces;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || (c >= '0' && c <= '9'); }

bool In(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names)
    if (n == name) return true;
  return false;
}

// The block elements of ArticleText (a line ends where one starts and where it ends).
bool IsBlock(std::string_view n) {
  return In(n, {"address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dir",
                "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
                "h6", "header", "hgroup", "hr", "li", "legend", "main", "menu", "nav", "ol", "option", "p", "pre",
                "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul", "html"});
}

bool IsVoid(std::string_view n) {
  return In(n, {"area", "base", "br", "col", "embed", "hr", "img", "image", "input", "link", "meta", "param", "source",
                "track", "wbr", "keygen", "basefont", "bgsound", "frame"});
}

// Elements the parser may close without their end tag (a hidden one would hide an extent the
// markup does not show).
bool EndsImplicitly(std::string_view n) {
  return In(n, {"p", "li", "dd", "dt", "td", "th", "tr", "tbody", "thead", "tfoot", "option", "optgroup", "rb", "rt",
                "rp", "rtc", "caption", "colgroup", "a", "table", "html", "body", "form", "button", "select", "nobr"});
}

// Start tags that end <svg> or <math> content (HTML breaks out of foreign content there).
bool BreaksForeignContent(std::string_view n) {
  return In(n, {"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "h1",
                "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p",
                "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var",
                "font"});
}

// Elements a table may hold directly (anything else there is moved before the table).
bool BelongsInTable(std::string_view n) {
  return In(n, {"caption", "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td", "th", "script", "style", "template"});
}

bool IsTableContext(std::string_view n) { return In(n, {"table", "tbody", "thead", "tfoot", "tr"}); }

bool IsFormatting(std::string_view n) {
  return In(n, {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"});
}

bool IsHeading(std::string_view n) { return n.size() == 2 && n[0] == 'h' && n[1] >= '1' && n[1] <= '6'; }

// HTML's "special" elements: an end tag of another element does not close past them.
bool IsSpecial(std::string_view n) {
  return IsHeading(n) ||
         In(n, {"address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote", "body",
                "br", "button", "caption", "center", "col", "colgroup", "dd", "details", "dir", "div", "dl", "dt",
                "embed", "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", "head", "header",
                "hgroup", "hr", "html", "iframe", "img", "input", "keygen", "li", "link", "listing", "main", "marquee",
                "menu", "meta", "nav", "noembed", "noframes", "noscript", "object", "ol", "p", "param", "plaintext",
                "pre", "search", "section", "select", "source", "style", "summary", "table", "tbody", "td",
                "template", "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul", "wbr", "xmp"});
}

// Start tags that close an open <p> (table only in a page without quirks).
bool ClosesParagraph(std::string_view n) {
  return IsHeading(n) ||
         In(n, {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl",
                "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p",
                "search", "section", "summary", "ul", "pre", "listing", "form", "li", "dd", "dt", "hr", "table"});
}

// End tags closing an element found in scope, which end a line when they do (else ignored).
bool IsBlockEnd(std::string_view n) {
  return IsHeading(n) ||
         In(n, {"address", "article", "aside", "blockquote", "button", "center", "details", "dialog", "dir", "div",
                "dl", "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "listing", "main", "menu",
                "nav", "ol", "pre", "search", "section", "summary", "ul", "li", "dd", "dt", "form", "table", "tbody",
                "thead", "tfoot", "tr", "td", "th", "caption", "applet", "marquee", "object", "colgroup"});
}

// Elements an end tag does not close past (the parser's scope boundaries).
bool IsScopeBoundary(std::string_view n) {
  return In(n, {"table", "td", "th", "caption", "html", "object", "template", "marquee", "applet"});
}

// "&...;" at s[i]: appends the character it stands for; false for a reference outside the common
// set the parser would decode otherwise or not at all (the page is then parsed).
bool DecodeReference(std::string_view s, size_t* i, std::string* out) {
  const size_t at = *i;
  if (at + 1 >= s.size() || !(IsAlnum(s[at + 1]) || s[at + 1] == '#')) {
    out->push_back('&');  // a lone ampersand
    ++*i;
    return true;
  }
  const size_t semi = s.find(';', at);
  if (semi == std::string_view::npos || semi - at > 12) return false;
  const std::string_view name = s.substr(at + 1, semi - at - 1);
  uint32_t cp = 0;
  if (name[0] == '#') {
    const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    const std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 6) return false;
    for (char c : digits) {
      uint32_t v;
      if (c >= '0' && c <= '9') v = c - '0';
      else if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
      else return false;
      cp = cp * (hex ? 16 : 10) + v;
    }
    // NUL, the C1 range (read as windows-1252), surrogates and what is beyond Unicode are
    // replaced by the parser: left to it.
    if (cp == 0 || (cp >= 0x80 && cp <= 0x9F) || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
    // Controls and noncharacters are parse errors the parser may treat its own way.
    if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
        (cp & 0xFFFE) == 0xFFFE)
      return false;
  } else {
    static const struct {
      std::string_view name;
      uint32_t cp;
    } kNamed[] = {{"amp", '&'},       {"lt", '<'},        {"gt", '>'},        {"quot", '"'},      {"apos", '\''},
                  {"nbsp", 0xA0},     {"ndash", 0x2013},  {"mdash", 0x2014},  {"hellip", 0x2026}, {"lsquo", 0x2018},
                  {"rsquo", 0x2019},  {"ldquo", 0x201C},  {"rdquo", 0x201D},  {"laquo", 0xAB},    {"raquo", 0xBB},
                  {"middot", 0xB7},   {"bull", 0x2022},   {"copy", 0xA9},     {"reg", 0xAE},      {"deg", 0xB0},
                  {"times", 0xD7},    {"minus", 0x2212},  {"shy", 0xAD},      {"zwj", 0x200D},    {"zwnj", 0x200C},
                  {"lrm", 0x200E},    {"rlm", 0x200F},    {"thinsp", 0x2009}, {"ensp", 0x2002},   {"emsp", 0x2003},
                  {"prime", 0x2032},  {"Prime", 0x2033},  {"trade", 0x2122},  {"euro", 0x20AC},   {"pound", 0xA3},
                  {"sect", 0xA7},     {"para", 0xB6},     {"frac12", 0xBD},   {"frac14", 0xBC},   {"plusmn", 0xB1}};
    for (const auto& e : kNamed)
      if (e.name == name) cp = e.cp;
    if (cp == 0) return false;
  }
  AppendUtf8(cp, out);
  *i = semi + 1;
  return true;
}

// A tag at s[lt] ('<' followed by a letter, or "</" and a letter): name, attributes we look at.
struct Tag {
  std::string name;  // lower-cased
  bool closing = false, self_closing = false;
  bool hidden = false, date_hint = false, ld_json = false;
  // A <meta> the metadata reader would take: one with a content, named otherwise than MediaWiki's
  // page properties ("mw:PageProp/..." in Wikipedia's pages), which it never reads.
  bool content = false, other_key = false;
  bool metadata() const { return content && other_key; }
  size_t end = 0;  // one past '>'
};

// Reads the tag at s[lt]; false when it does not end (the parser would drop the rest).
bool ReadTag(std::string_view s, size_t lt, Tag* t) {
  *t = Tag();
  size_t i = lt + 1;
  if (s[i] == '/') {
    t->closing = true;
    ++i;
  }
  const size_t n0 = i;
  while (i < s.size() && !IsSpace(s[i]) && s[i] != '/' && s[i] != '>') ++i;
  t->name = LowerAscii(s.substr(n0, i - n0));
  std::string_view seen[24];  // the attribute names so far
  size_t seen_count = 0;
  for (;;) {
    while (i < s.size() && (IsSpace(s[i]) || s[i] == '/')) {
      t->self_closing = s[i] == '/';
      ++i;
    }
    if (i >= s.size()) return false;
    if (s[i] == '>') {
      t->end = i + 1;
      return true;
    }
    t->self_closing = false;
    const size_t k0 = i;
    ++i;  // an attribute name may begin with '='
    while (i < s.size() && !IsSpace(s[i]) && s[i] != '/' && s[i] != '>' && s[i] != '=') ++i;
    const std::string_view raw_key = s.substr(k0, i - k0);
    size_t j = i;
    while (j < s.size() && IsSpace(s[j])) ++j;
    std::string_view value;
    if (j < s.size() && s[j] == '=') {
      ++j;
      while (j < s.size() && IsSpace(s[j])) ++j;
      if (j >= s.size()) return false;
      if (s[j] == '"' || s[j] == '\'') {
        const size_t close = s.find(s[j], j + 1);
        if (close == std::string_view::npos) return false;
        value = s.substr(j + 1, close - j - 1);
        i = close + 1;
      } else {
        const size_t v0 = j;
        while (j < s.size() && !IsSpace(s[j]) && s[j] != '>') ++j;
        value = s.substr(v0, j - v0);
        i = j;
      }
    }
    if (t->closing) continue;
    // A repeated attribute is dropped: the first one counts.
    bool repeated = false;
    for (size_t k = 0; k < seen_count && !repeated; ++k) repeated = EqualsIgnoreCaseAscii(seen[k], raw_key);
    if (repeated) continue;
    if (seen_count == std::size(seen)) return false;  // more attributes than are followed: left to the parser
    seen[seen_count++] = raw_key;
    auto key_is = [&](std::string_view k) { return EqualsIgnoreCaseAscii(raw_key, k); };
    if (key_is("hidden")) t->hidden = true;
    if (key_is("content")) t->content = !value.empty();
    if ((key_is("name") || key_is("property") || key_is("itemprop") || key_is("http-equiv")) &&
        !(value.size() >= 3 && EqualsIgnoreCaseAscii(value.substr(0, 3), "mw:")))
      t->other_key = true;
    if (key_is("class") || key_is("id")) {
      const std::string v = LowerAscii(value);
      for (const char* w : {"date", "time", "publish", "posted"})
        if (v.find(w) != std::string::npos) t->date_hint = true;
    }
    if (key_is("itemprop") && value.find("datePublished") != std::string_view::npos) t->date_hint = true;
    if (key_is("type") && LowerAscii(value).find("ld+json") != std::string::npos) t->ld_json = true;
  }
}

// Where the element of raw text (script, style, ...) opened by a tag ending at `from` ends: one
// past the '>' of its end tag; npos when it does not end.
size_t RawTextEnd(std::string_view s, size_t from, std::string_view name) {
  for (size_t e = s.find("</", from); e != std::string_view::npos; e = s.find("</", e + 2)) {
    if (e + 2 + name.size() < s.size() && EqualsIgnoreCaseAscii(s.substr(e + 2, name.size()), name) &&
        (IsSpace(s[e + 2 + name.size()]) || s[e + 2 + name.size()] == '>' || s[e + 2 + name.size()] == '/')) {
      Tag t;  // the end tag's own attributes (quoted values may hold '>')
      return ReadTag(s, e, &t) ? t.end : std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

// Lines of text as ArticleText's builder makes them (each line's spaces collapsed as
// CollapseSpaces does, empty lines left out), built as the text comes.
class Lines {
 public:
  void Append(std::string_view s, bool pre) {
    for (size_t i = 0; i < s.size();) {
      // A run of characters that are neither spaces nor the start of U+00A0 goes in at once.
      size_t j = i;
      while (j < s.size() && !kSpaceStart[static_cast<unsigned char>(s[j])]) ++j;
      if (j == i) {
        const char c = s[i];
        if (pre && (c == '\n' || c == '\r')) {
          EndLine();
          ++i;
          continue;
        }
        if (c != '\xC2') {
          space_ = true;
          ++i;
          continue;
        }
        if (i + 1 < s.size() && s[i + 1] == '\xA0') {  // U+00A0
          space_ = true;
          i += 2;
          continue;
        }
        j = i + 1;  // a \xC2 starting another character
      }
      if (!in_line_) {
        if (!out_.empty()) out_.push_back('\n');
        in_line_ = true;
      } else if (space_) {
        out_.push_back(' ');
      }
      space_ = false;
      out_.append(s.data() + i, j - i);
      i = j;
    }
  }
  void EndLine() { in_line_ = space_ = false; }
  std::string Finish() { return std::move(out_); }

 private:
  // The bytes Append looks at one by one: spaces, and \xC2 (U+00A0 starts with it).
  static constexpr auto kSpaceStart = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : {' ', '\t', '\n', '\r', '\f', '\v'}) t[c] = true;
    t[0xC2] = true;
    return t;
  }();
  std::string out_;
  bool in_line_ = false;  // the current line has a character
  bool space_ = false;    // spaces since the line's last character
};

constexpr size_t kMaxDepth = 400;

}  // namespace

bool WalkableBytes(std::string_view s) {
  if (!simdjson::validate_utf8(s.data(), s.size())) return false;  // SIMD; the same rules as IsValidUtf8
  // The characters left to the parser. In valid UTF-8 each starts with a byte below 0x20, 0x7F,
  // 0xC2 (C1 controls) or 0xEF (U+FDD0..U+FDEF, U+FFFE, U+FFFF), which no other character holds.
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* const end = p + s.size();
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto has_zero = [](uint64_t w) { return ((w - kOnes) & ~w & kHigh) != 0; };  // never misses one
  auto bad_at = [end](const unsigned char* q) {
    const unsigned char c = *q;
    if (c < 0x20) return c != '\t' && c != '\n' && c != '\r' && c != '\f';
    if (c == 0x7F) return true;
    if (c == 0xC2) return end - q >= 2 && q[1] < 0xA0;
    if (c == 0xEF && end - q >= 3)
      return (q[1] == 0xB7 && q[2] >= 0x90 && q[2] <= 0xAF) || (q[1] == 0xBF && q[2] >= 0xBE);
    return false;
  };
  while (end - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    // Eight bytes at once: a byte below 0x20 (as has_zero, exact for "none"), 0x7F, 0xC2, 0xEF.
    const bool suspect = ((w - 0x20 * kOnes) & ~w & kHigh) != 0 || has_zero(w ^ (0x7F * kOnes)) ||
                         has_zero(w ^ (0xC2 * kOnes)) || has_zero(w ^ (0xEF * kOnes));
    if (suspect)
      for (int k = 0; k < 8; ++k)
        if (bad_at(p + k)) return false;
    p += 8;
  }
  for (; p < end; ++p)
    if (bad_at(p)) return false;
  return true;
}

namespace {

bool IsBlank(std::string_view run) {
  for (char c : run)
    if (!IsSpace(c)) return false;
  return true;
}

}  // namespace

bool WalkPageText(std::string_view s, std::string* text, size_t* body_start, std::vector<std::string>* date_texts) {
  if (s.starts_with("\xEF\xBB\xBF") || !WalkableBytes(s)) return false;
  Lines lines;
  std::vector<std::string> open;  // open elements of the body, outermost first
  bool in_body = false;
  bool no_quirks = false;  // <!DOCTYPE html>: the page is in no-quirks mode
  size_t pre = 0;  // open <pre> and <listing> elements
  std::string decoded;
  auto top = [&]() -> std::string_view { return open.empty() ? std::string_view() : std::string_view(open.back()); };
  // The text of the open elements whose class or id names a date (the metadata reader takes a
  // date from the first 12 such texts when the page's metadata has none): (open.size() when
  // opened, index into `dated`).
  std::vector<std::pair<size_t, size_t>> tracking;
  std::vector<std::string> dated;
  auto track = [&](std::string_view text) {
    for (const auto& [depth, k] : tracking) dated[k].append(text);
  };
  // Pops the elements from the top down to index k (inclusive). A formatting element closed
  // without its own end tag is one the parser opens again further on (its "active formatting
  // elements"): the tree then differs from the markup's nesting, and the walk gives up.
  bool unsure = false;
  auto pop_to = [&](size_t k) {
    for (size_t m = open.size(); m > k; --m) {
      if (open[m - 1] == "pre" || open[m - 1] == "listing") --pre;
      if (m - 1 > k && IsFormatting(open[m - 1])) unsure = true;
      if (IsBlock(open[m - 1])) lines.EndLine();  // a block ends a line however it is closed
    }
    open.resize(k);
    while (!tracking.empty() && tracking.back().first >= open.size()) tracking.pop_back();
  };
  // Where the innermost element `match` accepts is open, in the scope that `boundary` ends
  // (npos: none).
  auto find_in_scope = [&](auto match, auto boundary) -> size_t {
    for (size_t k = open.size(); k > 0; --k) {
      if (match(std::string_view(open[k - 1]))) return k - 1;
      if (boundary(std::string_view(open[k - 1]))) return std::string_view::npos;
    }
    return std::string_view::npos;
  };
  auto default_scope = [](std::string_view n) { return IsScopeBoundary(n); };
  auto button_scope = [](std::string_view n) { return IsScopeBoundary(n) || n == "button"; };
  auto list_scope = [](std::string_view n) { return IsScopeBoundary(n) || n == "ol" || n == "ul"; };
  auto table_scope = [](std::string_view n) { return n == "html" || n == "table" || n == "template"; };
  auto named = [](std::string_view name) { return [name](std::string_view n) { return n == name; }; };
  // Closes `name` when it is open in `scope`; returns whether it was.
  auto close = [&](std::string_view name, auto scope) {
    const size_t k = find_in_scope(named(name), scope);
    if (k == std::string_view::npos) return false;
    pop_to(k);
    return true;
  };
  // Skips an element's content to its matching end tag (same-name nesting counted); npos when
  // unsure (foreign content broken out of, or no end).
  auto skip_element = [&](size_t from, const std::string& name, bool foreign) -> size_t {
    int depth = 1;
    Tag t;
    std::vector<std::string> inner;  // foreign elements open inside (HTML may start in some)
    for (size_t lt = s.find('<', from); lt != std::string_view::npos; lt = s.find('<', lt + 1)) {
      if (s.compare(lt, 4, "<!--") == 0) {
        const size_t e = s.find("-->", lt + 4);
        if (e == std::string_view::npos) return e;
        lt = e + 2;
        continue;
      }
      const bool closing = lt + 1 < s.size() && s[lt + 1] == '/';
      const size_t at = lt + (closing ? 2 : 1);
      if (at >= s.size() || !IsAlpha(s[at])) continue;
      if (!ReadTag(s, lt, &t)) return std::string_view::npos;
      if (!t.closing && foreign && BreaksForeignContent(t.name)) return std::string_view::npos;
      if (foreign) {
        // Inside MathML's text elements and SVG's foreignObject, desc and title, tags are HTML.
        if (!t.closing && !inner.empty() &&
            In(inner.back(), {"mi", "mo", "mn", "ms", "mtext", "annotation-xml", "foreignobject", "desc", "title"}))
          return std::string_view::npos;
        if (!t.closing && !t.self_closing) inner.push_back(t.name);
        if (t.closing) {
          for (size_t k = inner.size(); k > 0; --k)
            if (inner[k - 1] == t.name) {
              inner.resize(k - 1);
              break;
            }
        }
      }
      // Left out of the text, but the metadata reader would see it.
      if (!t.closing && (t.date_hint || t.ld_json || t.name == "time" || (t.name == "meta" && t.metadata())))
        return std::string_view::npos;
      if (!t.closing && (t.name == "script" || t.name == "style")) {
        const size_t e = RawTextEnd(s, t.end, t.name);
        if (e == std::string_view::npos) return e;
        lt = e - 1;
        continue;
      }
      if (t.name == name) {
        if (t.closing) {
          if (--depth == 0) return t.end;
        } else if (!(foreign && t.self_closing)) {
          ++depth;
        }
      }
      lt = t.end - 1;
    }
    return std::string_view::npos;
  };

  size_t pos = 0;
  Tag t;
  while (pos < s.size()) {
    const size_t lt = s.find('<', pos);
    const std::string_view run = s.substr(pos, (lt == std::string_view::npos ? s.size() : lt) - pos);
    if (!run.empty()) {
      if ((!in_body || IsTableContext(top())) && !IsBlank(run)) return false;  // text the parser would move
      if (in_body) {
        std::string_view text = run;
        if (size_t amp = run.find('&'); amp != std::string_view::npos) {
          decoded.clear();
          for (size_t i = 0; i < run.size();) {
            decoded.append(run.substr(i, amp - i));
            i = amp;
            if (i == run.size()) break;
            if (!DecodeReference(run, &i, &decoded)) return false;
            amp = std::min(run.find('&', i), run.size());
          }
          text = decoded;
        }
        lines.Append(text, pre > 0);
        track(text);
      }
    }
    if (lt == std::string_view::npos) break;
    pos = lt;
    if (s.compare(lt, 4, "<!--") == 0) {
      if (s.compare(lt, 5, "<!-->") == 0 || s.compare(lt, 6, "<!--->") == 0) return false;
      const size_t e = s.find("-->", lt + 4);
      if (e == std::string_view::npos) return false;
      if (s.substr(lt + 4, e - lt - 4).find("--!>") != std::string_view::npos) return false;
      pos = e + 3;
      continue;
    }
    const char next = lt + 1 < s.size() ? s[lt + 1] : '\0';
    if (next == '!' || next == '?') {
      if (in_body || !EqualsIgnoreCaseAscii(s.substr(lt, 9), "<!doctype")) return false;
      const size_t gt = s.find('>', lt);
      if (gt == std::string_view::npos) return false;
      std::string_view rest = s.substr(lt + 9, gt - lt - 9);
      while (!rest.empty() && IsSpace(rest.front())) rest.remove_prefix(1);
      while (!rest.empty() && IsSpace(rest.back())) rest.remove_suffix(1);
      no_quirks = EqualsIgnoreCaseAscii(rest, "html");
      pos = gt + 1;
      continue;
    }
    const bool closing = next == '/';
    if (closing && !(lt + 2 < s.size() && IsAlpha(s[lt + 2]))) return false;  // a bogus comment
    if (!closing && !IsAlpha(next)) {  // a '<' that starts no tag is text
      if (!in_body) return false;
      lines.Append("<", pre > 0);
      track("<");
      pos = lt + 1;
      continue;
    }
    if (!ReadTag(s, lt, &t)) return false;
    pos = t.end;
    const std::string& name = t.name;
    if (!in_body) {
      if (t.closing) {
        if (name != "head") return false;
      } else if (name == "body") {
        in_body = true;
        *body_start = lt;
      } else if (name == "title" || name == "script" || name == "style") {
        const size_t e = RawTextEnd(s, t.end, name);
        if (e == std::string_view::npos) return false;
        pos = e;
      } else if (!In(name, {"html", "head", "meta", "link", "base"})) {
        return false;
      }
      continue;
    }
    if (t.closing) {
      if (name == "body" || name == "html") continue;  // what follows still goes to the body
      if (name == "p" || name == "br") {  // closes a <p>, or makes an empty one; </br> is <br>
        lines.EndLine();
        close("p", button_scope);
        if (unsure) return false;
        continue;
      }
      if (IsBlockEnd(name)) {
        bool closed;
        if (IsHeading(name)) {
          const size_t k = find_in_scope(IsHeading, default_scope);
          closed = k != std::string_view::npos;
          if (closed) pop_to(k);
        } else if (name == "li") {
          closed = close(name, list_scope);
        } else if (In(name, {"table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup"})) {
          closed = close(name, table_scope);
        } else {
          closed = close(name, default_scope);
        }
        if (closed && IsBlock(name)) lines.EndLine();
        if (unsure) return false;
        continue;
      }
      // Any other end tag closes its element unless a special element comes first (where a
      // formatting element's end tag restructures the tree instead).
      const size_t k = find_in_scope(named(name), IsSpecial);
      if (k != std::string_view::npos) {
        pop_to(k);
      } else if (IsFormatting(name) && find_in_scope(named(name), [](std::string_view) { return false; }) !=
                                           std::string_view::npos) {
        return false;
      }
      if (unsure) return false;
      continue;
    }
    // Start tags in the body.
    if (t.ld_json || name == "time" || (name == "meta" && t.metadata())) return false;  // metadata in the body
    if (In(name, {"frameset", "frame", "plaintext", "xmp", "noembed", "noframes", "isindex", "keygen", "html"}))
      return false;
    // Content left out of the text (below) is text to the metadata reader.
    if (!tracking.empty() &&
        (t.hidden || In(name, {"script", "style", "title", "iframe", "textarea", "noscript", "template", "object",
                               "select", "svg", "math"})))
      return false;
    if (IsTableContext(top()) && !BelongsInTable(name)) return false;  // moved before the table
    if (In(name, {"head", "link", "base", "body", "meta"})) continue;  // dropped, or merged into the root
    if (In(name, {"script", "style", "title", "iframe", "textarea"})) {
      const size_t e = RawTextEnd(s, t.end, name);
      if (e == std::string_view::npos) return false;
      pos = e;
      continue;
    }
    if (In(name, {"noscript", "template", "object", "select", "svg", "math"})) {
      if (name == "select" || name == "template") {
        // Inside a select the parser ignores tags but a few, which end it.
        const size_t e = RawTextEnd(s, t.end, name);
        if (e == std::string_view::npos) return false;
        const std::string_view inner = s.substr(t.end, e - t.end);
        for (const char* bad : {"<select", "<input", "<textarea", "<keygen", "<template"})
          if (LowerAscii(inner).find(bad) != std::string::npos) return false;
        pos = e;
        continue;
      }
      if ((name == "svg" || name == "math") && t.self_closing) continue;
      const size_t e = skip_element(t.end, name, name == "svg" || name == "math");
      if (e == std::string_view::npos) return false;
      pos = e;
      continue;
    }
    if (t.hidden) {
      if (IsVoid(name)) continue;
      if (EndsImplicitly(name)) return false;
      const size_t e = skip_element(t.end, name, false);
      if (e == std::string_view::npos) return false;
      pos = e;
      continue;
    }
    // Elements a start tag closes.
    if (In(name, {"td", "th", "tr", "tbody", "thead", "tfoot", "caption", "colgroup", "col"}) &&
        find_in_scope(named("table"), [](std::string_view) { return false; }) == std::string_view::npos)
      return false;  // table parts outside a table: the parser ignores them
    if (name == "table" && !no_quirks && find_in_scope(named("p"), button_scope) != std::string_view::npos)
      return false;  // whether it closes the <p> depends on the page's mode
    if ((name == "form" && find_in_scope(named("form"), [](std::string_view) { return false; }) != std::string_view::npos) ||
        (name == "button" && find_in_scope(named("button"), default_scope) != std::string_view::npos))
      return false;  // ignored, or closing the open one
    if (ClosesParagraph(name)) close("p", button_scope);
    if (IsHeading(name) && IsHeading(top())) pop_to(open.size() - 1);
    if (name == "li" || name == "dd" || name == "dt") {
      const bool li = name == "li";
      const size_t k = find_in_scope(
          [li](std::string_view n) { return li ? n == "li" : (n == "dd" || n == "dt"); },
          [](std::string_view n) { return IsSpecial(n) && n != "address" && n != "div" && n != "p"; });
      if (k != std::string_view::npos) pop_to(k);
    }
    if (name == "a" && find_in_scope(named("a"), [](std::string_view n) { return n == "table" || n == "td" || n == "th"; }) !=
                           std::string_view::npos)
      return false;  // an <a> in an <a>: the parser closes the first one its own way
    if ((name == "option" || name == "optgroup") && top() == "option") pop_to(open.size() - 1);
    if (name == "optgroup" && top() == "optgroup") pop_to(open.size() - 1);
    // Cells and rows close the ones still open.
    if (In(name, {"td", "th", "tr", "tbody", "thead", "tfoot", "caption", "colgroup"})) {
      const int level = name == "td" || name == "th" ? 0 : name == "tr" ? 1 : 2;
      auto closes = [&](std::string_view n) {
        return n == "td" || n == "th" || (level >= 1 && n == "tr") ||
               (level >= 2 && In(n, {"tbody", "thead", "tfoot", "caption", "colgroup"}));
      };
      for (bool popped = true; popped;) {
        popped = false;
        for (size_t k = open.size(); k > 0 && open[k - 1] != "table"; --k) {
          if (closes(open[k - 1])) {
            pop_to(k - 1);
            popped = true;
            break;
          }
        }
      }
    }
    if (name == "table" && IsTableContext(top())) return false;  // a table in a table's rows ends it
    // A cell or row directly in a table gets the row and body the parser makes for it.
    if ((name == "td" || name == "th" || name == "tr") && top() == "table") {
      lines.EndLine();
      open.push_back("tbody");
    }
    if ((name == "td" || name == "th") && In(top(), {"tbody", "thead", "tfoot"})) {
      lines.EndLine();
      open.push_back("tr");
    }
    if (unsure) return false;
    // The metadata reader reads nothing inside <h1> and <h2>, nor their own class.
    const bool dated_element =
        t.date_hint && name != "h1" && name != "h2" &&
        find_in_scope([](std::string_view n) { return n == "h1" || n == "h2"; }, [](std::string_view) { return false; }) ==
            std::string_view::npos;
    if (IsBlock(name)) lines.EndLine();
    if (In(name, {"img", "image", "td", "th"})) lines.Append(" ", false);
    if (In(name, {"img", "image", "br"})) track(" ");
    if (IsVoid(name)) {
      if (dated_element && In(name, {"img", "image", "br"})) dated.emplace_back(" ");
      continue;
    }
    if (dated_element) {
      // One the parser may close early or copy (formatting elements) has another extent; cells
      // and rows end here as they do in the parser.
      if (dated.size() >= 64 || (EndsImplicitly(name) && !In(name, {"td", "th", "tr"})) ||
          In(name, {"b", "big", "code", "em", "font", "i", "s", "small", "strike", "strong", "tt", "u"}))
        return false;
      tracking.emplace_back(open.size(), dated.size());
      dated.emplace_back();
    }
    open.push_back(name);  // "<div/>" opens an element too: HTML ignores the slash
    if (name == "pre" || name == "listing") ++pre;
    if (open.size() > kMaxDepth) return false;
  }
  if (!in_body) return false;
  *text = lines.Finish();
  date_texts->clear();
  for (const std::string& d : dated) {
    std::string t = CollapseSpaces(d);
    if (!t.empty() && t.size() < 300 && date_texts->size() < 12) date_texts->push_back(std::move(t));
  }
  return true;
}

}  // namespace rasai::zim_internal
