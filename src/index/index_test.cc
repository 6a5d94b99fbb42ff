#include "rasai/index.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "rasai/analysis.h"
#include "test_util.h"
#include "index/format.h"
#include "rasai/article.h"
#include "rasai/postings.h"
#include "rasai/term_lists.h"
#include "util/coding.h"
#include "util/crc32c.h"
#include "util/utf8.h"

namespace rasai {
namespace {

const char* kWords[] = {"river", "mountain", "pakistan", "لاہور", "کراچی", "بارش", "سیلاب", "school", "library",
                        "کتاب", "طالب", "farmer", "wheat", "گندم", "کسان", "power", "بجلی", "قیمت", "market", "news"};
constexpr int kNumWords = sizeof(kWords) / sizeof(kWords[0]);

Document MakeDoc(int i, std::mt19937& rng) {
  Document d;
  d.id = "doc-" + std::to_string(i);
  std::uniform_int_distribution<int> w(0, kNumWords - 1), len(1, 30);
  int n = len(rng);
  for (int k = 0; k < n; ++k) d.body += std::string(k ? " " : "") + kWords[w(rng)];
  d.title = kWords[w(rng)];
  d.source = i % 2 ? "bbc" : "voa";
  d.date = "2016-0" + std::to_string(1 + i % 9) + "-15";
  return d;
}

// Live id -> set of terms, as the analyzer sees the document body.
std::map<std::string, std::set<std::string>> Expected(const std::map<std::string, Document>& docs) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& [id, d] : docs) {
    std::vector<Token> toks;
    DefaultAnalyzer().Analyze(d.body, &toks);
    for (const auto& t : toks) out[id].insert(t.term);
  }
  return out;
}

// Live id -> set of body terms, read back through the postings of every segment.
std::map<std::string, std::set<std::string>> ReadBack(const Snapshot& snap) {
  std::map<std::string, std::set<std::string>> out;
  const int body = snap.schema().FieldId("body");
  for (const auto& seg : snap.segments()) {
    std::vector<std::string> ids(seg->max_doc());
    for (uint32_t d = 0; d < seg->max_doc(); ++d) {
      auto doc = seg->Stored(d);
      EXPECT_TRUE(doc.ok());
      ids[d] = doc->id;
    }
    for (TermIterator it = seg->Terms(body); it.Valid(); it.Next()) {
      PostingsCursor pc = seg->Postings(it.info());
      uint32_t n = 0;
      for (uint32_t d = pc.doc(); d != PostingsCursor::kEnd; d = pc.Next(), ++n) {
        std::vector<uint32_t> pos;
        pc.Positions(&pos);
        EXPECT_EQ(pos.size(), pc.freq());
        EXPECT_TRUE(std::is_sorted(pos.begin(), pos.end()));
        if (!seg->IsDeleted(d)) out[ids[d]].insert(std::string(it.term()));
      }
      EXPECT_EQ(n, it.info().df);
    }
  }
  return out;
}

using testing::FilesWithExt;
using testing::WriteFile;

IndexOptions SmallBuffer() {
  IndexOptions o;
  o.ram_buffer_bytes = 64 << 10;  // many segments
  return o;
}

TEST(Index, PostingsMatchTheDocumentsAcrossSegmentsAndBlocks) {
  std::string dir = testing::TempDir("idx");
  std::mt19937 rng(42);
  std::map<std::string, Document> docs;
  {
    auto idx = Index::Open(dir, SmallBuffer());
    ASSERT_TRUE(idx.ok()) << idx.status().ToString();
    for (int i = 0; i < 3000; ++i) {
      Document d = MakeDoc(i, rng);
      docs[d.id] = d;
      ASSERT_TRUE((*idx)->Add(d).ok());
    }
    ASSERT_TRUE((*idx)->Commit().ok());
    auto snap = (*idx)->snapshot();
    EXPECT_EQ(snap->live_docs(), 3000u);
    EXPECT_GT(snap->segments().size(), 1u);
    EXPECT_EQ(ReadBack(*snap), Expected(docs));
  }
  // Reopen: same content; Check passes.
  auto idx = Index::Open(dir, IndexOptions());
  ASSERT_TRUE(idx.ok());
  EXPECT_EQ(ReadBack(*(*idx)->snapshot()), Expected(docs));
  EXPECT_TRUE((*idx)->Check().ok()) << (*idx)->Check().ToString();
  // Merge to one segment: same content.
  ASSERT_TRUE((*idx)->ForceMerge().ok());
  EXPECT_EQ((*idx)->snapshot()->segments().size(), 1u);
  EXPECT_EQ(ReadBack(*(*idx)->snapshot()), Expected(docs));
  EXPECT_TRUE((*idx)->Check().ok());
}

// Add(doc, &replaced) tells whether an uncommitted document had the id, whether it waits in the
// buffer or in a segment flushed since the commit (found through that segment's id filter and
// confirmed in its id dictionary); a committed one is not counted, and is replaced at commit.
TEST(Index, AddTellsWhetherItReplacesAnUncommittedDocument) {
  std::string dir = testing::TempDir("replaced");
  std::mt19937 rng(11);
  auto idx = Index::Open(dir, SmallBuffer());
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE((*idx)->Add(MakeDoc(i, rng)).ok());
  ASSERT_TRUE((*idx)->Commit().ok());
  int replaced_count = 0;
  for (int i = 100; i < 2000; ++i) {  // many flushes: most ids are in pending segments
    bool replaced = true;
    ASSERT_TRUE((*idx)->Add(MakeDoc(i, rng), &replaced).ok());
    replaced_count += replaced;
  }
  EXPECT_EQ(replaced_count, 0);
  for (int i : {0, 50, 99}) {  // committed: not counted here
    bool replaced = true;
    ASSERT_TRUE((*idx)->Add(MakeDoc(i, rng), &replaced).ok());
    EXPECT_FALSE(replaced) << i;
  }
  for (int i : {100, 101, 777, 1500, 1999, 50}) {  // uncommitted (flushed or buffered)
    bool replaced = false;
    ASSERT_TRUE((*idx)->Add(MakeDoc(i, rng), &replaced).ok());
    EXPECT_TRUE(replaced) << i;
  }
  bool replaced = true;
  ASSERT_TRUE((*idx)->Add(MakeDoc(5000, rng), &replaced).ok());
  EXPECT_FALSE(replaced);
  ASSERT_TRUE((*idx)->Commit().ok());
  auto snap = (*idx)->snapshot();
  EXPECT_EQ(snap->live_docs(), 2001u);  // 0..1999 and 5000, each once
  for (int i : {0, 50, 100, 777, 1999, 5000}) {
    Document d = MakeDoc(i, rng);
    EXPECT_TRUE(snap->Get(d.id).ok()) << d.id;
  }
}

