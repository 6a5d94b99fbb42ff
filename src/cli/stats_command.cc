// rasai stats: what an index holds.
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/cli_util.h"
#include "cli/command.h"
#include "cli/zim_cli.h"
#include "rasai/index.h"

namespace rasai::cli {
namespace {

int RunStats(const std::string& dir, bool as_json) {
  auto index = Index::OpenReadOnly(dir);
  if (!index.ok()) return Fail(index.status());
  IndexStats s = (*index)->stats();
  if (as_json) {
    std::cout << nlohmann::ordered_json{{"documents", s.live_docs}, {"deleted", s.deleted_docs},
                                        {"segments", s.segments},   {"bytes", s.bytes_on_disk},
                                        {"generation", s.generation}, {"fields", s.fields},
                                        {"archives", nlohmann::ordered_json::parse(ZimStatsJson(dir, *(*index)->snapshot()))}}
                     .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
              << "\n";
  } else {
    std::string fields;
    for (const auto& f : s.fields) fields += (fields.empty() ? "" : ",") + f;
    std::printf("documents   %llu\ndeleted     %llu\nsegments    %llu\nsize        %.1f MB\ngeneration  %llu\nfields      %s\n",
                static_cast<unsigned long long>(s.live_docs), static_cast<unsigned long long>(s.deleted_docs),
                static_cast<unsigned long long>(s.segments), s.bytes_on_disk / 1048576.0,
                static_cast<unsigned long long>(s.generation), fields.c_str());
    for (const std::string& line : ZimStatsLines(dir, *(*index)->snapshot())) std::printf("%s\n", line.c_str());
  }
  return 0;
}

}  // namespace

Command AddStatsCommand(CLI::App& app) {
  struct Options {
    std::string dir;
    bool as_json = false;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand("stats", "Show what an index holds");
  sub->add_option("--index", o->dir, "Index folder")->required();
  sub->add_flag("--json", o->as_json, "JSON output");
  return {sub, [o] { return RunStats(o->dir, o->as_json); }};
}

}  // namespace rasai::cli
