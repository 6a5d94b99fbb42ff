// ExtractionReport (rasai/ingest.h): what the article extractor removed from a page and why, and
// which block it took as the article; filled only when asked for. Helpers to fill it.
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>
#include <vector>

#include "rasai/ingest.h"

namespace rasai::ingest_internal {

using ::rasai::ExtractionReport;
using ::rasai::RemovedBlock;

}  // namespace rasai::ingest_internal

namespace rasai::ingest_internal {

class Dom;

// "div.class1.class2#id" for a node (its tag, first classes and id).
std::string DescribeElement(const Dom& dom, int node);
// Adds `node` to report->removed with `reason` (nothing when report is null or the node has no
// text). The text is read now: call it before the node is changed further.
void ReportRemoved(const Dom& dom, int node, std::string reason, ExtractionReport* report);

}  // namespace rasai::ingest_internal
