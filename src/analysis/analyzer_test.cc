// Golden tests for the default analyzer: tokens, terms, offsets, positions, stopwords, variant
// folds, joined forms, EndsWithNonJoiner, broken input and thread safety.

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "analysis/text_internal.h"
#include "util/utf8.h"
#include "rasai/analysis.h"

namespace rasai {
namespace {

std::vector<Token> A(std::string_view text) {
  std::vector<Token> out;
  DefaultAnalyzer().Analyze(text, &out);
  return out;
}

std::vector<std::string> Terms(std::string_view text) {
  std::vector<std::string> t;
  for (const Token& k : A(text)) t.push_back(k.term);
  return t;
}

std::string T(std::string_view word) { return DefaultAnalyzer().Term(word); }

using V = std::vector<std::string>;

TEST(Analyzer, UrduSentence) {
  EXPECT_EQ(Terms("پاکستان کے زیرِ انتظام کشمیر کے زلزلے سے متاثرہ علاقوں میں۔"),
            (V{"پاکستان", "کے", "زیر", "انتظام", "کشمیر", "کے", "زلزلے", "سے", "متاثرہ", "علاقوں", "میں"}));
}

TEST(Analyzer, UrduPunctuationSeparates) {
  EXPECT_EQ(Terms("ہے۔اور،کیا؟ہاں؛«نہیں»“جی”"), (V{"ہے", "اور", "کیا", "ہاں", "نہیں", "جی"}));
  EXPECT_EQ(Terms("‘‘بکاؤ مال’’"), (V{"بکاؤ", "مال"}));
}

TEST(Analyzer, PositionsAreConsecutiveFromZero) {
  const auto t = A("ایک دو three ۴");
  ASSERT_EQ(t.size(), 4u);
  for (uint32_t i = 0; i < t.size(); ++i) EXPECT_EQ(t[i].position, i);
  const auto again = A("ایک");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].position, 0u);  // each call starts at 0
}

TEST(Analyzer, ByteOffsetsOnMixedText) {
  // Offsets are into the original bytes, including text that normalization changes.
  const std::string text = "BBC اردو، رباني 2016ء ۲۰۱۶ Ｈｉ \u0627\u0653پ!";
  const auto t = A(text);
  ASSERT_EQ(t.size(), 8u);
  auto src = [&](const Token& k) { return text.substr(k.begin, k.end - k.begin); };
  EXPECT_EQ(t[0].term, "bbc");
  EXPECT_EQ(src(t[0]), "BBC");
  EXPECT_EQ(t[1].term, "اردو");
  EXPECT_EQ(src(t[1]), "اردو");
  EXPECT_EQ(t[2].term, "ربانی");
  EXPECT_EQ(src(t[2]), "رباني");
  EXPECT_EQ(t[3].term, "2016");
  EXPECT_EQ(src(t[3]), "2016");
  EXPECT_EQ(t[4].term, "ء");
  EXPECT_EQ(src(t[4]), "ء");
  EXPECT_EQ(t[5].term, "2016");
  EXPECT_EQ(src(t[5]), "۲۰۱۶");
  EXPECT_EQ(t[6].term, "hi");
  EXPECT_EQ(src(t[6]), "Ｈｉ");
  EXPECT_EQ(t[7].term, "آپ");
  EXPECT_EQ(src(t[7]), "\u0627\u0653پ");
}

TEST(Analyzer, OffsetsCoverMarksAndInvisibleCharacters) {
  const std::string text = "زیرِ \u200Fپاکستان";
  const auto t = A(text);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(text.substr(t[0].begin, t[0].end - t[0].begin), "زیرِ");
  EXPECT_EQ(t[1].term, "پاکستان");
  EXPECT_EQ(text.substr(t[1].begin, t[1].end - t[1].begin), "پاکستان");  // the leading RLM is not part of it
  // invisible characters at the end of a word are not part of it either; inside it, they are
  const std::string text2 = "پاک\u200Dستان\u200F\u200C، ab\u200E";
  const auto t2 = A(text2);
  ASSERT_EQ(t2.size(), 2u);
  EXPECT_EQ(t2[0].term, "پاکستان");
  EXPECT_EQ(text2.substr(t2[0].begin, t2[0].end - t2[0].begin), "پاک\u200Dستان");
  EXPECT_EQ(text2.substr(t2[1].begin, t2[1].end - t2[1].begin), "ab");
}

