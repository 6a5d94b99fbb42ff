// rasai-query-kinds: query latency per kind of query on the Urdu collection, and the cost of
// snippets as a share of query time.
//
//   rasai-query-kinds [--data DIR] [--index DIR] [--typo FILE] [--reps N] [--limit N]
//
// Index: --index DIR opens an existing index (built e.g. by `rasai index --fields title,body`);
// without it the tool builds one in a temporary folder through the public API (Index::Open with
// the schema {title, body}, every document of urdu-news.jsonl + urdu-headlines.jsonl, one Commit;
// the summary field is not indexed), and removes it at the end.
//
// Query sets, each derived deterministically from the dev files (one query per dev line):
//   term     the first word of each queries-dev query
//   AND      the queries-dev query (three words, implicit AND)
//   phrase   the two middle adjacent words of the queries-dev-summary query, in quotes
//   long OR  the whole queries-dev-summary query, as typed (the engine's long-query handling)
//   prefix   the first 3 letters of the first word of 4+ letters of the queries-dev query, + '*'
//   typo     bench/queries-dev-typo.tsv (one edit in one word; see make_typo_queries.cc)
//   facets   the queries-dev query with SearchRequest::facets = true
//   related  Searcher::Related(relevant id of the queries-dev line, 5)
//   suggest  Searcher::Suggest(prefix, 8) for the first 1, 2 and 3 letters of the first word of
//            each queries-dev query (what /api/suggest answers while a visitor types it)
//   next     Searcher::Suggest for the first word of each queries-dev query, a space and the
//            first 0, 1 and 2 letters of its second word (completions after a word)
//   hostile  14 queries built to be expensive, each cut to 2,048 bytes (what /api/search
//            accepts): from the distinct first letters L of the queries-dev words and their 100
//            most frequent words W: every L*, alone and OR-ed, and with sort:date; L[0]* typed 40
//            times and OR-ed 30 times; W[0] OR-ed 100 times; W OR-ed; W in 4 OR groups; W as
//            quoted pairs, alone and with sort:date; the two-letter prefixes of the queries-dev
//            words, alone and OR-ed; the first 48 W with sort:date; W[0] W[1] typed 50 times
// Every Search uses n = 10 and the request defaults (snippets on) unless said otherwise.
// Each kind runs single-threaded: one untimed warmup pass over the set, then --reps timed
// passes (default 1); every timed call is one sample. Printed: p50/p95/p99/mean in ms.
//
// Snippets: the AND and long-OR sets again, each query run with snippets = true and with
// snippets = false back to back (order alternating per query, after a warmup pass); the share
// is (sum t_with - sum t_without) / sum t_with, over all samples of the set; the median per-query
// share is the median of (t_with - t_without) / t_with over the back-to-back pairs (robust to the
// preemption spikes of a shared machine).
//
// Snippet cost per hit: the AND and long-OR sets once more (snippets off, n = 10); for each hit,
// timed separately: the stored-document fetch (SegmentReader::Stored), the snippet from the
// index's positions and token offsets (SnippetMaker::Prepare + Make, a new maker per query as in
// Search)
// and the analyzer snippet of the same body (BuildSnippet); and, as Search makes it, the snippet
// straight from the store (SnippetMaker::Make(seg, doc): the window from positions and offsets,
// then the body read only up to its end, SegmentReader::BodyPrefix). The snippet terms are the analyzer
// terms of the query's words, stopwords dropped from queries of more than 6 words as the planner
// does (Search also adds compound and typo alternatives).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_common.h"

#if RASAI_BENCH_HAVE_RASAI
#include <unordered_set>

#include "../src/search/snippet.h"
#include "rasai/analysis.h"
#include "rasai/index.h"
#include "rasai/search.h"

namespace {

using rasai_bench::BenchQuery;
using rasai_bench::Fmt;
using rasai_bench::MsSince;
using rasai_bench::Percentile;

std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// Number of code points and the byte length of the first k code points of a UTF-8 string.
size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xc0) != 0x80) ++n;
  return n;
}
size_t PrefixBytes(const std::string& s, size_t k) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xc0) != 0x80) {
      if (n == k) return i;
      ++n;
    }
  }
  return s.size();
}

