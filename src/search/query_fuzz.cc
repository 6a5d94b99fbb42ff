// libFuzzer target for what a visitor types: the query parser, the planner and the search, over
// a fixed index (excluded from the normal build by its name; the CMake globs skip *_fuzz.cc).
//
// A query is any bytes: unbalanced quotes, lone operators, broken UTF-8, a pasted page. The
// target builds one small index at its first input (Urdu and English words, compounds written
// both ways, stopwords, diacritics, dates, two sources, articles of 60+ words for related
// articles), then per input: byte 0 picks n (1-30), offset (0-3), facets and date order, the
// rest is the query. It runs ParseQuery, Search, Suggest and Related(query as an id), and
// aborts when a search does not answer OK, when a hit list is longer than n, when a snippet, a
// "did you mean" or a completion is not valid UTF-8, or when a snippet holds markup other than
// <mark></mark>.
// Hangs are libFuzzer's -timeout.
//
//   R=/work/main   # the repository
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
//     -I$R/include -I$R/src $R/src/search/query_fuzz.cc \
//     $(ls $R/src/{util,analysis,index,search}/*.cc | grep -v -e _test -e _fuzz) \
//     $(pkg-config --cflags --libs icu-uc icu-i18n libzstd) -lstemmer -o query_fuzz
//   ./query_fuzz -max_total_time=300 -max_len=512 -timeout=10
#include <stdlib.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "rasai/index.h"
#include "rasai/search.h"
#include "search/query_parser.h"
#include "util/utf8.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

// The text of a snippet without its <mark> tags holds no markup.
bool OnlyMarks(std::string s) {
  for (const char* tag : {"<mark>", "</mark>"})
    for (size_t at; (at = s.find(tag)) != std::string::npos;) s.erase(at, std::string(tag).size());
  return s.find('<') == std::string::npos && s.find('>') == std::string::npos;
}

struct Fixture {
  std::unique_ptr<rasai::Index> index;
  std::unique_ptr<rasai::Searcher> searcher;
};

Fixture* Build() {
  auto* f = new Fixture;
  char tmpl[] = "/tmp/rasai-query-fuzz-XXXXXX";
  const char* d = mkdtemp(tmpl);
  Check(d != nullptr);
  auto idx = rasai::Index::Open(d, rasai::IndexOptions());
  Check(idx.ok());
  const char* words[] = {"کراچی", "میں", "شدید", "بارش", "وزیراعظم", "وزیر", "اعظم", "کے", "لیے", "کیلئے",
                         "سیلاب", "پاکستان", "تعلیمِ", "river", "flood", "school", "news", "Floods", "کاہے", "کا", "ہے"};
  const size_t nwords = sizeof words / sizeof words[0];
  for (int i = 0; i < 200; ++i) {
    rasai::Document doc;
    doc.id = "d" + std::to_string(i);
    doc.title = std::string(words[i % nwords]) + " " + words[(i / 7) % nwords];
    const int length = i % 4 == 0 ? 70 : 8 + i % 30;
    for (int k = 0; k < length; ++k) doc.body += std::string(k ? " " : "") + words[(i * 7 + k * k + k / 9) % nwords];
    if (i % 10 == 3) doc.body += " <b>&amp;</b> \"quoted\" 'x'";  // text that must come out escaped
    doc.date = "2016-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10) + "T0" + std::to_string(i % 10) + ":00";
    doc.source = i % 2 ? "bbc" : "voa";
    doc.category = i % 3 ? "news" : "sport";
    Check((*idx)->Add(doc).ok());
    if (i % 20 == 0) {  // an edited copy under another id: marked in result lists (Hit::copy_of)
      doc.id += "-copy";
      doc.title += " " + std::string(words[i % 7]);
      doc.body += " مزید";
      Check((*idx)->Add(doc).ok());
    }
  }
  Check((*idx)->Commit().ok());
  f->index = std::move(*idx);
  f->searcher = std::make_unique<rasai::Searcher>(f->index->snapshot());
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fixture = Build();
  if (size < 1) return 0;
  const std::string query(reinterpret_cast<const char*>(data) + 1, size - 1);
  const rasai::ParsedQuery parsed = rasai::ParseQuery(query);
  for (const auto& item : parsed.items) Check(item.text.size() <= rasai::kMaxQueryBytes);

  rasai::SearchRequest r;
  r.query = query;
  r.n = 1 + data[0] % 30;
  r.offset = (data[0] >> 5) & 3;
  r.facets = data[0] & 0x80;
  auto res = fixture->searcher->Search(r);
  Check(res.ok());
  Check(res->hits.size() <= r.n);
  Check(rasai::IsValidUtf8(res->suggestion));
  for (size_t i = 0; i < res->hits.size(); ++i) {
    const rasai::Hit& h = res->hits[i];
    Check(!h.id.empty());
    Check(rasai::IsValidUtf8(h.snippet));
    Check(OnlyMarks(h.snippet));
    Check(h.copy_of != h.id);  // a copy names an article listed before it
    for (size_t j = i; j < res->hits.size() && !h.copy_of.empty(); ++j) Check(res->hits[j].id != h.copy_of);
  }
  r.query = query + " sort:date";
  Check(fixture->searcher->Search(r).ok());

  const std::vector<std::string> suggestions = fixture->searcher->Suggest(query, 8);
  Check(suggestions.size() <= 8);
  for (const std::string& s : suggestions) Check(rasai::IsValidUtf8(s));
  auto rel = fixture->searcher->Related(query, 5);
  Check(rel.ok() || rel.status().IsNotFound());
  return 0;
}
