// rasai-synth: writes a large SYNTHETIC Urdu collection (JSONL) for scale benchmarks.
//
//   rasai-synth --docs N --out FILE [--seed S] [--data DIR]
//
// Each line: {"id":"synth-<n>","title":...,"body":...,"lang":"ur","synthetic":true}.
// - Words are drawn independently from the Makhzan word-frequency table
//   (urdu/wordfreq/makhzan-word-frequency.json), with probability proportional to the observed
//   count: the Zipf-like distribution as observed, not a fitted curve.
// - Each document's (title length, body length) in words is the pair of a real document drawn
//   uniformly from urdu-news.jsonl + urdu-headlines.jsonl, so lengths follow the real collection
//   (mostly one-line headline bodies, some full articles) and keep the title/body correlation.
// - The generator is std::mt19937_64 (fully specified by the C++ standard) with our own
//   integer-to-range mapping, so one seed gives the same file on every platform.
// Word order carries no meaning: use this for build time, size, memory and latency at scale,
// never for relevance.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_common.h"

namespace rb = rasai_bench;

namespace {

[[noreturn]] void Usage(const std::string& msg) {
  if (!msg.empty()) std::cerr << "error: " << msg << "\n";
  std::cerr << "usage: rasai-synth --docs N --out FILE [--seed S] [--data DIR]\n";
  std::exit(msg.empty() ? 0 : 2);
}

// Uniform integer in [0, n) from one 64-bit draw (multiply-high; bias below 2^-64 * n).
uint64_t Below(std::mt19937_64& rng, uint64_t n) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(rng()) * n) >> 64);
}

size_t CountWords(const std::string& s) {
  size_t n = 0;
  bool in = false;
  for (unsigned char c : s) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space && !in) ++n;
    in = !space;
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t ndocs = 0;
  std::string out_path, data_flag;
  uint64_t seed = 20261128;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--docs") ndocs = std::stoull(value());
    else if (a == "--out") out_path = value();
    else if (a == "--seed") seed = std::stoull(value());
    else if (a == "--data") data_flag = value();
    else if (a == "-h" || a == "--help") Usage("");
    else Usage("unknown argument " + a);
  }
  if (ndocs == 0 || out_path.empty()) Usage("--docs N (N > 0) and --out FILE are required");
  std::string data = rb::ResolveDataDir(data_flag);

  // Word distribution.
  std::vector<std::string> words;  // JSON-escaped, without quotes
  std::vector<uint64_t> cumulative;
  {
    std::string path = data + "/urdu/wordfreq/makhzan-word-frequency.json";
    std::ifstream in(path);
    if (!in) {
      std::cerr << "error: cannot open " << path << "\n";
      return 2;
    }
    nlohmann::json table = nlohmann::json::parse(in, nullptr, false);
    if (!table.is_object()) {
      std::cerr << "error: " << path << " is not a JSON object of word -> count\n";
      return 2;
    }
    uint64_t total = 0;
    for (auto it = table.begin(); it != table.end(); ++it) {
      if (!it.value().is_number_integer() || it.value().get<int64_t>() <= 0 || it.key().empty()) continue;
      std::string esc = nlohmann::json(it.key()).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      words.push_back(esc.substr(1, esc.size() - 2));
      total += it.value().get<uint64_t>();
      cumulative.push_back(total);
    }
    if (words.empty()) {
      std::cerr << "error: no words in " << path << "\n";
      return 2;
    }
  }

  // Length distribution (title words, body words) of the real collection.
  std::vector<std::pair<uint32_t, uint32_t>> lengths;
  try {
    for (const char* f : {"/urdu/urdu-news.jsonl", "/urdu/urdu-headlines.jsonl"}) {
      for (const auto& d : rb::LoadJsonlDocs(data + f))
        lengths.emplace_back(static_cast<uint32_t>(CountWords(d.title)), static_cast<uint32_t>(CountWords(d.body)));
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }

  std::ofstream out(out_path, std::ios::binary);
  if (!out) {
    std::cerr << "error: cannot write " << out_path << "\n";
    return 2;
  }
  std::mt19937_64 rng(seed);
  const uint64_t total = cumulative.back();
  auto word = [&]() -> const std::string& {
    uint64_t u = Below(rng, total);
    size_t k = static_cast<size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
    return words[k];
  };
  std::string line;
  uint64_t bytes = 0, body_words = 0;
  for (uint64_t n = 0; n < ndocs; ++n) {
    auto [tlen, blen] = lengths[Below(rng, lengths.size())];
    line.clear();
    line += "{\"id\":\"synth-" + std::to_string(n) + "\",\"title\":\"";
    for (uint32_t i = 0; i < tlen; ++i) {
      if (i) line += ' ';
      line += word();
    }
    line += "\",\"body\":\"";
    for (uint32_t i = 0; i < blen; ++i) {
      if (i) line += ' ';
      line += word();
    }
    if (blen) line += "\xDB\x94";  // U+06D4 ARABIC FULL STOP ends the body
    line += "\",\"lang\":\"ur\",\"synthetic\":true}\n";
    out << line;
    bytes += line.size();
    body_words += blen;
  }
  out.close();
  if (!out) {
    std::cerr << "error: writing " << out_path << " failed\n";
    return 1;
  }
  std::cerr << "rasai-synth: " << ndocs << " synthetic documents, " << rb::FmtBytes(bytes) << ", mean body "
            << rb::Fmt(static_cast<double>(body_words) / static_cast<double>(ndocs), 1) << " words (seed " << seed
            << ", " << words.size() << " word types, " << lengths.size() << " real length samples) -> " << out_path
            << "\n";
  return 0;
}
