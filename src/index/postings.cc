// PostingsCursor and TermIterator: reading a segment's postings and terms.
#include "rasai/postings.h"

#include <algorithm>
#include <cstring>

#include "index/segment_core.h"
#include "util/bitpack.h"
#include "util/coding.h"

namespace rasai {

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
  freqs_ready_ = true;
  block_ = nblocks_;
}

void PostingsCursor::DecodeFreqs() const {
  Unpack(freq_data_, n_in_block_, freq_width_, freqs_);
  for (uint32_t i = 0; i < n_in_block_; ++i) freqs_[i] += 1;
  freqs_ready_ = true;
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
  freq_data_ = p;
  freq_width_ = freq_width;
  const uint32_t last = b + 1 < nblocks_ ? DecodeFixed32(skip_ + 16 * b) : last_doc_;
  const uint32_t max_doc = seg_->core->max_doc;
  if (docs_[n_in_block_ - 1] != last || last >= max_doc || docs_[0] >= max_doc || (b > 0 && docs_[0] <= base))
    return Exhaust();
  // Docs rise by gap + 1 from docs_[0]; they can only fall by wrapping around 2^32, which 127
  // gaps of at most 24 bits from a first doc below 2^31 cannot do. Wider gaps are checked.
  if (doc_width > 24 || max_doc > (1u << 31))
    for (uint32_t i = 1; i < n_in_block_; ++i)
      if (docs_[i] <= docs_[i - 1]) return Exhaust();
  freqs_ready_ = false;
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
  uint32_t b = shallow_ < nblocks_ ? shallow_ : nblocks_;
  if (b > 0 && DecodeFixed32(skip_ + 16 * (b - 1)) >= target) {
    // Backwards (the window went past the target): the first block ending at or after it, by
    // bisection of the blocks before the window's.
    uint32_t lo = 0, hi = b - 1;
    while (lo < hi) {
      const uint32_t mid = (lo + hi) / 2;
      if (DecodeFixed32(skip_ + 16 * mid) < target) lo = mid + 1; else hi = mid;
    }
    b = lo;
  }
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
  if (!freqs_ready_) DecodeFreqs();
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
