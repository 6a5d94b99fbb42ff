// IngestPath: walks files and folders and hands every document to the sink.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "ingest/ingest_internal.h"
#include "ingest/site_mirror.h"
#include "rasai/ingest.h"

namespace rasai {
namespace {

namespace fs = std::filesystem;
using ingest_internal::Trim;

enum class Kind { kNone, kJsonl, kText, kMarkdown, kHtml };

Kind KindOf(const fs::path& p) {
  std::string ext = p.extension().string();
  // A page wget saved with its query ("index.html?page=2", "news.php?id=12"): the name before it.
  if (const std::string name = p.filename().string(); name.find('?') != std::string::npos) {
    ext = fs::path(name.substr(0, name.find('?'))).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".php" || ext == ".asp" || ext == ".aspx" || ext == ".jsp") return Kind::kHtml;
  }
  for (char& c : ext) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (ext == ".jsonl" || ext == ".json" || ext == ".ndjson") return Kind::kJsonl;
  if (ext == ".txt" || ext == ".text") return Kind::kText;
  if (ext == ".md" || ext == ".markdown") return Kind::kMarkdown;
  if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return Kind::kHtml;
  return Kind::kNone;
}

class Walker {
 public:
  Walker(const DocumentSink& sink, IngestStats* stats) : sink_(sink), stats_(stats) {}

  Status Root(const std::string& path) {
    std::error_code ec;
    const fs::path p(path);
    const fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      Problem(path, 0, "cannot read: " + (ec ? ec.message() : std::string("no such file or folder")));
      return Status::OK();
    }
    if (fs::is_directory(st)) {
      in_folder_ = true;
      return Folder(p, "");
    }
    const Kind kind = KindOf(p);
    if (kind == Kind::kNone) {
      Problem(path, 0, "unsupported file type (expected .jsonl, .json, .ndjson, .txt, .md, .markdown, .html, .htm)");
      return Status::OK();
    }
    return File(p, p.filename().generic_string(), kind);
  }

 private:
  void Problem(const std::string& file, uint64_t line, std::string reason, bool skipped = true) {
    stats_->problems.push_back(IngestProblem{file, line, std::move(reason)});
    if (skipped) ++stats_->skipped;
  }

  Status Deliver(Document&& doc) {
    RASAI_RETURN_IF_ERROR(sink_(std::move(doc)));
    ++stats_->documents;
    return Status::OK();
  }

