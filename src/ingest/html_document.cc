// Documents from HTML pages, parsed with gumbo (HTML5 error recovery, so any byte soup parses).
//
// Title: <title> (without an appended site name, see ChooseTitle), else the first <h1>. Body: the visible text of the page; block elements give
// line breaks, <pre> keeps its spacing, and script, style, noscript, template, head, iframe,
// object, svg and elements marked `hidden` are skipped. lang: <html lang> or xml:lang.
// Also summary from <meta name=description> (or og:description), url from <link rel=canonical>
// and date from <meta property=article:published_time>, when present.
//
// Robustness: the tree is walked without recursion, and gumbo's own (recursive) tree destructor
// is never called: every allocation gumbo makes is tracked and released here, so a page nested
// a million levels deep cannot exhaust the stack. Nor can it take minutes: gumbo looks through
// the open elements at each start tag, so 200,000 nested <div> took 158 s; start tags past
// kMaxNesting levels are blanked before parsing (LimitNesting), as browsers stop nesting too.
#include <gumbo.h>

#include <algorithm>
#include <csetjmp>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ingest/ingest_internal.h"
#include "rasai/ingest.h"
#include "util/text.h"
#include "util/utf8.h"

namespace rasai {
namespace {

using ingest_internal::CollapseSpaces;
using ingest_internal::Trim;

// Owns every block gumbo allocates; frees what gumbo did not free itself. Allocation is
// budgeted: gumbo clones the open formatting elements (<b>, <font>, …) into each new block, so
// "<div><b id=1></div><div><b id=2></div>…" makes a number of elements quadratic in the page
// (a 3 MB page: 145 s and 24 GB). Past the budget, Allocate jumps back to ParseWithin (longjmp
// over gumbo's C frames only) and the arena frees what gumbo held; HtmlDocument then parses the
// page again without its formatting elements, and gives it up only if that is over budget too.
class TrackingArena {
 public:
  explicit TrackingArena(size_t budget) : budget_(budget) {}
  TrackingArena(const TrackingArena&) = delete;
  TrackingArena& operator=(const TrackingArena&) = delete;
  ~TrackingArena() {
    for (void* p : live_) std::free(p);
  }
  static void* Allocate(void* self, size_t size) {
    auto* arena = static_cast<TrackingArena*>(self);
    if (size > arena->budget_ - arena->allocated_) std::longjmp(arena->over_budget, 1);
    arena->allocated_ += size;
    void* p = std::malloc(size == 0 ? 1 : size);
    if (!p) std::abort();  // gumbo cannot recover from a failed allocation either
    arena->live_.insert(p);
    return p;
  }
  static void Deallocate(void* self, void* p) {
    if (!p) return;
    if (static_cast<TrackingArena*>(self)->live_.erase(p) > 0) std::free(p);
  }
  std::jmp_buf over_budget;  // set by HtmlDocument around the parse

