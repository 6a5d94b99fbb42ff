#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "rasai/ingest.h"
#include "test_util.h"
#include "util/utf8.h"

namespace rasai {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
  ASSERT_TRUE(out.good()) << p;
}

struct Collected {
  std::vector<Document> docs;
  IngestStats stats;
  Status status;
};

Collected Ingest(const std::string& path) {
  Collected c;
  c.status = IngestPath(
      path,
      [&](Document&& d) {
        c.docs.push_back(std::move(d));
        return Status::OK();
      },
      &c.stats);
  return c;
}

std::vector<std::string> Ids(const Collected& c) {
  std::vector<std::string> ids;
  for (const auto& d : c.docs) ids.push_back(d.id);
  return ids;
}

std::string ProblemsText(const IngestStats& s) {
  std::string out;
  for (const auto& p : s.problems) out += p.file + ":" + std::to_string(p.line) + ": " + p.reason + "\n";
  return out;
}

TEST(IngestPath, JsonlWithMalformedLines) {
  const std::string dir = testing::TempDir("ingest-jsonl");
  const std::string file = dir + "/news.jsonl";
  Write(file,
        "\xEF\xBB\xBF{\"id\":\"a\",\"title\":\"first\"}\n"  // 1: BOM
        "\n"                                               // 2: blank, ignored
        "   \t\n"                                          // 3: blank, ignored
        "{\"title\":\"no id\"}\n"                          // 4: missing id
        "{\"id\":\"b\",\"title\":\"x\"\n"                  // 5: malformed
        "{\"id\":\"c\",\"body\":\"\xD9\"}\r\n"             // 6: broken UTF-8, CRLF; kept
        "[1,2]\n"                                          // 7: not an object
        "{\"id\":\"\"}\n"                                  // 8: empty id
        "{\"id\":9}");                                     // 9: no final newline
  Collected c = Ingest(file);
  ASSERT_TRUE(c.status.ok()) << c.status.ToString();
  EXPECT_EQ(Ids(c), (std::vector<std::string>{"a", "c", "9"}));
  EXPECT_EQ(c.stats.documents, 3u);
  EXPECT_EQ(c.stats.skipped, 4u);
  ASSERT_EQ(c.stats.problems.size(), 5u) << ProblemsText(c.stats);
  EXPECT_EQ(c.stats.problems[0].file, file);
  EXPECT_EQ(c.stats.problems[0].line, 4u);
  EXPECT_EQ(c.stats.problems[0].reason, "missing id");
  EXPECT_EQ(c.stats.problems[1].line, 5u);
  EXPECT_TRUE(c.stats.problems[1].reason.starts_with("malformed JSON: ")) << c.stats.problems[1].reason;
  EXPECT_EQ(c.stats.problems[2].line, 6u);
  EXPECT_EQ(c.stats.problems[2].reason, "invalid UTF-8 (replaced)");
  EXPECT_EQ(c.stats.problems[3].line, 7u);
  EXPECT_EQ(c.stats.problems[3].reason, "not an object");
  EXPECT_EQ(c.stats.problems[4].line, 8u);
  EXPECT_EQ(c.stats.problems[4].reason, "empty id");
  EXPECT_EQ(c.docs[1].body, "\xEF\xBF\xBD");
}

TEST(IngestPath, Utf16JsonlIsRefusedWithAReason) {
  const std::string dir = testing::TempDir("ingest-utf16");
  std::string content("\xFF\xFE", 2);
  for (char c : std::string("{\"id\":\"a\"}\n")) content += std::string{c, '\0'};
  Write(dir + "/w.jsonl", content);
  Write(dir + "/n.txt", std::string("\xFF\xFEh\0i\0", 6));
  Collected c = Ingest(dir);
  EXPECT_EQ(Ids(c), (std::vector<std::string>{"n.txt"}));
  ASSERT_EQ(c.stats.problems.size(), 1u) << ProblemsText(c.stats);
  EXPECT_EQ(c.stats.problems[0].file, dir + "/w.jsonl");
  EXPECT_EQ(c.stats.problems[0].line, 0u);
  EXPECT_EQ(c.stats.problems[0].reason, "UTF-16 text: save the file as UTF-8");
  EXPECT_EQ(c.stats.skipped, 1u);
  EXPECT_EQ(c.docs[0].title, "hi");
}

