// Text features of a block (contract in text_features.h).
#include "ingest/text_features.h"

#include <string>

#include "analysis/text_internal.h"  // the stopword lists (analysis layer, internal)
#include "rasai/analysis.h"
#include "util/text.h"

namespace rasai::ingest_internal {

TextFeatures MeasureText(std::string_view raw) {
  TextFeatures f;
  raw = raw.substr(0, 4096);
  const std::string text = IsAscii(raw) ? LowerAscii(raw) : NormalizeText(LowerAscii(raw));
  std::string word;
  bool arabic = false;
  auto flush = [&] {
    if (word.empty()) return;
    ++f.words;
    if (arabic) {
      ++f.urdu_words;
      std::string folded = word;
      analysis_internal::FoldUrduVariants(&folded);
      if (analysis_internal::IsUrduStopword(folded)) ++f.stopwords;
    } else if (analysis_internal::IsEnglishStopword(word)) {
      ++f.stopwords;
    }
    word.clear();
    arabic = false;
  };
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    const std::string_view ch = std::string_view(text).substr(i, len);
    if (ch == "." || ch == "?" || ch == "!" || ch == "\xDB\x94" || ch == "\xD8\x9F") ++f.sentence_marks;
    bool letter;
    if (c < 0x80) {
      letter = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'';
    } else {
      // Arabic-script letters (U+0600-U+06FF, not its punctuation), and any other non-ASCII
      // character that is not common punctuation or a space.
      const bool arabic_block = c == 0xD8 || c == 0xD9 || c == 0xDA || c == 0xDB;
      letter = ch != "\xD8\x8C" && ch != "\xDB\x94" && ch != "\xD8\x9F" && ch != "\xD8\x9B" && ch != "\xC2\xA0" &&
               ch != "\xC2\xAB" && ch != "\xC2\xBB" && !(c == 0xE2 && i + 1 < text.size() && text[i + 1] == '\x80');
      if (letter && arabic_block) arabic = true;
    }
    if (letter) {
      word.append(ch);
    } else {
      flush();
    }
    i += len;
  }
  flush();
  return f;
}

}  // namespace rasai::ingest_internal
