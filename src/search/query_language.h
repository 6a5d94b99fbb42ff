// Internal: the visitor's language first. When documents in several languages match a query about
// equally (the Universal Declaration in Urdu, Seraiki and Panjabi for «انسانی حقوق»), the one in
// the query's language comes first: the others' scores are multiplied by kOtherLanguageFactor
// among the best candidates (PreferLanguage, after the proximity rerank). A query that names a
// language (`lang:`) is filtered instead; a document or query whose language is unknown is never
// moved.
//
// Thread-safety: QueryLanguage and OtherLanguage are pure functions; PreferLanguage changes only
// the candidates it is given.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rasai/index.h"
#include "search/collector.h"

namespace rasai {

// A document in another language than the query's scores this much of what it would.
constexpr double kOtherLanguageFactor = 1 / 1.1;

// The language of a query (BCP 47; "" when unknown): "ur" for one read as Roman Urdu or holding
// Arabic-script letters (Urdu script means Urdu), else what DetectLanguage says of its text.
std::string QueryLanguage(std::string_view query, bool read_as_roman_urdu);

// Whether a document in `doc_lang` is in another language than `query_lang`: both known and their
// primary subtags differ, after the ISO 639-3 codes collections use are mapped to the ones
// DetectLanguage gives (urd = ur, lah = pnb, pes = prs = fa, pbu = pbt = ps).
bool OtherLanguage(std::string_view doc_lang, std::string_view query_lang);

// Among the first `depth` candidates of *top (best first), those whose document is in another
// language than `lang` score kOtherLanguageFactor of what they did, and those `depth` are sorted
// again by score (stable); the others are left as they are. Nothing changes when `lang` is "".
void PreferLanguage(const Snapshot& snap, const std::string& lang, std::vector<Candidate>* top, size_t depth);

}  // namespace rasai
