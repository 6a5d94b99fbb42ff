// ZIM archives (Kiwix, openZIM) read through libzim: what `rasai index` makes of an archive,
// what `rasai serve` shows from it, and the record of the archives an index holds.
//
//   ZimArchive::Open(path)        verifies the file (header, checksum) and reads its metadata
//   ZimDocuments(archive)         one Document per article; Read(begin, end) of document ranges
//   ZimCatalog::Load(index_dir)   the archives whose documents an index holds (zim-archives.json)
//
// Documents: id "<archive name>/<entry path>", title = the entry's title, body = the article's
// text (ZimArticleText), summary = the titles of the redirects to it (other names that find
// it), lang from the archive's Language metadata (ISO 639-3 -> BCP 47), source = the archive's
// name, url = ZimUrl(name, path), the address where `rasai serve` shows the article. An article
// is what libzim counts as one (front articles; entries of namespace A in old archives);
// redirects are not documents.
//
// Thread-safety: a ZimArchive and a ZimDocuments are immutable after construction; their const
// methods may be called from any number of threads at once (libzim's Archive is thread-safe),
// e.g. Read() of disjoint ranges on each core. ZimCatalog is a plain value.
#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rasai/document.h"
#include "rasai/ingest.h"
#include "rasai/status.h"

namespace zim {
class Archive;
}

namespace rasai {

// What an archive says about itself (its metadata) and where it is.
struct ZimInfo {
  std::string name;         // ZimArchiveName(path): ids, urls and `source` use it
  std::string path;         // absolute path as libzim opens it ("x.zim" for split "x.zimaa"...)
  std::string uuid;         // 32 hex digits
  uint64_t size = 0;        // bytes, all parts together
  bool split = false;       // stored as x.zimaa, x.zimab, ...
  std::string title, description, language, creator, publisher, date, flavour, zim_name;
  std::string lang;         // BCP 47 from `language` ("" when unknown or several)
  uint64_t article_count = 0;  // libzim's count of articles
  uint64_t entry_count = 0;
};

struct ZimOpenOptions {
  // Verify the archive's MD5 checksum (a full read of the file) and its directory (every entry in
  // range), and refuse it on a mismatch. The header and the tables' bounds are always checked.
  bool verify_checksum = true;
  // With verify_checksum: Open returns once the directory is checked and libzim has opened the
  // archive, the MD5 still being computed on a thread of its own; WaitChecksum() says whether
  // it matched. Until then the archive may be read (its directory is sound) but nothing read
  // from it may be kept: an archive whose checksum fails is refused.
  bool checksum_in_background = false;
};

// An open archive. Open refuses a file that is not a sound ZIM archive with InvalidArgument
// ("not a ZIM archive", "truncated: ...", "checksum mismatch: ...", ...), or Corruption when
// libzim cannot read it; the message never names the file (the caller does).
class ZimArchive {
 public:
  static Result<std::unique_ptr<ZimArchive>> Open(const std::string& path, ZimOpenOptions options = {});
  ~ZimArchive();
  ZimArchive(const ZimArchive&) = delete;
  ZimArchive& operator=(const ZimArchive&) = delete;

  const ZimInfo& info() const { return info_; }
  const zim::Archive& archive() const { return *archive_; }
  // The checksum's verdict (checksum_in_background): waits for it; OK when it matched or was not
  // asked for, else the reason to refuse the archive (as Open gives it). Not thread-safe: one
  // caller, before the archive is shared.
  Status WaitChecksum();

