// rasai-extract-eval: article extraction quality and speed on pages with known articles.
//
// Quality: for every page folder under --pages (source.html, expected.html and
// expected-metadata.json, as in ../shared/data/html/readability-test-pages), the body Rasai
// extracts from source.html is compared with the visible text of expected.html by word F1
// (words: runs of letters, digits and marks of any script, lower-cased; each CJK ideograph a
// word; bags of words, so a word counts as often as it occurs), and the title with the
// expected title (white space collapsed). Prints one row per page and the means over all
// pages and over the two halves (dev: pages 1, 3, 5, … in name order; check: 2, 4, 6, …).
//
// --kinds prints how a site mirror would judge each page (article, or skipped and why).
// --whole-page scores the page's whole visible text instead: the level of keeping everything.
//
// Speed (--time N): extracts every page N times in this process (files read beforehand) and
// prints one JSON line: {"pages":…, "reps":…, "ms_per_pass":…} (a pass = every page once).
// bench/extract_speed.js runs it interleaved with Readability.js over jsdom.
//
//   build/bench/rasai-extract-eval [--pages DIR] [--only dev|check] [--quiet] [--whole-page]
//   build/bench/rasai-extract-eval --time 5
#include <unicode/uchar.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/article_text.h"
#include "ingest/dom.h"
#include "ingest/html_parse.h"
#include "ingest/ingest_internal.h"
#include "ingest/site_mirror.h"
#include "rasai/ingest.h"
#include "util/utf8.h"

namespace fs = std::filesystem;
using rasai::ingest_internal::CollapseSpaces;

namespace {

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool IsIdeograph(UChar32 c) { return u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) || (c >= 0x3040 && c <= 0x30FF); }

std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    const char32_t c = rasai::DecodeUtf8(s, &i);
    const auto uc = static_cast<UChar32>(c);
    if (IsIdeograph(uc)) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
      out.emplace_back(s.substr(start, i - start));
      continue;
    }
    const int8_t type = u_charType(uc);
    const bool word = u_isalnum(uc) || type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK;
    if (word) {
      rasai::AppendUtf8(static_cast<char32_t>(u_tolower(uc)), &cur);
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

struct Prf {
  double p = 0, r = 0, f = 0;
};

Prf WordF1(const std::string& got, const std::string& want) {
  std::map<std::string, int> bag;
  const auto g = Words(got), w = Words(want);
  for (const auto& x : w) ++bag[x];
  size_t common = 0;
  for (const auto& x : g) {
    auto it = bag.find(x);
    if (it != bag.end() && it->second > 0) {
      --it->second;
      ++common;
    }
  }
  Prf out;
  if (g.empty() && w.empty()) return {1, 1, 1};
  out.p = g.empty() ? 0 : static_cast<double>(common) / static_cast<double>(g.size());
  out.r = w.empty() ? 0 : static_cast<double>(common) / static_cast<double>(w.size());
  out.f = out.p + out.r > 0 ? 2 * out.p * out.r / (out.p + out.r) : 0;
  return out;
}

std::string VisibleText(const std::string& html) {
  rasai::ingest_internal::HtmlParse parse(html, nullptr, nullptr);
  if (!parse.root()) return "";
  rasai::ingest_internal::Dom dom(parse.root());
  return rasai::ingest_internal::ArticleText(dom, dom.body());
}

struct Page {
  std::string name;
  std::string source, expected_text, expected_title;
};

}  // namespace

