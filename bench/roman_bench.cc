// rasai-roman-bench: what reading Roman Urdu costs a query, against Urdu-script queries in the
// same run.
//
//   rasai-roman-bench --index DIR [--data DIR] [--roman FILE]... [--reps N] [--cpu] [--per-query]
//
// --index: an index of urdu-news.jsonl + urdu-headlines.jsonl built with `rasai index --fields
// title,body` (as for the relevance figures). Sets:
//   urdu     queries-dev.tsv: the distinctive three-word Urdu-script queries
//   roman    queries-dev-roman.tsv, and the files given with --roman (Roman Urdu queries)
//   twin     each roman query's Urdu-script twin: the text it was searched as
//            (SearchResult::transliteration, taken in the cold pass), searched as typed
//   roman48  48 Roman words in one query (the words of the roman files, cycled)
//   twin48   its Urdu-script twin (as twin above)
//   consonants  one word of 2,048 Latin consonants
// Every Search uses n = 10 and the request defaults (snippets on). A cold pass first times the
// first Roman query after the index is opened (the segments' Roman lexicons are built then) and
// warms every set; then --reps passes (default 5), each running the sets' queries interleaved
// (one urdu query, one roman query and its twin, in turn, the order swapped every other step; the
// long and hostile queries every 64 steps), so that the machine's load falls on all sets alike.
// Printed: p50 / p95 / p99 / mean in ms per set and the ratios of the roman p95 to the urdu and
// twin p95. --cpu times each search by its thread's CPU time instead of the clock: on a machine
// busy with other work, what the query itself costs (a quiet machine's latency) rather than how
// long it waited for a core. --per-query also prints each Roman query's median over the passes
// and its twin's, slowest first: the queries the roman p95 is made of.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench_common.h"
#include "rasai/index.h"
#include "rasai/search.h"

using rasai_bench::MsSince;
using rasai_bench::Percentile;

namespace {

[[noreturn]] void Usage(const std::string& why) {
  std::cerr << "rasai-roman-bench: " << why
            << "\nusage: rasai-roman-bench --index DIR [--data DIR] [--roman FILE]... [--reps N] [--cpu] [--per-query]\n";
  std::exit(2);
}

std::vector<std::string> Words(const std::vector<std::string>& queries, size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; out.size() < n && !queries.empty(); ++i) {
    std::istringstream in(queries[i % queries.size()]);
    std::string w;
    while (out.size() < n && in >> w) out.push_back(w);
    if (i > 100000) break;
  }
  return out;
}

double ThreadCpuMs() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

