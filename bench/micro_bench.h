// Shared by the micro benchmarks of rasai-micro-bench (bench/micro_bench.cc and bench/micro/*.cc).
//
// Adding a micro benchmark (e.g. the postings codecs, owned by the index layer): put a .cc file
// in bench/micro/ that registers Google Benchmark functions with BENCHMARK(...); CMake links every
// bench/micro/*.cc into rasai-micro-bench. Use the real data through the accessors below.
#pragma once

#include <string>
#include <vector>

namespace rasai_bench {

// The shared data folder (--data DIR, else ../shared/data next to the repository root).
const std::string& MicroDataDir();
// Bodies of urdu/urdu-news.jsonl (2,028 full articles), loaded once.
const std::vector<std::string>& UrduNewsBodies();
// The "text" of every entry of english/foldoc/foldoc.jsonl, loaded once.
const std::vector<std::string>& FoldocTexts();

}  // namespace rasai_bench
