// The fast path of the analyzer (FastAnalyze), used by DefaultAnalyzer().Analyze.
//
// One pass over the raw text that decodes each code point once, looks it up in one table (class,
// script, folded form) and writes the term straight into the token. It handles the words that
// make up nearly all real text: Arabic-script words of NFKC-inert letters and marks, ASCII Latin
// words (with digits and an apostrophe between letters), and numbers. Anything else (a character
// NFKC may change, ZWNJ, invisible characters, the high hamza, other scripts, non-ASCII Latin,
// ill-formed or 4-byte UTF-8, ...) sends the whole word to AnalyzeRawSegment, from the same
// position; segments do not depend on what came before them, so both paths cut the text alike.

#include <unicode/uscript.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/fast_table.h"
#include "analysis/text_internal.h"
#include "analysis/word_table.h"
#include "rasai/analysis.h"

namespace rasai::analysis_internal {
namespace {

// Decodes one well-formed 1-, 2- or 3-byte sequence at s[*i]; false (and *i unchanged) for
// anything else (4-byte sequences, ill-formed bytes), which the reference path handles.
inline bool DecodeBmp(const unsigned char* s, size_t n, size_t* i, char32_t* c) {
  const unsigned b0 = s[*i];
  if (b0 < 0x80) {
    *c = b0;
    ++*i;
    return true;
  }
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (*i + 1 >= n || (s[*i + 1] & 0xC0) != 0x80) return false;
    *c = (static_cast<char32_t>(b0 & 0x1F) << 6) | (s[*i + 1] & 0x3F);
    *i += 2;
    return true;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (*i + 2 >= n) return false;
    const unsigned b1 = s[*i + 1], b2 = s[*i + 2];
    if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) return false;
    if (b0 == 0xE0 && b1 < 0xA0) return false;   // overlong
    if (b0 == 0xED && b1 >= 0xA0) return false;  // surrogate
    *c = (static_cast<char32_t>(b0 & 0x0F) << 12) | (static_cast<char32_t>(b1 & 0x3F) << 6) | (b2 & 0x3F);
    *i += 3;
    return true;
  }
  return false;
}

inline void AppendCodePoint(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    const char two[2] = {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
    out->append(two, 2);
  } else {
    const char three[3] = {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
                           static_cast<char>(0x80 | (c & 0x3F))};
    out->append(three, 3);
  }
}

enum class Step { kWord, kEnd, kBail };

class FastAnalyzer {
 public:
  FastAnalyzer(std::string_view text, std::vector<Token>* out)
      : s_(reinterpret_cast<const unsigned char*>(text.data())), n_(text.size()), text_(text), out_(out),
        table_(FastTable()) {}

  void Run() {
    size_t pos = 0;
    uint64_t fast = 0, fallback = 0;
    while (pos < n_) {
      const Step step = NextWord(&pos);
      if (step == Step::kWord) {
        ++fast;
        continue;
      }
      if (step == Step::kEnd) break;
      // Reference path for one segment from `pos` (a word start, or a character that needs it).
      Segment seg;
      if (!NextSegment(text_, &pos, &seg, /*chunks=*/true)) break;
      AnalyzeRawSegment(text_, seg, &position_, out_);
      ++fallback;
    }
    auto& stats = ThreadFastPathStats();
    stats.fast_words += fast;
    stats.fallback_words += fallback;
  }

 private:
  // Skips separators, then analyzes one word: kWord when it did (*pos is then where NextSegment
  // would continue), kEnd at the end of the text, kBail with *pos at the start of what the fast
  // path cannot handle (a word, or a character NextSegment must see).
  Step NextWord(size_t* pos) {
    size_t i = *pos;
    char32_t c = 0;
    uint32_t v = 0;
    for (;;) {  // separators, and marks before any word (NextSegment drops both)
      if (i >= n_) {
        *pos = i;
        return Step::kEnd;
      }
      const unsigned b = s_[i];
      if (b < 0x80) {
        v = table_[b];
        if (FastKindOf(v) == kFastSep) {
          ++i;
          continue;
        }
        c = b;
        break;
      }
      size_t j = i;
      if (!DecodeBmp(s_, n_, &j, &c)) {
        *pos = i;
        return Step::kBail;
      }
      v = table_[c];
      const uint32_t k = FastKindOf(v);
      if (k == kFastSep || k == kFastMark) {
        i = j;
        continue;
      }
      break;
    }
    *pos = i;
    const uint32_t kind = FastKindOf(v);
    if (kind == kFastLetter) {
      const int32_t script = FastScriptOf(v);
      if (script == USCRIPT_LATIN) return c < 0x80 ? Latin(pos, i) : Step::kBail;
      if (script == USCRIPT_ARABIC) return Arabic(pos, i, script);
      return Step::kBail;
    }
    if (kind == kFastDigit) return Number(pos, i);
    return Step::kBail;
  }

