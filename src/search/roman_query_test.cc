// Roman Urdu through the whole search: a small Urdu + English collection built in the test.
#include "search/roman_query.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "rasai/search.h"
#include "search/roman_lexicon.h"
#include "search/roman_urdu.h"
#include "search/term_cache.h"
#include "test_util.h"

namespace rasai {
namespace {

class RomanCollection : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(testing::TempDir("roman"));
    auto idx = Index::Open(*dir_, IndexOptions());
    ASSERT_TRUE(idx.ok());
    index_ = idx->release();
    struct D {
      const char *id, *title, *body, *lang;
    };
    const D docs[] = {
        {"imran", "عمران خان کی حکومت", "وزیر اعظم عمران خان کی حکومت نے نیا بجٹ پیش کیا۔ حکومت کا کہنا ہے کہ بجٹ متوازن ہے۔", "ur"},
        {"taxi", "نیویارک میں ٹیکسی ڈرائیور", "انڈیا سے آئے ہوئے ٹیکسی ڈرائیور نے الیکشن میں ووٹ ڈالا۔", "ur"},
        {"azadi", "آزادی رائے کی اہمیت", "آزادی رائے ہر شہری کا حق ہے اور اس کے لیے مشترکہ کوشش ضروری ہے۔", "ur"},
        {"tv", "ٹی وی چینلز پر پابندی", "حکومت نے دو ٹی وی چینلز پر پابندی لگا دی۔", "ur"},
        {"dawa", "جماعت الدعوۃ کے رہنما نظر بند", "جماعت الدعوۃ کے رہنما حافظ سعید کو نظر بند کر دیا گیا۔", "ur"},
        {"tanha", "پاکستان کو تنہا کر دیں گے", "انہوں نے کہا کہ پاکستان کو دنیا میں تنہا کر دیں گے۔", "ur"},
        {"rain", "کراچی میں بارش", "کراچی میں شدید بارش کے بعد سڑکوں پر پانی کھڑا ہو گیا۔", "ur"},
        {"capital", "اسلام آباد میں اجلاس", "اسلام آباد میں کابینہ کا اجلاس ہوا اور بجلی کی قیمت پر بات ہوئی۔", "ur"},
        {"lab-ur", "کمپیوٹر لیب", "طلبہ کمپیوٹر لیب میں کام کرتے ہیں۔", "ur"},
        {"net-en", "Computer networks", "A computer network links computers so that they can share files.", "en"},
        {"lab-en", "The computer lab", "Students use the computer lab of the center every afternoon.", "en"},
    };
    for (const D& d : docs) {
      Document doc;
      doc.id = d.id;
      doc.title = d.title;
      doc.body = d.body;
      doc.lang = d.lang;
      ASSERT_TRUE(index_->Add(doc).ok());
    }
    ASSERT_TRUE(index_->Commit().ok());
  }
  static void TearDownTestSuite() {
    delete index_;
    delete dir_;
  }
  static SearchResult Run(const std::string& q) {
    SearchRequest r;
    r.query = q;
    auto res = Searcher(index_->snapshot()).Search(r);
    EXPECT_TRUE(res.ok()) << q;
    return res.ok() ? *res : SearchResult{};
  }
  static std::string Top(const std::string& q) {
    const SearchResult r = Run(q);
    return r.hits.empty() ? "" : r.hits[0].id;
  }
  static std::vector<std::string> Ids(const std::string& q) {
    std::vector<std::string> ids;
    for (const Hit& h : Run(q).hits) ids.push_back(h.id);
    return ids;
  }
  static std::string* dir_;
  static Index* index_;
};
std::string* RomanCollection::dir_ = nullptr;
Index* RomanCollection::index_ = nullptr;

