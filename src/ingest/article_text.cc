// Article text (contract in article_text.h).
#include "ingest/article_text.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/ingest_internal.h"

namespace rasai::ingest_internal {
namespace {

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

bool IsSkipped(const Dom& dom, int n) {
  switch (dom.Tag(n)) {
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA:
      return true;
    default:
      return dom.HasAttr(n, "hidden");
  }
}

// Inline text is collapsed into lines; blocks end lines.
class TextBuilder {
 public:
  void PreText(std::string_view s) {
    for (char c : s) {
      if (c == '\n') {
        EndLine();
      } else {
        line_.push_back(c);
      }
    }
  }
  void RawText(std::string_view s) { line_.append(s); }
  void EndLine() {
    std::string l = CollapseSpaces(line_);
    line_.clear();
    if (l.empty()) return;
    if (!out_.empty()) out_.push_back('\n');
    out_ += l;
  }
  std::string Finish() {
    EndLine();
    return std::move(out_);
  }

 private:
  std::string line_;
  std::string out_;
};

}  // namespace

std::string ArticleText(const Dom& dom, int root) {
  TextBuilder text;
  struct Item {
    int node;
    bool exit;
    bool pre;
  };
  std::vector<Item> stack = {{root, false, false}};
  while (!stack.empty()) {
    const Item it = stack.back();
    stack.pop_back();
    const int n = it.node;
    if (it.exit) {
      text.EndLine();
      continue;
    }
    if (!dom.IsElement(n)) {
      if (it.pre) {
        text.PreText(dom[n].text);
      } else {
        text.RawText(dom[n].text);
      }
      continue;
    }
    if (n != root && IsSkipped(dom, n)) continue;
    const GumboTag tag = dom.Tag(n);
    const bool pre = it.pre || tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING;
    if (IsBlock(tag)) {
      text.EndLine();
      stack.push_back({n, true, pre});
    } else if (tag == GUMBO_TAG_IMG || tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) {
      text.RawText(" ");
    }
    size_t first = stack.size();
    for (int c = dom[n].first; c >= 0; c = dom[c].next) stack.push_back({c, false, pre});
    std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(first), stack.end());
  }
  return text.Finish();
}

std::string VisibleText(const GumboNode* document) {
  const Dom dom(document);
  return ArticleText(dom, dom.body());
}

}  // namespace rasai::ingest_internal
