// rasai: the command line — index, search, serve, stats, check, extract. Thin over the layers.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_set>

#include "rasai/index.h"
#include "rasai/ingest.h"
#include "rasai/search.h"
#include "rasai/server.h"
#include "util/utf8.h"

using json = nlohmann::ordered_json;

namespace rasai {
namespace {

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string x;
  while (std::getline(ss, x, ','))
    if (!x.empty()) out.push_back(x);
  return out;
}

int Fail(const Status& s) {
  std::cerr << "rasai: " << s.ToString() << "\n";
  return 1;
}

// ----------------------------------------------------------------------------------------- index
int RunIndex(const std::string& dir, const std::string& fields, const std::vector<std::string>& inputs, size_t ram_mb,
             bool keep_openings) {
  IndexOptions opts;
  if (!fields.empty()) opts.schema.fields = SplitComma(fields);
  if (opts.schema.fields.empty()) return Fail(Status::InvalidArgument("--fields names no field"));
  for (const auto& f : opts.schema.fields)
    if (f != "title" && f != "body" && f != "summary")
      return Fail(Status::InvalidArgument("unknown field '" + f + "' (title, summary, body)"));
  opts.ram_buffer_bytes = ram_mb << 20;
  auto index = Index::Open(dir, opts, true);
  if (!index.ok()) return Fail(index.status());
  const auto existing = (*index)->stats().fields;
  if (!fields.empty() && existing != opts.schema.fields) {
    std::string have;
    for (const auto& f : existing) have += (have.empty() ? "" : ",") + f;
    std::cerr << "rasai: note: this index was created with --fields " << have << "; those are used\n";
  }
  auto before = (*index)->snapshot();
  const bool tty = isatty(STDERR_FILENO);
  const auto t0 = std::chrono::steady_clock::now();
  auto last_report = t0;
  uint64_t added = 0, replaced = 0;
  // First passes over the inputs: learn the boilerplate openings of this batch (hashes only).
  RepeatedOpenings openings;
  if (!keep_openings) {
    for (int pass = 1; openings.NeedsPass(); ++pass) {
      if (tty) std::fprintf(stderr, "\r  looking for repeated openings (pass %d)…   ", pass);
      IngestStats ignored;  // problems are reported once, by the indexing pass
      const DocumentSink observe = [&](Document&& doc) -> Status {
        openings.Observe(doc);
        return Status::OK();
      };
      for (const auto& in : inputs) {
        Status s = IngestPath(in, observe, &ignored);
        if (!s.ok()) return Fail(s);
      }
      openings.EndPass();
    }
  }
  std::unordered_set<std::string> seen;
  const Schema schema = (*index)->snapshot()->schema();
  std::vector<std::string> cut;  // "id: note" for each field longer than what is indexed
  IngestStats stats;
  DocumentSink sink = [&](Document&& doc) -> Status {
    if (!keep_openings) openings.Strip(&doc);
    bool dup = !seen.insert(doc.id).second;
    if (!dup) {
      for (const auto& seg : before->segments())
        if (seg->FindId(doc.id) >= 0) {
          dup = true;
          break;
        }
    }
    (dup ? replaced : added)++;
    for (const std::string& field : FieldsIndexedInPart(doc, schema))
      cut.push_back(doc.id + ": " + IndexedInPartNote(field));
    RASAI_RETURN_IF_ERROR((*index)->Add(doc));
    if (tty) {
      auto now = std::chrono::steady_clock::now();
      if (now - last_report > std::chrono::milliseconds(500)) {
        last_report = now;
        double s = std::chrono::duration<double>(now - t0).count();
        std::fprintf(stderr, "\r  %llu documents (%.0f/s)   ", static_cast<unsigned long long>(added + replaced),
                     (added + replaced) / std::max(s, 1e-3));
      }
    }
    return Status::OK();
  };
  for (const auto& in : inputs) {
    Status s = IngestPath(in, sink, &stats);
    if (!s.ok()) return Fail(s);
  }
  if (tty) std::fprintf(stderr, "\r  committing…                      \r");
  Status s = (*index)->Commit();
  if (!s.ok()) return Fail(s);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const auto& p : stats.problems)
    std::cerr << p.file << (p.line ? ":" + std::to_string(p.line) : "") << ": " << p.reason << "\n";
  for (const std::string& line : cut) std::cerr << line << "\n";
  std::map<std::string, uint64_t> why;
  for (const auto& p : stats.problems) {
    std::string r = p.reason.substr(0, p.reason.find(':'));
    why[r]++;
  }
  IndexStats st = (*index)->stats();
  std::printf("indexed %llu documents in %.1f s: %llu added, %llu replaced, %llu skipped",
              static_cast<unsigned long long>(added + replaced), secs, static_cast<unsigned long long>(added),
              static_cast<unsigned long long>(replaced), static_cast<unsigned long long>(stats.skipped));
  if (!why.empty()) {
    std::printf("; problems (");
    bool first = true;
    for (auto& [r, n] : why) {
      std::printf("%s%s: %llu", first ? "" : ", ", r.c_str(), static_cast<unsigned long long>(n));
      first = false;
    }
    std::printf(")");
  }
  std::printf("\nindex %s: %llu live documents, %llu segments, %.1f MB\n", dir.c_str(),
              static_cast<unsigned long long>(st.live_docs), static_cast<unsigned long long>(st.segments),
              st.bytes_on_disk / 1048576.0);
  for (const auto& r : openings.Removed()) {
    std::string text = r.text;
    if (text.size() > 300) {
      size_t n = 300;
      while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // a character boundary
      text = text.substr(0, n) + "…";
    }
    std::printf("removed a %zu-word opening from %llu documents of source '%s': %s\n", r.words,
                static_cast<unsigned long long>(r.documents), r.source.c_str(), text.c_str());
  }
  return 0;
}

