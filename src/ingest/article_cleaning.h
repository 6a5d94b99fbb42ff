// Article cleaning: removes what is not the article from the blocks content scoring chose, after
// Readability's published clean-up (forms, embeds, asides and footers; share blocks; headings
// with boilerplate names; and, "conditionally", tables, lists and divs that are link-dense,
// form-like, image-only or without text) plus this project's news rules: blocks that open with
// an "also read", comments, share, newsletter or tags phrase (boilerplate_phrases.h) and the
// link lists that follow them, and blocks with news boilerplate names (class_hints.h).
// Headings, lists, tables of text, quotes and image captions stay.
//
// Thread-safety: works on one Dom; no shared state.
#pragma once

#include <string_view>

#include "ingest/content_scoring.h"
#include "ingest/dom.h"
#include "ingest/extraction_report.h"

namespace rasai::ingest_internal {

// `lang` is the page's language (BCP 47, "" when unknown): the prose test of the article's first
// and last lines needs a stopword list, which exists for Urdu and English.
void CleanArticle(Dom* dom, int article, const ExtractFlags& flags, std::string_view lang, ExtractionReport* report);

}  // namespace rasai::ingest_internal
