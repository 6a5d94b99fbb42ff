// rasai-index-bench: what an index costs to build, hold and query, for Rasai, Xapian and FTS5.
//
//   rasai-index-bench [--data DIR] [--input FILE.jsonl]... [--engines rasai,xapian,fts5]
//                     [--queries FILE]... [--limit N] [--warmup N] [--workdir DIR] [--keep] [--json FILE]
//
// Documents: urdu-news.jsonl + urdu-headlines.jsonl by default (or the --input files, e.g. a
// rasai-synth collection), fields title + body indexed, the other fields stored.
// Every measurement of an engine runs in its own child process (fork, then wait4() for the
// child's rusage), so that peak memories never mix:
//   - input:  a child that only reads the documents into memory (the baseline every build child
//             also pays);
//   - build:  reading the documents, then Build (add all, commit) - the build time covers Build only;
//             peak RSS (ru_maxrss) of the child, and that peak minus the input baseline;
//   - size:   bytes of every file in the index folder after the build (stored text included:
//             Xapian keeps each document's JSON as its data, FTS5 its table content);
//   - query:  a fresh child opens the index, runs the first N (--warmup, default 100) queries of
//             each file untimed, then every query once timed, one thread; p50/p95/p99 of the per-query wall time; the child's peak RSS.
//             What each query returned is kept (outside the timed call) and reported beside the
//             times: the share of queries answered with at least one hit, MRR@10 against the
//             file's relevant ids, and p50/p95 over the answered queries only. A ratio against
//             a peer that answers few queries compares with the time it takes to find nothing.
// Ratios are Rasai / peer, from this one run. Note that RSS counts the pages of mmapped files a
// process touches (Rasai reads its index through mmap), while pread-based engines (Xapian, SQLite)
// read through the kernel page cache, which RSS does not count.
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_common.h"
#include "engines.h"

namespace rb = rasai_bench;
using nlohmann::json;

namespace {

struct Options {
  std::string data;
  std::vector<std::string> inputs;
  std::vector<std::string> engines;
  std::vector<std::string> query_files;
  size_t limit = 0;
  size_t warmup = 100;
  std::string workdir;
  bool keep = false;
  std::string json_out;
};

[[noreturn]] void Usage(const std::string& msg) {
  if (!msg.empty()) std::cerr << "error: " << msg << "\n";
  std::cerr << "usage: rasai-index-bench [--data DIR] [--input FILE.jsonl]... [--engines NAME,...]\n"
               "         [--queries FILE]... [--limit N] [--warmup N] [--workdir DIR] [--keep] [--json FILE]\n"
               "engines available in this build:";
  for (const auto& e : rb::AvailableEngines()) std::cerr << " " << e;
  std::cerr << "\n";
  std::exit(msg.empty() ? 0 : 2);
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
    else if (a == "--input") o.inputs.push_back(value());
    else if (a == "--engines") {
      std::stringstream ss(value());
      std::string e;
      while (std::getline(ss, e, ',')) if (!e.empty()) o.engines.push_back(e);
    } else if (a == "--queries") o.query_files.push_back(value());
    else if (a == "--limit") o.limit = std::stoul(value());
    else if (a == "--warmup") o.warmup = std::stoul(value());
    else if (a == "--workdir") o.workdir = value();
    else if (a == "--keep") o.keep = true;
    else if (a == "--json") o.json_out = value();
    else if (a == "-h" || a == "--help") Usage("");
    else Usage("unknown argument " + a);
  }
  if (o.engines.empty()) o.engines = rb::AvailableEngines();
  for (const auto& e : o.engines) {
    bool ok = false;
    for (const auto& a : rb::AvailableEngines()) ok |= a == e;
    if (!ok) Usage("engine not available in this build: " + e);
  }
  return o;
}

struct ChildResult {
  json payload;         // what the child reported
  long maxrss_kb = 0;   // the child's peak resident set
  bool ok = false;
  std::string error;
};

