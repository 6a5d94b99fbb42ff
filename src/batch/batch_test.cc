#include "rasai/batch.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "batch/spool.h"
#include "test_util.h"

namespace rasai {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

// A small collection of every input kind: two JSONL files (one source shares a 10-word opening
// on most of its documents; bad and repaired lines), a folder of HTML and Markdown pages.
std::vector<std::string> MakeInputs(const std::string& dir) {
  fs::create_directories(dir + "/in/site/sub");
  std::string news;
  for (int i = 0; i < 300; ++i) {
    const bool a = i % 6 != 0;
    std::string body = a ? "اس پوسٹ کو شیئر کریں ای میل فیس بک ٹوئٹر وٹس ایپ لنک " : "";
    body += "خبر نمبر " + std::to_string(i) + " میں شہر کے بارے میں تفصیل ہے اور " + std::to_string(i * 7) + " لوگ";
    news += "{\"id\":\"n" + std::to_string(i) + "\",\"title\":\"عنوان " + std::to_string(i) + "\",\"source\":\"" +
            (a ? "bbc" : "voa") + "\",\"body\":\"" + body + "\"}\n";
    if (i == 40) news += "{\"id\": broken\n";
    if (i == 41) news += "{\"title\":\"no id\"}\n";
    if (i == 42) news += "{\"id\":\"bad-utf8\",\"body\":\"x \xD8 y\"}\n";
  }
  WriteFile(dir + "/in/news.jsonl", news);
  WriteFile(dir + "/in/more.jsonl", "{\"id\":\"n5\",\"title\":\"again\",\"body\":\"replaces n5\"}\n{\"id\":\"m1\",\"body\":\"x\"}\n");
  WriteFile(dir + "/in/site/a.html", "<html lang=ur><title>صفحہ</title><body><p>پہلا صفحہ</p></body></html>");
  WriteFile(dir + "/in/site/sub/b.md", "# Heading\n\nSome text.\n");
  WriteFile(dir + "/in/site/sub/empty.html", "<html></html>");
  // A site mirror: articles, print copies of some (the same canonical URL: indexed once, the
  // first in walk order), and a tag page (skipped).
  fs::create_directories(dir + "/in/site/news");
  fs::create_directories(dir + "/in/site/print");
  fs::create_directories(dir + "/in/site/tag");
  for (int i = 0; i < 12; ++i) {
    const std::string page =
        "<html><head><link rel=canonical href=\"https://example.pk/news/" + std::to_string(i) +
        "\"><title>خبر " + std::to_string(i) + "</title></head><body><article><h1>خبر " + std::to_string(i) +
        "</h1><p>" + std::string(20, 'x') + " یہ ایک لمبی خبر ہے جس میں بہت سے الفاظ ہیں اور شہر کا ذکر ہے " +
        std::to_string(i) + "</p></article></body></html>";
    WriteFile(dir + "/in/site/news/a" + std::to_string(i) + ".html", page);
    if (i % 3 == 0) WriteFile(dir + "/in/site/print/a" + std::to_string(i) + ".html", page);
  }
  WriteFile(dir + "/in/site/tag/pakistan.html", "<html><title>Tag</title><body><p>links</p></body></html>");
  return {dir + "/in/news.jsonl", dir + "/in/more.jsonl", dir + "/in/site", dir + "/in/missing.jsonl"};
}

std::unique_ptr<Index> OpenIndex(const std::string& dir) {
  auto index = Index::Open(dir, IndexOptions{}, true);
  EXPECT_TRUE(index.ok()) << index.status().ToString();
  return index.ok() ? std::move(*index) : nullptr;
}

// Every file of an index folder but its lock, by name.
std::map<std::string, std::string> Files(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename() != "LOCK") out[e.path().filename().string()] = ReadFile(e.path().string());
  return out;
}

