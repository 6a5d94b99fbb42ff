// Tests for DetectLanguage and IsRightToLeft.

#include <gtest/gtest.h>

#include <string>

#include "rasai/analysis.h"

namespace rasai {
namespace {

TEST(DetectLanguage, NoEvidence) {
  EXPECT_EQ(DetectLanguage(""), "");
  EXPECT_EQ(DetectLanguage("2016 ۲۰۱۶ 45% — !!"), "");
  EXPECT_EQ(DetectLanguage("\xFF\xFE"), "");
  EXPECT_EQ(DetectLanguage("Pakistan"), "");  // a Latin name alone says nothing about the language
}

TEST(DetectLanguage, Urdu) {
  EXPECT_EQ(DetectLanguage("پاکستان کے زیرِ انتظام کشمیر کے زلزلے سے متاثرہ علاقوں میں"), "ur");
  EXPECT_EQ(DetectLanguage("پاکستان"), "ur");  // Arabic script with no other evidence: Urdu
  // typed on an Arabic keyboard
  EXPECT_EQ(DetectLanguage("رباني چھپائي سكتيں۔ انهوں نے كہا كہ يہ"), "ur");
  // an Urdu article quoting English
  EXPECT_EQ(DetectLanguage("وزیر اعظم نے کہا کہ The Government of Pakistan اس منصوبے کی حمایت کرتی ہے"), "ur");
}

TEST(DetectLanguage, OtherArabicScriptLanguages) {
  EXPECT_EQ(DetectLanguage("د افغانستان په پلازمینه کابل کې یوه چاودنه وشوه او لږ تر لږه لس کسان ووژل شول."), "ps");
  EXPECT_EQ(DetectLanguage("این کتاب در سال گذشته منتشر شد و برای دانشجویان بسیار مفید است."), "fa");
  EXPECT_EQ(DetectLanguage("قال الرئيس في كلمة ألقاها أمام البرلمان إن الحكومة تعمل على حل هذه المشكلة."), "ar");
  EXPECT_EQ(DetectLanguage("سنڌ ۾ برسات سبب ڪيترائي ماڻهو متاثر ٿيا آهن ۽ حڪومت مدد جو اعلان ڪيو آهي."), "sd");
  EXPECT_EQ(DetectLanguage("پنجابی پنجاب دی بولی اے تے ایہہ شاہ مکھی لپی وچ لکھی جاندی اے۔ اوہناں نے ساڈے نال گل کیتی۔"),
            "pnb");
  EXPECT_EQ(DetectLanguage("سرائیکی وسیب دی زبان ہے، ساکوں اپݨی ماء ٻولی نال پیار ہے۔ اوں آکھیا جو میں کوں ڳالھ سمجھ آ ڳئی ہئی۔"),
            "skr");
}

TEST(DetectLanguage, LatinScript) {
  EXPECT_EQ(DetectLanguage("The quick brown fox jumps over the lazy dog and runs into the forest."), "en");
  EXPECT_EQ(DetectLanguage("Le gouvernement a annoncé une nouvelle loi pour les étudiants de la région."), "fr");
  EXPECT_EQ(DetectLanguage("Die Regierung hat ein neues Gesetz für die Studenten der Region angekündigt."), "de");
  EXPECT_EQ(DetectLanguage("El gobierno ha anunciado una nueva ley para los estudiantes de la región."), "es");
  EXPECT_EQ(DetectLanguage("mujhe nahi pata ke woh kab aayega lekin yeh zaroori hai"), "ur-Latn");
}

TEST(DetectLanguage, OtherScripts) {
  EXPECT_EQ(DetectLanguage("भारत की राजधानी नई दिल्ली है और यह एक बड़ा शहर है।"), "hi");
  EXPECT_EQ(DetectLanguage("ਪੰਜਾਬੀ ਭਾਸ਼ਾ"), "pa");
  EXPECT_EQ(DetectLanguage("Москва — столица России."), "ru");
  EXPECT_EQ(DetectLanguage("Київ є столицею України."), "uk");
  EXPECT_EQ(DetectLanguage("東京は日本の首都です。"), "ja");
  EXPECT_EQ(DetectLanguage("北京是中国的首都。"), "zh");
  EXPECT_EQ(DetectLanguage("שלום עולם"), "he");
  EXPECT_EQ(DetectLanguage("বাংলা ভাষা"), "bn");
}

TEST(IsRightToLeft, Languages) {
  for (const char* l : {"ur", "ar", "fa", "ps", "sd", "skr", "pnb", "he", "ug", "ckb", "pa-Arab", "UR", "ur-PK"}) {
    EXPECT_TRUE(IsRightToLeft(l)) << l;
  }
  for (const char* l : {"en", "hi", "pa", "ur-Latn", "fr", "", "zh", "sd-Deva", "x"}) {
    EXPECT_FALSE(IsRightToLeft(l)) << l;
  }
}

}  // namespace
}  // namespace rasai
