// The analyzer's reference path, for comparison with BM_Analyze (the fast path) in the same run:
//   BM_AnalyzeReference/urdu_news   analysis_internal::ReferenceAnalyze over the urdu-news bodies
//   BM_AnalyzeReference/foldoc_en   the same over the English FOLDOC entries
// bytes_per_second = input text analyzed per second; the two paths give identical tokens
// (src/analysis/fast_path_test.cc).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "analysis/text_internal.h"
#include "micro_bench.h"
#include "rasai/analysis.h"

namespace rasai_bench {

void BM_AnalyzeReference(benchmark::State& state, int corpus) {
  (void)rasai::DefaultAnalyzer();  // builds the tables outside the timed loop, as BM_Analyze
  AnalyzeLoop(state, Corpus(corpus), [](const std::string& t, std::vector<rasai::Token>* tokens) {
    rasai::analysis_internal::ReferenceAnalyze(t, tokens);
  });
}

BENCHMARK_CAPTURE(BM_AnalyzeReference, urdu_news, 0);
BENCHMARK_CAPTURE(BM_AnalyzeReference, foldoc_en, 1);

}  // namespace rasai_bench