TEST_F(RomanCollection, FindsTheUrduArticleAndSaysWhatItSearched) {
  const SearchResult r = Run("imran khan ki hukumat");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "imran");
  EXPECT_EQ(r.transliteration, "عمران خان کی حکومت");
  // The snippet marks the Urdu words found.
  EXPECT_NE(r.hits[0].snippet.find("<mark>عمران</mark>"), std::string::npos) << r.hits[0].snippet;
  // Case and spelling vary as people type.
  EXPECT_EQ(Top("Imran Khan HUKUMAT"), "imran");
  EXPECT_EQ(Top("imran khan hakoomat"), "imran");
  EXPECT_EQ(Top("karachi mein barish"), "rain");
  EXPECT_EQ(Top("karachi main baarish"), "rain");
}

TEST_F(RomanCollection, EnglishLoanwordsInUrduLetters) {
  EXPECT_EQ(Top("india taxi driver"), "taxi");
  EXPECT_EQ(Run("taxi election").transliteration, "ٹیکسی الیکشن");
  EXPECT_EQ(Top("computer lab mein talaba"), "lab-ur");
}

TEST_F(RomanCollection, IzafatAndConjunction) {
  for (const char* q : {"azadi e raye", "azadi-e-raye", "azadi e rai mushtarka koshish"}) {
    const SearchResult r = Run(q);
    ASSERT_FALSE(r.hits.empty()) << q;
    EXPECT_EQ(r.hits[0].id, "azadi") << q;
    EXPECT_EQ(r.transliteration.find(" e "), std::string::npos) << q << ": " << r.transliteration;
    EXPECT_EQ(r.transliteration.rfind("آزادی رائے", 0), 0u) << q << ": " << r.transliteration;
  }
}

TEST_F(RomanCollection, AcronymsArticleFutureAndTwoWordReadings) {
  const SearchResult tv = Run("tv channels pabandi");
  ASSERT_FALSE(tv.hits.empty());
  EXPECT_EQ(tv.hits[0].id, "tv");
  EXPECT_EQ(tv.transliteration.rfind("ٹی وی", 0), 0u) << tv.transliteration;
  const SearchResult dawa = Run("jamaat ud dawa nazar band");
  ASSERT_FALSE(dawa.hits.empty());
  EXPECT_EQ(dawa.hits[0].id, "dawa");
  EXPECT_NE(dawa.transliteration.find("الدعوۃ"), std::string::npos) << dawa.transliteration;
  EXPECT_EQ(Top("tanha kar denge"), "tanha");
  const SearchResult capital = Run("islamabad ijlas");
  ASSERT_FALSE(capital.hits.empty());
  EXPECT_EQ(capital.hits[0].id, "capital");
  EXPECT_NE(capital.transliteration.find("اسلام آباد"), std::string::npos) << capital.transliteration;
}

TEST_F(RomanCollection, MixedUrduAndRomanQueries) {
  EXPECT_EQ(Top("عمران khan"), "imran");
  EXPECT_EQ(Top("karachi بارش"), "rain");
  EXPECT_EQ(Run("karachi بارش").transliteration, "کراچی بارش");
  // Urdu alone: nothing to transliterate.
  EXPECT_EQ(Run("کراچی بارش").transliteration, "");
}

// A query of Roman function words alone finds what their Urdu readings find, as the same words
// typed in Urdu script do.
TEST_F(RomanCollection, FunctionWordsAloneFindWhatTheirUrduFinds) {
  const SearchResult urdu = Run("کی");
  ASSERT_FALSE(urdu.hits.empty());
  const SearchResult roman = Run("ki");
  EXPECT_EQ(roman.transliteration, "کی");
  EXPECT_EQ(roman.total, urdu.total);
}

TEST_F(RomanCollection, EnglishQueriesOnEnglishTextAreNotDisturbed) {
  // «computer» is written in Latin letters here more than in Urdu ones: searched as typed.
  const SearchResult r = Run("computer lab");
  EXPECT_EQ(r.transliteration, "");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "lab-en");
  for (const Hit& h : r.hits) EXPECT_NE(h.id, "lab-ur");
  EXPECT_EQ(Run("network computers").hits.at(0).id, "net-en");
}

