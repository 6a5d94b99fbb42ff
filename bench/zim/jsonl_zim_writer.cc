// rasai-jsonl-zim: writes JSONL documents as a ZIM archive through libzim's writer, one HTML page
// per document, the same pages bench/zim/jsonl_to_zim.py writes and packs with zimwriterfs:
// <title>, <h1> (the title) and a <p> per line of the body, path "<id>.html" (id bytes other
// than letters, digits, '-', '_' and '.' as '_'), every page a front article, the first page the
// main page, Name/Title/Language/Date metadata, zstd clusters, no full-text index. For sizes
// zimwriterfs takes hours to pack (it reads a file per page and asks libmagic for each one's type).
//
//   rasai-jsonl-zim --out synth-1000000_2026-12.zim --name synth-1000000 [--language urd] JSONL...
#include <zim/writer/creator.h>
#include <zim/writer/item.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#x27;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string PageName(const std::string& id) {
  std::string out;
  for (unsigned char c : id) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                      c == '.' || c >= 0x80;
    out.push_back(keep ? static_cast<char>(c) : '_');
  }
  return (out.empty() ? "doc" : out) + ".html";
}

}  // namespace

int main(int argc, char** argv) {
  std::string out, name, language = "urd", title = "Rasai test collection";
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "missing value for " << a << "\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--out") out = value();
    else if (a == "--name") name = value();
    else if (a == "--language") language = value();
    else if (a == "--title") title = value();
    else inputs.push_back(a);
  }
  if (out.empty() || inputs.empty()) {
    std::cerr << "usage: rasai-jsonl-zim --out FILE [--name N] [--language L] [--title T] JSONL...\n";
    return 2;
  }
  zim::writer::Creator creator;
  creator.configIndexing(false, "eng").configClusterSize(2 << 20).configNbWorkers(2);
  creator.startZimCreation(out);
  uint64_t n = 0;
  std::string main_path;
  for (const std::string& path : inputs) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      const auto d = nlohmann::json::parse(line);
      const std::string id = d.at("id").get<std::string>();
      const std::string t = d.value("title", "");
      const std::string body = d.value("body", "");
      std::string page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + Escape(t) + "</title></head>\n<body><h1>" +
                         Escape(t) + "</h1>\n";
      size_t from = 0;
      while (from <= body.size()) {
        size_t nl = body.find('\n', from);
        if (nl == std::string::npos) nl = body.size();
        std::string p = body.substr(from, nl - from);
        const size_t b = p.find_first_not_of(" \t\r"), e = p.find_last_not_of(" \t\r");
        if (b != std::string::npos) page += "<p>" + Escape(p.substr(b, e - b + 1)) + "</p>\n";
        from = nl + 1;
      }
      page += "</body></html>\n";
      const std::string page_path = PageName(id);
      if (main_path.empty()) main_path = page_path;
      zim::writer::Hints hints;
      hints[zim::writer::FRONT_ARTICLE] = 1;
      creator.addItem(zim::writer::StringItem::create(page_path, "text/html", t, hints, page));
      ++n;
    }
  }
  creator.setMainPath(main_path);
  creator.addMetadata("Title", title);
  creator.addMetadata("Language", language);
  creator.addMetadata("Creator", "Rasai");
  creator.addMetadata("Publisher", "Rasai");
  creator.addMetadata("Description", "Documents written as HTML pages");
  creator.addMetadata("Date", "2026-12-06");
  if (!name.empty()) creator.addMetadata("Name", name);
  creator.finishZimCreation();
  std::printf("%s: %llu pages\n", out.c_str(), static_cast<unsigned long long>(n));
  return 0;
}
