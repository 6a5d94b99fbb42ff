// Stored documents: the records, StoreWriter and StoreReader.
#include "index/store.h"

#include <zstd.h>

#include <algorithm>
#include <cstring>

#include "util/coding.h"

namespace rasai {

void SerializeHead(const Document& d, std::string* s) {
  for (const std::string* f : {&d.id, &d.title, &d.url, &d.date, &d.lang, &d.source, &d.category}) PutString(s, *f);
}

void SerializeText(const Document& d, std::string* s) {
  PutString(s, d.body);
  PutString(s, d.summary);
  PutVarint(s, d.extra.size());
  for (const auto& [k, v] : d.extra) {
    PutString(s, k);
    PutString(s, v);
  }
}

size_t StoredSize(const Document& d) {
  size_t n = d.id.size() + d.title.size() + d.url.size() + d.date.size() + d.lang.size() + d.source.size() +
             d.category.size() + d.body.size() + d.summary.size() + 10 * 2 + 10;
  for (const auto& [k, v] : d.extra) n += k.size() + v.size() + 4;
  return n;
}

bool DeserializeHead(std::string_view data, Document* d) {
  Decoder dec(data);
  for (std::string* f : {&d->id, &d->title, &d->url, &d->date, &d->lang, &d->source, &d->category})
    f->assign(dec.String());
  return dec.ok();
}

bool DeserializeText(std::string_view data, Document* d) {
  Decoder dec(data);
  d->body.assign(dec.String());
  d->summary.assign(dec.String());
  uint64_t n = dec.Varint();
  if (!dec.ok() || n > data.size()) return false;
  d->extra.clear();
  for (uint64_t i = 0; i < n; ++i) {
    std::string k(dec.String());
    std::string v(dec.String());
    d->extra.emplace_back(std::move(k), std::move(v));
  }
  return dec.ok();
}

namespace {
constexpr uint32_t kStoreGroup = 64;  // docs per absolute frame offset
constexpr int kStoreLevel = 3;

// Where a lead-blocks frame ends a block: 256, 512, ..., 8192, then every 8192 bytes.
size_t NextCut(size_t at) { return at < 8192 ? std::max<size_t>(256, 2 * at) : at + 8192; }

Status ZstdError(size_t r) { return Status::IOError(std::string("zstd: ") + ZSTD_getErrorName(r)); }

// One frame for `record` in *out (*n bytes), its blocks ending at the NextCut points: streaming
// compression, flushed at each. The frame header carries the record's length, as a one-shot
// frame's does. Streaming compression takes the dictionary (`cdict`, null: none) as a parameter
// of the context: it is set for every frame, whatever the context compressed before.
Status CompressLeadBlocks(ZSTD_CCtx* cctx, const ZSTD_CDict* cdict, std::string_view record, std::string* out,
                          size_t* n) {
  size_t cuts = 0;
  for (size_t c = NextCut(0); c < record.size(); c = NextCut(c)) ++cuts;
  const size_t at = out->size();  // the frame is appended
  out->resize(at + ZSTD_compressBound(record.size()) + 8 * (cuts + 1));  // + a block header per cut
  size_t r = ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
  if (!ZSTD_isError(r))
    r = cdict ? ZSTD_CCtx_refCDict(cctx, cdict) : ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, kStoreLevel);
  if (!ZSTD_isError(r)) r = ZSTD_CCtx_setPledgedSrcSize(cctx, record.size());
  if (ZSTD_isError(r)) return ZstdError(r);
  ZSTD_outBuffer ob{out->data() + at, out->size() - at, 0};
  ZSTD_inBuffer ib{record.data(), 0, 0};
  for (size_t c = NextCut(0);; c = NextCut(c)) {
    const bool last = c >= record.size();
    ib.size = last ? record.size() : c;
    do {
      r = ZSTD_compressStream2(cctx, &ob, &ib, last ? ZSTD_e_end : ZSTD_e_flush);
      if (ZSTD_isError(r)) return ZstdError(r);
      if (r != 0 && ob.pos == ob.size) return Status::IOError("zstd: output buffer too small");
    } while (r != 0);
    if (last) break;
  }
  *n = ob.pos;
  return Status::OK();
}

}  // namespace

StoreWriter::StoreWriter() = default;
StoreWriter::~StoreWriter() {
  ZSTD_freeCDict(static_cast<ZSTD_CDict*>(cdict_));
  ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(cctx_));
}