TEST(IngestPath, DotJsonMayHoldAnArrayOrOnePrettyObject) {
  const std::string dir = testing::TempDir("ingest-dotjson");
  Write(dir + "/array.json", "[\n  {\"id\": \"a1\", \"title\": \"first\"},\n  {\"title\": \"no id\"},\n  7,\n  {\"id\": 2}\n]\n");
  Write(dir + "/pretty.json", "{\n  \"id\": \"p\",\n  \"body\": \"multi-line object\"\n}\n");
  Write(dir + "/lines.json", "{\"id\":\"l1\"}\n{\"id\":\"l2\"}\n");
  Write(dir + "/broken.json", "{\"id\":\"b1\"\n{\"id\":\"b2\"}\n");
  // A .jsonl file is always read line by line, even when a line is an array.
  Write(dir + "/x.jsonl", "[{\"id\":\"z\"}]\n{\"id\":\"x\"}\n");
  // Metadata next to pages in a folder: not documents, ignored without a word.
  Write(dir + "/meta/expected-metadata.json", "{\n  \"title\": \"x\",\n  \"lang\": \"en\"\n}\n");
  Write(dir + "/meta/manifest.json", "[{\"name\": \"app\"}]");
  Write(dir + "/meta/settings.json", "{\"a\": 1}\n{\"b\": 2}\n");
  Collected c = Ingest(dir);
  ASSERT_TRUE(c.status.ok());
  EXPECT_EQ(Ids(c), (std::vector<std::string>{"a1", "2", "b2", "l1", "l2", "p", "x"}));
  ASSERT_EQ(c.stats.problems.size(), 4u) << ProblemsText(c.stats);
  EXPECT_EQ(c.stats.problems[0].file, dir + "/array.json");
  EXPECT_EQ(c.stats.problems[0].reason, "item 2: missing id");
  EXPECT_EQ(c.stats.problems[1].reason, "item 3: not an object");
  EXPECT_EQ(c.stats.problems[2].file, dir + "/broken.json");
  EXPECT_EQ(c.stats.problems[2].line, 1u);
  EXPECT_TRUE(c.stats.problems[2].reason.starts_with("malformed JSON")) << c.stats.problems[2].reason;
  EXPECT_EQ(c.stats.problems[3].file, dir + "/x.jsonl");
  EXPECT_EQ(c.stats.problems[3].line, 1u);
  EXPECT_EQ(c.stats.problems[3].reason, "not an object");
  EXPECT_EQ(c.stats.skipped, 4u);
  EXPECT_EQ(c.docs[5].body, "multi-line object");

  // Named explicitly, the same file is reported: the operator asked for it.
  Collected m = Ingest(dir + "/meta/expected-metadata.json");
  ASSERT_EQ(m.stats.problems.size(), 1u) << ProblemsText(m.stats);
  EXPECT_EQ(m.stats.problems[0].reason, "item 1: missing id");
  EXPECT_EQ(m.stats.skipped, 1u);
}

TEST(IngestPath, LongLinesAreRead) {
  const std::string dir = testing::TempDir("ingest-long");
  const std::string body(3 << 20, 'x');  // longer than the read buffer
  Write(dir + "/big.ndjson", "{\"id\":\"big\",\"body\":\"" + body + "\"}\n{\"id\":\"small\"}\n");
  Collected c = Ingest(dir + "/big.ndjson");
  ASSERT_EQ(c.docs.size(), 2u) << ProblemsText(c.stats);
  EXPECT_EQ(c.docs[0].body.size(), body.size());
  EXPECT_EQ(c.docs[1].id, "small");
}

