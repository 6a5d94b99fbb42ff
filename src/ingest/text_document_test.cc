#include <gtest/gtest.h>

#include <string>

#include "rasai/ingest.h"
#include "util/utf8.h"

namespace rasai {
namespace {

TEST(DocumentFromText, PlainTextTitleIsFirstNonEmptyLine) {
  Document d = DocumentFromText("notes/a.txt", "\r\n\r\n  پانی کی قلت  \r\nدوسری سطر\r\n\r\n\r\n\r\nتیسری\r\n", false);
  EXPECT_EQ(d.id, "notes/a.txt");
  EXPECT_EQ(d.title, "پانی کی قلت");
  EXPECT_EQ(d.body, "پانی کی قلت\nدوسری سطر\n\nتیسری");
  EXPECT_EQ(d.lang, "");
}

TEST(DocumentFromText, LongFirstLineMakesAShortTitle) {
  std::string line;
  for (int i = 0; i < 100; ++i) line += "لفظ ";
  Document d = DocumentFromText("a.txt", line, false);
  EXPECT_LE(d.title.size(), 203u);
  EXPECT_TRUE(d.title.ends_with("…"));
  EXPECT_TRUE(IsValidUtf8(d.title));
}

TEST(DocumentFromText, MarkdownGolden) {
  const char* md =
      "# Rasai **operator** guide #\n"
      "\n"
      "Intro with a [link](https://example.org) and ![logo](logo.png) and `code`.\n"
      "\n"
      "## Install\n"
      "\n"
      "- first step\n"
      "* second step\n"
      "1. numbered\n"
      "> quoted *text*\n"
      "\n"
      "---\n"
      "\n"
      "```sh\n"
      "rasai index --index idx news.jsonl\n"
      "```\n"
      "| col a | col b |\n"
      "|---|:---:|\n"
      "| 1 | 2 |\n"
      "[ref]: https://example.org\n"
      "Escaped \\*star\\* and snake_case_name.\n";
  Document d = DocumentFromText("guide.md", md, true);
  EXPECT_EQ(d.title, "Rasai operator guide");
  EXPECT_EQ(d.body,
            "Intro with a link and logo and code.\n"
            "\n"
            "Install\n"
            "\n"
            "first step\n"
            "second step\n"
            "1. numbered\n"
            "quoted *text*\n"
            "\n"
            "rasai index --index idx news.jsonl\n"
            "col a col b\n"
            "1 2\n"
            "Escaped *star* and snake_case_name.");
}

// Brackets, parentheses and '<' that close nowhere stay text. A line of 1,000,000 '[' took 9 s
// and "[a](" repeated 1,000,000 times 42 s (each looked to the end of the line for its close);
// a search that found nothing is now remembered for the rest of the line.
TEST(DocumentFromText, MarkdownBracketsThatCloseNowhere) {
  Document d = DocumentFromText("x.md", "# t\n[a][b [c](d [e] <http://f [g](h) <http://i> j[k\n", true);
  // [a][b [c] is a reference link (text "a"), <http://f … <http://i> an autolink to its first '>'.
  EXPECT_EQ(d.body, "a(d e http://f [g](h) <http://i j[k");
  std::string line(200000, '[');
  d = DocumentFromText("y.md", "# t\n" + line + "x\n", true);
  EXPECT_TRUE(d.body == line + "x") << d.body.size();  // (no dump of 200,000 brackets)
  std::string links, text;
  for (int i = 0; i < 100000; ++i) {
    links += "[a](";
    text += "a(";
  }
  d = DocumentFromText("z.md", "# t\n" + links + "\n", true);
  EXPECT_TRUE(d.body == text) << d.body.substr(0, 80);
}

TEST(DocumentFromText, MarkdownWithoutLevelOneHeading) {
  Document d = DocumentFromText("b.md", "\n## Backups\n\nCopy the index folder.\n", true);
  EXPECT_EQ(d.title, "Backups");
  EXPECT_EQ(d.body, "Backups\n\nCopy the index folder.");
}

TEST(DocumentFromText, MarkdownSetextAndFrontMatter) {
  Document d = DocumentFromText("c.md",
                                "---\ntitle: \"بجلی جانے کے بعد\"\ndate: 2024-05-01\nlang: ur\n---\n"
                                "Heading\n=======\n\nSub\n---\ntext\n",
                                true);
  EXPECT_EQ(d.title, "بجلی جانے کے بعد");
  EXPECT_EQ(d.date, "2024-05-01");
  EXPECT_EQ(d.lang, "ur");
  EXPECT_EQ(d.body, "Heading\n\nSub\ntext");

  Document s = DocumentFromText("d.md", "Big Title\n=========\nbody line\n", true);
  EXPECT_EQ(s.title, "Big Title");
  EXPECT_EQ(s.body, "body line");
}

TEST(DocumentFromText, BrokenUtf8AndEmptyInput) {
  Document d = DocumentFromText("x.txt", "ab\xE2\x82 cd\n", false);
  EXPECT_TRUE(IsValidUtf8(d.title));
  EXPECT_EQ(d.title, "ab\xEF\xBF\xBD\xEF\xBF\xBD cd");  // one U+FFFD per ill-formed byte
  Document e = DocumentFromText("e.md", "", true);
  EXPECT_EQ(e.title, "");
  EXPECT_EQ(e.body, "");
  Document f = DocumentFromText("f.md", "```\nunterminated [link( `x\n", true);
  EXPECT_EQ(f.body, "unterminated [link( `x");
}

TEST(DocumentFromText, Utf16FromNotepad) {
  // "Urdu اردو\r\nline" saved by Windows Notepad as "Unicode" (UTF-16 LE with BOM), and as BE.
  static const char kLe[] = "\xFF\xFEU\0r\0d\0u\0 \0'\x06" "1\x06/\x06H\x06\r\0\n\0l\0i\0n\0e\0";
  const std::string le(kLe, sizeof kLe - 1);
  Document d = DocumentFromText("n.txt", le, false);
  EXPECT_EQ(d.title, "Urdu اردو");
  EXPECT_EQ(d.body, "Urdu اردو\nline");
  const std::string be("\xFE\xFF\0O\0K\xD8\x3D\xDE\x00", 10);  // "OK😀"
  EXPECT_EQ(DocumentFromText("b.txt", be, false).title, "OK😀");
  const std::string lone("\xFF\xFE" "a\0\x00\xD8" "b\0", 8);   // unpaired high surrogate
  EXPECT_EQ(DocumentFromText("l.txt", lone, false).title, "a\xEF\xBF\xBD" "b");
}

}  // namespace
}  // namespace rasai
