// The fast path of DefaultAnalyzer().Analyze against the reference path (ReferenceAnalyze, the
// analyzer as first written): the same tokens, byte for byte (term, position, offsets, stop flag),
// on every text of the shared data, on the repository's own documents and on generated strings.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "analysis/text_internal.h"
#include "rasai/analysis.h"
#include "test_util.h"
#include "util/utf8.h"

namespace rasai {
namespace {

std::string Show(const std::vector<Token>& toks) {
  std::string s;
  for (const Token& t : toks) {
    s += "[" + t.term + " p" + std::to_string(t.position) + " " + std::to_string(t.begin) + "-" +
         std::to_string(t.end) + (t.stop ? " stop" : "") + "]";
  }
  return s;
}

// Empty when both paths agree; otherwise a description of the first difference.
std::string Compare(std::string_view text) {
  std::vector<Token> fast, ref;
  DefaultAnalyzer().Analyze(text, &fast);
  analysis_internal::ReferenceAnalyze(text, &ref);
  bool same = fast.size() == ref.size();
  for (size_t i = 0; same && i < fast.size(); ++i) {
    same = fast[i].term == ref[i].term && fast[i].position == ref[i].position && fast[i].begin == ref[i].begin &&
           fast[i].end == ref[i].end && fast[i].stop == ref[i].stop;
  }
  if (same) return std::string();
  return "text: " + std::string(text.substr(0, 300)) + "\n fast: " + Show(fast) + "\n  ref: " + Show(ref);
}

// Analyze appends to what *out holds; positions still start at 0.
TEST(FastPath, AppendsAfterExistingTokens) {
  std::vector<Token> fast(1), ref(1);
  fast[0].term = ref[0].term = "x";
  DefaultAnalyzer().Analyze("پاکستان کی حکومت", &fast);
  analysis_internal::ReferenceAnalyze("پاکستان کی حکومت", &ref);
  ASSERT_EQ(fast.size(), 4u);
  EXPECT_EQ(Show(fast), Show(ref));
  EXPECT_EQ(fast[1].position, 0u);
}

TEST(FastPath, EdgeStrings) {
  const std::vector<std::string> cases = {
      "", " ", "\n\t", "a", "A", "1", "۱۲۳", "٤٥", "१२३", "پاکستان", "پاکستان۔", "،پاکستان،",
      "کیلئے اسکے انکا جسکی کیخلاف", "لئے دیئے ہوۓ محکمۂ دبائو گیی کارروایی ماییک", "اسکول انکار کیسے",
      "زیرِ", "بِسْمِ اللّٰهِ", "ـــعربیـــ", "وزراٴ محکمہٴ", "نئی‌دہلی", "پھیلا‌ؤ", "انگلینڈ‌کی",
      "a\u200Cb", "\u200Cپاکستان", "پاکستان\u200C", "پاک\u200Bستان", "پاک\u200Dستان", "\u200Fپاکستان\u200E",
      "\uFEFFhello", "soft\u00ADhyphen", "آ", "ا\u0653", "ي\u0654", "ی\u0654", "ہ\u0654", "ﻻ ﷲ ﷺ",
      "ﺍﻟﺴﻼﻡ", "ﬁle", "Ｆｕｌｌ", "café", "cafe\u0301", "Zürich", "ß", "İstanbul", "don't", "Pakistan’s",
      "rock'n'roll", "'quoted'", "‘quoted’", "it's'", "1990's", "19th", "covid19", "g20", "۱۹th",
      "2005ء", "11ویں", "ویں11", "BBCاردو", "اردوBBC", "abc١٢٣", "abc۱۲", "x\u0301y", "ŉ", "ﳳ", "t'ٓf",
      "\u06DD\u200C", std::string("a\0b", 3), "\xFF", "\xC0\x80", "\xE0\x80\x80", "\xED\xA0\x80",
      "\xF0\x9F\x98\x80", "پاک\xFFستان", "abc\xC3", "hello\xE2\x80", "😀پاکستان😀", "𝐀𝐁𝐂", "हिन्दी",
      "हिंदी भाषा", "ਪੰਜਾਬੀ", "Ελληνικά", "Русский", "中文字符", "ひらがな", "カタカナ", "한국어", "ไทย",
      "עברית", "ܣܘܪܝܝܐ", "ހ", "ٹیسٹ ٹیسٹ", "ک ی ہ", "ە ة ك ي ى أ إ ٱ ۀ", "پاکستان\u0300", "\u0300\u0301",
      "\u064B\u064Cپاکستان", "پ\u0670ا", "ٔ", "ـ", "ٴ", "a'", "a’", "a'\u0301b", "a'\u200Cb", "a’b",
      "THE AND OF", "The", "running runs ran", "e.g. i.e.", "U.S.A.", "naïve façade", "ﬀ", "¹²³", "½",
      "\u00A0pak\u00A0", "a…b", "x，y", "m\u00B2", "\u3000", "℃", "㌈", "Ⅻ", "ⓐ", "ﾊﾟ", "\u1100\u1161",
      "ۓ ئے ۂ ہ ؤ ئو یی", "ي\u064Bي", "ہ\u0670\u0654", "ی\u0655", "ا\u0654", "ا\u0674", "و\u0674",
      "ے\u0674", "پ\u0674", "\u0674", "ڪ ٽ ݙ ښ", "5\u0903th", "१२th", "٣\u064Eth", "5\u064Bth", "۱۲\u0903x", "\u08A0\u08B6", "\u0870", "ߊ", "𐴀", "ابc", "ab\u0627",
  };
  for (const std::string& c : cases) EXPECT_EQ(Compare(c), "") << c;
}

// Random strings over an alphabet of the characters the two paths treat differently.
TEST(FastPath, RandomStrings) {
  const std::vector<std::string> alphabet = {
      "a", "Z", "k", "'", "’", "‘", "-", " ", "\n", ".", "0", "7", "۱", "٣", "१", "ا", "ی", "ي", "ک", "ك",
      "ہ", "ه", "ے", "ۓ", "ئ", "ؤ", "ۂ", "و", "ں", "ھ", "ٹ", "آ", "ء", "ٴ", "\u0653", "\u0654", "\u0655",
      "\u064E", "\u0650", "\u0670", "\u0610", "\u06DD", "ـ", "\u200C", "\u200B", "\u200D", "\u200F",
      "\u00AD", "\uFEFF", "ﻻ", "ﷺ", "ﺏ", "é", "e\u0301", "\u0301", "ß", "ﬁ", "Ａ", "\u00A0", "…", "،",
      "۔", "؟", "«", "»", "“", "”", "ह", "\u094D", "\u093F", "中", "カ", "Ж", "α", "😀", "\xFF", "\xC3",
      "\xE2\x80", "\x00", "\t", "ŉ", "ﳳ", "㌈", "\u02BC", "\u0300", "\u0903", "th", "9",
  };
  std::mt19937 rng(20261129);
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> len(1, 24);
  size_t failures = 0;
  for (int iter = 0; iter < 200000 && failures < 5; ++iter) {
    std::string s;
    const int n = len(rng);
    for (int k = 0; k < n; ++k) s += alphabet[pick(rng)];
    const std::string diff = Compare(s);
    if (!diff.empty()) {
      ++failures;
      ADD_FAILURE() << diff;
    }
  }
}

// Every BMP code point alone and between Urdu and Latin words.
TEST(FastPath, EveryBmpCodePointInContext) {
  size_t failures = 0;
  for (char32_t c = 1; c < 0x10000 && failures < 5; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::string ch;
    AppendUtf8(c, &ch);
    for (const std::string& s : {ch, "کی" + ch + "ہے", "ab" + ch + "cd", "12" + ch + "34", ch + "' x", "x'" + ch}) {
      const std::string diff = Compare(s);
      if (!diff.empty()) {
        ++failures;
        ADD_FAILURE() << "U+" << std::hex << static_cast<uint32_t>(c) << "\n" << diff;
      }
    }
  }
}

std::vector<std::string> JsonlTexts(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) continue;
    for (const char* f : {"title", "body", "summary"}) {
      if (j.contains(f) && j[f].is_string()) out.push_back(j[f].get<std::string>());
    }
  }
  return out;
}

