// rasai-zim-seeds: writes the seed corpus of the zim_fuzz target (tests/fuzz/zim_fuzz/): small
// ZIM archives made by libzim's writer from text of our own, each prefixed with the target's mode
// byte (0: the bytes as they are; 1: the checksum made right after the fuzzer's changes).
//
//   rasai-zim-seeds tests/fuzz/zim_fuzz
//
// The archives: Wikipedia-like pages (apparatus to remove, a table, a redirect, Urdu text), a
// plain-text article and a non-text one, pages sharing a boilerplate opening (the openings rule),
// an archive whose pages are not front articles, and one with old-style namespaces in its paths.
#include <zim/writer/creator.h>
#include <zim/writer/item.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace {

struct Item {
  std::string path, mime, title, content;
  bool front = true;
};

std::string Page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html><html lang=\"ur\"><head><meta charset=\"utf-8\"><title>" + title +
         "</title></head><body><h1>" + title + "</h1>" + body + "</body></html>";
}

// Writes the archive to `out` prefixed with `mode`.
bool Write(const std::string& out, char mode, const std::vector<Item>& items,
           const std::vector<std::vector<std::string>>& redirects, const std::string& language) {
  const std::string tmp = out + ".tmp.zim";
  {
    zim::writer::Creator creator;
    creator.configIndexing(false, "eng").configClusterSize(4 << 10).configNbWorkers(1);
    creator.startZimCreation(tmp);
    for (const Item& i : items) {
      zim::writer::Hints hints;
      hints[zim::writer::FRONT_ARTICLE] = i.front ? 1 : 0;
      creator.addItem(zim::writer::StringItem::create(i.path, i.mime, i.title, hints, i.content));
    }
    for (const auto& r : redirects) creator.addRedirection(r[0], r[1], r[2]);
    creator.addMetadata("Title", "Rasai fuzz seed");
    creator.addMetadata("Language", language);
    creator.addMetadata("Date", "2026-12-06");
    creator.addMetadata("Description", "Made by rasai-zim-seeds");
    if (!items.empty()) creator.setMainPath(items[0].path);
    creator.finishZimCreation();
  }
  std::ifstream in(tmp, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(tmp.c_str());
  std::ofstream f(out, std::ios::binary);
  f.put(mode);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  std::printf("%s: %zu bytes\n", out.c_str(), bytes.size() + 1);
  return static_cast<bool>(f);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: rasai-zim-seeds OUTDIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  bool ok = true;
  // Wikipedia-like pages.
  const std::vector<Item> wiki = {
      {"Lahore", "text/html", "Lahore",
       Page("Lahore", "<div class=\"hatnote\">For the district, see Lahore District.</div>"
                      "<p><b>Lahore</b> is a city on the Ravi.<sup class=\"reference\"><a href=\"#c1\">[1]</a></sup></p>"
                      "<h2>History<span class=\"mw-editsection\">[edit]</span></h2>"
                      "<table class=\"infobox\"><tr><th>Province</th><td>Punjab</td></tr></table>"
                      "<p>It has gardens &amp; forts.</p><div class=\"navbox\"><ul><li>Cities</li></ul></div>"
                      "<ol class=\"references\"><li>A source</li></ol>")},
      {"Ravi", "text/html", "Ravi", Page("Ravi", "<p>The <a href=\"Lahore\">Ravi</a> is a river.</p><pre>a\n b</pre>")},
      {"notes.txt", "text/plain", "Notes", "Plain text notes.\nA second line."},
      {"map.png", "image/png", "Map", "\x89PNG\r\n\x1a\n"},
  };
  ok &= Write(dir + "/wiki.zim.seed", '\0', wiki, {{"Lahore_city", "Lahore city", "Lahore"}}, "eng");
  // Urdu news pages sharing a share-button opening, in two sections.
  std::vector<Item> news;
  for (int i = 0; i < 24; ++i) {
    const std::string n = std::to_string(i);
    news.push_back({"site-" + n + ".html", "text/html", "خبر " + n,
                    Page("خبر " + n, "<p>اس خبر کو شیئر کریں ای میل فیس بک ٹوئٹر</p><p>شہر " + n +
                                         " میں بارش ہوئی اور دریا میں پانی بڑھ گیا</p>")});
  }
  news.push_back({"other-1.html", "text/html", "دوسری", Page("دوسری", "<p>کوئی اور بات</p>")});
  ok &= Write(dir + "/news.zim.seed", '\0', news, {}, "urd");
  ok &= Write(dir + "/news-checksum.zim.seed", '\1', {news.begin(), news.begin() + 3}, {}, "urd");
  // No front article; and paths with old-style namespaces.
  ok &= Write(dir + "/no-articles.zim.seed", '\0', {{"page", "text/html", "Page", Page("Page", "<p>x</p>"), false}}, {},
              "eng");
  ok &= Write(dir + "/namespaces.zim.seed", '\1',
              {{"A/Page", "text/html", "Page", Page("Page", "<p>in A</p>")},
               {"I/pic.png", "image/png", "", "\x89PNG"},
               {"-/style.css", "text/css", "", "p{}"}},
              {{"A/Other", "Other", "A/Page"}}, "eng,urd");
  return ok ? 0 : 1;
}
