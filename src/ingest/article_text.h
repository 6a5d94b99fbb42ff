// Article text: the plain text of a Dom subtree as a reader sees it. Block elements end lines,
// <br> breaks a line, <pre> keeps its line breaks, cells and images keep the words on either
// side apart; runs of white space are collapsed. Elements a reader does not see as text
// (iframes, objects, SVG, MathML, form controls, `hidden` ones) are skipped.
// Thread-safety: pure functions over one Dom.
#pragma once

#include <string>

#include "ingest/dom.h"

namespace rasai::ingest_internal {

// The text of `node`'s subtree, lines joined by '\n'.
std::string ArticleText(const Dom& dom, int node);

// The whole visible text of a parsed page's <body> (no extraction): what a page without an
// article gives, and the reference text of expected articles in benchmarks.
std::string VisibleText(const GumboNode* document);

}  // namespace rasai::ingest_internal
