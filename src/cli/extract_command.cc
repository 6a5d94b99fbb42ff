// rasai extract: print the documents ingest would produce, touching no index.
#include <iostream>
#include <memory>

#include "cli/cli_util.h"
#include "cli/command.h"
#include "rasai/ingest.h"

namespace rasai::cli {
namespace {

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

}  // namespace

Command AddExtractCommand(CLI::App& app) {
  struct Options {
    std::vector<std::string> paths;
    bool as_json = false;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand("extract", "Print the documents ingest would produce, touching no index");
  sub->add_flag("--json", o->as_json, "One JSON object per document");
  sub->add_option("paths", o->paths, "Files or folders")->required();
  return {sub, [o] { return RunExtract(o->paths, o->as_json); }};
}

}  // namespace rasai::cli
