// DetectLanguage: script proportions, then, inside the Arabic and Latin scripts, evidence from
// letters that only some languages use and from their most common function words.

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "analysis/text_internal.h"
#include "rasai/analysis.h"
#include "util/utf8.h"

namespace rasai {
namespace {

// Languages told apart inside the Arabic script, and inside the Latin script.
enum ArabicLang { kUr, kPnb, kSkr, kSd, kPs, kFa, kAr, kNumArabic };
constexpr const char* kArabicCodes[kNumArabic] = {"ur", "pnb", "skr", "sd", "ps", "fa", "ar"};
enum LatinLang { kEn, kFr, kDe, kEs, kUrLatn, kNumLatin };
constexpr const char* kLatinCodes[kNumLatin] = {"en", "fr", "de", "es", "ur-Latn"};

// Function words, written in each language's own orthography (only ي ى → ی and ك → ک are
// folded before lookup, so that Farsi که and Urdu کہ stay apart). Words shared by several of the
// languages are left out of all but the one where they are most telling.
const char* const kArabicWords[kNumArabic] = {
    // ur
    "کے کی میں سے کا کو نے ہیں یہ بھی نہیں تھا تھی تھے گیا کہ اور پر ہوا ہوئے ایک لیے ساتھ",
    // pnb (Shahmukhi Panjabi)
    "دا دی دے وچ نوں تے نال توں ایہہ اوہ اوہناں کیتا ہور جیہڑا جیہڑی ہندا ہندی",
    // skr (Saraiki)
    "کوں ہئی ہائی ءِ وچوں کیتے ہوندا ہوندی تیں کنوں",
    // sd
    "۾ آهي سان هن اهو تي ويو هئا آهن پنهنجي ٿيو ٿي",
    // ps
    "د په او چې دې له سره کې یې وه شو کړې لپاره کړل شوی",
    // fa
    "است این را از به در با می برای آن شد یک خود تا بود شده های هر اند نیز",
    // ar
    "في من على إلى أن التي الذي هذا عن مع كان ما لا هذه هو وقد ذلك بين",
};
const char* const kLatinWords[kNumLatin] = {
    ("the of and to in is that for it with as was on are be by this from or have an which not "
     "but were at they has had their been its"),
    "le la les des est et du un une pour dans que qui sur pas au avec sont ce",
    "der die das und ist nicht ein eine den dem zu mit von sich auf für auch des",
    "el los las del y es en que por con para una un se como pero más",
    "hai hain ka ki ke ko se mein aur nahi nahin kya tha thi bhi yeh woh kar raha",
};

struct Hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
using WordMap = std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>>;

WordMap BuildMap(const char* const* lists, int n) {
  WordMap map;
  for (int lang = 0; lang < n; ++lang) {
    std::string_view l = lists[lang];
    while (!l.empty()) {
      const size_t sp = l.find(' ');
      const std::string_view w = l.substr(0, sp);
      if (!w.empty()) map[std::string(w)] |= 1u << lang;
      l = sp == std::string_view::npos ? std::string_view() : l.substr(sp + 1);
    }
  }
  return map;
}

const WordMap& ArabicMap() {
  static const auto* m = new WordMap(BuildMap(kArabicWords, kNumArabic));
  return *m;
}
const WordMap& LatinMap() {
  static const auto* m = new WordMap(BuildMap(kLatinWords, kNumLatin));
  return *m;
}

// A raw Arabic-script word for function-word lookup: marks and invisible characters dropped,
// Arabic yeh/kaf folded to the Farsi/Urdu ones (both Farsi and Urdu use ی ک).
void LookupForm(std::string_view raw, std::string* out) {
  out->clear();
  size_t i = 0;
  while (i < raw.size()) {
    char32_t c = DecodeUtf8(raw, &i);
    if (c == 0x064A || c == 0x0649) c = 0x06CC;
    if (c == 0x0643) c = 0x06A9;
    if (analysis_internal::IsRemovedFormat(c) || c == 0x200C) continue;
    if (analysis_internal::IsStrippedArabicMark(c) && c != 0x0650) continue;  // keep zer for ءِ
    AppendUtf8(c, out);
  }
}

// Letters used by only some of the Arabic-script languages.
void ArabicLetterEvidence(char32_t c, std::array<double, kNumArabic>* s) {
  switch (c) {
    // Pashto
    case 0x069A: case 0x0696: case 0x0681: case 0x0685: case 0x067C: case 0x0689: case 0x0693:
    case 0x06BC: case 0x06CD: case 0x06D0:
      (*s)[kPs] += 1.0;
      break;
    // Sindhi (swash kaf, its own retroflexes and aspirates)
    case 0x06AA: case 0x067D: case 0x068A: case 0x0699: case 0x0683: case 0x0687: case 0x068D:
    case 0x068C: case 0x068F: case 0x06A6: case 0x067A: case 0x0680: case 0x06B1: case 0x067F:
      (*s)[kSd] += 1.0;
      break;
    // implosives: Sindhi and Saraiki
    case 0x067B: case 0x0684: case 0x06B3:
      (*s)[kSd] += 0.5;
      (*s)[kSkr] += 1.0;
      break;
    case 0x0759:  // ݙ Saraiki
      (*s)[kSkr] += 1.0;
      break;
    // Urdu/Panjabi/Saraiki letters absent from Farsi and Arabic
    case 0x0679: case 0x0688: case 0x0691: case 0x06BA: case 0x06D2: case 0x06C1: case 0x06BE:
      (*s)[kUr] += 0.05;
      (*s)[kPnb] += 0.04;
      (*s)[kSkr] += 0.03;
      break;
    // Arabic-only letters
    case 0x0629: case 0x0649: case 0x0623: case 0x0625:
      (*s)[kAr] += 0.3;
      break;
    default:
      break;
  }
}

enum Bucket {
  kLatinB, kArabicB, kDevanagari, kGurmukhi, kBengali, kGujarati, kOriya, kTamil, kTelugu,
  kKannada, kMalayalam, kSinhala, kThai, kLao, kKhmer, kMyanmar, kTibetan, kHebrew, kGreek,
  kCyrillic, kArmenian, kGeorgian, kEthiopic, kHangul, kHan, kKana, kThaana, kOtherB, kNumBuckets
};
constexpr const char* kBucketCodes[kNumBuckets] = {
    "", "", "hi", "pa", "bn", "gu", "or", "ta", "te", "kn", "ml", "si", "th", "lo", "km", "my",
    "bo", "he", "el", "ru", "hy", "ka", "am", "ko", "zh", "ja", "dv", ""};

Bucket BucketOf(int32_t script) {
  switch (script) {
    case USCRIPT_LATIN: return kLatinB;
    case USCRIPT_ARABIC: return kArabicB;
    case USCRIPT_DEVANAGARI: return kDevanagari;
    case USCRIPT_GURMUKHI: return kGurmukhi;
    case USCRIPT_BENGALI: return kBengali;
    case USCRIPT_GUJARATI: return kGujarati;
    case USCRIPT_ORIYA: return kOriya;
    case USCRIPT_TAMIL: return kTamil;
    case USCRIPT_TELUGU: return kTelugu;
    case USCRIPT_KANNADA: return kKannada;
    case USCRIPT_MALAYALAM: return kMalayalam;
    case USCRIPT_SINHALA: return kSinhala;
    case USCRIPT_THAI: return kThai;
    case USCRIPT_LAO: return kLao;
    case USCRIPT_KHMER: return kKhmer;
    case USCRIPT_MYANMAR: return kMyanmar;
    case USCRIPT_TIBETAN: return kTibetan;
    case USCRIPT_HEBREW: return kHebrew;
    case USCRIPT_GREEK: return kGreek;
    case USCRIPT_CYRILLIC: return kCyrillic;
    case USCRIPT_ARMENIAN: return kArmenian;
    case USCRIPT_GEORGIAN: return kGeorgian;
    case USCRIPT_ETHIOPIC: return kEthiopic;
    case USCRIPT_HANGUL: return kHangul;
    case USCRIPT_HAN: return kHan;
    case USCRIPT_HIRAGANA: case USCRIPT_KATAKANA: return kKana;
    case USCRIPT_THAANA: return kThaana;
    default: return kOtherB;
  }
}

// Only the first part of a long text is looked at: enough evidence, bounded cost.
constexpr size_t kMaxBytes = 64 * 1024;

}  // namespace

std::string DetectLanguage(std::string_view text) {
  if (text.size() > kMaxBytes) {
    size_t cut = kMaxBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  std::array<size_t, kNumBuckets> letters{};
  std::array<double, kNumArabic> arabic{};
  std::array<double, kNumLatin> latin{};
  size_t kana = 0, cyr_uk = 0, deva_mr = 0;
  std::string form;
  analysis_internal::SegmentText(text, /*chunks=*/false, [&](const analysis_internal::Segment& seg) {
    if (seg.kind != analysis_internal::SegKind::kWord) return;
    const std::string_view w = text.substr(seg.begin, seg.end - seg.begin);
    // Code points of the word (marks included: a close enough count of letters).
    size_t n = 0;
    for (char ch : w) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
    letters[BucketOf(seg.script)] += n;
    if (seg.script == USCRIPT_HIRAGANA || seg.script == USCRIPT_KATAKANA) kana += n;
    if (seg.script == USCRIPT_ARABIC || seg.script == USCRIPT_CYRILLIC) {
      size_t i = 0;
      while (i < w.size()) {
        const char32_t c = DecodeUtf8(w, &i);
        if (seg.script == USCRIPT_ARABIC) ArabicLetterEvidence(c, &arabic);
        if (c == 0x0456 || c == 0x0457 || c == 0x0454 || c == 0x0491) ++cyr_uk;  // і ї є ґ
      }
    }
    if (seg.script == USCRIPT_ARABIC) {
      LookupForm(w, &form);
      const auto it = ArabicMap().find(form);
      if (it != ArabicMap().end()) {
        for (int l = 0; l < kNumArabic; ++l) {
          if (it->second & (1u << l)) arabic[l] += 1.0;
        }
      }
    } else if (seg.script == USCRIPT_LATIN) {
      form.clear();
      for (char ch : w) form.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
      const auto it = LatinMap().find(form);
      if (it != LatinMap().end()) {
        for (int l = 0; l < kNumLatin; ++l) {
          if (it->second & (1u << l)) latin[l] += 1.0;
        }
      }
    } else if (seg.script == USCRIPT_DEVANAGARI) {
      if (w == "\u0906\u0939\u0947" || w == "\u0906\u0923\u093F") ++deva_mr;  // आहे आणि
    }
  });

  size_t best = kNumBuckets;
  size_t best_count = 0;
  for (size_t b = 0; b < kNumBuckets; ++b) {
    if (letters[b] > best_count) {
      best_count = letters[b];
      best = b;
    }
  }
  if (best == kNumBuckets) return std::string();
  switch (best) {
    case kArabicB: {
      int top = kUr;  // Urdu is the default for Arabic-script text without other evidence
      for (int l = 0; l < kNumArabic; ++l) {
        if (arabic[l] > arabic[top]) top = l;
      }
      return kArabicCodes[top];
    }
    case kLatinB: {
      int top = -1;
      double top_score = 0;
      for (int l = 0; l < kNumLatin; ++l) {
        if (latin[l] > top_score) {
          top_score = latin[l];
          top = l;
        }
      }
      return top < 0 ? std::string() : std::string(kLatinCodes[top]);
    }
    case kHan:
      return kana > 0 ? "ja" : "zh";
    case kCyrillic:
      return cyr_uk > 0 ? "uk" : "ru";
    case kDevanagari:
      return deva_mr > 0 ? "mr" : "hi";
    default:
      return kBucketCodes[best];
  }
}

bool IsRightToLeft(std::string_view lang) {
  // Script subtag first (pa-Arab, ur-Latn, ks-Deva …).
  size_t p = 0;
  std::string_view primary;
  bool first = true;
  while (p <= lang.size()) {
    size_t q = lang.find_first_of("-_", p);
    if (q == std::string_view::npos) q = lang.size();
    const std::string_view sub = lang.substr(p, q - p);
    if (first) {
      primary = sub;
      first = false;
    } else if (sub.size() == 4) {
      std::string s;
      for (char ch : sub) s.push_back(static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch));
      return s == "arab" || s == "hebr" || s == "thaa" || s == "syrc" || s == "nkoo" || s == "adlm" ||
             s == "rohg" || s == "mand" || s == "samr";
    }
    p = q + 1;
  }
  std::string pl;
  for (char ch : primary) pl.push_back(static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch));
  static constexpr std::string_view kRtl[] = {
      "ar",  "arc", "arz", "ary", "azb", "bal", "bcc", "bqi", "brh", "ckb", "dv",  "fa",
      "glk", "he",  "iw",  "khw", "ks",  "lrc", "mzn", "nqo", "pnb", "prs", "ps",  "sd",
      "sdh", "skr", "syr", "ug",  "ur",  "yi",  "hnd", "pbu", "pbt", "pes", "apc", "acm"};
  return std::find(std::begin(kRtl), std::end(kRtl), pl) != std::end(kRtl);
}

}  // namespace rasai
