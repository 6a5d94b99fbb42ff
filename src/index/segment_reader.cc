// SegmentCore, SegmentReader, PostingsCursor and TermIterator: reading a segment through mmap.
#include <zstd.h>

#include <algorithm>
#include <cstring>

#include "index/segment.h"
#include "util/utf8.h"
#include "util/bitpack.h"
#include "util/coding.h"
#include "util/crc32c.h"

namespace rasai {

Result<std::string_view> CheckedBody(const MappedFile& f, const char kind[4], const std::string& name) {
  if (f.size() < kHeaderSize + kFooterSize) return Status::Corruption(name + ": file too short");
  const uint8_t* p = f.data();
  if (DecodeFixed32(p) != kFileMagic || std::memcmp(p + 4, kind, 4) != 0)
    return Status::Corruption(name + ": bad header (not a Rasai " + std::string(kind, 4) + " file)");
  if (DecodeFixed32(p + 8) != kFormatVersion)
    return Status::Unsupported(name + ": format version " + std::to_string(DecodeFixed32(p + 8)) +
                               ", this build reads version " + std::to_string(kFormatVersion) +
                               ": rebuild the index");
  const uint8_t* foot = p + f.size() - kFooterSize;
  if (DecodeFixed32(foot + 12) != kFileMagic || DecodeFixed64(foot + 4) != f.size() - kFooterSize)
    return Status::Corruption(name + ": bad footer (truncated or damaged)");
  return std::string_view(reinterpret_cast<const char*>(p + kHeaderSize), f.size() - kHeaderSize - kFooterSize);
}

Status VerifyFileCrc(const MappedFile& f, const std::string& name) {
  if (f.size() < kHeaderSize + kFooterSize) return Status::Corruption(name + ": file too short");
  const size_t content = f.size() - kFooterSize;
  if (Crc32c(0, f.data(), content) != DecodeFixed32(f.data() + content))
    return Status::Corruption(name + ": checksum mismatch");
  return Status::OK();
}

std::string DeletionFileName(const std::string& seg, uint64_t gen) { return seg + "." + std::to_string(gen) + ".del"; }

std::string EncodeDeletions(const std::vector<uint64_t>& bits) {
  std::string s;
  for (uint64_t w : bits) PutFixed64(&s, w);
  return s;
}

Result<std::vector<uint64_t>> LoadDeletions(const Directory& dir, const std::string& name, uint32_t max_doc) {
  auto f = dir.OpenMapped(name);
  if (!f.ok()) return f.status();
  auto body = CheckedBody(**f, "DEL1", name);
  if (!body.ok()) return body.status();
  const size_t words = (max_doc + 63) / 64;
  if (body->size() != words * 8) return Status::Corruption(name + ": wrong size for " + std::to_string(max_doc) + " docs");
  std::vector<uint64_t> bits(words);
  for (size_t i = 0; i < words; ++i) bits[i] = DecodeFixed64(body->data() + 8 * i);
  return bits;
}

// ---------------------------------------------------------------------------------------------
namespace {

// upper_bound's "t < block's first term" over a field's block index, on the 8-byte keys first
// (no read of the mapped terms unless the keys are equal).
auto BlockAfter(uint64_t key) {
  return [key](std::string_view t, const SegmentCore::BlockRef& b) { return key != b.key ? key < b.key : t < b.first; };
}

// One zstd decompression context per thread, reused by every store read.
ZSTD_DCtx* ThreadDCtx() {
  struct Holder {
    ZSTD_DCtx* ctx = ZSTD_createDCtx();
    ~Holder() { ZSTD_freeDCtx(ctx); }
  };
  thread_local Holder h;
  return h.ctx;
}

constexpr uint64_t kMaxRecord = 1u << 30;

}  // namespace

StoreReader::~StoreReader() { ZSTD_freeDDict(static_cast<ZSTD_DDict*>(ddict_)); }

Status StoreReader::Open(std::string_view body, uint32_t max_doc, const std::string& name) {
  name_ = name;
  auto bad = [&](const char* why) { return Status::Corruption(name + ": " + why); };
  if (body.size() < 32) return bad("too short");
  const uint8_t* tail = reinterpret_cast<const uint8_t*>(body.data()) + body.size() - 32;
  const uint64_t dict_len = DecodeFixed64(tail), frames_len = DecodeFixed64(tail + 8);
  const uint32_t n = DecodeFixed32(tail + 16), group = DecodeFixed32(tail + 20);
  max_record_ = std::min(DecodeFixed64(tail + 24), kMaxRecord);
  if (n != max_doc) return bad("document count differs from the manifest");
  if (group != 64) return bad("bad group size");
  const uint64_t ngroups = (static_cast<uint64_t>(n) + 63) / 64;
  const uint64_t fixed = 4ull * n + 8 * ngroups + 32;
  if (dict_len > body.size() || frames_len > body.size() || fixed > body.size() ||
      dict_len + frames_len + fixed != body.size())
    return bad("sizes do not add up (truncated or damaged)");
  const uint8_t* b = reinterpret_cast<const uint8_t*>(body.data());
  frames_ = b + dict_len;
  frames_len_ = frames_len;
  lens_ = frames_ + frames_len;
  groups_ = lens_ + 4ull * n;
  max_doc_ = n;
  if (dict_len > 0) {
    ddict_ = ZSTD_createDDict(b, dict_len);
    if (!ddict_) return bad("bad dictionary");
  }
  return Status::OK();
}

Status StoreReader::Frame(uint32_t doc, const uint8_t** src, uint32_t* len, uint64_t* raw) const {
  if (doc >= max_doc_) return Status::InvalidArgument("doc out of range");
  const uint32_t g = doc / 64;
  uint64_t off = DecodeFixed64(groups_ + 8ull * g);
  if (off > frames_len_) return Status::Corruption(name_ + ": bad frame offset");
  for (uint32_t i = g * 64; i < doc; ++i) off += DecodeFixed32(lens_ + 4ull * i);
  *len = DecodeFixed32(lens_ + 4ull * doc);
  if (off > frames_len_ || *len > frames_len_ - off) return Status::Corruption(name_ + ": bad frame offset");
  *src = frames_ + off;
  *raw = ZSTD_getFrameContentSize(*src, *len);
  if (*raw == ZSTD_CONTENTSIZE_ERROR || *raw == ZSTD_CONTENTSIZE_UNKNOWN || *raw > max_record_)
    return Status::Corruption(name_ + ": bad frame header");
  return Status::OK();
}

Status StoreReader::Read(uint32_t doc, std::string* out) const {
  const uint8_t* src = nullptr;
  uint32_t len = 0;
  uint64_t raw = 0;
  RASAI_RETURN_IF_ERROR(Frame(doc, &src, &len, &raw));
  return Decompress(src, len, raw, out);
}

Status StoreReader::Decompress(const uint8_t* src, uint32_t len, uint64_t raw, std::string* out) const {
  out->resize(raw);
  ZSTD_DCtx* dctx = ThreadDCtx();
  if (!dctx) return Status::IOError("zstd: cannot create a decompression context");
  const size_t r = ddict_ ? ZSTD_decompress_usingDDict(dctx, out->data(), out->size(), src, len,
                                                       static_cast<const ZSTD_DDict*>(ddict_))
                          : ZSTD_decompressDCtx(dctx, out->data(), out->size(), src, len);
  if (ZSTD_isError(r) || r != raw) return Status::Corruption(name_ + ": cannot decompress document");
  return Status::OK();
}

Status StoreReader::ReadPrefix(uint32_t doc, size_t bytes, std::string* out, size_t* size) const {
  const uint8_t* src = nullptr;
  uint32_t len = 0;
  uint64_t raw = 0;
  RASAI_RETURN_IF_ERROR(Frame(doc, &src, &len, &raw));
  *size = raw;
  // Streaming decompression stops once the output is full: after the block holding byte
  // `bytes`. A frame of one block, or a prefix of most of the record, is read whole.
  if (bytes >= raw / 2 + raw / 4) return Decompress(src, len, raw, out);
  out->resize(bytes);
  ZSTD_DCtx* dctx = ThreadDCtx();
  if (!dctx) return Status::IOError("zstd: cannot create a decompression context");
  size_t r = ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
  if (!ZSTD_isError(r)) r = ZSTD_DCtx_refDDict(dctx, static_cast<const ZSTD_DDict*>(ddict_));  // null: none
  if (ZSTD_isError(r)) return Status::IOError(std::string("zstd: ") + ZSTD_getErrorName(r));
  ZSTD_outBuffer ob{out->data(), out->size(), 0};
  ZSTD_inBuffer ib{src, len, 0};
  while (ob.pos < ob.size) {
    const size_t before_in = ib.pos, before_out = ob.pos;
    r = ZSTD_decompressStream(dctx, &ob, &ib);
    if (ZSTD_isError(r)) {
      ZSTD_DCtx_reset(dctx, ZSTD_reset_session_and_parameters);  // leaves no dictionary behind
      return Status::Corruption(name_ + ": cannot decompress document");
    }
    if (r == 0 || (ib.pos == before_in && ob.pos == before_out)) break;  // frame done, or stuck
  }
  ZSTD_DCtx_reset(dctx, ZSTD_reset_session_and_parameters);
  if (ob.pos < ob.size) return Status::Corruption(name_ + ": cannot decompress document");
  return Status::OK();
}

Status StoreReader::Verify() const {
  uint64_t sum = 0;
  for (uint32_t i = 0; i < max_doc_; ++i) {
    if (i % 64 == 0 && DecodeFixed64(groups_ + 8ull * (i / 64)) != sum)
      return Status::Corruption(name_ + ": frame offsets disagree with lengths");
    sum += DecodeFixed32(lens_ + 4ull * i);
  }
  if (sum != frames_len_) return Status::Corruption(name_ + ": frame lengths do not add up");
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
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

Status SegmentCore::VerifyAll() const {
  const std::pair<const std::unique_ptr<MappedFile>*, const char*> files[] = {
      {&tim, ".tim"}, {&doc, ".doc"}, {&pos, ".pos"}, {&nrm, ".nrm"}, {&dv, ".dv"}, {&sth, ".sth"}, {&stt, ".stt"}};
  for (const auto& [f, ext] : files) RASAI_RETURN_IF_ERROR(VerifyFileCrc(**f, name + ext));
  RASAI_RETURN_IF_ERROR(heads.Verify());
  RASAI_RETURN_IF_ERROR(texts.Verify());
  if (off) RASAI_RETURN_IF_ERROR(off->VerifyCrc());
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
SegmentReader::SegmentReader(std::unique_ptr<SegmentData> data) : data_(std::move(data)) {}
SegmentReader::~SegmentReader() = default;
const std::string& SegmentReader::name() const { return data_->meta.name; }
uint32_t SegmentReader::max_doc() const { return data_->meta.max_doc; }
uint32_t SegmentReader::live_docs() const { return data_->meta.max_doc - data_->meta.del_count; }
bool SegmentReader::IsDeleted(uint32_t doc) const { return data_->IsDeleted(doc); }
const Schema& SegmentReader::schema() const { return data_->schema; }
FieldStats SegmentReader::field_stats(int field) const {
  if (field < 0 || field >= static_cast<int>(data_->meta.stats.size())) return {};
  return data_->meta.stats[field];
}
uint32_t SegmentReader::FieldLength(int field, uint32_t doc) const { return DecodeNorm(FieldLengthCode(field, doc)); }
uint8_t SegmentReader::FieldLengthCode(int field, uint32_t doc) const {
  const auto& c = *data_->core;
  return static_cast<uint8_t>(c.nrm_body[static_cast<size_t>(field) * c.max_doc + doc]);
}
uint32_t SegmentReader::FieldLengthOfCode(uint8_t code) { return DecodeNorm(code); }

int SegmentReader::OffsetsField() const { return data_->core->off ? data_->core->off->field() : -1; }

Status SegmentReader::TokenSpans(uint32_t doc, uint32_t from, uint32_t to, std::vector<TokenSpan>* out,
                                 uint32_t* npos) const {
  const auto& off = data_->core->off;
  if (!off) return Status::NotFound(name() + ": no token offsets");
  std::string_view rec;
  RASAI_RETURN_IF_ERROR(off->Record(doc, &rec));
  Status st = DecodeTokenSpans(rec, from, to, out, npos);
  if (!st.ok()) return Status::Corruption(name() + ".off: document " + std::to_string(doc) + ": " + st.message());
  return st;
}

bool SegmentReader::Lookup(int field, std::string_view term, TermInfo* info) const {
  const auto& c = *data_->core;
  if (field < 0 || field > c.ntext) return false;
  const auto& blocks = c.tindex[field];
  const uint64_t key = TermKey(term);
  auto it = std::upper_bound(blocks.begin(), blocks.end(), term, BlockAfter(key));
  if (it == blocks.begin()) return false;
  --it;
  // Scans the block without building its terms: `match` is how many bytes the previous entry
  // (smaller than `term`) shares with `term`. An entry sharing more than that with the previous
  // one is smaller too; one sharing less is larger (the writer stores the longest shared prefix
  // of neighbours in order), and so is every entry after it.
  const uint8_t* p = reinterpret_cast<const uint8_t*>(c.tim_body.data()) + it->offset;
  const uint8_t* end = reinterpret_cast<const uint8_t*>(c.tim_body.data()) + c.tim_body.size();
  size_t match = 0, prev_len = 0;
  uint64_t doc_off = 0, pos_off = 0;
  for (uint32_t i = 0; i < it->nterms; ++i) {
    Decoder d(p, static_cast<size_t>(end - p));
    const uint64_t shared = d.Varint();
    const std::string_view suffix = d.String();
    const uint32_t df = d.Varint32();
    const uint64_t extra = d.Varint();
    const uint64_t doff = d.Varint();
    const uint64_t poff = d.Varint();
    if (!d.ok() || shared > prev_len) return false;
    p = d.ptr();
    doc_off = i == 0 ? doff : doc_off + doff;
    pos_off = i == 0 ? poff : pos_off + poff;
    prev_len = shared + suffix.size();
    if (shared < match) return false;
    if (shared > match) continue;
    const std::string_view rest = term.substr(match);
    size_t k = 0;
    const size_t m = std::min(rest.size(), suffix.size());
    while (k < m && rest[k] == suffix[k]) ++k;
    if (k == m) {
      if (suffix.size() == rest.size()) {
        info->df = df;
        info->total_tf = df + extra;
        info->doc_offset = doc_off;
        info->pos_offset = pos_off;
        return true;
      }
      if (suffix.size() > rest.size()) return false;  // `term` is a prefix of this entry
    } else if (static_cast<uint8_t>(suffix[k]) > static_cast<uint8_t>(rest[k])) {
      return false;
    }
    match += k;
  }
  return false;
}

TermIterator SegmentReader::Terms(int field) const {
  TermIterator ti;
  ti.seg_ = data_.get();
  ti.field_ = field;
  const auto& c = *data_->core;
  if (field < 0 || field > c.ntext) return ti;
  ti.nblocks_ = static_cast<uint32_t>(c.tindex[field].size());
  if (ti.nblocks_ > 0) ti.LoadBlock(0);
  return ti;
}

PostingsCursor SegmentReader::Postings(const TermInfo& info) const {
  PostingsCursor pc;
  const auto& c = *data_->core;
  pc.seg_ = data_.get();
  if (info.df == 0 || info.doc_offset >= c.doc_body.size()) return pc;
  Decoder d(c.doc_body.data() + info.doc_offset, c.doc_body.size() - info.doc_offset);
  pc.nblocks_ = d.Varint32();
  pc.max_freq_ = d.Varint32();
  pc.min_len_ = d.Varint32();
  pc.last_doc_ = d.Varint32();
  // A damaged dictionary entry or list head gives an empty list: the block table must fit.
  if (!d.ok() || pc.nblocks_ != (info.df + kBlockSize - 1) / kBlockSize || pc.last_doc_ >= c.max_doc ||
      (pc.nblocks_ > 1 && 16ull * pc.nblocks_ > d.remaining()))
    return PostingsCursor();
  pc.df_ = info.df;
  pc.skip_ = d.ptr();
  pc.data_ = pc.nblocks_ > 1 ? pc.skip_ + 16 * pc.nblocks_ : pc.skip_;
  pc.data_end_ = reinterpret_cast<const uint8_t*>(c.doc_body.data()) + c.doc_body.size();
  pc.pos_base_ = reinterpret_cast<const uint8_t*>(c.pos_body.data()) + std::min<uint64_t>(info.pos_offset, c.pos_body.size());
  pc.pos_end_ = reinterpret_cast<const uint8_t*>(c.pos_body.data()) + c.pos_body.size();
  pc.block_ = 0xffffffffu;
  pc.shallow_ = 0;
  pc.LoadBlock(0);  // positioned at the first doc
  return pc;
}

namespace {
// The decompressed record of the current read; one per thread, so reads allocate nothing.
std::string& RecordBuffer() {
  thread_local std::string buf;
  return buf;
}
}  // namespace

Status SegmentReader::ReadHead(uint32_t doc, Document* out) const {
  const auto& c = *data_->core;
  std::string& buf = RecordBuffer();
  RASAI_RETURN_IF_ERROR(c.heads.Read(doc, &buf));
  if (!DeserializeHead(buf, out)) return Status::Corruption(c.name + ".sth: bad document record");
  return Status::OK();
}

Status SegmentReader::ReadText(uint32_t doc, Document* out) const {
  const auto& c = *data_->core;
  std::string& buf = RecordBuffer();
  RASAI_RETURN_IF_ERROR(c.texts.Read(doc, &buf));
  if (!DeserializeText(buf, out)) return Status::Corruption(c.name + ".stt: bad document record");
  return Status::OK();
}

Result<Document> SegmentReader::StoredHead(uint32_t doc) const {
  Document out;
  RASAI_RETURN_IF_ERROR(ReadHead(doc, &out));
  return out;
}

Result<Document> SegmentReader::Stored(uint32_t doc) const {
  Document out;
  RASAI_RETURN_IF_ERROR(ReadHead(doc, &out));
  RASAI_RETURN_IF_ERROR(ReadText(doc, &out));
  return out;
}

Status SegmentReader::BodyPrefix(uint32_t doc, size_t bytes, std::string* out, size_t* size) const {
  const auto& c = *data_->core;
  std::string& buf = RecordBuffer();
  size_t record = 0;
  bytes = std::min<size_t>(bytes, kMaxRecord);
  RASAI_RETURN_IF_ERROR(c.texts.ReadPrefix(doc, bytes + 10, &buf, &record));  // + the length varint
  Decoder dec(buf);
  const uint64_t len = dec.Varint();
  const size_t head = buf.size() - dec.remaining();
  if (!dec.ok() || len > record - head) return Status::Corruption(c.name + ".stt: bad document record");
  const size_t take = static_cast<size_t>(std::min<uint64_t>(bytes, len));
  if (take > dec.remaining()) return Status::Corruption(c.name + ".stt: bad document record");
  out->assign(reinterpret_cast<const char*>(dec.ptr()), take);
  *size = static_cast<size_t>(len);
  return Status::OK();
}

int64_t SegmentReader::FindId(std::string_view id) const {
  TermInfo ti;
  if (!Lookup(data_->core->ntext, id, &ti)) return -1;
  PostingsCursor pc = Postings(ti);
  for (uint32_t d = pc.doc(); d != PostingsCursor::kEnd; d = pc.Next())
    if (!IsDeleted(d)) return d;
  return -1;
}

DocValues SegmentReader::Values(uint32_t doc) const {
  const uint32_t row = data_->core->dv_row_size;
  const uint8_t* r = data_->core->dv_rows + static_cast<size_t>(doc) * row;
  DocValues v;
  v.lang = DecodeFixed32(r);
  v.source = DecodeFixed32(r + 4);
  v.category = DecodeFixed32(r + 8);
  v.date = static_cast<int32_t>(DecodeFixed32(r + 12));
  if (row >= 28) v.time = static_cast<int32_t>(DecodeFixed32(r + 16));
  if (row == 36) v.simhash = DecodeFixed64(r + 20);
  if (v.time < -1 || v.time >= 86400) v.time = -1;  // a damaged row: no time of day
  v.content_hash = DecodeFixed64(r + row - 8);
  return v;
}

bool SegmentReader::KeepsSimHashes() const { return data_->core->dv_row_size >= 36; }

void SegmentReader::PrefetchValues(uint32_t doc) const {
  const auto& c = *data_->core;
  if (doc < c.max_doc) __builtin_prefetch(c.dv_rows + static_cast<size_t>(doc) * c.dv_row_size);
}

std::string_view SegmentReader::ValueName(DocValueField field, uint32_t ord) const {
  const auto& d = data_->core->dicts[static_cast<int>(field)];
  return ord < d.size() ? d[ord] : std::string_view();
}
uint32_t SegmentReader::ValueCount(DocValueField field) const {
  return static_cast<uint32_t>(data_->core->dicts[static_cast<int>(field)].size());
}

namespace {

// A structure of one field built on first use: `slots` holds one per text field, and one more
// (built by build(false), empty) for any other field number; build(true) reads the field. `mu`
// guards `slots`, so that concurrent first calls build it once.
template <typename T, typename Build>
const T& BuiltOnce(std::mutex& mu, std::vector<std::unique_ptr<T>>& slots, int ntext, int field, Build&& build) {
  std::lock_guard<std::mutex> lock(mu);
  if (slots.empty()) slots.resize(static_cast<size_t>(ntext) + 1);
  const bool text = field >= 0 && field < ntext;
  const size_t slot = text ? static_cast<size_t>(field) : static_cast<size_t>(ntext);
  if (!slots[slot]) slots[slot] = build(text);
  return *slots[slot];
}

}  // namespace

const TermsByLength& SegmentReader::TermLengths(int field) const {
  const SegmentCore& c = *data_->core;
  return BuiltOnce(c.lengths_mu, c.lengths, c.ntext, field, [&](bool text) {
    auto t = std::make_unique<TermsByLength>();
    std::vector<std::vector<TermsByLength::Entry>> buckets(TermsByLength::kMaxLength + 1);
    std::vector<std::string> texts(TermsByLength::kMaxLength + 1);
    std::u32string u;
    if (text) {
      for (TermIterator ti = Terms(field); ti.Valid(); ti.Next()) {
        std::string_view term = ti.term();
        DecodeUtf8(term, &u);
        const size_t len = std::min<size_t>(u.size(), TermsByLength::kMaxLength);
        buckets[len].push_back({TermsByLength::Signature(u), static_cast<uint32_t>(texts[len].size()), ti.info().df});
        texts[len].append(term);
      }
    }
    t->begin_.resize(TermsByLength::kMaxLength + 2);
    for (size_t len = 0; len <= TermsByLength::kMaxLength; ++len) {
      t->begin_[len] = static_cast<uint32_t>(t->entries_.size());
      const uint32_t base = static_cast<uint32_t>(t->text_.size());
      for (auto e : buckets[len]) {
        e.offset += base;
        t->entries_.push_back(e);
      }
      t->text_.append(texts[len]);
      t->entries_.push_back({0, static_cast<uint32_t>(t->text_.size()), 0});  // the bucket's end
    }
    t->begin_[TermsByLength::kMaxLength + 1] = static_cast<uint32_t>(t->entries_.size());
    return t;
  });
}

const FrequentTerms& SegmentReader::Frequent(int field) const {
  const SegmentCore& c = *data_->core;
  return BuiltOnce(c.frequent_mu, c.frequent, c.ntext, field, [&](bool text) {
    // The kMax terms of largest df, through a heap whose top is the one to drop first (the
    // smallest df, then the largest term); then back in term order.
    using Kept = std::pair<uint32_t, std::string>;
    auto better = [](const Kept& a, const Kept& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; };
    std::vector<Kept> heap;
    if (text) {
      for (TermIterator ti = Terms(field); ti.Valid(); ti.Next()) {
        const uint32_t df = ti.info().df;
        if (heap.size() == FrequentTerms::kMax && df <= heap.front().first) continue;  // a later term ties at best
        heap.emplace_back(df, std::string(ti.term()));
        std::push_heap(heap.begin(), heap.end(), better);
        if (heap.size() > FrequentTerms::kMax) {
          std::pop_heap(heap.begin(), heap.end(), better);
          heap.pop_back();
        }
      }
    }
    std::sort(heap.begin(), heap.end(), [](const Kept& a, const Kept& b) { return a.second < b.second; });
    auto t = std::make_unique<FrequentTerms>();
    t->offsets_.reserve(heap.size() + 1);
    t->dfs_.reserve(heap.size());
    for (const auto& [df, term] : heap) {
      t->offsets_.push_back(static_cast<uint32_t>(t->text_.size()));
      t->text_.append(term);
      t->dfs_.push_back(df);
    }
    t->offsets_.push_back(static_cast<uint32_t>(t->text_.size()));
    return t;
  });
}

std::pair<size_t, size_t> FrequentTerms::Range(std::string_view prefix) const {
  size_t lo = 0, hi = size();
  while (lo < hi) {  // the first term >= prefix
    const size_t mid = lo + (hi - lo) / 2;
    if (term(mid) < prefix) lo = mid + 1;
    else hi = mid;
  }
  size_t end = lo;
  while (end < size() && term(end).starts_with(prefix)) ++end;
  return {lo, end};
}

uint64_t TermsByLength::Signature(std::u32string_view word) {
  uint64_t sig = 0;
  for (char32_t ch : word) sig |= 1ull << ((static_cast<uint32_t>(ch) * 0x9E3779B1u) >> 26);
  return sig;
}
size_t TermsByLength::size(uint32_t length) const {
  length = std::min(length, kMaxLength);
  return begin_.empty() ? 0 : begin_[length + 1] - begin_[length] - 1;
}
const TermsByLength::Entry& TermsByLength::entry(uint32_t length, size_t i) const {
  return entries_[begin_[std::min(length, kMaxLength)] + i];
}
std::string_view TermsByLength::term(uint32_t length, size_t i) const {
  const size_t at = begin_[std::min(length, kMaxLength)] + i;
  return std::string_view(text_).substr(entries_[at].offset, entries_[at + 1].offset - entries_[at].offset);
}

// ---------------------------------------------------------------------------------------------
void TermIterator::LoadBlock(uint32_t b) {
  const auto& c = *seg_->core;
  block_ = b;
  valid_ = false;
  if (b >= nblocks_) return;
  const auto& ref = c.tindex[field_][b];
  p_ = reinterpret_cast<const uint8_t*>(c.tim_body.data()) + ref.offset;
  block_end_ = reinterpret_cast<const uint8_t*>(c.tim_body.data()) + c.tim_body.size();
  remaining_in_block_ = ref.nterms;
  term_.clear();
  info_ = TermInfo();
  DecodeNext();
}

bool TermIterator::DecodeNext() {
  if (remaining_in_block_ == 0) {
    valid_ = false;
    return false;
  }
  Decoder d(p_, static_cast<size_t>(block_end_ - p_));
  const bool first = term_.empty() && info_.df == 0;
  uint64_t shared = d.Varint();
  std::string_view suffix = d.String();
  uint32_t df = d.Varint32();
  uint64_t extra = d.Varint();
  uint64_t doff = d.Varint();
  uint64_t poff = d.Varint();
  if (!d.ok() || shared > term_.size()) {
    valid_ = false;
    remaining_in_block_ = 0;
    return false;
  }
  term_.resize(shared);
  term_.append(suffix);
  info_.df = df;
  info_.total_tf = df + extra;
  info_.doc_offset = first ? doff : info_.doc_offset + doff;
  info_.pos_offset = first ? poff : info_.pos_offset + poff;
  p_ = d.ptr();
  --remaining_in_block_;
  valid_ = true;
  return true;
}

void TermIterator::Next() {
  if (!valid_) return;
  if (remaining_in_block_ > 0) {
    DecodeNext();
    return;
  }
  LoadBlock(block_ + 1);
}

void TermIterator::Seek(std::string_view target) {
  const auto& blocks = seg_->core->tindex[field_];
  const uint64_t key = TermKey(target);
  auto it = std::upper_bound(blocks.begin(), blocks.end(), target, BlockAfter(key));
  uint32_t b = it == blocks.begin() ? 0 : static_cast<uint32_t>(it - blocks.begin() - 1);
  LoadBlock(b);
  while (valid_ && std::string_view(term_) < target) Next();
}

// ---------------------------------------------------------------------------------------------
void PostingsCursor::Exhaust() {
  doc_ = kEnd;
  idx_ = 0;
  n_in_block_ = 1;
  docs_[0] = kEnd;
  freqs_[0] = 0;
  block_ = nblocks_;
}

// Unpacks block b. Its bytes must lie in the file's body (packed reads may pass the end by less
// than 8 bytes: the footer), and its docs must rise, stay below max_doc and end at the doc the
// block table (or the list head, for the last block) names: otherwise the list is damaged and
// ends here, so that no read leaves the file and Advance never scans past a block.
void PostingsCursor::LoadBlock(uint32_t b) {
  block_ = b;
  idx_ = 0;
  const uint8_t* p = data_;
  uint32_t base = 0xffffffffu;
  block_pos_offset_ = 0;
  if (b > 0) {
    const uint8_t* prev = skip_ + 16 * (b - 1);
    base = DecodeFixed32(prev);
    const uint32_t off = DecodeFixed32(prev + 4);
    if (off >= static_cast<uint64_t>(data_end_ - data_)) return Exhaust();
    p += off;
    block_pos_offset_ = DecodeFixed32(prev + 8);
  }
  n_in_block_ = b + 1 < nblocks_ ? kBlockSize : df_ - kBlockSize * (nblocks_ - 1);
  const uint32_t doc_width = std::min<uint32_t>(*p++, 32);
  size_t bytes = PackedBytes(n_in_block_, doc_width);
  if (bytes + 1 > static_cast<size_t>(data_end_ - p)) return Exhaust();  // + the freqs' width byte
  UnpackDeltas(p, n_in_block_, doc_width, base, docs_);
  p += bytes;
  const uint32_t freq_width = std::min<uint32_t>(*p++, 32);
  bytes = PackedBytes(n_in_block_, freq_width);
  if (bytes > static_cast<size_t>(data_end_ - p)) return Exhaust();
  Unpack(p, n_in_block_, freq_width, freqs_);
  const uint32_t last = b + 1 < nblocks_ ? DecodeFixed32(skip_ + 16 * b) : last_doc_;
  const uint32_t max_doc = seg_->core->max_doc;
  if (docs_[n_in_block_ - 1] != last || last >= max_doc || docs_[0] >= max_doc || (b > 0 && docs_[0] <= base))
    return Exhaust();
  // Docs rise by gap + 1 from docs_[0]; they can only fall by wrapping around 2^32, which 127
  // gaps of at most 24 bits from a first doc below 2^31 cannot do. Wider gaps are checked.
  if (doc_width > 24 || max_doc > (1u << 31))
    for (uint32_t i = 1; i < n_in_block_; ++i)
      if (docs_[i] <= docs_[i - 1]) return Exhaust();
  for (uint32_t i = 0; i < n_in_block_; ++i) freqs_[i] += 1;
  doc_ = docs_[0];
}

uint32_t PostingsCursor::Next() {
  if (doc_ == kEnd) return kEnd;
  if (idx_ + 1 < n_in_block_) {
    doc_ = docs_[++idx_];
    return doc_;
  }
  uint32_t nb = block_ + 1;
  if (nb >= nblocks_) return doc_ = kEnd;
  LoadBlock(nb);
  return doc_;
}

uint32_t PostingsCursor::Advance(uint32_t target) {
  if (doc_ >= target) return doc_;  // kEnd included
  if (target > last_doc_) return doc_ = kEnd;
  if (docs_[n_in_block_ - 1] < target) {
    uint32_t b = block_ + 1;
    if (nblocks_ > 1) {
      // Galloping then binary search over the skip table's last_doc values.
      uint32_t lo = b, step = 1, hi = b;
      while (hi < nblocks_ && DecodeFixed32(skip_ + 16 * hi) < target) {
        lo = hi + 1;
        hi += step;
        step *= 2;
      }
      if (hi >= nblocks_) hi = nblocks_ - 1;
      while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (DecodeFixed32(skip_ + 16 * mid) < target) lo = mid + 1; else hi = mid;
      }
      b = lo;
    }
    LoadBlock(b);
  }
  while (docs_[idx_] < target) ++idx_;
  return doc_ = docs_[idx_];
}

uint32_t PostingsCursor::ShallowAdvance(uint32_t target) {
  if (target > last_doc_ || df_ == 0) {
    shallow_ = nblocks_;
    return kEnd;
  }
  if (nblocks_ <= 1) {
    shallow_ = 0;
    return last_doc_;
  }
  uint32_t b = shallow_ < nblocks_ ? shallow_ : 0;
  if (b > 0 && DecodeFixed32(skip_ + 16 * (b - 1)) >= target) b = 0;
  while (b < nblocks_ && DecodeFixed32(skip_ + 16 * b) < target) ++b;
  shallow_ = b;
  return DecodeFixed32(skip_ + 16 * b);
}

uint32_t PostingsCursor::BlockMaxFreq() const {
  if (shallow_ >= nblocks_) return 0;
  if (nblocks_ <= 1) return max_freq_;
  uint16_t v;
  std::memcpy(&v, skip_ + 16 * shallow_ + 12, 2);
  return v;
}

uint32_t PostingsCursor::BlockMinLength() const {
  if (nblocks_ <= 1 || shallow_ >= nblocks_) return min_len_;
  return DecodeNorm(skip_[16 * shallow_ + 14]);
}

namespace {
// Past `k` varints from p (never past end): eight bytes at a time while they hold fewer ends
// (bytes below 0x80) than are left to skip.
const uint8_t* SkipVarints(const uint8_t* p, const uint8_t* end, uint64_t k) {
  while (k > 0 && end - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    // The ends' top bits, moved to the bottom of their bytes and summed into the top byte by one
    // multiplication (a portable population count of at most 8).
    const uint64_t ends = (((~w & 0x8080808080808080ull) >> 7) * 0x0101010101010101ull) >> 56;
    if (ends >= k) break;
    k -= ends;
    p += 8;
  }
  for (; k > 0 && p < end; ++p)
    if (!(*p & 0x80)) --k;
  return p;
}
}  // namespace

std::string_view PostingsCursor::RawPositions() {
  const uint8_t* block = pos_base_ + std::min<uint64_t>(block_pos_offset_, static_cast<uint64_t>(pos_end_ - pos_base_));
  if (pos_block_ != block_ || pos_doc_ > idx_) {
    pos_block_ = block_;
    pos_doc_ = 0;
    pos_at_ = 0;
  }
  uint64_t skip = 0;
  for (uint32_t i = pos_doc_; i < idx_; ++i) skip += freqs_[i];
  const uint8_t* b = SkipVarints(block + pos_at_, pos_end_, skip);
  pos_doc_ = idx_;
  pos_at_ = static_cast<uint32_t>(b - block);
  const uint8_t* e = SkipVarints(b, pos_end_, freqs_[idx_]);
  return std::string_view(reinterpret_cast<const char*>(b), static_cast<size_t>(e - b));
}

uint32_t PostingsCursor::FirstPosition() {
  std::string_view raw = RawPositions();
  const uint8_t* p = reinterpret_cast<const uint8_t*>(raw.data());
  if (raw.empty() || freqs_[idx_] == 0) return kEnd;
  return ReadVarint32Unchecked(&p);
}

void PostingsCursor::Positions(std::vector<uint32_t>* out) {
  out->clear();
  std::string_view raw = RawPositions();
  const uint8_t* p = reinterpret_cast<const uint8_t*>(raw.data());
  const uint8_t* end = p + raw.size();
  uint32_t cur = 0;
  // A damaged file may hold fewer than freq varints here: stop at the end of what was found.
  for (uint32_t k = 0; k < freqs_[idx_] && p < end; ++k) {
    cur += ReadVarint32Unchecked(&p);
    out->push_back(cur);
  }
}

}  // namespace rasai
