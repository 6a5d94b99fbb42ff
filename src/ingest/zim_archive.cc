// ZimArchive and ZimDocuments: opening an archive through libzim and reading its articles.
//
// ZIM_PRIVATE makes libzim's Item::getClusterIndex visible (exported by libzim 8, declared only
// for its own use): the storage order of the articles is computed from it, not with libzim's
// efficient-order iteration, which allocates per entry from counts a malformed archive can make
// huge (found by zim_fuzz: 34 GB for a 17-entry archive).
#define ZIM_PRIVATE 1
#include <zim/archive.h>
#include <zim/entry.h>
#include <zim/error.h>
#include <zim/item.h>
#include <unicode/locid.h>

#include <stdlib.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ingest/ingest_internal.h"
#include "ingest/zim_internal.h"
#include "rasai/zim.h"
#include "util/text.h"
#include "util/utf8.h"

namespace rasai {
namespace {

// libzim prints an assertion message and a backtrace to std::cerr before it throws on some
// damaged archives; the exception says the same, and the operator gets it as one clear line.
// Only opening is silenced (the library layers write nothing else to std::cerr).
class QuietLibzim {
 public:
  QuietLibzim() : lock_(Mutex()), old_(std::cerr.rdbuf(sink_.rdbuf())) {}
  ~QuietLibzim() { std::cerr.rdbuf(old_); }

