// SegmentCore: opening and checking the files of a segment.
#include "index/segment_core.h"

#include <cstring>

#include "util/coding.h"

namespace rasai {

Result<std::shared_ptr<SegmentCore>> SegmentCore::Open(const Directory& dir, const SegmentMeta& meta, int ntext) {
  auto core = std::make_shared<SegmentCore>();
  core->name = meta.name;
  core->max_doc = meta.max_doc;
  core->ntext = ntext;
  struct F {
    const char* ext;
    const char* kind;
    std::unique_ptr<MappedFile>* file;
    std::string_view* body;
  };
  std::string_view dv_body, sth_body, stt_body;
  F files[] = {{".tim", "TIM1", &core->tim, &core->tim_body}, {".doc", "DOC1", &core->doc, &core->doc_body},
               {".pos", "POS1", &core->pos, &core->pos_body}, {".nrm", "NRM1", &core->nrm, &core->nrm_body},
               {".dv", "DV03", &core->dv, &dv_body},          {".sth", "STH1", &core->sth, &sth_body},
               {".stt", "STT1", &core->stt, &stt_body}};
  for (auto& f : files) {
    const std::string name = meta.name + f.ext;
    auto m = dir.OpenMapped(name);
    if (!m.ok()) return Status::Corruption("segment file missing or unreadable: " + m.status().ToString());
    const char* kind = f.kind;
    if (f.file == &core->dv && (*m)->size() >= 8 && std::memcmp((*m)->data() + 4, "DV01", 4) == 0) {
      kind = "DV01";  // rows without the time of day (indexes written before it was kept)
      core->dv_row_size = 24;
    } else if (f.file == &core->dv && (*m)->size() >= 8 && std::memcmp((*m)->data() + 4, "DV02", 4) == 0) {
      kind = "DV02";  // rows without the SimHash (indexes written before it was kept)
      core->dv_row_size = 28;
    }
    auto body = CheckedBody(**m, kind, name);
    if (!body.ok()) return body.status();
    *f.file = std::move(*m);
    *f.body = *body;
  }
  // Term dictionary block index.
  {
    const auto& b = core->tim_body;
    if (b.size() < 8) return Status::Corruption(meta.name + ".tim: no index");
    uint64_t off = DecodeFixed64(b.data() + b.size() - 8);
    if (off > b.size() - 8) return Status::Corruption(meta.name + ".tim: bad index offset");
    Decoder d(b.data() + off, b.size() - 8 - off);
    core->tindex.resize(ntext + 1);
    for (int f = 0; f <= ntext; ++f) {
      uint64_t nb = d.Varint();
      if (!d.ok() || nb > b.size()) return Status::Corruption(meta.name + ".tim: bad block count");
      core->tindex[f].reserve(nb);
      for (uint64_t i = 0; i < nb; ++i) {
        BlockRef r;
        r.first = d.String();
        r.offset = d.Varint();
        r.nterms = d.Varint32();
        r.key = TermKey(r.first);
        if (!d.ok() || r.offset >= off) return Status::Corruption(meta.name + ".tim: bad block index");
        core->tindex[f].push_back(r);
      }
    }
  }
  if (core->nrm_body.size() != static_cast<size_t>(ntext) * meta.max_doc)
    return Status::Corruption(meta.name + ".nrm: wrong size");
  // Doc values.
  {
    if (dv_body.size() < 8) return Status::Corruption(meta.name + ".dv: too short");
    uint64_t rows = DecodeFixed64(dv_body.data() + dv_body.size() - 8);
    if (rows > dv_body.size() - 8 || dv_body.size() - 8 - rows != static_cast<uint64_t>(meta.max_doc) * core->dv_row_size)
      return Status::Corruption(meta.name + ".dv: wrong size");
    Decoder d(dv_body.data(), rows);
    for (auto& dict : core->dicts) {
      uint64_t n = d.Varint();
      if (!d.ok() || n > rows + 1) return Status::Corruption(meta.name + ".dv: bad dictionary");
      for (uint64_t i = 0; i < n; ++i) dict.push_back(d.String());
      if (!d.ok()) return Status::Corruption(meta.name + ".dv: bad dictionary");
    }
    core->dv_rows = reinterpret_cast<const uint8_t*>(dv_body.data() + rows);
  }
  // Stored documents.
  RASAI_RETURN_IF_ERROR(core->heads.Open(sth_body, meta.max_doc, meta.name + ".sth"));
  RASAI_RETURN_IF_ERROR(core->texts.Open(stt_body, meta.max_doc, meta.name + ".stt"));
  // Token offsets: optional (segments written before they existed have none).
  for (const auto& fi : meta.files) {
    if (fi.name != meta.name + ".off") continue;
    auto off = OffsetsFile::Open(dir, fi.name, meta.max_doc);
    if (!off.ok()) return off.status();
    if ((*off)->field() >= ntext) return Status::Corruption(fi.name + ": bad field id");
    core->off = std::move(*off);
  }
  return core;
}

void SegmentCore::ReleasePages() const {
  for (const auto* f : {&tim, &doc, &pos, &nrm, &dv, &sth, &stt})
    if (*f) (*f)->ReleasePages();
  if (off) off->ReleasePages();
}

Status SegmentCore::VerifyAll() const {
  const std::pair<const std::unique_ptr<MappedFile>*, const char*> files[] = {
      {&tim, ".tim"}, {&doc, ".doc"}, {&pos, ".pos"}, {&nrm, ".nrm"}, {&dv, ".dv"}, {&sth, ".sth"}, {&stt, ".stt"}};
  for (const auto& [f, ext] : files) RASAI_RETURN_IF_ERROR(VerifyFileCrc(**f, name + ext));
  RASAI_RETURN_IF_ERROR(heads.Verify());
  RASAI_RETURN_IF_ERROR(texts.Verify());
  if (off) RASAI_RETURN_IF_ERROR(off->VerifyCrc());
  return Status::OK();
}

}  // namespace rasai