TEST(Analyzer, EnglishLowercaseAndSnowballStem) {
  EXPECT_EQ(Terms("Running Connections CONNECTED Pakistan's"), (V{"run", "connect", "connect", "pakistan"}));
  EXPECT_EQ(T("Universities"), "univers");
  EXPECT_EQ(T("don't"), "don't");
  EXPECT_EQ(T("don’t"), "don't");  // typographic apostrophe
}

TEST(Analyzer, LatinDiacriticsAreFolded) {
  EXPECT_EQ(T("café"), T("cafe"));
  EXPECT_EQ(T("CAFÉ"), "cafe");
  EXPECT_EQ(T("Zürich"), "zurich");
  EXPECT_EQ(T("naïve"), T("naive"));
  EXPECT_EQ(T("Straße"), "strass");  // full case folding ß → ss, then the stemmer
}

TEST(Analyzer, AlphanumericAndNumbers) {
  EXPECT_EQ(Terms("COVID-19 covid19 G20 3.14 1,000"), (V{"covid", "19", "covid19", "g20", "3", "14", "1", "000"}));
  EXPECT_EQ(Terms("2005ء 11ویں"), (V{"2005", "ء", "11", "ویں"}));  // digits never glue to Urdu letters
  EXPECT_EQ(T("٤٥"), "45");
}

TEST(Analyzer, OtherScriptsKeepTheirMarks) {
  EXPECT_EQ(Terms("हिन्दी भाषा"), (V{"हिन्दी", "भाषा"}));
  EXPECT_EQ(T("ΚΑΛΗΜΕΡΑ"), "καλημερα");  // case folded, not stemmed
  EXPECT_EQ(T("Москва"), "москва");
  EXPECT_EQ(Terms("東京です"), (V{"東", "京", "で", "す"}));  // one word per ideograph/kana
}

TEST(Analyzer, ScriptChangeSplitsWords) {
  EXPECT_EQ(Terms("BBCاردو"), (V{"bbc", "اردو"}));
  EXPECT_EQ(Terms("हिन्दीاردو"), (V{"हिन्दी", "اردو"}));
}

TEST(Analyzer, TermsDoNotDependOnTheRestOfTheText) {
  // An English word inside Urdu text gets the English term; an Urdu word inside English text the
  // Urdu one.
  EXPECT_EQ(Terms("وزیر اعظم نے Parliament میں کہا"), (V{"وزیر", "اعظم", "نے", "parliament", "میں", "کہا"}));
  EXPECT_EQ(Terms("The word پاکستان means"), (V{"the", "word", "پاکستان", "mean"}));
}

TEST(Analyzer, ArabicKeyboardAndDiacriticVariantsMeet) {
  // Pairs from queries-dev-variant.tsv.
  EXPECT_EQ(Terms("رباني چھپائي سكتيں۔"), Terms("ربانی چھپائی سکتیں۔"));
  EXPECT_EQ(Terms("هارمونز انجيكشن مانع"), Terms("ہارمونز انجیکشن مانع"));
  EXPECT_EQ(Terms("خاور مِمتاز رونما"), Terms("خاور ممتاز رونما"));
  EXPECT_EQ(T("احتجاجاً"), T("احتجاجا"));
  // but ھ and ہ, ے and ی stay apart
  EXPECT_NE(T("دیکھا"), T("دیکہا"));
  EXPECT_NE(T("بچے"), T("بچی"));
}

TEST(Analyzer, SpellingVariantFolds) {
  EXPECT_EQ(T("لئے"), T("لیے"));
  EXPECT_EQ(T("لیئے"), T("لیے"));
  EXPECT_EQ(T("گیی"), T("گئی"));
  EXPECT_EQ(T("کیجئے"), T("کیجیے"));
  EXPECT_EQ(T("کیجیئے"), T("کیجیے"));
  EXPECT_EQ(T("دیئے"), T("دیے"));
  EXPECT_EQ(T("چاہئے"), T("چاہیے"));
  EXPECT_EQ(T("چاہیئے"), T("چاہیے"));
  EXPECT_EQ(T("کئے"), T("کیے"));
  EXPECT_EQ(T("دبائو"), T("دباؤ"));
  EXPECT_EQ(T("کارروایی"), T("کارروائی"));
  EXPECT_EQ(T("ماییک"), T("مائیک"));
  EXPECT_EQ(T("ہوۓ"), T("ہوئے"));
  EXPECT_EQ(T("براۓ"), T("برائے"));
  EXPECT_EQ(T("محکمۂ"), T("محکمہ"));          // izafat hamza
  EXPECT_EQ(T("محکمہٴ"), T("محکمہ"));
}