Status StoreWriter::Start(std::unique_ptr<FormatWriter> file, std::string dict, bool lead_blocks) {
  file_ = std::move(file);
  dict_ = std::move(dict);
  lead_blocks_ = lead_blocks;
  if (!dict_.empty()) {
    cdict_ = ZSTD_createCDict(dict_.data(), dict_.size(), kStoreLevel);
    if (!cdict_) return Status::IOError("zstd: cannot create a dictionary");
  }
  return file_->Append(dict_);
}

Status StoreWriter::Compress(std::string_view record, void** cctx_io, std::string* out, uint32_t* len) const {
  if (!*cctx_io) {
    *cctx_io = ZSTD_createCCtx();
    if (!*cctx_io) return Status::IOError("zstd: cannot create a compression context");
  }
  auto* cctx = static_cast<ZSTD_CCtx*>(*cctx_io);
  const size_t at = out->size();
  size_t c = 0;
  if (lead_blocks_ && record.size() > NextCut(0)) {
    const Status st = CompressLeadBlocks(cctx, static_cast<const ZSTD_CDict*>(cdict_), record, out, &c);
    if (!st.ok()) {
      out->resize(at);
      return st;
    }
  } else {
    out->resize(at + ZSTD_compressBound(record.size()));
    char* dst = out->data() + at;
    const size_t cap = out->size() - at;
    c = cdict_ ? ZSTD_compress_usingCDict(cctx, dst, cap, record.data(), record.size(),
                                          static_cast<const ZSTD_CDict*>(cdict_))
               : ZSTD_compressCCtx(cctx, dst, cap, record.data(), record.size(), kStoreLevel);
    if (ZSTD_isError(c)) {
      out->resize(at);
      return ZstdError(c);
    }
  }
  out->resize(at + c);
  if (c > 0xffffffffu) return Status::InvalidArgument("a stored document is larger than 4 GiB compressed");
  *len = static_cast<uint32_t>(c);
  return Status::OK();
}

void StoreWriter::FreeContext(void* cctx) { ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(cctx)); }

Status StoreWriter::AddFrame(std::string_view frame, size_t raw_size) {
  if (lens_.size() % kStoreGroup == 0) groups_.push_back(frames_len_);
  lens_.push_back(static_cast<uint32_t>(frame.size()));
  max_record_ = std::max<uint64_t>(max_record_, raw_size);
  frames_len_ += frame.size();
  return file_->Append(frame);
}

Status StoreWriter::Add(std::string_view record) {
  scratch_.clear();
  uint32_t len = 0;
  RASAI_RETURN_IF_ERROR(Compress(record, &cctx_, &scratch_, &len));
  return AddFrame(scratch_, record.size());
}

Status StoreWriter::Finish(FileInfo* info) {
  std::string tail;
  tail.reserve(lens_.size() * 4 + groups_.size() * 8 + 32);
  for (uint32_t l : lens_) PutFixed32(&tail, l);
  for (uint64_t g : groups_) PutFixed64(&tail, g);
  PutFixed64(&tail, dict_.size());
  PutFixed64(&tail, frames_len_);
  PutFixed32(&tail, static_cast<uint32_t>(lens_.size()));
  PutFixed32(&tail, kStoreGroup);
  PutFixed64(&tail, max_record_);
  RASAI_RETURN_IF_ERROR(file_->Append(tail));
  return file_->Finish(info);
}

// ---------------------------------------------------------------------------------------------
namespace {

// One zstd decompression context per thread, reused by every store read.
ZSTD_DCtx* ThreadDCtx() {
  struct Holder {
    ZSTD_DCtx* ctx = ZSTD_createDCtx();
    ~Holder() { ZSTD_freeDCtx(ctx); }
  };
  thread_local Holder h;
  return h.ctx;
}

}  // namespace

StoreReader::~StoreReader() { ZSTD_freeDDict(static_cast<ZSTD_DDict*>(ddict_)); }

Status StoreReader::Open(std::string_view body, uint32_t max_doc, const std::string& name) {
  name_ = name;
  auto bad = [&](const char* why) { return Status::Corruption(name + ": " + why); };
  if (body.size() < 32) return bad("too short");
  const uint8_t* tail = reinterpret_cast<const uint8_t*>(body.data()) + body.size() - 32;
  const uint64_t dict_len = DecodeFixed64(tail), frames_len = DecodeFixed64(tail + 8);
  const uint32_t n = DecodeFixed32(tail + 16), group = DecodeFixed32(tail + 20);
  max_record_ = std::min(DecodeFixed64(tail + 24), kMaxStoredRecord);
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

}  // namespace rasai
