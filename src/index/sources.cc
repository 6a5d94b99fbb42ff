// DeleteSource and CountSource: a scan of each segment's per-document source ordinals (the
// ordinal of `source` is looked up once per segment), reading the stored head only of the
// documents that match.
#include "rasai/sources.h"

#include <string>
#include <vector>

namespace rasai {
namespace {

// The ordinal of `source` in the segment's dictionary of sources; 0 when absent (0 is "").
uint32_t SourceOrdinal(const SegmentReader& seg, std::string_view source) {
  const uint32_t n = seg.ValueCount(DocValueField::kSource);
  for (uint32_t ord = 1; ord < n; ++ord)
    if (seg.ValueName(DocValueField::kSource, ord) == source) return ord;
  return 0;
}

// Calls fn(doc) for each live document of `seg` whose source is `source` ("" with `unsourced`:
// the documents without one).
template <typename Fn>
void ForEachOfSource(const SegmentReader& seg, std::string_view source, bool unsourced, Fn&& fn) {
  const uint32_t ord = unsourced ? 0 : SourceOrdinal(seg, source);
  if (ord == 0 && !unsourced) return;
  for (uint32_t d = 0; d < seg.max_doc(); ++d) {
    if (!seg.IsDeleted(d) && seg.Values(d).source == ord) fn(d);
  }
}

Result<uint64_t> DeleteOfSource(Index* index, std::string_view source, bool unsourced,
                                const std::function<bool(std::string_view id)>& keep, const DeleteProgress& progress) {
  const auto snapshot = index->snapshot();
  std::vector<std::string> ids;
  for (const auto& seg : snapshot->segments()) {
    Status error;
    ForEachOfSource(*seg, source, unsourced, [&](uint32_t d) {
      if (!error.ok()) return;
      Result<Document> head = seg->StoredHead(d);
      if (!head.ok()) {
        error = head.status();
        return;
      }
      if (!keep || !keep(head->id)) ids.push_back(std::move(head->id));
    });
    RASAI_RETURN_IF_ERROR(error);
  }
  uint64_t deleted = 0;
  for (const std::string& id : ids) {
    RASAI_RETURN_IF_ERROR(index->Delete(id));
    if (++deleted % 256 == 0 && progress && !progress(deleted))
      return Status::Aborted("stopped after " + std::to_string(deleted) + " deletions");
  }
  return deleted;
}

}  // namespace

uint64_t CountSource(const Snapshot& snapshot, std::string_view source) {
  uint64_t n = 0;
  if (source.empty()) return 0;
  for (const auto& seg : snapshot.segments()) ForEachOfSource(*seg, source, false, [&](uint32_t) { ++n; });
  return n;
}

Result<uint64_t> DeleteSource(Index* index, std::string_view source,
                              const std::function<bool(std::string_view id)>& keep, const DeleteProgress& progress) {
  if (source.empty()) return Status::InvalidArgument("DeleteSource: no source named");
  return DeleteOfSource(index, source, false, keep, progress);
}

Result<uint64_t> DeleteSourceless(Index* index, const DeleteProgress& progress) {
  return DeleteOfSource(index, "", true, nullptr, progress);
}

}  // namespace rasai