TEST(IngestPath, FolderIsWalkedRecursivelyInSortedOrder) {
  const std::string root = testing::TempDir("ingest-folder");
  Write(root + "/b.txt", "B title\nbody b\n");
  Write(root + "/a.md", "# A title\ntext\n");
  Write(root + "/sub/z.html", "<html lang=en><title>Z</title><p>zed</p>");
  Write(root + "/sub/c.HTM", "<h1>C</h1>");
  Write(root + "/sub/deeper/d.jsonl", "{\"id\":\"json-1\"}\n{\"id\":\"json-2\"}\n");
  Write(root + "/Capital.txt", "capital sorts first\n");
  Write(root + "/image.png", "\x89PNG not ours");
  Write(root + "/README", "no extension: ignored");
  Write(root + "/.hidden.txt", "hidden file");
  Write(root + "/.git/x.md", "# hidden folder");
  Collected c = Ingest(root);
  ASSERT_TRUE(c.status.ok());
  EXPECT_EQ(Ids(c), (std::vector<std::string>{"Capital.txt", "a.md", "b.txt", "sub/c.HTM", "json-1", "json-2",
                                               "sub/z.html"}));
  EXPECT_TRUE(c.stats.problems.empty()) << ProblemsText(c.stats);
  EXPECT_EQ(c.stats.documents, 7u);
  EXPECT_EQ(c.stats.skipped, 0u);
  EXPECT_EQ(c.docs[1].title, "A title");
  EXPECT_EQ(c.docs[2].title, "B title");
  EXPECT_EQ(c.docs[3].title, "C");
  EXPECT_EQ(c.docs[6].lang, "en");
  EXPECT_EQ(c.docs[6].body, "zed");
}

TEST(IngestPath, SingleFileIdIsItsName) {
  const std::string root = testing::TempDir("ingest-single");
  Write(root + "/folder/page.html", "<title>P</title>body");
  Collected c = Ingest(root + "/folder/page.html");
  ASSERT_EQ(c.docs.size(), 1u);
  EXPECT_EQ(c.docs[0].id, "page.html");
  EXPECT_EQ(c.docs[0].title, "P");
}

TEST(IngestPath, ProblemsForFilesAreReportedAndCounted) {
  const std::string root = testing::TempDir("ingest-problems");
  Write(root + "/broken.txt", "caf\xC3 au lait\n");
  Write(root + "/empty.md", "\n\n   \n");
  Write(root + "/good.txt", "good\n");
  Write(root + "/locked.txt", "secret\n");
  Write(root + "/locked-dir/inner.txt", "inner\n");
  ::chmod((root + "/locked.txt").c_str(), 0);
  ::chmod((root + "/locked-dir").c_str(), 0);
  const bool root_user = ::geteuid() == 0;  // root reads anything: those two files then succeed
  Collected c = Ingest(root);
  ::chmod((root + "/locked-dir").c_str(), 0755);
  ASSERT_TRUE(c.status.ok());
  std::vector<std::string> want = {"broken.txt", "good.txt"};
  if (root_user) want = {"broken.txt", "good.txt", "locked-dir/inner.txt", "locked.txt"};
  EXPECT_EQ(Ids(c), want);
  EXPECT_EQ(c.docs[0].body, "caf\xEF\xBF\xBD au lait");
  // broken.txt (repaired, kept), empty.md (skipped), and when not root the two unreadable ones.
  ASSERT_EQ(c.stats.problems.size(), root_user ? 2u : 4u) << ProblemsText(c.stats);
  EXPECT_EQ(c.stats.problems[0].file, root + "/broken.txt");
  EXPECT_EQ(c.stats.problems[0].line, 0u);
  EXPECT_EQ(c.stats.problems[0].reason, "invalid UTF-8 (replaced)");
  EXPECT_EQ(c.stats.problems[1].file, root + "/empty.md");
  EXPECT_EQ(c.stats.problems[1].reason, "no text");
  if (!root_user) {
    EXPECT_EQ(c.stats.problems[2].file, root + "/locked-dir");
    EXPECT_TRUE(c.stats.problems[2].reason.starts_with("cannot read folder")) << c.stats.problems[2].reason;
    EXPECT_EQ(c.stats.problems[3].file, root + "/locked.txt");
    EXPECT_TRUE(c.stats.problems[3].reason.starts_with("cannot read")) << c.stats.problems[3].reason;
  }
  EXPECT_EQ(c.stats.skipped, root_user ? 1u : 3u);
  EXPECT_EQ(c.stats.documents, c.docs.size());
}

