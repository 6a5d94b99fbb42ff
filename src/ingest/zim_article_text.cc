// The text of a ZIM article page. Wikipedia pages made by mwoffliner carry, around the article,
// navigation boxes (lists of hundreds of related titles), reference lists, the [1] marks that
// point to them, edit links, tables of contents, maintenance banners and hatnotes ("For other
// uses, see ..."), links out of the archive and a licence footer. Indexed as text, these make
// every article of a topic match every other's title words, and draw snippets to link lists.
// They are removed from the markup before the page is read, by class name (the classes
// MediaWiki and its templates give them) and by the <!--htdig_noindex--> marks; what is left is
// parsed as every HTML page is (HtmlParse) and its whole visible text taken (VisibleText): an
// archive's page is the article already, so no main-content extraction runs, and headings,
// captions, tables and infoboxes stay as text.
#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "ingest/article_text.h"
#include "ingest/date_text.h"
#include "ingest/html_parse.h"
#include "ingest/ingest_internal.h"
#include "ingest/page_metadata.h"
#include "ingest/zim_internal.h"
#include "rasai/zim.h"
#include "util/text.h"

namespace rasai {
namespace {

using ingest_internal::CollapseSpaces;

// Class names of elements that are navigation or apparatus, not the article's text.
bool IsApparatusClass(std::string_view c) {
  static const std::unordered_set<std::string_view> kClasses = {
      // navigation boxes and sister-project boxes
      "navbox", "vertical-navbox", "navbox-styles", "navigation-not-searchable", "sistersitebox", "portal-bar",
      "sidebar", "noprint",
      // references: the lists, the [1] marks and the back links
      "reflist", "references", "mw-references-wrap", "mw-references", "refbegin", "mw-ref", "reference",
      "mw-cite-backlink",
      // edit links, tables of contents, banners, hatnotes, category links
      "mw-editsection", "mw-editsection-bracket", "toc", "toclimit-2", "toclimit-3", "ambox", "metadata", "hatnote",
      "dablink", "rellink", "catlinks", "printfooter", "mw-jump-link"};
  return kClasses.count(c) > 0;
}

bool IsVoid(std::string_view name) {
  static const std::unordered_set<std::string_view> kNames = {"area", "base", "br",    "col",   "embed", "hr",
                                                              "img",  "input", "link", "meta",  "param", "source",
                                                              "track", "wbr"};
  return kNames.count(name) > 0;
}

bool IsRawText(std::string_view name) {
  return name == "script" || name == "style" || name == "textarea" || name == "title" || name == "xmp" ||
         name == "noembed" || name == "noframes";
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

struct Tag {
  size_t begin = 0, end = 0;  // '<' and one past '>'
  std::string name;           // lower-cased
  bool closing = false;
  bool self_closing = false;
  std::string_view attrs;
};

// The next tag at or after `pos`, skipping comments, doctypes and stray '<'. False at the end.
bool NextTag(std::string_view s, size_t pos, Tag* t) {
  for (size_t i = s.find('<', pos); i != std::string_view::npos && i + 1 < s.size(); i = s.find('<', i + 1)) {
    if (s.compare(i, 4, "<!--") == 0) {
      const size_t e = s.find("-->", i + 4);
      if (e == std::string_view::npos) return false;
      i = e + 2;
      continue;
    }
    const bool closing = s[i + 1] == '/';
    size_t at = i + (closing ? 2 : 1);
    if (at >= s.size() || !IsAlpha(s[at])) continue;
    size_t stop = at;
    while (stop < s.size() && !IsSpace(s[stop]) && s[stop] != '>' && s[stop] != '/') ++stop;
    // The tag ends at the first '>' outside a quoted attribute value.
    char quote = 0;
    size_t e = stop;
    for (; e < s.size(); ++e) {
      const char c = s[e];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
    }
    if (e >= s.size()) return false;
    t->begin = i;
    t->end = e + 1;
    t->name = LowerAscii(s.substr(at, stop - at));
    t->closing = closing;
    t->self_closing = e > stop && s[e - 1] == '/';
    t->attrs = s.substr(stop, e - stop);
    return true;
  }
  return false;
}

// The value of attribute `name` in `attrs` (unquoted), or nullopt-like empty with *found false.
std::string_view Attribute(std::string_view attrs, std::string_view name, bool* found) {
  *found = false;
  size_t i = 0;
  while (i < attrs.size()) {
    while (i < attrs.size() && (IsSpace(attrs[i]) || attrs[i] == '/')) ++i;
    const size_t n0 = i;
    while (i < attrs.size() && !IsSpace(attrs[i]) && attrs[i] != '=' && attrs[i] != '/') ++i;
    const std::string_view key = attrs.substr(n0, i - n0);
    while (i < attrs.size() && IsSpace(attrs[i])) ++i;
    std::string_view value;
    if (i < attrs.size() && attrs[i] == '=') {
      ++i;
      while (i < attrs.size() && IsSpace(attrs[i])) ++i;
      if (i < attrs.size() && (attrs[i] == '"' || attrs[i] == '\'')) {
        const char q = attrs[i++];
        const size_t v0 = i;
        while (i < attrs.size() && attrs[i] != q) ++i;
        value = attrs.substr(v0, i - v0);
        if (i < attrs.size()) ++i;
      } else {
        const size_t v0 = i;
        while (i < attrs.size() && !IsSpace(attrs[i])) ++i;
        value = attrs.substr(v0, i - v0);
      }
    }
    if (key.empty()) {
      if (i == n0) ++i;  // a lone '=' or similar: step over it
      continue;
    }
    if (EqualsIgnoreCaseAscii(key, name)) {
      *found = true;
      return value;
    }
  }
  return {};
}

// True when the start tag marks an element to remove: an apparatus class, a link out of the
// archive (MediaWiki's class "external": the external links and the sources, whose titles are
// not the article's words), the table of contents by id, or an inline style that hides it.
bool IsApparatus(const Tag& t) {
  bool found = false;
  std::string_view cls = Attribute(t.attrs, "class", &found);
  while (found && !cls.empty()) {
    while (!cls.empty() && IsSpace(cls.front())) cls.remove_prefix(1);
    size_t n = 0;
    while (n < cls.size() && !IsSpace(cls[n])) ++n;
    const std::string_view c = cls.substr(0, n);
    if (n > 0 && (IsApparatusClass(c) || (t.name == "a" && c == "external"))) return true;
    cls.remove_prefix(n);
  }
  const std::string_view id = Attribute(t.attrs, "id", &found);
  if (found && (id == "toc" || id == "catlinks")) return true;
  const std::string_view style = Attribute(t.attrs, "style", &found);
  if (found) {
    std::string compact;
    for (char c : style)
      if (!IsSpace(c)) compact.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    if (compact.find("display:none") != std::string::npos) return true;
  }
  return false;
}

// Where the raw-text element opened by `t` ends (past its end tag), or the end of `s`.
size_t SkipRawText(std::string_view s, const Tag& t) {
  for (size_t e = s.find("</", t.end); e != std::string_view::npos; e = s.find("</", e + 2)) {
    if (e + 2 + t.name.size() <= s.size() && EqualsIgnoreCaseAscii(s.substr(e + 2, t.name.size()), t.name)) {
      const size_t gt = s.find('>', e);
      return gt == std::string_view::npos ? s.size() : gt + 1;
    }
  }
  return s.size();
}

// Where the element opened by `open` ends (one past its end tag), counting nested elements of
// the same name; npos when it is not closed. Adds the bytes looked at to *work.
size_t ElementEnd(std::string_view s, const Tag& open, size_t* work) {
  int depth = 1;
  Tag t;
  size_t pos = open.end;
  while (NextTag(s, pos, &t)) {
    *work += t.end - pos;
    pos = t.end;
    if (!t.closing && IsRawText(t.name)) {
      const size_t after = SkipRawText(s, t);
      *work += after - pos;
      pos = after;
      continue;
    }
    if (t.name != open.name) continue;
    if (t.closing) {
      if (--depth == 0) return t.end;
    } else if (!t.self_closing) {
      ++depth;
    }
  }
  *work += s.size() - pos;
  return std::string_view::npos;
}

// `html` without what lies between <!--htdig_noindex--> and <!--/htdig_noindex--> (the marks
// mwoffliner puts around its page footer for search indexers); an unclosed mark removes nothing.
std::string WithoutNoindexRanges(std::string_view html) {
  constexpr std::string_view kOpen = "<!--htdig_noindex-->", kClose = "<!--/htdig_noindex-->";
  std::string out;
  if (html.find(kOpen) == std::string_view::npos) return std::string(html);
  size_t from = 0;
  for (size_t at = html.find(kOpen); at != std::string_view::npos; at = html.find(kOpen, from)) {
    const size_t close = html.find(kClose, at + kOpen.size());
    if (close == std::string_view::npos) break;
    out.append(html.substr(from, at - from));
    out.push_back(' ');
    from = close + kClose.size();
  }
  out.append(html.substr(from));
  return out;
}

// True when `s` holds `word` (lower-case ASCII) in any case.
bool FindIgnoreCaseAscii(std::string_view s, std::string_view word) {
  for (size_t i = 0; i + word.size() <= s.size(); ++i) {
    if ((s[i] | 0x20) == word[0] && EqualsIgnoreCaseAscii(s.substr(i, word.size()), word)) return true;
  }
  return false;
}

}  // namespace

std::string WithoutWikiApparatus(std::string_view page) {
  std::string out;
  return std::string(zim_internal::WithoutWikiApparatus(page, &out));
}

std::string_view zim_internal::WithoutWikiApparatus(std::string_view page, std::string* storage) {
  std::string kept;
  std::string_view html = page;
  if (page.find("<!--htdig_noindex-->") != std::string_view::npos) {
    kept = WithoutNoindexRanges(page);
    html = kept;
  }
  std::string& out = *storage;
  out.clear();
  // End tags that close nothing (an apparatus element never closed) cost a scan to the end of
  // the page each; past this much scanning, the rest of the page is kept as it is.
  const size_t budget = 8 * html.size() + (1u << 20);
  size_t work = 0, from = 0, pos = 0;
  Tag t;
  while (work <= budget && NextTag(html, pos, &t)) {
    pos = t.end;
    if (t.closing) continue;
    if (IsRawText(t.name)) {
      pos = SkipRawText(html, t);
      continue;
    }
    if (!IsApparatus(t)) continue;
    if (out.empty()) out.reserve(html.size());
    size_t end = t.end;
    if (!t.self_closing && !IsVoid(t.name)) {
      const size_t close = ElementEnd(html, t, &work);
      if (close != std::string_view::npos) end = close;
    }
    out.append(html.substr(from, t.begin - from));
    out.push_back(' ');  // the words on either side stay apart
    from = pos = end;
  }
  if (from == 0) {  // nothing removed
    if (kept.empty()) return page;
    out = std::move(kept);
    return out;
  }
  out.append(html.substr(from));
  return out;
}

Document ZimArticleDocument(std::string_view id, std::string_view title, std::string_view html) {
  return zim_internal::ZimArticleDocumentOf(id, title, html, true);
}

Document zim_internal::ZimArticleDocumentOf(std::string_view id, std::string_view title, std::string_view html, bool walk) {
  Document doc;
  doc.id = std::string(id);
  doc.title = CollapseSpaces(title);
  std::string storage;
  const std::string_view page = zim_internal::WithoutWikiApparatus(html, &storage);
  size_t body_start = 0;
  bool repaired = false;
  ingest_internal::HtmlNotes notes;
  std::vector<std::string> date_texts;
  if (walk && !doc.title.empty() && zim_internal::WalkPageText(page, &doc.body, &body_start, &date_texts)) {
    // The body's text without a tree; the metadata from the head's (the walk gave up on any sign
    // of metadata in the body).
    // A head without a content attribute, a lang attribute or JSON-LD gives the reader nothing
    // the document takes (description, date, language): not parsed.
    const std::string_view head_html = std::string_view(page).substr(0, body_start);
    if (FindIgnoreCaseAscii(head_html, "content") || FindIgnoreCaseAscii(head_html, "lang") ||
        FindIgnoreCaseAscii(head_html, "json")) {
      const ingest_internal::HtmlParse head(head_html, &repaired, &notes);
      if (head.root()) {
        const ingest_internal::PageMetadata meta = ingest_internal::ReadPageMetadata(head.root());
        doc.summary = meta.description;
        doc.date = meta.date;
        doc.lang = meta.lang;
      }
    }
    for (const std::string& t : date_texts) {
      if (!doc.date.empty()) break;
      doc.date = ingest_internal::FindDateInText(t);
    }
  } else {
    const ingest_internal::HtmlParse parse(page, &repaired, &notes);
    if (!parse.root()) return doc;  // too complex to parse: the article is found by its title
    // An archive's page is the article already: its whole visible text, no extraction.
    doc.body = ingest_internal::VisibleText(parse.root());
    const ingest_internal::PageMetadata meta = ingest_internal::ReadPageMetadata(parse.root());
    if (doc.title.empty()) doc.title = meta.title;
    doc.summary = meta.description;
    doc.date = meta.date;
    doc.lang = meta.lang;
  }
  // The page's first line is usually its <h1>, the title again: the title is its own field.
  const size_t nl = doc.body.find('\n');
  const std::string_view first = std::string_view(doc.body).substr(0, nl);
  if (!doc.title.empty() && EqualsIgnoreCaseAscii(first, doc.title)) {
    doc.body.erase(0, nl == std::string::npos ? doc.body.size() : nl + 1);
  }
  doc.body.shrink_to_fit();  // built by appending: up to twice its size, held until the index flushes
  return doc;
}

}  // namespace rasai
