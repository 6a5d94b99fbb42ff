// rasai-ingest-bench: what it costs to index a collection end to end, reading included, with
// Rasai's `rasai index` against SQLite FTS5, in one run, rounds interleaved.
//
//   rasai-ingest-bench [--data DIR] [--rasai BUILD/rasai] [--zim FILE.zim] [--rounds N]
//                      [--rows rasai,fts5-python,fts5-cpp,rasai-zim] [--workdir DIR] [--json FILE]
//
// Documents: urdu-news.jsonl + urdu-headlines.jsonl (74,673). Every row runs in a child process
// (fork, then wait4() for its CPU time and peak RSS), into a fresh folder, once per round; the
// rows take turns within a round, so that a busy machine slows them alike. Before the first
// round every input is read once untimed, so that every row reads from the page cache.
//   rasai        `rasai index --index DIR news.jsonl headlines.jsonl`: the command an operator runs
//                (default fields title, summary, body; boilerplate openings removed; commit).
//   fts5-python  python3 reading each line with the json module and inserting it into an FTS5
//                table (the peer of issue 17): columns id UNINDEXED, title, summary, body,
//                meta UNINDEXED (url, date, lang, source, category as JSON), tokenize
//                'unicode61 remove_diacritics 2', one transaction.
//   fts5-cpp     the same table fed from C++: lines read with simdjson, one prepared INSERT, one
//                transaction (the fastest way an application feeds FTS5; SQLite inserts on one
//                thread).
//   rasai-zim    `rasai index --index DIR FILE.zim`: the same documents as a ZIM archive (one HTML
//                page per document, bench/zim/jsonl_to_zim.py), when --zim is given.
//   rasai-4x     `rasai index` of one file holding the documents 4 times (copy k's ids prefixed
//                "k/", so 298,692 distinct documents, written untimed before the first round):
//                peak memory against input size.
// The table: median wall time, CPU time (user + system), peak RSS and documents of each row,
// then the ratios of the medians and of each round's pair.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <simdjson.h>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_common.h"

namespace rb = rasai_bench;

namespace {

struct Options {
  std::string data, rasai, zim, workdir, json_out;
  int rounds = 3;
  std::vector<std::string> rows = {"rasai", "fts5-python", "fts5-cpp", "rasai-zim", "rasai-4x"};
};

[[noreturn]] void Usage(const std::string& msg) {
  if (!msg.empty()) std::cerr << "error: " << msg << "\n";
  std::cerr << "usage: rasai-ingest-bench [--data DIR] [--rasai PATH] [--zim FILE.zim] [--rounds N]\n"
               "         [--rows rasai,fts5-python,fts5-cpp,rasai-zim,rasai-4x] [--workdir DIR] [--json FILE]\n";
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
    else if (a == "--rasai") o.rasai = value();
    else if (a == "--zim") o.zim = value();
    else if (a == "--rounds") o.rounds = std::max(1, std::stoi(value()));
    else if (a == "--workdir") o.workdir = value();
    else if (a == "--json") o.json_out = value();
    else if (a == "--rows") {
      o.rows.clear();
      std::stringstream ss(value());
      std::string r;
      while (std::getline(ss, r, ','))
        if (!r.empty()) o.rows.push_back(r);
    } else if (a == "-h" || a == "--help") Usage("");
    else Usage("unknown argument " + a);
  }
  return o;
}

struct Run {
  double wall_s = 0, cpu_s = 0;
  long maxrss_kb = 0;
  uint64_t documents = 0;
  std::string error;
};

// Runs `fn` in a child; `fn` returns the number of documents it indexed (or throws).
template <class Fn>
Run InChild(Fn fn) {
  Run r;
  int fds[2];
  if (pipe(fds) != 0) {
    r.error = "pipe failed";
    return r;
  }
  std::cout.flush();
  std::cerr.flush();
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) {
    r.error = "fork failed";
    return r;
  }
  if (pid == 0) {
    close(fds[0]);
    std::string out;
    int code = 0;
    try {
      out = std::to_string(fn());
    } catch (const std::exception& e) {
      out = std::string("error: ") + e.what();
      code = 1;
    }
    if (write(fds[1], out.data(), out.size()) < 0) code = 1;
    close(fds[1]);
    _exit(code);
  }
  close(fds[1]);
  std::string buf;
  char tmp[4096];
  for (ssize_t n; (n = read(fds[0], tmp, sizeof tmp)) > 0;) buf.append(tmp, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  struct rusage ru;
  std::memset(&ru, 0, sizeof ru);
  wait4(pid, &status, 0, &ru);
  r.wall_s = rb::MsSince(t0) / 1000.0;
  r.cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
            static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  r.maxrss_kb = ru.ru_maxrss;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    r.error = buf.empty() ? "child failed (status " + std::to_string(status) + ")" : buf;
    return r;
  }
  r.documents = std::strtoull(buf.c_str(), nullptr, 10);
  return r;
}