TEST(Analyzer, SpellingFoldsThatMustNotHappen) {
  EXPECT_EQ(T("جائے"), "جائے");   // ئ after a vowel is the regular glide: no یے
  EXPECT_EQ(T("ہوئے"), "ہوئے");
  EXPECT_EQ(T("آئے"), "آئے");
  EXPECT_NE(T("لیے"), T("لی"));
  EXPECT_NE(T("دیے"), T("دی"));
  EXPECT_EQ(T("ہوئی"), "ہوئی");
  EXPECT_EQ(T("دہلی"), "دہلی");
  EXPECT_EQ(T("ۂ"), "ہ");
}

TEST(Analyzer, FrequentJoinedFormsBecomeTwoTokens) {
  const auto t = A("کیلئے");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].term, T("کے"));
  EXPECT_EQ(t[1].term, T("لیے"));
  EXPECT_EQ(t[0].position, 0u);
  EXPECT_EQ(t[1].position, 1u);
  EXPECT_EQ(t[0].begin, 0u);
  EXPECT_EQ(t[1].end, std::string("کیلئے").size());
  EXPECT_EQ(Terms("کیلئے"), Terms("کے لیے"));
  EXPECT_EQ(Terms("کیلیے"), Terms("کے لئے"));
  EXPECT_EQ(Terms("کیخلاف"), Terms("کے خلاف"));
  EXPECT_EQ(Terms("کیساتھ"), Terms("کے ساتھ"));
  EXPECT_EQ(Terms("اسکے انکی جسکا"), Terms("اس کے ان کی جس کا"));
  EXPECT_EQ(Terms("اسلئے"), Terms("اس لیے"));
  // words that merely start like a joined form are untouched
  EXPECT_EQ(Terms("اسکول اسکور انکار کیسے"), (V{"اسکول", "اسکور", "انکار", "کیسے"}));
}

TEST(Analyzer, ZwnjInsideWords) {
  EXPECT_EQ(Terms("نئی\u200Cدہلی"), Terms("نئی دہلی"));
  EXPECT_EQ(Terms("حملہ\u200Cآور"), Terms("حملہ آور"));
  EXPECT_EQ(Terms("پھیلا\u200Cؤ"), V{"پھیلاؤ"});
  const std::string text = "نئی\u200Cدہلی";
  const auto t = A(text);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(text.substr(t[0].begin, t[0].end - t[0].begin), "نئی");
  EXPECT_EQ(text.substr(t[1].begin, t[1].end - t[1].begin), "دہلی");
}

TEST(Analyzer, LigaturesExpandingToSeveralWords) {
  const std::string text = "محمد ﷺ نے";
  const auto t = A(text);
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[1].term, "صلی");
  EXPECT_EQ(t[4].term, "وسلم");
  for (int i = 1; i <= 4; ++i) EXPECT_EQ(text.substr(t[i].begin, t[i].end - t[i].begin), "ﷺ");
  EXPECT_EQ(t[5].position, 5u);
}

TEST(Analyzer, Stopwords) {
  const auto t = A("یہ پاکستان کی حکومت ہے اور the government of Pakistan");
  std::vector<bool> stop;
  for (const Token& k : t) stop.push_back(k.stop);
  EXPECT_EQ(stop, (std::vector<bool>{true, false, true, false, true, true, true, false, true, false}));
  // stopwords are still emitted, with their terms
  EXPECT_EQ(t[0].term, "یہ");
  EXPECT_EQ(t[6].term, "the");
  // variant spellings of a stopword are stopwords too
  EXPECT_TRUE(A("لئے")[0].stop);
  EXPECT_TRUE(A("كے")[0].stop);
}

