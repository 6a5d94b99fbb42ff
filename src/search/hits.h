// Internal: a search hit (rasai/search.h) from a stored document's head (SegmentReader::StoredHead).
//
// Thread-safety: a pure function.
#pragma once

#include <utility>

#include "rasai/document.h"
#include "rasai/search.h"

namespace rasai {

inline Hit MakeHit(Document&& d, double score) {
  Hit h;
  h.id = std::move(d.id);
  h.score = score;
  h.title = std::move(d.title);
  h.url = std::move(d.url);
  h.date = std::move(d.date);
  h.lang = std::move(d.lang);
  h.source = std::move(d.source);
  h.category = std::move(d.category);
  return h;
}

}  // namespace rasai
