// SegmentBuilder and FormatWriter: writing the files of a new segment.
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "index/segment.h"
#include "util/bitpack.h"
#include "util/coding.h"
#include "util/crc32c.h"

namespace rasai {

uint8_t EncodeNorm(uint32_t length) {
  if (length < 128) return static_cast<uint8_t>(length);
  // Largest code whose decoded value is <= length, so decoded lengths never exceed the truth.
  int c = 127 + static_cast<int>(std::floor(std::log(length / 128.0) / std::log(1.06)));
  c = std::clamp(c, 128, 255);
  while (c > 128 && DecodeNorm(static_cast<uint8_t>(c)) > length) --c;
  while (c < 255 && DecodeNorm(static_cast<uint8_t>(c + 1)) <= length) ++c;
  return static_cast<uint8_t>(c);
}

uint32_t DecodeNorm(uint8_t code) {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (int c = 0; c < 256; ++c)
      t[c] = c < 128 ? c : static_cast<uint32_t>(std::floor(128.0 * std::pow(1.06, c - 127)));
    return t;
  }();
  return table[code];
}

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

int32_t ParseDateKey(std::string_view s) {
  if (s.size() < 4) return 0;
  auto digits = [&](size_t at, size_t n, int* out) {
    if (at + n > s.size()) return false;
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (!digits(0, 4, &y)) return 0;
  if (s.size() >= 7 && s[4] == '-' && digits(5, 2, &m) && m >= 1 && m <= 12) {
    if (s.size() >= 10 && s[7] == '-' && digits(8, 2, &d) && d >= 1 && d <= 31) return y * 10000 + m * 100 + d;
    return y * 10000 + m * 100;
  }
  return y * 10000;
}

int32_t ParseTimeOfDay(std::string_view s) {
  if (ParseDateKey(s) % 100 == 0 || s.size() < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) return -1;
  auto two = [&](size_t at, int max) {
    if (at + 2 > s.size() || s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9') return -1;
    const int v = (s[at] - '0') * 10 + (s[at + 1] - '0');
    return v <= max ? v : -1;
  };
  const int h = two(11, 23), m = s[13] == ':' ? two(14, 59) : -1;
  if (h < 0 || m < 0) return -1;
  int sec = 0;
  if (s.size() >= 19 && s[16] == ':') {
    sec = two(17, 60);  // 60: a leap second
    if (sec < 0) return -1;
    sec = std::min(sec, 59);
  }
  return h * 3600 + m * 60 + sec;
}

uint64_t ContentHash(const Document& doc) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0x1f;
    h *= 1099511628211ull;
  };
  // An article republished under an edited title (a typo fixed, a word added) is the same
  // article: a body of kArticleWords words or more is hashed alone. Shorter bodies (a headline's
  // blurb, a page that is only a "read more" link) may be shared by different articles: the
  // title is hashed with them.
  std::string_view body = doc.body;
  while (!body.empty() && static_cast<unsigned char>(body.front()) <= ' ') body.remove_prefix(1);
  while (!body.empty() && static_cast<unsigned char>(body.back()) <= ' ') body.remove_suffix(1);
  size_t words = 0;
  for (size_t i = 0; i < body.size() && words < kArticleWords; ++i)
    if (static_cast<unsigned char>(body[i]) > ' ' && (i == 0 || static_cast<unsigned char>(body[i - 1]) <= ' ')) ++words;
  if (words < kArticleWords) mix(doc.title);
  mix(body);
  return h;
}

