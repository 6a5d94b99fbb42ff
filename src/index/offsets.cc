// The token-offset store: per-document records of word spans, a record table, writer and reader.
#include "index/offsets.h"

#include "index/format.h"
#include "util/coding.h"

namespace rasai {

void EncodeTokenSpans(const std::vector<Token>& tokens, std::string* out) {
  // One span per position: the first token of each position. Positions are consecutive from 0
  // in the default analyzer; a gap gets empty spans, a token out of order is ignored.
  std::vector<TokenSpan> spans;
  spans.reserve(tokens.size());
  for (const Token& t : tokens) {
    if (t.position < spans.size()) continue;
    if (t.position - spans.size() > (1u << 20)) break;  // absurd gap: stop here
    const uint32_t fill = spans.empty() ? 0 : spans.back().begin;
    while (spans.size() < t.position) spans.push_back(TokenSpan{fill, fill});
    const uint32_t b = std::max(t.begin, fill);  // spans never go backwards
    spans.push_back(TokenSpan{b, std::max(b, t.end)});
  }
  const uint32_t npos = static_cast<uint32_t>(spans.size());
  PutVarint(out, npos);
  if (npos == 0) return;
  const uint32_t nblocks = (npos + kOffsetsBlock - 1) / kOffsetsBlock;
  std::vector<std::string> blocks(nblocks);
  for (uint32_t b = 0; b < nblocks; ++b) {
    uint32_t prev = 0;
    for (uint32_t i = b * kOffsetsBlock; i < npos && i < (b + 1) * kOffsetsBlock; ++i) {
      PutVarint(&blocks[b], spans[i].begin - prev);
      PutVarint(&blocks[b], spans[i].end - spans[i].begin);
      prev = spans[i].begin;
    }
  }
  for (uint32_t b = 0; b + 1 < nblocks; ++b) PutVarint(out, blocks[b].size());
  for (const auto& s : blocks) out->append(s);
}

Status DecodeTokenSpans(std::string_view record, uint32_t from, uint32_t to, std::vector<TokenSpan>* out,
                        uint32_t* npos) {
  out->clear();
  auto bad = [](const char* why) { return Status::Corruption(std::string("token offsets: ") + why); };
  Decoder d(record);
  const uint64_t n = d.Varint();
  if (!d.ok()) return bad("truncated record");
  // Every position takes at least 2 bytes: a count beyond that is damage.
  if (n > record.size()) return bad("position count larger than the record");
  *npos = static_cast<uint32_t>(n);
  if (to > *npos) to = *npos;
  if (from >= to) return Status::OK();
  const uint32_t nblocks = (*npos + kOffsetsBlock - 1) / kOffsetsBlock;
  const uint32_t first_block = from / kOffsetsBlock;
  uint64_t skip = 0;
  for (uint32_t b = 0; b + 1 < nblocks; ++b) {
    const uint64_t len = d.Varint();
    if (len > record.size()) return bad("bad block length");
    if (b < first_block) skip += len;
  }
  if (!d.ok() || skip > d.remaining()) return bad("truncated block table");
  Decoder blocks(d.ptr() + skip, d.remaining() - skip);
  out->reserve(to - from);
  uint32_t i = first_block * kOffsetsBlock;
  uint64_t prev = 0;
  for (; i < to; ++i) {
    if (i % kOffsetsBlock == 0) prev = 0;
    const uint64_t begin = prev + blocks.Varint();
    const uint64_t len = blocks.Varint();
    if (!blocks.ok()) return bad("truncated block");
    if (begin + len > 0xffffffffu) return bad("span out of range");
    prev = begin;
    if (i >= from) out->push_back(TokenSpan{static_cast<uint32_t>(begin), static_cast<uint32_t>(begin + len)});
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
Result<std::unique_ptr<OffsetsWriter>> OffsetsWriter::Create(Directory* dir, const std::string& segment, int field) {
  auto f = FormatWriter::Create(dir, segment + ".off", "OFF1");
  if (!f.ok()) return f.status();
  std::unique_ptr<OffsetsWriter> w(new OffsetsWriter());
  w->w_ = std::move(*f);
  w->field_ = field;
  PutFixed64(&w->table_, 0);
  return w;
}

OffsetsWriter::~OffsetsWriter() = default;

Status OffsetsWriter::Add(std::string_view record) {
  RASAI_RETURN_IF_ERROR(w_->Append(record));
  PutFixed64(&table_, w_->body_offset());
  ++ndocs_;
  return Status::OK();
}

Status OffsetsWriter::Finish(FileInfo* info) {
  const uint64_t table_off = w_->body_offset();
  PutFixed32(&table_, static_cast<uint32_t>(field_));
  PutFixed32(&table_, ndocs_);
  PutFixed64(&table_, table_off);
  RASAI_RETURN_IF_ERROR(w_->Append(table_));
  return w_->Finish(info);
}

// ---------------------------------------------------------------------------------------------
Result<std::unique_ptr<OffsetsFile>> OffsetsFile::Open(const Directory& dir, const std::string& name,
                                                      uint32_t max_doc) {
  auto m = dir.OpenMapped(name);
  if (!m.ok()) return Status::Corruption("segment file missing or unreadable: " + m.status().ToString());
  auto body = CheckedBody(**m, "OFF1", name);
  if (!body.ok()) return body.status();
  std::unique_ptr<OffsetsFile> f(new OffsetsFile());
  const std::string_view b = *body;
  if (b.size() < 16) return Status::Corruption(name + ": too short");
  const char* tail = b.data() + b.size() - 16;
  const uint32_t field = DecodeFixed32(tail);
  const uint32_t ndocs = DecodeFixed32(tail + 4);
  const uint64_t table_off = DecodeFixed64(tail + 8);
  if (ndocs != max_doc) return Status::Corruption(name + ": " + std::to_string(ndocs) + " documents, segment has " +
                                                  std::to_string(max_doc));
  if (field > 0xffff) return Status::Corruption(name + ": bad field id");
  if (table_off > b.size() - 16 || (b.size() - 16 - table_off) != (static_cast<uint64_t>(ndocs) + 1) * 8)
    return Status::Corruption(name + ": bad record table");
  f->name_ = name;
  f->data_ = b.substr(0, table_off);
  f->table_ = b.data() + table_off;
  f->field_ = static_cast<int>(field);
  f->ndocs_ = ndocs;
  if (DecodeFixed64(f->table_) != 0 || DecodeFixed64(f->table_ + 8ull * ndocs) != table_off)
    return Status::Corruption(name + ": bad record table");
  f->file_ = std::move(*m);
  return f;
}

Status OffsetsFile::Record(uint32_t doc, std::string_view* record) const {
  if (doc >= ndocs_) return Status::Corruption(name_ + ": no record for document " + std::to_string(doc));
  const uint64_t a = DecodeFixed64(table_ + 8ull * doc), b = DecodeFixed64(table_ + 8ull * doc + 8);
  if (a > b || b > data_.size())
    return Status::Corruption(name_ + ": record of document " + std::to_string(doc) + " out of bounds");
  *record = data_.substr(a, b - a);
  return Status::OK();
}

Status OffsetsFile::VerifyCrc() const { return VerifyFileCrc(*file_, name_); }

}  // namespace rasai