// Runs a program (stdout to `out_file`, stderr to `err_file`) and returns its exit status.
int Exec(const std::vector<std::string>& argv, const std::string& out_file, const std::string& err_file) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out >= 0) dup2(out, 1);
    if (err >= 0) dup2(err, 2);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The number N of "indexed N documents" in rasai index's summary.
uint64_t IndexedCount(const std::string& out) {
  const size_t at = out.find("indexed ");
  return at == std::string::npos ? 0 : std::strtoull(out.c_str() + at + 8, nullptr, 10);
}

// `rasai index` of `inputs` into `dir`, as a child process of a child (InChild measures both).
uint64_t RasaiIndex(const std::string& rasai, const std::string& dir, const std::vector<std::string>& inputs,
                    const std::string& log) {
  std::vector<std::string> argv = {rasai, "index", "--index", dir};
  argv.insert(argv.end(), inputs.begin(), inputs.end());
  const int rc = Exec(argv, log + ".out", log + ".err");
  if (rc != 0) {
    std::string err = ReadText(log + ".err");
    throw std::runtime_error("rasai index exit " + std::to_string(rc) + ": " + err.substr(0, err.find('\n')));
  }
  return IndexedCount(ReadText(log + ".out"));
}

const char* kPythonFeeder = R"PY(
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, summary, body, meta UNINDEXED, "
           "tokenize='unicode61 remove_diacritics 2')")
db.execute("BEGIN")
n = 0
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            meta = json.dumps({k: d[k] for k in ("url", "date", "lang", "source", "category") if k in d},
                              ensure_ascii=False)
            db.execute("INSERT INTO docs(id, title, summary, body, meta) VALUES (?, ?, ?, ?, ?)",
                       (str(d["id"]), d.get("title") or "", d.get("summary") or "", d.get("body") or "", meta))
            n += 1
db.execute("COMMIT")
db.close()
print(n)
)PY";

uint64_t Fts5Python(const std::string& script, const std::string& db, const std::vector<std::string>& inputs,
                    const std::string& log) {
  std::vector<std::string> argv = {"python3", script, db};
  argv.insert(argv.end(), inputs.begin(), inputs.end());
  const int rc = Exec(argv, log + ".out", log + ".err");
  if (rc != 0) throw std::runtime_error("python3 exit " + std::to_string(rc) + ": " + ReadText(log + ".err").substr(0, 300));
  return std::strtoull(ReadText(log + ".out").c_str(), nullptr, 10);
}

uint64_t Fts5Cpp(const std::string& db_path, const std::vector<std::string>& inputs) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("sqlite open");
  auto exec = [&](const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(std::string("sqlite: ") + m);
    }
  };
  exec("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, summary, body, meta UNINDEXED, "
       "tokenize='unicode61 remove_diacritics 2')");
  exec("BEGIN");
  sqlite3_stmt* ins = nullptr;
  if (sqlite3_prepare_v2(db, "INSERT INTO docs(id, title, summary, body, meta) VALUES (?1, ?2, ?3, ?4, ?5)", -1, &ins,
                         nullptr) != SQLITE_OK)
    throw std::runtime_error("sqlite prepare");
  simdjson::dom::parser parser;
  uint64_t n = 0;
  for (const std::string& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      simdjson::dom::object o;
      if (parser.parse(line).get(o) != simdjson::SUCCESS) throw std::runtime_error("bad line in " + path);
      auto text = [&](const char* key) -> std::string_view {
        std::string_view v;
        return o[key].get(v) == simdjson::SUCCESS ? v : std::string_view();
      };
      // Views into the parser's strings: valid until the next parse.
      const std::string_view id = text("id"), title = text("title"), summary = text("summary"), body = text("body");
      std::string meta = "{";
      for (const char* k : {"url", "date", "lang", "source", "category"}) {
        simdjson::dom::element e;
        if (o[k].get(e) != simdjson::SUCCESS) continue;
        if (meta.size() > 1) meta += ',';
        meta += "\"";
        meta += k;
        meta += "\":" + simdjson::minify(e);
      }
      meta += "}";
      sqlite3_bind_text(ins, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
      sqlite3_bind_text(ins, 2, title.data(), static_cast<int>(title.size()), SQLITE_STATIC);
      sqlite3_bind_text(ins, 3, summary.data(), static_cast<int>(summary.size()), SQLITE_STATIC);
      sqlite3_bind_text(ins, 4, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
      sqlite3_bind_text(ins, 5, meta.data(), static_cast<int>(meta.size()), SQLITE_STATIC);
      if (sqlite3_step(ins) != SQLITE_DONE) throw std::runtime_error(std::string("insert: ") + sqlite3_errmsg(db));
      sqlite3_reset(ins);
      ++n;
    }
  }
  sqlite3_finalize(ins);
  exec("COMMIT");
  sqlite3_close(db);
  return n;
}