struct Kind {
  std::string name;
  std::vector<std::string> inputs;   // query text, or doc id for related
  bool facets = false;
  bool related = false;
  bool suggest = false;
};

struct Row {
  std::string name;
  size_t queries = 0;
  std::vector<double> ms;
  double mean_hits = 0;
};

std::string BuildIndex(const std::string& data) {
  rasai_bench::Collection c = rasai_bench::LoadUrdu(data, {});
  std::string dir = rasai_bench::MakeTempDir("rasai-query-kinds");
  rasai::IndexOptions options;
  options.schema.fields = {"title", "body"};
  auto index = rasai::Index::Open(dir, options, /*create=*/true);
  if (!index.ok()) throw std::runtime_error("open: " + index.status().ToString());
  for (const auto& d : c.docs) {
    rasai::Document doc = ToRasaiDocument(d, "ur");
    rasai::Status st = (*index)->Add(doc);
    if (!st.ok()) throw std::runtime_error("add " + d.id + ": " + st.ToString());
  }
  rasai::Status st = (*index)->Commit();
  if (!st.ok()) throw std::runtime_error("commit: " + st.ToString());
  std::cerr << "built " << c.docs.size() << " documents into " << dir << "\n";
  return dir;
}

// The "hostile" set (see the top of this file).
std::vector<std::string> HostileQueries(const std::vector<BenchQuery>& dev) {
  std::vector<std::string> letters, pairs;  // distinct first letters and two-letter starts, in order seen
  std::map<std::string, size_t> freq;
  for (const auto& q : dev)
    for (const std::string& w : Words(q.text)) {
      ++freq[w];
      const std::string l = w.substr(0, PrefixBytes(w, 1)), p = w.substr(0, PrefixBytes(w, 2));
      if (std::find(letters.begin(), letters.end(), l) == letters.end()) letters.push_back(l);
      if (CodePoints(w) > 2 && std::find(pairs.begin(), pairs.end(), p) == pairs.end()) pairs.push_back(p);
    }
  std::vector<std::pair<size_t, std::string>> byfreq;
  for (const auto& [w, n] : freq) byfreq.emplace_back(n, w);
  std::sort(byfreq.begin(), byfreq.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::vector<std::string> common;
  for (size_t i = 0; i < byfreq.size() && i < 100; ++i) common.push_back(byfreq[i].second);
  if (letters.empty() || common.size() < 2) return {};
  auto join = [](const std::vector<std::string>& parts, const std::string& sep, const std::string& suffix) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : sep) + p + suffix;
    return out;
  };
  auto repeat = [&join](const std::string& x, size_t n, const std::string& sep) {
    return join(std::vector<std::string>(n, x), sep, "");
  };
  // At most `n` bytes, cut on a character boundary.
  auto cut = [](std::string q, size_t n) {
    if (q.size() <= n) return q;
    while (n > 0 && (static_cast<unsigned char>(q[n]) & 0xc0) == 0x80) --n;
    q.resize(n);
    return q;
  };
  std::vector<std::string> quoted;
  for (size_t i = 0; i + 1 < common.size(); i += 2) quoted.push_back("\"" + common[i] + " " + common[i + 1] + "\"");
  std::vector<std::string> groups;
  for (size_t g = 0; g < 4; ++g)
    groups.push_back(join(std::vector<std::string>(common.begin() + std::min(common.size(), g * 25),
                                                   common.begin() + std::min(common.size(), g * 25 + 25)),
                          " OR ", ""));
  std::vector<std::string> out = {
      join(letters, " ", "*"),
      join(letters, " OR ", "*"),
      cut(join(letters, " ", "*"), 2000) + " sort:date",
      repeat(letters[0] + "*", 40, " "),
      repeat(letters[0] + "*", 30, " OR "),
      repeat(common[0], 100, " OR "),
      join(common, " OR ", ""),
      join(groups, " ", ""),
      join(quoted, " ", ""),
      cut(join(quoted, " ", ""), 2000) + " sort:date",
      join(pairs, " ", "*"),
      join(pairs, " OR ", "*"),
      join(std::vector<std::string>(common.begin(), common.begin() + std::min<size_t>(48, common.size())), " ", "") +
          " sort:date",
      repeat(common[0] + " " + common[1], 50, " "),
  };
  for (std::string& q : out) q = cut(q, 2048);  // what /api/search accepts
  return out;
}

