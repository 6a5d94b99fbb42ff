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
  const auto& texts = corpus == 0 ? UrduNewsBodies() : FoldocTexts();
  (void)rasai::DefaultAnalyzer();  // builds the tables outside the timed loop, as BM_Analyze
  std::vector<rasai::Token> tokens;
  size_t i = 0, bytes = 0, ntokens = 0;
  for (auto _ : state) {
    const std::string& t = texts[i];
    tokens.clear();
    rasai::analysis_internal::ReferenceAnalyze(t, &tokens);
    benchmark::DoNotOptimize(tokens.data());
    bytes += t.size();
    ntokens += tokens.size();
    if (++i == texts.size()) i = 0;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(ntokens), benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(BM_AnalyzeReference, urdu_news, 0);
BENCHMARK_CAPTURE(BM_AnalyzeReference, foldoc_en, 1);

}  // namespace rasai_bench