 private:
  ZimArchive() = default;
  ZimInfo info_;
  std::unique_ptr<zim::Archive> archive_;
  std::future<Status> checksum_;  // valid while the MD5 runs or its verdict is not taken
  Status checksum_status_;
  friend class ZimDocuments;
  // The redirects the directory check met, (entry, target) by entry, when it ran: the first
  // ZimDocuments::Create takes them instead of reading every entry again through libzim.
  mutable std::vector<std::pair<uint32_t, uint32_t>> redirects_;
  mutable bool has_redirects_ = false;
};

// The documents of one archive. Construction reads the archive's directory once (which entries
// are articles, which redirects lead to them: 8 bytes per redirect, 4 per article); the articles
// are numbered 0..size()-1 in the archive's storage order, so that a range of documents reads
// a run of compressed clusters once.
class ZimDocuments {
 public:
  // Corruption when libzim cannot read the archive's directory. `archive` must outlive it.
  static Result<std::unique_ptr<ZimDocuments>> Create(const ZimArchive& archive);
  uint64_t size() const { return order_.size(); }
  const ZimArchive& archive() const { return archive_; }
  // Redirects that lead to an article (their titles are its summary).
  uint64_t redirect_count() const { return redirects_.size(); }
  // Hands documents [begin, end) to `sink` in order. An article libzim cannot read is reported
  // in *stats (file, reason naming the entry) and skipped. Stops at the first non-OK status of
  // the sink and returns it. Thread-safe for disjoint (or even overlapping) ranges; each thread
  // passes its own *stats.
  Status Read(uint64_t begin, uint64_t end, const DocumentSink& sink, IngestStats* stats) const;
  // All the documents, made on `threads` threads (0: one per core) and handed to `sink` on the
  // caller's thread in the order Read gives them. Memory: 4 chunks of 64 documents per thread.
  Status ReadAll(int threads, const DocumentSink& sink, IngestStats* stats) const;
  // A document and its position: the number of its article in storage order (0..size()-1).
  using PositionedSink = std::function<Status(uint64_t position, Document&&)>;
  // ReadAll of the articles at `positions` (ascending; nullptr: every article), each document
  // handed with its position.
  Status ReadPositions(const std::vector<uint64_t>* positions, int threads, const PositionedSink& sink,
                       IngestStats* stats) const;
  // True when `path` is an article of this archive (a document Read would produce).
  bool IsArticle(std::string_view path) const;

 private:
  static constexpr uint64_t kChunk = 64;  // documents per task of ReadAll
  explicit ZimDocuments(const ZimArchive& archive) : archive_(archive) {}
  // The document of article entry `entry`; false (and a problem in *stats) when unreadable.
  bool Make(uint32_t entry, Document* doc, IngestStats* stats) const;
  bool IsArticleEntry(uint64_t i) const {
    return i / 64 < is_article_.size() && ((is_article_[i / 64] >> (i % 64)) & 1) != 0;
  }
  const ZimArchive& archive_;
  std::vector<uint32_t> order_;                          // article entries, storage order
  std::vector<uint64_t> is_article_;                     // bitmap over entry indexes
  std::vector<std::pair<uint32_t, uint32_t>> redirects_;  // (target article, redirect), sorted
};

// The boilerplate openings of an archive's pages (RepeatedOpenings: share buttons, a site's
// banner text), learned over the archive as one source and over each of its sections
// (ZimSection), because an archive may gather the pages of several sites or sections, each with
// an opening of its own that is too rare in the whole archive (20 documents and 1% of the
// group, as a source of JSONL). Each page is read once as it is indexed (Observe); Finish reads
// again only the pages whose first words at least min_docs pages share, as many times as the
// learner needs passes, and hands those whose opening is boilerplate to a sink without it (the
// caller replaces the documents handed before). Memory: about 48 bytes per article until Finish,
// which keeps the pages it reads again for its passes while they take at most 64 MiB.
// Thread-safety: one thread at a time; `docs` must outlive it.
class ZimOpenings {
 public:
  explicit ZimOpenings(const ZimDocuments& docs, RepeatedOpeningsOptions options = {});
  // The first pass: the document of the article at `position` (ReadPositions), before it is
  // indexed. Its fields are unchanged on return.
  void Observe(uint64_t position, Document* doc);
  // The later passes, then each document whose opening is boilerplate, without it, to `sink`.
  // Unreadable articles are reported in *stats as ReadPositions does (their first reading
  // reported them already, so the caller may pass a scratch IngestStats).
  Status Finish(int threads, const DocumentSink& sink, IngestStats* stats);
  // What was removed: one entry per opening; the source is the archive's name, or "<name>
  // (section <section>)" for an opening of one section.
  std::vector<RemovedOpening> Removed() const;
  uint64_t documents_cut() const { return cut_; }

