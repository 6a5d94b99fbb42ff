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

Attempt RunPass(const GumboNode* document, const ExtractFlags& flags, const std::string& title, bool explain) {
  Attempt a;
  Dom dom(document);
  ExtractionReport* report = explain ? &a.report : nullptr;
  ContentScoring scoring(&dom, flags, title, report);
  const int article = scoring.GrabArticle();
  a.byline = scoring.byline();
  if (article < 0) return a;
  if (explain) ReportOutside(dom, scoring.ancestors(), report);
  CleanArticle(&dom, article, flags, report);
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
    Attempt a = RunPass(document, passes[i], out.meta.title, explain);
    if (i == 0 || a.chars > best.chars) {
      best = std::move(a);
      best_pass = i;
    }
    if (best.chars >= kEnoughChars) break;
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
  if (out.meta.date.empty()) {
    out.meta.date = FindDateInText(out.byline);
    // A dateline opening the text: «اسلام آباد (5 مارچ 2024)».
    if (out.meta.date.empty()) out.meta.date = FindDateInText(std::string_view(out.text).substr(0, 120));
  }
  return out;
}

}  // namespace rasai::ingest_internal