// ---------------------------------------------------------------------------------------- search
json HitJson(const Hit& h, bool full) {
  json j = {{"id", h.id}, {"score", h.score}, {"title", h.title}, {"snippet", h.snippet}, {"url", h.url}};
  if (full) {
    j["date"] = h.date;
    j["lang"] = h.lang;
    j["source"] = h.source;
    j["category"] = h.category;
  }
  if (!h.copy_of.empty()) j["copy_of"] = h.copy_of;  // an edited copy of that earlier hit
  return j;
}

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
      for (const auto& h : r->hits) j["hits"].push_back(HitJson(h, false));
      if (!r->suggestion.empty()) j["suggestion"] = r->suggestion;
      std::cout << j.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
    } else {
      if (batch) std::cout << "# " << qid << "\t" << q << "\n";
      std::cout << r->total << " results (" << r->took_ms << " ms)\n";
      if (!r->suggestion.empty()) std::cout << "did you mean: " << r->suggestion << "\n";
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

// ---------------------------------------------------------------------------------- stats, check
int RunStats(const std::string& dir, bool as_json) {
  auto index = Index::OpenReadOnly(dir);
  if (!index.ok()) return Fail(index.status());
  IndexStats s = (*index)->stats();
  if (as_json) {
    std::cout << json{{"documents", s.live_docs}, {"deleted", s.deleted_docs}, {"segments", s.segments},
                      {"bytes", s.bytes_on_disk}, {"generation", s.generation}, {"fields", s.fields}}
                     .dump()
              << "\n";
  } else {
    std::string fields;
    for (const auto& f : s.fields) fields += (fields.empty() ? "" : ",") + f;
    std::printf("documents   %llu\ndeleted     %llu\nsegments    %llu\nsize        %.1f MB\ngeneration  %llu\nfields      %s\n",
                static_cast<unsigned long long>(s.live_docs), static_cast<unsigned long long>(s.deleted_docs),
                static_cast<unsigned long long>(s.segments), s.bytes_on_disk / 1048576.0,
                static_cast<unsigned long long>(s.generation), fields.c_str());
  }
  return 0;
}

int RunCheck(const std::string& dir) {
  auto index = Index::OpenReadOnly(dir);
  if (!index.ok()) return Fail(index.status());
  Status s = (*index)->Check();
  if (!s.ok()) {
    std::cerr << "rasai check: index " << dir << " is damaged: " << s.ToString() << "\n";
    return 1;
  }
  std::cout << "index " << dir << " is sound (" << (*index)->stats().live_docs << " documents)\n";
  return 0;
}

int RunExtract(const std::vector<std::string>& paths, bool as_json) {
  IngestStats stats;
  for (const auto& p : paths) {
    Status s = IngestPath(
        p,
        [&](Document&& d) -> Status {
          if (as_json) {
            std::cout << DocumentToJson(d) << "\n";
          } else {
            std::cout << "== " << d.id << "\n" << d.title << "\n\n" << d.body << "\n\n";
          }
          return Status::OK();
        },
        &stats);
    if (!s.ok()) return Fail(s);
  }
  for (const auto& p : stats.problems)
    std::cerr << p.file << (p.line ? ":" + std::to_string(p.line) : "") << ": " << p.reason << "\n";
  return 0;
}

// ----------------------------------------------------------------------------------------- serve
Server* g_server = nullptr;
void OnSignal(int) {
  if (g_server) g_server->Stop();
}

int RunServe(const std::string& dir, const std::string& listen, const std::string& token) {
  ServerOptions opts;
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Fail(Status::InvalidArgument("--listen wants HOST:PORT"));
  opts.host = listen.substr(0, colon);
  if (opts.host.size() > 2 && opts.host.front() == '[' && opts.host.back() == ']') {  // "[::1]:8080"
    opts.host = opts.host.substr(1, opts.host.size() - 2);
  }
  int port = std::atoi(listen.substr(colon + 1).c_str());
  if (port < 0 || port > 65535) return Fail(Status::InvalidArgument("bad port in --listen"));
  opts.port = static_cast<uint16_t>(port);
  opts.operator_token = token;
  if (const char* t = std::getenv("RASAI_OPERATOR_TOKEN"); t && opts.operator_token.empty()) opts.operator_token = t;
  IndexOptions index_opts;
  index_opts.background_merge = true;  // POST /api/docs returns once the change is durable
  auto index = Index::Open(dir, index_opts, false);
  if (!index.ok()) return Fail(index.status());
  const uint64_t docs = (*index)->stats().live_docs;
  opts.on_listening = [docs](const std::string& url) {
    std::cout << "Rasai serving " << docs << " documents at " << url << std::endl;
  };
  Server server(index->get(), opts);
  g_server = &server;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  Status s = server.Serve();
  g_server = nullptr;
  if (!s.ok()) return Fail(s);
  return 0;
}

}  // namespace
}  // namespace rasai

