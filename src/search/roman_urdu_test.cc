#include "search/roman_urdu.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "util/utf8.h"

namespace rasai::roman {
namespace {

std::u32string U(std::string_view s) {
  std::u32string u;
  DecodeUtf8(s, &u);
  return u;
}

std::string Key(std::string_view urdu) {
  std::string k;
  return UrduKey(U(urdu), &k) ? k : "<none>";
}

bool HasKey(std::string_view roman, std::string_view key) {
  const auto keys = RomanKeys(roman);
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// The Urdu spelling of `roman` costs less than each of `worse`.
::testing::AssertionResult Prefers(std::string_view roman, std::string_view better, std::initializer_list<std::string_view> worse) {
  const Aligner a(roman);
  const float b = a.Cost(U(better));
  if (b >= kNoMatch) return ::testing::AssertionFailure() << roman << " does not align with " << better;
  for (std::string_view w : worse) {
    const float c = a.Cost(U(w));
    if (c <= b) return ::testing::AssertionFailure() << roman << ": " << w << " (" << c << ") <= " << better << " (" << b << ")";
  }
  return ::testing::AssertionSuccess();
}

TEST(RomanWord, OnlyShortRunsOfAsciiLetters) {
  EXPECT_TRUE(IsRomanWord("hukumat"));
  EXPECT_TRUE(IsRomanWord("Karachi"));
  EXPECT_FALSE(IsRomanWord("a"));  // a lone letter: izafat, conjunction, initial
  EXPECT_FALSE(IsRomanWord("covid19"));
  EXPECT_FALSE(IsRomanWord("café"));
  EXPECT_FALSE(IsRomanWord("حکومت"));
  EXPECT_FALSE(IsRomanWord(std::string(kMaxRomanLetters + 1, 'k')));
}

TEST(RomanKeys, LetterClassesOfUrdu) {
  // One class for the letters Roman spelling does not tell apart.
  EXPECT_EQ(Key("تعلیم"), Key("طالب").substr(0, 1) + "lm");  // ت and ط are both t
  EXPECT_EQ(Key("ٹیکس"), "tks");
  EXPECT_EQ(Key("سب"), Key("صبح").substr(0, 1) + "b");        // س ص
  EXPECT_EQ(Key("ثابت"), "sbt");                               // ث
  for (std::string_view z : {"زر", "ذر", "ضر", "ظر"}) EXPECT_EQ(Key(z), "zr") << z;
  EXPECT_EQ(Key("کم"), Key("قم"));
  EXPECT_EQ(Key("ڈر"), Key("در"));
  EXPECT_EQ(Key("پڑا"), "pr");
  // Vowel letters, aspiration and hamza are left out: the consonant skeleton.
  EXPECT_EQ(Key("حکومت"), "kmt");
  EXPECT_EQ(Key("عمران"), "mrn");
  EXPECT_EQ(Key("بھارت"), "brt");
  EXPECT_EQ(Key("جائے"), "j");
  EXPECT_EQ(Key("ہے"), "");
  // Noon ghunna is a noon; خ غ ش چ are their own classes.
  EXPECT_EQ(Key("میں"), "mn");
  EXPECT_EQ(Key("خان"), "xn");
  EXPECT_EQ(Key("غالب"), "Glb");
  EXPECT_EQ(Key("شہر"), "Sr");
  EXPECT_EQ(Key("چین"), "cn");
  // Not Urdu letters: no key.
  EXPECT_EQ(Key("abc"), "<none>");
  EXPECT_EQ(Key("ښار"), "<none>");  // Pashto
  EXPECT_EQ(Key(""), "<none>");
}

TEST(RomanKeys, DigraphsAndAmbiguousLetters) {
  EXPECT_EQ(RomanKeys("hukumat"), std::vector<std::string>{"kmt"});
  EXPECT_TRUE(HasKey("khan", "xn"));   // خان
  EXPECT_TRUE(HasKey("khan", "kn"));   // کھانا-like: k + aspiration
  EXPECT_TRUE(HasKey("ghalib", "Glb"));
  EXPECT_TRUE(HasKey("shehri", "Sr"));
  EXPECT_TRUE(HasKey("chharron", "crn"));  // چھروں: a doubled letter once
  EXPECT_TRUE(HasKey("pappi", "pp"));     // پپی: or twice
  EXPECT_TRUE(HasKey("cylinder", "slndr"));  // c as س
  EXPECT_TRUE(HasKey("currency", "krns"));   // c as ک
  EXPECT_TRUE(HasKey("taxi", "tks"));        // x as کس
  EXPECT_TRUE(HasKey("election", "lkSn"));   // -tion as شن
  EXPECT_TRUE(HasKey("match", "mc"));        // -tch as چ
  EXPECT_TRUE(HasKey("nahi", "nn"));         // نہیں: the final noon ghunna not typed
  EXPECT_TRUE(HasKey("jones", "jnz"));       // a final s as ز
  EXPECT_TRUE(HasKey("qatl", "ktl"));        // q and k are one class
}

TEST(RomanKeys, BoundedForHostileWords) {
  EXPECT_TRUE(RomanKeys(std::string(2048, 'k')).empty());
  EXPECT_TRUE(RomanKeys("").empty());
  EXPECT_TRUE(RomanKeys("ab1").empty());
  // Every letter ambiguous: still at most `limit` keys, no repeats.
  const auto keys = RomanKeys("khkhkhkhkhkhkhkhkhkhkhkh");
  EXPECT_LE(keys.size(), 16u);
  EXPECT_FALSE(keys.empty());
  EXPECT_EQ(RomanKeys("cccccccccccc", 4).size(), 4u);
}

TEST(Aligner, LetterClassesAndUnwrittenVowels) {
  EXPECT_TRUE(Prefers("hukumat", "حکومت", {"قیمت", "حاکم"}));
  EXPECT_TRUE(Prefers("sahafi", "صحافی", {"صفائی"}));
  EXPECT_TRUE(Prefers("qatl", "قتل", {"کتل"}));
  EXPECT_TRUE(Prefers("zimni", "ضمنی", {"ضمانت"}));
  EXPECT_TRUE(Prefers("jang", "جنگ", {"جنگی", "جانگ"}));
  EXPECT_TRUE(Prefers("tasweer", "تصویر", {"تصاویر"}));
  EXPECT_TRUE(Prefers("imran", "عمران", {"مرن"}));  // an initial vowel has a carrier
}

TEST(Aligner, DigraphsAndAspiration) {
  EXPECT_TRUE(Prefers("khan", "خان", {"کہان", "کان"}));
  EXPECT_TRUE(Prefers("ghalib", "غالب", {"گالب"}));
  EXPECT_TRUE(Prefers("shehri", "شہری", {"سہری"}));
  EXPECT_TRUE(Prefers("bharti", "بھرتی", {"برتی"}));
  EXPECT_TRUE(Prefers("chharron", "چھروں", {"چاروں"}));
  EXPECT_TRUE(Prefers("mehngi", "مہنگی", {"منگی"}));
}

TEST(Aligner, EndingsAndNoonGhunna) {
  // The ی / ے ending, a final a as ا or ہ.
  EXPECT_TRUE(Prefers("kare", "کرے", {"کری", "کر"}));
  EXPECT_TRUE(Prefers("bachiyon", "بچیوں", {"بچوں"}));
  EXPECT_TRUE(Prefers("hamla", "حملہ", {"حمل"}));
  EXPECT_TRUE(Prefers("dora", "دورہ", {"دور"}));
  EXPECT_TRUE(Prefers("pani", "پانی", {"پان"}));
  // Noon ghunna, typed or not (a final n is ن or ں alike: how common each is decides).
  EXPECT_LT(Aligner("mein").Cost(U("میں")), 0.5f);
  EXPECT_LT(Aligner("karein").Cost(U("کریں")), 0.5f);
  EXPECT_TRUE(Prefers("nahi", "نہیں", {"نئی"}));
  EXPECT_LT(Aligner("hain").Cost(U("ہیں")), 0.5f);
}

TEST(Aligner, EnglishLoanwordsBySound) {
  EXPECT_TRUE(Prefers("india", "انڈیا", {"ندا", "اندھا"}));
  EXPECT_TRUE(Prefers("taxi", "ٹیکسی", {"ٹیکس"}));
  EXPECT_TRUE(Prefers("police", "پولیس", {"پلس", "پالیسی"}));
  EXPECT_TRUE(Prefers("cylinder", "سلنڈر", {"کیلنڈر"}));
  EXPECT_TRUE(Prefers("screen", "اسکرین", {"سرین"}));
  EXPECT_TRUE(Prefers("election", "الیکشن", {"الیکٹرک"}));
  EXPECT_TRUE(Prefers("national", "نیشنل", {"نسل"}));
  EXPECT_TRUE(Prefers("line", "لائن", {"لان"}));
  EXPECT_TRUE(Prefers("judge", "جج", {"جگ"}));
  // -tch is one sound, چ: the t is not a letter left unwritten (2.5).
  EXPECT_LT(Aligner("match").Cost(U("میچ")), 1.5f);
  EXPECT_LT(Aligner("watch").Cost(U("واچ")), 1.0f);
  EXPECT_TRUE(Prefers("jones", "جونز", {"جون"}));
}

TEST(Aligner, PrefixCostCompletesATypedStart) {
  const Aligner kh("kh");
  EXPECT_LT(kh.PrefixCost(U("خان")), kNoMatch);
  EXPECT_LT(kh.PrefixCost(U("خان")), kh.Cost(U("خان")));
  EXPECT_GE(kh.PrefixCost(U("بات")), 2.0f);
  const Aligner imr("imr");
  EXPECT_LT(imr.PrefixCost(U("عمران")), imr.PrefixCost(U("امریکہ")) + 1.0f);
}

TEST(Aligner, HostileAndEmptyInput) {
  const Aligner empty("");
  EXPECT_EQ(empty.Cost(U("خان")), kNoMatch);
  const Aligner upper("KHAN");  // the caller lower-cases; upper case aligns with nothing
  EXPECT_EQ(upper.Cost(U("خان")), kNoMatch);
  const Aligner khan("khan");
  EXPECT_EQ(khan.Cost(U("")), kNoMatch);
  EXPECT_EQ(khan.Cost(U(std::string(200, 'x'))), kNoMatch);
  std::string long_urdu;
  for (int i = 0; i < 30; ++i) long_urdu += "خ";
  EXPECT_EQ(khan.Cost(U(long_urdu)), kNoMatch);
  const Aligner consonants(std::string(kMaxRomanLetters, 'k'));
  EXPECT_LT(consonants.Cost(U("ک")), kNoMatch);  // every letter but one unwritten: costly, finite
}

// Cost(term, max) stops reading once the cost must pass `max`: it gives the cost whenever that
// is at most `max` (a bound equal to the cost included), and kNoMatch otherwise.
TEST(Aligner, ABoundOnlyDropsReadingsThatCostMore) {
  // (Letters only a costly rule writes — ط ص ث ذ ض ظ ڑ, ح ھ without an h — bound a term's
  // cost before it is read: «tariq» as «طارق» costs at least the 0.7 of t as ط.)
  const char* words[] = {"hukumat", "promotion", "station", "karrwai", "cylinder", "khauf", "pakistan", "taxi", "mein",
                         "tariq", "sabir", "zalim", "muzammat", "larai", "ahmad", "ghair"};
  const char* terms[] = {"حکومت", "حکمت", "قیمت", "پروموشن", "اسٹیشن", "کارروائی", "سلنڈر", "خوف", "پاکستان",
                         "ٹیکسی", "میں", "پریشان", "کمیشن", "طارق", "صابر", "ظالم", "ثابت", "ذاکر", "مذمت",
                         "مزاحمت", "لڑائی", "احمد", "غیر", "گھر", "ڤیلا"};
  int pruned = 0, exact = 0;
  for (const char* w : words) {
    const Aligner a(w);
    for (const char* t : terms) {
      const float full = a.Cost(U(t));
      for (float max : {0.0f, 0.3f, 1.0f, 2.5f, 5.0f, full}) {
        const float bounded = a.Cost(U(t), max);
        if (full <= max) {
          EXPECT_EQ(bounded, full) << w << " " << t << " max " << max;
          exact += full < kNoMatch;
        } else {
          EXPECT_EQ(bounded, kNoMatch) << w << " " << t << " max " << max;
          pruned += bounded == kNoMatch && full < kNoMatch;
        }
      }
    }
  }
  EXPECT_GT(exact, 0);
  EXPECT_GT(pruned, 0);  // the bound does stop some readings early
  const Aligner tariq("tariq");
  EXPECT_LT(tariq.Cost(U("طارق")), 1.5f);
  EXPECT_EQ(tariq.Cost(U("طارق"), 0.5f), kNoMatch);
  EXPECT_EQ(tariq.Cost(U("ڤارق")), kNoMatch);  // a letter no rule writes
  EXPECT_EQ(tariq.Cost(U("ڤارق"), 5.0f), kNoMatch);
}

// A term in UTF-8 costs what its code points cost, bounded or not, whole or as a prefix: Urdu
// letters, other scripts, ill-formed bytes, too many letters.
TEST(Aligner, Utf8TermsCostWhatTheirCodePointsCost) {
  std::string long_urdu;
  for (int i = 0; i < 30; ++i) long_urdu += "خ";
  const std::string urdu[] = {"حکومت", "پاکستان", "ٹیکسی", "میں", "خان", "ڤیلا", long_urdu, long_urdu.substr(0, 48)};
  const std::string other[] = {"",       "x",           "khan",      "حکومتx",         "xحکومت",
                               "حک\xD9", "\xD8\x41بات", "ح\xC3\xA9", "\xE2\x80\x8Cمیں"};
  std::vector<std::string> terms(std::begin(urdu), std::end(urdu));
  terms.insert(terms.end(), std::begin(other), std::end(other));
  for (const char* w : {"hukumat", "pakistan", "taxi", "mein", "khan", "kh", "x"}) {
    const Aligner a(w);
    for (const std::string& t : terms) {
      const std::u32string u = U(t);
      EXPECT_EQ(a.Cost(std::string_view(t)), a.Cost(u)) << w << " " << t;
      EXPECT_EQ(a.PrefixCost(std::string_view(t)), a.PrefixCost(u)) << w << " " << t;
      for (float max : {0.0f, 0.3f, 1.0f, 2.5f})
        EXPECT_EQ(a.Cost(std::string_view(t), max), a.Cost(u, max)) << w << " " << t << " max " << max;
    }
  }
  EXPECT_LT(Aligner("hukumat").Cost(std::string_view("حکومت")), 1.0f);
}

}  // namespace
}  // namespace rasai::roman