TEST_F(RomanCollection, HostileQueriesAreAnsweredAndBounded) {
  // A 2 KB run of consonants: one word too long to read.
  std::string consonants;
  for (int i = 0; i < 2048; ++i) consonants += "bcdfghjklmnpqrstvwxz"[i % 20];
  const SearchResult c = Run(consonants);
  EXPECT_TRUE(c.hits.empty());
  EXPECT_EQ(c.transliteration, "");
  // 48 Roman words, and 200: every word gets at most a few readings; answered.
  std::string words;
  const char* vocab[] = {"imran", "khan", "hukumat", "karachi", "barish", "taxi", "india", "azadi", "e", "raye"};
  for (int i = 0; i < 200; ++i) {
    words += vocab[i % 10];
    words += ' ';
    if (i == 47) {
      const SearchResult r = Run(words);
      EXPECT_FALSE(r.hits.empty());
      EXPECT_FALSE(r.transliteration.empty());
    }
  }
  EXPECT_FALSE(Run(words).hits.empty());
  // Words of letters that no rule reads, and Latin words of 24 letters.
  EXPECT_TRUE(Run("xxxxxxxxxxxxxxxxxxxxxxxx qqqqqqqqqqqqqqqqqqqqqqqq").hits.empty());
  EXPECT_TRUE(Run("e e e o o o").hits.empty());
}

TEST_F(RomanCollection, SuggestionsAcceptRomanPrefixes) {
  const Searcher searcher(index_->snapshot());
  auto has = [](const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); };
  const auto kh = searcher.Suggest("imran kh", 8);
  ASSERT_FALSE(kh.empty());
  EXPECT_EQ(kh[0], "عمران خان");
  EXPECT_EQ(searcher.Suggest("imran ", 8).at(0), "عمران خان");
  EXPECT_TRUE(has(searcher.Suggest("hukum", 8), "حکومت"));
  EXPECT_TRUE(has(searcher.Suggest("tai", 8), "ٹیکسی") || has(searcher.Suggest("tax", 8), "ٹیکسی"));
  // Urdu text is completed as before; English words of the collection come first.
  EXPECT_EQ(searcher.Suggest("عمران خ", 8).at(0), "عمران خان");
  EXPECT_EQ(searcher.Suggest("comp", 8).at(0), "computer");
  // Hostile text: answered, bounded.
  EXPECT_LE(searcher.Suggest(std::string(2048, 'k'), 8).size(), 8u);
  std::string many;
  for (int i = 0; i < 60; ++i) many += "imran khan ";
  EXPECT_LE(searcher.Suggest(many + "hu", 8).size(), 8u);
  EXPECT_LE(searcher.Suggest("imran kh", 1).size(), 1u);
  EXPECT_TRUE(searcher.Suggest("imran kh", 0).empty());
}

TEST_F(RomanCollection, CandidatesComeFromTheIndexRankedAndBounded) {
  const auto snap = index_->snapshot();
  const auto hukumat = RomanCandidates(*snap, "hukumat");
  ASSERT_FALSE(hukumat.empty());
  EXPECT_EQ(hukumat[0].term, "حکومت");
  EXPECT_EQ(hukumat[0].weight, 1.0);
  EXPECT_GE(hukumat[0].df, 2u);
  for (size_t i = 1; i < hukumat.size(); ++i) {
    EXPECT_LE(hukumat[i].weight, hukumat[i - 1].weight);
    EXPECT_GE(hukumat[i].weight, RomanOptions().min_weight);
  }
  RomanOptions one;
  one.max = 1;
  EXPECT_LE(RomanCandidates(*snap, "kabina", one).size(), 1u);
  EXPECT_TRUE(RomanCandidates(*snap, "zzzzqqq").empty());
  EXPECT_TRUE(RomanCandidates(*snap, "ab1").empty());
  // The lexicon of a segment is built once and shared.
  const auto& seg = snap->segments().at(0);
  EXPECT_EQ(RomanLexicon::Of(seg).get(), RomanLexicon::Of(seg).get());
  EXPECT_GT(RomanLexicon::Of(seg)->size(), 20u);
}