// Runs one query (or Related call); returns the number of hits.
size_t RunOne(const rasai::Searcher& s, const Kind& k, const std::string& input, bool snippets) {
  if (k.related) {
    auto r = s.Related(input, 5);
    return r.ok() ? r->size() : 0;
  }
  if (k.suggest) return s.Suggest(input, 8).size();
  rasai::SearchRequest req;
  req.query = input;
  req.n = 10;
  req.snippets = snippets;
  req.facets = k.facets;
  auto r = s.Search(req);
  return r.ok() ? r->hits.size() : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_flag, index_dir, typo_path = std::string(RASAI_QK_SOURCE_DIR) + "/bench/queries-dev-typo.tsv";
  int reps = 1;
  size_t limit = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--data") data_flag = next();
    else if (a == "--index") index_dir = next();
    else if (a == "--typo") typo_path = next();
    else if (a == "--reps") reps = std::max(1, std::atoi(next().c_str()));
    else if (a == "--limit") limit = static_cast<size_t>(std::atol(next().c_str()));
    else {
      std::cerr << "usage: rasai-query-kinds [--data DIR] [--index DIR] [--typo FILE] [--reps N] [--limit N]\n";
      return a == "-h" || a == "--help" ? 0 : 2;
    }
  }
  try {
    std::string data = rasai_bench::ResolveDataDir(data_flag);
    auto dev = rasai_bench::LoadTsvQueries(data + "/urdu/queries-dev.tsv").queries;
    auto summ = rasai_bench::LoadTsvQueries(data + "/urdu/queries-dev-summary.tsv").queries;
    auto typo = rasai_bench::LoadTsvQueries(typo_path).queries;
    auto cap = [&](std::vector<BenchQuery>* v) {
      if (limit && v->size() > limit) v->resize(limit);
    };
    cap(&dev);
    cap(&summ);
    cap(&typo);

    std::vector<Kind> kinds(11);
    kinds[0].name = "term";
    kinds[1].name = "AND";
    kinds[2].name = "phrase";
    kinds[3].name = "long OR";
    kinds[4].name = "prefix";
    kinds[5].name = "typo";
    kinds[6].name = "facets";
    kinds[6].facets = true;
    kinds[7].name = "related";
    kinds[7].related = true;
    kinds[8].name = "suggest";
    kinds[8].suggest = true;
    kinds[9].name = "next";
    kinds[9].suggest = true;
    kinds[10].name = "hostile";
    for (const auto& q : dev) {
      std::vector<std::string> w = Words(q.text);
      if (!w.empty()) kinds[0].inputs.push_back(w[0]);
      for (size_t n = 1; n <= 3 && !w.empty() && CodePoints(w[0]) > n; ++n)
        kinds[8].inputs.push_back(w[0].substr(0, PrefixBytes(w[0], n)));
      for (size_t n = 0; n <= 2 && w.size() >= 2 && CodePoints(w[1]) > n; ++n)
        kinds[9].inputs.push_back(w[0] + " " + w[1].substr(0, PrefixBytes(w[1], n)));
      kinds[1].inputs.push_back(q.text);
      for (const auto& x : w) {
        if (CodePoints(x) >= 4) {
          kinds[4].inputs.push_back(x.substr(0, PrefixBytes(x, 3)) + "*");
          break;
        }
      }
      kinds[6].inputs.push_back(q.text);
      kinds[7].inputs.push_back(q.gains.begin()->first);
    }
    for (const auto& q : summ) {
      std::vector<std::string> w = Words(q.text);
      if (w.size() >= 2) {
        size_t m = w.size() / 2;
        kinds[2].inputs.push_back("\"" + w[m - 1] + " " + w[m] + "\"");
      }
      kinds[3].inputs.push_back(q.text);
    }
    for (const auto& q : typo) kinds[5].inputs.push_back(q.text);
    kinds[10].inputs = HostileQueries(dev);

    bool temp = index_dir.empty();
    if (temp) index_dir = BuildIndex(data);
    auto index = rasai::Index::OpenReadOnly(index_dir);
    if (!index.ok()) throw std::runtime_error("open read-only: " + index.status().ToString());
    rasai::Searcher searcher((*index)->snapshot());

    std::vector<Row> rows;
    for (const Kind& k : kinds) {
      for (const auto& in : k.inputs) RunOne(searcher, k, in, true);  // warmup
      Row row;
      row.name = k.name;
      row.queries = k.inputs.size();
      size_t hits = 0;
      for (int r = 0; r < reps; ++r) {
        for (const auto& in : k.inputs) {
          auto t0 = std::chrono::steady_clock::now();
          hits += RunOne(searcher, k, in, true);
          row.ms.push_back(MsSince(t0));
        }
      }
      row.mean_hits = row.ms.empty() ? 0 : static_cast<double>(hits) / row.ms.size();
      rows.push_back(std::move(row));
      std::cerr << "ran " << k.name << "\n";
    }

    std::cout << "| kind | queries | p50 ms | p95 ms | p99 ms | mean ms | mean hits |\n";
    std::cout << "|---|---:|---:|---:|---:|---:|---:|\n";
    for (const Row& r : rows) {
      double sum = 0;
      for (double v : r.ms) sum += v;
      std::cout << "| " << r.name << " | " << r.queries << " | " << Fmt(Percentile(r.ms, 0.50), 3) << " | "
                << Fmt(Percentile(r.ms, 0.95), 3) << " | " << Fmt(Percentile(r.ms, 0.99), 3) << " | "
                << Fmt(r.ms.empty() ? 0 : sum / r.ms.size(), 3) << " | " << Fmt(r.mean_hits, 1) << " |\n";
    }

    std::cout << "\n| snippets, set | queries | mean ms with | mean ms without | p50 with | p50 without | "
                 "snippet share | median per-query share |\n";
    std::cout << "|---|---:|---:|---:|---:|---:|---:|---:|\n";
    for (int ki : {1, 3}) {
      const Kind& k = kinds[ki];
      for (const auto& in : k.inputs) {
        RunOne(searcher, k, in, true);
        RunOne(searcher, k, in, false);
      }
      std::vector<double> with, without;
      for (int r = 0; r < reps; ++r) {
        for (size_t i = 0; i < k.inputs.size(); ++i) {
          for (int pass = 0; pass < 2; ++pass) {
            bool snip = ((i + static_cast<size_t>(r) + static_cast<size_t>(pass)) % 2) == 0;
            auto t0 = std::chrono::steady_clock::now();
            RunOne(searcher, k, k.inputs[i], snip);
            (snip ? with : without).push_back(MsSince(t0));
          }
        }
      }
      double sw = 0, so = 0;
      for (double v : with) sw += v;
      for (double v : without) so += v;
      double share = sw > 0 ? (sw - so) / sw : 0;
      // Robust to the preemption spikes of a shared machine: the median over queries of
      // (t_with - t_without) / t_with, the two samples of a query taken back to back.
      std::vector<double> ratios;
      for (size_t j = 0; j < with.size() && j < without.size(); ++j)
        if (with[j] > 0) ratios.push_back((with[j] - without[j]) / with[j]);
      std::cout << "| " << k.name << " | " << k.inputs.size() << " | " << Fmt(sw / with.size(), 2) << " | "
                << Fmt(so / without.size(), 2) << " | " << Fmt(Percentile(with, 0.5), 2) << " | "
                << Fmt(Percentile(without, 0.5), 2) << " | " << Fmt(100.0 * share, 1) << "% | "
                << Fmt(100.0 * Percentile(ratios, 0.5), 1) << "% |\n";
    }

    std::cout << "\n| snippet cost per hit, set | hits | fetch us | offsets snippet us | analyzer snippet us | "
                 "of which term positions us | offsets / analyzer | body-prefix snippet us |\n";
    std::cout << "|---|---:|---:|---:|---:|---:|---:|---:|\n";
    const rasai::Snapshot& snap = searcher.snapshot();
    for (int ki : {1, 3}) {
      const Kind& k = kinds[ki];
      double fetch = 0, fast = 0, slow = 0, prepare = 0, prefix = 0;
      size_t nhits = 0;
      for (int r = 0; r < reps; ++r) {
        for (const auto& q : k.inputs) {
          rasai::SearchRequest req;
          req.query = q;
          req.n = 10;
          req.snippets = false;
          auto res = searcher.Search(req);
          if (!res.ok()) continue;
          std::vector<rasai::Token> toks;
          rasai::DefaultAnalyzer().Analyze(q, &toks);
          // As the planner does: queries of more than 6 words drop their stopwords (unless all are).
          bool all_stop = true;
          for (const auto& t : toks) all_stop = all_stop && t.stop;
          const bool drop_stop = toks.size() > 6 && !all_stop;
          std::unordered_set<std::string> terms;
          for (const auto& t : toks)
            if (!(drop_stop && t.stop)) terms.insert(t.term);
          std::vector<std::pair<uint32_t, uint32_t>> where;
          for (const auto& h : res->hits) {
            for (uint32_t s = static_cast<uint32_t>(snap.segments().size()); s-- > 0;) {
              int64_t d = snap.segments()[s]->FindId(h.id);
              if (d >= 0) {
                where.emplace_back(s, static_cast<uint32_t>(d));
                break;
              }
            }
          }
          auto t0 = std::chrono::steady_clock::now();
          rasai::SnippetMaker maker(snap, terms);
          maker.Prepare(where);  // as Search does
          const double prep = MsSince(t0);
          fast += prep;
          prepare += prep;
          for (const auto& [s, d] : where) {
            t0 = std::chrono::steady_clock::now();
            auto doc = snap.segments()[s]->Stored(d);
            fetch += MsSince(t0);
            if (!doc.ok()) continue;
            t0 = std::chrono::steady_clock::now();
            std::string a = maker.Make(s, d, *doc);
            fast += MsSince(t0);
            const std::string& text = !doc->body.empty() ? doc->body : !doc->summary.empty() ? doc->summary : doc->title;
            t0 = std::chrono::steady_clock::now();
            std::string b = rasai::BuildSnippet(text, terms);
            slow += MsSince(t0);
            t0 = std::chrono::steady_clock::now();
            auto c = maker.Make(s, d);
            prefix += MsSince(t0);
            if (!c.ok() || *c != a) throw std::runtime_error("body-prefix snippet differs for " + doc->id);
            ++nhits;
          }
        }
      }
      const double per = nhits ? 1000.0 / static_cast<double>(nhits) : 0;
      std::cout << "| " << k.name << " | " << nhits << " | " << Fmt(fetch * per, 1) << " | " << Fmt(fast * per, 1)
                << " | " << Fmt(slow * per, 1) << " | " << Fmt(prepare * per, 1) << " | " << Fmt(slow > 0 ? fast / slow : 0, 3)
                << " | " << Fmt(prefix * per, 1) << " |\n";
    }
    if (temp) rasai_bench::RemoveTree(index_dir);
  } catch (const std::exception& e) {
    std::cerr << "rasai-query-kinds: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

#else
int main() {
  std::cerr << "rasai-query-kinds: built without Rasai's index/search layers\n";
  return 1;
}
#endif