 private:
  std::unordered_set<void*> live_;
  const size_t budget_;
  size_t allocated_ = 0;  // in all, freed blocks included: a bound on the parser's work too
};

// The parser's allocation budget for a page of `bytes`. For the 200 pages of ../shared/data/html
// gumbo allocated 6 times the page at the median, 34 times at most (a page of 54 bytes), 4.8 MB
// at most (for the largest page, 1.2 MB).
size_t ParserBudget(size_t bytes) { return (size_t{16} << 20) + 16 * bytes; }
// The budget of a second parse, without the formatting elements (which cannot then be copied):
// markup made only of tiny elements costs most per byte, since each element costs the same few
// hundred bytes: 25 times the page for a table of 100,000 rows, 61 for "<li>x" and 78 for
// "<p>x" repeated. 96 times leaves every such page its parse.
size_t DenseParserBudget(size_t bytes) { return (size_t{16} << 20) + 96 * bytes; }

// Nesting kept (Chromium's parser nests at most 512 levels and adds deeper elements as siblings).
constexpr int kMaxNesting = 512;

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Elements that add no nesting level to LimitNesting's estimate: void ones, and those the next
// sibling closes («<p>a<p>b» is two paragraphs, not one in the other).
bool AddsNoLevel(std::string_view name) {
  static const std::unordered_set<std::string_view> kNames = {
      "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
      "wbr", "keygen", "basefont", "bgsound", "frame", "image", "p", "li", "dt", "dd", "tr", "td", "th",
      "option", "optgroup", "rb", "rt", "rtc", "rp", "thead", "tbody", "tfoot", "colgroup", "caption"};
  return kNames.count(name) > 0;
}

// Elements whose content is text up to their end tag (a "<div>" inside a script is no tag).
bool IsRawText(std::string_view name) {
  return name == "script" || name == "style" || name == "textarea" || name == "title" || name == "xmp" ||
         name == "iframe" || name == "noembed" || name == "noframes" || name == "plaintext";
}

// Calls fn(begin, close, name, end) for each tag of `s` in order: `begin` at its '<', `close` at
// its '>', `name` lowercased, `end` for an end tag. Comments and the content of raw-text
// elements (script, style, ...) are skipped. A '<' before a tag's '>' makes that tag text (which
// keeps the pass linear on "<a<a<a…>"). `fn` may change the bytes up to `close`.
template <typename Fn>
void ForEachTag(const std::string& s, Fn&& fn) {
  const size_t n = s.size();
  std::string name;
  for (size_t i = s.find('<'); i != std::string::npos && i + 1 < n; i = s.find('<', i)) {
    if (s.compare(i, 4, "<!--") == 0) {
      const size_t e = s.find("-->", i + 4);
      if (e == std::string::npos) break;
      i = e + 3;
      continue;
    }
    const bool end = s[i + 1] == '/';
    size_t at = i + (end ? 2 : 1), stop = at;
    if (at >= n || !IsAsciiAlpha(s[at])) {
      ++i;
      continue;
    }
    while (stop < n && s[stop] != '>' && s[stop] != '/' && s[stop] != ' ' && s[stop] != '\t' && s[stop] != '\n' &&
           s[stop] != '\r' && s[stop] != '\f')
      ++stop;
    name = LowerAscii(std::string_view(s).substr(at, stop - at));
    const size_t close = s.find_first_of("<>", stop);
    if (close == std::string::npos) break;
    if (s[close] == '<') {
      i = close;
      continue;
    }
    fn(i, close, static_cast<const std::string&>(name), end);
    if (!end && IsRawText(name)) {
      // Past the matching end tag (any case), which closes no level; or to the end of the page.
      size_t e = close + 1;
      for (;; ++e) {
        e = s.find("</", e);
        if (e == std::string::npos ||
            (e + 2 + name.size() <= n && EqualsIgnoreCaseAscii(std::string_view(s).substr(e + 2, name.size()), name)))
          break;
      }
      const size_t gt = e == std::string::npos ? e : s.find('>', e);
      if (gt == std::string::npos) break;
      i = gt + 1;
      continue;
    }
    i = close + 1;
  }
}

// Blanks (with spaces) the start tags of `html` that would open an element more than kMaxNesting
// levels deep, by an estimate from the tags alone: a start tag opens a level unless AddsNoLevel
// or written "<x/>"; an end tag closes one. Comments and raw-text elements are skipped. The text
// stays; the blanked elements' end tags close outer ones early, which keeps the depth bounded.
// One pass; true when a tag was blanked.
bool LimitNesting(std::string* html) {
  std::string& s = *html;
  bool blanked = false;
  int depth = 0;
  ForEachTag(s, [&](size_t begin, size_t close, const std::string& name, bool end) {
    if (end) {
      if (!AddsNoLevel(name) && depth > 0) --depth;
    } else if (!IsRawText(name) && !AddsNoLevel(name) && s[close - 1] != '/') {
      if (depth < kMaxNesting) {
        ++depth;
      } else {
        std::fill(s.begin() + static_cast<std::ptrdiff_t>(begin), s.begin() + static_cast<std::ptrdiff_t>(close) + 1, ' ');
        blanked = true;
      }
    }
  });
  return blanked;
}

// The HTML formatting elements, which the parser reopens in every new block while they are
// open (the HTML standard's "list of active formatting elements").
bool IsFormatting(std::string_view name) {
  static const std::unordered_set<std::string_view> kNames = {"a",     "b",      "big",    "code", "em",
                                                              "font",  "i",      "nobr",   "s",    "small",
                                                              "strike", "strong", "tt",     "u"};
  return kNames.count(name) > 0;
}

// `html` without the start and end tags of formatting elements (their text stays): what is
// parsed again when a page is too complex as it is, since only those elements are copied into
// every block.
std::string WithoutFormattingTags(const std::string& html) {
  std::string out;
  out.reserve(html.size());
  size_t from = 0;
  ForEachTag(html, [&](size_t begin, size_t close, const std::string& name, bool) {
    if (!IsFormatting(name)) return;
    out.append(html, from, begin - from);
    from = close + 1;
  });
  out.append(html, from, std::string::npos);
  return out;
}

// Parses `text` with allocations from `arena`; null when the arena's budget ran out.
GumboOutput* ParseWithin(TrackingArena* arena, const std::string& text) {
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = &TrackingArena::Allocate;
  options.deallocator = &TrackingArena::Deallocate;
  options.userdata = arena;
  options.max_errors = 0;  // parse errors are not reported; do not spend memory on them
  // gumbo takes a length but stops at nothing special; NUL bytes are handled by its tokenizer.
  // Nothing automatic is changed between setjmp and a longjmp back to it.
  if (setjmp(arena->over_budget) != 0) return nullptr;
  return gumbo_parse_with_options(&options, text.data(), text.size());
}

bool IsBlock(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY: case GUMBO_TAG_BR: case GUMBO_TAG_CAPTION: case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_HR:
    case GUMBO_TAG_LI: case GUMBO_TAG_LEGEND: case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU:
    case GUMBO_TAG_NAV: case GUMBO_TAG_OL: case GUMBO_TAG_OPTION: case GUMBO_TAG_P:
    case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_THEAD: case GUMBO_TAG_TR: case GUMBO_TAG_UL: case GUMBO_TAG_HTML:
      return true;
    default:
      return false;
  }
}

bool IsSkipped(const GumboElement& el) {
  switch (el.tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE: case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA:
      return true;
    default:
      break;
  }
  return gumbo_get_attribute(&el.attributes, "hidden") != nullptr;
}

std::string_view Attr(const GumboElement& el, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&el.attributes, name);
  return a && a->value ? std::string_view(a->value) : std::string_view();
}


