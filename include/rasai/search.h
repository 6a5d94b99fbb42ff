// Search: query parsing, ranking (BM25 with field weights, proximity), top-k with block-max
// pruning, filters, facets, snippets, suggestions and related articles, over an index Snapshot.
//
// Thread-safety: Searcher is immutable after construction; Search() and the other const methods
// may run concurrently from many threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rasai/index.h"
#include "rasai/status.h"

namespace rasai {

struct SearchRequest {
  std::string query;          // the visitor's text, in the query language (docs/search.md, "Query language")
  uint32_t n = 10;            // hits wanted
  uint32_t offset = 0;        // for paging
  // Filters (empty = none); combined with the ones written in the query (lang:, source:, ...).
  std::string lang, source, category;
  // Inclusive bounds: YYYY, YYYY-MM or YYYY-MM-DD (a year or month from its first or to its last day;
  // read by util/date.h, DateBoundKey); a bound leaves out undated documents.
  std::string date_from, date_to;
  enum class Sort { kRelevance, kDateDesc, kDateAsc } sort = Sort::kRelevance;
  bool snippets = true;       // build a highlighted snippet per hit
  bool facets = false;        // count hits by source, category, lang, year
  bool collapse_duplicates = true;
};

struct Hit {
  std::string id;
  double score = 0;
  std::string title;
  std::string snippet;        // HTML-escaped, query terms in <mark>…</mark>
  std::string url, date, lang, source, category;
  // The id of an article listed before this hit (on this page or an earlier one, among the 200
  // hits before it) of which it is an edited copy: the same article reposted under another id
  // with a word or a sentence changed (bodies of 50 words or more whose word 5-grams resemble at
  // 0.8 or more); "" when none, and always "" without collapse_duplicates or in a segment written
  // before the index kept SimHashes (until a merge rewrites it). Exact copies are not listed.
  std::string copy_of;
};

struct SearchResult {
  uint64_t total = 0;         // matching documents (after filters); see total_exact
  // False when top-k pruning skipped documents without counting them: total is then an estimate
  // (documents seen to match, raised to the longest posting list when no filter applies).
  // Always true with facets or n = 0.
  bool total_exact = true;
  std::vector<Hit> hits;
  std::string suggestion;     // "did you mean", "" when none
  // A query with Roman Urdu words («imran khan hukumat») as it was searched in Urdu script
  // («عمران خان حکومت»): each such word as its best Urdu candidate; "" when the query has none.
  std::string transliteration;
  // facet name ("source", "category", "lang", "year") -> value -> count
  std::map<std::string, std::map<std::string, uint64_t>> facets;
  double took_ms = 0;
};

class Searcher {
 public:
  explicit Searcher(std::shared_ptr<const Snapshot> snapshot);
  ~Searcher();
  // Never fails on bad query text: malformed syntax is read leniently, ill-formed UTF-8 as
  // U+FFFD, and no match is an empty result. Errors only for internal failures (e.g. a corrupt
  // stored block).
  Result<SearchResult> Search(const SearchRequest& request) const;
  // Documents related to the one with this id (more-like-this), best first.
  Result<std::vector<Hit>> Related(const std::string& id, uint32_t n = 5) const;
  // Completions for a typed prefix, best first (well-formed UTF-8 whatever the bytes typed): the
  // last word is completed, the words before it kept. After a word that is not a stopword, the
  // words the collection writes after it come first («سپریم کو» → «سپریم کورٹ»); a prefix that
  // ends in a space is completed with those words alone («نواز » → «نواز شریف»).
  std::vector<std::string> Suggest(const std::string& prefix, uint32_t n = 8) const;
  // Builds now what searches build on first use and keep (the analyzer's tables; while the
  // snapshot's segments live, the Urdu vocabulary Roman Urdu queries are read against and the
  // terms by length typo tolerance scans), so that the first such query does not wait for it:
  // tens of milliseconds for a hundred thousand documents. Safe from any thread, at once with
  // searches; a second call finds them built.
  void WarmUp() const;
  const Snapshot& snapshot() const { return *snapshot_; }

 private:
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace rasai