// TermLengths lists every term of the field exactly once, in the bucket of its length in code
// points and of its number of code points outside ASCII, with its df and letter signature; the
// _id field and other out-of-range fields get an empty table.
TEST(Index, TermLengthsHoldEveryTermInItsLengthBucket) {
  std::string dir = testing::TempDir("lengths");
  std::mt19937 rng(7);
  auto idx = Index::Open(dir, IndexOptions());
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  for (int i = 0; i < 500; ++i) ASSERT_TRUE((*idx)->Add(MakeDoc(i, rng)).ok());
  Document longword;
  longword.id = "long";
  longword.body = std::string(70, 'a') + " " + std::string(64, 'b');  // beyond the last bucket
  ASSERT_TRUE((*idx)->Add(longword).ok());
  ASSERT_TRUE((*idx)->Commit().ok());
  auto snap = (*idx)->snapshot();
  const SegmentReader& seg = *snap->segments().at(0);
  for (int f = 0; f < static_cast<int>(snap->schema().fields.size()); ++f) {
    std::map<std::string, uint32_t> expected;
    for (TermIterator it = seg.Terms(f); it.Valid(); it.Next()) expected[std::string(it.term())] = it.info().df;
    std::map<std::string, uint32_t> got;
    const TermsByLength& byLength = seg.TermLengths(f);
    EXPECT_EQ(&byLength, &seg.TermLengths(f));  // built once
    for (uint32_t len = 0; len <= TermsByLength::kMaxLength; ++len) {
      for (uint32_t wide = 0; wide <= TermsByLength::kMaxWide; ++wide) {
        for (size_t i = 0; i < byLength.size(len, wide); ++i) {
          std::string t(byLength.term(len, wide, i));
          std::u32string u;
          DecodeUtf8(t, &u);
          EXPECT_EQ(std::min<size_t>(u.size(), TermsByLength::kMaxLength), len) << t;
          EXPECT_EQ(std::min(TermsByLength::Wide(u), TermsByLength::kMaxWide), wide) << t;
          EXPECT_EQ(byLength.entry(len, wide, i).signature, TermsByLength::Signature(u)) << t;
          EXPECT_TRUE(got.emplace(t, byLength.entry(len, wide, i).df).second) << "twice: " << t;
          if (i > 0) {
            EXPECT_LT(byLength.term(len, wide, i - 1), t);  // in term order
          }
        }
      }
    }
    EXPECT_EQ(got, expected) << snap->schema().fields[f];
    if (snap->schema().fields[f] == "body") {
      EXPECT_TRUE(got.count(std::string(70, 'a')));
      EXPECT_TRUE(got.count("لاہور"));
    }
  }
  const TermsByLength& none = seg.TermLengths(99);
  for (uint32_t len = 0; len <= TermsByLength::kMaxLength; ++len)
    for (uint32_t wide = 0; wide <= TermsByLength::kMaxWide + 1; ++wide) EXPECT_EQ(none.size(len, wide), 0u);
  EXPECT_EQ(TermsByLength::Wide(U"match"), 0u);
  EXPECT_EQ(TermsByLength::Wide(U"میچ"), 3u);
  EXPECT_EQ(TermsByLength::Wide(U"201ویں"), 3u);
  // One substitution changes at most two bits; the same letters in another order none.
  const uint64_t a = TermsByLength::Signature(U"کتاب"), b = TermsByLength::Signature(U"کتان");
  EXPECT_LE(__builtin_popcountll(a ^ b), 2);
  EXPECT_EQ(TermsByLength::Signature(U"بتاک"), a);
}

// Frequent keeps the kMax terms of largest document frequency, in term order with their df;
// at a tie on the cut the smaller terms stay. Range is the run of terms with a prefix.
TEST(Index, FrequentTermsAreTheMostCommonInTermOrder) {
  std::string dir = testing::TempDir("frequent");
  auto idx = Index::Open(dir, IndexOptions());
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  const size_t kRare = FrequentTerms::kMax + 100;  // each in one document
  Document rare;
  rare.id = "rare";
  char word[32];
  for (size_t i = 0; i < kRare; ++i) {
    std::snprintf(word, sizeof word, "t%05zu ", i);
    rare.body += word;
  }
  ASSERT_TRUE((*idx)->Add(rare).ok());
  for (int i = 0; i < 3; ++i) {  // "zeta" in 3 documents, "alpha" in 2
    Document d;
    d.id = "common-" + std::to_string(i);
    d.body = i < 2 ? "zeta alpha" : "zeta";
    ASSERT_TRUE((*idx)->Add(d).ok());
  }
  ASSERT_TRUE((*idx)->Commit().ok());
  auto snap = (*idx)->snapshot();
  const SegmentReader& seg = *snap->segments().at(0);
  const int body = snap->schema().FieldId("body");
  const FrequentTerms& common = seg.Frequent(body);
  EXPECT_EQ(&common, &seg.Frequent(body));  // built once
  ASSERT_EQ(common.size(), FrequentTerms::kMax);
  EXPECT_EQ(common.term(0), "alpha");
  EXPECT_EQ(common.df(0), 2u);
  EXPECT_EQ(common.term(common.size() - 1), "zeta");
  EXPECT_EQ(common.df(common.size() - 1), 3u);
  for (size_t i = 1; i + 1 < common.size(); ++i) {  // t00000 .. t08189: the smallest of the df-1 terms
    std::snprintf(word, sizeof word, "t%05zu", i - 1);
    ASSERT_EQ(common.term(i), word);
    ASSERT_EQ(common.df(i), 1u);
  }
  auto [first, end] = common.Range("t081");
  EXPECT_EQ(end - first, 90u);  // t08100 .. t08189
  EXPECT_EQ(common.term(first), "t08100");
  std::tie(first, end) = common.Range("u");
  EXPECT_EQ(first, end);
  EXPECT_EQ(seg.Frequent(99).size(), 0u);
}

TEST(Index, AdvanceAndBlockMaxAgreeWithBruteForce) {
  std::string dir = testing::TempDir("adv");
  std::mt19937 rng(3);
  auto idx = Index::Open(dir, IndexOptions());
  ASSERT_TRUE(idx.ok());
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE((*idx)->Add(MakeDoc(i, rng)).ok());
  ASSERT_TRUE((*idx)->Commit().ok());
  auto snap = (*idx)->snapshot();
  ASSERT_EQ(snap->segments().size(), 1u);
  const SegmentReader& seg = *snap->segments()[0];
  const int body = snap->schema().FieldId("body");
  TermInfo ti;
  ASSERT_TRUE(seg.Lookup(body, DefaultAnalyzer().Term("river"), &ti));
  ASSERT_GT(ti.df, 300u);  // several blocks
  std::vector<uint32_t> all, freqs;
  PostingsCursor pc = seg.Postings(ti);
  for (uint32_t d = pc.doc(); d != PostingsCursor::kEnd; d = pc.Next()) {
    all.push_back(d);
    freqs.push_back(pc.freq());
    EXPECT_LE(pc.freq(), pc.MaxFreq());
    EXPECT_GE(seg.FieldLength(body, d), pc.MinLength());
  }
  PostingsCursor shallow = seg.Postings(ti);  // its block window moves back and forth
  for (int trial = 0; trial < 200; ++trial) {
    PostingsCursor c = seg.Postings(ti);
    uint32_t target = rng() % (seg.max_doc() + 10);
    auto it = std::lower_bound(all.begin(), all.end(), target);
    uint32_t want = it == all.end() ? PostingsCursor::kEnd : *it;
    // shallow: the block bound covers the doc Advance lands on
    uint32_t block_last = c.ShallowAdvance(target);
    EXPECT_EQ(shallow.ShallowAdvance(target), block_last) << target;
    if (block_last != PostingsCursor::kEnd) {
      EXPECT_EQ(shallow.BlockMaxFreq(), c.BlockMaxFreq());
      EXPECT_EQ(shallow.BlockMinLength(), c.BlockMinLength());
    }
    if (want != PostingsCursor::kEnd) {
      EXPECT_GE(block_last, want);
      EXPECT_GE(c.BlockMaxFreq(), freqs[it - all.begin()]);
      EXPECT_LE(c.BlockMinLength(), seg.FieldLength(body, want));
    } else {
      EXPECT_EQ(block_last, PostingsCursor::kEnd);
    }
    EXPECT_EQ(c.Advance(target), want);
    // and then stepping continues correctly
    if (want != PostingsCursor::kEnd && it + 1 != all.end()) {
      EXPECT_EQ(c.Next(), *(it + 1));
    }
  }
  EXPECT_FALSE(seg.Lookup(body, "no-such-term", &ti));
}