int main(int argc, char** argv) {
  using namespace rasai;
  CLI::App app{"Rasai: offline search and reading for information access centers"};
  app.require_subcommand(1);

  std::string dir, fields, query, queries, listen = "127.0.0.1:8080", token;
  std::vector<std::string> inputs;
  bool as_json = false;
  uint32_t n = 10;
  size_t ram_mb = 96;
  bool keep_openings = false;

  auto* idx = app.add_subcommand("index", "Create or update an index from JSONL files and folders of .txt/.md/.html");
  idx->add_option("--index", dir, "Index folder")->required();
  idx->add_option("--fields", fields, "Text fields to index, e.g. title,body (default title,summary,body)");
  idx->add_option("--ram-mb", ram_mb, "Memory for the write buffer before a segment is flushed")->default_val(96);
  idx->add_flag("--keep-openings", keep_openings,
                "Keep the openings many documents of a source share (share buttons and other boilerplate)");
  idx->add_option("inputs", inputs, "Input files or folders")->required();

  auto* srch = app.add_subcommand("search", "Search an index");
  srch->add_option("--index", dir, "Index folder")->required();
  srch->add_flag("--json", as_json, "One JSON object per query");
  srch->add_option("-n", n, "Hits per query")->default_val(10);
  srch->add_option("--queries", queries, "File of queries: one per line, or qid<TAB>query[<TAB>...]");
  srch->add_option("query", query, "The query");

  auto* srv = app.add_subcommand("serve", "Serve the search page and the HTTP API");
  srv->add_option("--index", dir, "Index folder")->required();
  srv->add_option("--listen", listen, "HOST:PORT (port 0 picks a free one)")->default_val("127.0.0.1:8080");
  srv->add_option("--token", token, "Operator token for POST/DELETE /api/docs (or RASAI_OPERATOR_TOKEN)");

  auto* sts = app.add_subcommand("stats", "Show what an index holds");
  sts->add_option("--index", dir, "Index folder")->required();
  sts->add_flag("--json", as_json, "JSON output");

  auto* chk = app.add_subcommand("check", "Verify every file and structure of an index");
  chk->add_option("--index", dir, "Index folder")->required();

  auto* ext = app.add_subcommand("extract", "Print the documents ingest would produce, touching no index");
  ext->add_flag("--json", as_json, "One JSON object per document");
  ext->add_option("paths", inputs, "Files or folders")->required();

  CLI11_PARSE(app, argc, argv);
  if (idx->parsed()) return RunIndex(dir, fields, inputs, ram_mb, keep_openings);
  if (srch->parsed()) {
    if (query.empty() && queries.empty()) {
      std::cerr << "rasai search: give a QUERY or --queries FILE\n";
      return 2;
    }
    return RunSearch(dir, as_json, n, query, queries);
  }
  if (srv->parsed()) return RunServe(dir, listen, token);
  if (sts->parsed()) return RunStats(dir, as_json);
  if (chk->parsed()) return RunCheck(dir);
  if (ext->parsed()) return RunExtract(inputs, as_json);
  return 2;
}