uint64_t ArticleSimHash(std::string_view body) {
  // Words (ForEachArticleWord), each hashed with 64-bit FNV-1a. A 5-gram folds its words'
  // hashes; its bits are mixed (the splitmix64 finalizer) so that each of the 64 votes on an
  // independent-looking bit.
  thread_local std::vector<uint64_t> words;
  words.clear();
  ForEachArticleWord(body, [](std::string_view w) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : w) {
      h ^= c;
      h *= 1099511628211ull;
    }
    words.push_back(h);
  });
  if (words.size() < kArticleWords) return 0;
  // Every 5-gram votes. The 64 bit counts are kept as bytes, eight to a word (a byte of
  // kSpread[v] is bit i of v), and emptied into 32-bit counts before a byte can overflow.
  static const std::array<uint64_t, 256> kSpread = [] {
    std::array<uint64_t, 256> t{};
    for (unsigned v = 0; v < 256; ++v)
      for (unsigned i = 0; i < 8; ++i)
        if ((v >> i) & 1) t[v] |= 1ull << (8 * i);
    return t;
  }();
  uint64_t packed[8] = {};
  uint32_t ones[64] = {};
  auto flush = [&] {
    for (int k = 0; k < 8; ++k) {
      for (int i = 0; i < 8; ++i) ones[8 * k + i] += static_cast<uint32_t>((packed[k] >> (8 * i)) & 0xff);
      packed[k] = 0;
    }
  };
  const size_t grams = words.size() - 4;
  for (size_t i = 0; i < grams; ++i) {
    uint64_t g = 0;
    for (size_t k = 0; k < 5; ++k) g = (g ^ words[i + k]) * 0x9e3779b97f4a7c15ull;
    g ^= g >> 30;
    g *= 0xbf58476d1ce4e5b9ull;
    g ^= g >> 27;
    g *= 0x94d049bb133111ebull;
    g ^= g >> 31;
    for (int k = 0; k < 8; ++k) packed[k] += kSpread[(g >> (8 * k)) & 0xff];
    if (i % 255 == 254) flush();
  }
  flush();
  uint64_t out = 0;
  for (int b = 0; b < 64; ++b)
    if (2 * static_cast<uint64_t>(ones[b]) > grams) out |= 1ull << b;
  return out;
}

// ---------------------------------------------------------------------------------------------
Result<std::unique_ptr<FormatWriter>> FormatWriter::Create(Directory* dir, const std::string& name,
                                                           const char kind[4]) {
  auto f = dir->Create(name);
  if (!f.ok()) return f.status();
  auto w = std::unique_ptr<FormatWriter>(new FormatWriter());
  w->file_ = std::move(*f);
  w->name_ = name;
  std::string h;
  PutFixed32(&h, kFileMagic);
  h.append(kind, 4);
  PutFixed32(&h, kFormatVersion);
  RASAI_RETURN_IF_ERROR(w->Append(h));
  return w;
}

Status FormatWriter::Append(std::string_view data) {
  crc_ = Crc32c(crc_, data.data(), data.size());
  size_ += data.size();
  return file_->Append(data);
}