// Runs `fn` in a child process; `fn` returns a JSON payload, sent back through a pipe.
template <class Fn>
ChildResult RunInChild(Fn fn) {
  ChildResult r;
  int fds[2];
  if (pipe(fds) != 0) {
    r.error = "pipe failed";
    return r;
  }
  std::cout.flush();
  std::cerr.flush();
  pid_t pid = fork();
  if (pid < 0) {
    r.error = "fork failed";
    return r;
  }
  if (pid == 0) {
    close(fds[0]);
    std::string out;
    int code = 0;
    try {
      out = fn().dump();
    } catch (const std::exception& e) {
      out = json{{"error", e.what()}}.dump();
      code = 1;
    }
    size_t off = 0;
    while (off < out.size()) {
      ssize_t w = write(fds[1], out.data() + off, out.size() - off);
      if (w <= 0) break;
      off += static_cast<size_t>(w);
    }
    close(fds[1]);
    _exit(code);
  }
  close(fds[1]);
  std::string buf;
  char tmp[65536];
  for (;;) {
    ssize_t n = read(fds[0], tmp, sizeof tmp);
    if (n <= 0) break;
    buf.append(tmp, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  struct rusage ru;
  std::memset(&ru, 0, sizeof ru);
  if (wait4(pid, &status, 0, &ru) != pid) {
    r.error = "wait4 failed";
    return r;
  }
  r.maxrss_kb = ru.ru_maxrss;
  r.payload = json::parse(buf, nullptr, false);
  if (r.payload.is_discarded()) r.payload = json::object();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    r.error = r.payload.contains("error") ? r.payload["error"].get<std::string>()
                                          : "child failed (status " + std::to_string(status) + ")";
    return r;
  }
  r.ok = true;
  return r;
}

std::vector<rb::BenchDoc> LoadInputs(const std::vector<std::string>& inputs) {
  std::vector<rb::BenchDoc> docs;
  for (const auto& f : inputs) {
    auto part = rb::LoadJsonlDocs(f);
    for (auto& d : part) docs.push_back(std::move(d));
  }
  return docs;
}

double Mb(long kb) { return static_cast<double>(kb) / 1024.0; }
double MbBytes(uint64_t b) { return static_cast<double>(b) / (1024.0 * 1024.0); }

std::string Ratio(double a, double b) {
  if (!(b > 0) || !(a >= 0)) return "n/a";
  double r = a / b;
  return rb::Fmt(r, r < 0.1 ? 3 : 2) + "x";
}

}  // namespace

