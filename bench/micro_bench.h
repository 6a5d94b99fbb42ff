// Shared by the micro benchmarks of rasai-micro-bench (bench/micro_bench.cc and bench/micro/*.cc).
//
// Adding a micro benchmark (e.g. the postings codecs, owned by the index layer): put a .cc file
// in bench/micro/ that registers Google Benchmark functions with BENCHMARK(...); CMake links every
// bench/micro/*.cc into rasai-micro-bench. Use the real data through the accessors below.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "rasai/analysis.h"

namespace rasai_bench {

// The shared data folder (--data DIR, else ../shared/data next to the repository root).
const std::string& MicroDataDir();
// Bodies of urdu/urdu-news.jsonl (2,028 full articles), loaded once.
const std::vector<std::string>& UrduNewsBodies();
// The "text" of every entry of english/foldoc/foldoc.jsonl, loaded once.
const std::vector<std::string>& FoldocTexts();
// 0: UrduNewsBodies(), 1: FoldocTexts().
const std::vector<std::string>& Corpus(int which);

// The body of an analyzer benchmark: `analyze(text, &tokens)` on one text per iteration, cycling
// through `texts`; reports bytes of input per second and tokens per second.
template <typename AnalyzeFn>
void AnalyzeLoop(benchmark::State& state, const std::vector<std::string>& texts, AnalyzeFn analyze) {
  std::vector<rasai::Token> tokens;
  size_t i = 0, bytes = 0, ntokens = 0;
  for (auto _ : state) {
    const std::string& t = texts[i];
    tokens.clear();
    analyze(t, &tokens);
    benchmark::DoNotOptimize(tokens.data());
    bytes += t.size();
    ntokens += tokens.size();
    if (++i == texts.size()) i = 0;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(ntokens), benchmark::Counter::kIsRate);
}

}  // namespace rasai_bench
