// SegmentBuilder: writing the files of a new segment.
#include "index/segment_builder.h"

#include <algorithm>
#include <cstring>

#include "rasai/article.h"
#include "util/bitpack.h"
#include "util/coding.h"
#include "util/date.h"

namespace rasai {

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
    // Written as soon as the chunks before it are: the compressed records are not all held.
    std::lock_guard<std::mutex> l(write_mu_);
    ch.done = true;
    while (write_status_.ok() && written_ < chunks_.size() && chunks_[written_].done) {
      write_status_ = WriteChunk(written_);
      ++written_;
    }
  }
  StoreWriter::FreeContext(cctx);
}

Status SegmentBuilder::StoreBatch::WriteChunk(size_t c) {
  if (!sb_->store_started_) return Status::InvalidArgument("StoreBatch before SetStoreDictionaries");
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
  // Memory back as soon as written.
  std::string().swap(ch.frames);
  std::vector<uint32_t>().swap(ch.lens);
  std::vector<uint64_t>().swap(ch.raw);
  std::vector<std::pair<uint64_t, uint64_t>>().swap(ch.hashes);
  return Status::OK();
}

Status SegmentBuilder::StoreBatch::Finish() {
  std::lock_guard<std::mutex> l(write_mu_);
  if (!sb_->store_started_) return Status::InvalidArgument("StoreBatch before SetStoreDictionaries");
  RASAI_RETURN_IF_ERROR(write_status_);
  for (; written_ < chunks_.size(); ++written_) {
    if (!chunks_[written_].done) return Status::InvalidArgument("StoreBatch::Finish before Work");
    RASAI_RETURN_IF_ERROR(WriteChunk(written_));
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
  PutFixed32(&dv_rows_, static_cast<uint32_t>(DateKey(doc.date)));
  PutFixed32(&dv_rows_, static_cast<uint32_t>(TimeOfDay(doc.date)));
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