// What `rasai index` did before the batch path: the learning passes over the inputs, then one
// more pass that strips and adds.
std::map<std::string, std::string> ReferenceIndex(const std::string& dir, const std::vector<std::string>& inputs,
                                                  std::vector<RemovedOpening>* removed, IngestStats* stats) {
  {
    auto index = OpenIndex(dir);
    RepeatedOpenings openings;
    while (openings.NeedsPass()) {
      for (const auto& in : inputs)
        EXPECT_TRUE(IngestPath(in, [&](Document&& d) { openings.Observe(d); return Status::OK(); }, nullptr).ok());
      openings.EndPass();
    }
    for (const auto& in : inputs)
      EXPECT_TRUE(IngestPath(in, [&](Document&& d) { openings.Strip(&d); return index->Add(d); }, stats).ok());
    EXPECT_TRUE(index->Commit().ok());
    *removed = openings.Removed();
  }
  return Files(dir);
}

TEST(IndexFiles, TheSameIndexAsReadingInSequenceWhateverTheThreadsAndTheSpool) {
  const std::string root = TempDir("batch-same");
  const auto inputs = MakeInputs(root);
  std::vector<RemovedOpening> want_removed;
  IngestStats want_stats;
  const auto want = ReferenceIndex(root + "/ref", inputs, &want_removed, &want_stats);
  ASSERT_FALSE(want_removed.empty());
  EXPECT_EQ(want_removed[0].words, 15u);  // 13 shared words, and "خبر نمبر"

  int run = 0;
  for (int threads : {1, 3}) {
    for (size_t spool_memory : {size_t{32} << 20, size_t{0}}) {
      const std::string dir = root + "/run" + std::to_string(run++);
      auto index = OpenIndex(dir);
      BatchOptions o;
      o.threads = threads;
      o.spool_dir = dir;
      o.spool_memory = spool_memory;  // 0: every block goes to the spool file
      auto s = IndexFiles(index.get(), inputs, o);
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      index.reset();
      EXPECT_EQ(Files(dir), want) << "threads " << threads << ", spool memory " << spool_memory;
      EXPECT_EQ(s->documents, want_stats.documents);
      EXPECT_EQ(s->skipped, want_stats.skipped);
      ASSERT_EQ(s->problems.size(), want_stats.problems.size());
      for (size_t i = 0; i < s->problems.size(); ++i) {
        EXPECT_EQ(s->problems[i].file, want_stats.problems[i].file);
        EXPECT_EQ(s->problems[i].line, want_stats.problems[i].line);
        EXPECT_EQ(s->problems[i].reason, want_stats.problems[i].reason);
      }
      EXPECT_EQ(s->problem_count, want_stats.problems.size());
      EXPECT_EQ(s->problem_kinds["missing id"], 1u);
      EXPECT_EQ(s->problem_kinds["cannot read"], 1u);
      EXPECT_EQ(s->problem_kinds["not an article"], 5u);  // 4 print copies, 1 tag page
      ASSERT_EQ(s->openings.size(), want_removed.size());
      EXPECT_EQ(s->openings[0].documents, want_removed[0].documents);
      EXPECT_EQ(s->openings[0].text, want_removed[0].text);
      // n5 is in the batch twice: once added, once replaced.
      EXPECT_EQ(s->replaced, 1u);
      EXPECT_EQ(s->added, s->documents - 1);
      EXPECT_TRUE(s->committed);
      EXPECT_GT(s->bytes, 0u);
    }
  }
}

TEST(IndexFiles, AnIndexReadAgainCountsItsIdsAsReplaced) {
  const std::string root = TempDir("batch-replace");
  const auto inputs = MakeInputs(root);
  auto index = OpenIndex(root + "/idx");
  auto first = IndexFiles(index.get(), {inputs[0]}, BatchOptions{});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->replaced, 0u);
  auto again = IndexFiles(index.get(), {inputs[1]}, BatchOptions{});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->documents, 2u);
  EXPECT_EQ(again->replaced, 1u);  // n5
  EXPECT_EQ(again->added, 1u);     // m1
  EXPECT_EQ(index->stats().live_docs, first->documents + 1);
  EXPECT_GT(again->generation, first->generation);
}

