// rasai serve: the search pages and the HTTP API over an index, until SIGINT or SIGTERM. A folder
// with no index (missing or empty) gets an empty one, so that a center can start with nothing and
// fill it through the API; a folder holding other files but no MANIFEST is refused, never written.
#include <sys/stat.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/cli_util.h"
#include "cli/command.h"
#include "rasai/index.h"
#include "rasai/search.h"
#include "rasai/server.h"
#include "util/file.h"

namespace rasai::cli {
namespace {

Server* g_server = nullptr;
void OnSignal(int) {
  if (g_server) g_server->Stop();
}

namespace fs = std::filesystem;

// Whether `dir` holds an index (a MANIFEST), or is a place where an empty one may be created: a
// folder that does not exist or holds nothing but what creating an index leaves before its first
// manifest (LOCK, MANIFEST.tmp). Anything else is refused: another folder given by mistake, or an
// index that lost its MANIFEST, whose segment files creating an index would remove as leftovers.
Result<bool> IndexExists(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(fs::path(dir) / "MANIFEST", ec)) return true;
  if (!fs::exists(dir, ec)) return false;
  if (!fs::is_directory(dir, ec)) return Status::InvalidArgument("--index " + dir + " is not a folder");
  std::string others;
  size_t n = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == "LOCK" || name == "MANIFEST.tmp") continue;
    if (n++ < 3) others += (others.empty() ? "" : ", ") + name;
  }
  if (ec) return Status::IOError("cannot list " + dir + ": " + ec.message());
  if (n > 0)
    return Status::InvalidArgument("--index " + dir + " holds " + std::to_string(n) + " file(s) (" + others +
                                   (n > 3 ? ", ..." : "") +
                                   ") but no Rasai index (no MANIFEST): give an empty or new folder, or the folder "
                                   "of an index");
  return false;
}

// The operator token from a file: its first line, without trailing spaces. Warns when other users
// may read the file.
Result<std::string> ReadToken(const std::string& path) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) return Status::IOError("cannot read --token-file " + path + ": " + text.status().ToString());
  std::string token = text->substr(0, text->find('\n'));
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ' || token.back() == '\t')) token.pop_back();
  if (token.empty()) return Status::InvalidArgument("--token-file " + path + " is empty");
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && (st.st_mode & S_IROTH))
    std::cerr << "rasai: warning: every user of this machine can read the operator token in " << path
              << " (chmod 600 it)\n";
  return token;
}

int RunServe(const std::string& dir, const std::string& listen, std::string token, const std::string& token_file) {
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
  if (!token_file.empty()) {
    if (!token.empty()) return Fail(Status::InvalidArgument("give --token or --token-file, not both"));
    auto t = ReadToken(token_file);
    if (!t.ok()) return Fail(t.status());
    token = std::move(*t);
  }
  opts.operator_token = token;
  if (const char* t = std::getenv("RASAI_OPERATOR_TOKEN"); t && opts.operator_token.empty()) opts.operator_token = t;
  auto exists = IndexExists(dir);
  if (!exists.ok()) return Fail(exists.status());
  IndexOptions index_opts;
  index_opts.background_merge = true;  // POST /api/docs returns once the change is durable
  auto index = Index::Open(dir, index_opts, /*create=*/!*exists);
  if (!index.ok()) return Fail(index.status());
  if (!*exists) {
    std::string fields;
    for (const auto& f : (*index)->stats().fields) fields += (fields.empty() ? "" : ",") + f;
    std::cout << "rasai: no index in " << dir << ": created an empty one (fields " << fields
              << "); add documents with POST /api/docs and the operator token" << std::endl;
  }
  if (opts.operator_token.empty())
    std::cout << "rasai: no operator token (--token, --token-file or RASAI_OPERATOR_TOKEN): documents cannot be "
                 "added or removed while serving"
              << std::endl;
  const uint64_t docs = (*index)->stats().live_docs;
  opts.on_listening = [docs](const std::string& url) {
    std::cout << "Rasai serving " << docs << " documents at " << url << std::endl;
  };
  opts.index_dir = dir;
  Server server(index->get(), opts);
  g_server = &server;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  // The lexicons the first Roman Urdu or misspelt query would build, built while the server
  // starts listening, so that no visitor waits for them.
  std::thread warm([snap = (*index)->snapshot()] { Searcher(snap).WarmUp(); });
  Status s = server.Serve();
  warm.join();
  g_server = nullptr;
  if (!s.ok()) return Fail(s);
  return 0;
}

}  // namespace

Command AddServeCommand(CLI::App& app) {
  struct Options {
    std::string dir, listen = "127.0.0.1:8080", token, token_file;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand("serve", "Serve the search page and the HTTP API");
  sub->add_option("--index", o->dir, "Index folder; a new or empty folder gets an empty index")->required();
  sub->add_option("--listen", o->listen, "HOST:PORT (port 0 picks a free one)")->default_val("127.0.0.1:8080");
  sub->add_option("--token", o->token, "Operator token for POST/DELETE /api/docs (or RASAI_OPERATOR_TOKEN)");
  sub->add_option("--token-file", o->token_file, "File whose first line is the operator token");
  return {sub, [o] { return RunServe(o->dir, o->listen, o->token, o->token_file); }};
}

}  // namespace rasai::cli
