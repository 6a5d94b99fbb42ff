#include "engines.h"

#include <sqlite3.h>
#include <xapian.h>

#include <stdexcept>

#if RASAI_BENCH_HAVE_RASAI
#include "rasai/document.h"
#include "rasai/index.h"
#include "rasai/ingest.h"
#include "rasai/search.h"
#endif

namespace rasai_bench {
namespace {

// ---------------------------------------------------------------------------------------------
// Xapian, configured the way its documentation's examples and Kiwix use it: a TermGenerator
// with positions (index_text), the title indexed both with an "S" prefix and unprefixed, a term
// position gap, then the body; the JSON of the document as its data, the id in value slot 0 and
// as a unique "Q" term (replace_document). English: Stem("english") with the default STEM_SOME
// strategy at index and query time. Urdu: no stemmer (Xapian has none for Urdu).
// Queries: QueryParser with its default flags; default operator OR ("xapian") or AND
// ("xapian-and", as Kiwix sets it). Ranking: the default BM25Weight.
class XapianEngine : public Engine {
 public:
  XapianEngine(const std::string& language, std::string dir) : Engine(std::move(dir)), english_(language == "en") {}
  std::string name() const override { return "xapian"; }
  std::vector<std::string> variants() const override { return {"xapian", "xapian-and"}; }
  std::string config() const override {
    return std::string("Xapian ") + Xapian::version_string() +
           ": TermGenerator with positions, title (+\"S\" prefix) and body, stemmer " +
           (english_ ? "\"english\" (STEM_SOME)" : "none") +
           "; QueryParser default flags, default op OR (xapian) / AND (xapian-and); BM25Weight defaults; "
           "each hit's id (value 0) and stored JSON (document data) read";
  }
  void Build(const std::vector<BenchDoc>& docs) override {
    Xapian::WritableDatabase db(dir_, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator tg;
    if (english_) tg.set_stemmer(Xapian::Stem("english"));
    for (const BenchDoc& d : docs) {
      Xapian::Document xd;
      tg.set_document(xd);
      tg.index_text(d.title, 1, "S");
      tg.index_text(d.title);
      tg.increase_termpos();
      tg.index_text(d.body);
      xd.set_data(d.ToJson());
      xd.add_value(0, d.id);
      std::string idterm = "Q" + d.id;
      xd.add_boolean_term(idterm);
      db.replace_document(idterm, xd);
    }
    db.commit();
    db.close();
  }
  void OpenForSearch() override {
    db_ = Xapian::Database(dir_);
    for (int i = 0; i < 2; ++i) {
      parsers_[i] = Xapian::QueryParser();
      parsers_[i].set_database(db_);
      if (english_) {
        parsers_[i].set_stemmer(Xapian::Stem("english"));
        parsers_[i].set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
      }
      parsers_[i].set_default_op(i == 0 ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
    }
  }
  std::vector<std::string> Search(size_t variant, const std::string& query, size_t n) override {
    Xapian::QueryParser& qp = parsers_[variant == 0 ? 0 : 1];
    Xapian::Query q;
    try {
      q = qp.parse_query(query);
    } catch (const Xapian::QueryParserError&) {
      q = qp.parse_query(query, 0);  // what an application does on a syntax error: plain words
    }
    Xapian::Enquire enquire(db_);
    enquire.set_query(q);
    Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(n));
    std::vector<std::string> ids;
    ids.reserve(mset.size());
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      Xapian::Document doc = it.get_document();
      ids.push_back(doc.get_value(0));
      fetched_bytes_ += doc.get_data().size();  // the stored JSON, as a results page reads it
    }
    return ids;
  }

