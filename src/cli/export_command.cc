// rasai export: the index as one archive file, a consistent snapshot taken while it may be served.
#include <cstdio>
#include <memory>

#include "cli/cli_util.h"
#include "cli/command.h"
#include "rasai/index_archive.h"

namespace rasai::cli {

Command AddExportCommand(CLI::App& app) {
  struct Options {
    std::string dir, file;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand(
      "export",
      "Write the index to one archive file (tar; .tar.gz/.tar.xz/.tar.zst compress it) for another center's "
      "`rasai import`. Safe while `rasai serve` runs: the archive holds one committed state of the index");
  sub->add_option("--index", o->dir, "Index folder")->required();
  sub->add_option("file", o->file, "The archive to write (replaced if it exists)")->required();
  return {sub, [o] {
            auto s = ExportIndex(o->dir, o->file);
            if (!s.ok()) return Fail(s.status());
            std::printf("exported %llu documents (generation %llu, %llu files, %.1f MB) to %s\n",
                        static_cast<unsigned long long>(s->documents), static_cast<unsigned long long>(s->generation),
                        static_cast<unsigned long long>(s->files), s->bytes / 1048576.0, o->file.c_str());
            return 0;
          }};
}

}  // namespace rasai::cli
