// SplitPath and IngestPath: walks files and folders, cuts them into units read by tasks, and (for
// IngestPath) runs the tasks in order and hands every document to the sink.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
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

bool IsDotJson(const fs::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".json";
}

void AddProblem(IngestUnit* u, uint64_t line, std::string reason, bool skipped = true) {
  u->stats.problems.push_back(IngestProblem{u->file, line, std::move(reason)});
  if (skipped) ++u->stats.skipped;
}

// A unit holding only a problem of the walk (a missing file, an unreadable folder).
IngestTask ProblemTask(std::string file, uint64_t line, std::string reason) {
  return [file = std::move(file), line, reason = std::move(reason)] {
    IngestUnit u;
    u.file = file;
    AddProblem(&u, line, reason);
    return u;
  };
}

bool ReadAll(const fs::path& path, std::string* out, IngestUnit* u) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    AddProblem(u, 0, std::string("cannot read: ") + std::strerror(errno));
    return false;
  }
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (!ec) out->reserve(static_cast<size_t>(size));
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) out->append(buf, static_cast<size_t>(in.gcount()));
  if (in.bad()) {
    AddProblem(u, 0, "read error");
    return false;
  }
  return true;
}

// The pages of a site mirror, judged in walk order (SiteMirror keeps what it has seen) while
// the tasks that parse them run at once: each page's task takes a ticket when it is emitted and
// waits for its turn after parsing. Tasks start in the order they were emitted (IngestTask's
// contract), so a task waits only for pages already being read.
class Mirror {
 public:
  uint64_t Ticket() { return tickets_++; }  // on the walk's thread
  // Admits the page holding `ticket` once every earlier ticket has been judged.
  std::string Admit(uint64_t ticket, std::string_view path, const ingest_internal::PageFacts& facts, Document* doc) {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return next_ == ticket; });
    std::string why = doc ? mirror_.Admit(path, facts, doc) : std::string();
    ++next_;
    cv_.notify_all();
    return why;
  }

 private:
  uint64_t tickets_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t next_ = 0;
  ingest_internal::SiteMirror mirror_;
};

// One text, Markdown or HTML file, read and parsed by the task. The HTML pages of a folder walk
// are a site's mirror: only its articles, each once (site_mirror.h), judged by `mirror` (which
// takes every ticket's turn, a page read or not).
IngestUnit ReadPage(const fs::path& path, const std::string& id, Kind kind, Mirror* mirror, uint64_t ticket) {
  IngestUnit u;
  u.file = path.string();
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  u.bytes = ec ? 0 : size;
  std::string content;
  bool broken = false;
  ingest_internal::HtmlNotes notes;
  ingest_internal::PageFacts facts;
  Document doc;
  bool ok = ReadAll(path, &content, &u);
  if (ok) {
    doc = kind == Kind::kHtml ? ingest_internal::HtmlDocument(id, content, &broken, &notes, nullptr, &facts)
                              : ingest_internal::TextDocument(id, content, kind == Kind::kMarkdown, &broken);
    if (notes.too_complex) {
      AddProblem(&u, 0, "HTML too complex to parse, even without its formatting elements");
      ok = false;
    } else if (Trim(doc.title).empty() && Trim(doc.body).empty()) {
      AddProblem(&u, 0, "no text");
      ok = false;
    }
  }
  if (mirror) {
    const std::string why = mirror->Admit(ticket, id, facts, ok ? &doc : nullptr);
    if (ok && !why.empty()) {
      AddProblem(&u, 0, "not an article: " + why);
      ok = false;
    }
  }
  if (!ok) return u;
  if (broken) AddProblem(&u, 0, "invalid UTF-8 (replaced)", /*skipped=*/false);
  if (notes.flattened) AddProblem(&u, 0, "elements nested more than 512 deep (the deeper ones flattened)", /*skipped=*/false);
  if (notes.unformatted)
    AddProblem(&u, 0,
               "HTML too complex to parse as it is (unclosed formatting elements): read without its <a>, <b>, <font>, … tags",
               /*skipped=*/false);
  u.docs.push_back(std::move(doc));
  u.lines.push_back(0);
  ++u.stats.documents;
  return u;
}

// Whole lines of JSONL in a buffer that keeps SIMDJSON_PADDING readable bytes after them.
struct LineChunk {
  static constexpr size_t kPadding = 64;
  std::unique_ptr<char[]> data;
  size_t size = 0;
  uint64_t first_line = 1;  // of data[0]
};

