// Stopword lists, written by hand for Rasai.
//
// Urdu: function words picked by reading the ~320 most frequent word types of the Makhzan
// frequency list (../shared/data/urdu/wordfreq, 6.27M words), after our normalization:
// postpositions, pronouns and determiners, conjunctions, particles, the auxiliaries and the light
// verbs (ہونا، جانا، رہنا، سکنا، کرنا، دینا، لینا) in their common forms. Content words that are also
// very frequent (پاکستان، حکومت، اللہ، کہا، سال، لوگ …) are deliberately NOT stopwords.
// Entries are folded like terms when the set is built, so either spelling of a variant may be
// listed.
//
// English: common function words (articles, pronouns, auxiliaries, prepositions, conjunctions,
// a few adverbs), in the spirit of the list Snowball documents but written here ourselves.

#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "analysis/text_internal.h"
#include "rasai/analysis.h"

namespace rasai::analysis_internal {
namespace {

const char* const kUrdu[] = {
    // postpositions and genitive
    "کے", "کی", "کا", "میں", "سے", "کو", "نے", "پر", "تک", "لیے", "لئے", "ساتھ", "بعد", "طرح",
    "طرف", "بارے", "مطابق", "دوران", "علاوہ", "وجہ", "جانب", "حوالے", "بجائے", "بغیر", "پاس",
    "اندر", "باہر", "درمیان", "ذریعے", "سمیت", "تحت", "بیچ", "والے", "والی", "والا", "والوں",
    // conjunctions and particles
    "اور", "و", "یا", "کہ", "لیکن", "مگر", "بلکہ", "اگر", "تو", "بھی", "ہی", "نہ", "نہیں", "جبکہ",
    "کیونکہ", "تاہم", "چنانچہ", "یعنی", "اگرچہ", "پھر", "اب", "جب", "تب", "ورنہ", "البتہ", "چونکہ",
    "جیسے", "جیسا", "جیسی", "ایسے", "ایسا", "ایسی", "صرف", "بہت", "زیادہ", "کم", "بھر",
    // pronouns and determiners
    "یہ", "وہ", "اس", "ان", "اسے", "انہیں", "انھیں", "اسی", "انہی", "انھوں", "انہوں", "جو", "جس",
    "جن", "جنہوں", "جنھوں", "جسے", "کس", "کن", "کون", "کیا", "کیوں", "کیسے", "کہاں", "کب", "یہاں",
    "وہاں", "جہاں", "ہم", "تم", "آپ", "مجھے", "ہمیں", "تمہیں", "میرا", "میری", "میرے",
    "ہمارا", "ہماری", "ہمارے", "اپنا", "اپنی", "اپنے", "خود", "کوئی", "کسی", "کچھ", "سب",
    "ہر", "تمام", "کئی", "بعض", "دیگر", "ایک", "دونوں", "یہی", "وہی",
    // auxiliaries: ہونا
    "ہے", "ہیں", "ہوں", "ہو", "تھا", "تھی", "تھے", "تھیں", "ہوا", "ہوئی", "ہوئے", "ہوتا", "ہوتی",
    "ہوتے", "ہونا", "ہونے", "ہوگا", "ہوگی", "ہوں گے", "گا", "گی", "گے",
    // light verbs: جانا، رہنا، سکنا
    "جا", "جائے", "جائیں", "جاتا", "جاتی", "جاتے", "جانا", "جانے", "گیا", "گئی", "گئے", "گئیں",
    "رہا", "رہی", "رہے", "رہیں", "سکتا", "سکتی", "سکتے", "سکے", "سکیں",
    // light verbs: کرنا، دینا، لینا
    "کر", "کرنا", "کرنے", "کرتا", "کرتی", "کرتے", "کریں", "کرے", "کیے", "دیا", "دی", "دیے",
    "دیں", "دے", "دینا", "دینے", "دیتا", "دیتی", "دیتے", "لیا", "لی", "لے", "لینا", "لینے",
};

const char* const kEnglish[] = {
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are",
    "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "cannot", "can't", "could", "couldn't", "did", "didn't", "do", "does",
    "doesn't", "doing", "don't", "down", "during", "each", "few", "for", "from", "further", "had",
    "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "he's", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "i'm", "i've", "if", "in", "into", "is",
    "isn't", "it", "it's", "its", "itself", "let's", "me", "more", "most", "mustn't", "my",
    "myself", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "ought", "our",
    "ours", "ourselves", "out", "over", "own", "same", "shan't", "she", "she's", "should",
    "shouldn't", "so", "some", "such", "than", "that", "that's", "the", "their", "theirs", "them",
    "themselves", "then", "there", "there's", "these", "they", "they're", "this", "those",
    "through", "to", "too", "under", "until", "up", "very", "was", "wasn't", "we", "we're",
    "were", "weren't", "what", "what's", "when", "where", "which", "while", "who", "whom", "why",
    "will", "with", "won't", "would", "wouldn't", "you", "you're", "your", "yours", "yourself",
    "yourselves", "also", "may", "might", "must", "shall", "upon", "via", "yet", "per",
};

struct Hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
using WordSet = std::unordered_set<std::string, Hash, std::equal_to<>>;

// Splits the multi-word entries (ہوں گے) into words; folds Urdu entries like terms.
WordSet Build(const char* const* list, size_t n, bool urdu) {
  WordSet set;
  for (size_t k = 0; k < n; ++k) {
    std::string_view entry = list[k];
    while (!entry.empty()) {
      const size_t sp = entry.find(' ');
      std::string word(entry.substr(0, sp));
      entry = sp == std::string_view::npos ? std::string_view() : entry.substr(sp + 1);
      if (urdu) {
        word = NormalizeText(word);
        FoldUrduVariants(&word);
      }
      set.insert(std::move(word));
    }
  }
  return set;
}

}  // namespace

const char* const* UrduStopwordList(size_t* n) {
  *n = sizeof(kUrdu) / sizeof(kUrdu[0]);
  return kUrdu;
}

const char* const* EnglishStopwordList(size_t* n) {
  *n = sizeof(kEnglish) / sizeof(kEnglish[0]);
  return kEnglish;
}

bool IsUrduStopword(std::string_view folded_word) {
  static const auto* set = new WordSet(
      Build(kUrdu, sizeof(kUrdu) / sizeof(kUrdu[0]), /*urdu=*/true));
  return set->find(folded_word) != set->end();
}

bool IsEnglishStopword(std::string_view lowercase_word) {
  static const auto* set = new WordSet(
      Build(kEnglish, sizeof(kEnglish) / sizeof(kEnglish[0]), /*urdu=*/false));
  return set->find(lowercase_word) != set->end();
}

}  // namespace rasai::analysis_internal
