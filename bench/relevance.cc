// rasai-relevance: relevance and query latency of Rasai, Xapian and SQLite FTS5, side by side, on
// the shared evaluation collections (Urdu known-item queries; Cranfield and TIME with judgments).
//
//   rasai-relevance [--data DIR] [--suite urdu|cranfield|time|english|all] [--engines rasai,xapian,fts5]
//                   [--queries FILE]... [--limit N] [--warmup N] [--json FILE] [--results DIR]
//                   [--workdir DIR] [--keep] [--cranfield-base-gain G]
//
// --results DIR writes DIR/<collection>.<engine>.<query file>.jsonl, one line per query in the shape
// of `rasai search --json` ({"qid","query","took_ms","hits":[{"id"}]}), so that
// ../shared/tools/score-queries can check the figures.
//
// For each collection every engine builds its index (timed: adding the documents and the final
// commit, not reading the input), then answers the first N (--warmup, default 100) queries of each
// query file untimed (warm-up), then every query once, timed; the timed pass is scored. Measures over the top 10: MRR@10, Recall@10,
// nDCG@10 (linear gains, graded where the judgments are), and p50/p95 of the per-query wall time
// (parse + rank + fetching the ids, one thread).
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_common.h"
#include "engines.h"

namespace rb = rasai_bench;

namespace {

struct Options {
  std::string data;
  std::string suite = "all";
  std::vector<std::string> engines;
  std::vector<std::string> query_files;
  size_t limit = 0;
  size_t warmup = 100;  // untimed queries per file before the timed pass
  std::string json_out;
  std::string results_dir;  // per-query results in the `rasai search --json` shape, for score-queries
  std::string workdir;
  bool keep = false;
  int cranfield_base_gain = 0;
};

[[noreturn]] void Usage(const std::string& msg) {
  if (!msg.empty()) std::cerr << "error: " << msg << "\n";
  std::cerr << "usage: rasai-relevance [--data DIR] [--suite urdu|cranfield|time|english|all]\n"
               "         [--engines NAME,...] [--queries FILE]... [--limit N] [--warmup N]\n"
               "         [--json FILE] [--results DIR] [--workdir DIR] [--keep] [--cranfield-base-gain G]\n"
               "engines available in this build:";
  for (const auto& e : rb::AvailableEngines()) std::cerr << " " << e;
  std::cerr << "\n";
  std::exit(msg.empty() ? 0 : 2);
}

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, ',')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--data") o.data = value();
    else if (a == "--suite") o.suite = value();
    else if (a == "--engines") o.engines = SplitComma(value());
    else if (a == "--queries") o.query_files.push_back(value());
    else if (a == "--limit") o.limit = std::stoul(value());
    else if (a == "--warmup") o.warmup = std::stoul(value());
    else if (a == "--json") o.json_out = value();
    else if (a == "--results") o.results_dir = value();
    else if (a == "--workdir") o.workdir = value();
    else if (a == "--keep") o.keep = true;
    else if (a == "--cranfield-base-gain") o.cranfield_base_gain = std::stoi(value());
    else if (a == "-h" || a == "--help") Usage("");
    else Usage("unknown argument " + a);
  }
  if (o.engines.empty()) o.engines = rb::AvailableEngines();
  for (const auto& e : o.engines) {
    bool ok = false;
    for (const auto& a : rb::AvailableEngines()) ok |= a == e;
    if (!ok) Usage("engine not available in this build: " + e);
  }
  if (o.query_files.empty())
    o.query_files = {"queries-dev.tsv", "queries-dev-variant.tsv", "queries-dev-mid.tsv", "queries-dev-summary.tsv"};
  return o;
}

struct SetResult {
  std::string set;
  size_t queries = 0;
  double mrr = 0, recall = 0, ndcg = 0, p50 = 0, p95 = 0;
};

