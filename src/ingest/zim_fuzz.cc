// libFuzzer target for opening ZIM archives: ZimArchive::Open (the header and checksum check,
// then libzim) and, when the archive opens, ZimDocuments (its directory, every article read
// into a Document) and a few lookups. Not part of the normal build (the CMake globs exclude
// *_fuzz.cc).
//
// Build and run (from the repository root):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc src/ingest/zim_fuzz.cc \
//     $(ls src/ingest/*.cc src/analysis/*.cc src/util/*.cc | grep -v -e _test.cc -e _fuzz.cc) \
//     $(pkg-config --cflags --libs libzim libcrypto libzstd liblzma gumbo icu-uc icu-i18n) -lstemmer \
//     -o /tmp/zim_fuzz
//   mkdir -p /tmp/zim_corpus && cp tests/fuzz/zim_fuzz/* /tmp/zim_corpus/
//   ASAN_OPTIONS=allocator_may_return_null=1 /tmp/zim_fuzz -max_total_time=300 -max_len=120000 \
//     -malloc_limit_mb=100000 -rss_limit_mb=4096 /tmp/zim_corpus
//
// allocator_may_return_null and the malloc limit: libzim 8 sizes some allocations from counts in
// the archive (the ones this target found, a storage-order table and a cluster's blob table, are
// now checked before libzim reads them); ASan would report any other as out-of-memory. With them
// such an allocation fails as it would on a 1-2 GB machine: libzim throws std::bad_alloc and Rasai
// refuses the archive ("libzim cannot read it").
//
// The input is an archive's bytes. Its first byte picks the mode: even, the bytes as they are
// (almost never a sound checksum: Open must refuse them with a message); odd, the bytes with
// their checksum made right (the header's checksum position set to the end, the MD5 appended),
// so that damaged structure reaches libzim as it would in an archive that was written wrong
// rather than damaged later. Either way: no crash, no hang, and every document valid UTF-8.
// The seeds (tests/fuzz/zim_fuzz, written by bench/zim/zim_seeds.cc: `rasai-zim-seeds DIR`) are
// small archives of our own text with the mode byte before them; scripts/fuzz.sh runs it.
#include <openssl/evp.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "rasai/zim.h"
#include "util/utf8.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

// `bytes` with the header's checksum position pointing at its end and the MD5 appended.
std::string WithChecksum(std::string bytes) {
  if (bytes.size() < 80) return bytes;
  const uint64_t pos = bytes.size();
  for (int i = 0; i < 8; ++i) bytes[72 + i] = static_cast<char>((pos >> (8 * i)) & 0xff);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_md5(), nullptr);
  bytes.append(reinterpret_cast<const char*>(md), n);
  return bytes;
}

const std::string& TempPath() {
  static const std::string path = [] {
    char buf[] = "/tmp/zim_fuzz_XXXXXX";
    const int fd = mkstemp(buf);
    if (fd >= 0) close(fd);
    return std::string(buf) + ".zim";
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] & 1) bytes = WithChecksum(std::move(bytes));
  const std::string& path = TempPath();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);

  auto archive = rasai::ZimArchive::Open(path);
  if (!archive.ok()) {
    Check(!archive.status().message().empty());
    Check(rasai::IsValidUtf8(archive.status().message()));
    return 0;
  }
  const rasai::ZimInfo& info = (*archive)->info();
  Check(rasai::IsValidUtf8(info.title) && rasai::IsValidUtf8(info.description) && rasai::IsValidUtf8(info.lang));
  auto docs = rasai::ZimDocuments::Create(**archive);
  if (!docs.ok()) return 0;
  rasai::IngestStats stats;
  uint64_t n = 0;
  rasai::Status s = (*docs)->Read(0, (*docs)->size(), [&](rasai::Document&& d) {
    Check(d.id.starts_with(info.name + "/"));
    Check(rasai::IsValidUtf8(d.id) && rasai::IsValidUtf8(d.title) && rasai::IsValidUtf8(d.body) &&
          rasai::IsValidUtf8(d.summary) && rasai::IsValidUtf8(d.url));
    ++n;
    return rasai::Status::OK();
  }, &stats);
  Check(s.ok());
  Check(n + stats.skipped == (*docs)->size());
  // The openings rule over the same pages, with thresholds low enough to learn from a few.
  rasai::RepeatedOpeningsOptions options;
  options.min_docs = 2;
  options.min_share = 0.1;
  rasai::ZimOpenings openings(**docs, options);
  rasai::IngestStats again;
  s = (*docs)->ReadPositions(nullptr, 2, [&](uint64_t position, rasai::Document&& d) {
    openings.Observe(position, &d);
    return rasai::Status::OK();
  }, &again);
  Check(s.ok());
  s = openings.Finish(2, [&](rasai::Document&& d) {
    Check(rasai::IsValidUtf8(d.body));
    return rasai::Status::OK();
  }, &again);
  Check(s.ok());
  (*docs)->IsArticle("A/x");
  (*docs)->IsArticle("");
  return 0;
}