  // An ASCII Latin word from s_[start]: ASCII letters and digits, ' or ’ between letters.
  Step Latin(size_t* pos, size_t start) {
    std::string& term = NewTerm();
    return LatinFrom(pos, start, start, &term);
  }

  // Continues a Latin word whose term so far is *term (a number may turn into one: 19th).
  Step LatinFrom(size_t* pos, size_t start, size_t i, std::string* term) {
    size_t end = i;
    size_t next = i;
    for (;;) {
      if (i >= n_) {
        next = i;
        break;
      }
      const unsigned b = s_[i];
      if (b < 0x80) {
        if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') {
          term->push_back(static_cast<char>(b | 0x20));
          end = ++i;
          continue;
        }
        if (b >= '0' && b <= '9') {
          term->push_back(static_cast<char>(b));
          end = ++i;
          continue;
        }
        if (b == '\'') {
          if (LatinLetterAt(i + 1)) {
            term->push_back('\'');
            end = ++i;
            continue;
          }
          if (i + 1 < n_ && s_[i + 1] >= 0x80) return Bail(pos);
          next = i + 1;  // the apostrophe separates
          break;
        }
        if (FastKindOf(table_[b]) == kFastSep) {
          next = i + 1;
          break;
        }
        return Bail(pos);
      }
      size_t j = i;
      char32_t c;
      if (!DecodeBmp(s_, n_, &j, &c)) return Bail(pos);
      const uint32_t v = table_[c];
      const uint32_t k = FastKindOf(v);
      if (k == kFastSep) {
        next = j;
        break;
      }
      if (k == kFastLetter && FastScriptOf(v) != USCRIPT_LATIN) {
        next = i;  // a script change ends the word; the letter starts the next one
        break;
      }
      if (k == kFastApos) {  // ’ (U+2019)
        if (LatinLetterAt(j)) {
          term->push_back('\'');
          end = i = j;
          continue;
        }
        if (j < n_ && s_[j] >= 0x80) return Bail(pos);
        next = j;
        break;
      }
      return Bail(pos);
    }
    const bool stop = EnglishWords().Find(*term) != nullptr;
    StemEnglish(term);
    Finish(start, end, stop);
    *pos = next;
    return Step::kWord;
  }

  bool LatinLetterAt(size_t i) const {
    return i < n_ && s_[i] < 0x80 && (s_[i] | 0x20) >= 'a' && (s_[i] | 0x20) <= 'z';
  }

  // A number from s_[start]: digits (folded to ASCII where NormalizeText does) and marks.
  Step Number(size_t* pos, size_t start) {
    std::string& term = NewTerm();
    bool ascii = true;  // the term so far is ASCII
    size_t i = start;
    size_t end = start;
    size_t next;
    for (;;) {
      if (i >= n_) {
        next = i;
        break;
      }
      const unsigned b = s_[i];
      if (b < 0x80) {
        if (b >= '0' && b <= '9') {
          term.push_back(static_cast<char>(b));
          end = ++i;
          continue;
        }
        if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') {  // 19th: the number turns into a Latin word
          if (!ascii) return Bail(pos);                 // (non-ASCII digits or marks: ICU's LatinFold)
          return LatinFrom(pos, start, i, &term);
        }
        if (FastKindOf(table_[b]) == kFastSep || b == '\'') {
          next = i + 1;
          break;
        }
        return Bail(pos);
      }
      size_t j = i;
      char32_t c;
      if (!DecodeBmp(s_, n_, &j, &c)) return Bail(pos);
      const uint32_t v = table_[c];
      const uint32_t k = FastKindOf(v);
      if (k == kFastDigit || k == kFastMark) {
        if (!(v & kFastDeleted)) {
          const char32_t f = v & 0xFFFF;
          ascii = ascii && f < 0x80;
          AppendCodePoint(f, &term);
        }
        end = i = j;
        continue;
      }
      if (k == kFastSep || k == kFastApos) {
        next = j;
        break;
      }
      if (k == kFastLetter && FastScriptOf(v) != USCRIPT_LATIN) {
        next = i;  // 2005ء → 2005 | ء
        break;
      }
      return Bail(pos);
    }
    Finish(start, end, false);
    *pos = next;
    return Step::kWord;
  }

  // An Arabic-script word from s_[start]: letters of that script and marks.
  Step Arabic(size_t* pos, size_t start, int32_t script) {
    std::string& term = NewTerm();
    size_t i = start;
    size_t end = start;
    size_t next;
    char32_t last = 0;  // last code point written to the term
    bool yeh_yeh = false;
    for (;;) {
      if (i >= n_) {
        next = i;
        break;
      }
      const unsigned b = s_[i];
      if (b < 0x80) {
        const uint32_t k = FastKindOf(table_[b]);
        if (k == kFastSep || k == kFastApos) {
          next = i + 1;
          break;
        }
        if (k == kFastLetter || k == kFastDigit) {  // a Latin letter or a digit ends the word
          next = i;
          break;
        }
        return Bail(pos);
      }
      size_t j = i;
      char32_t c;
      if (!DecodeBmp(s_, n_, &j, &c)) return Bail(pos);
      const uint32_t v = table_[c];
      const uint32_t k = FastKindOf(v);
      if (k == kFastLetter) {
        if (FastScriptOf(v) != script) {
          next = i;
          break;
        }
      } else if (k == kFastMark) {
        if (v & kFastDeleted) {
          end = i = j;
          continue;
        }
      } else if (k == kFastSep || k == kFastApos) {
        next = j;
        break;
      } else if (k == kFastDigit) {
        next = i;  // ویں11 → ویں | 11
        break;
      } else {
        return Bail(pos);
      }
      const char32_t f = v & 0xFFFF;
      if (f == 0x06CC && last == 0x06CC) yeh_yeh = true;
      last = f;
      AppendCodePoint(f, &term);
      end = i = j;
    }
    // Arabic-script terms: the spelling-variant folds (they only look at words ending in ۓ ۂ ے و
    // or containing یی), then the joined forms and the stopwords.
    if (yeh_yeh || last == 0x06D3 || last == 0x06C2 || last == 0x06D2 || last == 0x0648) {
      FoldUrduVariants(&term);
    }
    const WordTable::Entry* e = UrduWords().Find(term);
    if (e != nullptr && e->compound >= 0) {
      const FoldedCompound& fc = Compounds()[static_cast<size_t>(e->compound)];
      term = fc.first;
      Finish(start, end, UrduWords().Find(fc.first) != nullptr && UrduWords().Find(fc.first)->stop);
      NewTerm() = fc.second;
      Finish(start, end, UrduWords().Find(fc.second) != nullptr && UrduWords().Find(fc.second)->stop);
    } else {
      Finish(start, end, e != nullptr && e->stop);
    }
    *pos = next;
    return Step::kWord;
  }

  // A new token at the end of *out_, whose term the caller fills; Finish completes it, Bail drops it.
  std::string& NewTerm() {
    out_->emplace_back();
    return out_->back().term;
  }
  void Finish(size_t begin, size_t end, bool stop) {
    Token& t = out_->back();
    if (t.term.empty()) {  // nothing left after normalization: no token (as EmitWord)
      out_->pop_back();
      return;
    }
    t.position = position_++;
    t.begin = static_cast<uint32_t>(begin);
    t.end = static_cast<uint32_t>(end);
    t.stop = stop;
  }
  Step Bail(size_t* pos) {
    out_->pop_back();
    (void)pos;  // *pos still points at the start of the word
    return Step::kBail;
  }

  const unsigned char* s_;
  size_t n_;
  std::string_view text_;
  std::vector<Token>* out_;
  const uint32_t* table_;
  uint32_t position_ = 0;
};

}  // namespace

void FastAnalyze(std::string_view text, std::vector<Token>* out) { FastAnalyzer(text, out).Run(); }

FastPathStats& ThreadFastPathStats() {
  thread_local FastPathStats stats;
  return stats;
}

}  // namespace rasai::analysis_internal
