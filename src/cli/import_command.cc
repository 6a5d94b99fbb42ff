// rasai import: an index from an archive written by `rasai export`, verified, then published whole.
#include <cstdio>
#include <memory>

#include "cli/cli_util.h"
#include "cli/command.h"
#include "rasai/index_archive.h"

namespace rasai::cli {

Command AddImportCommand(CLI::App& app) {
  struct Options {
    std::string dir, file;
    bool replace = false;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand(
      "import",
      "Install the index of an archive written by `rasai export` as the index folder. Every file is checked "
      "first; on any problem the folder is left as it was");
  sub->add_option("--index", o->dir, "Index folder to create (new or empty)")->required();
  sub->add_flag("--replace", o->replace,
                "Replace the index already in the folder (stop its server first); it takes the old folder's owner");
  sub->add_option("file", o->file, "The archive")->required();
  return {sub, [o] {
            ImportOptions opts;
            opts.replace = o->replace;
            auto s = ImportIndex(o->file, o->dir, opts);
            if (!s.ok()) return Fail(s.status());
            std::printf("imported %llu documents (generation %llu, %llu files, %.1f MB) into %s\n",
                        static_cast<unsigned long long>(s->documents), static_cast<unsigned long long>(s->generation),
                        static_cast<unsigned long long>(s->files), s->bytes / 1048576.0, o->dir.c_str());
            return 0;
          }};
}

}  // namespace rasai::cli
