// rasai: the command line. Thin over the layers; each command is in its own <name>_command.cc.
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "rasai/zim.h"

int main(int argc, char** argv) {
  using namespace rasai::cli;
  rasai::LimitZimCaches();  // before any thread
  CLI::App app{"Rasai: offline search and reading for information access centers"};
  app.require_subcommand(1);
  const Command commands[] = {
      AddIndexCommand(app), AddSearchCommand(app), AddServeCommand(app),
      AddStatsCommand(app), AddCheckCommand(app),  AddExtractCommand(app),
      AddExportCommand(app), AddImportCommand(app), AddRemoveCommand(app),
  };
  CLI11_PARSE(app, argc, argv);
  for (const Command& c : commands)
    if (c.sub->parsed()) return c.run();
  return 2;
}
