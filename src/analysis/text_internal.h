// Internals of the analysis layer shared by normalize.cc, segment.cc, analyzer.cc and the tests.
// Not part of the public API (include/rasai/analysis.h).
//
// Thread-safety: every function here is safe to call from many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rasai::analysis_internal {

// ---- Code point predicates (normalize.cc) -------------------------------------------------

// Invisible format characters that are deleted everywhere: ZWJ, LRM/RLM, ALM, bidi embeddings,
// overrides and isolates, soft hyphen, BOM / ZWNBSP, word joiner and invisible operators.
bool IsRemovedFormat(char32_t c);
// Arabic marks deleted by normalization: aerab U+064B–U+065F, U+0670, Quranic marks
// U+0610–U+061A and U+06D6–U+06ED, and tatweel U+0640. Not category M as a whole.
bool IsStrippedArabicMark(char32_t c);
// True when a ZWNJ written after `prev` (the last letter before it, raw text) stands for a
// word break: `prev` joins to the following letter (Unicode joining type D or L), so the ZWNJ
// visibly separates two words (نئی‌دہلی, حملہ‌آور). After a letter that never joins leftwards
// (ا د ر و ڈ …) a ZWNJ changes nothing on screen and is deleted (پھیلا‌ؤ → پھیلاؤ).
bool ZwnjSeparates(char32_t prev);
// True for Arabic-script letters that do not join the following letter (joining type R or U).
bool IsArabicNonJoiner(char32_t c);

// ---- Normalization (normalize.cc) ---------------------------------------------------------

// True when NFKC leaves `c` alone whatever surrounds it (see FastSet in normalize.cc).
bool IsNfkcFast(char32_t c);
// The NFKC decomposition mapping of `c` alone; false when it has none.
bool NfkcImage(char32_t c, std::u32string* image);

// Appends the normalized form of `raw` (any bytes) to *out. This is NormalizeText().
// With allow_fast, runs of text whose NFKC form is known to be themselves skip ICU; the result
// is identical either way (tested on the corpora and by the fuzz target). Returns true when the
// fast path was taken: then every character of `raw` was NFKC-inert, and the output of one
// word of SegmentText is again exactly one word of the same kind and script.
bool NormalizeInto(std::string_view raw, bool allow_fast, std::string* out);

// ---- Segmentation (segment.cc) ------------------------------------------------------------

enum class SegKind : uint8_t {
  kWord,    // letters (possibly with marks); for Latin also digits (covid19, 1990s)
  kNumber,  // digits only
};

struct Segment {
  size_t begin;
  size_t end;
  SegKind kind;
  int32_t script;  // UScriptCode of the first letter (USCRIPT_COMMON for numbers)
};

// Calls sink(const Segment&) for each word of `text` (any bytes; ill-formed sequences are
// separators), left to right. Rules: letters of one script form a word (Common/Inherited letters
// join any script); combining marks and removed format characters stay inside the word; Latin
// (and Common-script) words absorb digits and an apostrophe before a Latin letter; digits form
// numbers and do not join Arabic-script or other letters (2005ء → 2005 | ء); a ZWNJ separates
// when ZwnjSeparates(previous letter); Han, Hiragana and Katakana characters are one word each;
// everything else (spaces, punctuation, symbols, ZWSP) separates.
//
// With `chunks` (for raw text), a word that meets a character NFKC may change runs on to the next
// hard separator (a separator that normalization cannot remove or join across), because such a
// character can change the segmentation around it. Segmenting NormalizeText of a chunk without
// `chunks` then gives exactly the words of the normalized text.
template <typename Sink>
void SegmentText(std::string_view text, bool chunks, Sink&& sink);

// Non-template core of SegmentText: returns the next segment at or after *pos, advancing *pos;
// false at the end.
bool NextSegment(std::string_view text, size_t* pos, Segment* seg, bool chunks);

template <typename Sink>
void SegmentText(std::string_view text, bool chunks, Sink&& sink) {
  size_t pos = 0;
  Segment seg;
  while (NextSegment(text, &pos, &seg, chunks)) sink(seg);
}

// ---- Terms (analyzer.cc) ------------------------------------------------------------------

// Spelling-variant folds for one normalized Arabic-script word (see docs/analysis.md):
// final ۓ→ئے, final ۂ→ہ, final یئے→یے, consonant+ئے→یے, final ئو→ؤ, یی→ئی.
void FoldUrduVariants(std::string* word);
bool IsUrduStopword(std::string_view folded_word);
bool IsEnglishStopword(std::string_view lowercase_word);
// The hand-written lists (stopwords.cc), as written, for tests.
const char* const* UrduStopwordList(size_t* n);
const char* const* EnglishStopwordList(size_t* n);

}  // namespace rasai::analysis_internal