int main(int argc, char** argv) {
  std::string pages_dir = "../shared/data/html/readability-test-pages";
  std::string only;
  bool quiet = false;
  bool whole_page = false;  // score the page's whole visible text instead (the baseline)
  bool kinds = false;       // print how a site mirror would judge each page instead
  int time_reps = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--pages" && i + 1 < argc) pages_dir = argv[++i];
    else if (a == "--only" && i + 1 < argc) only = argv[++i];
    else if (a == "--quiet") quiet = true;
    else if (a == "--whole-page") whole_page = true;
    else if (a == "--kinds") kinds = true;
    else if (a == "--time" && i + 1 < argc) time_reps = std::atoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: %s [--pages DIR] [--only dev|check] [--quiet] [--whole-page] [--kinds] [--time N]\n", argv[0]);
      return 2;
    }
  }
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(pages_dir, ec))
    if (fs::exists(e.path() / "source.html")) dirs.push_back(e.path());
  if (ec || dirs.empty()) {
    std::fprintf(stderr, "no pages under %s (source.html in each folder)\n", pages_dir.c_str());
    return 77;
  }
  std::sort(dirs.begin(), dirs.end());
  std::vector<Page> pages;
  for (size_t i = 0; i < dirs.size(); ++i) {
    const bool dev = i % 2 == 0;
    if ((only == "dev" && !dev) || (only == "check" && dev)) continue;
    Page p;
    p.name = dirs[i].filename().string();
    p.source = ReadFile(dirs[i] / "source.html");
    if (time_reps == 0) {
      p.expected_text = VisibleText(ReadFile(dirs[i] / "expected.html"));
      auto meta = nlohmann::json::parse(ReadFile(dirs[i] / "expected-metadata.json"), nullptr, false);
      if (meta.is_object() && meta.contains("title") && meta["title"].is_string())
        p.expected_title = CollapseSpaces(meta["title"].get<std::string>());
    }
    pages.push_back(std::move(p));
  }

  if (time_reps > 0) {
    size_t sink = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int r = 0; r < time_reps; ++r)
      for (const Page& p : pages) sink += rasai::DocumentFromHtml(p.name, p.source).body.size();
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("{\"pages\":%zu,\"reps\":%d,\"ms_per_pass\":%.3f,\"bytes\":%zu}\n", pages.size(), time_reps,
                ms / time_reps, sink / static_cast<size_t>(time_reps));
    return 0;
  }

  if (kinds) {
    int articles = 0;
    for (const Page& p : pages) {
      rasai::ingest_internal::PageFacts f;
      rasai::ingest_internal::HtmlDocument(p.name, p.source, nullptr, nullptr, nullptr, &f);
      std::string why;
      const bool article = rasai::ingest_internal::ClassifyPage(p.name + "/source.html", f, &why) ==
                           rasai::ingest_internal::PageKind::kArticle;
      articles += article;
      std::printf("%-44s %-8s chars %6zu/%6zu links %6zu headlines %3d (%6zu chars) paragraphs %3d %s%s\n",
                  p.name.c_str(), article ? "article" : "SKIPPED", f.article_chars, f.page_chars, f.link_chars,
                  f.headline_links, f.headline_chars, f.paragraphs, f.article_type ? "typed " : "", why.c_str());
    }
    std::printf("\n%d of %zu pages judged articles\n", articles, pages.size());
    return 0;
  }

  double sum_f[3] = {0, 0, 0}, sum_p[3] = {0, 0, 0}, sum_r[3] = {0, 0, 0};
  int n[3] = {0, 0, 0}, titles[3] = {0, 0, 0};
  if (!quiet) std::printf("%-44s %6s %6s %6s  %s\n", "page", "P", "R", "F1", "title");
  for (size_t i = 0; i < pages.size(); ++i) {
    const Page& p = pages[i];
    rasai::Document d = rasai::DocumentFromHtml(p.name, p.source);
    if (whole_page) d.body = VisibleText(p.source);
    const Prf s = WordF1(d.body, p.expected_text);
    const bool title_ok = CollapseSpaces(d.title) == p.expected_title;
    size_t index = static_cast<size_t>(std::find(dirs.begin(), dirs.end(), fs::path(pages_dir) / p.name) - dirs.begin());
    if (index >= dirs.size()) index = i;
    const int half = index % 2 == 0 ? 1 : 2;
    for (int k : {0, half}) {
      sum_f[k] += s.f;
      sum_p[k] += s.p;
      sum_r[k] += s.r;
      titles[k] += title_ok;
      ++n[k];
    }
    if (!quiet)
      std::printf("%-44s %6.3f %6.3f %6.3f  %s\n", p.name.c_str(), s.p, s.r, s.f,
                  title_ok ? "ok" : ("[" + d.title + "] != [" + p.expected_title + "]").c_str());
  }
  const char* names[3] = {"all", "dev (odd pages)", "check (even pages)"};
  std::printf("\n%-20s %5s %7s %7s %7s %8s\n", "pages", "n", "P", "R", "F1", "titles");
  for (int k = 0; k < 3; ++k) {
    if (n[k] == 0) continue;
    std::printf("%-20s %5d %7.3f %7.3f %7.3f %7.1f%%\n", names[k], n[k], sum_p[k] / n[k], sum_r[k] / n[k],
                sum_f[k] / n[k], 100.0 * titles[k] / n[k]);
  }
  return 0;
}
