// rasai remove: take a source (a ZIM archive, a news site) out of an index with its documents.
#include <cstdio>
#include <memory>

#include "cli/cli_util.h"
#include "cli/command.h"
#include "rasai/index.h"
#include "server/zim_collection.h"

namespace rasai::cli {
namespace {

int RunRemove(const std::string& dir, const std::vector<std::string>& sources) {
  auto index = Index::Open(dir, IndexOptions{}, false);
  if (!index.ok()) return Fail(index.status());
  int failed = 0;
  for (const std::string& source : sources) {
    auto r = server::RemoveSource(index->get(), dir, source);
    if (!r.ok()) {
      std::fprintf(stderr, "rasai remove: %s: %s\n", source.c_str(), r.status().message().c_str());
      ++failed;
      continue;
    }
    std::printf("removed %s '%s': %llu documents\n", r->archive ? "archive" : "source", source.c_str(),
                static_cast<unsigned long long>(r->documents));
  }
  std::printf("index %s: %llu live documents\n", dir.c_str(),
              static_cast<unsigned long long>((*index)->stats().live_docs));
  return failed ? 1 : 0;
}

}  // namespace

Command AddRemoveCommand(CLI::App& app) {
  struct Options {
    std::string dir;
    std::vector<std::string> sources;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand(
      "remove", "Remove every document of a source from an index (a ZIM archive by its name, as rasai stats lists it)");
  sub->add_option("--index", o->dir, "Index folder")->required();
  sub->add_option("sources", o->sources, "Source or archive names")->required();
  return {sub, [o] { return RunRemove(o->dir, o->sources); }};
}

}  // namespace rasai::cli
