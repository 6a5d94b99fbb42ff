// The index checker.
#include "index/checker.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "index/deletions.h"
#include "index/segment_core.h"
#include "rasai/index.h"
#include "rasai/postings.h"
#include "util/coding.h"

namespace rasai {
namespace {

// Walks every term and postings list, checking order and bounds.
Status CheckStructures(const Schema& schema, const std::shared_ptr<SegmentCore>& core, const SegmentMeta& meta) {
  const int ntext = static_cast<int>(schema.fields.size());
  auto data = std::make_unique<SegmentData>();
  data->meta = meta;
  data->schema = schema;
  data->core = core;
  SegmentReader r(std::move(data));
  for (int f = 0; f <= ntext; ++f) {
    std::string prev;
    bool first = true;
    for (TermIterator it = r.Terms(f); it.Valid(); it.Next()) {
      if (!first && std::string_view(prev) >= it.term())
        return Status::Corruption(meta.name + ".tim: terms out of order in field " + std::to_string(f));
      first = false;
      prev.assign(it.term());
      const TermInfo& ti = it.info();
      if (ti.df == 0 || ti.df > meta.max_doc || ti.doc_offset >= core->doc_body.size() ||
          ti.pos_offset > core->pos_body.size())
        return Status::Corruption(meta.name + ".tim: bad term info for '" + prev + "'");
      PostingsCursor pc = r.Postings(ti);
      uint32_t n = 0, last = 0;
      for (uint32_t d = pc.doc(); d != PostingsCursor::kEnd; d = pc.Next()) {
        if ((n > 0 && d <= last) || d >= meta.max_doc)
          return Status::Corruption(meta.name + ".doc: postings out of order for '" + prev + "'");
        last = d;
        ++n;
      }
      if (n != ti.df) return Status::Corruption(meta.name + ".doc: postings count mismatch for '" + prev + "'");
    }
  }
  std::vector<TokenSpan> spans;
  for (uint32_t d = 0; d < meta.max_doc; ++d) {
    auto doc = r.Stored(d);
    if (!doc.ok()) return doc.status();
    if (core->off) {  // every span inside the stored text of its field
      uint32_t npos = 0;
      RASAI_RETURN_IF_ERROR(r.TokenSpans(d, 0, UINT32_MAX, &spans, &npos));
      const std::string* text = doc->TextField(schema.fields[core->off->field()]);
      const size_t size = text ? text->size() : 0;
      for (const TokenSpan& sp : spans)
        if (sp.begin > sp.end || sp.end > size)
          return Status::Corruption(meta.name + ".off: span outside the text of document " + std::to_string(d));
    }
  }
  return Status::OK();
}

}  // namespace

Status CheckIndex(const Directory& dir, const Manifest& m) {
  Schema schema;
  schema.fields = m.fields;
  for (const auto& seg : m.segments) {
    for (const auto& f : seg.files) {
      auto mf = dir.OpenMapped(f.name);
      if (!mf.ok()) return Status::Corruption(f.name + ": missing (" + mf.status().message() + ")");
      if ((*mf)->size() != f.size)
        return Status::Corruption(f.name + ": size " + std::to_string((*mf)->size()) + ", manifest says " +
                                  std::to_string(f.size));
      RASAI_RETURN_IF_ERROR(VerifyFileCrc(**mf, f.name));
      if (DecodeFixed32((*mf)->data() + f.size - kFooterSize) != f.crc)
        return Status::Corruption(f.name + ": checksum differs from the manifest");
    }
    auto core = SegmentCore::Open(dir, seg, static_cast<int>(m.fields.size()));
    if (!core.ok()) return core.status();
    if (seg.del_gen > 0) {
      auto del = LoadDeletions(dir, DeletionFileName(seg.name, seg.del_gen), seg.max_doc);
      if (!del.ok()) return del.status();
      uint32_t n = 0;
      for (uint64_t w : *del) n += __builtin_popcountll(w);
      if (n != seg.del_count) return Status::Corruption(seg.name + ": deletion count mismatch");
    }
    RASAI_RETURN_IF_ERROR(CheckStructures(schema, *core, seg));
  }
  return Status::OK();
}

}  // namespace rasai