 private:
  bool english_;
  uint64_t fetched_bytes_ = 0;
  Xapian::Database db_;
  Xapian::QueryParser parsers_[2];
};

// ---------------------------------------------------------------------------------------------
// SQLite FTS5 as an application typically uses it: one table (id UNINDEXED, title, body,
// meta UNINDEXED) filled in one transaction; tokenize 'unicode61 remove_diacritics 2' (Urdu) or
// 'porter unicode61' (English); queries as the visitor's whitespace-separated words, each quoted
// (so punctuation is never FTS5 syntax), joined by spaces (implicit AND, the FTS5 default: "fts5")
// or by OR ("fts5-or"); ORDER BY rank (bm25() with default column weights); LIMIT n.
class Fts5Engine : public Engine {
 public:
  Fts5Engine(const std::string& language, std::string dir) : Engine(std::move(dir)), english_(language == "en") {}
  ~Fts5Engine() override { Close(); }
  std::string name() const override { return "fts5"; }
  std::vector<std::string> variants() const override { return {"fts5", "fts5-or"}; }
  std::string tokenizer() const { return english_ ? "porter unicode61" : "unicode61 remove_diacritics 2"; }
  std::string config() const override {
    return std::string("SQLite ") + sqlite3_libversion() + " FTS5: tokenize='" + tokenizer() +
           "', columns id UNINDEXED, title, body, meta UNINDEXED; words quoted, implicit AND (fts5) / OR "
           "(fts5-or); ORDER BY rank (bm25, default weights); SELECT id, title, meta";
  }
  void Build(const std::vector<BenchDoc>& docs) override {
    Close();
    Check(sqlite3_open(path().c_str(), &db_), "open");
    Exec("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, meta UNINDEXED, tokenize='" +
         tokenizer() + "')");
    Exec("BEGIN");
    sqlite3_stmt* ins = nullptr;
    Check(sqlite3_prepare_v2(db_, "INSERT INTO docs(id, title, body, meta) VALUES(?1, ?2, ?3, ?4)", -1, &ins, nullptr),
          "prepare insert");
    for (const BenchDoc& d : docs) {
      std::string meta = d.MetaJson();
      sqlite3_bind_text(ins, 1, d.id.data(), static_cast<int>(d.id.size()), SQLITE_STATIC);
      sqlite3_bind_text(ins, 2, d.title.data(), static_cast<int>(d.title.size()), SQLITE_STATIC);
      sqlite3_bind_text(ins, 3, d.body.data(), static_cast<int>(d.body.size()), SQLITE_STATIC);
      sqlite3_bind_text(ins, 4, meta.data(), static_cast<int>(meta.size()), SQLITE_TRANSIENT);
      if (sqlite3_step(ins) != SQLITE_DONE) {
        std::string msg = sqlite3_errmsg(db_);
        sqlite3_finalize(ins);
        throw std::runtime_error("fts5 insert: " + msg);
      }
      sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    Exec("COMMIT");
    Close();
  }
  void OpenForSearch() override {
    Close();
    Check(sqlite3_open_v2(path().c_str(), &db_, SQLITE_OPEN_READONLY, nullptr), "open read-only");
    Check(sqlite3_prepare_v2(db_, "SELECT id, title, meta FROM docs WHERE docs MATCH ?1 ORDER BY rank LIMIT ?2", -1, &select_,
                             nullptr),
          "prepare select");
  }
  std::vector<std::string> Search(size_t variant, const std::string& query, size_t n) override {
    std::string match;
    size_t i = 0;
    while (i < query.size()) {
      while (i < query.size() && IsSpace(query[i])) ++i;
      size_t start = i;
      while (i < query.size() && !IsSpace(query[i])) ++i;
      if (i == start) break;
      if (!match.empty()) match += variant == 0 ? " " : " OR ";
      match += '"';
      for (size_t k = start; k < i; ++k) {
        if (query[k] == '"') match += '"';
        match += query[k];
      }
      match += '"';
    }
    std::vector<std::string> ids;
    if (match.empty()) return ids;
    sqlite3_bind_text(select_, 1, match.data(), static_cast<int>(match.size()), SQLITE_STATIC);
    sqlite3_bind_int(select_, 2, static_cast<int>(n));
    int rc;
    while ((rc = sqlite3_step(select_)) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(select_, 0);
      ids.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
      // The display fields a results page shows.
      fetched_bytes_ += static_cast<uint64_t>(sqlite3_column_bytes(select_, 1)) + sqlite3_column_bytes(select_, 2);
    }
    sqlite3_reset(select_);
    sqlite3_clear_bindings(select_);
    if (rc != SQLITE_DONE) ids.clear();  // a query FTS5 rejects finds nothing, as for its users
    return ids;
  }

 private:
  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  std::string path() const { return dir_ + "/fts5.db"; }
  void Check(int rc, const char* what) {
    if (rc != SQLITE_OK) throw std::runtime_error(std::string("sqlite ") + what + ": " + (db_ ? sqlite3_errmsg(db_) : "?"));
  }
  void Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error("sqlite: " + sql + ": " + msg);
    }
  }
  void Close() {
    if (select_) sqlite3_finalize(select_);
    select_ = nullptr;
    if (db_) sqlite3_close(db_);
    db_ = nullptr;
  }
  bool english_;
  uint64_t fetched_bytes_ = 0;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* select_ = nullptr;
};

#if RASAI_BENCH_HAVE_RASAI
// ---------------------------------------------------------------------------------------------
// Rasai through its public API, as `rasai index` feeds it: RepeatedOpenings learned over the
// collection (its passes are part of the build time) and each body's boilerplate opening
// stripped, then Index::Open with the schema {title, body}, Add every document, one Commit.
// Search: Index::OpenReadOnly, a Searcher over its snapshot, Search() with
// SearchRequest{query, n, snippets = false} and every other option at its default. The other
// engines get the bodies as they are, as their users would feed them.
class RasaiEngine : public Engine {
 public:
  RasaiEngine(const std::string& language, std::string dir) : Engine(std::move(dir)), language_(language) {}
  std::string name() const override { return "rasai"; }
  std::vector<std::string> variants() const override { return {"rasai"}; }
  std::string config() const override {
    return "Rasai: repeated openings stripped as by `rasai index` (RepeatedOpenings, default options), "
           "Index::Open(schema title,body, default IndexOptions), Add, one Commit; "
           "Searcher::Search(SearchRequest{query, n, snippets=false}), defaults otherwise (hits carry id, title "
           "and metadata)";
  }
  void Build(const std::vector<BenchDoc>& docs) override {
    rasai::IndexOptions options;
    options.schema.fields = {"title", "body"};
    rasai::RepeatedOpenings openings;
    while (openings.NeedsPass()) {
      for (const BenchDoc& d : docs) openings.Observe(ToRasaiDocument(d, language_));
      openings.EndPass();
    }
    auto index = rasai::Index::Open(dir_, options, /*create=*/true);
    if (!index.ok()) throw std::runtime_error("rasai open: " + index.status().ToString());
    for (const BenchDoc& d : docs) {
      rasai::Document doc = ToRasaiDocument(d, language_);
      openings.Strip(&doc);
      rasai::Status st = (*index)->Add(doc);
      if (!st.ok()) throw std::runtime_error("rasai add " + d.id + ": " + st.ToString());
    }
    rasai::Status st = (*index)->Commit();
    if (!st.ok()) throw std::runtime_error("rasai commit: " + st.ToString());
  }
  void OpenForSearch() override {
    searcher_.reset();
    auto index = rasai::Index::OpenReadOnly(dir_);
    if (!index.ok()) throw std::runtime_error("rasai open read-only: " + index.status().ToString());
    index_ = std::move(index.value());
    searcher_ = std::make_unique<rasai::Searcher>(index_->snapshot());
  }
  std::vector<std::string> Search(size_t, const std::string& query, size_t n) override {
    rasai::SearchRequest req;
    req.query = query;
    req.n = static_cast<uint32_t>(n);
    req.snippets = false;
    auto res = searcher_->Search(req);
    std::vector<std::string> ids;
    if (!res.ok()) return ids;
    for (const auto& h : res->hits) ids.push_back(h.id);
    return ids;
  }

 private:
  std::string language_;
  std::unique_ptr<rasai::Index> index_;
  std::unique_ptr<rasai::Searcher> searcher_;
};
#endif

}  // namespace

bool HaveRasai() { return RASAI_BENCH_HAVE_RASAI != 0; }

std::vector<std::string> AvailableEngines() {
  std::vector<std::string> e;
  if (HaveRasai()) e.push_back("rasai");
  e.push_back("xapian");
  e.push_back("fts5");
  return e;
}

std::unique_ptr<Engine> MakeEngine(const std::string& name, const std::string& language, const std::string& dir) {
#if RASAI_BENCH_HAVE_RASAI
  if (name == "rasai") return std::make_unique<RasaiEngine>(language, dir);
#endif
  if (name == "xapian") return std::make_unique<XapianEngine>(language, dir);
  if (name == "fts5") return std::make_unique<Fts5Engine>(language, dir);
  throw std::runtime_error("unknown or unavailable engine: " + name);
}

}  // namespace rasai_bench
