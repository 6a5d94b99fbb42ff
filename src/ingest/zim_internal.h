// Internal pieces of the ZIM reader (not part of the public API): the file check done before
// libzim sees a file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rasai/document.h"
#include "rasai/status.h"

namespace rasai::zim_internal {

// The fixed 80-byte header of a ZIM archive (openZIM format, all integers little-endian).
struct ZimHeader {
  uint32_t magic = 0;
  uint16_t major = 0, minor = 0;
  uint8_t uuid[16] = {};
  uint32_t entry_count = 0, cluster_count = 0;
  uint64_t path_ptr_pos = 0, title_ptr_pos = 0, cluster_ptr_pos = 0, mime_list_pos = 0;
  uint32_t main_page = 0, layout_page = 0;
  uint64_t checksum_pos = 0;
};
constexpr uint32_t kZimMagic = 72173914;  // "ZIM\x04"
constexpr size_t kZimHeaderSize = 80;

// The files holding an archive, in order: `logical` itself, or its parts logical + "aa",
// "ab", ... (a split archive). NotFound when there is neither.
Result<std::vector<std::string>> ZimParts(const std::string& logical);

// What ReadZimFacts found.
struct ZimFileFacts {
  ZimHeader header;
  uint64_t size = 0;  // all parts together
  bool split = false;
  std::vector<std::string> parts;  // ZimParts
};

// The archive at `logical` (one file or split parts) before libzim opens it: its parts, their
// size, a header of the right magic and version, a checksum where the file ends (else it is
// truncated or has bytes appended), pointer tables inside the file. InvalidArgument with a reason
// an operator can act on; NotFound when there is no such file.
Status ReadZimFacts(const std::string& logical, ZimFileFacts* facts);
// The MD5 of everything before the checksum against the checksum (a full read of the archive).
// Reads through file descriptors of its own: may run on another thread meanwhile.
Status VerifyZimChecksum(const ZimFileFacts& facts);
// Every directory entry (in range, names that end), cluster and title pointer: what libzim needs
// sound before it opens a file. With `redirects`, the redirect entries met, as (entry, target)
// in entry order.
Status CheckZimDirectory(const ZimFileFacts& facts, std::vector<std::pair<uint32_t, uint32_t>>* redirects = nullptr);
// The three in turn (ReadZimFacts, then, when `verify_checksum`, the checksum and the directory).
Status CheckZimFile(const std::string& logical, bool verify_checksum, ZimFileFacts* facts);

// Parses a header from its 80 bytes.
ZimHeader ParseZimHeader(const unsigned char* bytes);

// Checks a header against the archive's size (the checks of CheckZimFile but the checksum).
Status CheckZimHeader(const ZimHeader& h, uint64_t size);

// The text of an archive page's body as VisibleText gives it from the page's parse, read from the
// markup in one pass without building a tree (what an archive's pages, written by a program,
// allow), and where the <body> tag starts. False when the page holds anything whose tree or text
// the pass cannot be sure of: markup before <body> other than the head's, text or elements the
// parser would move out of a table, broken-out foreign content, a character reference outside
// a common set, hidden elements that end without an end tag, nesting deeper than 400, or
// metadata in the body (<time>, <meta content>, JSON-LD). The caller parses the page then.
// *date_texts: the text of the first 12 elements whose class or id names a date, as the
// metadata reader collects them (it takes a date from them when the page's metadata has none).
// `html` is what WithoutWikiApparatus left.
bool WalkPageText(std::string_view html, std::string* text, size_t* body_start, std::vector<std::string>* date_texts);

// True when `s` is valid UTF-8 (IsValidUtf8) holding no character the HTML parser treats its own
// way: controls but tab, LF, CR and FF, DEL, C1 controls, U+FDD0..U+FDEF, U+FFFE and U+FFFF.
// WalkPageText reads only such pages.
bool WalkableBytes(std::string_view s);

// WithoutWikiApparatus(page), as `page` itself when nothing is removed, else in *storage.
std::string_view WithoutWikiApparatus(std::string_view page, std::string* storage);

// ZimArticleDocument, with the walk (`walk`) or always through the page's parse (to compare).
Document ZimArticleDocumentOf(std::string_view id, std::string_view title, std::string_view html, bool walk);

}  // namespace rasai::zim_internal
