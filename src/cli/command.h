// A command of the `rasai` CLI. Each command lives in its own file (<name>_command.cc): Add<Name>Command
// registers its subcommand and options on the app and returns the function main() calls when that
// subcommand was given. The returned function owns the parsed option values; it is called at most once, on
// the main thread, after parsing. Shared helpers for commands are in cli_util.h.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace rasai::cli {

struct Command {
  CLI::App* sub = nullptr;   // the subcommand, owned by the app
  std::function<int()> run;  // the process's exit code
};

Command AddIndexCommand(CLI::App& app);
Command AddSearchCommand(CLI::App& app);
Command AddServeCommand(CLI::App& app);
Command AddStatsCommand(CLI::App& app);
Command AddCheckCommand(CLI::App& app);
Command AddExtractCommand(CLI::App& app);
Command AddExportCommand(CLI::App& app);
Command AddImportCommand(CLI::App& app);
Command AddRemoveCommand(CLI::App& app);

}  // namespace rasai::cli