// Lookup scans a dictionary block without building its terms (it reasons on the prefixes the
// entries share); every term, and every near miss around one, must come out as the iterator says.
TEST(Index, LookupAgreesWithTheTermIterator) {
  std::string dir = testing::TempDir("lookup");
  std::mt19937 rng(11);
  auto idx = Index::Open(dir, IndexOptions());
  ASSERT_TRUE(idx.ok());
  // Words that are prefixes of one another, over a few letters (Latin and Urdu): long runs of
  // shared prefixes, across many dictionary blocks.
  const std::vector<std::string> letters = {"q", "x", "z", "ب", "پ", "ت"};
  std::uniform_int_distribution<int> pick(0, static_cast<int>(letters.size()) - 1), len(1, 6), words(5, 40);
  for (int i = 0; i < 400; ++i) {
    Document d;
    d.id = "l" + std::to_string(i);
    const int n = words(rng);
    for (int k = 0; k < n; ++k) {
      std::string w;
      const int l = len(rng);
      for (int c = 0; c < l; ++c) w += letters[pick(rng)];
      d.body += (k ? " " : "") + w;
    }
    ASSERT_TRUE((*idx)->Add(d).ok());
  }
  ASSERT_TRUE((*idx)->Commit().ok());
  auto snap = (*idx)->snapshot();
  ASSERT_EQ(snap->segments().size(), 1u);
  const SegmentReader& seg = *snap->segments()[0];
  const int body = snap->schema().FieldId("body");
  std::map<std::string, TermInfo> all;
  for (TermIterator it = seg.Terms(body); it.Valid(); it.Next()) all[std::string(it.term())] = it.info();
  ASSERT_GT(all.size(), 10 * kTermsPerBlock);
  std::set<std::string> probes;
  for (const auto& [t, info] : all) {
    probes.insert(t);
    probes.insert(t + "q");
    probes.insert(t + "\x01");
    probes.insert(t.substr(0, t.size() - 1));
    probes.insert(t.substr(0, t.size() - 1) + "\xff");
    probes.insert(t.substr(0, t.size() - 1) + "a");
  }
  probes.insert("");
  probes.insert("\xff\xff");
  size_t found = 0;
  for (const std::string& p : probes) {
    TermInfo ti;
    auto it = all.find(p);
    ASSERT_EQ(seg.Lookup(body, p, &ti), it != all.end()) << p;
    if (it == all.end()) continue;
    ++found;
    EXPECT_EQ(ti.df, it->second.df) << p;
    EXPECT_EQ(ti.total_tf, it->second.total_tf) << p;
    EXPECT_EQ(ti.doc_offset, it->second.doc_offset) << p;
    EXPECT_EQ(ti.pos_offset, it->second.pos_offset) << p;
  }
  EXPECT_EQ(found, all.size());
}

TEST(Index, UpdatesAndDeletesById) {
  std::string dir = testing::TempDir("upd");
  std::mt19937 rng(5);
  std::map<std::string, Document> docs;
  auto idx = Index::Open(dir, SmallBuffer());
  ASSERT_TRUE(idx.ok());
  for (int i = 0; i < 500; ++i) {
    Document d = MakeDoc(i, rng);
    docs[d.id] = d;
    ASSERT_TRUE((*idx)->Add(d).ok());
  }
  ASSERT_TRUE((*idx)->Commit().ok());
  // Replace every 10th, delete every 50th, add a doc twice within one batch.
  for (int i = 0; i < 500; i += 10) {
    Document d = MakeDoc(i, rng);
    d.title = "replaced";
    docs[d.id] = d;
    ASSERT_TRUE((*idx)->Add(d).ok());
  }
  for (int i = 5; i < 500; i += 50) {
    docs.erase("doc-" + std::to_string(i));
    ASSERT_TRUE((*idx)->Delete("doc-" + std::to_string(i)).ok());
  }
  Document twice = MakeDoc(1000, rng);
  ASSERT_TRUE((*idx)->Add(twice).ok());
  twice.body = "wheat wheat";
  ASSERT_TRUE((*idx)->Add(twice).ok());
  docs[twice.id] = twice;
  // Added then deleted before commit: gone.
  Document ghost = MakeDoc(2000, rng);
  ASSERT_TRUE((*idx)->Add(ghost).ok());
  ASSERT_TRUE((*idx)->Delete(ghost.id).ok());
  ASSERT_TRUE((*idx)->Commit().ok());
  auto snap = (*idx)->snapshot();
  EXPECT_EQ(snap->live_docs(), docs.size());
  EXPECT_EQ(ReadBack(*snap), Expected(docs));
  EXPECT_EQ(snap->Get("doc-10")->title, "replaced");
  EXPECT_EQ(snap->Get("doc-1000")->body, "wheat wheat");
  EXPECT_TRUE(snap->Get("doc-5").status().IsNotFound());
  EXPECT_TRUE(snap->Get(ghost.id).status().IsNotFound());
  EXPECT_TRUE(snap->Contains("doc-10"));
  EXPECT_FALSE(snap->Contains("doc-5"));  // deleted
  EXPECT_FALSE(snap->Contains(ghost.id));
  EXPECT_FALSE((*idx)->Add(Document{}).ok());  // empty id
  // Survives reopen and merge.
  idx->reset();
  auto again = Index::Open(dir, IndexOptions());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(ReadBack(*(*again)->snapshot()), Expected(docs));
  ASSERT_TRUE((*again)->ForceMerge().ok());
  EXPECT_EQ(ReadBack(*(*again)->snapshot()), Expected(docs));
  EXPECT_EQ((*again)->stats().deleted_docs, 0u);
}

// A writer with a second thread (analysis beside inversion, stored texts beside postings) writes
// the same files, byte for byte, as one with a single thread: flushes, replaces, deletes,
// merges and all.
TEST(Index, TheThreadCountDoesNotChangeTheFiles) {
  auto build = [](int threads) {
    std::string dir = testing::TempDir("threads" + std::to_string(threads));
    std::mt19937 rng(21);
    IndexOptions o = SmallBuffer();
    o.index_threads = threads;
    auto idx = Index::Open(dir, o);
    EXPECT_TRUE(idx.ok());
    std::map<std::string, Document> docs;
    for (int round = 0; round < 3; ++round) {
      for (int i = 0; i < 1500; ++i) {
        Document d = MakeDoc(round == 0 ? i : (i * 7) % 2000, rng);  // later rounds replace
        if (i % 3 == 0) d.lang = "en";  // the others get a detected language
        docs[d.id] = d;
        EXPECT_TRUE((*idx)->Add(d).ok());
      }
      for (int i = round; i < 2000; i += 97) {
        docs.erase("doc-" + std::to_string(i));
        EXPECT_TRUE((*idx)->Delete("doc-" + std::to_string(i)).ok());
      }
      EXPECT_TRUE((*idx)->Commit().ok());
    }
    auto snap = (*idx)->snapshot();
    EXPECT_EQ(snap->live_docs(), docs.size());
    EXPECT_EQ(ReadBack(*snap), Expected(docs));
    EXPECT_TRUE((*idx)->Check().ok());
    EXPECT_GT(snap->segments().size(), 1u);
    idx->reset();
    std::map<std::string, std::string> files;
    for (auto& e : std::filesystem::directory_iterator(dir)) {
      std::ifstream in(e.path(), std::ios::binary);
      files[e.path().filename().string()] = std::string(std::istreambuf_iterator<char>(in), {});
    }
    return files;
  };
  const auto one = build(1), two = build(2);
  ASSERT_EQ(one.size(), two.size());
  for (const auto& [name, bytes] : one) {
    auto it = two.find(name);
    ASSERT_TRUE(it != two.end()) << name;
    EXPECT_TRUE(it->second == bytes) << name << " differs";
  }
  auto bad = Index::Open(testing::TempDir("threads-bad"), [] {
    IndexOptions o;
    o.index_threads = -1;
    return o;
  }());
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidArgument);
}

