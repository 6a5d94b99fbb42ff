// Golden tests for NormalizeText: every rule, and every thing that must NOT fold.
// Words are real ones from the shared Urdu news and the Makhzan frequency list.

#include <gtest/gtest.h>

#include <string>

#include "analysis/text_internal.h"
#include "rasai/analysis.h"

namespace rasai {
namespace {

std::string N(std::string_view s) { return NormalizeText(s); }
std::string Slow(std::string_view s) {
  std::string out;
  analysis_internal::NormalizeInto(s, /*allow_fast=*/false, &out);
  return out;
}

TEST(Normalize, AsciiAndUrduUnchanged) {
  EXPECT_EQ(N(""), "");
  EXPECT_EQ(N("Information access center"), "Information access center");
  EXPECT_EQ(N("پاکستان کے زلزلے سے متاثرہ علاقوں میں"), "پاکستان کے زلزلے سے متاثرہ علاقوں میں");
}

TEST(Normalize, NotCaseFoldedNotStemmed) { EXPECT_EQ(N("Running CAFÉ"), "Running CAFÉ"); }

TEST(Normalize, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(N("a\xFF"
              "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(N("\xD9"), "\xEF\xBF\xBD");                   // truncated ی
  EXPECT_EQ(N("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");   // overlong '/'
  EXPECT_EQ(N("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

// Arabic-keyboard letters fold to the Urdu ones (variant queries: رباني، سكتيں، نعره، هوسٹل).
TEST(Normalize, FoldsArabicLettersTowardsUrdu) {
  EXPECT_EQ(N("رباني"), "ربانی");               // ي U+064A → ی
  EXPECT_EQ(N("مصطفى"), "مصطفی");               // ى U+0649 → ی
  EXPECT_EQ(N("سكتيں"), "سکتیں");               // ك → ک
  EXPECT_EQ(N("نعره"), "نعرہ");                 // ه U+0647 → ہ
  EXPECT_EQ(N("هوسٹل"), "ہوسٹل");
  EXPECT_EQ(N("عهدوں"), "عہدوں");
  EXPECT_EQ(N("صلوة"), "صلوۃ");                 // ة → ۃ
  EXPECT_EQ(N("جرأت"), "جرات");                 // أ → ا
  EXPECT_EQ(N("إسلام"), "اسلام");               // إ → ا
}

// Distinct Urdu letters stay distinct.
TEST(Normalize, KeepsDistinctUrduLetters) {
  EXPECT_EQ(N("بھی"), "بھی");        // ھ do-chashmi heh
  EXPECT_NE(N("بھی"), N("بہی"));     // ھ ≠ ہ
  EXPECT_EQ(N("لیے"), "لیے");        // ے yeh barree
  EXPECT_NE(N("کے"), N("کی"));       // ے ≠ ی
  EXPECT_NE(N("ہے"), N("ہی"));
  EXPECT_EQ(N("ہوگا"), "ہوگا");
  EXPECT_EQ(N("آپ"), "آپ");
  EXPECT_NE(N("آپ"), N("اپ"));       // آ ≠ ا
  EXPECT_EQ(N("ٹیکس ڈالر بڑا"), "ٹیکس ڈالر بڑا");
  EXPECT_EQ(N("ئ ۃ ۂ ۓ ؤ ء"), "ئ ۃ ۂ ۓ ؤ ء");
}

TEST(Normalize, ComposesMaddaAndHamza) {
  EXPECT_EQ(N("\u0627\u0653\u067E"), "آپ");               // ا + madda → آ (NFC)
  EXPECT_EQ(N("گ\u06CC\u0654ی"), "گئی");                 // ی + hamza → ئ (explicit: NFC does not)
  EXPECT_EQ(N("گ\u064A\u0654ی"), "گئی");                 // ي + hamza → ئ (NFC)
  EXPECT_EQ(N("دور\u06C1\u0654"), "دورۂ");               // ہ + hamza → ۂ (NFC)
  EXPECT_EQ(N("دور\u0647\u0654"), "دورۂ");               // ه + hamza → ۂ (explicit)
  EXPECT_EQ(N("برا\u06D2\u0654"), "براۓ");               // ے + hamza → ۓ (NFC)
  EXPECT_EQ(N("دبا\u0648\u0654"), "دباؤ");               // و + hamza → ؤ (NFC)
  EXPECT_EQ(N("محکمہ\u0674"), "محکمۂ");                  // ہ + high hamza ٴ (news: محکمہٴ خارجہ)
  EXPECT_EQ(N("امراو\u0674"), "امراؤ");                  // و + high hamza
  EXPECT_EQ(N("وزرا\u0674"), "وزراء");                   // ا + high hamza → اء
  EXPECT_EQ(N("\u0654"), "");                             // a lone hamza mark goes
  // precomposed and decomposed spellings meet
  EXPECT_EQ(N("\u0622\u062C"), N("\u0627\u0653\u062C"));  // آج
}

TEST(Normalize, RemovesAerabQuranicMarksAndTatweel) {
  EXPECT_EQ(N("مِمتاز"), "ممتاز");                        // zer (variant query dev0003)
  EXPECT_EQ(N("احتجاجاً"), "احتجاجا");                     // tanween
  EXPECT_EQ(N("زیرِ انتظام"), "زیر انتظام");
  EXPECT_EQ(N("اللّٰہ"), "اللہ");                           // shadda + khari zabar U+0670
  EXPECT_EQ(N("محمد\u0610"), "محمد");                      // U+0610 sallallahou
  EXPECT_EQ(N("قرآن\u06DA\u06ED"), "قرآن");                // U+06D6–U+06ED
  EXPECT_EQ(N("پاکـــستان"), "پاکستان");                   // tatweel
}

TEST(Normalize, NeverStripsOtherMarks) {
  EXPECT_EQ(N("हिन्दी"), "हिन्दी");                           // Devanagari virama and matras
  EXPECT_EQ(N("ਪੰਜਾਬੀ"), "ਪੰਜਾਬੀ");                           // Gurmukhi
  EXPECT_EQ(N("café"), "café");                            // Latin diacritics kept by NormalizeText
  EXPECT_EQ(N("cafe\u0301"), "café");                      // ... and composed (NFKC)
}

TEST(Normalize, Nfkc) {
  EXPECT_EQ(N("\uFEFB"), "لا");                            // presentation-form ligature lam-alef
  EXPECT_EQ(N("\uFB8E\uFEEE"), "کو");                      // keheh and waw presentation forms
  EXPECT_EQ(N("\uFDF2"), "اللہ");                          // ﷲ, then ه → ہ
  EXPECT_EQ(N("ﬁle"), "file");
  EXPECT_EQ(N("ＡＢＣ１２"), "ABC12");                     // full width
}

TEST(Normalize, Digits) {
  EXPECT_EQ(N("٢٠١٦"), "2016");                            // Arabic-Indic
  EXPECT_EQ(N("۲۰۱۶"), "2016");                            // Extended (Urdu)
  EXPECT_EQ(N("2016"), "2016");
  EXPECT_EQ(N("११"), "११");                                // Devanagari digits are not unified
}

TEST(Normalize, RemovesInvisibleControls) {
  EXPECT_EQ(N("پاک\u200Dستان"), "پاکستان");                // ZWJ
  EXPECT_EQ(N("\u200Fپاکستان\u200E"), "پاکستان");          // RLM, LRM
  EXPECT_EQ(N("\u202Bab\u202C"), "ab");                    // embedding + pop
  EXPECT_EQ(N("\u2067ab\u2069"), "ab");                    // isolates
  EXPECT_EQ(N("infor\u00ADmation"), "information");        // soft hyphen
  EXPECT_EQ(N("\uFEFFtext"), "text");                      // BOM
  EXPECT_EQ(N("a\u200Bb"), "a b");                         // ZWSP is a space
}

// ZWNJ policy: after a letter that joins leftwards the ZWNJ is a visible word break and becomes a
// space (news has نئی دہلی 34×, نئیدہلی 0×; حملہ آور 181×, حملہآور 0×); after a non-joining letter
// it changes nothing on screen and is deleted (پھیلا‌ؤ → پھیلاؤ 32×).
TEST(Normalize, ZwnjPolicy) {
  EXPECT_EQ(N("نئی\u200Cدہلی"), "نئی دہلی");
  EXPECT_EQ(N("حملہ\u200Cآور"), "حملہ آور");
  EXPECT_EQ(N("پھیلا\u200Cؤ"), "پھیلاؤ");
  EXPECT_EQ(N("اجرا\u200Cء"), "اجراء");
  EXPECT_EQ(N("انگلینڈ\u200Cکی"), "انگلینڈکی");
  EXPECT_EQ(N("\u200Cزندہ"), "زندہ");
  EXPECT_EQ(N("ab\u200Ccd"), "abcd");                      // Latin letters do not join: deleted
}

TEST(Normalize, FastPathEqualsIcuPath) {
  for (const char* s : {"پاکستان کے زیرِ انتظام", "آپ \u0627\u0653پ", "گ\u06CC\u0654ی", "ﻻ ﷲ", "café cafe\u0301",
                        "हिन्दी", "نئی\u200Cدہلی", "a\xFF", "ب\u064E\u0651\u0654", "\u0654\u0653", "ABC ＡＢＣ"}) {
    EXPECT_EQ(N(s), Slow(s)) << s;
  }
}

}  // namespace
}  // namespace rasai
