// libFuzzer target for WalkPageText, against what it stands for: the input is an archive page's
// HTML; whenever the walk takes the page, the Document it gives must be the one the page's parse
// gives (ZimArticleDocumentOf with and without the walk: body, summary, language, and with
// RASAI_WALK_FUZZ_DATES=1 the date), and valid UTF-8. Not part of the
// normal build (the CMake globs exclude *_fuzz.cc); scripts/fuzz.sh builds and runs it on the
// seeds in tests/fuzz/zim_walk_fuzz.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/zim_internal.h"
#include "rasai/zim.h"
#include "util/utf8.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string html(reinterpret_cast<const char*>(data), size);
  std::string storage, text;
  size_t body = 0;
  std::vector<std::string> dates;
  const std::string_view page = rasai::zim_internal::WithoutWikiApparatus(html, &storage);
  const bool walked = rasai::zim_internal::WalkPageText(page, &text, &body, &dates);
  const rasai::Document a = rasai::zim_internal::ZimArticleDocumentOf("x", "Title", html, true);
  Check(rasai::IsValidUtf8(a.body) && rasai::IsValidUtf8(a.summary));
  if (!walked) return 0;
  Check(body < page.size());
  const rasai::Document b = rasai::zim_internal::ZimArticleDocumentOf("x", "Title", html, false);
  // The date, read from the texts of elements named for one, is compared on request only
  // (RASAI_WALK_FUZZ_DATES=1): on some malformed markup the parser's element holds other text.
  static const bool compare_dates = std::getenv("RASAI_WALK_FUZZ_DATES") != nullptr;
  if (a.body != b.body || a.summary != b.summary || (compare_dates && a.date != b.date) || a.lang != b.lang) {
    std::fprintf(stderr, "walk:  [%s] [%s] [%s] [%s]\nparse: [%s] [%s] [%s] [%s]\n", a.body.c_str(), a.summary.c_str(),
                 a.date.c_str(), a.lang.c_str(), b.body.c_str(), b.summary.c_str(), b.date.c_str(), b.lang.c_str());
    std::abort();
  }
  return 0;
}