// Writes `copies` copies of the JSONL `inputs` to `out`, copy k's ids prefixed "k/" (k >= 2; the
// first copy as it is), so that every document is a distinct one. Returns the bytes written.
uint64_t WriteCopies(const std::vector<std::string>& inputs, int copies, const std::string& out) {
  std::ofstream o(out, std::ios::binary);
  uint64_t bytes = 0;
  for (int k = 1; k <= copies; ++k)
    for (const std::string& path : inputs) {
      std::ifstream in(path, std::ios::binary);
      std::string line;
      while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        if (k > 1) {
          nlohmann::json d = nlohmann::json::parse(line);
          const std::string id = d["id"].is_string() ? d["id"].get<std::string>() : d["id"].dump();
          d["id"] = std::to_string(k) + "/" + id;
          line = d.dump();
        }
        o << line << '\n';
        bytes += line.size() + 1;
      }
    }
  if (!o) throw std::runtime_error("cannot write " + out);
  return bytes;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = Parse(argc, argv);
  const std::string data = rb::ResolveDataDir(o.data);
  const std::vector<std::string> inputs = {data + "/urdu/urdu-news.jsonl", data + "/urdu/urdu-headlines.jsonl"};
  if (o.rasai.empty()) {
    // The rasai binary of this build: bench/../rasai.
    char self[4096];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    std::string dir = n > 0 ? std::string(self, static_cast<size_t>(n)) : std::string();
    dir = dir.substr(0, dir.find_last_of('/'));
    o.rasai = dir + "/../rasai";
  }
  std::vector<std::string> rows;
  for (const auto& r : o.rows) {
    if (r == "rasai-zim" && o.zim.empty()) {
      std::cerr << "note: no --zim FILE: the rasai-zim row is left out (bench/zim/jsonl_to_zim.py writes one)\n";
      continue;
    }
    if (r != "rasai" && r != "fts5-python" && r != "fts5-cpp" && r != "rasai-zim" && r != "rasai-4x")
      Usage("unknown row " + r);
    rows.push_back(r);
  }
  const std::string work = o.workdir.empty() ? rb::MakeTempDir("rasai-ingest-bench") : o.workdir;
  const std::string script = work + "/fts5_feed.py";
  std::ofstream(script) << kPythonFeeder;
  uint64_t input_bytes = 0;
  for (const auto& f : inputs) input_bytes += ReadText(f).size();  // also warms the page cache
  if (!o.zim.empty()) (void)ReadText(o.zim);
  const std::string four = work + "/urdu-4x.jsonl";
  uint64_t four_bytes = 0;
  if (std::find(rows.begin(), rows.end(), "rasai-4x") != rows.end()) {
    four_bytes = WriteCopies(inputs, 4, four);
    (void)ReadText(four);
  }

  std::map<std::string, std::vector<Run>> runs;
  for (int round = 0; round < o.rounds; ++round) {
    for (const std::string& row : rows) {
      const std::string dir = work + "/" + row + "-" + std::to_string(round);
      rb::RemoveTree(dir);
      ::mkdir(dir.c_str(), 0755);
      Run r;
      if (row == "rasai") {
        r = InChild([&] { return RasaiIndex(o.rasai, dir + "/index", inputs, dir + "/log"); });
      } else if (row == "rasai-4x") {
        r = InChild([&] { return RasaiIndex(o.rasai, dir + "/index", {four}, dir + "/log"); });
      } else if (row == "rasai-zim") {
        r = InChild([&] { return RasaiIndex(o.rasai, dir + "/index", {o.zim}, dir + "/log"); });
      } else if (row == "fts5-python") {
        r = InChild([&] { return Fts5Python(script, dir + "/fts5.db", inputs, dir + "/log"); });
      } else {
        r = InChild([&] { return Fts5Cpp(dir + "/fts5.db", inputs); });
      }
      std::cerr << "round " << round + 1 << " " << row << ": " << rb::Fmt(r.wall_s, 2) << " s wall, "
                << rb::Fmt(r.cpu_s, 2) << " s CPU, " << r.maxrss_kb / 1024 << " MB, " << r.documents << " documents"
                << (r.error.empty() ? "" : " ERROR " + r.error) << "\n";
      runs[row].push_back(r);
      rb::RemoveTree(dir);
    }
  }

  std::ostringstream md;
  char load[128] = "";
  if (std::ifstream la("/proc/loadavg"); la) la.getline(load, sizeof load);
  md << "## Indexing end to end: " << inputs.size() << " JSONL files, " << rb::Fmt(input_bytes / 1048576.0, 1)
     << " MB (urdu-news + urdu-headlines)" << (o.zim.empty() ? "" : ", and the same documents as a ZIM")
     << (four_bytes ? ", and 4 copies of them (" + rb::Fmt(four_bytes / 1048576.0, 1) + " MB)" : std::string())
     << "\n\n" << o.rounds << " rounds, rows interleaved; " << std::thread::hardware_concurrency()
     << " cores; load average at the end: " << load << "\n\n";
  md << "| row | documents | wall s (median) | CPU s (median) | peak RSS MB (median) | wall s, each round |\n";
  md << "|---|---:|---:|---:|---:|---|\n";
  std::map<std::string, double> wall, rss;
  for (const std::string& row : rows) {
    std::vector<double> w, c, m;
    std::string each, error;
    uint64_t docs = 0;
    for (const Run& r : runs[row]) {
      if (!r.error.empty()) {
        error = r.error;
        continue;
      }
      w.push_back(r.wall_s);
      c.push_back(r.cpu_s);
      m.push_back(r.maxrss_kb / 1024.0);
      docs = r.documents;
      each += (each.empty() ? "" : ", ") + rb::Fmt(r.wall_s, 2);
    }
    if (w.empty()) {
      md << "| " << row << " | failed: " << error.substr(0, 200) << " | | | | |\n";
      continue;
    }
    wall[row] = Median(w);
    rss[row] = Median(m);
    md << "| " << row << " | " << docs << " | " << rb::Fmt(Median(w), 2) << " | " << rb::Fmt(Median(c), 2) << " | "
       << rb::Fmt(Median(m), 1) << " | " << each << " |\n";
  }
  auto ratio = [&](const std::string& a, const std::string& b, const std::string& goal) {
    if (!wall.count(a) || !wall.count(b)) return;
    std::string pairs;
    for (size_t i = 0; i < std::min(runs[a].size(), runs[b].size()); ++i)
      if (runs[a][i].error.empty() && runs[b][i].error.empty() && runs[b][i].wall_s > 0)
        pairs += (pairs.empty() ? "" : ", ") + rb::Fmt(runs[a][i].wall_s / runs[b][i].wall_s, 2);
    md << "| " << a << " / " << b << " | " << rb::Fmt(wall[a] / wall[b], 2) << "x | " << pairs << " | " << goal
       << " |\n";
  };
  md << "\nRatios of wall time (median of the rows; then each round's pair):\n\n";
  md << "| ratio | medians | each round | goal |\n|---|---:|---|---|\n";
  ratio("rasai", "fts5-python", "<= 0.5 (issue 17)");
  ratio("rasai", "fts5-cpp", "");
  ratio("rasai-zim", "rasai", "<= 2 (issue 17)");
  ratio("rasai-4x", "rasai", "input 4x");
  if (rss.count("rasai") && rss.count("rasai-4x"))
    md << "\nPeak RSS, median: rasai " << rb::Fmt(rss["rasai"], 1) << " MB, rasai-4x " << rb::Fmt(rss["rasai-4x"], 1)
       << " MB: " << rb::Fmt(rss["rasai-4x"] / rss["rasai"], 2) << "x for 4x the input (goal: bounded by the buffers, "
       << "not the input)\n";
  md << "\nrasai: " << o.rasai << "; zim: " << (o.zim.empty() ? "none" : o.zim) << "\n";
  std::cout << md.str() << std::flush;

  if (!o.json_out.empty()) {
    nlohmann::json j;
    j["tool"] = "rasai-ingest-bench";
    j["input_bytes"] = input_bytes;
    for (const auto& [row, rs] : runs)
      for (const Run& r : rs)
        j["runs"][row].push_back({{"wall_s", r.wall_s}, {"cpu_s", r.cpu_s}, {"maxrss_kb", r.maxrss_kb},
                                  {"documents", r.documents}, {"error", r.error}});
    std::ofstream(o.json_out) << j.dump(2) << "\n";
  }
  if (o.workdir.empty()) rb::RemoveTree(work);
  for (const auto& [row, rs] : runs)
    for (const Run& r : rs)
      if (!r.error.empty()) return 1;
  return 0;
}
