// Content scoring: finds the block of a page that holds its article, after Readability's
// published method. Blocks that cannot be the article are dropped first (hidden ones, unlikely
// class/id names and ARIA roles, a byline, the heading that repeats the title, empty blocks);
// each paragraph-like block then scores 1 + its commas + one point per 100 characters (at most
// 3), shared with its parent (whole), grandparent (half) and ancestors up to 5 levels (1/3 per
// level); a block's own score starts from its tag and its class/id names; scores are scaled by
// the share of text outside links. The best block wins, unless several near-ties share an
// ancestor or its parent scores higher; siblings that score well, or paragraphs that read like
// prose, join it.
//
// Thread-safety: works on one Dom; no shared state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ingest/dom.h"
#include "ingest/extraction_report.h"

namespace rasai::ingest_internal {

// The rules a pass applies; a pass that keeps too little text is run again with fewer of them.
struct ExtractFlags {
  bool strip_unlikely = true;       // drop blocks whose class/id names mean boilerplate
  bool weight_classes = true;       // weigh blocks by their class/id names
  bool clean_conditionally = true;  // drop link-dense, form-like or image-only blocks in the article
};

// Words of `s` as the title similarity measures them (letters and digits of any script,
// lower-cased ASCII); for TextSimilarity.
double TextSimilarity(std::string_view a, std::string_view b);

class ContentScoring {
 public:
  ContentScoring(Dom* dom, ExtractFlags flags, std::string_view title, ExtractionReport* report)
      : dom_(*dom), flags_(flags), title_(title), report_(report) {}

  // Moves the article's blocks into a new element (not attached to <body>) and returns it; -1
  // when the page has no text at all.
  int GrabArticle();

  const std::string& byline() const { return byline_; }
  int top_candidate() const { return top_; }
  double top_score() const { return top_score_; }
  // The top candidate's ancestors before its blocks were moved, nearest first.
  const std::vector<int>& ancestors() const { return ancestors_; }

 private:
  int RemoveAndNext(int node, std::string_view reason);
  bool IsArticleBody(int node) const;
  bool IsByline(int node, std::string_view match);
  void WrapPhrasing(int div);
  void ReplaceBrs();
  void InitializeNode(int node);
  int ChooseTopCandidate(std::vector<int>* candidates);

  Dom& dom_;
  ExtractFlags flags_;
  std::string title_;
  ExtractionReport* report_;
  std::string byline_;
  int top_ = -1;
  double top_score_ = 0;
  std::vector<int> ancestors_;
};

// Phrasing content (text, inline elements, links holding only phrasing content).
bool IsPhrasing(const Dom& dom, int node);

}  // namespace rasai::ingest_internal
