// Internals of the analysis layer shared by its files and the tests: code point predicates,
// normalization, segmentation, stopwords, the term rules (Urdu folds and joined forms, case
// folding, English stem), the reference path and the fast path. Each section names the file that
// defines it. Not part of the public API (include/rasai/analysis.h).
//
// Thread-safety: every function here is safe to call from many threads at once.
// Ownership: tables returned by reference are built on first use and live for the whole process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rasai/analysis.h"

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

// The letter folding, mark and digit rules of NormalizeText for one code point that is already
// in NFKC and is neither a removed format character nor ZWNJ/ZWSP: the folded code point, or
// kFoldDelete when the character is deleted. Not for U+0653–U+0655 and U+0674, which compose
// with the letter before them.
constexpr char32_t kFoldDelete = 0xFFFFFFFF;
char32_t FoldCodePoint(char32_t c);

// Appends the normalized form of `raw` (any bytes) to *out. This is NormalizeText().
// With allow_fast, runs of text whose NFKC form is known to be themselves skip ICU; the result
// is identical either way (tested on the corpora and by the fuzz target). Returns true when the
// fast path was taken: then every character of `raw` was NFKC-inert, and the output of one
// word of SegmentText is again exactly one word of the same kind and script.
bool NormalizeInto(std::string_view raw, bool allow_fast, std::string* out);

// ---- Segmentation (segment.cc) ------------------------------------------------------------

// How NextSegment sees one code point.
enum class CharClass : uint8_t {
  kSeparator,
  kLetter,
  kDigit,
  kMark,        // combining mark or stripped Arabic mark / tatweel: stays inside a word
  kIgnorable,   // removed format character: stays inside a word
  kZwnj,
  kApostrophe,  // ' or ’: inside a Latin word between two Latin letters
  kIdeograph,   // Han, Hiragana, Katakana: one word per character
};

struct CharInfo {
  CharClass cls;
  int32_t script;
};

// The class and script of `c` as NextSegment sees them; *slow is true for a character NFKC may
// change (it turns a word into a chunk). Table lookup for the BMP.
CharInfo ClassifyCodePoint(char32_t c, bool* slow);

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

// ---- Urdu spelling variants and joined forms (urdu_folds.cc) ---------------------------------

// Spelling-variant folds for one normalized Arabic-script word (see docs/analysis.md):
// final ۓ→ئے, final ۂ→ہ, final یئے→یے, consonant+ئے→یے, final ئو→ؤ, یی→ئی.
void FoldUrduVariants(std::string* word);
// NormalizeText and FoldUrduVariants of one Arabic-script word: its term, before joined forms.
std::string FoldArabicWord(std::string_view w);

// A very frequent joined spelling of two words (کیلئے → کے | لیے), each part folded as a term.
struct FoldedCompound {
  std::string joined, first, second;
};
// The joined forms the analyzer splits into two terms (see docs/analysis.md).
const std::vector<FoldedCompound>& Compounds();

// ---- Stopwords (stopwords.cc) ---------------------------------------------------------------

bool IsUrduStopword(std::string_view folded_word);
bool IsEnglishStopword(std::string_view lowercase_word);
// The hand-written lists (stopwords.cc), as written, for tests.
const char* const* UrduStopwordList(size_t* n);
const char* const* EnglishStopwordList(size_t* n);

// ---- Latin and case folding (case_fold.cc), English stem (english_stemmer.cc) ----------------

// Latin word → lower case, diacritics removed, ’ → '. *out is replaced.
void LatinFold(std::string_view word, std::string* out);
// A word of another script → ICU full case folding. *out is replaced.
void CaseFold(std::string_view word, std::string* out);
// Snowball English stem of a folded Latin word, in place (one stemmer per thread).
void StemEnglish(std::string* word);

// ---- The reference path (reference_path.cc) -------------------------------------------------

// The analyzer as first written, kept as the reference that the fast path of
// DefaultAnalyzer().Analyze must match byte for byte (terms, positions, offsets, stop flags):
// every word goes through SegmentText, NormalizeInto and the per-script term rules.
void ReferenceAnalyze(std::string_view text, std::vector<Token>* out);
// Appends the tokens of one segment `raw` of `text` (from SegmentText with chunks): normalized,
// segmented again when NFKC changed something, and turned into terms; positions from *position.
void AnalyzeRawSegment(std::string_view text, const Segment& raw, uint32_t* position, std::vector<Token>* out);

// ---- The fast path (fast_path.cc, with word_table.h and fast_table.h) -----------------------

// Appends the tokens of `text` to *out in one pass; exactly the tokens of ReferenceAnalyze.
// This is DefaultAnalyzer().Analyze.
void FastAnalyze(std::string_view text, std::vector<Token>* out);

// Counters of the fast path, for tests and benchmarks: words it analyzed itself, and words
// it handed to the reference path (this thread, since the start).
struct FastPathStats {
  uint64_t fast_words = 0;
  uint64_t fallback_words = 0;
};
FastPathStats& ThreadFastPathStats();

}  // namespace rasai::analysis_internal