// The documents of a chunk of whole JSONL lines.
IngestUnit ReadLines(const std::string& file, const char* data, size_t size, uint64_t first_line, bool padded) {
  IngestUnit u;
  u.file = file;
  u.bytes = size;
  uint64_t lineno = first_line - 1;
  size_t pos = 0;
  while (pos < size) {
    const char* nl = static_cast<const char*>(std::memchr(data + pos, '\n', size - pos));
    const size_t end = nl ? static_cast<size_t>(nl - data) : size;
    std::string_view text(data + pos, end - pos);
    pos = end + 1;
    ++lineno;
    if (lineno == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (Trim(text).empty()) continue;
    bool repaired = false;
    Result<Document> doc(Status::InvalidArgument(""));
    if (auto fast = ingest_internal::FastJsonLine(text, padded)) {
      doc = std::move(*fast);
    } else {
      doc = ingest_internal::ReferenceJsonLine(text, &repaired);
    }
    if (!doc.ok()) {
      AddProblem(&u, lineno, doc.status().message());
      continue;
    }
    if (repaired) AddProblem(&u, lineno, "invalid UTF-8 (replaced)", /*skipped=*/false);
    u.docs.push_back(std::move(doc).value());
    u.lines.push_back(lineno);
    ++u.stats.documents;
  }
  return u;
}

// A chunk of a JSONL file read again: its bytes from the file (the page cache, after the first
// reading), then the lines. The file changed meanwhile: what it holds now.
IngestUnit ReadLinesAgain(const std::string& file, uint64_t offset, size_t size, uint64_t first_line) {
  std::unique_ptr<char[]> data(new char[size + LineChunk::kPadding]);
  std::memset(data.get() + size, 0, LineChunk::kPadding);
  size_t got = 0;
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    while (got < size) {
      const ssize_t n = ::pread(fd, data.get() + got, size - got, static_cast<off_t>(offset + got));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    ::close(fd);
  }
  if (got < size) {
    IngestUnit u;
    u.file = file;
    u.bytes = size;
    AddProblem(&u, first_line, "cannot read again: " + std::string(fd < 0 ? std::strerror(errno) : "the file is shorter"));
    return u;
  }
  return ReadLines(file, data.get(), size, first_line, /*padded=*/true);
}

class Walker {
 public:
  explicit Walker(const std::function<Status(IngestTask)>& emit) : emit_(emit) {}

  Status Root(const std::string& path) {
    std::error_code ec;
    const fs::path p(path);
    const fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      return emit_(ProblemTask(path, 0, "cannot read: " + (ec ? ec.message() : std::string("no such file or folder"))));
    }
    if (fs::is_directory(st)) {
      in_folder_ = true;
      return Folder(p, "");
    }
    const Kind kind = KindOf(p);
    if (kind == Kind::kNone) {
      return emit_(ProblemTask(
          path, 0, "unsupported file type (expected .jsonl, .json, .ndjson, .txt, .md, .markdown, .html, .htm)"));
    }
    return File(p, p.filename().generic_string(), kind);
  }

 private:
  // `rel` is the folder's path relative to the root ("" for the root itself).
  Status Folder(const fs::path& dir, const std::string& rel) {
    std::error_code ec;
    const fs::path canonical = fs::canonical(dir, ec);
    if (!ec && !visited_.insert(canonical.string()).second) return Status::OK();  // a symlink loop

    std::vector<fs::directory_entry> entries;
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) entries.push_back(*it);
    if (ec) return emit_(ProblemTask(dir.string(), 0, "cannot read folder: " + ec.message()));
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
    if (kind == Kind::kHtml && in_folder_) {
      const uint64_t ticket = mirror_->Ticket();
      return emit_([path, id, kind, mirror = mirror_, ticket] { return ReadPage(path, id, kind, mirror.get(), ticket); });
    }
    return emit_([path, id, kind] { return ReadPage(path, id, kind, nullptr, 0); });
  }

  // A .json file that is not JSON Lines: one object, or an array of objects, possibly spread
  // over many lines. Returns false (and reports nothing) when the file is not such a text.
  static bool WholeJson(const fs::path& path, bool quiet, IngestUnit* u) {
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
    u->bytes = content.size();
    if (quiet && (items->empty() || !ingest_internal::ParseJsonLine(items->front(), nullptr).ok())) return true;
    if (repaired) AddProblem(u, 0, "invalid UTF-8 (replaced)", /*skipped=*/false);
    for (size_t i = 0; i < items->size(); ++i) {
      Result<Document> doc = ingest_internal::ParseJsonLine((*items)[i], nullptr);
      (*items)[i].clear();
      if (!doc.ok()) {
        AddProblem(u, 0, "item " + std::to_string(i + 1) + ": " + doc.status().message());
        continue;
      }
      u->docs.push_back(std::move(doc).value());
      u->lines.push_back(0);
      ++u->stats.documents;
    }
    return true;
  }

  // A .json file whose first non-blank line is not a lone document: read as one JSON text when
  // it is one (*handled), or ignored when it is valid JSON but no document and `quiet`.
  // `first` is that line (its BOM removed).
  Status FirstJsonLine(const fs::path& path, std::string_view first, bool quiet, bool* handled) {
    *handled = false;
    auto whole = [&]() -> Status {
      auto u = std::make_shared<IngestUnit>();
      u->file = path.string();
      if (!WholeJson(path, quiet, u.get())) return Status::OK();
      *handled = true;
      return emit_([u] { return std::move(*u); });
    };
    if (Trim(first).starts_with('[')) {
      RASAI_RETURN_IF_ERROR(whole());
      if (*handled) return Status::OK();
    }
    Result<Document> doc = ingest_internal::ParseJsonLine(first, nullptr);
    if (!doc.ok() && Trim(first).starts_with('{')) {
      RASAI_RETURN_IF_ERROR(whole());
      if (*handled) return Status::OK();
    }
    // Valid JSON that is not a document (no id, not an object): not ours. Broken JSON is still
    // reported: it may well be a damaged news file.
    if (!doc.ok() && quiet && !doc.status().message().starts_with("malformed JSON")) *handled = true;
    return Status::OK();
  }

  // One JSON object per line, cut into chunks of whole lines (about kChunkBytes each, or one
  // longer line); only the chunks not yet read are in memory.
  Status Jsonl(const fs::path& path, bool dot_json, bool quiet_json) {
    constexpr size_t kChunkBytes = 1 << 20;
    const std::string file = path.string();
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return emit_(ProblemTask(file, 0, std::string("cannot read: ") + std::strerror(errno)));
    offset_ = 0;
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};

    std::string pending;  // bytes read, not yet in a chunk (the start of a line)
    uint64_t lineno = 1;  // of pending[0]
    bool eof = false, checked_start = false, first_seen = !dot_json;
    int read_errno = 0;
    std::vector<char> buf(kChunkBytes);
    while (!eof || !pending.empty()) {
      // Fill until a whole line is in `pending` (or the end of the file).
      size_t last_nl = pending.rfind('\n');
      while (!eof && (pending.size() < kChunkBytes || last_nl == std::string::npos)) {
        const ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          if (n < 0) read_errno = errno;
          eof = true;
          break;
        }
        const size_t before = pending.size();
        pending.append(buf.data(), static_cast<size_t>(n));
        const size_t nl = pending.rfind('\n');
        if (nl != std::string::npos && nl >= before) last_nl = nl;
      }
      if (!checked_start) {
        checked_start = true;
        if (pending.size() >= 2 && ((pending[0] == '\xFF' && pending[1] == '\xFE') ||
                                    (pending[0] == '\xFE' && pending[1] == '\xFF'))) {
          return emit_(ProblemTask(file, 0, "UTF-16 text: save the file as UTF-8"));
        }
      }
      if (pending.empty()) break;
      const size_t take = eof ? pending.size() : last_nl + 1;
      if (!first_seen) {
        // The first non-blank line, when it is whole in `take`.
        size_t pos = 0;
        while (pos < take) {
          size_t nl = pending.find('\n', pos);
          const size_t end = nl == std::string::npos || nl >= take ? take : nl;
          std::string_view line(pending.data() + pos, end - pos);
          if (pos == 0 && lineno == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
          pos = end + 1;
          if (Trim(line).empty()) continue;
          first_seen = true;
          bool handled = false;
          RASAI_RETURN_IF_ERROR(FirstJsonLine(path, line, quiet_json, &handled));
          if (handled) return Status::OK();
          break;
        }
      }
      auto chunk = std::make_shared<LineChunk>();
      chunk->data.reset(new char[take + LineChunk::kPadding]);
      std::memcpy(chunk->data.get(), pending.data(), take);
      std::memset(chunk->data.get() + take, 0, LineChunk::kPadding);
      chunk->size = take;
      chunk->first_line = lineno;
      lineno += static_cast<uint64_t>(std::count(pending.data(), pending.data() + take, '\n'));
      if (pending[take - 1] != '\n') ++lineno;  // the file's last line, without a newline
      pending.erase(0, take);
      const uint64_t offset = offset_;
      offset_ += take;
      RASAI_RETURN_IF_ERROR(emit_([file, chunk, offset] {
        IngestUnit u = ReadLines(file, chunk->data.get(), chunk->size, chunk->first_line, /*padded=*/true);
        u.again = [file, offset, size = chunk->size, first_line = chunk->first_line] {
          return ReadLinesAgain(file, offset, size, first_line);
        };
        return u;
      }));
    }
    if (read_errno != 0) {
      // The line after the last one read (a final line without a newline counts as read).
      return emit_(ProblemTask(file, lineno, "read error"));
    }
    return Status::OK();
  }

  const std::function<Status(IngestTask)>& emit_;
  std::set<std::string> visited_;
  bool in_folder_ = false;
  std::shared_ptr<Mirror> mirror_ = std::make_shared<Mirror>();
  uint64_t offset_ = 0;  // in the JSONL file being cut: where the next chunk starts
};