// Builds the body text: inline text is collapsed into lines, blocks end lines.
class TextBuilder {
 public:
  // Preformatted text: its line breaks are kept (spaces within a line are still collapsed).
  void PreText(std::string_view s) {
    for (char c : s) {
      if (c == '\n') {
        EndLine();
      } else {
        line_.push_back(c);
      }
    }
  }
  // Flowing text: appended as is ("a<b>b</b>" stays one word); EndLine collapses the spaces.
  void RawText(std::string_view s) { line_.append(s); }
  void EndLine() {
    std::string l = CollapseSpaces(line_);
    line_.clear();
    if (!l.empty()) lines_.push_back(std::move(l));
  }
  std::string Finish() {
    EndLine();
    std::string out;
    for (const auto& l : lines_) {
      if (!out.empty()) out.push_back('\n');
      out += l;
    }
    return out;
  }

 private:
  std::string line_;
  std::vector<std::string> lines_;
};

// All the text under `node` (no skipping), collapsed; used for <title> and <h1>.
std::string TextOf(const GumboNode* node) {
  std::string out;
  std::vector<const GumboNode*> stack = {node};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
      out += n->v.text.text;  // "un<b>believ</b>able" stays one word
      continue;
    }
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) continue;
    const GumboVector& kids = n->v.element.children;
    if (n->v.element.tag == GUMBO_TAG_SCRIPT || n->v.element.tag == GUMBO_TAG_STYLE) continue;
    if (IsBlock(n->v.element.tag) || n->v.element.tag == GUMBO_TAG_IMG) out.push_back(' ');
    for (unsigned i = kids.length; i > 0; --i) stack.push_back(static_cast<const GumboNode*>(kids.data[i - 1]));
  }
  return CollapseSpaces(out);
}