// Background merges run while commits replace and delete documents: deletions that land in a
// segment being merged are carried into the merged segment; nothing is lost or resurrected.
TEST(Index, BackgroundMergesKeepEveryCommittedChange) {
  std::string dir = testing::TempDir("bgmerge");
  std::mt19937 rng(13);
  std::map<std::string, Document> docs;
  IndexOptions o;
  o.background_merge = true;
  {
    auto idx = Index::Open(dir, o);
    ASSERT_TRUE(idx.ok());
    int next = 0;
    for (int round = 0; round < 60; ++round) {
      for (int k = 0; k < 20; ++k, ++next) {  // one new segment per commit
        Document d = MakeDoc(next, rng);
        docs[d.id] = d;
        ASSERT_TRUE((*idx)->Add(d).ok());
      }
      for (int k = 0; k < 3 && next > 0; ++k) {  // replace or delete older documents
        const std::string id = "doc-" + std::to_string(std::uniform_int_distribution<int>(0, next - 1)(rng));
        if (k == 0) {
          docs.erase(id);
          ASSERT_TRUE((*idx)->Delete(id).ok());
        } else {
          Document d = MakeDoc(std::stoi(id.substr(4)), rng);
          d.title = "round" + std::to_string(round);
          docs[d.id] = d;
          ASSERT_TRUE((*idx)->Add(d).ok());
        }
      }
      ASSERT_TRUE((*idx)->Commit().ok());
      auto snap = (*idx)->snapshot();  // every published view holds exactly the committed docs
      ASSERT_EQ(snap->live_docs(), docs.size()) << "round " << round;
    }
    ASSERT_TRUE((*idx)->WaitForMerges().ok());
    auto snap = (*idx)->snapshot();
    EXPECT_LE(snap->segments().size(), 8u);
    EXPECT_EQ(ReadBack(*snap), Expected(docs));
    for (const auto& [id, d] : docs) ASSERT_EQ(snap->Get(id)->title, d.title) << id;
    ASSERT_TRUE((*idx)->Check().ok());
  }
  auto again = Index::Open(dir, IndexOptions());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(ReadBack(*(*again)->snapshot()), Expected(docs));
  EXPECT_EQ((*again)->snapshot()->live_docs(), docs.size());
}

TEST(Index, SnapshotIsStableWhileWritesGoOn) {
  std::string dir = testing::TempDir("snap");
  std::mt19937 rng(9);
  auto idx = Index::Open(dir, IndexOptions());
  ASSERT_TRUE(idx.ok());
  for (int i = 0; i < 100; ++i) ASSERT_TRUE((*idx)->Add(MakeDoc(i, rng)).ok());
  ASSERT_TRUE((*idx)->Commit().ok());
  auto old = (*idx)->snapshot();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE((*idx)->Delete("doc-" + std::to_string(i)).ok());
  ASSERT_TRUE((*idx)->Commit().ok());
  ASSERT_TRUE((*idx)->ForceMerge().ok());
  EXPECT_EQ(old->live_docs(), 100u);
  EXPECT_TRUE(old->Get("doc-7").ok());  // files of the old view stay readable through mmap
  EXPECT_EQ((*idx)->snapshot()->live_docs(), 0u);
}

TEST(Index, DocValuesFiltersAndStats) {
  std::string dir = testing::TempDir("dv");
  auto idx = Index::Open(dir, IndexOptions());
  ASSERT_TRUE(idx.ok());
  Document a;
  a.id = "a";
  a.title = "پاکستان میں بارش";
  a.body = "لاہور اور کراچی میں شدید بارش ہوئی۔";
  a.source = "BBC Urdu";
  a.category = "pakistan";
  a.date = "2016-10-08T10:00:00Z";
  Document b;
  b.id = "b";
  b.title = "Rain in Lahore";
  b.body = "Heavy rain fell in Lahore and Karachi.";
  b.source = "VOA";
  ASSERT_TRUE((*idx)->Add(a).ok());
  ASSERT_TRUE((*idx)->Add(b).ok());
  ASSERT_TRUE((*idx)->Commit().ok());
  auto snap = (*idx)->snapshot();
  const SegmentReader& seg = *snap->segments()[0];
  DocValues va = seg.Values(static_cast<uint32_t>(seg.FindId("a")));
  EXPECT_EQ(seg.ValueName(DocValueField::kSource, va.source), "BBC Urdu");
  EXPECT_EQ(seg.ValueName(DocValueField::kCategory, va.category), "pakistan");
  EXPECT_EQ(seg.ValueName(DocValueField::kLang, va.lang), "ur");  // detected
  EXPECT_EQ(va.date, 20161008);
  EXPECT_EQ(va.time, 10 * 3600);
  DocValues vb = seg.Values(static_cast<uint32_t>(seg.FindId("b")));
  EXPECT_EQ(seg.ValueName(DocValueField::kLang, vb.lang), "en");
  EXPECT_EQ(vb.date, 0);
  EXPECT_EQ(vb.time, -1);
  EXPECT_EQ(snap->Get("a")->lang, "ur");
  FieldStats fs = snap->field_stats(snap->schema().FieldId("body"));
  EXPECT_EQ(fs.docs_with_field, 2u);
  EXPECT_GT(fs.total_length, 10u);
}

// The first 8 MiB of a field are analyzed, cut after a whitespace (or before a character).
TEST(Index, IndexedTextIsTheFirst8MiBCutOnAWordOrACharacter) {
  EXPECT_EQ(IndexedText("short text"), "short text");
  std::string words;
  while (words.size() < kIndexedFieldBytes + 100) words += "lafz ";
  const std::string_view cut = IndexedText(words);
  EXPECT_LE(cut.size(), kIndexedFieldBytes);
  EXPECT_GT(cut.size(), kIndexedFieldBytes - 10);
  EXPECT_EQ(cut.back(), ' ');
  std::string letters;  // «ب» (2 bytes) with no space at all
  while (letters.size() < kIndexedFieldBytes + 100) letters += "\xD8\xA8";
  const std::string_view cut2 = IndexedText(letters);
  EXPECT_EQ(cut2.size(), kIndexedFieldBytes);  // even: a character boundary
  EXPECT_TRUE(IsValidUtf8(cut2));
  letters.insert(0, " ");  // now odd: the cut moves back one byte, still between characters
  EXPECT_EQ(IndexedText(letters).size(), kIndexedFieldBytes - 1);
  EXPECT_TRUE(IsValidUtf8(IndexedText(letters)));
}

