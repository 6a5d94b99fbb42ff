// The fast path's per-code-point table (FastTable): for each BMP code point its kind as the fast
// path sees it, its script and its folded form, packed in one uint32_t. Internal to the analysis
// layer.
//
// Thread-safety: built once on first use (thread-safe), read-only afterwards.
// Ownership: the table lives for the whole process (never freed).
#pragma once

#include <cstdint>

namespace rasai::analysis_internal {

// Per BMP code point, for the fast path: bits 0–15 the folded code point (FoldCodePoint),
// 16–19 the kind, 20–27 the script (UScriptCode), bit 28 "deleted by normalization".
enum FastKind : uint32_t {
  kFastBail = 0,    // not handled here: the word goes to the reference path
  kFastSep = 1,     // a separator NFKC leaves alone (or turns into such separators only)
  kFastLetter = 2,  // an NFKC-inert letter of a script other than Common/Inherited
  kFastMark = 3,    // an NFKC-inert combining mark or stripped Arabic mark (inside a word)
  kFastDigit = 4,   // an NFKC-inert digit
  kFastApos = 5,    // ' or ’
};
constexpr uint32_t kFastDeleted = 1u << 28;

inline uint32_t FastKindOf(uint32_t v) { return (v >> 16) & 0xF; }
inline int32_t FastScriptOf(uint32_t v) { return static_cast<int32_t>((v >> 20) & 0xFF); }

// The 0x10000 entries, indexed by code point.
const uint32_t* FastTable();

}  // namespace rasai::analysis_internal
