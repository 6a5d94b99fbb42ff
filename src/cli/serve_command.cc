// rasai serve: the search pages and the HTTP API over an index, until SIGINT or SIGTERM.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli/cli_util.h"
#include "cli/command.h"
#include "rasai/index.h"
#include "rasai/server.h"

namespace rasai::cli {
namespace {

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

Command AddServeCommand(CLI::App& app) {
  struct Options {
    std::string dir, listen = "127.0.0.1:8080", token;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand("serve", "Serve the search page and the HTTP API");
  sub->add_option("--index", o->dir, "Index folder")->required();
  sub->add_option("--listen", o->listen, "HOST:PORT (port 0 picks a free one)")->default_val("127.0.0.1:8080");
  sub->add_option("--token", o->token, "Operator token for POST/DELETE /api/docs (or RASAI_OPERATOR_TOKEN)");
  return {sub, [o] { return RunServe(o->dir, o->listen, o->token); }};
}

}  // namespace rasai::cli
