// SegmentReader: a segment's terms, stored documents, values and token offsets.
#include <algorithm>
#include <cstring>

#include "index/segment_core.h"
#include "rasai/index.h"
#include "rasai/postings.h"
#include "util/coding.h"

namespace rasai {

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
  bytes = std::min<size_t>(bytes, kMaxStoredRecord);
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

}  // namespace rasai