TEST(Analyzer, StopwordListsAreSane) {
  size_t n = 0;
  const char* const* ur = analysis_internal::UrduStopwordList(&n);
  EXPECT_GE(n, 100u);
  EXPECT_LE(n, 250u);
  for (size_t i = 0; i < n; ++i) {
    for (const Token& k : A(ur[i])) EXPECT_TRUE(k.stop) << ur[i];
  }
  const char* const* en = analysis_internal::EnglishStopwordList(&n);
  EXPECT_GE(n, 140u);
  for (size_t i = 0; i < n; ++i) {
    const auto t = A(en[i]);
    ASSERT_EQ(t.size(), 1u) << en[i];
    EXPECT_TRUE(t[0].stop) << en[i];
  }
  // frequent content words are not stopwords
  for (const char* w : {"پاکستان", "حکومت", "اللہ", "کہا", "سال", "لوگ", "وزیر", "government", "people"}) {
    ASSERT_EQ(A(w).size(), 1u);
    EXPECT_FALSE(A(w)[0].stop) << w;
  }
}

TEST(Analyzer, TermOfAQueryWord) {
  EXPECT_EQ(T("پاکستان"), "پاکستان");
  EXPECT_EQ(T("  نعره  "), "نعرہ");
  EXPECT_EQ(T(""), "");
  EXPECT_EQ(T("۔،؟"), "");
  EXPECT_EQ(T("\u064E"), "");
  EXPECT_EQ(T("Running"), "run");
  // Term equals Analyze on single-token words
  for (const char* w : {"کشمیر", "زلزلے", "CONNECTED", "٢٠١٦", "हिन्दी", "سكتيں"}) {
    const auto t = A(w);
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(T(w), t[0].term);
  }
}

TEST(Analyzer, EndsWithNonJoiner) {
  const Analyzer& a = DefaultAnalyzer();
  for (const char* w : {"کے", "ہو", "از", "وزیر", "جا", "ہوا", "بڑ", "آزاد", "ہوگا", "ملاء", "براۓ", "لڑ", "ہے۔"}) {
    EXPECT_TRUE(a.EndsWithNonJoiner(a.Term(w))) << w;
  }
  for (const char* w : {"کی", "کم", "اس", "ساتھ", "پاکستان", "محکمہ", "بچ", "محکمۂ"}) {
    EXPECT_FALSE(a.EndsWithNonJoiner(a.Term(w))) << w;
  }
  // raw letters: ۃ (teh marbuta goal) and ء do not join; ۂ joins like ہ (ArabicShaping: D)
  EXPECT_TRUE(a.EndsWithNonJoiner("\u06C3"));
  EXPECT_TRUE(a.EndsWithNonJoiner("\u0621"));
  EXPECT_TRUE(a.EndsWithNonJoiner("\u0688"));  // ڈ
  EXPECT_TRUE(a.EndsWithNonJoiner("\u0691"));  // ڑ
  EXPECT_TRUE(a.EndsWithNonJoiner("\u0698"));  // ژ
  EXPECT_TRUE(a.EndsWithNonJoiner("\u0630"));  // ذ
  EXPECT_FALSE(a.EndsWithNonJoiner("\u06C2"));
  EXPECT_FALSE(a.EndsWithNonJoiner("\u06BE"));  // ھ
  EXPECT_FALSE(a.EndsWithNonJoiner("\u06CC"));  // ی
  EXPECT_FALSE(a.EndsWithNonJoiner(""));
  EXPECT_FALSE(a.EndsWithNonJoiner("radar"));
  EXPECT_FALSE(a.EndsWithNonJoiner("2005"));
  EXPECT_FALSE(a.EndsWithNonJoiner("\xD8"));  // broken UTF-8
  // the query engine's use: "term + next" looks the same as "term next"
  EXPECT_EQ(a.Term("ہوگا"), a.Term("ہو") + a.Term("گا"));
  EXPECT_EQ(a.Term("وزیراعظم"), a.Term("وزیر") + a.Term("اعظم"));
  EXPECT_EQ(a.Term("ازکم"), a.Term("از") + a.Term("کم"));
}