TEST(IndexFiles, NothingReadIsNotCommitted) {
  const std::string root = TempDir("batch-nothing");
  WriteFile(root + "/bad.jsonl", "{\"id\": broken\n[1,2]\n\n{\"title\":\"no id\"}\n");
  auto index = OpenIndex(root + "/idx");
  const uint64_t generation = index->snapshot()->generation();
  auto s = IndexFiles(index.get(), {root + "/bad.jsonl", root + "/none.jsonl"}, BatchOptions{});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->documents, 0u);
  EXPECT_EQ(s->skipped, 4u);
  EXPECT_EQ(s->problem_count, 4u);
  EXPECT_FALSE(s->committed);
  EXPECT_EQ(s->generation, generation);
}

// A batch asked to stop (a server stopping) ends with Aborted before its commit; a default
// source is given to the documents without one.
TEST(IndexFiles, ACancelledBatchCommitsNothing) {
  const std::string root = TempDir("batch-cancel");
  const auto inputs = MakeInputs(root);
  auto index = OpenIndex(root + "/idx");
  const uint64_t generation = index->snapshot()->generation();
  BatchOptions options;
  int asked = 0;
  options.cancelled = [&asked] { return ++asked > 1; };
  auto s = IndexFiles(index.get(), inputs, options);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kAborted) << s.status().ToString();
  EXPECT_EQ(index->snapshot()->generation(), generation);
  EXPECT_EQ(index->snapshot()->live_docs(), 0u);

  const std::string plain = root + "/plain.jsonl";
  WriteFile(plain, "{\"id\":\"p1\",\"body\":\"text\"}\n{\"id\":\"p2\",\"source\":\"own\",\"body\":\"text\"}\n");
  auto other = OpenIndex(root + "/idx2");
  BatchOptions named;
  named.default_source = "upload";
  auto t = IndexFiles(other.get(), {plain}, named);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(other->snapshot()->Get("p1")->source, "upload");
  EXPECT_EQ(other->snapshot()->Get("p2")->source, "own");
}

TEST(IndexFiles, AnIndexThatCannotBeWrittenIsAnError) {
  const std::string root = TempDir("batch-readonly");
  const auto inputs = MakeInputs(root);
  { OpenIndex(root + "/idx"); }
  auto index = Index::OpenReadOnly(root + "/idx");
  ASSERT_TRUE(index.ok());
  auto s = IndexFiles(index->get(), inputs, BatchOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("read-only"), std::string::npos) << s.status().ToString();
}

TEST(IndexFiles, ProgressReportsEachPhaseInOrder) {
  const std::string root = TempDir("batch-progress");
  const auto inputs = MakeInputs(root);
  auto index = OpenIndex(root + "/idx");
  std::vector<BatchProgress> seen;
  BatchOptions o;
  o.progress = [&](const BatchProgress& p) { seen.push_back(p); };
  auto s = IndexFiles(index.get(), inputs, o);
  ASSERT_TRUE(s.ok());
  std::vector<std::pair<BatchProgress::Phase, int>> lasts;
  for (const auto& p : seen)
    if (p.last) lasts.emplace_back(p.phase, p.pass);
  using P = BatchProgress::Phase;
  ASSERT_GE(lasts.size(), 4u);
  EXPECT_EQ(lasts.front(), std::make_pair(P::kReading, 0));
  EXPECT_EQ(lasts[1], std::make_pair(P::kLearning, 2));
  EXPECT_EQ(lasts[lasts.size() - 2].first, P::kIndexing);
  EXPECT_EQ(lasts.back().first, P::kCommitting);
  for (const auto& p : seen) {
    if (p.phase == P::kIndexing && p.last) {
      EXPECT_EQ(p.documents, s->documents);
      EXPECT_EQ(p.bytes, p.total_bytes);  // every byte of the inputs was covered
    }
  }
}

// A JSONL file is read again for the later passes, not kept: one that changes meanwhile is named
// in the problems, and what it holds then is indexed.
TEST(IndexFiles, AFileThatChangesMeanwhileIsNamed) {
  const std::string root = TempDir("batch-changed");
  const std::string file = root + "/news.jsonl";
  std::string text;
  for (int i = 0; i < 50; ++i) text += "{\"id\":\"c" + std::to_string(i) + "\",\"body\":\"text " + std::to_string(i) + "\"}\n";
  WriteFile(file, text);
  auto index = OpenIndex(root + "/idx");
  BatchOptions o;
  o.progress = [&](const BatchProgress& p) {
    if (p.phase == BatchProgress::Phase::kReading && p.last) WriteFile(file, "{\"id\":\"other\",\"body\":\"x\"}\n");
  };
  auto s = IndexFiles(index.get(), {file}, o);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_GE(s->problems.size(), 1u);
  EXPECT_EQ(s->problems.back().file, file);
  EXPECT_TRUE(s->problems.back().reason.starts_with("changed while it was being indexed")) << s->problems.back().reason;
  EXPECT_EQ(s->documents, index->stats().live_docs);
}