// English quoted in an Urdu sentence («تنظیم No more tears یعنی …») is searched as written, even
// where an Urdu word may be spelt so and is common («no» نو, nine): the sentence is Urdu script.
TEST(RomanQuoted, EnglishInAnUrduSentenceStaysAsWritten) {
  auto idx = Index::Open(testing::TempDir("roman-quoted"), IndexOptions());
  ASSERT_TRUE(idx.ok());
  for (int i = 0; i < 12; ++i) {
    Document d;
    d.id = "nine" + std::to_string(i);
    d.title = "نو افراد زخمی";
    d.body = "حادثے میں نو افراد زخمی ہو گئے۔";
    ASSERT_TRUE((*idx)->Add(d).ok());
  }
  Document d;
  d.id = "tears";
  d.title = "اب اور آنسو نہیں";
  d.body = "امریکہ میں قائم تنظیم No more tears یعنی اب اور آنسو نہیں خواتین کے لیے کام کرتی ہے۔";
  ASSERT_TRUE((*idx)->Add(d).ok());
  ASSERT_TRUE((*idx)->Commit().ok());
  const Searcher searcher((*idx)->snapshot());
  SearchRequest r;
  r.query = "امریکہ میں قائم تنظیم No more tears یعنی اب اور آنسو نہیں";
  auto res = searcher.Search(r);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->transliteration, "");
  ASSERT_FALSE(res->hits.empty());
  EXPECT_EQ(res->hits[0].id, "tears");
  // The same words alone are read as they were: «no» is nine ten times as often as it is «no».
  r.query = "no";
  res = searcher.Search(r);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->transliteration, "نو");
}

// A word typed as the usual spelling of its best reading reads as that alone: «lag» is لگ, not
// also the commoner لیگ and لگا; «lig» (no reading spelt so) keeps its three.
TEST(RomanReading, AnExactSpellingReadsAsItselfAlone) {
  auto idx = Index::Open(testing::TempDir("roman-exact"), IndexOptions());
  ASSERT_TRUE(idx.ok());
  for (int i = 0; i < 43; ++i) {
    Document d;
    d.id = "d" + std::to_string(i);
    d.body = i < 3 ? "آگ لگ گئی" : i < 23 ? "کرکٹ لیگ کا میچ" : "اس نے کہا لگا";
    ASSERT_TRUE((*idx)->Add(d).ok());
  }
  ASSERT_TRUE((*idx)->Commit().ok());
  const auto snap = (*idx)->snapshot();
  ASSERT_EQ(RomanCandidates(*snap, "lag").size(), 3u);
  EXPECT_EQ(RomanCandidates(*snap, "lag")[0].cost, 0.0f);
  TermCache terms(*snap);
  Lexicon lex(terms);
  LexiconProbe probe(lex);
  auto readings = [&](const char* w) {
    std::vector<std::string> out;
    const RomanReading r = ReadRomanUrdu(*snap, {RomanQueryWord{w, true, 0}}, probe);
    for (const RomanAlt& a : r.alts.at(0)) out.push_back(a.terms.at(0));
    return out;
  };
  EXPECT_EQ(readings("lag"), (std::vector<std::string>{"لگ"}));
  const auto lig = readings("lig");
  EXPECT_EQ(lig.size(), 3u);
  EXPECT_GT(RomanCandidates(*snap, "lig").at(0).cost, 0.0f);
}

