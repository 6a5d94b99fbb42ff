// Internal: snippets — the best passage of a stored text for a set of query terms, cut on word
// boundaries, HTML-escaped, with the matching words in <mark>. No HTML is parsed at query time.
//
// Two paths. SnippetMaker (the normal one) takes the query terms' positions in the hit's body
// from the index postings, picks the window from positions alone and cuts only that slice of the
// stored body, using the token offsets the index stores (<seg>.off): no analyzer run per hit.
// BuildSnippet analyzes the text itself; it serves texts without offsets (title- or summary-only
// documents, segments written without an offsets file) and damaged offsets.
//
// Thread-safety: BuildSnippet and the free functions are thread-safe; a SnippetMaker belongs to
// one Search call (one thread).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "rasai/index.h"
#include "rasai/postings.h"

namespace rasai {

constexpr size_t kSnippetWords = 32;

// Phrases of analyzed terms (a quoted phrase, a compound the planner also looks for as two
// words): their words are marked only where they stand together, in order. A word in `terms` as
// well is marked everywhere.
using SnippetPhrases = std::vector<std::vector<std::string>>;

// `terms` are analyzed terms. Returns "" when text is empty. `max_words` bounds the passage.
std::string BuildSnippet(std::string_view text, const std::unordered_set<std::string>& terms,
                         size_t max_words = kSnippetWords, const SnippetPhrases& phrases = {});

// A query term at a word position of the text (term: an index into the query's term list).
struct SnippetMatch {
  uint32_t position;
  uint32_t term;
};

// Drops from `matches` (sorted by position) the words of phrases that do not stand in one: a
// match is kept when single[its term] is set, or when it is one word of an occurrence of one of
// `phrases` (term indexes, in order, at consecutive positions).
void KeepPhraseMatches(const std::vector<char>& single, const std::vector<std::vector<uint32_t>>& phrases,
                       std::vector<SnippetMatch>* matches);

// The passage [*start, *end) of a text of `npos` positions: the window of max_words positions
// with the most distinct matching terms (each distinct term counts 2, a repeat 1; ties: the
// earliest), started 3 positions before its first match for context. `matches` sorted by position.
void ChooseSnippetWindow(uint32_t npos, const std::vector<SnippetMatch>& matches, size_t max_words,
                         uint32_t* start, uint32_t* end);

// Cuts and marks positions [start, end) of `text` (npos positions in all); spans[i] is the span
// of position start + i (at least end - start of them). Positions sharing a span (a compound
// split in two terms) show once. Corruption when a span does not fit the text or cuts a UTF-8
// sequence; *out is then unspecified.
Status RenderSnippet(std::string_view text, uint32_t start, uint32_t end, uint32_t npos,
                     const std::vector<TokenSpan>& spans, const std::vector<SnippetMatch>& matches, std::string* out);

// Drops bidi embedding/override/isolate terminators that close nothing and closes those left
// open, so that a cut passage cannot change the direction of the page around it.
void BalanceBidiControls(std::string* html);

// Snippets for the hits of one search over a snapshot. Term lookups are cached per segment.
class SnippetMaker {
 public:
  SnippetMaker(const Snapshot& snap, const std::unordered_set<std::string>& terms, size_t max_words = kSnippetWords);
  // Optional, before the first snippet: phrases whose words are marked only together.
  void SetPhrases(SnippetPhrases phrases) { phrases_ = std::move(phrases); }
  // Optional: where the maker looks its terms up (SegmentReader::Lookup of the segment when not
  // set), e.g. a search's cache of the dictionary entries it has already read.
  using LookupFn = std::function<bool(uint32_t seg, int field, const std::string& term, TermInfo* info)>;
  void SetLookup(LookupFn lookup) { lookup_ = std::move(lookup); }
  // Optional: the (segment, local doc) of the hits that will be asked for. Their query-term
  // positions are then read in one pass in doc order, one postings cursor per term and segment,
  // instead of a new cursor per hit and term. Hits not named here are served all the same.
  void Prepare(std::vector<std::pair<uint32_t, uint32_t>> hits);
  // The snippet of local document `doc` of segment `seg`, whose stored document is `stored`
  // (text: the body, else the summary, else the title).
  std::string Make(uint32_t seg, uint32_t doc, const Document& stored);
  // The same snippet, reading from the store only what it needs: with the body's token offsets,
  // the window is chosen first and only the body up to its end is read (SegmentReader::
  // BodyPrefix); otherwise (no offsets, damaged ones, no body) the whole stored document. Errors:
  // the store's (a damaged stored document).
  Result<std::string> Make(uint32_t seg, uint32_t doc);
  // The offsets path alone, for the body `body` of that document. NotFound when the segment
  // stores no offsets of the body; Corruption when they are damaged.
  Result<std::string> MakeFromOffsets(uint32_t seg, uint32_t doc, std::string_view body);

 private:
  const Snapshot& snap_;
  const std::unordered_set<std::string>& terms_;
  SnippetPhrases phrases_;
  std::vector<std::string> term_list_;  // terms_ and the phrases' words, sorted
  std::vector<char> single_;            // per term_list_ entry: in terms_
  std::vector<std::vector<uint32_t>> phrase_ids_;
  size_t max_words_;
  LookupFn lookup_;
  struct SegTerms {
    bool loaded = false;
    std::vector<std::pair<uint32_t, TermInfo>> infos;  // (term index, where its postings are)
  };
  void LoadTerms(uint32_t seg, int field);
  // The offsets path up to the text: the window [*start, *end) of the body's *npos positions,
  // with its spans in spans_ (from *start) and the query-term matches in matches_.
  Status LocateWindow(uint32_t seg, uint32_t doc, uint32_t* start, uint32_t* end, uint32_t* npos);
  std::vector<SegTerms> seg_terms_;
  struct Prepared {
    uint32_t seg, doc;
    std::vector<SnippetMatch> matches;  // sorted by position
  };
  std::vector<Prepared> prepared_;  // sorted by (seg, doc)
  std::vector<SnippetMatch> matches_;
  std::vector<uint32_t> positions_;
  std::vector<TokenSpan> spans_;
  std::string body_;  // the body prefix of the current hit
};

}  // namespace rasai