// Analyzing text and analyzing NormalizeText(text) give the same terms, also where normalization
// deletes or changes characters next to a word boundary (cases found by the fuzz target).
TEST(Analyzer, RawAndNormalizedTextAgree) {
  for (const std::string s : {"t'\u0653f", "t'\u200Cf", "t'\u200Ff", "don\u064E't", "\u249E x\u2122y",
                              "a\uFF07b", "ب\u064E٢", "5\u0653a", "نئی\u200C\u200Cدہلی", "ﷺﷺ", "H\uFCF3H", "x\uFE71y",
                              "\u0149'a-00", "ئ\u06DD\u200Cد", "\u0149\u0666"}) {
    EXPECT_EQ(Terms(s), Terms(NormalizeText(s))) << s;
  }
  const std::string mixed = "\xE7\u0149\u0644\u0626\u06D2\u0149'\xE7\u0149'";  // with ill-formed bytes
  EXPECT_EQ(Terms(mixed), Terms(NormalizeText(mixed)));
  const std::string nul("j\0h", 3);  // NUL is a separator, and NormalizeText keeps it
  EXPECT_EQ(NormalizeText(nul), nul);
  EXPECT_EQ(Terms(nul), (V{"j", "h"}));
  EXPECT_EQ(Terms("t'\u0653f"), V{"t'f"});
  EXPECT_EQ(Terms("\u249E"), V{"c"});       // ⒞ → (c)
  EXPECT_EQ(Terms("x\u2122"), V{"xtm"});     // x™ → xTM
}

// The same properties for every BMP code point in a few contexts that exercise the boundary
// rules (script change, digits, apostrophe, ZWNJ, compositions).
TEST(Analyzer, EveryBmpCodePointInContext) {
  const char* const contexts[] = {"a%s6", "\u0628%s\u0628", "a'%sb", "\u06CC%s\u200C\u062F", "%s%s",
                                  "\u0627%s\u0653", "\u0149%s", "%s\u06F2"};
  int bad = 0;
  for (char32_t c = 1; c < 0x10000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::string cs;
    AppendUtf8(c, &cs);
    for (const char* f : contexts) {
      std::string s;
      for (const char* p = f; *p; ++p) {
        if (p[0] == '%' && p[1] == 's') {
          s += cs;
          ++p;
        } else {
          s += *p;
        }
      }
      std::string slow;
      analysis_internal::NormalizeInto(s, /*allow_fast=*/false, &slow);
      const std::string n = NormalizeText(s);
      if (n != slow || NormalizeText(n) != n || Terms(s) != Terms(n)) {
        if (++bad <= 10) ADD_FAILURE() << "U+" << std::hex << static_cast<uint32_t>(c) << " in " << f;
      }
    }
  }
  EXPECT_EQ(bad, 0);
}

TEST(Analyzer, BrokenUtf8DoesNotCrash) {
  const std::string inputs[] = {
      std::string("\xFF\xFE\xFD"), std::string("پاک\xD9"), std::string("\xD9\xD9\xD9\xD9"),
      std::string("a\0b", 3), std::string("\xE2\x80"), std::string("\xF4\x90\x80\x80"),
      std::string("ک\xCC\x81\xFF\u200C\u200C"), std::string(1000, '\xD8')};
  for (const std::string& s : inputs) {
    std::vector<Token> out;
    DefaultAnalyzer().Analyze(s, &out);
    for (const Token& k : out) {
      EXPECT_LE(k.begin, k.end);
      EXPECT_LE(k.end, s.size());
      EXPECT_FALSE(k.term.empty());
    }
    (void)NormalizeText(s);
    (void)DetectLanguage(s);
  }
  EXPECT_EQ(Terms("پاک\xFFستان"), (V{"پاک", "ستان"}));  // an ill-formed byte separates
}

TEST(Analyzer, ThreadSafe) {
  const std::string text =
      "پاکستان کے زیرِ انتظام کشمیر میں 2005ء کے زلزلے کیلئے Running connections ﷺ हिन्दी نئی\u200Cدہلی";
  const auto expected = A(text);
  std::vector<std::thread> threads;
  std::vector<int> bad(4, 0);
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      for (int i = 0; i < 500; ++i) {
        std::vector<Token> out;
        DefaultAnalyzer().Analyze(text, &out);
        if (out.size() != expected.size()) {
          ++bad[k];
          continue;
        }
        for (size_t j = 0; j < out.size(); ++j) {
          if (out[j].term != expected[j].term || out[j].begin != expected[j].begin) ++bad[k];
        }
        if (DefaultAnalyzer().Term("Connections") != "connect") ++bad[k];
        if (DetectLanguage(text) != "ur") ++bad[k];
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace rasai
