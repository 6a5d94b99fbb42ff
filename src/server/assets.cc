#include "server/assets.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/web_assets.h"

namespace rasai::server {
namespace fs = std::filesystem;
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool IsFontName(std::string_view name) {
  if (name.empty() || name[0] == '.') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.';
    if (!ok) return false;
  }
  return EndsWith(name, ".woff2") || EndsWith(name, ".woff") || EndsWith(name, ".ttf") ||
         EndsWith(name, ".otf");
}

std::string Substitute(std::string_view text, const std::vector<std::pair<std::string, std::string>>& values,
                       const std::string& version) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find("{{", i);
    if (open == std::string_view::npos) break;
    size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    std::string_view key = text.substr(open + 2, close - open - 2);
    if (key == "v") {
      out += version;
    } else {
      for (const auto& [k, v] : values) {
        if (k == key) {
          out += v;
          break;
        }
      }
    }
    i = close + 2;
  }
  out.append(text.substr(i));
  return out;
}

// `text` with every "{{>_name.html}}" replaced by the template "/_name.html" (partials do not
// include others; an unknown one becomes "").
std::string ExpandPartials(std::string_view text, const std::map<std::string, std::string, std::less<>>& templates) {
  std::string out;
  size_t i = 0;
  for (size_t open; (open = text.find("{{>", i)) != std::string_view::npos;) {
    const size_t close = text.find("}}", open + 3);
    if (close == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    auto it = templates.find("/" + std::string(text.substr(open + 3, close - open - 3)));
    if (it != templates.end()) out += it->second;
    i = close + 2;
  }
  out.append(text.substr(i));
  return out;
}

}  // namespace

std::string HashHex(std::string_view data) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a 64-bit offset basis
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string ContentTypeFor(std::string_view name) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (EndsWith(name, ext)) return type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(const std::string& fonts_dir) {
  std::string all;
  for (const web::Asset* a = web::kAssets; a->path != nullptr; ++a) {
    all.append(a->path);
    all.append(a->data, a->size);
  }
  version_ = HashHex(all).substr(0, 12);

  std::map<std::string, std::string, std::less<>> partials;
  for (const web::Asset* a = web::kAssets; a->path != nullptr; ++a)
    if (BaseName(a->path).substr(0, 1) == "_") partials.emplace(a->path, std::string(a->data, a->size));
  for (const auto& [path, content] : partials) templates_.emplace(path, ExpandPartials(content, partials));
  for (const web::Asset* a = web::kAssets; a->path != nullptr; ++a) {
    std::string_view path = a->path;
    if (BaseName(path).substr(0, 1) == "_") continue;
    std::string_view content(a->data, a->size);
    StaticFile f;
    f.content_type = ContentTypeFor(path);
    f.body = EndsWith(path, ".html") ? Substitute(ExpandPartials(content, partials), {}, version_) : std::string(content);
    f.etag = "\"" + HashHex(f.body) + "\"";
    assets_.emplace(std::string(path), std::move(f));
  }

  if (fonts_dir.empty()) return;
  std::error_code ec;
  if (!fs::is_directory(fonts_dir, ec)) return;
  fonts_dir_ = fonts_dir;
  size_t total = 0;
  for (fs::directory_iterator it(fonts_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!IsFontName(name) || !it->is_regular_file(ec)) continue;
    uintmax_t size = it->file_size(ec);
    if (ec || size > kMaxFontBytes || total + size > kMaxFontsTotalBytes) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof()) continue;
    StaticFile f;
    f.content_type = ContentTypeFor(name);
    f.body = ss.str();
    f.etag = "\"" + HashHex(f.body) + "\"";
    total += f.body.size();
    fonts_.emplace(std::move(name), std::move(f));
  }
}

const StaticFile* StaticFiles::Asset(std::string_view path) const {
  auto it = assets_.find(path);
  return it == assets_.end() ? nullptr : &it->second;
}

const StaticFile* StaticFiles::Font(std::string_view name) const {
  auto it = fonts_.find(name);
  return it == fonts_.end() ? nullptr : &it->second;
}

std::string StaticFiles::RenderTemplate(std::string_view path,
                                        const std::vector<std::pair<std::string, std::string>>& values) const {
  auto it = templates_.find(path);
  if (it == templates_.end()) return "";
  return Substitute(it->second, values, version_);
}

}  // namespace rasai::server