// Segments written before the time of day was kept ("DV01" rows of 24 bytes) or before the
// SimHash was ("DV02", 28 bytes) read as before, with no time or no SimHash; a merge rewrites
// them in the current layout ("DV03", 36 bytes), the SimHash computed from the stored body.
TEST(Index, DocValuesOfTheOlderLayoutsStillRead) {
  for (const std::string kind : {"DV01", "DV02"}) {
    SCOPED_TRACE(kind);
    std::string dir = testing::TempDir("dvold");
    std::string article;  // 60 words: a SimHash is kept
    for (int w = 0; w < 60; ++w) article += "لفظ" + std::to_string(w) + " ";
    std::vector<uint64_t> simhash(5), content(5);
    {
      auto idx = Index::Open(dir, IndexOptions());
      ASSERT_TRUE(idx.ok());
      for (int i = 0; i < 5; ++i) {
        Document d;
        d.id = "d" + std::to_string(i);
        d.title = "خبر " + std::to_string(i);
        d.body = i % 2 ? article + std::to_string(i) : "کراچی میں بارش";
        d.source = i % 2 ? "bbc" : "voa";
        d.date = "2016-10-0" + std::to_string(i + 1) + "T08:00:00Z";
        ASSERT_TRUE((*idx)->Add(d).ok());
      }
      ASSERT_TRUE((*idx)->Commit().ok());
      const SegmentReader& seg = *(*idx)->snapshot()->segments().at(0);
      for (int i = 0; i < 5; ++i) {
        DocValues v = seg.Values(static_cast<uint32_t>(seg.FindId("d" + std::to_string(i))));
        simhash[i] = v.simhash;
        content[i] = v.content_hash;
        EXPECT_EQ(v.time, 8 * 3600);
        EXPECT_EQ(v.simhash != 0, i % 2 == 1) << i;  // only article-length bodies have one
      }
    }
    // Rewrite the .dv file in the older layout, rows without the time field (DV01) or without
    // the SimHash (DV02).
    const std::string f = FilesWithExt(dir, ".dv").at(0);
    const std::string name = std::filesystem::path(f).filename().string();
    std::string data = testing::ReadFile(f);
    ASSERT_EQ(data.substr(4, 4), "DV03");
    std::string body = data.substr(12, data.size() - 12 - 16);
    const uint64_t rows_off = DecodeFixed64(body.data() + body.size() - 8);
    ASSERT_EQ(body.size() - 8 - rows_off, 5u * 36);
    std::string old = body.substr(0, rows_off);
    for (int r = 0; r < 5; ++r) {
      const std::string row = body.substr(rows_off + 36 * r, 36);
      old += row.substr(0, kind == "DV01" ? 16 : 20) + row.substr(28);
    }
    PutFixed64(&old, rows_off);
    std::string file = data.substr(0, 12) + old;
    file.replace(4, 4, kind);
    PutFixed32(&file, Crc32c(0, file.data(), file.size()));
    PutFixed64(&file, file.size() - 4);
    PutFixed32(&file, DecodeFixed32(data.data()));
    WriteFile(f, file);
    // The manifest names the file with its size and checksum.
    std::string m = testing::ReadFile(dir + "/MANIFEST");
    m = m.substr(0, m.rfind("crc "));
    const size_t at = m.find("file " + name + " ");
    ASSERT_NE(at, std::string::npos);
    m.replace(at, m.find('\n', at) - at,
              "file " + name + " " + std::to_string(file.size()) + " " +
                  std::to_string(Crc32c(0, file.data(), file.size() - 16)));
    char crc[32];
    std::snprintf(crc, sizeof crc, "crc %08x\n", Crc32c(0, m.data(), m.size()));
    WriteFile(dir + "/MANIFEST", m + crc);

    {
      auto idx = Index::OpenReadOnly(dir);
      ASSERT_TRUE(idx.ok()) << idx.status().ToString();
      EXPECT_TRUE((*idx)->Check().ok()) << (*idx)->Check().ToString();
      const SegmentReader& seg = *(*idx)->snapshot()->segments().at(0);
      for (int i = 0; i < 5; ++i) {
        DocValues v = seg.Values(static_cast<uint32_t>(seg.FindId("d" + std::to_string(i))));
        EXPECT_EQ(v.date, 20161001 + i);
        EXPECT_EQ(v.time, kind == "DV01" ? -1 : 8 * 3600);
        EXPECT_EQ(v.simhash, 0u);
        EXPECT_EQ(v.content_hash, content[i]);
        EXPECT_EQ(seg.ValueName(DocValueField::kSource, v.source), i % 2 ? "bbc" : "voa");
      }
    }
    // A merge writes the current layout again, with every value back.
    auto idx = Index::Open(dir, IndexOptions());
    ASSERT_TRUE(idx.ok()) << idx.status().ToString();
    Document extra;
    extra.id = "extra";
    extra.body = "ایک اور";
    ASSERT_TRUE((*idx)->Add(extra).ok());
    ASSERT_TRUE((*idx)->Commit().ok());
    ASSERT_TRUE((*idx)->ForceMerge().ok());
    const SegmentReader& seg = *(*idx)->snapshot()->segments().at(0);
    ASSERT_EQ((*idx)->snapshot()->segments().size(), 1u);
    for (int i = 0; i < 5; ++i) {
      DocValues v = seg.Values(static_cast<uint32_t>(seg.FindId("d" + std::to_string(i))));
      EXPECT_EQ(v.simhash, simhash[i]) << i;
      EXPECT_EQ(v.content_hash, content[i]);
      EXPECT_EQ(v.time, 8 * 3600);  // from the stored date
    }
  }
}

// The SimHash of a body: a copy with a word changed lies a few bits away, another article about
// half the bits; short bodies have none; the value is defined by the format, not by the build.
TEST(Index, ArticleSimHashOfEditedCopiesAndOthers) {
  auto words = [](int from, int n) {
    std::string s;
    for (int i = from; i < from + n; ++i) s += "لفظ" + std::to_string(i * 7919 % 10007) + (i % 13 ? " " : "\n");
    return s;
  };
  const std::string a = words(0, 300), other = words(5000, 300);
  std::string edited = a;
  edited.replace(edited.find("لفظ"), 0, "نیا ");  // a word added at the start
  const std::string fixed = words(0, 150) + "درست " + words(151, 149);  // a word changed
  const uint64_t ha = ArticleSimHash(a);
  EXPECT_NE(ha, 0u);
  EXPECT_LE(std::popcount(ha ^ ArticleSimHash(edited)), 6);
  EXPECT_LE(std::popcount(ha ^ ArticleSimHash(fixed)), 6);
  EXPECT_GE(std::popcount(ha ^ ArticleSimHash(other)), 16);
  EXPECT_EQ(ArticleSimHash(words(0, 49)), 0u);
  EXPECT_NE(ArticleSimHash(words(0, 50)), 0u);
  EXPECT_EQ(ArticleSimHash("  \n" + a + " "), ha);  // spacing around words is not content
  EXPECT_EQ(ArticleSimHash(std::string(40000, 'x')), 0u);  // one word, cut at 32 KiB: none
  // Pinned: the value is part of the format, the same on every build and machine.
  EXPECT_EQ(ArticleSimHash(words(0, 60)), 5338215716747037067ull);
  EXPECT_EQ(ArticleSimHash(words(0, 60) + words(0, 55)), 5374314882375960971ull);  // repeated 5-grams vote again
  EXPECT_EQ(ArticleSimHash(words(0, 300)), 9993571966622386417ull);  // more 5-grams than a byte counts
  EXPECT_EQ(ArticleSimHash(words(0, 700)), 9525192382674749681ull);
}

Document RichDoc(int i) {
  Document d;
  d.id = "rich-" + std::to_string(i);
  d.title = "سرخی " + std::to_string(i);
  d.body = std::string(static_cast<size_t>(i % 7) * 300, 'b') + " بارش " + std::to_string(i);
  d.summary = i % 3 ? "خلاصہ" : "";
  d.url = "https://example.org/story/" + std::to_string(i);
  d.date = "2017-10-" + std::to_string(10 + i % 9);
  d.lang = "ur";
  d.source = i % 2 ? "express" : "bbc";
  d.category = "news";
  if (i % 4 == 0) d.extra = {{"tags", "[\"a\",\"b\"]"}, {"n", std::to_string(i)}};
  return d;
}

void ExpectSameDocument(const Document& a, const Document& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.summary, b.summary);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.date, b.date);
  EXPECT_EQ(a.lang, b.lang);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.category, b.category);
  EXPECT_EQ(a.extra, b.extra);
}

