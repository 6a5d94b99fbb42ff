// The write jobs of the operator's pages, run on the writer thread (index_jobs.h): reading an
// uploaded file into the index, and removing every document of a source. Each reports its
// progress through its JobContext and ends with a JSON summary.
//
// IngestUpload reads through the document-batch path of `rasai index` (rasai/batch.h: boilerplate
// openings learned over the upload and removed, every document added, one commit).
// IngestZimUpload keeps an uploaded ZIM archive in the index's folder of uploaded archives
// (UploadedArchiveFolder) and adds it as `rasai index` does (zim_collection.h).
// Thread-safety: run by one job at a time (the writer); no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "rasai/index.h"
#include "server/index_jobs.h"

namespace rasai::server {

enum class UploadKind { kUnknown, kDocuments, kZip, kZim };  // kDocuments: what IngestPath reads

// The kind of an upload by its file name's extension (case-insensitive).
UploadKind UploadKindOf(std::string_view name);
// A file name safe to write in a folder: the last part of `name` (after '/' or '\'), control
// characters and broken UTF-8 removed, at most 120 bytes; "" when nothing is left or it is "."/"..".
std::string UploadName(std::string_view name);

// Reads the uploaded file `input` (a file ingest reads, or a .zip of them, unpacked next to it)
// into `index` and commits. Documents without a source get the file's name without its extension
// as their source, so that one upload can be listed and removed as one. `bytes`: the file's size.
JobOutcome IngestUpload(Index* index, const std::string& input, const std::string& name, UploadKind kind,
                        uint64_t bytes, JobContext& job);

// Moves the uploaded ZIM archive `input` to UploadedArchiveFolder(index_dir)/`name` and adds it
// to `index` (AddZimArchive: verified first; a newer version of an archive the index holds
// replaces it, an older one is refused). A refused archive is not kept; a file of that name
// already there is never overwritten (409). When the archive replaces a version whose file is in
// the folder too, that file is deleted once the new version is committed.
JobOutcome IngestZimUpload(Index* index, const std::string& index_dir, const std::string& input,
                           const std::string& name, uint64_t bytes, JobContext& job);

// Deletes every live document whose source is `source` ("" = documents without one), commits.
// 404 when there is none.
JobOutcome DeleteSourceNow(Index* index, const std::string& source, JobContext& job);

}  // namespace rasai::server
