// Internal: one article shown once. Exact copies (the same content hash, DocValues::content_hash)
// are collapsed into the best-ranked (FirstOfHash); edited copies (a letter fixed, a sentence
// added, reposted under another id) are found by SimHash, then by comparing word 5-grams
// (Broder's resemblance), and listed under the article they copy (EditedCopies) or left out of
// related articles (related.cc).
//
// Thread-safety: the functions are thread-safe; they read an immutable snapshot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rasai/index.h"
#include "search/collector.h"

namespace rasai {

// Whether each candidate is the first of its content hash in `top`'s order: the one that
// collapsing duplicates keeps.
std::vector<char> FirstOfHash(const std::vector<Candidate>& top);

// The sampled, sorted, distinct word 5-gram hashes of an article body; empty for a body of fewer
// than kArticleWords words (rasai/article.h).
std::vector<uint64_t> Shingles(std::string_view body);
// Whether two bodies' 5-gram samples resemble at kSameArticle (0.8) or more.
bool SameArticle(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);
// Whether two bodies may be one article by their SimHashes (0: a short body, or none kept).
bool NearSimHashes(uint64_t a, uint64_t b);
// The 5-gram sample (Shingles) of a stored document's body, read up to kArticleBytes.
Status StoredShingles(const SegmentReader& seg, uint32_t doc, std::string* scratch, std::vector<uint64_t>* out);

// For each candidate of `listed` (the hits listed, in their order) from `first` on (the page
// shown), the index of an earlier one it is an edited copy of (the article, never a copy), or
// -1. Errors: the store's (a damaged stored document).
Result<std::vector<int>> EditedCopies(const Snapshot& snap, const std::vector<const Candidate*>& listed, size_t first);

}  // namespace rasai
