// The Snowball English stemmer of Latin terms (StemEnglish), one stemmer per thread.

#include <libstemmer.h>

#include <string>

#include "analysis/text_internal.h"

namespace rasai::analysis_internal {
namespace {

// Snowball's English stemmer keeps state: one per thread.
class Stemmer {
 public:
  Stemmer() : stemmer_(sb_stemmer_new("english", "UTF_8")) {}
  ~Stemmer() {
    if (stemmer_ != nullptr) sb_stemmer_delete(stemmer_);
  }
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  void Stem(std::string* w) {
    if (stemmer_ == nullptr || w->empty()) return;
    const sb_symbol* s =
        sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(w->data()), static_cast<int>(w->size()));
    if (s == nullptr) return;
    const int n = sb_stemmer_length(stemmer_);
    w->assign(reinterpret_cast<const char*>(s), static_cast<size_t>(n));
  }

 private:
  sb_stemmer* stemmer_;
};

Stemmer& ThreadStemmer() {
  thread_local Stemmer stemmer;
  return stemmer;
}

}  // namespace

void StemEnglish(std::string* word) { ThreadStemmer().Stem(word); }

}  // namespace rasai::analysis_internal
