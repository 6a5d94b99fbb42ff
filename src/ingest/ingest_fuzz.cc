// libFuzzer target for the ingest parsers: ParseJsonDocument and whole .json texts (+ the
// DocumentToJson round trip), DocumentFromHtml and DocumentFromText. Not part of the normal
// build (the CMake globs exclude *_fuzz.cc).
//
// Build and run (from the repository root):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
//     $(ls src/ingest/*.cc src/analysis/*.cc src/util/*.cc | grep -v -e _test -e _fuzz) \
//     src/ingest/ingest_fuzz.cc $(pkg-config --cflags --libs gumbo icu-uc icu-i18n simdjson) -lstemmer -o /tmp/ingest_fuzz
//   mkdir -p /tmp/ingest_corpus && /tmp/ingest_fuzz -max_total_time=60 -max_len=8192 /tmp/ingest_corpus
//
// The first input byte picks the parser (JSON line, HTML page, Markdown/text file); the rest is
// the input. Every output must be valid UTF-8 and survive a DocumentToJson round trip; a JSON line
// read by the simdjson path must give what the reference reader gives (document or refusal).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ingest/ingest_internal.h"
#include "rasai/ingest.h"
#include "util/utf8.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int mode = data[0] % 3;
  const std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  if (mode == 0) {
    // A whole .json text: every item it yields is either a document or a reported problem.
    if (auto items = rasai::ingest_internal::JsonItems(in, nullptr); items.ok()) {
      for (const auto& item : *items) {
        Check(rasai::IsValidUtf8(item));
        auto d = rasai::ParseJsonDocument(item);
        if (d.ok()) Check(rasai::ParseJsonDocument(rasai::DocumentToJson(*d)).ok());
      }
    }
    auto r = rasai::ParseJsonDocument(in);
    auto ref = rasai::ingest_internal::ReferenceJsonLine(in, nullptr);
    Check(r.ok() == ref.ok());
    if (!r.ok()) Check(r.status().message() == ref.status().message());
    if (r.ok()) {
      Check(r->id == ref->id && r->title == ref->title && r->body == ref->body && r->summary == ref->summary &&
            r->url == ref->url && r->date == ref->date && r->lang == ref->lang && r->source == ref->source &&
            r->category == ref->category && r->extra == ref->extra);
    }
    if (!r.ok()) {
      Check(rasai::IsValidUtf8(r.status().message()));
      return 0;
    }
    Check(!r->id.empty());
    Check(rasai::IsValidUtf8(r->id) && rasai::IsValidUtf8(r->title) && rasai::IsValidUtf8(r->body));
    // What we write, we read back as the same document.
    const std::string json = rasai::DocumentToJson(*r);
    Check(rasai::IsValidUtf8(json));
    auto back = rasai::ParseJsonDocument(json);
    Check(back.ok());
    Check(back->id == r->id && back->title == r->title && back->body == r->body && back->summary == r->summary &&
          back->url == r->url && back->date == r->date && back->lang == r->lang && back->source == r->source &&
          back->category == r->category);
  } else if (mode == 1) {
    // The article extractor with its report, as `rasai extract --explain` runs it.
    rasai::ExtractionReport report;
    rasai::Document d = rasai::ExplainHtml("fuzz.html", in, &report);
    Check(rasai::IsValidUtf8(d.title) && rasai::IsValidUtf8(d.body) && rasai::IsValidUtf8(d.lang) &&
          rasai::IsValidUtf8(d.date) && rasai::IsValidUtf8(d.url) && rasai::IsValidUtf8(d.summary));
    for (const auto& [k, v] : d.extra) Check(rasai::IsValidUtf8(v));
    for (const auto& r : report.removed) Check(rasai::IsValidUtf8(r.text) && rasai::IsValidUtf8(r.element));
    Check(rasai::ParseJsonDocument(rasai::DocumentToJson(d)).ok());
  } else {
    rasai::Document d = rasai::DocumentFromText("fuzz.md", in, true);
    Check(rasai::IsValidUtf8(d.title) && rasai::IsValidUtf8(d.body));
  }
  return 0;
}
