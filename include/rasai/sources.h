// Operations on all the documents of one source (a news site, a ZIM archive): what removing a
// collection from an index needs. Built above the Index interface (a snapshot scan, then
// Index::Delete by id), so they work on any index and change no file format.
// Thread-safety: as Index: may run while other threads search; one writer at a time (the
// deletions are buffered in the index like any other write).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "rasai/index.h"
#include "rasai/status.h"

namespace rasai {

// Called after every 256 deletions with the count so far; false stops the deletion with
// Status::Aborted (the deletions buffered until then stay buffered).
using DeleteProgress = std::function<bool(uint64_t deleted)>;

// Buffers the deletion of every live document of the current snapshot whose `source` field is
// exactly `source` (not ""); when `keep` is given, those for which keep(id) is true stay. Returns
// how many were deleted. Nothing is durable until index->Commit(). Documents added after the
// snapshot was taken are not seen.
Result<uint64_t> DeleteSource(Index* index, std::string_view source,
                              const std::function<bool(std::string_view id)>& keep = nullptr,
                              const DeleteProgress& progress = nullptr);
// The same for the documents that have no source.
Result<uint64_t> DeleteSourceless(Index* index, const DeleteProgress& progress = nullptr);

// The number of live documents whose source is `source` (a snapshot scan of the documents'
// values; reads no stored text).
uint64_t CountSource(const Snapshot& snapshot, std::string_view source);

}  // namespace rasai