struct Extracted {
  std::string title, h1, body, lang, summary, url, date, og_title, site_name;
};

// The page's title without the site's name that <title> usually appends ("Story - Site"): cut
// only when another signal agrees: og:title is the start of <title>, the part after the last
// separator is og:site_name, or the part before it is the page's <h1>.
std::string ChooseTitle(const Extracted& x) {
  if (x.title.empty()) return !x.h1.empty() ? x.h1 : x.og_title;
  const std::string& t = x.title;
  if (!x.og_title.empty() && x.og_title.size() < t.size() && t.starts_with(x.og_title)) return x.og_title;
  size_t best = std::string::npos, sep_len = 0;
  for (std::string_view sep : {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " \xC2\xB7 ", " :: ", " \xC2\xBB "}) {
    size_t p = t.rfind(sep);
    if (p != std::string::npos && p > 0 && (best == std::string::npos || p > best)) {
      best = p;
      sep_len = sep.size();
    }
  }
  if (best == std::string::npos) return t;
  const std::string_view head = std::string_view(t).substr(0, best);
  const std::string_view tail = std::string_view(t).substr(best + sep_len);
  if ((!x.site_name.empty() && EqualsIgnoreCaseAscii(tail, x.site_name)) || head == x.h1) return std::string(head);
  return t;
}

void Walk(const GumboNode* root, Extracted* x) {
  TextBuilder text;
  // (node, exiting): the exit marker ends the line of a block element after its children.
  struct Item {
    const GumboNode* node;
    bool exit;
    bool pre;
  };
  std::vector<Item> stack = {{root, false, false}};
  while (!stack.empty()) {
    Item it = stack.back();
    stack.pop_back();
    const GumboNode* n = it.node;
    if (it.exit) {
      text.EndLine();
      continue;
    }
    switch (n->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        if (it.pre) {
          text.PreText(n->v.text.text);
        } else {
          text.RawText(n->v.text.text);
        }
        continue;
      case GUMBO_NODE_DOCUMENT: {
        const GumboVector& kids = n->v.document.children;
        for (unsigned i = kids.length; i > 0; --i) stack.push_back({static_cast<const GumboNode*>(kids.data[i - 1]), false, false});
        continue;
      }
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE:
        break;
      default:  // comments
        continue;
    }
    const GumboElement& el = n->v.element;
    if (el.tag == GUMBO_TAG_HTML && x->lang.empty()) {
      std::string_view lang = Trim(Attr(el, "lang"));
      if (lang.empty()) lang = Trim(Attr(el, "xml:lang"));
      x->lang = CollapseSpaces(lang);
    } else if (el.tag == GUMBO_TAG_TITLE && x->title.empty()) {
      x->title = TextOf(n);
    } else if (el.tag == GUMBO_TAG_H1 && x->h1.empty()) {
      x->h1 = TextOf(n);
    } else if (el.tag == GUMBO_TAG_META) {
      const std::string_view content = Attr(el, "content");
      for (std::string_view name : {Attr(el, "name"), Attr(el, "property")}) {
        std::string* target = nullptr;
        if (EqualsIgnoreCaseAscii(name, "description") || EqualsIgnoreCaseAscii(name, "og:description")) {
          target = &x->summary;
        } else if (EqualsIgnoreCaseAscii(name, "article:published_time") || EqualsIgnoreCaseAscii(name, "date")) {
          target = &x->date;
        } else if (EqualsIgnoreCaseAscii(name, "og:title")) {
          target = &x->og_title;
        } else if (EqualsIgnoreCaseAscii(name, "og:site_name")) {
          target = &x->site_name;
        }
        if (target && target->empty()) *target = CollapseSpaces(content);
      }
    } else if (el.tag == GUMBO_TAG_LINK && x->url.empty() && EqualsIgnoreCaseAscii(Trim(Attr(el, "rel")), "canonical")) {
      x->url = CollapseSpaces(Attr(el, "href"));
    }
    // The head is not shown, but its <title>, <meta> and <link> were read above.
    if (el.tag == GUMBO_TAG_HEAD) {
      const GumboVector& kids = el.children;
      for (unsigned i = 0; i < kids.length; ++i) {
        const auto* k = static_cast<const GumboNode*>(kids.data[i]);
        if (k->type != GUMBO_NODE_ELEMENT) continue;
        const GumboElement& kel = k->v.element;
        if (kel.tag == GUMBO_TAG_TITLE || kel.tag == GUMBO_TAG_META || kel.tag == GUMBO_TAG_LINK) {
          // Push without children so that only the metadata branch above runs for them.
          stack.push_back({k, false, false});
        }
      }
      continue;
    }
    if (el.tag == GUMBO_TAG_META || el.tag == GUMBO_TAG_LINK || IsSkipped(el)) continue;

    const bool block = IsBlock(el.tag);
    const bool pre = it.pre || el.tag == GUMBO_TAG_PRE || el.tag == GUMBO_TAG_LISTING || el.tag == GUMBO_TAG_TEXTAREA;
    if (block) {
      text.EndLine();
      stack.push_back({n, true, pre});
    } else if (el.tag == GUMBO_TAG_IMG) {
      text.RawText(" ");  // an image between two words keeps them apart
    } else if (el.tag == GUMBO_TAG_TD || el.tag == GUMBO_TAG_TH) {
      text.RawText(" ");
    }
    const GumboVector& kids = el.children;
    for (unsigned i = kids.length; i > 0; --i) stack.push_back({static_cast<const GumboNode*>(kids.data[i - 1]), false, pre});
  }
  x->body = text.Finish();
}

}  // namespace