// A page nested deeper than browsers nest is kept, flattened, and said to be; a page the HTML
// parser cannot take within its budget is read without its formatting elements, and said to be;
// the walk goes on.
TEST(IngestPath, HostileHtmlPagesAreReportedAndTheWalkGoesOn) {
  const std::string root = testing::TempDir("ingest-hostile-html");
  std::string deep = "<title>deep</title><body>";
  for (int i = 0; i < 2000; ++i) deep += "<div>";
  Write(root + "/a-deep.html", deep + "text");
  std::string copies = "<body>";
  for (int i = 0; i < 20000; ++i) copies += "<div><b id=" + std::to_string(i) + ">w</div>";
  Write(root + "/b-copies.html", copies);
  Write(root + "/c-good.html", "<title>good</title><p>fine");
  Collected c = Ingest(root);
  ASSERT_TRUE(c.status.ok());
  EXPECT_EQ(Ids(c), (std::vector<std::string>{"a-deep.html", "b-copies.html", "c-good.html"}));
  EXPECT_EQ(c.docs[0].body, "text");
  EXPECT_EQ(std::count(c.docs[1].body.begin(), c.docs[1].body.end(), 'w'), 20000);
  // b-copies.html's 20,000 <b> are never closed: nested too, by the estimate.
  ASSERT_EQ(c.stats.problems.size(), 3u) << ProblemsText(c.stats);
  EXPECT_EQ(c.stats.problems[0].file, root + "/a-deep.html");
  EXPECT_EQ(c.stats.problems[0].reason, "elements nested more than 512 deep (the deeper ones flattened)");
  EXPECT_EQ(c.stats.problems[1].file, root + "/b-copies.html");
  EXPECT_EQ(c.stats.problems[2].file, root + "/b-copies.html");
  EXPECT_TRUE(c.stats.problems[2].reason.starts_with("HTML too complex to parse as it is")) << c.stats.problems[2].reason;
  EXPECT_EQ(c.stats.skipped, 0u);
}

TEST(IngestPath, UnreadableJsonlIsAProblemNotAStop) {
  const std::string root = testing::TempDir("ingest-unreadable");
  // A folder named like a JSONL file cannot be opened as one; fopen fails the same way an
  // unreadable file does, even for root.
  fs::create_directories(root + "/data.jsonl");
  Write(root + "/data.jsonl/inside.txt", "inside\n");
  Collected c = Ingest(root + "/missing.jsonl");
  EXPECT_TRUE(c.status.ok());
  ASSERT_EQ(c.stats.problems.size(), 1u);
  EXPECT_EQ(c.stats.problems[0].file, root + "/missing.jsonl");
  EXPECT_TRUE(c.stats.problems[0].reason.starts_with("cannot read")) << c.stats.problems[0].reason;
  EXPECT_EQ(c.stats.skipped, 1u);

  Write(root + "/notes.pdf", "%PDF");
  Collected u = Ingest(root + "/notes.pdf");
  ASSERT_EQ(u.stats.problems.size(), 1u);
  EXPECT_TRUE(u.stats.problems[0].reason.starts_with("unsupported file type"));

  // The folder called data.jsonl is a folder: walked, not parsed.
  Collected f = Ingest(root + "/data.jsonl");
  EXPECT_EQ(Ids(f), (std::vector<std::string>{"inside.txt"}));
}

TEST(IngestPath, SinkErrorStopsAndIsReturned) {
  const std::string root = testing::TempDir("ingest-sink");
  Write(root + "/d.jsonl", "{\"id\":\"1\"}\n{\"id\":\"2\"}\n{\"id\":\"3\"}\n");
  int calls = 0;
  IngestStats stats;
  Status st = IngestPath(
      root,
      [&](Document&& d) {
        ++calls;
        if (d.id == "2") return Status::IOError("disk full");
        return Status::OK();
      },
      &stats);
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "disk full");
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(stats.documents, 1u);
}

TEST(IngestPath, StatsAreOptionalAndASinkIsRequired) {
  const std::string root = testing::TempDir("ingest-nostats");
  Write(root + "/a.txt", "a\n");
  int calls = 0;
  EXPECT_TRUE(IngestPath(
                  root,
                  [&](Document&&) {
                    ++calls;
                    return Status::OK();
                  },
                  nullptr)
                  .ok());
  EXPECT_EQ(calls, 1);
  IngestStats stats;
  Status st = IngestPath(root, DocumentSink(), &stats);
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
}

TEST(IngestPath, SymlinkLoopIsWalkedOnce) {
  const std::string root = testing::TempDir("ingest-loop");
  Write(root + "/a/x.txt", "x\n");
  fs::create_directory_symlink(root + "/a", root + "/a/again");
  Collected c = Ingest(root);
  EXPECT_EQ(Ids(c), (std::vector<std::string>{"a/x.txt"}));
}