TEST(IndexStore, HeadAndFullDocumentsRoundTripThroughFlushAndMerge) {
  std::string dir = testing::TempDir("store");
  std::map<std::string, Document> docs;
  auto idx = Index::Open(dir, SmallBuffer());
  ASSERT_TRUE(idx.ok());
  for (int i = 0; i < 700; ++i) {  // more than one 64-doc group, several segments
    Document d = RichDoc(i);
    docs[d.id] = d;
    ASSERT_TRUE((*idx)->Add(d).ok());
  }
  ASSERT_TRUE((*idx)->Commit().ok());
  auto check = [&](const Snapshot& snap) {
    size_t seen = 0;
    for (const auto& seg : snap.segments()) {
      for (uint32_t d = 0; d < seg->max_doc(); ++d) {
        auto full = seg->Stored(d);
        ASSERT_TRUE(full.ok()) << full.status().ToString();
        auto head = seg->StoredHead(d);
        ASSERT_TRUE(head.ok()) << head.status().ToString();
        ASSERT_TRUE(docs.count(full->id));
        ExpectSameDocument(*full, docs[full->id]);
        Document want = docs[full->id];
        want.body.clear();
        want.summary.clear();
        want.extra.clear();
        ExpectSameDocument(*head, want);
        ++seen;
      }
      EXPECT_FALSE(seg->Stored(seg->max_doc()).ok());
      EXPECT_FALSE(seg->StoredHead(seg->max_doc()).ok());
    }
    EXPECT_EQ(seen, docs.size());
  };
  EXPECT_GT((*idx)->snapshot()->segments().size(), 1u);
  check(*(*idx)->snapshot());
  ASSERT_TRUE((*idx)->ForceMerge().ok());
  ASSERT_EQ((*idx)->snapshot()->segments().size(), 1u);
  check(*(*idx)->snapshot());
  EXPECT_TRUE((*idx)->Check().ok());
  // The merge removed the stored files of its sources.
  EXPECT_EQ(FilesWithExt(dir, ".sth").size(), 1u);
  EXPECT_EQ(FilesWithExt(dir, ".stt").size(), 1u);
}

// Positions read after Advance to sparse targets (some docs of a block skipped, one doc read
// twice) are the analyzer's positions, with deltas of several varint bytes.
TEST(Index, PositionsAfterSparseAdvanceAreTheAnalyzers) {
  std::string dir = testing::TempDir("idx-pos");
  std::mt19937 rng(7);
  std::vector<Document> docs;
  auto idx = Index::Open(dir, IndexOptions());
  ASSERT_TRUE(idx.ok());
  for (int i = 0; i < 700; ++i) {  // several 128-doc blocks of "wheat"
    Document d;
    d.id = "p" + std::to_string(i);
    std::uniform_int_distribution<int> gap(0, i % 3 == 0 ? 300 : 4), reps(1, 12);
    const int n = reps(rng);
    for (int k = 0; k < n; ++k) {
      for (int g = gap(rng); g > 0; --g) d.body += kWords[g % 3] + std::string(" ");
      d.body += "wheat ";
    }
    docs.push_back(d);
    ASSERT_TRUE((*idx)->Add(d).ok());
  }
  ASSERT_TRUE((*idx)->Commit().ok());
  auto snap = (*idx)->snapshot();
  ASSERT_EQ(snap->segments().size(), 1u);
  const SegmentReader& seg = *snap->segments()[0];
  const int body = snap->schema().FieldId("body");
  std::vector<Token> probe;
  DefaultAnalyzer().Analyze("wheat", &probe);
  ASSERT_EQ(probe.size(), 1u);
  TermInfo ti;
  ASSERT_TRUE(seg.Lookup(body, probe[0].term, &ti));
  for (uint32_t stride : {1u, 3u, 50u, 127u}) {
    PostingsCursor pc = seg.Postings(ti);
    for (uint32_t target = 0; target < seg.max_doc(); target += stride) {
      ASSERT_EQ(pc.Advance(target), target);
      std::vector<Token> toks;
      DefaultAnalyzer().Analyze(docs[target].body, &toks);
      std::vector<uint32_t> want, got;
      for (const Token& t : toks)
        if (t.term == probe[0].term) want.push_back(t.position);
      pc.Positions(&got);
      ASSERT_EQ(got, want) << "doc " << target << " stride " << stride;
      pc.Positions(&got);  // the same doc again
      ASSERT_EQ(got, want) << "doc " << target << " stride " << stride;
      ASSERT_FALSE(want.empty());
      ASSERT_EQ(pc.FirstPosition(), want[0]) << "doc " << target << " stride " << stride;
    }
  }
}

// The first bytes of a long body read alone, and only the frame's first blocks decompressed: a
// damaged last block fails a whole read but not a read of the start.
// Long bodies (written in lead blocks by streaming compression) are compressed against the
// store's dictionary like short ones, whatever the thread that compresses them did before (it
// also compresses heads, against another dictionary): 200 bodies sharing 3 KB of text take a few
// dozen bytes each, not the ~1.5 KB the text takes alone.
TEST(IndexStore, LongBodiesAreCompressedAgainstTheDictionary) {
  std::mt19937 rng(5);
  const char* words[] = {"پاکستان", "حکومت", "بارش", "کراچی", "لاہور", "عدالت", "انتخابات", "کرکٹ", "معیشت", "سیلاب"};
  std::string shared;
  while (shared.size() < 3000) shared += std::string(words[rng() % 10]) + " " + std::to_string(rng() % 1000) + " ";
  for (int threads : {1, 2}) {
    std::string dir = testing::TempDir("longdict" + std::to_string(threads));
    IndexOptions o;
    o.index_threads = threads;
    auto idx = Index::Open(dir, o);
    ASSERT_TRUE(idx.ok());
    for (int i = 0; i < 200; ++i) {
      Document d;
      d.id = "long-" + std::to_string(i);
      d.title = "خبر " + std::to_string(i);
      d.body = shared + std::to_string(i);
      ASSERT_TRUE((*idx)->Add(d).ok());
    }
    ASSERT_TRUE((*idx)->Commit().ok());
    const auto stt = FilesWithExt(dir, ".stt");
    ASSERT_EQ(stt.size(), 1u);
    const uint64_t size = std::filesystem::file_size(stt[0]);
    EXPECT_LT(size, (64u << 10) + 200u * 200) << threads << " threads";
    auto snap = (*idx)->snapshot();
    EXPECT_EQ(snap->Get("long-7")->body, shared + "7");
  }
}

