// libFuzzer target for the readers of an index's files, through the search: damaged file bodies
// (excluded from the normal build by its name; the CMake globs skip *_fuzz.cc).
//
// Opening an index checks headers, footers and tables; the bodies are `rasai check`'s. A body
// damaged after that check must never make a reader leave its file: a search answers (possibly
// wrongly) or reports Corruption. The target builds one small index (Urdu and English words,
// 300 documents) at its first input, then per input: byte 0 picks a segment file (.tim .doc .pos
// .off .nrm .dv .sth .stt), each following 4 bytes are (offset u24, xor) applied to the file,
// the index is opened read-only and every kind of query runs (words, phrase, OR and exclusion,
// prefix, typo, date sort, fields, facets, related, suggest, also after a word), and every
// postings list is walked.
// It aborts when a status is neither OK nor Corruption (NotFound for Related), or a list's docs
// do not rise or leave the segment.
//
//   R=/work/main   # the repository
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
//     -I$R/include -I$R/src $R/src/search/damage_fuzz.cc \
//     $(ls $R/src/{util,analysis,index,search}/*.cc | grep -v -e _test -e _fuzz) \
//     $(pkg-config --cflags --libs icu-uc icu-i18n libzstd) -lstemmer -o damage_fuzz
//   ./damage_fuzz -max_total_time=120 -max_len=64
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "rasai/index.h"
#include "rasai/postings.h"
#include "rasai/search.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

struct Fixture {
  std::string dir;
  std::vector<std::string> files;  // one per kind, in the order byte 0 picks them
  std::vector<std::string> originals;
};

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void Write(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

Fixture* Build() {
  auto* f = new Fixture;
  char tmpl[] = "/tmp/rasai-damage-fuzz-XXXXXX";
  const char* d = mkdtemp(tmpl);
  Check(d != nullptr);
  f->dir = d;
  auto idx = rasai::Index::Open(f->dir, rasai::IndexOptions());
  Check(idx.ok());
  const char* words[] = {"کراچی", "میں", "شدید", "بارش", "لاہور", "سیلاب", "river", "flood", "school", "news"};
  for (int i = 0; i < 300; ++i) {
    rasai::Document doc;
    doc.id = "d" + std::to_string(i);
    doc.title = std::string(words[i % 10]) + " " + words[(i / 10) % 10];
    for (int k = 0; k < 12 + i % 40; ++k) doc.body += std::string(k ? " " : "") + words[(i * 7 + k * k) % 10];
    doc.date = "2016-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10);
    doc.source = i % 2 ? "bbc" : "voa";
    if (i % 30 == 0) {  // an article and an edited copy of it: result lists read and compare them
      for (int k = 0; k < 60; ++k) doc.body += std::string(" ") + words[(i + k * 3 + k / 7) % 10];
      Check((*idx)->Add(doc).ok());
      doc.id += "-copy";
      doc.body += " مزید";
    }
    Check((*idx)->Add(doc).ok());
  }
  Check((*idx)->Commit().ok());
  idx->reset();
  for (const char* ext : {".tim", ".doc", ".pos", ".off", ".nrm", ".dv", ".sth", ".stt"}) {
    for (const auto& e : std::filesystem::directory_iterator(f->dir))
      if (e.path().extension() == ext) {
        f->files.push_back(e.path().string());
        f->originals.push_back(Read(e.path().string()));
      }
  }
  Check(f->files.size() == 8);
  return f;
}

void Exercise(const rasai::Index& index) {
  auto snap = index.snapshot();
  rasai::Searcher s(snap);
  const char* queries[] = {"بارش", "کراچی میں شدید بارش", "\"شدید بارش\"", "river OR flood -school", "بار*",
                           "کراچ", "لاہور sort:date", "title:بارش year:2016"};
  for (const char* q : queries)
    for (bool facets : {false, true}) {
      rasai::SearchRequest r;
      r.query = q;
      r.facets = facets;
      auto res = s.Search(r);
      Check(res.ok() || res.status().IsCorruption());
    }
  auto rel = s.Related("d7", 5);
  Check(rel.ok() || rel.status().IsCorruption() || rel.status().IsNotFound());
  (void)s.Suggest("بار");
  (void)s.Suggest("riv fl");  // English completions read positions, offsets and bodies
  // Completions after a word read titles (stored heads), token offsets, bodies and postings.
  for (const char* typed : {"شدید ب", "کراچی ", "river f", "school "}) (void)s.Suggest(typed);
  for (const auto& segp : snap->segments()) {
    const rasai::SegmentReader& seg = *segp;
    for (int field = 0; field < static_cast<int>(snap->schema().fields.size()); ++field) {
      size_t n = 0;
      for (rasai::TermIterator it = seg.Terms(field); it.Valid() && n < 100000; it.Next(), ++n) {
        rasai::PostingsCursor pc = seg.Postings(it.info());
        uint32_t prev = 0;
        bool first = true;
        std::vector<uint32_t> pos;
        for (uint32_t doc = pc.doc(); doc != rasai::PostingsCursor::kEnd; doc = pc.Next()) {
          Check(doc < seg.max_doc() && (first || doc > prev));
          pc.Positions(&pos);
          first = false;
          prev = doc;
        }
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fixture = Build();
  if (size < 4) return 0;
  const size_t which = data[0] % fixture->files.size();
  const std::string& orig = fixture->originals[which];
  std::string damaged = orig;
  for (size_t i = 1; i + 4 <= size; i += 4) {
    const size_t at = (static_cast<size_t>(data[i]) | static_cast<size_t>(data[i + 1]) << 8 |
                       static_cast<size_t>(data[i + 2]) << 16) % damaged.size();
    damaged[at] = static_cast<char>(damaged[at] ^ data[i + 3]);
  }
  Write(fixture->files[which], damaged);
  auto idx = rasai::Index::OpenReadOnly(fixture->dir);
  if (idx.ok()) Exercise(**idx);
  Write(fixture->files[which], orig);
  return 0;
}
