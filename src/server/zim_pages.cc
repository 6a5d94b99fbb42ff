#include "server/zim_pages.h"

#include <sys/stat.h>
#include <zim/archive.h>
#include <zim/entry.h>
#include <zim/error.h>
#include <zim/item.h>

#include <filesystem>
#include <string>
#include <utility>

#include "server/page.h"
#include "server/zim_collection.h"
#include "util/text.h"

namespace rasai::server {

const char* const kZimContentPolicy =
    "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "media-src 'self'; font-src 'self' data:; object-src 'none'; frame-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'self'";

namespace {

constexpr int kMaxRedirectHops = 16;

// Finds `needle` (lower-case ASCII) in `s` ignoring ASCII case, from `from`.
size_t FindNoCase(std::string_view s, std::string_view needle, size_t from = 0) {
  if (needle.empty() || s.size() < needle.size()) return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= s.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && (s[i + k] | 0x20) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

HttpResponse ErrorPage(const StaticFiles& files, int status, std::string_view message) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = RenderErrorPage(files, status, message);
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("Content-Security-Policy", kZimContentPolicy);
  return r;
}

HttpResponse Redirect(const std::string& location) {
  HttpResponse r;
  r.status = 302;
  r.content_type = "text/plain; charset=utf-8";
  r.body = "see " + location + "\n";
  r.SetHeader("Location", location);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

std::string FileStamp(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return "";
  return std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

}  // namespace

std::string DecorateZimPage(std::string_view html, std::string_view archive_title, std::string_view version) {
  std::string head_extra;
  const size_t head_end = FindNoCase(html, "</head");
  const std::string_view head = html.substr(0, head_end == std::string_view::npos ? 0 : head_end);
  if (FindNoCase(head, "viewport") == std::string_view::npos) {
    head_extra += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  }
  head_extra += "<link rel=\"stylesheet\" href=\"/zim.css?v=" + HtmlEscape(version) + "\">";
  std::string bar =
      "<div class=\"rasai-zim-bar\" dir=\"rtl\" lang=\"ur\"><a class=\"rasai-zim-home\" href=\"/\">رسائی</a>"
      "<form class=\"rasai-zim-search\" action=\"/search\" method=\"get\" role=\"search\">"
      "<input type=\"search\" name=\"q\" dir=\"auto\" placeholder=\"تلاش\" aria-label=\"تلاش\">"
      "<button type=\"submit\">تلاش</button></form>"
      "<span class=\"rasai-zim-archive\" dir=\"auto\">" +
      HtmlEscape(archive_title) + "</span></div>";

  std::string out;
  out.reserve(html.size() + head_extra.size() + bar.size());
  size_t body = FindNoCase(html, "<body");
  while (body != std::string_view::npos && body + 5 < html.size() && html[body + 5] != '>' && html[body + 5] != ' ' &&
         html[body + 5] != '\t' && html[body + 5] != '\n' && html[body + 5] != '\r') {
    body = FindNoCase(html, "<body", body + 5);
  }
  const size_t body_open_end = body == std::string_view::npos ? std::string_view::npos : html.find('>', body);
  if (head_end != std::string_view::npos && (body == std::string_view::npos || head_end < body)) {
    out.append(html.substr(0, head_end));
    out += head_extra;
    head_extra.clear();
    html.remove_prefix(head_end);
    if (body_open_end != std::string_view::npos) {
      const size_t at = body_open_end + 1 - head_end;
      out.append(html.substr(0, at));
      out += bar;
      out.append(html.substr(at));
    } else {
      out += bar;
      out.append(html);
    }
    return out;
  }
  if (body_open_end != std::string_view::npos) {
    out.append(html.substr(0, body_open_end + 1));
    out += head_extra + bar;
    out.append(html.substr(body_open_end + 1));
    return out;
  }
  out += head_extra + bar;
  out.append(html);
  return out;
}

ZimShelf::ZimShelf(std::string index_dir) : index_dir_(std::move(index_dir)), shelf_(std::make_shared<Shelf>()) {}
ZimShelf::~ZimShelf() = default;

std::shared_ptr<const ZimShelf::Shelf> ZimShelf::Current() {
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (now - checked_ < std::chrono::seconds(1) && checked_.time_since_epoch().count() != 0) return shelf_;
  checked_ = now;
  const std::string stamp = FileStamp(index_dir_ + "/" + ZimCatalog::kFileName);
  if (stamp == catalog_stamp_) return shelf_;
  auto catalog = ZimCatalog::Load(index_dir_);
  if (!catalog.ok()) return shelf_;  // a catalog being replaced: keep serving the last one
  auto next = std::make_shared<Shelf>();
  for (const ZimRecord& r : catalog->records()) {
    auto old = shelf_->find(r.info.name);
    if (old != shelf_->end() && old->second->archive && old->second->record.info.path == r.info.path &&
        old->second->record.info.uuid == r.info.uuid) {
      (*next)[r.info.name] = old->second;  // unchanged: keep it open
      continue;
    }
    auto open = std::make_shared<Open>();
    open->record = r;
    // Where it was indexed from, else in the index folder or its folder of uploaded archives (an
    // index folder carried to another place with its archives).
    const std::string file = std::filesystem::path(r.info.path).filename().string();
    const std::string moved = index_dir_ + "/" + file, uploaded = UploadedArchiveFolder(index_dir_) + "/" + file;
    ZimOpenOptions options;
    options.verify_checksum = false;  // verified when indexed; a large archive takes minutes to read
    for (const std::string& path : {r.info.path, moved, uploaded}) {
      auto a = ZimArchive::Open(path, options);
      if (a.ok()) {
        open->archive = std::move(*a);
        open->problem.clear();
        break;
      }
      if (open->problem.empty()) open->problem = a.status().message();
    }
    (*next)[r.info.name] = std::move(open);
  }
  shelf_ = std::move(next);
  catalog_stamp_ = stamp;
  return shelf_;
}

HttpResponse ZimShelf::Serve(std::string_view rest, const StaticFiles& files) {
  const size_t slash = rest.find('/');
  const std::string_view name = rest.substr(0, slash);
  const std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  const auto shelf = Current();
  auto it = shelf->find(name);
  if (name.empty() || it == shelf->end()) {
    return ErrorPage(files, 404, "اس نام کا کوئی آرکائیو یہاں نہیں۔ No archive of this name is served here.");
  }
  const Open& open = *it->second;
  if (!open.archive) {
    return ErrorPage(files, 404, "آرکائیو کی فائل کھل نہیں سکی۔ The archive's file cannot be opened: " + open.problem);
  }
  const zim::Archive& a = open.archive->archive();
  const std::string archive_name(name);
  try {
    // The archive's root is its main page; a redirect entry, its target (both by a 302, so
    // that the page's relative links resolve from the page's own path).
    zim::Entry entry = path.empty() ? a.getMainEntry() : a.getEntryByPath(std::string(path));
    int hops = 0;
    while (entry.isRedirect()) {
      if (++hops > kMaxRedirectHops) return ErrorPage(files, 404, "یہ ربط کہیں نہیں پہنچتا۔ This redirect leads nowhere.");
      entry = entry.getRedirectEntry();
    }
    if (path.empty() || hops > 0) return Redirect(ZimUrl(archive_name, entry.getPath()));
    const zim::Item item = entry.getItem();
    if (item.getSize() > kMaxEntryBytes) {
      return ErrorPage(files, 413, "یہ فائل بہت بڑی ہے۔ This entry is too large to be served.");
    }
    const zim::Blob blob = item.getData();
    HttpResponse r;
    r.content_type = item.getMimetype();
    if (r.content_type.empty() || r.content_type.find_first_of("\r\n") != std::string::npos) {
      r.content_type = "application/octet-stream";
    }
    // No ETag: the server caches the gzip form of every response that has one.
    if (r.content_type.starts_with("text/html")) {
      const ZimInfo& info = open.record.info;
      r.body = DecorateZimPage(std::string_view(blob.data(), blob.size()), info.title.empty() ? info.name : info.title,
                               files.version());
      if (r.content_type.find("charset") == std::string::npos) r.content_type += "; charset=utf-8";
      r.SetHeader("Cache-Control", "public, max-age=300");
    } else {
      r.body.assign(blob.data(), blob.size());
      r.SetHeader("Cache-Control", "public, max-age=86400");
    }
    r.SetHeader("Content-Security-Policy", kZimContentPolicy);
    return r;
  } catch (const zim::EntryNotFound&) {
    return ErrorPage(files, 404, "یہ صفحہ اس آرکائیو میں نہیں۔ This page is not in the archive.");
  } catch (const std::exception&) {
    return ErrorPage(files, 500, "یہ صفحہ آرکائیو سے پڑھا نہ جا سکا۔ This page could not be read from the archive.");
  }
}

}  // namespace rasai::server