 private:
  // Observes `doc` in the learner of `which` (0: the archive; 1: its section).
  uint64_t ObserveIn(int which, Document* doc);
  RepeatedOpenings::Cut FindIn(int which, Document* doc) const;
  std::string Group(int which, const Document& doc) const;
  const ZimDocuments& docs_;
  RepeatedOpeningsOptions options_;
  std::string prefix_;  // "<name>/", the start of every id
  RepeatedOpenings learners_[2];
  std::vector<std::pair<uint64_t, uint64_t>> keys_;  // (first-pass key, position)
  uint64_t cut_ = 0;
};

// The section of an article's path for ZimOpenings: its first segment when the path has a '/'
// ("sport/2019/x.html" -> "sport"; in old archives the namespace), else the name up to its first
// ASCII character that is not a letter ("bbc-0012.html" -> "bbc", "Ray_Charles" -> "Ray");
// "" when it starts with none.
std::string_view ZimSection(std::string_view path);

// Bounds the decompressed clusters libzim keeps per open archive to 4 (its default, 16, holds
// 16 clusters of a few MB each: 60 MB more at the peak of `rasai index` of a 72 MB archive),
// unless the environment sets ZIM_CLUSTERCACHE. libzim reads it when an archive is opened: call
// it once at the start of the program, before any thread (it sets an environment variable).
void LimitZimCaches();

// The archive's name: its file name without the extension and without a trailing Kiwix date
// ("wikipedia_en_ray_charles_maxi_2019-08.zim" -> "wikipedia_en_ray_charles_maxi"), so that a
// newer version of an archive has the same name and replaces it.
std::string ZimArchiveName(std::string_view path);
// The path libzim opens for `path`: "x.zim" for a split archive's first part "x.zimaa".
std::string ZimLogicalPath(std::string_view path);
// True for a file `rasai index` reads as a ZIM archive: *.zim, and *.zimaa (the first part of
// a split archive).
bool IsZimFileName(std::string_view file_name);
// "/zim/<name>/<path>" with every byte but unreserved ones and '/' in the path percent-encoded.
std::string ZimUrl(std::string_view name, std::string_view path);
// BCP 47 for a ZIM Language value ("urd" -> "ur", "eng" -> "en"); "" for none or several
// ("eng,fra") or "mul".
std::string ZimLanguageTag(std::string_view language);

// The text of an article page: the whole visible text of the page (parsed as every HTML page is,
// with no main-content extraction: an archive's page is the article), without what a Wikipedia
// page (mwoffliner, Kiwix) carries around the article: navigation boxes, reference lists and
// the [1] marks that point to them, edit links, tables of contents, maintenance banners,
// hatnotes, links out of the archive and what <!--htdig_noindex--> marks. A first heading
// repeating the title is dropped (the title is its own field).
// Headings, captions, tables and infoboxes stay as text.
Document ZimArticleDocument(std::string_view id, std::string_view title, std::string_view html);
// The markup removed by ZimArticleDocument: `html` without the elements whose class names mark
// them as navigation or apparatus (the list in zim_article_text.cc). Linear time: the work spent
// matching end tags is bounded by a multiple of the page's size.
std::string WithoutWikiApparatus(std::string_view html);

// The archives whose documents an index holds: `zim-archives.json` in the index folder,
// written atomically. `rasai serve` opens them to show their pages.
struct ZimRecord {
  ZimInfo info;
  uint64_t documents = 0;   // documents indexed from it
  std::string indexed_at;   // UTC, ISO 8601
};

class ZimCatalog {
 public:
  static constexpr const char* kFileName = "zim-archives.json";
  // The catalog of the index in `dir`; empty when the file is absent. Corruption when it is
  // unreadable.
  static Result<ZimCatalog> Load(const std::string& dir);
  // Writes the catalog into `dir` durably (temporary file, fsync, rename, fsync of the folder).
  Status Save(const std::string& dir) const;

  const std::vector<ZimRecord>& records() const { return records_; }
  const ZimRecord* Find(std::string_view name) const;
  void Put(ZimRecord record);  // replaces a record of the same name
  bool Remove(std::string_view name);

 private:
  std::vector<ZimRecord> records_;  // by name
};

}  // namespace rasai