TEST(FastPath, SharedDataIdenticalToReference) {
  RASAI_REQUIRE_SHARED_DATA();
  const std::string d = testing::SharedData();
  std::vector<std::string> texts;
  for (const char* f : {"/urdu/urdu-news.jsonl", "/urdu/urdu-headlines.jsonl", "/english/foldoc/foldoc.jsonl",
                        "/open/en.jsonl", "/open/ur.jsonl"}) {
    auto t = JsonlTexts(d + f);
    EXPECT_FALSE(t.empty()) << f;
    texts.insert(texts.end(), std::make_move_iterator(t.begin()), std::make_move_iterator(t.end()));
  }
  for (const char* f : {"/english/cranfield/cran.all.1400", "/english/time/TIME.ALL", "/english/cranfield/cran.qry",
                        "/english/time/TIME.QUE", "/seed/information-access-center-article.ur.txt"}) {
    std::string all = testing::ReadFile(d + f);
    EXPECT_FALSE(all.empty()) << f;
    texts.push_back(all);
  }
  for (const auto& e : std::filesystem::directory_iterator(d + "/urdu")) {  // the query files
    if (e.path().extension() == ".tsv") texts.push_back(testing::ReadFile(e.path().string()));
  }
  ASSERT_GT(texts.size(), 150000u);
  const analysis_internal::FastPathStats before = analysis_internal::ThreadFastPathStats();
  size_t failures = 0;
  for (const std::string& t : texts) {
    const std::string diff = Compare(t);
    if (!diff.empty() && ++failures <= 5) ADD_FAILURE() << diff;
  }
  EXPECT_EQ(failures, 0u);
  // The fast path must be doing the work, or this test would compare the reference with itself.
  const analysis_internal::FastPathStats after = analysis_internal::ThreadFastPathStats();
  const uint64_t fast = after.fast_words - before.fast_words;
  const uint64_t fallback = after.fallback_words - before.fallback_words;
  std::printf("fast path: %llu words, reference path: %llu words\n", static_cast<unsigned long long>(fast),
              static_cast<unsigned long long>(fallback));
  EXPECT_GT(fast, 50 * fallback);
}

// The repository's own documents (the operator guide is part of the demo collection).
TEST(FastPath, RepositoryDocsIdenticalToReference) {
  const std::filesystem::path docs = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "docs";
  if (!std::filesystem::exists(docs)) GTEST_SKIP() << "no docs folder at " << docs;
  size_t n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(docs)) {
    if (!e.is_regular_file() || e.path().extension() != ".md") continue;
    EXPECT_EQ(Compare(testing::ReadFile(e.path().string())), "") << e.path();
    ++n;
  }
  EXPECT_GT(n, 0u);
}

}  // namespace
}  // namespace rasai
