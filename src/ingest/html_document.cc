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
// a million levels deep cannot exhaust the stack.
#include <gumbo.h>

#include <cstdlib>
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

// Owns every block gumbo allocates; frees what gumbo did not free itself.
class TrackingArena {
 public:
  TrackingArena() = default;
  TrackingArena(const TrackingArena&) = delete;
  TrackingArena& operator=(const TrackingArena&) = delete;
  ~TrackingArena() {
    for (void* p : live_) std::free(p);
  }
  static void* Allocate(void* self, size_t size) {
    void* p = std::malloc(size == 0 ? 1 : size);
    if (!p) std::abort();  // gumbo cannot recover from a failed allocation either
    static_cast<TrackingArena*>(self)->live_.insert(p);
    return p;
  }
  static void Deallocate(void* self, void* p) {
    if (!p) return;
    if (static_cast<TrackingArena*>(self)->live_.erase(p) > 0) std::free(p);
  }

 private:
  std::unordered_set<void*> live_;
};

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

Document HtmlDocument(std::string_view id, std::string_view html, bool* repaired) {
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
  const std::string text = DecodeText(html, repaired);

  TrackingArena arena;
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = &TrackingArena::Allocate;
  options.deallocator = &TrackingArena::Deallocate;
  options.userdata = &arena;
  options.max_errors = 0;  // parse errors are not reported; do not spend memory on them
  // gumbo takes a length but stops at nothing special; NUL bytes are handled by its tokenizer.
  GumboOutput* out = gumbo_parse_with_options(&options, text.data(), text.size());
  if (!out) return doc;
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
