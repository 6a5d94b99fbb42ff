// rasai check: verify every file and structure of an index.
#include <iostream>
#include <memory>

#include "cli/cli_util.h"
#include "cli/command.h"
#include "rasai/index.h"

namespace rasai::cli {
namespace {

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

}  // namespace

Command AddCheckCommand(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("check", "Verify every file and structure of an index");
  sub->add_option("--index", *dir, "Index folder")->required();
  return {sub, [dir] { return RunCheck(*dir); }};
}

}  // namespace rasai::cli
