// rasai-micro-bench: Google Benchmark micro benchmarks over real text.
//
//   rasai-micro-bench [--data DIR] [--benchmark_filter=REGEX] [other --benchmark_* flags]
//
// Analyzer throughput (bytes of input text per second, reported as bytes_per_second):
//   BM_Analyze/urdu_news      rasai::DefaultAnalyzer().Analyze over the bodies of urdu-news.jsonl
//   BM_Analyze/foldoc_en      the same over the English FOLDOC entries
//   BM_NormalizeText/...      rasai::NormalizeText alone over the same texts
// Each iteration analyzes one document, cycling through the collection, so every document counts.
// More micro benchmarks (the index layer's codecs) live in bench/micro/*.cc; see micro_bench.h.
#include "micro_bench.h"

#include <benchmark/benchmark.h>

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "bench_common.h"
#include "rasai/analysis.h"

namespace rasai_bench {
namespace {
std::string g_data_flag;
}  // namespace

const std::string& MicroDataDir() {
  static const std::string dir = ResolveDataDir(g_data_flag);
  return dir;
}

const std::vector<std::string>& UrduNewsBodies() {
  static const std::vector<std::string> bodies = [] {
    std::vector<std::string> out;
    for (auto& d : LoadJsonlDocs(MicroDataDir() + "/urdu/urdu-news.jsonl")) {
      if (!d.body.empty()) out.push_back(std::move(d.body));
    }
    return out;
  }();
  return bodies;
}

const std::vector<std::string>& FoldocTexts() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    for (auto& d : LoadJsonlDocs(MicroDataDir() + "/english/foldoc/foldoc.jsonl", /*require_id=*/false)) {
      if (!d.body.empty()) out.push_back(std::move(d.body));
    }
    return out;
  }();
  return texts;
}

// Not in an anonymous namespace: BENCHMARK_CAPTURE's registration would then count as unused.
const std::vector<std::string>& Corpus(int which) { return which == 0 ? UrduNewsBodies() : FoldocTexts(); }

void BM_Analyze(benchmark::State& state, int corpus) {
  const rasai::Analyzer& analyzer = rasai::DefaultAnalyzer();
  AnalyzeLoop(state, Corpus(corpus),
              [&](const std::string& t, std::vector<rasai::Token>* tokens) { analyzer.Analyze(t, tokens); });
}

void BM_NormalizeText(benchmark::State& state, int corpus) {
  const auto& texts = Corpus(corpus);
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& t = texts[i];
    std::string n = rasai::NormalizeText(t);
    benchmark::DoNotOptimize(n.data());
    bytes += t.size();
    if (++i == texts.size()) i = 0;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

BENCHMARK_CAPTURE(BM_Analyze, urdu_news, 0);
BENCHMARK_CAPTURE(BM_Analyze, foldoc_en, 1);
BENCHMARK_CAPTURE(BM_NormalizeText, urdu_news, 0);
BENCHMARK_CAPTURE(BM_NormalizeText, foldoc_en, 1);

}  // namespace rasai_bench

int main(int argc, char** argv) {
  // Take --data DIR / --data=DIR out before Google Benchmark parses the rest.
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
      rasai_bench::g_data_flag = argv[++i];
    } else if (std::strncmp(argv[i], "--data=", 7) == 0) {
      rasai_bench::g_data_flag = argv[i] + 7;
    } else {
      args.push_back(argv[i]);
    }
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 2;
  // Load (and check) the data before timing anything.
  std::cerr << "rasai-micro-bench: data " << rasai_bench::MicroDataDir() << ": " << rasai_bench::UrduNewsBodies().size()
            << " Urdu bodies, " << rasai_bench::FoldocTexts().size() << " FOLDOC entries\n";
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
