// Index archives: one file that carries a whole index from one center to another.
//
//   ExportIndex(dir, file)   a consistent snapshot of the index in `dir` (one committed
//                            generation), taken while a server may be adding documents and merging
//   ImportIndex(file, dir)   the index in the archive, verified, published in `dir` at once
//
// The archive is a tar file (compressed with gzip, xz or zstd when its name ends in .gz/.tgz,
// .xz or .zst): MANIFEST first, then the files it names, each a plain file name. `tar tf` lists
// it; extracting it by hand gives a folder that is a working index.
//
// Thread-safety: the functions share no state; an export only reads `dir` and takes no lock, so
// it runs beside the index's writer (in this or another process). ImportIndex holds the lock of
// the index it replaces.
#pragma once

#include <cstdint>
#include <string>

#include "rasai/status.h"

namespace rasai {

struct ArchiveSummary {
  uint64_t generation = 0;  // the commit the archive holds
  uint64_t documents = 0;   // live documents
  uint64_t files = 0;       // index files, MANIFEST included
  uint64_t bytes = 0;       // their total size (before compression)
};

// Writes the index in `dir` to `archive` (replaced atomically: written to `archive`.tmp, fsynced
// and renamed). The snapshot is the generation committed when the export starts, or a later one
// when a merge removes a file before it is opened (then the export starts over, up to 100 times).
// Fails with NotFound when `dir` holds no index, Corruption when a file the manifest names is
// missing or of another size.
Result<ArchiveSummary> ExportIndex(const std::string& dir, const std::string& archive);

struct ImportOptions {
  // Replace the index already in `dir` (its writer must be stopped: the index's lock is taken).
  // The new index takes the owner and mode of the folder it replaces, and keeps the files there
  // that are not the index's own (the server's usage figures). Without it, `dir` must not exist
  // or be empty.
  bool replace = false;
};

// Unpacks `archive` (written by ExportIndex) into a new folder beside `dir`, checks that it holds
// exactly the files its MANIFEST names with their sizes and that every checksum and structure is
// sound (Index::Check), then publishes it as `dir` in one rename (an exchange of the two folders
// with `replace`; the old index is then removed). On any failure `dir` is left as it was.
// InvalidArgument: `dir` holds something and `replace` is off; or an entry that is not a plain
// file with a plain name. Corruption: a damaged or incomplete archive.
Result<ArchiveSummary> ImportIndex(const std::string& archive, const std::string& dir,
                                   const ImportOptions& options = {});

}  // namespace rasai
