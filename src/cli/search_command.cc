// rasai search: run one query or a file of queries against an index; text or one JSON object per query.
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/cli_util.h"
#include "cli/command.h"
#include "rasai/index.h"
#include "rasai/search.h"
#include "server/hit_json.h"
#include "util/utf8.h"

namespace rasai::cli {
namespace {

using json = nlohmann::ordered_json;

int RunSearch(const std::string& dir, bool as_json, uint32_t n, const std::string& query, const std::string& queries) {
  auto index = Index::OpenReadOnly(dir);
  if (!index.ok()) return Fail(index.status());
  Searcher searcher((*index)->snapshot());
  auto run = [&](const std::string& qid, const std::string& q, bool batch) -> bool {
    SearchRequest req;
    req.query = q;
    req.n = n;
    auto r = searcher.Search(req);
    if (!r.ok()) {
      std::cerr << "rasai: query " << qid << ": " << r.status().ToString() << "\n";
      return false;
    }
    if (as_json) {
      json j = {{"qid", qid}, {"query", q}, {"total", r->total}, {"took_ms", r->took_ms}, {"hits", json::array()}};
      for (const auto& h : r->hits) j["hits"].push_back(HitJson(h));
      if (!r->suggestion.empty()) j["suggestion"] = r->suggestion;
      if (!r->transliteration.empty()) j["transliteration"] = r->transliteration;
      std::cout << j.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
    } else {
      if (batch) std::cout << "# " << qid << "\t" << q << "\n";
      std::cout << r->total << " results (" << r->took_ms << " ms)\n";
      if (!r->suggestion.empty()) std::cout << "did you mean: " << r->suggestion << "\n";
      if (!r->transliteration.empty()) std::cout << "searched as: " << r->transliteration << "\n";
      int rank = 0;
      for (const auto& h : r->hits)
        std::cout << ++rank << ". [" << h.id << "] " << h.title << "  (" << h.score << ")"
                  << (h.copy_of.empty() ? "" : "  edited copy of [" + h.copy_of + "]") << "\n   " << h.snippet << "\n";
    }
    return true;
  };
  if (!queries.empty()) {
    std::ifstream in(queries);
    if (!in) return Fail(Status::IOError("cannot read " + queries));
    // A batch times each query: what the first queries of a kind would build once for the whole
    // batch (lexicons) is built before the first.
    searcher.WarmUp();
    std::string line;
    uint64_t lineno = 0;
    bool ok = true;
    while (std::getline(in, line)) {
      ++lineno;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      line = RepairUtf8(line);
      std::string qid = std::to_string(lineno), q = line;
      size_t tab = line.find('\t');
      if (tab != std::string::npos) {
        qid = line.substr(0, tab);
        size_t tab2 = line.find('\t', tab + 1);
        q = line.substr(tab + 1, tab2 == std::string::npos ? std::string::npos : tab2 - tab - 1);
      }
      ok = run(qid, q, true) && ok;
    }
    return ok ? 0 : 1;
  }
  return run("1", RepairUtf8(query), false) ? 0 : 1;
}

}  // namespace

Command AddSearchCommand(CLI::App& app) {
  struct Options {
    std::string dir, query, queries;
    bool as_json = false;
    uint32_t n = 10;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand("search", "Search an index");
  sub->add_option("--index", o->dir, "Index folder")->required();
  sub->add_flag("--json", o->as_json, "One JSON object per query");
  sub->add_option("-n", o->n, "Hits per query")->default_val(10);
  sub->add_option("--queries", o->queries, "File of queries: one per line, or qid<TAB>query[<TAB>...]");
  sub->add_option("query", o->query, "The query");
  return {sub, [o] {
            if (o->query.empty() && o->queries.empty()) {
              std::cerr << "rasai search: give a QUERY or --queries FILE\n";
              return 2;
            }
            return RunSearch(o->dir, o->as_json, o->n, o->query, o->queries);
          }};
}

}  // namespace rasai::cli
