// The reference path of the analyzer (ReferenceAnalyze): the analyzer as first written, one raw
// segment at a time (SegmentText with chunks, NormalizeInto, the per-script term rules). The fast
// path (fast_path.cc) must match it byte for byte and hands it every word it does not handle
// itself (AnalyzeRawSegment).

#include <unicode/uscript.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/text_internal.h"
#include "rasai/analysis.h"

namespace rasai::analysis_internal {
namespace {

void Push(std::string term, bool stop, uint32_t begin, uint32_t end, uint32_t* position, std::vector<Token>* out) {
  Token t;
  t.term = std::move(term);
  t.position = (*position)++;
  t.begin = begin;
  t.end = end;
  t.stop = stop;
  out->push_back(std::move(t));
}

void EmitWord(std::string_view word, const Segment& seg, uint32_t begin, uint32_t end,
              uint32_t* position, std::vector<Token>* out) {
  if (word.empty()) return;
  if (seg.kind == SegKind::kNumber) {
    Push(std::string(word), false, begin, end, position, out);
    return;
  }
  if (seg.script == USCRIPT_LATIN) {
    std::string term;
    LatinFold(word, &term);
    const bool stop = IsEnglishStopword(term);
    StemEnglish(&term);
    Push(std::move(term), stop, begin, end, position, out);
    return;
  }
  if (seg.script == USCRIPT_ARABIC) {
    std::string term(word);
    FoldUrduVariants(&term);
    for (const FoldedCompound& c : Compounds()) {
      if (term.size() == c.joined.size() && term == c.joined) {
        Push(c.first, IsUrduStopword(c.first), begin, end, position, out);
        Push(c.second, IsUrduStopword(c.second), begin, end, position, out);
        return;
      }
    }
    const bool stop = IsUrduStopword(term);
    Push(std::move(term), stop, begin, end, position, out);
    return;
  }
  std::string term;
  CaseFold(word, &term);
  Push(std::move(term), false, begin, end, position, out);
}

}  // namespace

// The tokens of one segment of the raw text (SegmentText with chunks): normalized, segmented again
// when NFKC changed something, and turned into terms.
void AnalyzeRawSegment(std::string_view text, const Segment& raw, uint32_t* position,
                       std::vector<Token>* out) {
  thread_local std::string normalized;
  normalized.clear();
  const bool fast =
      NormalizeInto(text.substr(raw.begin, raw.end - raw.begin), /*allow_fast=*/true, &normalized);
  const auto begin = static_cast<uint32_t>(raw.begin);
  const auto end = static_cast<uint32_t>(raw.end);
  if (fast) {  // NFKC changed nothing: the word is still one word (see NormalizeInto)
    EmitWord(normalized, raw, begin, end, position, out);
    return;
  }
  SegmentText(normalized, /*chunks=*/false, [&](const Segment& seg) {
    EmitWord(std::string_view(normalized).substr(seg.begin, seg.end - seg.begin), seg, begin, end, position, out);
  });
}

void ReferenceAnalyze(std::string_view text, std::vector<Token>* out) {
  uint32_t position = 0;
  SegmentText(text, /*chunks=*/true, [&](const Segment& raw) { AnalyzeRawSegment(text, raw, &position, out); });
}

}  // namespace rasai::analysis_internal
