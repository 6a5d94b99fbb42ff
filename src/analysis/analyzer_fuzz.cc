// libFuzzer target for the analysis layer (excluded from the normal build by its name).
// Build and run: see docs/analysis.md ("Fuzzing").
//
// Besides crashes and sanitizer reports, it checks the properties the index relies on:
//   - the fast normalization path gives the same bytes as the ICU path;
//   - the fast path of Analyze gives exactly the tokens of ReferenceAnalyze (terms, positions,
//     offsets, stop flags);
//   - NormalizeText is idempotent;
//   - analyzing raw text and analyzing its normalized form give the same terms;
//   - tokens have non-empty terms, consecutive positions and offsets inside the input.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/text_internal.h"
#include "rasai/analysis.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

std::vector<std::string> Terms(const std::vector<rasai::Token>& tokens) {
  std::vector<std::string> t;
  t.reserve(tokens.size());
  for (const rasai::Token& k : tokens) t.push_back(k.term);
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  std::string fast, slow;
  rasai::analysis_internal::NormalizeInto(text, true, &fast);
  rasai::analysis_internal::NormalizeInto(text, false, &slow);
  Check(fast == slow);
  const std::string normalized = rasai::NormalizeText(text);
  Check(normalized == fast);
  Check(rasai::NormalizeText(normalized) == normalized);

  const rasai::Analyzer& analyzer = rasai::DefaultAnalyzer();
  std::vector<rasai::Token> tokens;
  analyzer.Analyze(text, &tokens);
  for (size_t i = 0; i < tokens.size(); ++i) {
    const rasai::Token& k = tokens[i];
    Check(k.position == i);
    Check(!k.term.empty());
    Check(k.begin < k.end && k.end <= size);
    (void)analyzer.EndsWithNonJoiner(k.term);
  }
  std::vector<rasai::Token> reference;
  rasai::analysis_internal::ReferenceAnalyze(text, &reference);
  Check(tokens.size() == reference.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    const rasai::Token& a = tokens[i];
    const rasai::Token& b = reference[i];
    Check(a.term == b.term && a.position == b.position && a.begin == b.begin && a.end == b.end && a.stop == b.stop);
  }
  std::vector<rasai::Token> from_normalized;
  analyzer.Analyze(normalized, &from_normalized);
  Check(Terms(tokens) == Terms(from_normalized));

  (void)analyzer.Term(text);
  (void)rasai::DetectLanguage(text);
  (void)rasai::IsRightToLeft(text);
  return 0;
}