TEST(IndexJsonl, LinesOpeningsAndNotesOfARequestBody) {
  const std::string root = TempDir("batch-jsonl");
  auto index = OpenIndex(root + "/idx");
  std::string body = "\n";
  for (int i = 0; i < 30; ++i)
    body += "{\"id\":\"r" + std::to_string(i) +
            "\",\"source\":\"s\",\"body\":\"one two three four five six seven eight then story " + std::to_string(i) +
            " goes on\"}\n";
  body += "{\"id\":\"big\",\"body\":\"" + std::string((8u << 20) + 10, 'a') + "\"}\n";
  body += "not json\n";
  auto s = IndexJsonl(index.get(), body, "request body", BatchOptions{});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->documents, 31u);
  ASSERT_EQ(s->problems.size(), 1u);
  EXPECT_EQ(s->problems[0].file, "request body");
  EXPECT_EQ(s->problems[0].line, 33u);
  ASSERT_EQ(s->notes.size(), 1u);
  EXPECT_EQ(s->notes[0].line, 32u);
  EXPECT_EQ(s->notes[0].id, "big");
  ASSERT_EQ(s->openings.size(), 1u);  // the rule holds for request bodies too
  EXPECT_EQ(s->openings[0].words, 10u);  // "story" too: the numbers part the documents
  EXPECT_EQ(s->openings[0].documents, 30u);
  auto doc = index->snapshot()->Get("r7");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->body, "7 goes on");
}

TEST(Spool, BlocksRoundTripInMemoryAndInAnUnlinkedFile) {
  const std::string dir = TempDir("spool");
  batch_internal::SpoolBlock b;
  b.file = "f.jsonl";
  b.bytes = 123;
  for (int i = 0; i < 50; ++i) {
    Document d;
    d.id = "d" + std::to_string(i);
    d.title = "عنوان";
    d.body = std::string(i * 10, 'x');
    d.extra = {{"k", "[1,2]"}};
    b.docs.push_back(d);
    b.lines.push_back(i + 1);
  }
  const std::string block = batch_internal::EncodeBlock(b);
  for (size_t budget : {size_t{1} << 20, size_t{0}}) {
    batch_internal::Spool spool(dir, budget);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(spool.Append(block).ok());
    EXPECT_EQ(spool.spilled(), budget == 0);
    EXPECT_TRUE(fs::is_empty(dir));  // the file is unlinked from the start
    for (size_t i = 0; i < 3; ++i) {
      auto data = spool.Read(i);
      ASSERT_TRUE(data.ok());
      auto back = batch_internal::DecodeBlock(*data);
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_EQ(back->file, b.file);
      EXPECT_EQ(back->bytes, b.bytes);
      EXPECT_EQ(back->lines, b.lines);
      ASSERT_EQ(back->docs.size(), b.docs.size());
      EXPECT_EQ(back->docs[49].body, b.docs[49].body);
      EXPECT_EQ(back->docs[3].extra, b.docs[3].extra);
    }
  }
  // A damaged block is refused, never misread.
  for (size_t cut : {size_t{0}, size_t{1}, block.size() / 2, block.size() - 1}) {
    EXPECT_FALSE(batch_internal::DecodeBlock(block.substr(0, cut)).ok()) << cut;
  }
  std::string flipped = block;
  flipped[flipped.size() / 2] ^= 0x55;
  auto r = batch_internal::DecodeBlock(flipped);
  if (r.ok()) {
    EXPECT_EQ(r->docs.size(), b.docs.size());  // zstd may not notice: then it decodes whole
  }
}

}  // namespace
}  // namespace rasai
