// Small ZIM archives for tests, written with libzim's writer (header-only: the ingest and server
// tests both use it).
#pragma once

#include <zim/writer/creator.h>
#include <zim/writer/item.h>

#include <map>
#include <string>
#include <vector>

namespace rasai::testing {

struct ZimItemSpec {
  std::string path, mime, title, content;
  bool front = true;  // a front article (an "article" to libzim)
};
struct ZimRedirectSpec {
  std::string path, title, target;
};
struct ZimSpec {
  std::map<std::string, std::string> metadata = {{"Title", "Test archive"}, {"Language", "eng"},
                                                 {"Date", "2024-01-15"}, {"Creator", "Rasai tests"}};
  std::vector<ZimItemSpec> items;
  std::vector<ZimRedirectSpec> redirects;
  std::string main_path;
};

// Writes `spec` as a ZIM archive at `path` (no full-text index; zstd clusters).
inline void WriteZim(const std::string& path, const ZimSpec& spec) {
  zim::writer::Creator creator;
  creator.configIndexing(false, "eng").configClusterSize(64 << 10).configNbWorkers(1);
  creator.startZimCreation(path);
  for (const auto& i : spec.items) {
    zim::writer::Hints hints;
    hints[zim::writer::FRONT_ARTICLE] = i.front ? 1 : 0;
    creator.addItem(zim::writer::StringItem::create(i.path, i.mime, i.title, hints, i.content));
  }
  for (const auto& r : spec.redirects) creator.addRedirection(r.path, r.title, r.target);
  for (const auto& [k, v] : spec.metadata) creator.addMetadata(k, v);
  if (!spec.main_path.empty()) creator.setMainPath(spec.main_path);
  creator.finishZimCreation();
}

inline ZimItemSpec HtmlArticle(const std::string& path, const std::string& title, const std::string& body_html) {
  return ZimItemSpec{path, "text/html", title,
                     "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body><h1>" +
                         title + "</h1>" + body_html + "</body></html>",
                     true};
}

}  // namespace rasai::testing
