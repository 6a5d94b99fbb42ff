// Article extractor (contract in article_extractor.h).
#include "ingest/article_extractor.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "ingest/article_cleaning.h"
#include "ingest/article_text.h"
#include "ingest/content_scoring.h"
#include "ingest/date_text.h"
#include "ingest/dom.h"
#include "util/text.h"

namespace rasai::ingest_internal {
namespace {

// Fewer characters than this and a pass is tried again with fewer rules.
constexpr size_t kEnoughChars = 500;

// Reports what is left of the page outside the article: the blocks beside the path from
// <body> to the chosen block.
void ReportOutside(const Dom& dom, const std::vector<int>& ancestors, ExtractionReport* report) {
  std::vector<int> stack = {dom.body()};
  while (!stack.empty()) {
    const int n = stack.back();
    stack.pop_back();
    for (int c = dom[n].first; c >= 0; c = dom[c].next) {
      if (!dom.IsElement(c)) {
        if (dom.TextLength(c) > 0) ReportRemoved(dom, c, "outside the article", report);
        continue;
      }
      if (std::find(ancestors.begin(), ancestors.end(), c) != ancestors.end()) {
        stack.push_back(c);
      } else {
        ReportRemoved(dom, c, "outside the article", report);
      }
    }
  }
}

struct Attempt {
  std::string text;
  std::string byline;
  size_t chars = 0;
  ExtractionReport report;
};

// What the whole page holds, before anything is removed.
void ReadPageFacts(const Dom& dom, PageFacts* f) {
  const int body = dom.body();
  f->page_chars = dom.TextLength(body);
  f->link_chars = static_cast<size_t>(dom.LinkDensity(body) * static_cast<double>(f->page_chars) + 0.5);
  for (int n = body; n >= 0; n = dom.Next(n, body)) {
    switch (dom.Tag(n)) {
      case GUMBO_TAG_A:
        if (const size_t len = dom.TextLength(n); len >= 25) {
          ++f->headline_links;
          f->headline_chars += len;
        }
        break;
      case GUMBO_TAG_INPUT: {
        const std::string_view type = dom.Attr(n, "type"), name = dom.Attr(n, "name");
        if (EqualsIgnoreCaseAscii(type, "password")) f->has_password = true;
        if (EqualsIgnoreCaseAscii(type, "search") || name == "s" || name == "q") f->search_form = true;
        break;
      }
      default:
        break;
    }
  }
}

// Lines of 150 characters or more: paragraphs of running text.
int LongLines(std::string_view text) {
  int n = 0;
  size_t chars = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n') {
      n += chars >= 150;
      chars = 0;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++chars;
    }
  }
  return n;
}

Attempt RunPass(const GumboNode* document, const ExtractFlags& flags, const PageMetadata& meta, bool explain,
                PageFacts* facts) {
  Attempt a;
  Dom dom(document);
  if (facts) ReadPageFacts(dom, facts);
  ExtractionReport* report = explain ? &a.report : nullptr;
  ContentScoring scoring(&dom, flags, meta.title, report);
  const int article = scoring.GrabArticle();
  a.byline = scoring.byline();
  if (article < 0) return a;
  if (explain) ReportOutside(dom, scoring.ancestors(), report);
  CleanArticle(&dom, article, flags, meta.lang, report);
  a.chars = dom.TextLength(article);
  a.text = ArticleText(dom, article);
  return a;
}

}  // namespace

ExtractedArticle ExtractArticle(const GumboNode* document, bool explain) {
  ExtractedArticle out;
  out.meta = ReadPageMetadata(document);
  const ExtractFlags passes[] = {{true, true, true}, {false, true, true}, {false, false, true}, {false, false, false}};
  Attempt best;
  int best_pass = 0;
  for (int i = 0; i < 4; ++i) {
    Attempt a = RunPass(document, passes[i], out.meta, explain, i == 0 ? &out.facts : nullptr);
    if (i == 0 || a.chars > best.chars) {
      best = std::move(a);
      best_pass = i;
    }
    if (best.chars >= kEnoughChars) break;
  }
  // A page that draws its article by script holds little text but its JSON-LD articleBody.
  if (const std::string& ld = out.meta.json_ld_body; !ld.empty()) {
    size_t ld_chars = 0;
    for (char c : ld) ld_chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (ld_chars >= kEnoughChars && ld_chars > 2 * best.chars) {
      best = Attempt();
      best.text = ld;
      best.chars = ld_chars;
      best.report.container = "JSON-LD articleBody";
      best_pass = 0;
    }
  }
  if (best.chars == 0) {
    // No article: the page's whole visible text.
    Dom dom(document);
    best.text = ArticleText(dom, dom.body());
    best.chars = dom.TextLength(dom.body());
    best.report = ExtractionReport();
    best.report.whole_page = true;
  }
  out.text = std::move(best.text);
  out.byline = std::move(best.byline);
  out.chars = best.chars;
  out.report = std::move(best.report);
  out.report.attempt = best_pass + 1;
  PageFacts& f = out.facts;
  f.canonical = out.meta.canonical;
  f.copied_from = out.meta.copied_from;
  f.og_type = out.meta.og_type;
  f.article_type = out.meta.article_type;
  f.article_chars = out.chars;
  f.paragraphs = LongLines(out.text);
  if (out.meta.date.empty()) {
    out.meta.date = FindDateInText(out.byline);
    // A dateline opening the text: «اسلام آباد (5 مارچ 2024)».
    if (out.meta.date.empty()) out.meta.date = FindDateInText(std::string_view(out.text).substr(0, 120));
  }
  return out;
}

}  // namespace rasai::ingest_internal