TEST(IndexStore, BodyPrefixDecompressesOnlyTheStartOfTheBody) {
  std::string dir = testing::TempDir("store-prefix");
  std::string body;
  for (int i = 0; body.size() < 30000; ++i) body += kWords[(i * 7) % kNumWords] + std::string(" ") + std::to_string(i) + " ";
  {
    auto idx = Index::Open(dir, IndexOptions());
    ASSERT_TRUE(idx.ok());
    Document d;
    d.id = "long";
    d.title = "t";
    d.body = body;
    ASSERT_TRUE((*idx)->Add(d).ok());
    d.id = "short";
    d.body = "wheat";
    ASSERT_TRUE((*idx)->Add(d).ok());
    ASSERT_TRUE((*idx)->Commit().ok());
    auto snap = (*idx)->snapshot();
    const SegmentReader& seg = *snap->segments()[0];
    for (size_t n : {size_t{0}, size_t{1}, size_t{255}, size_t{256}, size_t{257}, size_t{1000}, size_t{8200},
                     body.size() - 1, body.size(), body.size() + 100}) {
      std::string got;
      size_t size = 0;
      ASSERT_TRUE(seg.BodyPrefix(0, n, &got, &size).ok()) << n;
      EXPECT_EQ(size, body.size());
      EXPECT_EQ(got, body.substr(0, n)) << n;
    }
    std::string got;
    size_t size = 0;
    ASSERT_TRUE(seg.BodyPrefix(1, 3, &got, &size).ok());
    EXPECT_EQ(got, "whe");
    EXPECT_EQ(size, 5u);
    EXPECT_FALSE(seg.BodyPrefix(2, 3, &got, &size).ok());
  }
  // Walk the blocks of doc 0's frame (docs/format; zstd frame format) and mark the last one's
  // type "reserved".
  auto stt = FilesWithExt(dir, ".stt");
  ASSERT_EQ(stt.size(), 1u);
  std::string data = testing::ReadFile(stt[0]);
  const size_t body_end = data.size() - 16, tail = body_end - 32;
  uint64_t dict_len = 0;
  std::memcpy(&dict_len, data.data() + tail, 8);
  size_t p = 12 + dict_len + 4;  // the frame of doc 0, after its magic number
  const uint8_t fhd = static_cast<uint8_t>(data[p++]);
  const bool single = fhd & 0x20;
  if (!single) ++p;                                         // window descriptor
  p += (fhd & 3) == 3 ? 4 : (fhd & 3);                       // dictionary id
  const int fcs = fhd >> 6;
  p += fcs == 0 ? (single ? 1 : 0) : fcs == 1 ? 2 : fcs == 2 ? 4 : 8;  // content size
  size_t blocks = 0, last = 0;
  for (;;) {
    ASSERT_LT(p + 3, tail);
    const uint32_t h = static_cast<uint8_t>(data[p]) | static_cast<uint8_t>(data[p + 1]) << 8 |
                       static_cast<uint32_t>(static_cast<uint8_t>(data[p + 2])) << 16;
    ++blocks;
    last = p;
    p += 3 + (((h >> 1) & 3) == 1 ? 1 : h >> 3);
    if (h & 1) break;
  }
  EXPECT_GE(blocks, 6u);  // 256, 512, 1024, 2048, 4096, 8192, 16384, 24576, the rest
  data[last] = static_cast<char>(data[last] | 0x06);
  { std::ofstream(stt[0], std::ios::binary | std::ios::trunc) << data; }
  auto idx = Index::OpenReadOnly(dir);
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  const SegmentReader& seg = *(*idx)->snapshot()->segments()[0];
  EXPECT_TRUE(seg.Stored(0).status().IsCorruption()) << seg.Stored(0).status().ToString();
  std::string got;
  size_t size = 0;
  ASSERT_TRUE(seg.BodyPrefix(0, 300, &got, &size).ok());
  EXPECT_EQ(got, body.substr(0, 300));
  EXPECT_TRUE(seg.BodyPrefix(0, body.size(), &got, &size).IsCorruption());
  EXPECT_TRUE(seg.Stored(1).ok());  // a failed read leaves the next one unharmed
}

TEST(IndexStore, EmptyFieldsAndEmptyTextStoreRoundTrip) {
  std::string dir = testing::TempDir("store-empty");
  auto idx = Index::Open(dir, IndexOptions());
  ASSERT_TRUE(idx.ok());
  Document d;
  d.id = "only-id";
  d.lang = "en";
  ASSERT_TRUE((*idx)->Add(d).ok());
  ASSERT_TRUE((*idx)->Commit().ok());
  auto got = (*idx)->snapshot()->Get("only-id");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectSameDocument(*got, d);
  EXPECT_TRUE((*idx)->Check().ok());
}

// --- damage: clear errors, never a crash --------------------------------------------------------

std::string BuildSmall(const std::string& tag) {
  std::string dir = testing::TempDir(tag);
  std::mt19937 rng(11);
  auto idx = Index::Open(dir, IndexOptions());
  EXPECT_TRUE(idx.ok());
  for (int i = 0; i < 300; ++i) EXPECT_TRUE((*idx)->Add(MakeDoc(i, rng)).ok());
  EXPECT_TRUE((*idx)->Commit().ok());
  return dir;
}

TEST(IndexDamage, FlippedByteIsFoundByCheck) {
  std::string dir = BuildSmall("flip");
  for (const char* ext : {".doc", ".tim", ".sth", ".stt", ".pos", ".nrm", ".dv"}) {
    std::string f = FilesWithExt(dir, ext).at(0);
    std::string data = testing::ReadFile(f);
    const size_t at = 12 + (data.size() - 28) / 2;
    data[at] ^= 0x5a;
    { std::ofstream(f, std::ios::binary | std::ios::trunc) << data; }
    auto idx = Index::OpenReadOnly(dir);
    if (idx.ok()) {
      Status s = (*idx)->Check();
      EXPECT_TRUE(s.IsCorruption()) << ext << ": " << s.ToString();
    } else {
      EXPECT_TRUE(idx.status().IsCorruption()) << ext << ": " << idx.status().ToString();
    }
    data[at] ^= 0x5a;
    { std::ofstream(f, std::ios::binary | std::ios::trunc) << data; }
    auto healed = Index::OpenReadOnly(dir);
    ASSERT_TRUE(healed.ok());
    EXPECT_TRUE((*healed)->Check().ok());
  }
}

TEST(IndexDamage, TruncatedFileFailsToOpen) {
  std::string dir = BuildSmall("trunc");
  for (const char* ext : {".tim", ".doc", ".sth", ".stt", ".dv", ".nrm", ".pos"}) {
    std::string d2 = BuildSmall(std::string("trunc") + (ext + 1));
    std::string f = FilesWithExt(d2, ext).at(0);
    std::filesystem::resize_file(f, std::filesystem::file_size(f) / 2);
    auto idx = Index::OpenReadOnly(d2);
    ASSERT_FALSE(idx.ok()) << ext;
    EXPECT_TRUE(idx.status().IsCorruption()) << idx.status().ToString();
  }
}

TEST(IndexDamage, BadManifestAndMissingIndex) {
  std::string dir = BuildSmall("man");
  std::string m = testing::ReadFile(dir + "/MANIFEST");
  m[m.size() / 2] ^= 1;
  { std::ofstream(dir + "/MANIFEST", std::ios::trunc) << m; }
  auto idx = Index::OpenReadOnly(dir);
  ASSERT_FALSE(idx.ok());
  EXPECT_TRUE(idx.status().IsCorruption()) << idx.status().ToString();
  auto none = Index::OpenReadOnly(testing::TempDir("empty"));
  EXPECT_TRUE(none.status().IsNotFound());
  auto missing = Index::OpenReadOnly("/nonexistent/rasai/index");
  EXPECT_FALSE(missing.ok());
}

TEST(IndexDamage, LeftoversOfAnInterruptedCommitAreRemoved) {
  std::string dir = BuildSmall("left");
  { std::ofstream(dir + "/MANIFEST.tmp") << "half"; }
  { std::ofstream(dir + "/s000000ff.doc") << "half a segment"; }
  { std::ofstream(dir + "/notes.txt") << "the operator's file"; }
  auto idx = Index::Open(dir, IndexOptions());
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(dir + "/MANIFEST.tmp"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/s000000ff.doc"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/notes.txt"));
  EXPECT_EQ((*idx)->snapshot()->live_docs(), 300u);
  // A second writer on the same folder is refused while the first holds it.
  auto second = Index::Open(dir, IndexOptions());
  EXPECT_FALSE(second.ok());
}

