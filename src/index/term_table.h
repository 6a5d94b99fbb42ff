// Internal: the in-memory term table of one field of the write buffer — each buffered term with
// its postings (docs, freqs and positions in the buffer's SlicePool) until the buffer is flushed as a segment.
//
// Thread-safety: single-threaded (the writer's thread).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "index/slice_pool.h"
#include "util/hash.h"

namespace rasai {

// One term's postings while buffered in memory. The documents before the last one are in
// `docs` as varints ((doc - previous doc) << 1 | (freq == 1)), then the freq when it is not 1;
// the last document and its freq are here, its entry written when the next one comes (or by
// WriteBuffer::WritePostings). `pos` holds, per occurrence, the position varint (the first of
// a document absolute, the next ones deltas).
struct PostingBuf {
  uint32_t key_off = 0;  // the term in TermTable's arena
  uint32_t key_len = 0;
  uint32_t last_doc = 0xffffffffu;  // the last document (0xffffffff: none yet)
  uint32_t written = 0xffffffffu;   // the last document written to `docs` (0xffffffff: none)
  uint32_t freq = 0;                // of last_doc
  uint32_t last_pos = 0;
  uint32_t ndocs = 0;
  SlicePool::Stream docs, pos;
};

// The buffered terms of one field: an open-addressing table (power-of-two slots, linear
// probing, hashes kept in the slots) over PostingBufs, the term bytes in one arena. Cheaper per
// token than std::unordered_map<std::string, ...>: no node allocation per new term, no modulo
// by a prime, and a probe compares the stored hash before touching the term.
class TermTable {
 public:
  size_t size() const { return entries_.size(); }
  // The postings of `term` (h = HashBytes(term)), created empty when new (*inserted = true).
  PostingBuf& Get(std::string_view term, uint64_t h, bool* inserted) {
    if ((entries_.size() + 1) * 2 > slots_.size()) Grow();
    const uint32_t tag = static_cast<uint32_t>(h >> 32) | 1;  // never 0 (0 = empty slot)
    size_t i = h & mask_;
    for (;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.tag == 0) break;
      if (s.tag == tag) {
        PostingBuf& e = entries_[s.idx];
        if (e.key_len == term.size() && SameBytes(arena_.data() + e.key_off, term.data(), term.size())) {
          *inserted = false;
          return e;
        }
      }
    }
    slots_[i] = Slot{tag, static_cast<uint32_t>(entries_.size())};
    PostingBuf& e = entries_.emplace_back();
    e.key_off = static_cast<uint32_t>(arena_.size());
    e.key_len = static_cast<uint32_t>(term.size());
    arena_.append(term);
    *inserted = true;
    return e;
  }
  // Hints that Get(·, h) comes soon: Prefetch a few tokens ahead, then PrefetchEntry closer
  // (it reads the slot, which Prefetch brought in).
  void Prefetch(uint64_t h) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[h & mask_]);
  }
  void PrefetchEntry(uint64_t h) const {
    if (slots_.empty()) return;
    const Slot& s = slots_[h & mask_];
    if (s.tag == (static_cast<uint32_t>(h >> 32) | 1)) __builtin_prefetch(&entries_[s.idx]);
  }
  std::string_view Term(size_t i) const {
    return std::string_view(arena_).substr(entries_[i].key_off, entries_[i].key_len);
  }
  PostingBuf& entry(size_t i) { return entries_[i]; }
  // Bytes the table holds (its own arrays; the postings are in the SlicePool).
  size_t bytes() const {
    return slots_.capacity() * sizeof(Slot) + entries_.capacity() * sizeof(PostingBuf) + arena_.capacity();
  }

 private:
  struct Slot {
    uint32_t tag = 0;
    uint32_t idx = 0;
  };
  // memcmp(a, b, n) == 0 for the short strings terms are, without a library call.
  static bool SameBytes(const char* a, const char* b, size_t n) {
    for (; n >= 8; a += 8, b += 8, n -= 8) {
      uint64_t x, y;
      std::memcpy(&x, a, 8);
      std::memcpy(&y, b, 8);
      if (x != y) return false;
    }
    for (; n > 0; ++a, ++b, --n)
      if (*a != *b) return false;
    return true;
  }
  void Grow() {
    const size_t n = slots_.empty() ? 1024 : slots_.size() * 2;
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(n, Slot{});
    mask_ = n - 1;
    for (const Slot& s : old) {
      if (s.tag == 0) continue;
      size_t i = HashBytes(Term(s.idx)) & mask_;
      while (slots_[i].tag != 0) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  std::vector<PostingBuf> entries_;
  std::string arena_;
};

}  // namespace rasai
