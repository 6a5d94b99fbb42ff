// Article extractor: a parsed page's article (title, text, metadata), with the published
// methods' fallbacks. A pass finds the article's blocks (content_scoring.h) and cleans them
// (article_cleaning.h); when fewer than 500 characters are left, the pass runs again with fewer
// rules (class/id names not used to drop blocks, then not to weigh them, then no conditional
// cleaning), and the longest result wins. A page without any article gives its whole visible
// text.
//
// Thread-safety: pure function of the parsed page; many pages may be extracted at once.
#pragma once

#include <gumbo.h>

#include <string>

#include "ingest/extraction_report.h"
#include "ingest/page_metadata.h"
#include "ingest/site_mirror.h"

namespace rasai::ingest_internal {

struct ExtractedArticle {
  PageMetadata meta;
  std::string text;     // the article's text: blocks on their own lines
  std::string byline;   // the byline found in the page ("" when none)
  size_t chars = 0;     // length of the article's text (characters)
  ExtractionReport report;  // filled when asked for
  PageFacts facts;          // for telling articles from other pages (site_mirror.h)
};

ExtractedArticle ExtractArticle(const GumboNode* document, bool explain);

}  // namespace rasai::ingest_internal