// A damaged file body (opening checks headers, footers and tables, not the bodies: that is
// `rasai check`) makes reads miss, find wrong entries or report corruption, never read outside
// the files: bytes of each body flipped in turn (every 4th byte of the dictionary, ~300 places
// in the others), then every word looked up, every list iterated with positions and advanced,
// and every document's values, lengths, offsets and stored fields read (under the sanitizers in
// CI).
TEST(IndexDamage, FileBodiesDamagedAnywhereGiveNoCrash) {
  std::string dir = BuildSmall("bodydmg");
  for (const char* ext : {".tim", ".doc", ".pos", ".off", ".dv", ".nrm"}) {
    const std::vector<std::string> files = FilesWithExt(dir, ext);
    if (files.empty()) continue;  // a segment without offsets
    const std::string f = files.at(0);
    const std::string orig = testing::ReadFile(f);
    // Every 4th byte of the dictionary; ~300 places elsewhere, at a step prime to the 28-byte
    // rows of .dv so that every field of a row is hit somewhere.
    size_t step = std::string(ext) == ".tim" ? 4 : std::max<size_t>(5, orig.size() / 300);
    if (std::string(ext) != ".tim") {
      if (step % 2 == 0) ++step;
      if (step % 7 == 0) step += 2;
    }
    size_t opened = 0;
    for (size_t at = 12; at + 16 < orig.size(); at += step) {
      for (uint8_t x : {uint8_t{0x80}, uint8_t{0xff}}) {
        std::string data = orig;
        data[at] = static_cast<char>(data[at] ^ x);
        WriteFile(f, data);
        auto idx = Index::OpenReadOnly(dir);
        if (!idx.ok()) continue;
        ++opened;
        const SegmentReader& seg = *(*idx)->snapshot()->segments().at(0);
        const int body = (*idx)->snapshot()->schema().FieldId("body");
        TermInfo ti;
        for (int w = 0; w < kNumWords; ++w) {
          const std::string term = DefaultAnalyzer().Term(kWords[w]);
          (void)seg.Lookup(body, term, &ti);
          (void)seg.Lookup(body, term + "x", &ti);
          (void)seg.Lookup(body, term.substr(0, 1), &ti);
        }
        // Postings read from the (possibly damaged) entries: docs rise and stay in the segment.
        size_t n = 0;
        for (TermIterator it = seg.Terms(body); it.Valid() && n < 100000; it.Next(), ++n) {
          PostingsCursor pc = seg.Postings(it.info());
          uint32_t prev = 0;
          bool first = true;
          for (uint32_t d = pc.doc(); d != PostingsCursor::kEnd; d = pc.Next()) {
            ASSERT_LT(d, seg.max_doc());
            ASSERT_TRUE(first || d > prev);
            std::vector<uint32_t> pos;
            pc.Positions(&pos);
            (void)pc.FirstPosition();
            (void)pc.freq();
            first = false;
            prev = d;
          }
          PostingsCursor skip = seg.Postings(it.info());
          for (uint32_t t = 0; t < seg.max_doc(); t += 37) {
            ASSERT_GE(skip.Advance(t), t);
            (void)skip.ShallowAdvance(t);
            (void)skip.BlockMaxFreq();
            (void)skip.BlockMinLength();
          }
        }
        std::vector<TokenSpan> spans;
        for (uint32_t d = 0; d < seg.max_doc(); ++d) {
          const DocValues v = seg.Values(d);
          ASSERT_TRUE(v.time >= -1 && v.time < 86400) << v.time;  // a second of the day, or none
          (void)seg.FieldLength(body, d);
          uint32_t npos = 0;
          (void)seg.TokenSpans(d, 0, 40, &spans, &npos);
          auto r = seg.Stored(d);
          if (!r.ok()) {
            EXPECT_TRUE(r.status().IsCorruption()) << r.status().ToString();
          }
        }
      }
    }
    EXPECT_GT(opened, 0u) << ext;
    WriteFile(f, orig);
  }
  auto healed = Index::OpenReadOnly(dir);
  ASSERT_TRUE(healed.ok());
  EXPECT_TRUE((*healed)->Check().ok());
}

TEST(IndexDamage, StoreTablesDamagedAnywhereGiveErrorsNotCrashes) {
  for (const char* ext : {".sth", ".stt"}) {
    std::string dir = BuildSmall(std::string("stdmg") + (ext + 1));
    const std::string f = FilesWithExt(dir, ext).at(0);
    const std::string orig = testing::ReadFile(f);
    // Body tail: ... lens (300 u32) | groups (5 u64) | dict_len u64 | frames_len u64 | n u32 | group u32 |
    // max_record u64
    const size_t body_end = orig.size() - 16, tail = body_end - 32, groups = tail - 5 * 8, lens = groups - 300 * 4;
    for (size_t at : {size_t{12}, size_t{20}, lens + 4 * 100, lens + 2, lens + 3, groups + 8 + 3, groups + 7,
                      tail + 2, tail + 10, tail + 16, tail + 20, tail + 24, tail + 31, (lens + 12) / 2}) {
      for (uint8_t x : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xff}}) {
        std::string data = orig;
        data[at] = static_cast<char>(data[at] ^ x);
        WriteFile(f, data);
        auto idx = Index::OpenReadOnly(dir);
        if (!idx.ok()) {
          EXPECT_TRUE(idx.status().IsCorruption()) << ext << " @" << at << ": " << idx.status().ToString();
          continue;
        }
        EXPECT_TRUE((*idx)->Check().IsCorruption()) << ext << " @" << at;
        // Every read either works or reports the damage.
        const SegmentReader& seg = *(*idx)->snapshot()->segments().at(0);
        for (uint32_t d = 0; d < seg.max_doc(); ++d) {
          auto r = seg.Stored(d);
          if (!r.ok()) {
            EXPECT_TRUE(r.status().IsCorruption()) << r.status().ToString();
          }
        }
      }
    }
    WriteFile(f, orig);
    auto healed = Index::OpenReadOnly(dir);
    ASSERT_TRUE(healed.ok());
    EXPECT_TRUE((*healed)->Check().ok());
  }
}

TEST(IndexDamage, AnIndexOfAnOlderFormatIsRefusedClearly) {
  // A manifest of format 1 (with a valid checksum).
  {
    std::string dir = BuildSmall("oldman");
    std::string m = testing::ReadFile(dir + "/MANIFEST");
    m = m.substr(0, m.rfind("crc "));
    ASSERT_EQ(m.rfind("rasai-manifest 2\n", 0), 0u);
    m.replace(0, 16, "rasai-manifest 1");
    char crc[32];
    std::snprintf(crc, sizeof crc, "crc %08x\n", Crc32c(0, m.data(), m.size()));
    WriteFile(dir + "/MANIFEST", m + crc);
    for (bool read_only : {true, false}) {
      auto idx = read_only ? Index::OpenReadOnly(dir) : Index::Open(dir, IndexOptions());
      ASSERT_FALSE(idx.ok());
      EXPECT_EQ(idx.status().code(), Status::Code::kUnsupported) << idx.status().ToString();
      EXPECT_NE(idx.status().message().find("index format 1"), std::string::npos) << idx.status().ToString();
      EXPECT_NE(idx.status().message().find("rebuild"), std::string::npos) << idx.status().ToString();
    }
  }
  // A segment file of format 1 behind a current manifest.
  {
    std::string dir = BuildSmall("oldseg");
    const std::string f = FilesWithExt(dir, ".tim").at(0);
    std::string data = testing::ReadFile(f);
    data[8] = 1;  // header version
    WriteFile(f, data);
    auto idx = Index::OpenReadOnly(dir);
    ASSERT_FALSE(idx.ok());
    EXPECT_EQ(idx.status().code(), Status::Code::kUnsupported) << idx.status().ToString();
    EXPECT_NE(idx.status().message().find("format version 1"), std::string::npos) << idx.status().ToString();
  }
}

}  // namespace
}  // namespace rasai