TEST(IngestPath, UrduNewsCollection) {
  RASAI_REQUIRE_SHARED_DATA();
  const std::string path = testing::SharedData() + "/urdu/urdu-news.jsonl";
  uint64_t with_title = 0, urdu = 0;
  IngestStats stats;
  Status st = IngestPath(
      path,
      [&](Document&& d) {
        if (!d.title.empty()) ++with_title;
        if (d.lang == "ur") ++urdu;
        EXPECT_TRUE(IsValidUtf8(d.body));
        return Status::OK();
      },
      &stats);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(stats.documents, 2028u);
  EXPECT_EQ(stats.skipped, 0u);
  EXPECT_TRUE(stats.problems.empty()) << ProblemsText(stats);
  EXPECT_EQ(with_title, 2028u);
  EXPECT_EQ(urdu, 2028u);
}

}  // namespace
}  // namespace rasai

namespace rasai {
namespace {

// A JSONL file of several 1 MiB chunks, with blank, CRLF, broken and over-long lines: the
// documents come in file order, and every problem names its line, whichever chunk holds it.
// The same text from memory (SplitJsonlText, as a request body) gives the same.
TEST(SplitPath, ChunksKeepOrderAndLineNumbers) {
  const std::string dir = testing::TempDir("split-chunks");
  std::string text = "\xEF\xBB\xBF";
  std::vector<std::string> want_ids;
  std::string want_problems;
  const std::string file = dir + "/many.jsonl";
  for (int i = 1; i <= 40000; ++i) {
    if (i % 997 == 0) {
      text += "{\"id\": broken\n";
      want_problems += file + ":" + std::to_string(i) + ": malformed JSON\n";
    } else if (i % 1009 == 0) {
      text += "   \r\n";
    } else if (i == 20000) {
      text += "{\"id\":\"long\",\"body\":\"" + std::string(3 << 20, 'x') + "\"}\n";
      want_ids.push_back("long");
    } else {
      text += "{\"id\":\"d" + std::to_string(i) + "\",\"title\":\"t\",\"body\":\"" + std::string(i % 200, 'b') + "\"}" +
              (i % 2 ? "\r\n" : "\n");
      want_ids.push_back("d" + std::to_string(i));
    }
  }
  text += "{\"id\":\"last\"}";  // no newline at the end
  want_ids.push_back("last");
  Write(file, text);
  auto problems_prefix = [](const std::vector<IngestProblem>& problems) {
    std::string out;
    for (const auto& p : problems) out += p.file + ":" + std::to_string(p.line) + ": " + p.reason.substr(0, 14) + "\n";
    return out;
  };

  Collected c = Ingest(file);
  ASSERT_TRUE(c.status.ok());
  EXPECT_EQ(Ids(c), want_ids);
  EXPECT_EQ(problems_prefix(c.stats.problems), want_problems);
  EXPECT_EQ(c.stats.documents, want_ids.size());

  size_t units = 0;
  std::vector<std::string> ids;
  std::vector<uint64_t> lines;
  std::vector<IngestProblem> problems;
  uint64_t bytes = 0;
  ASSERT_TRUE(SplitJsonlText(text, file, [&](IngestTask task) {
                IngestUnit u = task();
                ++units;
                bytes += u.bytes;
                EXPECT_EQ(u.docs.size(), u.lines.size());
                for (const auto& d : u.docs) ids.push_back(d.id);
                lines.insert(lines.end(), u.lines.begin(), u.lines.end());
                problems.insert(problems.end(), u.stats.problems.begin(), u.stats.problems.end());
                return Status::OK();
              }).ok());
  EXPECT_GT(units, 3u);
  EXPECT_EQ(bytes, text.size());
  EXPECT_EQ(ids, want_ids);
  EXPECT_EQ(problems_prefix(problems), want_problems);
  ASSERT_EQ(lines.size(), ids.size());
  EXPECT_EQ(lines.front(), 1u);
  EXPECT_EQ(lines.back(), 40001u);
  EXPECT_EQ(InputBytes(file), text.size());
  EXPECT_EQ(InputBytes(dir), text.size());
  EXPECT_EQ(InputBytes(dir + "/missing"), 0u);
}

}  // namespace
}  // namespace rasai