struct RowResult {
  std::string label;  // engine variant
  std::string engine;
  double build_s = 0;
  uint64_t disk_bytes = 0;
  std::vector<SetResult> sets;
};

std::string ShortName(const std::string& set) {
  if (set.rfind("queries-", 0) == 0) return set.substr(8);
  return set;
}

nlohmann::json RunCollection(const rb::Collection& c, const Options& o, const std::string& workdir) {
  std::cerr << "== " << c.name << ": " << c.docs.size() << " documents\n";
  std::vector<RowResult> rows;
  std::vector<std::pair<std::string, std::string>> configs;
  for (const std::string& ename : o.engines) {
    std::string dir = workdir + "/" + c.name + "-" + ename;
    rb::RemoveTree(dir);
    if (::mkdir(dir.c_str(), 0755) != 0) throw std::runtime_error("cannot create " + dir);
    std::unique_ptr<rb::Engine> engine = rb::MakeEngine(ename, c.language, dir);
    configs.emplace_back(ename, engine->config());
    std::cerr << "   " << ename << ": building..." << std::flush;
    auto t0 = std::chrono::steady_clock::now();
    engine->Build(c.docs);
    double build_s = rb::MsSince(t0) / 1000.0;
    uint64_t bytes = rb::DiskBytes(dir);
    std::cerr << " " << rb::Fmt(build_s, 2) << " s, " << rb::FmtBytes(bytes) << "\n";
    engine->OpenForSearch();
    std::vector<std::string> labels = engine->variants();
    for (size_t v = 0; v < labels.size(); ++v) {
      RowResult row;
      row.label = labels[v];
      row.engine = ename;
      row.build_s = build_s;
      row.disk_bytes = bytes;
      for (const rb::QuerySet& qs : c.query_sets) {
        size_t nq = o.limit ? std::min(o.limit, qs.queries.size()) : qs.queries.size();
        for (size_t i = 0; i < std::min(nq, o.warmup); ++i) (void)engine->Search(v, qs.queries[i].text, 10);
        std::vector<double> lat;
        lat.reserve(nq);
        SetResult sr;
        sr.set = qs.name;
        sr.queries = nq;
        std::ofstream results;
        if (!o.results_dir.empty()) {
          std::string path = o.results_dir + "/" + c.name + "." + labels[v] + "." + qs.name + ".jsonl";
          results.open(path);
          if (!results) throw std::runtime_error("cannot write " + path);
        }
        for (size_t i = 0; i < nq; ++i) {
          auto q0 = std::chrono::steady_clock::now();
          std::vector<std::string> ids = engine->Search(v, qs.queries[i].text, 10);
          lat.push_back(rb::MsSince(q0));
          if (results.is_open()) {
            nlohmann::json line{{"qid", qs.queries[i].qid}, {"query", qs.queries[i].text}, {"took_ms", lat.back()}};
            line["hits"] = nlohmann::json::array();
            for (const auto& id : ids) line["hits"].push_back({{"id", id}});
            results << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
          }
          rb::QueryScores s = rb::ScoreQuery(qs.queries[i], ids, 10);
          sr.mrr += s.rr;
          sr.recall += s.recall;
          sr.ndcg += s.ndcg;
        }
        if (nq) {
          sr.mrr /= static_cast<double>(nq);
          sr.recall /= static_cast<double>(nq);
          sr.ndcg /= static_cast<double>(nq);
        }
        sr.p50 = rb::Percentile(lat, 0.5);
        sr.p95 = rb::Percentile(lat, 0.95);
        std::cerr << "   " << row.label << " " << qs.name << ": MRR@10 " << rb::Fmt(sr.mrr, 3) << " p50 "
                  << rb::Fmt(sr.p50, 2) << " ms\n";
        row.sets.push_back(sr);
      }
      rows.push_back(std::move(row));
    }
    if (!o.keep) rb::RemoveTree(dir);
  }

  // Markdown.
  std::ostringstream md;
  md << "### " << c.name << " (" << c.docs.size() << " documents)\n\n";
  md << c.notes << "\n\n";
  md << "| engine | build s | index MB |";
  std::string sep = "|---|---:|---:|";
  for (const auto& qs : c.query_sets) {
    std::string s = ShortName(qs.name);
    size_t nq = o.limit ? std::min(o.limit, qs.queries.size()) : qs.queries.size();
    md << " " << s << " (" << nq << "q) MRR@10 | R@10 | nDCG@10 | p50 ms | p95 ms |";
    sep += "---:|---:|---:|---:|---:|";
  }
  md << "\n" << sep << "\n";
  for (const auto& r : rows) {
    md << "| " << r.label << " | " << rb::Fmt(r.build_s, 2) << " | "
       << rb::Fmt(static_cast<double>(r.disk_bytes) / (1024.0 * 1024.0), 1) << " |";
    for (const auto& s : r.sets) {
      md << " " << rb::Fmt(s.mrr, 3) << " | " << rb::Fmt(s.recall, 3) << " | " << rb::Fmt(s.ndcg, 3) << " | "
         << rb::Fmt(s.p50, 2) << " | " << rb::Fmt(s.p95, 2) << " |";
    }
    md << "\n";
  }
  md << "\nConfigurations:\n";
  for (const auto& [n, cfg] : configs) md << "- " << n << ": " << cfg << "\n";
  md << "\n";
  std::cout << md.str() << std::flush;

  nlohmann::json j;
  j["collection"] = c.name;
  j["documents"] = c.docs.size();
  j["notes"] = c.notes;
  for (const auto& [n, cfg] : configs) j["configs"][n] = cfg;
  for (const auto& r : rows) {
    nlohmann::json jr;
    jr["label"] = r.label;
    jr["engine"] = r.engine;
    jr["build_s"] = r.build_s;
    jr["disk_bytes"] = r.disk_bytes;
    for (const auto& s : r.sets) {
      jr["sets"].push_back({{"set", s.set}, {"queries", s.queries}, {"mrr10", s.mrr}, {"recall10", s.recall},
                            {"ndcg10", s.ndcg}, {"p50_ms", s.p50}, {"p95_ms", s.p95}});
    }
    j["rows"].push_back(jr);
  }
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = Parse(argc, argv);
  std::string data = rb::ResolveDataDir(o.data);
  std::vector<std::string> suites;
  if (o.suite == "all") suites = {"urdu", "cranfield", "time"};
  else if (o.suite == "english") suites = {"cranfield", "time"};
  else if (o.suite == "urdu" || o.suite == "cranfield" || o.suite == "time") suites = {o.suite};
  else Usage("unknown suite " + o.suite);

  std::string workdir = o.workdir.empty() ? rb::MakeTempDir("rasai-relevance") : o.workdir;
  if (!o.results_dir.empty()) ::mkdir(o.results_dir.c_str(), 0755);
  nlohmann::json out;
  out["tool"] = "rasai-relevance";
  out["engines"] = o.engines;
  out["warmup"] = o.warmup;
  int rc = 0;
  try {
    std::cout << "## Relevance (top 10; one thread; latency = wall time per query, after " << o.warmup
              << " untimed warm-up queries per file)\n\n";
    for (const std::string& s : suites) {
      rb::Collection c = s == "urdu"        ? rb::LoadUrdu(data, o.query_files)
                         : s == "cranfield" ? rb::LoadCranfield(data, o.cranfield_base_gain)
                                            : rb::LoadTime(data);
      out["collections"].push_back(RunCollection(c, o, workdir));
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    rc = 1;
  }
  if (!o.keep && o.workdir.empty()) rb::RemoveTree(workdir);
  if (!o.json_out.empty()) {
    std::ofstream f(o.json_out);
    f << out.dump(2) << "\n";
  }
  return rc;
}