Status FormatWriter::Finish(FileInfo* info) {
  std::string f;
  PutFixed32(&f, crc_);
  PutFixed64(&f, size_);
  PutFixed32(&f, kFileMagic);
  const uint32_t content_crc = crc_;
  RASAI_RETURN_IF_ERROR(file_->Append(f));
  size_ += f.size();
  RASAI_RETURN_IF_ERROR(file_->Sync());
  RASAI_RETURN_IF_ERROR(file_->Close());
  info->name = name_;
  info->size = size_;
  info->crc = content_crc;  // of header + body, as in the footer
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
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
SegmentBuilder::SegmentBuilder(Directory* dir, std::string name, int ntext_fields)
    : dir_(dir), name_(std::move(name)), ntext_(ntext_fields), tindex_(ntext_fields + 1), dict_maps_(3) {
  for (int i = 0; i < 3; ++i) {
    dicts_[i].push_back("");
    dict_maps_[i][""] = 0;
  }
}
SegmentBuilder::~SegmentBuilder() = default;

Status SegmentBuilder::Open() {
  auto t = FormatWriter::Create(dir_, name_ + ".tim", "TIM1");
  if (!t.ok()) return t.status();
  tim_ = std::move(*t);
  auto d = FormatWriter::Create(dir_, name_ + ".doc", "DOC1");
  if (!d.ok()) return d.status();
  doc_ = std::move(*d);
  auto p = FormatWriter::Create(dir_, name_ + ".pos", "POS1");
  if (!p.ok()) return p.status();
  pos_ = std::move(*p);
  return Status::OK();
}

void SegmentBuilder::SetNorms(std::vector<std::vector<uint8_t>> norms) { norms_ = std::move(norms); }

Status SegmentBuilder::FinishTermBlock() {
  if (tblock_n_ == 0) return Status::OK();
  tindex_[cur_field_].back().nterms = tblock_n_;
  RASAI_RETURN_IF_ERROR(tim_->Append(tblock_));
  tblock_.clear();
  tblock_n_ = 0;
  return Status::OK();
}

Status SegmentBuilder::AddTerm(int field, std::string_view term, const uint32_t* docs, const uint32_t* freqs,
                               size_t n, std::string_view pos) {
  if (n == 0) return Status::OK();
  if (field != cur_field_) {
    RASAI_RETURN_IF_ERROR(FinishTermBlock());
    cur_field_ = field;
    last_term_.clear();
  }
  const uint64_t doc_off = doc_->body_offset();
  const uint64_t pos_off = pos_->body_offset();
  const bool is_id = field >= ntext_;
  const std::vector<uint8_t>* norms = is_id ? nullptr : &norms_[field];

  // Postings: header, skip table (when more than one block), blocks.
  const uint32_t nblocks = static_cast<uint32_t>((n + kBlockSize - 1) / kBlockSize);
  uint32_t max_freq = 0, min_len = 0xffffffffu;
  std::string& skip = skip_buf_;
  std::string& data = data_buf_;
  skip.clear();
  data.clear();
  const uint8_t* pp = reinterpret_cast<const uint8_t*>(pos.data());
  const uint8_t* pend = pp + pos.size();
  uint32_t buf[kBlockSize];
  uint64_t total_tf = 0;
  for (uint32_t b = 0; b < nblocks; ++b) {
    const size_t lo = b * kBlockSize, hi = std::min<size_t>(n, lo + kBlockSize);
    uint32_t prev = lo == 0 ? 0xffffffffu : docs[lo - 1];
    uint32_t bmax = 0, bmin = 0xffffffffu;
    for (size_t i = lo; i < hi; ++i) {
      buf[i - lo] = docs[i] - prev - 1;
      prev = docs[i];
      bmax = std::max(bmax, freqs[i]);
      total_tf += freqs[i];
      uint32_t len = norms ? DecodeNorm((*norms)[docs[i]]) : 1;
      bmin = std::min(bmin, len);
      // advance over this doc's positions
      if (!is_id)
        for (uint32_t k = 0; k < freqs[i]; ++k) {
          while (pp < pend && (*pp & 0x80)) ++pp;
          if (pp < pend) ++pp;
        }
    }
    uint32_t w = MaxBits(buf, hi - lo);
    data.push_back(static_cast<char>(w));
    Pack(buf, hi - lo, w, &data);
    for (size_t i = lo; i < hi; ++i) buf[i - lo] = freqs[i] - 1;
    w = MaxBits(buf, hi - lo);
    data.push_back(static_cast<char>(w));
    Pack(buf, hi - lo, w, &data);
    max_freq = std::max(max_freq, bmax);
    min_len = std::min(min_len, bmin);
    PutFixed32(&skip, docs[hi - 1]);
    PutFixed32(&skip, static_cast<uint32_t>(data.size()));
    PutFixed32(&skip, static_cast<uint32_t>(pp - reinterpret_cast<const uint8_t*>(pos.data())));
    uint16_t mf = static_cast<uint16_t>(std::min<uint32_t>(bmax, 0xffff));
    char two[2];
    std::memcpy(two, &mf, 2);
    skip.append(two, 2);
    skip.push_back(static_cast<char>(norms ? EncodeNorm(bmin) : 1));
    skip.push_back(0);
  }
  if (!is_id && pp != pend) return Status::Corruption("positions do not match frequencies for a term");
  std::string& head = head_buf_;
  head.clear();
  PutVarint(&head, nblocks);
  PutVarint(&head, max_freq);
  PutVarint(&head, min_len);
  PutVarint(&head, docs[n - 1]);
  RASAI_RETURN_IF_ERROR(doc_->Append(head));
  if (nblocks > 1) RASAI_RETURN_IF_ERROR(doc_->Append(skip));
  RASAI_RETURN_IF_ERROR(doc_->Append(data));
  if (!pos.empty()) RASAI_RETURN_IF_ERROR(pos_->Append(pos));

  // Term dictionary entry.
  if (tblock_n_ == kTermsPerBlock) RASAI_RETURN_IF_ERROR(FinishTermBlock());
  size_t shared = 0;
  if (tblock_n_ == 0) {
    tindex_[field].push_back({std::string(term), tim_->body_offset(), 0});
    last_doc_off_ = 0;
    last_pos_off_ = 0;
  } else {
    const size_t m = std::min(term.size(), last_term_.size());
    while (shared < m && term[shared] == last_term_[shared]) ++shared;
  }
  PutVarint(&tblock_, shared);
  PutString(&tblock_, term.substr(shared));
  PutVarint(&tblock_, n);
  PutVarint(&tblock_, total_tf - n);
  PutVarint(&tblock_, doc_off - last_doc_off_);
  PutVarint(&tblock_, pos_off - last_pos_off_);
  last_doc_off_ = doc_off;
  last_pos_off_ = pos_off;
  last_term_.assign(term);
  ++tblock_n_;
  return Status::OK();
}

Status SegmentBuilder::SetStoreDictionaries(std::string head, std::string text) {
  if (store_started_) return Status::InvalidArgument("store dictionaries set after the first document");
  auto h = FormatWriter::Create(dir_, name_ + ".sth", "STH1");
  if (!h.ok()) return h.status();
  RASAI_RETURN_IF_ERROR(sth_.Start(std::move(*h), std::move(head)));
  auto t = FormatWriter::Create(dir_, name_ + ".stt", "STT1");
  if (!t.ok()) return t.status();
  RASAI_RETURN_IF_ERROR(stt_.Start(std::move(*t), std::move(text), /*lead_blocks=*/true));
  store_started_ = true;
  return Status::OK();
}

Status SegmentBuilder::AddDocument(const Document& doc, const std::string& lang) {
  RASAI_RETURN_IF_ERROR(AddHead(doc, lang));
  return AddText(doc);
}

Status SegmentBuilder::AddText(const Document& doc) {
  if (!store_started_) return Status::InvalidArgument("AddText before SetStoreDictionaries");
  text_scratch_.clear();
  SerializeText(doc, &text_scratch_);
  return stt_.Add(text_scratch_);
}

SegmentBuilder::StoreBatch::StoreBatch(SegmentBuilder* sb, size_t n, std::function<const Document&(size_t)> doc,
                                       std::function<const std::string&(size_t)> lang)
    : sb_(sb),
      n_(n),
      nchunks_((n + kChunkDocs - 1) / kChunkDocs),
      doc_(std::move(doc)),
      lang_(std::move(lang)),
      chunks_(2 * nchunks_) {}
SegmentBuilder::StoreBatch::~StoreBatch() = default;

void SegmentBuilder::StoreBatch::Work() {
  void* cctx = nullptr;
  std::string record;
  for (size_t c; (c = next_.fetch_add(1)) < chunks_.size();) {
    Chunk& ch = chunks_[c];
    const bool head = c < nchunks_;
    const size_t first = (head ? c : c - nchunks_) * kChunkDocs;
    for (size_t i = first; i < std::min(n_, first + kChunkDocs) && ch.status.ok(); ++i) {
      const Document& doc = doc_(i);
      record.clear();
      if (head) {
        SerializeHead(doc, &record);
        ch.hashes.push_back({ContentHash(doc), ArticleSimHash(doc.body)});
      } else {
        SerializeText(doc, &record);
      }
      uint32_t len = 0;
      ch.status = (head ? sb_->sth_ : sb_->stt_).Compress(record, &cctx, &ch.frames, &len);
      ch.lens.push_back(len);
      ch.raw.push_back(record.size());
    }
  }
  StoreWriter::FreeContext(cctx);
}

Status SegmentBuilder::StoreBatch::Finish() {
  if (!sb_->store_started_) return Status::InvalidArgument("StoreBatch before SetStoreDictionaries");
  for (size_t c = 0; c < chunks_.size(); ++c) {
    Chunk& ch = chunks_[c];
    RASAI_RETURN_IF_ERROR(ch.status);
    const bool head = c < nchunks_;
    const size_t first = (head ? c : c - nchunks_) * kChunkDocs;
    size_t at = 0;
    for (size_t k = 0; k < ch.lens.size(); ++k) {
      const std::string_view frame = std::string_view(ch.frames).substr(at, ch.lens[k]);
      at += ch.lens[k];
      if (head) {
        RASAI_RETURN_IF_ERROR(sb_->sth_.AddFrame(frame, ch.raw[k]));
        ++sb_->ndocs_;
        sb_->AddDocValues(doc_(first + k), lang_(first + k), ch.hashes[k].first, ch.hashes[k].second);
      } else {
        RASAI_RETURN_IF_ERROR(sb_->stt_.AddFrame(frame, ch.raw[k]));
      }
    }
    std::string().swap(ch.frames);  // memory back as soon as written
  }
  return Status::OK();
}

Status SegmentBuilder::AddHead(const Document& doc, const std::string& lang) {
  if (!store_started_) RASAI_RETURN_IF_ERROR(SetStoreDictionaries("", ""));
  scratch_.clear();
  SerializeHead(doc, &scratch_);
  RASAI_RETURN_IF_ERROR(sth_.Add(scratch_));
  ++ndocs_;
  AddDocValues(doc, lang, ContentHash(doc), ArticleSimHash(doc.body));
  return Status::OK();
}

void SegmentBuilder::AddDocValues(const Document& doc, const std::string& lang, uint64_t content_hash,
                                  uint64_t simhash) {
  const std::string* vals[3] = {&lang, &doc.source, &doc.category};
  uint32_t ords[3];
  for (int i = 0; i < 3; ++i) {
    auto [it, inserted] = dict_maps_[i].try_emplace(*vals[i], static_cast<uint32_t>(dicts_[i].size()));
    if (inserted) dicts_[i].push_back(*vals[i]);
    ords[i] = it->second;
  }
  for (uint32_t o : ords) PutFixed32(&dv_rows_, o);
  PutFixed32(&dv_rows_, static_cast<uint32_t>(ParseDateKey(doc.date)));
  PutFixed32(&dv_rows_, static_cast<uint32_t>(ParseTimeOfDay(doc.date)));
  PutFixed64(&dv_rows_, simhash);
  PutFixed64(&dv_rows_, content_hash);
}

Status SegmentBuilder::Finish(SegmentMeta* meta) {
  meta->name = name_;
  meta->max_doc = ndocs_;
  meta->files.clear();
  // Term dictionary: last block, then the block index for every field.
  RASAI_RETURN_IF_ERROR(FinishTermBlock());
  std::string idx;
  const uint64_t idx_off = tim_->body_offset();
  for (const auto& blocks : tindex_) {
    PutVarint(&idx, blocks.size());
    for (const auto& b : blocks) {
      PutString(&idx, b.first);
      PutVarint(&idx, b.offset);
      PutVarint(&idx, b.nterms);
    }
  }
  PutFixed64(&idx, idx_off);
  RASAI_RETURN_IF_ERROR(tim_->Append(idx));
  FileInfo fi;
  for (auto* w : {tim_.get(), doc_.get(), pos_.get()}) {
    RASAI_RETURN_IF_ERROR(w->Finish(&fi));
    meta->files.push_back(fi);
  }
  // Stored documents.
  if (!store_started_) RASAI_RETURN_IF_ERROR(SetStoreDictionaries("", ""));
  if (stt_.count() != ndocs_)
    return Status::InvalidArgument(name_ + ": " + std::to_string(stt_.count()) + " text records for " +
                                   std::to_string(ndocs_) + " documents");
  RASAI_RETURN_IF_ERROR(sth_.Finish(&fi));
  meta->files.push_back(fi);
  RASAI_RETURN_IF_ERROR(stt_.Finish(&fi));
  meta->files.push_back(fi);
  // Norms.
  {
    auto w = FormatWriter::Create(dir_, name_ + ".nrm", "NRM1");
    if (!w.ok()) return w.status();
    meta->stats.assign(ntext_, FieldStats{});
    for (int f = 0; f < ntext_; ++f) {
      std::vector<uint8_t> col = f < static_cast<int>(norms_.size()) ? norms_[f] : std::vector<uint8_t>();
      col.resize(ndocs_, 0);
      for (uint8_t c : col) {
        if (c) {
          meta->stats[f].docs_with_field++;
          meta->stats[f].total_length += DecodeNorm(c);
        }
      }
      RASAI_RETURN_IF_ERROR((*w)->Append(std::string_view(reinterpret_cast<const char*>(col.data()), col.size())));
    }
    RASAI_RETURN_IF_ERROR((*w)->Finish(&fi));
    meta->files.push_back(fi);
  }
  // Doc values.
  {
    auto w = FormatWriter::Create(dir_, name_ + ".dv", "DV03");
    if (!w.ok()) return w.status();
    std::string body;
    for (const auto& d : dicts_) {
      PutVarint(&body, d.size());
      for (const auto& s : d) PutString(&body, s);
    }
    const uint64_t rows_off = body.size();
    body += dv_rows_;
    PutFixed64(&body, rows_off);
    RASAI_RETURN_IF_ERROR((*w)->Append(body));
    RASAI_RETURN_IF_ERROR((*w)->Finish(&fi));
    meta->files.push_back(fi);
  }
  return Status::OK();
}

}  // namespace rasai
