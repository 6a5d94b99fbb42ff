// The static files of the web UI (compiled into the binary, web_assets.h) plus the web fonts
// read at startup from a folder (fonts are fetched from npm at setup time and never committed).
//
// Files in web/static/ whose name starts with '_' are page templates: they are not served as
// they are, and are rendered by the router through RenderTemplate(). In every HTML file and
// template, "{{v}}" stands for AssetVersion() (a hash of all assets, used to bust caches), and
// "{{>_name.html}}" for the template "/_name.html" (a partial: the page head and search bar that
// several pages share; partials do not include others).
//
// Thread-safety: immutable after construction.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rasai::server {

struct StaticFile {
  std::string content_type;
  std::string body;
  std::string etag;  // quoted strong validator
};

class StaticFiles {
 public:
  // Largest font file and total font bytes loaded from fonts_dir.
  static constexpr size_t kMaxFontBytes = 8u << 20;
  static constexpr size_t kMaxFontsTotalBytes = 48u << 20;

  // Loads the embedded assets, and the font files (*.woff2, *.woff, *.ttf, *.otf) directly in
  // `fonts_dir` when it is non-empty and exists. Other files there are ignored.
  explicit StaticFiles(const std::string& fonts_dir);

  // An embedded asset by URL path ("/app.js"); nullptr when absent or a template.
  const StaticFile* Asset(std::string_view path) const;
  // A font by file name ("noto-nastaliq-urdu-arabic-400-normal.woff2"); nullptr when absent.
  const StaticFile* Font(std::string_view name) const;
  size_t font_count() const { return fonts_.size(); }
  const std::string& fonts_dir() const { return fonts_dir_; }
  const std::string& version() const { return version_; }

  // The template "/_name.html" with every "{{key}}" replaced by its value ("{{v}}" always
  // by version()). Values are inserted as given: escape them first. Unknown keys become "".
  std::string RenderTemplate(std::string_view path,
                             const std::vector<std::pair<std::string, std::string>>& values) const;

 private:
  std::map<std::string, StaticFile, std::less<>> assets_;
  std::map<std::string, std::string, std::less<>> templates_;
  std::map<std::string, StaticFile, std::less<>> fonts_;
  std::string fonts_dir_;
  std::string version_;
};

// Content type for a file name by its extension.
std::string ContentTypeFor(std::string_view name);
// 64-bit FNV-1a, as 16 hex digits.
std::string HashHex(std::string_view data);

}  // namespace rasai::server