int main(int argc, char** argv) {
  Options o = Parse(argc, argv);
  std::string data = rb::ResolveDataDir(o.data);
  if (o.inputs.empty()) o.inputs = {data + "/urdu/urdu-news.jsonl", data + "/urdu/urdu-headlines.jsonl"};
  if (o.query_files.empty())
    o.query_files = {"queries-dev.tsv", "queries-dev-variant.tsv", "queries-dev-mid.tsv", "queries-dev-summary.tsv"};
  std::vector<rb::QuerySet> sets;
  try {
    for (const auto& q : o.query_files) {
      sets.push_back(rb::LoadTsvQueries(q.find('/') == std::string::npos ? data + "/urdu/" + q : q));
      if (o.limit && sets.back().queries.size() > o.limit) sets.back().queries.resize(o.limit);
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
  std::string workdir = o.workdir.empty() ? rb::MakeTempDir("rasai-index-bench") : o.workdir;

  // 1. The input baseline.
  std::cerr << "input: reading documents in a child...\n";
  ChildResult input = RunInChild([&]() {
    auto t0 = std::chrono::steady_clock::now();
    std::vector<rb::BenchDoc> docs = LoadInputs(o.inputs);
    uint64_t text = 0;
    for (const auto& d : docs) text += d.title.size() + d.body.size();
    return json{{"docs", docs.size()}, {"text_bytes", text}, {"read_s", rb::MsSince(t0) / 1000.0}};
  });
  if (!input.ok) {
    std::cerr << "error: reading the input: " << input.error << "\n";
    return 1;
  }
  uint64_t ndocs = input.payload["docs"].get<uint64_t>();
  std::cerr << "  " << ndocs << " documents, peak RSS " << rb::Fmt(Mb(input.maxrss_kb), 1) << " MB\n";

  struct EngineRow {
    std::string name, config;
    double build_s = -1;
    long build_rss_kb = 0, query_rss_kb = 0;
    uint64_t disk = 0;
    // variant label -> set name -> {p50, p95, p99}
    std::vector<std::pair<std::string, std::vector<std::array<double, 3>>>> latency;
    // Per label and file: share answered, MRR@10, p50 and p95 over the answered queries.
    std::vector<std::pair<std::string, std::vector<std::array<double, 4>>>> answers;
    std::string error;
  };
  std::vector<EngineRow> rows;

  for (const std::string& ename : o.engines) {
    EngineRow row;
    row.name = ename;
    std::string dir = workdir + "/" + ename;
    rb::RemoveTree(dir);
    if (::mkdir(dir.c_str(), 0755) != 0) {
      std::cerr << "error: cannot create " << dir << "\n";
      return 1;
    }
    std::cerr << ename << ": build in a child...\n";
    ChildResult build = RunInChild([&]() {
      std::vector<rb::BenchDoc> docs = LoadInputs(o.inputs);
      auto engine = rb::MakeEngine(ename, "ur", dir);
      auto t0 = std::chrono::steady_clock::now();
      engine->Build(docs);
      double s = rb::MsSince(t0) / 1000.0;
      return json{{"build_s", s}, {"config", engine->config()}};
    });
    if (!build.ok) {
      row.error = "build: " + build.error;
      std::cerr << "  " << row.error << "\n";
      rows.push_back(row);
      continue;
    }
    row.build_s = build.payload["build_s"].get<double>();
    row.config = build.payload["config"].get<std::string>();
    row.build_rss_kb = build.maxrss_kb;
    row.disk = rb::DiskBytes(dir);
    std::cerr << "  " << rb::Fmt(row.build_s, 2) << " s, peak " << rb::Fmt(Mb(row.build_rss_kb), 1) << " MB, "
              << rb::FmtBytes(row.disk) << " on disk\n";

    std::cerr << ename << ": queries in a child...\n";
    ChildResult query = RunInChild([&]() {
      auto engine = rb::MakeEngine(ename, "ur", dir);
      engine->OpenForSearch();
      json out = json::object();
      auto labels = engine->variants();
      for (size_t v = 0; v < labels.size(); ++v) {
        for (const auto& qs : sets) {
          for (size_t i = 0; i < std::min(o.warmup, qs.queries.size()); ++i)
            (void)engine->Search(v, qs.queries[i].text, 10);  // warm-up
          std::vector<double> lat, answered_lat;
          lat.reserve(qs.queries.size());
          std::vector<std::vector<std::string>> got(qs.queries.size());
          for (size_t i = 0; i < qs.queries.size(); ++i) {
            auto t0 = std::chrono::steady_clock::now();
            std::vector<std::string> ids = engine->Search(v, qs.queries[i].text, 10);
            lat.push_back(rb::MsSince(t0));
            got[i] = std::move(ids);
          }
          double rr = 0;
          for (size_t i = 0; i < qs.queries.size(); ++i) {
            if (!got[i].empty()) answered_lat.push_back(lat[i]);
            rr += rb::ScoreQuery(qs.queries[i], got[i], 10).rr;
          }
          const double nq = static_cast<double>(std::max<size_t>(qs.queries.size(), 1));
          out[labels[v]][qs.name] = {rb::Percentile(lat, 0.5), rb::Percentile(lat, 0.95), rb::Percentile(lat, 0.99),
                                     static_cast<double>(answered_lat.size()) / nq, rr / nq,
                                     rb::Percentile(answered_lat, 0.5), rb::Percentile(answered_lat, 0.95)};
        }
      }
      out["_order"] = labels;
      return out;
    });
    if (!query.ok) {
      row.error = "query: " + query.error;
      std::cerr << "  " << row.error << "\n";
    } else {
      row.query_rss_kb = query.maxrss_kb;
      for (const auto& label : query.payload["_order"]) {
        std::vector<std::array<double, 3>> per_set;
        std::vector<std::array<double, 4>> per_set_answers;
        auto num = [](const json& x) { return x.is_number() ? x.get<double>() : std::nan(""); };  // NaN: none
        for (const auto& qs : sets) {
          const auto& a = query.payload[label.get<std::string>()][qs.name];
          per_set.push_back({num(a[0]), num(a[1]), num(a[2])});
          per_set_answers.push_back({num(a[3]), num(a[4]), num(a[5]), num(a[6])});
        }
        row.latency.emplace_back(label.get<std::string>(), per_set);
        row.answers.emplace_back(label.get<std::string>(), per_set_answers);
      }
    }
    rows.push_back(row);
    if (!o.keep) rb::RemoveTree(dir);
  }
  if (!o.keep && o.workdir.empty()) rb::RemoveTree(workdir);

  // Report.
  std::ostringstream md;
  md << "## Index: " << ndocs << " documents (title+body indexed), "
     << rb::Fmt(MbBytes(input.payload["text_bytes"].get<uint64_t>()), 1) << " MB of title+body text\n\n";
  md << "Input baseline (a child that only reads the documents): peak RSS " << rb::Fmt(Mb(input.maxrss_kb), 1)
     << " MB.\n\n";
  md << "| engine | build s | build peak RSS MB | build peak minus input MB | size on disk MB | query peak RSS MB |\n";
  md << "|---|---:|---:|---:|---:|---:|\n";
  for (const auto& r : rows) {
    if (r.build_s < 0) {
      md << "| " << r.name << " | failed: " << r.error << " | | | | |\n";
      continue;
    }
    md << "| " << r.name << " | " << rb::Fmt(r.build_s, 2) << " | " << rb::Fmt(Mb(r.build_rss_kb), 1) << " | "
       << rb::Fmt(Mb(r.build_rss_kb - input.maxrss_kb), 1) << " | " << rb::Fmt(MbBytes(r.disk), 1) << " | "
       << (r.query_rss_kb ? rb::Fmt(Mb(r.query_rss_kb), 1) : "n/a") << " |\n";
  }
  md << "\nSingle-thread query latency, ms (p50 / p95 / p99), after " << o.warmup
     << " untimed queries per file:\n\n";
  md << "| engine |";
  for (const auto& qs : sets) md << " " << qs.name << " (" << qs.queries.size() << "q) |";
  md << "\n|---|";
  for (size_t i = 0; i < sets.size(); ++i) md << "---:|";
  md << "\n";
  for (const auto& r : rows) {
    for (const auto& [label, per_set] : r.latency) {
      md << "| " << label << " |";
      for (const auto& a : per_set) md << " " << rb::Fmt(a[0], 2) << " / " << rb::Fmt(a[1], 2) << " / " << rb::Fmt(a[2], 2) << " |";
      md << "\n";
    }
  }
  md << "\nWhat the same runs returned: share of queries answered with at least one hit, MRR@10, and "
        "p50 / p95 ms over the answered queries only:\n\n";
  md << "| engine |";
  for (const auto& qs : sets) md << " " << qs.name << " |";
  md << "\n|---|";
  for (size_t i = 0; i < sets.size(); ++i) md << "---:|";
  md << "\n";
  for (const auto& r : rows) {
    for (const auto& [label, per_set] : r.answers) {
      md << "| " << label << " |";
      for (const auto& a : per_set)
        md << " " << rb::Fmt(100 * a[0], 1) << "%, " << rb::Fmt(a[1], 3) << ", " << rb::Fmt(a[2], 2) << " / "
           << rb::Fmt(a[3], 2) << " |";
      md << "\n";
    }
  }
  // Ratios Rasai / peer.
  const EngineRow* rasai = nullptr;
  for (const auto& r : rows) if (r.name == "rasai" && r.build_s >= 0) rasai = &r;
  if (rasai) {
    md << "\nRatios Rasai / peer (below 1 = Rasai smaller or faster), this run:\n\n";
    md << "| peer | build time | build peak RSS | size on disk | query peak RSS |";
    for (const auto& qs : sets) md << " " << qs.name << " p50 | p95 |";
    md << "\n|---|---:|---:|---:|---:|";
    for (size_t i = 0; i < sets.size(); ++i) md << "---:|---:|";
    md << "\n";
    const auto& rl = rasai->latency.empty() ? std::vector<std::array<double, 3>>() : rasai->latency[0].second;
    for (const auto& r : rows) {
      if (&r == rasai || r.build_s < 0) continue;
      for (const auto& [label, per_set] : r.latency) {
        md << "| " << label << " | " << Ratio(rasai->build_s, r.build_s) << " | "
           << Ratio(static_cast<double>(rasai->build_rss_kb), static_cast<double>(r.build_rss_kb)) << " | "
           << Ratio(static_cast<double>(rasai->disk), static_cast<double>(r.disk)) << " | "
           << Ratio(static_cast<double>(rasai->query_rss_kb), static_cast<double>(r.query_rss_kb)) << " |";
        for (size_t i = 0; i < per_set.size(); ++i) {
          if (i < rl.size()) md << " " << Ratio(rl[i][0], per_set[i][0]) << " | " << Ratio(rl[i][1], per_set[i][1]) << " |";
          else md << " n/a | n/a |";
        }
        md << "\n";
      }
    }
  }
  md << "\nConfigurations:\n";
  for (const auto& r : rows) md << "- " << r.name << ": " << (r.config.empty() ? r.error : r.config) << "\n";
  std::cout << md.str() << std::flush;

  if (!o.json_out.empty()) {
    json j;
    j["tool"] = "rasai-index-bench";
    j["documents"] = ndocs;
    j["input_peak_rss_kb"] = input.maxrss_kb;
    for (const auto& r : rows) {
      json jr{{"engine", r.name}, {"config", r.config}, {"build_s", r.build_s}, {"build_peak_rss_kb", r.build_rss_kb},
              {"disk_bytes", r.disk}, {"query_peak_rss_kb", r.query_rss_kb}, {"error", r.error}};
      for (const auto& [label, per_set] : r.latency) {
        for (size_t i = 0; i < per_set.size(); ++i)
          jr["latency_ms"][label][sets[i].name] = {{"p50", per_set[i][0]}, {"p95", per_set[i][1]}, {"p99", per_set[i][2]}};
      }
      for (const auto& [label, per_set] : r.answers) {
        for (size_t i = 0; i < per_set.size(); ++i)
          jr["answers"][label][sets[i].name] = {{"answered", per_set[i][0]}, {"mrr10", per_set[i][1]},
                                                {"answered_p50_ms", per_set[i][2]}, {"answered_p95_ms", per_set[i][3]}};
      }
      j["engines"].push_back(jr);
    }
    std::ofstream(o.json_out) << j.dump(2) << "\n";
  }
  for (const auto& r : rows) if (!r.error.empty()) return 1;
  return 0;
}
