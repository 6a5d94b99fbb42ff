// ZimShelf: serves the entries of the ZIM archives an index holds, at /zim/<archive>/<path>, from
// the archives themselves (the index copies none of their pages, images or styles).
//
// - The archives are those of the index's ZimCatalog; the catalog is read again when its file
//   changes (checked at most once a second), so archives indexed or removed while the server
//   runs appear and go. An archive file that moved is looked for in the index folder and its
//   folder of uploaded archives too.
// - An article page is served as the archive has it, with Rasai's bar (home, a search box, the
//   archive's title) put at the top of its body and a style sheet that fits it to a phone's
//   width. Links between articles are relative in ZIM pages, so they stay inside the archive.
// - Scripts never run: every response from an archive carries a Content-Security-Policy with
//   script-src 'none' (a ZIM file is content from anywhere; its scripts would run with the
//   server's origin, where the operator's pages are). Styles, images, media and fonts of the
//   archive load; nothing from outside the server does.
// - A missing entry or archive is a 404 page; a redirect entry is a 302 to its target; the
//   archive's root goes to its main page. An entry path is only ever a key looked up in the
//   archive: no file outside it is read, whatever the path ("..", encoded dots, NUL are refused
//   earlier by the router).
//
// Thread-safety: Serve() may be called from many threads at once (libzim archives are
// thread-safe; the set of open archives is an immutable snapshot swapped under a mutex).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "rasai/zim.h"
#include "server/assets.h"
#include "server/http_types.h"

namespace rasai::server {

class ZimShelf {
 public:
  // Entries larger than this are refused (413): a response is built in memory.
  static constexpr size_t kMaxEntryBytes = 64u << 20;

  explicit ZimShelf(std::string index_dir);
  ~ZimShelf();
  // GET/HEAD of "/zim/" + `rest` (`rest` percent-decoded, e.g. "wiki/A/Ray_Charles").
  HttpResponse Serve(std::string_view rest, const StaticFiles& files);

 private:
  struct Open {
    ZimRecord record;
    std::unique_ptr<ZimArchive> archive;  // null when the file cannot be opened
    std::string problem;                  // why not
  };
  using Shelf = std::map<std::string, std::shared_ptr<Open>, std::less<>>;
  std::shared_ptr<const Shelf> Current();

  const std::string index_dir_;
  std::mutex mu_;
  std::shared_ptr<const Shelf> shelf_;
  std::string catalog_stamp_;  // size and mtime of the catalog file when shelf_ was loaded
  std::chrono::steady_clock::time_point checked_{};
};

// The Content-Security-Policy of every response served from an archive.
extern const char* const kZimContentPolicy;

// `html` (an archive's page) with Rasai's bar after its <body> tag and the phone style sheet and
// a viewport declaration in its <head>. `archive_title` and `home` are text (escaped here).
std::string DecorateZimPage(std::string_view html, std::string_view archive_title, std::string_view asset_version);

}  // namespace rasai::server