  // `rel` is the folder's path relative to the root ("" for the root itself).
  Status Folder(const fs::path& dir, const std::string& rel) {
    std::error_code ec;
    const fs::path canonical = fs::canonical(dir, ec);
    if (!ec && !visited_.insert(canonical.string()).second) return Status::OK();  // a symlink loop

    std::vector<fs::directory_entry> entries;
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) entries.push_back(*it);
    if (ec) {
      Problem(dir.string(), 0, "cannot read folder: " + ec.message());
      return Status::OK();
    }
    std::sort(entries.begin(), entries.end(), [](const fs::directory_entry& a, const fs::directory_entry& b) {
      return a.path().filename().string() < b.path().filename().string();
    });
    for (const auto& e : entries) {
      const std::string name = e.path().filename().string();
      if (name.empty() || name[0] == '.') continue;  // hidden files and folders
      const std::string child_rel = rel.empty() ? name : rel + "/" + name;
      std::error_code tec;
      if (e.is_directory(tec)) {
        RASAI_RETURN_IF_ERROR(Folder(e.path(), child_rel));
        continue;
      }
      if (!e.is_regular_file(tec)) continue;  // sockets, fifos, broken links
      const Kind kind = KindOf(e.path());
      if (kind == Kind::kNone) continue;  // other files are not ours: ignored silently
      RASAI_RETURN_IF_ERROR(File(e.path(), child_rel, kind));
    }
    return Status::OK();
  }

  Status File(const fs::path& path, const std::string& id, Kind kind) {
    // A .json file met in a folder walk may be anything (a site's manifest, a page's metadata):
    // when its first object is valid JSON but no document, it is ignored silently.
    if (kind == Kind::kJsonl) return Jsonl(path, IsDotJson(path), /*quiet_json=*/in_folder_ && IsDotJson(path));
    std::string content;
    if (!ReadAll(path, &content)) return Status::OK();
    const std::string file = path.string();
    bool broken = false;
    ingest_internal::HtmlNotes notes;
    ingest_internal::PageFacts facts;
    Document doc = kind == Kind::kHtml
                       ? ingest_internal::HtmlDocument(id, content, &broken, &notes, nullptr, &facts)
                       : ingest_internal::TextDocument(id, content, kind == Kind::kMarkdown, &broken);
    if (notes.too_complex) {
      Problem(file, 0, "HTML too complex to parse, even without its formatting elements");
      return Status::OK();
    }
    if (Trim(doc.title).empty() && Trim(doc.body).empty()) {
      Problem(file, 0, "no text");
      return Status::OK();
    }
    // The pages of a folder are a site's mirror: only its articles, each once (site_mirror.h).
    if (kind == Kind::kHtml && in_folder_) {
      const std::string why = mirror_.Admit(id, facts, &doc);
      if (!why.empty()) {
        Problem(file, 0, "not an article: " + why);
        return Status::OK();
      }
    }
    if (broken) Problem(file, 0, "invalid UTF-8 (replaced)", /*skipped=*/false);
    if (notes.flattened) Problem(file, 0, "elements nested more than 512 deep (the deeper ones flattened)", /*skipped=*/false);
    if (notes.unformatted)
      Problem(file, 0, "HTML too complex to parse as it is (unclosed formatting elements): read without its <a>, <b>, <font>, … tags",
              /*skipped=*/false);
    return Deliver(std::move(doc));
  }

  bool ReadAll(const fs::path& path, std::string* out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      Problem(path.string(), 0, std::string("cannot read: ") + std::strerror(errno));
      return false;
    }
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (!ec) out->reserve(static_cast<size_t>(size));
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) out->append(buf, static_cast<size_t>(in.gcount()));
    if (in.bad()) {
      Problem(path.string(), 0, "read error");
      return false;
    }
    return true;
  }

  static bool IsDotJson(const fs::path& path) {
    std::string ext = path.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".json";
  }

  // A .json file that is not JSON Lines: one object, or an array of objects, possibly spread
  // over many lines. Returns false (and reports nothing) when the file is not such a text.
  bool WholeJson(const fs::path& path, bool quiet, Status* status) {
    std::string content;
    {
      std::ifstream in(path, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      if (in.bad()) return false;
      content = std::move(ss).str();
    }
    bool repaired = false;
    auto items = ingest_internal::JsonItems(content, &repaired);
    if (!items.ok()) return false;
    const std::string file = path.string();
    if (quiet && (items->empty() || !ingest_internal::ParseJsonLine(items->front(), nullptr).ok())) return true;
    if (repaired) Problem(file, 0, "invalid UTF-8 (replaced)", /*skipped=*/false);
    for (size_t i = 0; i < items->size(); ++i) {
      Result<Document> doc = ingest_internal::ParseJsonLine((*items)[i], nullptr);
      (*items)[i].clear();
      if (!doc.ok()) {
        Problem(file, 0, "item " + std::to_string(i + 1) + ": " + doc.status().message());
        continue;
      }
      *status = Deliver(std::move(doc).value());
      if (!status->ok()) return true;
    }
    return true;
  }

  // One JSON object per line, streamed: only the current line is in memory. A .json file whose
  // first line is not a complete object, or that starts with '[', is read as one JSON text.
  Status Jsonl(const fs::path& path, bool dot_json, bool quiet_json) {
    const std::string file = path.string();
    std::vector<char> buffer(1 << 20);
    std::ifstream in;
    in.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    in.open(path, std::ios::binary);
    if (!in) {
      Problem(file, 0, std::string("cannot read: ") + std::strerror(errno));
      return Status::OK();
    }
    std::string line;
    uint64_t lineno = 0;
    if (in.peek() == 0xFF || in.peek() == 0xFE) {
      char bom[2] = {0, 0};
      in.read(bom, 2);
      if ((bom[0] == '\xFF' && bom[1] == '\xFE') || (bom[0] == '\xFE' && bom[1] == '\xFF')) {
        Problem(file, 0, "UTF-16 text: save the file as UTF-8");
        return Status::OK();
      }
      in.clear();
      in.seekg(0);
    }
    bool first = true;
    while (std::getline(in, line)) {
      ++lineno;
      std::string_view text = line;
      if (lineno == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
      if (Trim(text).empty()) continue;
      if (first && dot_json && Trim(text).starts_with('[')) {
        Status st;
        if (WholeJson(path, quiet_json, &st)) return st;
      }
      bool repaired = false;
      Result<Document> doc = ingest_internal::ParseJsonLine(text, &repaired);
      if (!doc.ok() && first && dot_json && Trim(text).starts_with('{')) {
        Status st;
        if (WholeJson(path, quiet_json, &st)) return st;
      }
      // Valid JSON that is not a document (no id, not an object): not ours. Broken JSON is still
      // reported: it may well be a damaged news file.
      if (!doc.ok() && first && quiet_json && !doc.status().message().starts_with("malformed JSON")) {
        return Status::OK();
      }
      first = false;
      if (!doc.ok()) {
        Problem(file, lineno, doc.status().message());
        continue;
      }
      if (repaired) Problem(file, lineno, "invalid UTF-8 (replaced)", /*skipped=*/false);
      RASAI_RETURN_IF_ERROR(Deliver(std::move(doc).value()));
    }
    if (in.bad()) Problem(file, lineno + 1, "read error");
    return Status::OK();
  }

  const DocumentSink& sink_;
  IngestStats* stats_;
  std::set<std::string> visited_;
  bool in_folder_ = false;
  ingest_internal::SiteMirror mirror_;
};

}  // namespace

Status IngestPath(const std::string& path, const DocumentSink& sink, IngestStats* stats) {
  IngestStats local;
  if (!stats) stats = &local;
  if (!sink) return Status::InvalidArgument("IngestPath: no sink");
  Walker walker(sink, stats);
  return walker.Root(path);
}

}  // namespace rasai
