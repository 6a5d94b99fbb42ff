// ExtractionReport: what the article extractor removed from a page and why, and which block it
// took as the article, for `rasai extract --explain` and for tests. Filled only when asked for.
// Thread-safety: a plain value.
#pragma once

#include <string>
#include <vector>

namespace rasai::ingest_internal {

struct RemovedBlock {
  std::string element;  // "div.sidebar#right", "p", …
  std::string reason;   // "class/id names 'sidebar'", "link-dense list", "'also read' block", …
  std::string text;     // the start of its text
  size_t chars = 0;     // its whole text's length (characters)
};

struct ExtractionReport {
  std::string container;     // the block taken as the article ("div.td-post-content")
  double score = 0;          // its score
  int attempt = 0;           // 1: with every rule; 2-4: a rule relaxed because too little was left
  bool whole_page = false;   // no article found: the page's visible text was kept
  std::vector<RemovedBlock> removed;
};

}  // namespace rasai::ingest_internal

namespace rasai::ingest_internal {

class Dom;

// "div.class1.class2#id" for a node (its tag, first classes and id).
std::string DescribeElement(const Dom& dom, int node);
// Adds `node` to report->removed with `reason` (nothing when report is null or the node has no
// text). The text is read now: call it before the node is changed further.
void ReportRemoved(const Dom& dom, int node, std::string reason, ExtractionReport* report);

}  // namespace rasai::ingest_internal