// A term of a word's key that the word cannot spell («حکےمت»: no rule writes ے inside a word), in two
// segments: the second segment's df goes to no other candidate (it once went to out[0], past
// the end of an empty list).
TEST(RomanLexicon, ATermNotSpeltInOneSegmentIsNotCountedInAnother) {
  auto idx = Index::Open(testing::TempDir("roman-segments"), IndexOptions());
  ASSERT_TRUE(idx.ok());
  for (int s = 0; s < 2; ++s) {
    for (int i = 0; i < 3; ++i) {
      Document d;
      d.id = "s" + std::to_string(s) + "-" + std::to_string(i);
      d.body = s == 0 ? "حکےمت" : "حکےمت حکومت";
      ASSERT_TRUE((*idx)->Add(d).ok());
    }
    ASSERT_TRUE((*idx)->Commit().ok());
  }
  const auto snap = (*idx)->snapshot();
  ASSERT_EQ(snap->segments().size(), 2u);
  const auto c = RomanCandidates(*snap, "hukumat");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].term, "حکومت");
  EXPECT_EQ(c[0].df, 3u);
}

// A y after a consonant and before a vowel is a consonant, written ی: «kya» is کیا, never کا,
// though the collection writes کا five times as often (as urdu-news does).
TEST(RomanCandidates, YBeforeAVowelIsWritten) {
  auto idx = Index::Open(testing::TempDir("roman-kya"), IndexOptions());
  ASSERT_TRUE(idx.ok());
  for (int i = 0; i < 48; ++i) {
    Document d;
    d.id = "d" + std::to_string(i);
    d.body = i < 8 ? "کیا" : "کا";
    ASSERT_TRUE((*idx)->Add(d).ok());
  }
  ASSERT_TRUE((*idx)->Commit().ok());
  const auto snap = (*idx)->snapshot();
  const auto kya = RomanCandidates(*snap, "kya");
  ASSERT_FALSE(kya.empty());
  EXPECT_EQ(kya[0].term, "کیا");
  for (const RomanCandidate& c : kya) EXPECT_NE(c.term, "کا");
  // Between consonants an English y is a vowel, and may be unwritten: «cylinder» سلنڈر.
  EXPECT_LT(roman::Aligner("cylinder").Cost(U"سلنڈر"), 1.5f);
}

TEST(RomanLexicon, HoldsOnlyUrduTermsMostCommonFirst) {
  const std::string dir = testing::TempDir("roman-lexicon");
  auto idx = Index::Open(dir, IndexOptions());
  ASSERT_TRUE(idx.ok());
  for (int i = 0; i < 5; ++i) {
    Document d;
    d.id = "d" + std::to_string(i);
    d.title = i < 3 ? "حکومت" : "حکمت";
    d.body = "government قیمت 2016";
    ASSERT_TRUE((*idx)->Add(d).ok());
  }
  ASSERT_TRUE((*idx)->Commit().ok());
  const auto snap = (*idx)->snapshot();
  const auto lex = RomanLexicon::Build(*snap->segments().at(0));
  EXPECT_EQ(lex->size(), 3u);  // حکومت حکمت قیمت; no Latin word, no number
  std::vector<std::pair<std::string, uint32_t>> kmt;
  lex->ForKey("kmt", 10, [&](std::string_view t, uint32_t df) {
    kmt.emplace_back(std::string(t), df);
    return true;
  });
  ASSERT_EQ(kmt.size(), 3u);
  EXPECT_EQ(kmt[0], (std::pair<std::string, uint32_t>{"قیمت", 5}));
  EXPECT_EQ(kmt[1], (std::pair<std::string, uint32_t>{"حکومت", 3}));
  size_t seen = 0;
  lex->ForKey("kmt", 10, [&](std::string_view, uint32_t) { return ++seen < 2; });
  EXPECT_EQ(seen, 2u);
  lex->ForKey("xyz", 10, [&](std::string_view, uint32_t) { return ADD_FAILURE(), true; });
}

}  // namespace
}  // namespace rasai
