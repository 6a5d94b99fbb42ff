// Text features of a block, as jusText and boilerpipe use them to tell prose from boilerplate:
// words, stopwords (Urdu stopwords for Urdu text, English ones for English: the lists of the
// analysis layer) and sentence marks (. ۔ ? ؟ !). Prose has many stopwords and ends sentences;
// navigation, credits, counters and link lists have few.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace rasai::ingest_internal {

struct TextFeatures {
  size_t words = 0;
  size_t stopwords = 0;
  size_t sentence_marks = 0;
  size_t urdu_words = 0;  // words in Arabic script
  double StopwordDensity() const { return words ? static_cast<double>(stopwords) / static_cast<double>(words) : 0; }
};

// The features of `text` (its first 4 KB).
TextFeatures MeasureText(std::string_view text);

}  // namespace rasai::ingest_internal