 private:
  static std::mutex& Mutex() {
    static std::mutex mu;
    return mu;
  }
  std::lock_guard<std::mutex> lock_;
  std::ostringstream sink_;
  std::streambuf* old_;
};

// The first line of an exception's message (libzim's can hold a listing of entries).
std::string Reason(const std::exception& e) {
  std::string_view w = e.what();
  while (!w.empty() && (w.front() == '\n' || w.front() == ' ')) w.remove_prefix(1);
  w = w.substr(0, w.find('\n'));
  if (w.size() > 200) w = w.substr(0, 200);
  return RepairUtf8(w);
}

// A metadata value as text: UTF-8 repaired, spaces collapsed, at most `limit` bytes (cut on a
// character).
std::string Metadata(const zim::Archive& a, const char* key, size_t limit = 1024) {
  std::string v;
  try {
    v = a.getMetadata(key);
  } catch (const std::exception&) {
    return "";
  }
  if (v.size() > limit) {
    size_t n = limit;
    while (n > 0 && (static_cast<unsigned char>(v[n]) & 0xC0) == 0x80) --n;
    v.resize(n);
  }
  return ingest_internal::CollapseSpaces(RepairUtf8(v));
}

constexpr int kMaxRedirectHops = 16;  // redirect chains longer than this (or loops) lead nowhere
constexpr size_t kMaxOtherTitles = 256;  // redirect titles kept per article
constexpr size_t kMaxOtherTitleBytes = 16 << 10;

bool IsHtml(std::string_view mime) {
  return mime.starts_with("text/html") || mime.starts_with("application/xhtml");
}
bool IsPlainText(std::string_view mime) { return mime.starts_with("text/plain"); }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

// ----------------------------------------------------------------------------------- names

std::string ZimLogicalPath(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (file.size() > 6 && file.ends_with("aa") && EqualsIgnoreCaseAscii(file.substr(file.size() - 6, 4), ".zim")) {
    return std::string(path.substr(0, path.size() - 2));
  }
  return std::string(path);
}

bool IsZimFileName(std::string_view name) {
  const std::string lower = LowerAscii(name);
  return (lower.size() > 4 && lower.ends_with(".zim")) || (lower.size() > 6 && lower.ends_with(".zimaa"));
}

std::string ZimArchiveName(std::string_view path) {
  const std::string logical = ZimLogicalPath(path);
  std::string_view file = logical;
  if (const size_t slash = file.rfind('/'); slash != std::string_view::npos) file.remove_prefix(slash + 1);
  if (file.size() > 4 && EqualsIgnoreCaseAscii(file.substr(file.size() - 4), ".zim")) file.remove_suffix(4);
  // A trailing Kiwix date: _YYYY-MM or _YYYY-MM-DD.
  auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  for (size_t len : {size_t{11}, size_t{8}}) {
    if (file.size() <= len) continue;
    const std::string_view tail = file.substr(file.size() - len);
    const bool ok = tail[0] == '_' && digits(tail.substr(1, 4)) && tail[5] == '-' && digits(tail.substr(6, 2)) &&
                    (len == 8 || (tail[8] == '-' && digits(tail.substr(9, 2))));
    if (ok) {
      file.remove_suffix(len);
      break;
    }
  }
  return RepairUtf8(file);
}

std::string ZimUrl(std::string_view name, std::string_view path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out = "/zim/";
  auto encode = [&](std::string_view s, bool keep_slash) {
    for (unsigned char c : s) {
      const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                              c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/');
      if (unreserved) {
        out.push_back(static_cast<char>(c));
      } else {
        out.push_back('%');
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
      }
    }
  };
  encode(name, false);
  out.push_back('/');
  encode(path, true);
  return out;
}

std::string ZimLanguageTag(std::string_view language) {
  std::string code;
  for (char c : language) {
    if (c == ',' || c == ';') return "";  // several languages: detected per document
    if (IsAlpha(c)) code.push_back(static_cast<char>(c | 0x20));
  }
  if (code.size() < 2 || code.size() > 3 || code == "mul" || code == "und" || code == "mis" || code == "zxx") return "";
  icu::Locale locale = icu::Locale::createCanonical(code.c_str());
  if (locale.isBogus()) return code;
  const std::string lang = locale.getLanguage();
  return lang.empty() ? code : lang;
}

// ----------------------------------------------------------------------------------- ZimArchive

void LimitZimCaches() { ::setenv("ZIM_CLUSTERCACHE", "4", 0); }


ZimArchive::~ZimArchive() = default;

Status ZimArchive::WaitChecksum() {
  if (checksum_.valid()) checksum_status_ = checksum_.get();
  return checksum_status_;
}

Result<std::unique_ptr<ZimArchive>> ZimArchive::Open(const std::string& path, ZimOpenOptions options) {
  std::error_code ec;
  std::string logical = ZimLogicalPath(path);
  const std::filesystem::path abs = std::filesystem::absolute(logical, ec);
  if (!ec) logical = abs.lexically_normal().string();
  zim_internal::ZimFileFacts facts;
  RASAI_RETURN_IF_ERROR(zim_internal::ReadZimFacts(logical, &facts));

  std::unique_ptr<ZimArchive> out(new ZimArchive());
  if (options.verify_checksum) {
    // The MD5 (a full read) runs meanwhile on a thread of its own; its verdict comes first: a
    // damaged archive is refused for its checksum whatever else is found wrong in it.
    try {
      out->checksum_ = std::async(std::launch::async, [facts] { return zim_internal::VerifyZimChecksum(facts); });
    } catch (const std::system_error&) {  // no thread: computed here
      out->checksum_status_ = zim_internal::VerifyZimChecksum(facts);
      RASAI_RETURN_IF_ERROR(out->checksum_status_);
    }
  }
  // A problem found before the checksum's verdict is reported after it.
  auto refuse = [&out](Status problem) -> Status {
    Status checksum = out->WaitChecksum();
    return checksum.ok() ? problem : checksum;
  };
  if (options.verify_checksum) {
    if (Status dir = zim_internal::CheckZimDirectory(facts, &out->redirects_); !dir.ok()) return refuse(dir);
    out->has_redirects_ = true;
  }
  ZimInfo& info = out->info_;
  info.name = ZimArchiveName(logical);
  info.path = logical;
  info.size = facts.size;
  info.split = facts.split;
  static const char* kHex = "0123456789abcdef";
  for (unsigned char b : facts.header.uuid) {
    info.uuid.push_back(kHex[b >> 4]);
    info.uuid.push_back(kHex[b & 15]);
  }
  if (info.name.empty()) return refuse(Status::InvalidArgument("the file name gives the archive no name"));
  try {
    QuietLibzim quiet;
    out->archive_ = std::make_unique<zim::Archive>(logical);
    const zim::Archive& a = *out->archive_;
    info.title = Metadata(a, "Title");
    info.description = Metadata(a, "Description", 4096);
    info.language = Metadata(a, "Language");
    info.creator = Metadata(a, "Creator");
    info.publisher = Metadata(a, "Publisher");
    info.date = Metadata(a, "Date", 64);
    info.flavour = Metadata(a, "Flavour");
    info.zim_name = Metadata(a, "Name");
    info.lang = ZimLanguageTag(info.language);
    info.article_count = a.getArticleCount();
    info.entry_count = a.getEntryCount();
  } catch (const std::exception& e) {
    return refuse(Status::Corruption("libzim cannot read it: " + Reason(e)));
  }
  if (!options.checksum_in_background) RASAI_RETURN_IF_ERROR(out->WaitChecksum());
  return out;
}

// ----------------------------------------------------------------------------------- ZimDocuments

Result<std::unique_ptr<ZimDocuments>> ZimDocuments::Create(const ZimArchive& archive) {
  std::unique_ptr<ZimDocuments> d(new ZimDocuments(archive));
  const zim::Archive& a = archive.archive();
  // The redirects, (entry, target) by entry: those the archive's directory check met, taken
  // once (then libzim reads the articles' entries only), else read through libzim below.
  std::vector<std::pair<uint32_t, uint32_t>> table;
  const bool have_table = archive.has_redirects_;
  if (have_table) {
    table.swap(archive.redirects_);
    archive.has_redirects_ = false;
  }
  try {
    const uint64_t n = a.getAllEntryCount();
    d->is_article_.assign((n + 63) / 64, 0);
    // Storage order (by cluster), and the redirects that end at an article.
    std::vector<std::pair<uint32_t, uint32_t>> by_cluster;  // (cluster, article entry)
    // Articles as libzim counts them: the article listing (front articles; namespace A in old
    // archives), less the redirects it may hold.
    for (const zim::Entry& e : a.iterByTitle()) {
      if (e.isRedirect()) continue;
      const uint32_t i = e.getIndex();
      if (i >= n || d->IsArticleEntry(i)) continue;
      d->is_article_[i >> 6] |= uint64_t{1} << (i & 63);
      by_cluster.emplace_back(static_cast<uint32_t>(e.getItem().getClusterIndex()), i);
    }
    if (!have_table) {  // the directory was not checked (ZimOpenOptions::verify_checksum off)
      for (const zim::Entry& e : a.iterByPath())
        if (e.isRedirect()) table.emplace_back(e.getIndex(), static_cast<uint32_t>(e.getRedirectEntryIndex()));
      std::sort(table.begin(), table.end());
    }
    auto target_of = [&table](uint32_t entry) -> const uint32_t* {  // nullptr: not a redirect
      auto it = std::lower_bound(table.begin(), table.end(), std::make_pair(entry, uint32_t{0}));
      return it != table.end() && it->first == entry ? &it->second : nullptr;
    };
    // The entries iterByPath gives: the user's (namespace C in archives of the new scheme),
    // consecutive from the first one's index.
    const uint64_t users = a.getEntryCount();
    const uint64_t first_user = users == 0 ? 0 : (*a.iterByPath().begin()).getIndex();
    for (const auto& [entry, first] : table) {
      if (entry < first_user || entry - first_user >= users) continue;
      uint32_t target = first;
      int hops = 1;
      for (const uint32_t* next; (next = target_of(target)) != nullptr && hops++ < kMaxRedirectHops;) target = *next;
      if (target_of(target) != nullptr) continue;  // a loop or a chain too long
      if (d->IsArticleEntry(target)) d->redirects_.emplace_back(target, entry);
    }
    std::sort(by_cluster.begin(), by_cluster.end());
    d->order_.reserve(by_cluster.size());
    for (const auto& [cluster, entry] : by_cluster) d->order_.push_back(entry);
  } catch (const std::exception& e) {
    return Status::Corruption("libzim cannot read its list of entries: " + Reason(e));
  }
  std::sort(d->redirects_.begin(), d->redirects_.end());
  d->redirects_.shrink_to_fit();
  d->order_.shrink_to_fit();
  return d;
}

bool ZimDocuments::IsArticle(std::string_view path) const {
  try {
    return IsArticleEntry(archive_.archive().getEntryByPath(std::string(path)).getIndex());
  } catch (const std::exception&) {
    return false;
  }
}

bool ZimDocuments::Make(uint32_t index, Document* doc, IngestStats* stats) const {
  const ZimInfo& info = archive_.info();
  std::string path;
  try {
    const zim::Archive& a = archive_.archive();
    const zim::Entry entry = a.getEntryByPath(index);
    path = RepairUtf8(entry.getPath());
    const std::string id = info.name + "/" + path;
    const std::string title = RepairUtf8(entry.getTitle());
    const zim::Item item = entry.getItem();
    const std::string mime = item.getMimetype();
    if (IsHtml(mime) || IsPlainText(mime)) {
      const zim::Blob blob = item.getData();
      const std::string_view content(blob.data(), blob.size());
      if (IsHtml(mime)) {
        *doc = ZimArticleDocument(id, title, content);
      } else {
        *doc = DocumentFromText(id, content, false);
        doc->title = ingest_internal::CollapseSpaces(title);
      }
    } else {
      // An article that is not text (a PDF, a video page): found by its title.
      *doc = Document();
      doc->id = id;
      doc->title = ingest_internal::CollapseSpaces(title);
    }
    // Other names: the titles of the redirects to it.
    auto [lo, hi] = std::equal_range(redirects_.begin(), redirects_.end(), std::make_pair(index, uint32_t{0}),
                                     [](const auto& x, const auto& y) { return x.first < y.first; });
    std::unordered_set<std::string> seen;
    if (lo != hi) seen.insert(LowerAscii(doc->title));
    std::string others;
    size_t kept = 0;
    for (auto it = lo; it != hi && kept < kMaxOtherTitles && others.size() < kMaxOtherTitleBytes; ++it) {
      std::string t = ingest_internal::CollapseSpaces(RepairUtf8(a.getEntryByPath(it->second).getTitle()));
      if (t.empty() || !seen.insert(LowerAscii(t)).second) continue;
      if (!others.empty()) others.push_back('\n');
      others += t;
      ++kept;
    }
    if (!others.empty()) doc->summary = doc->summary.empty() ? others : doc->summary + "\n" + others;
  } catch (const std::exception& e) {
    stats->problems.push_back(
        IngestProblem{info.path, 0, "entry " + (path.empty() ? "#" + std::to_string(index) : path) +
                                        ": unreadable (" + Reason(e) + ")"});
    ++stats->skipped;
    return false;
  }
  doc->lang = info.lang.empty() ? doc->lang : info.lang;
  doc->source = info.name;
  doc->url = ZimUrl(info.name, path);
  doc->category.clear();
  return true;
}

Status ZimDocuments::Read(uint64_t begin, uint64_t end, const DocumentSink& sink, IngestStats* stats) const {
  end = std::min<uint64_t>(end, order_.size());
  for (uint64_t i = begin; i < end; ++i) {
    Document doc;
    if (!Make(order_[i], &doc, stats)) continue;
    RASAI_RETURN_IF_ERROR(sink(std::move(doc)));
    ++stats->documents;
  }
  return Status::OK();
}

Status ZimDocuments::ReadAll(int threads, const DocumentSink& sink, IngestStats* stats) const {
  return ReadPositions(nullptr, threads, [&](uint64_t, Document&& doc) { return sink(std::move(doc)); }, stats);
}

Status ZimDocuments::ReadPositions(const std::vector<uint64_t>* positions, int threads, const PositionedSink& sink,
                                   IngestStats* stats) const {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const uint64_t n = positions ? positions->size() : order_.size();
  auto at = [&](uint64_t i) { return positions ? (*positions)[i] : i; };
  if (threads == 1 || n < 2 * kChunk) {
    for (uint64_t i = 0; i < n; ++i) {
      const uint64_t p = at(i);
      if (p >= order_.size()) continue;
      Document doc;
      if (!Make(order_[p], &doc, stats)) continue;
      RASAI_RETURN_IF_ERROR(sink(p, std::move(doc)));
      ++stats->documents;
    }
    return Status::OK();
  }
  // Chunks of kChunk documents, made by the workers, handed to the sink in order by this thread;
  // at most `window` chunks are made and not yet handed on (what bounds the memory).
  struct Chunk {
    std::vector<Document> docs;
    std::vector<uint64_t> positions;
    IngestStats stats;
    bool ready = false;
  };
  const uint64_t chunks = (n + kChunk - 1) / kChunk;
  const uint64_t window = 4 * static_cast<uint64_t>(threads);
  std::vector<Chunk> slots(window);
  std::mutex mu;
  std::condition_variable made, taken;
  uint64_t next = 0, consumed = 0;
  bool stop = false;
  auto work = [&] {
    for (;;) {
      uint64_t k;
      {
        std::unique_lock<std::mutex> l(mu);
        taken.wait(l, [&] { return stop || next >= chunks || next < consumed + window; });
        if (stop || next >= chunks) return;
        k = next++;
      }
      Chunk c;
      const uint64_t end = std::min(n, (k + 1) * kChunk);
      for (uint64_t i = k * kChunk; i < end; ++i) {
        const uint64_t p = at(i);
        if (p >= order_.size()) continue;
        Document doc;
        if (!Make(order_[p], &doc, &c.stats)) continue;
        c.docs.push_back(std::move(doc));
        c.positions.push_back(p);
      }
      std::lock_guard<std::mutex> l(mu);
      c.ready = true;
      slots[k % window] = std::move(c);
      made.notify_all();
    }
  };
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) workers.emplace_back(work);
  Status status;
  for (uint64_t k = 0; k < chunks && status.ok(); ++k) {
    Chunk c;
    {
      std::unique_lock<std::mutex> l(mu);
      made.wait(l, [&] { return slots[k % window].ready; });
      c = std::move(slots[k % window]);
      slots[k % window] = Chunk();
      ++consumed;
    }
    taken.notify_all();
    stats->skipped += c.stats.skipped;
    for (auto& p : c.stats.problems) stats->problems.push_back(std::move(p));
    for (size_t i = 0; i < c.docs.size(); ++i) {
      status = sink(c.positions[i], std::move(c.docs[i]));
      if (!status.ok()) break;
      ++stats->documents;
    }
  }
  {
    std::lock_guard<std::mutex> l(mu);
    stop = true;
  }
  taken.notify_all();
  for (auto& w : workers) w.join();
  return status;
}

}  // namespace rasai
