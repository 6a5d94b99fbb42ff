#include "search/query_language.h"

#include <algorithm>

#include "rasai/analysis.h"
#include "util/utf8.h"

namespace rasai {
namespace {

// The primary subtag, lower-cased, with the ISO 639-3 codes of the languages DetectLanguage
// names mapped to its codes.
std::string Primary(std::string_view lang) {
  std::string p(lang.substr(0, lang.find_first_of("-_")));
  for (char& c : p)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  static constexpr std::pair<std::string_view, std::string_view> kSame[] = {
      {"urd", "ur"}, {"lah", "pnb"}, {"pes", "fa"}, {"prs", "fa"}, {"fas", "fa"}, {"pbu", "ps"},
      {"pbt", "ps"}, {"pus", "ps"}, {"snd", "sd"}, {"eng", "en"}, {"arb", "ar"}, {"ara", "ar"}};
  for (const auto& [from, to] : kSame)
    if (p == from) return std::string(to);
  return p;
}

}  // namespace

std::string QueryLanguage(std::string_view query, bool read_as_roman_urdu) {
  if (read_as_roman_urdu) return "ur";
  // The visitor types in Urdu script: a few words say too little to tell Urdu from Panjabi or
  // Seraiki, which share it (DetectLanguage reads «دا» as Panjabi), so Urdu script means Urdu.
  size_t i = 0;
  while (i < query.size()) {
    const char32_t c = DecodeUtf8(query, &i);
    if ((c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0x08A0 && c <= 0x08FF) ||
        (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF))
      return "ur";
  }
  return DetectLanguage(query);
}

bool OtherLanguage(std::string_view doc_lang, std::string_view query_lang) {
  if (doc_lang.empty() || query_lang.empty()) return false;
  return Primary(doc_lang) != Primary(query_lang);
}

void PreferLanguage(const Snapshot& snap, const std::string& lang, std::vector<Candidate>* top, size_t depth) {
  if (lang.empty()) return;
  const size_t n = std::min(depth, top->size());
  bool moved = false;
  for (size_t c = 0; c < n; ++c) {
    Candidate& cand = (*top)[c];
    const SegmentReader& seg = *snap.segments()[cand.seg];
    if (!OtherLanguage(seg.ValueName(DocValueField::kLang, seg.Values(cand.doc).lang), lang)) continue;
    cand.score *= kOtherLanguageFactor;
    moved = true;
  }
  if (moved)
    std::stable_sort(top->begin(), top->begin() + n, [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
}

}  // namespace rasai