// Sizes of the files a walk of `p` reads.
uint64_t WalkBytes(const fs::path& p, std::set<std::string>* visited) {
  std::error_code ec;
  const fs::file_status st = fs::status(p, ec);
  if (ec) return 0;
  if (fs::is_regular_file(st)) {
    const auto size = fs::file_size(p, ec);
    return ec ? 0 : size;
  }
  if (!fs::is_directory(st)) return 0;
  const fs::path canonical = fs::canonical(p, ec);
  if (!ec && !visited->insert(canonical.string()).second) return 0;
  uint64_t total = 0;
  fs::directory_iterator it(p, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code tec;
    if (it->is_directory(tec)) {
      total += WalkBytes(it->path(), visited);
    } else if (it->is_regular_file(tec) && KindOf(it->path()) != Kind::kNone) {
      const auto size = it->file_size(tec);
      if (!tec) total += size;
    }
  }
  return total;
}

}  // namespace

Status SplitPath(const std::string& path, const std::function<Status(IngestTask)>& emit) {
  if (!emit) return Status::InvalidArgument("SplitPath: no emit");
  Walker walker(emit);
  return walker.Root(path);
}

Status SplitJsonlText(std::string_view text, const std::string& name, const std::function<Status(IngestTask)>& emit) {
  constexpr size_t kChunkBytes = 1 << 20;
  if (!emit) return Status::InvalidArgument("SplitJsonlText: no emit");
  if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF')))
    return emit(ProblemTask(name, 0, "UTF-16 text: save the file as UTF-8"));
  uint64_t lineno = 1;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = std::min(text.size(), pos + kChunkBytes);
    if (end < text.size()) {
      const size_t nl = text.find('\n', end - 1);
      end = nl == std::string_view::npos ? text.size() : nl + 1;
    }
    const std::string_view piece = text.substr(pos, end - pos);
    const uint64_t first = lineno;
    lineno += static_cast<uint64_t>(std::count(piece.begin(), piece.end(), '\n'));
    pos = end;
    auto read = [name, piece, first] { return ReadLines(name, piece.data(), piece.size(), first, false); };
    RASAI_RETURN_IF_ERROR(emit([read] {
      IngestUnit u = read();
      u.again = read;
      return u;
    }));
  }
  return Status::OK();
}

uint64_t InputBytes(const std::string& path) {
  std::set<std::string> visited;
  return WalkBytes(fs::path(path), &visited);
}

Status IngestPath(const std::string& path, const DocumentSink& sink, IngestStats* stats) {
  IngestStats local;
  if (!stats) stats = &local;
  if (!sink) return Status::InvalidArgument("IngestPath: no sink");
  return SplitPath(path, [&](IngestTask task) -> Status {
    IngestUnit u = task();
    stats->skipped += u.stats.skipped;
    for (auto& p : u.stats.problems) stats->problems.push_back(std::move(p));
    for (Document& doc : u.docs) {
      RASAI_RETURN_IF_ERROR(sink(std::move(doc)));
      ++stats->documents;
    }
    return Status::OK();
  });
}

}  // namespace rasai