namespace ingest_internal {

Document HtmlDocument(std::string_view id, std::string_view html, bool* repaired, HtmlNotes* notes) {
  Document doc;
  doc.id = std::string(id);
  // A page that is not UTF-8 but declares its charset (windows-1256 is common on older Urdu and
  // Arabic sites) is converted; a page that is valid UTF-8 is taken as such whatever it declares.
  std::string converted;
  if (!html.starts_with("\xFF\xFE") && !html.starts_with("\xFE\xFF") && !IsValidUtf8(html)) {
    const std::string charset = SniffHtmlCharset(html);
    if (!charset.empty() && charset != "utf-8" && charset != "utf8" && ConvertToUtf8(html, charset, &converted)) {
      html = converted;
    }
  }
  std::string text = DecodeText(html, repaired);
  const bool flattened = LimitNesting(&text);
  if (notes) notes->flattened = flattened;

  // The arena holds the tree Walk reads (on the heap: ParseWithin's longjmp leaves no automatic
  // object changed after its setjmp).
  auto arena = std::make_unique<TrackingArena>(ParserBudget(text.size()));
  GumboOutput* out = ParseWithin(arena.get(), text);
  std::string plain;  // outlives the parse, which points into its input
  if (!out) {
    // Over budget: formatting elements copied into every block, or a page of many tiny elements.
    // Again without the formatting elements, with the budget of the densest markup.
    plain = WithoutFormattingTags(text);
    arena = std::make_unique<TrackingArena>(DenseParserBudget(plain.size()));
    out = ParseWithin(arena.get(), plain);
    if (!out) {
      if (notes) notes->too_complex = true;
      return doc;
    }
    if (notes && plain.size() != text.size()) notes->unformatted = true;
  }
  Extracted x;
  Walk(out->document, &x);
  // No gumbo_destroy_output(): it recurses once per nesting level; the arena frees everything.

  doc.title = ChooseTitle(x);
  doc.body = std::move(x.body);
  doc.lang = std::move(x.lang);
  doc.summary = std::move(x.summary);
  doc.url = std::move(x.url);
  doc.date = std::move(x.date);
  return doc;
}

}  // namespace ingest_internal

Document DocumentFromHtml(std::string_view id, std::string_view html) {
  return ingest_internal::HtmlDocument(id, html, nullptr);
}

}  // namespace rasai
