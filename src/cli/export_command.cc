// rasai export: the index as one archive file, a consistent snapshot taken while it may be served.
#include <cstdio>
#include <memory>

#include "cli/cli_util.h"
#include "cli/command.h"
#include "rasai/index_archive.h"
#include "rasai/zim.h"

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
            // The pages of ZIM archives are read from the archives, which the export does not hold.
            auto catalog = ZimCatalog::Load(o->dir);
            if (catalog.ok() && !catalog->records().empty()) {
              std::printf("note: the index holds the documents of %zu ZIM archive(s) whose pages are read from the "
                          "archive files, which are not in the export. To show those pages at the other center, "
                          "copy %s and these files into its index folder after `rasai import`:\n",
                          catalog->records().size(), ZimCatalog::kFileName);
              for (const ZimRecord& r : catalog->records()) std::printf("  %s\n", r.info.path.c_str());
            }
            return 0;
          }};
}

}  // namespace rasai::cli