std::string Join(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::string index_dir, data_flag;
  std::vector<std::string> roman_files;
  int reps = 5;
  bool cpu = false, per_query = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--index") index_dir = value();
    else if (a == "--data") data_flag = value();
    else if (a == "--roman") roman_files.push_back(value());
    else if (a == "--reps") reps = std::max(1, std::atoi(value().c_str()));
    else if (a == "--cpu") cpu = true;
    else if (a == "--per-query") per_query = true;
    else Usage("unknown argument " + a);
  }
  if (index_dir.empty()) Usage("--index is required");
  const std::string data = rasai_bench::ResolveDataDir(data_flag);
  roman_files.insert(roman_files.begin(), data + "/urdu/queries-dev-roman.tsv");

  std::vector<std::string> urdu, roman;
  for (const auto& q : rasai_bench::LoadTsvQueries(data + "/urdu/queries-dev.tsv").queries) urdu.push_back(q.text);
  for (const auto& f : roman_files)
    for (const auto& q : rasai_bench::LoadTsvQueries(f).queries) roman.push_back(q.text);
  if (urdu.empty() || roman.empty()) Usage("no queries");
  const std::string roman48 = Join(Words(roman, 48));
  std::string consonants;
  for (size_t i = 0; i < 2048; ++i) consonants += "bcdfghjklmnpqrstvwxz"[i * 7 % 20];

  auto index = rasai::Index::OpenReadOnly(index_dir);
  if (!index.ok()) {
    std::cerr << "rasai-roman-bench: " << index.status().ToString() << "\n";
    return 1;
  }
  const rasai::Searcher searcher((*index)->snapshot());
  std::string searched_as;
  auto run = [&](const std::string& q) {
    rasai::SearchRequest req;
    req.query = q;
    req.n = 10;
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = ThreadCpuMs();
    auto r = searcher.Search(req);
    const double ms = cpu ? ThreadCpuMs() - cpu_start : MsSince(start);
    if (!r.ok()) {
      std::cerr << "rasai-roman-bench: " << r.status().ToString() << "\n";
      std::exit(1);
    }
    searched_as = r->transliteration.empty() ? q : r->transliteration;
    return ms;
  };

  const double cold = run(roman[0]);
  for (const auto& q : urdu) run(q);
  std::vector<std::string> twin;
  for (const auto& q : roman) {
    run(q);
    twin.push_back(searched_as);
  }
  for (const auto& q : twin) run(q);
  run(roman48);
  const std::string twin48 = searched_as;
  for (const std::string* q : {&twin48, &roman48, static_cast<const std::string*>(&consonants)}) run(*q);

  std::map<std::string, std::vector<double>> samples;
  std::vector<std::vector<double>> roman_ms(roman.size()), twin_ms(roman.size());  // per query
  const size_t steps = std::max(urdu.size(), roman.size());
  for (int rep = 0; rep < reps; ++rep) {
    for (size_t i = 0; i < steps; ++i) {
      auto roman_i = [&] {
        if (i >= roman.size()) return;
        roman_ms[i].push_back(run(roman[i]));
        samples["roman"].push_back(roman_ms[i].back());
      };
      auto twin_i = [&] {
        if (i >= roman.size()) return;
        twin_ms[i].push_back(run(twin[i]));
        samples["twin"].push_back(twin_ms[i].back());
      };
      if (i % 2 == 1) {
        roman_i();
        twin_i();
        if (i < urdu.size()) samples["urdu"].push_back(run(urdu[i]));
      } else {
        if (i < urdu.size()) samples["urdu"].push_back(run(urdu[i]));
        twin_i();
        roman_i();
      }
      if (i % 64 == 0) {
        samples["twin48"].push_back(run(twin48));
        samples["roman48"].push_back(run(roman48));
        samples["consonants"].push_back(run(consonants));
      }
    }
  }
  std::printf("times: %s\n", cpu ? "the searching thread's CPU time" : "wall clock");
  std::printf("cold: the first Roman query after opening the index (lexicons built): %.1f ms\n", cold);
  std::printf("%-11s %8s %8s %8s %8s %8s\n", "set", "samples", "p50", "p95", "p99", "mean");
  for (const char* name : {"urdu", "roman", "twin", "roman48", "twin48", "consonants"}) {
    const auto& v = samples[name];
    double sum = 0;
    for (double x : v) sum += x;
    std::printf("%-11s %8zu %8.3f %8.3f %8.3f %8.3f\n", name, v.size(), Percentile(v, 0.5), Percentile(v, 0.95),
                Percentile(v, 0.99), v.empty() ? 0 : sum / v.size());
  }
  std::printf("roman p95 / urdu p95: %.2f; roman p95 / twin p95: %.2f; roman48 p50 / twin48 p50: %.2f\n",
              Percentile(samples["roman"], 0.95) / Percentile(samples["urdu"], 0.95),
              Percentile(samples["roman"], 0.95) / Percentile(samples["twin"], 0.95),
              Percentile(samples["roman48"], 0.5) / Percentile(samples["twin48"], 0.5));
  if (per_query) {
    std::vector<std::pair<double, size_t>> order;
    for (size_t i = 0; i < roman.size(); ++i) order.emplace_back(Percentile(roman_ms[i], 0.5), i);
    std::sort(order.rbegin(), order.rend());
    std::printf("per query, median of %d (roman p95 is about the %zu-th slowest):\n%8s %8s %6s  %s\n", reps,
                roman.size() / 20 + 1, "roman", "twin", "ratio", "query | searched as");
    for (const auto& [ms, i] : order) {
      const double t = Percentile(twin_ms[i], 0.5);
      std::printf("%8.3f %8.3f %6.2f  %s | %s\n", ms, t, t > 0 ? ms / t : 0.0, roman[i].c_str(), twin[i].c_str());
    }
  }
  return 0;
}
