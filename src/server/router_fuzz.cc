// libFuzzer target for the server's own request handling: Router::Handle (HttpRequest ->
// HttpResponse, no sockets) over a small real index. Not part of the normal build (the CMake
// globs skip *_fuzz.cc).
//
// The target builds the fixture at its first input: an index in a mkdtemp folder under /dev/shm
// (100 documents: Urdu and English words, dates, two sources, categories, articles of 60+ words
// for related articles, an edited copy, ids with '/', spaces, ".." and Urdu letters), and a
// Router over it with an operator token and a 64 KiB body limit (so that 413 is reachable).
// Per input:
//   byte 0   bits 0-3 the method (mostly GET; POST, DELETE, PUT, OPTIONS, lower-case, empty),
//            bits 4-5 the Authorization header (none, right token, wrong token, not Bearer),
//            bit 6 "If-None-Match: *", bit 7 a body padded past the body limit;
//   byte 1   a route the target starts with ("/api/search?q=", "/read/d", ..., or none);
//   then     the rest of the target up to the first '\n', where each byte 0x01-0x1f is
//            replaced by "?name=" or "&name=" for a query parameter the router reads (q, n,
//            offset, sort, from, year, page, ...); after the '\n', the body (JSONL for POST).
// It aborts when a response has a status the API does not document (a 500 is an internal error
// leaking out: never expected here), when JSON is not valid JSON starting with '{' or '[' (errors:
// {"error", "status"} with the right status), when text is not valid UTF-8, when server-rendered
// HTML holds a tag the pages never write or a tag with an odd number of '"' (unescaped input),
// when a body is larger than 1 MiB, when the index changed without the operator token, or when a
// request whose body Router::NeedsBody says is not needed is answered otherwise without it.
// After a POST that answered 200, the first documents it acknowledged are read back (reader
// page, /api/doc, related articles, a search for the title) under the same checks, and each must
// be found. Writes commit to the index, which grows: POSTs are skipped once it holds 3000
// documents, and fixture documents that a DELETE removed are put back (so a crash found after
// many writes may need the index folder, left in /dev/shm, to reproduce). The folder is removed
// at a normal exit. Hangs are libFuzzer's -timeout.
//
//   R=/work/main   # the repository
//   mkdir -p /tmp/rfz && cd /tmp/rfz
//   cmake -DSTATIC_DIR=$R/web/static -DOUT=/tmp/rfz/web_assets.cc -P $R/cmake/embed_files.cmake
//   clang++ -std=c++20 -O1 -g -Wall -Wextra -fsanitize=fuzzer,address,undefined \
//     -fno-sanitize-recover=undefined -I$R/include -I$R/src $R/src/server/router_fuzz.cc \
//     $(ls $R/src/{util,analysis,ingest,index,search,server}/*.cc | grep -v -e _test -e _fuzz -e /server.cc) \
//     /tmp/rfz/web_assets.cc $(pkg-config --cflags --libs icu-uc icu-i18n libzstd gumbo libzip) -lstemmer \
//     -o router_fuzz
//   mkdir -p corpus seed   # seed: optional hand-written inputs (a search, a POST, ...)
//   ./router_fuzz -max_total_time=900 -max_len=4096 -timeout=10 corpus seed
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "rasai/index.h"
#include "rasai/ingest.h"
#include "server/router.h"
#include "server/url.h"
#include "util/utf8.h"

namespace {

using rasai::server::HttpRequest;
using rasai::server::HttpResponse;

void Check(bool ok) {
  if (!ok) std::abort();
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

constexpr const char* kToken = "t0ken";
constexpr size_t kMaxBodyBytes = 64u << 10;
constexpr size_t kMaxResponseBytes = 1u << 20;
constexpr uint64_t kMaxDocsForWrites = 3000;

// Methods by bits 0-3 of byte 0: mostly GET (HEAD is GET for the router, so it is left out).
const char* const kMethods[16] = {"GET",  "GET",  "GET",    "GET",    "GET", "GET",     "GET", "GET",
                                  "POST", "POST", "DELETE", "DELETE", "PUT", "OPTIONS", "get", ""};
// Authorization header values by bits 4-5 of byte 0 (nullptr: no header).
const char* const kAuth[4] = {nullptr, "Bearer t0ken", "Bearer t0ke", "Basic dDBrZW4="};
// Targets start with one of these; "" leaves the whole target to the fuzzer.
const char* const kRoutes[] = {"/",           "/index.html",  "/search?q=",   "/search",     "/read/d",
                               "/read/",      "/api/search?q=", "/api/search", "/api/doc/d",  "/api/docs",
                               "/api/docs/d", "/api/related/d", "/api/suggest?q=", "/healthz", "/api/health",
                               "/metrics",    "/app.js",      "/app.css",     "/style.css",  "/favicon.svg",
                               "/fonts/x.woff2", "/fonts/",   "/_error.html", "/api/",       "/operator",
                               "/operator/login", "/operator/usage", "/api/stats", "/api/sources/", "/api/jobs/",
                               "/api/uploads?name=", "/api/sources", ""};
// Query parameters the router reads (and some it does not), for the bytes 0x01-0x1f of a target.
const char* const kParams[] = {"q",    "n",    "offset", "sort", "lang", "source", "category", "from",
                               "to",   "year", "page",   "facets", "snippets", "v", "date", "q"};

// Tags that the server-rendered pages (templates and page.cc) write. Anything else after a '<'
// in such a page is markup that came from the request or the index unescaped.
const char* const kTags[] = {"!doctype", "html", "head", "meta", "title", "link", "body", "header", "a",
                             "span", "form", "div", "input", "button", "ul", "ol", "li", "main", "footer",
                             "script", "p", "nav", "h1", "h2", "h3", "time", "mark", "article", "aside",
                             "details", "summary", "label", "select", "option", "section", "table", "thead",
                             "tbody", "tr", "th", "td", "dl", "dt", "dd", "bdi", "noscript", "progress", "code"};

// True when every tag in `html` is a known one and holds an even number of '"'.
bool TagsAreOurs(std::string_view html) {
  for (size_t lt = html.find('<'); lt != std::string_view::npos; lt = html.find('<', lt + 1)) {
    size_t i = lt + 1;
    if (i < html.size() && html[i] == '/') ++i;
    size_t end = i;
    while (end < html.size() && (std::isalnum(static_cast<unsigned char>(html[end])) || html[end] == '!')) ++end;
    const std::string_view name = html.substr(i, end - i);
    if (name.empty()) return false;  // "<" alone, "< ", "<?": escaped text never has it either
    bool known = false;
    for (const char* t : kTags) known = known || name == t;
    if (!known) return false;
    const size_t gt = html.find('>', end);
    if (gt == std::string_view::npos) return false;
    size_t quotes = 0;
    for (size_t k = end; k < gt; ++k) quotes += html[k] == '"';
    if (quotes % 2) return false;
  }
  return true;
}

struct Fixture {
  std::unique_ptr<rasai::Index> index;
  std::unique_ptr<rasai::server::Router> router;
  std::vector<rasai::Document> docs;  // what the index was built with
};

Fixture* Build() {
  auto* f = new Fixture;
  char tmpl[] = "/dev/shm/rasai-router-fuzz-XXXXXX";
  const char* d = mkdtemp(tmpl);
  Check(d != nullptr);
  static const std::string dir = d;
  std::atexit([] {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  });
  rasai::IndexOptions options;
  options.index_threads = 1;  // one core for the whole fuzzer
  auto idx = rasai::Index::Open(d, options);
  Check(idx.ok());
  const char* words[] = {"کراچی", "میں", "شدید", "بارش", "وزیراعظم", "لاہور", "کے", "لیے", "سیلاب", "پاکستان",
                         "تعلیمِ", "river", "flood", "school", "news", "Floods", "کرکٹ", "ہے", "the", "rain"};
  const size_t nwords = sizeof words / sizeof words[0];
  const char* special_ids[] = {"a/b", "sp ace", "../x", "اردو-1", "q?x=1&y", "100%"};
  for (int i = 0; i < 100; ++i) {
    rasai::Document doc;
    doc.id = i < 94 ? "d" + std::to_string(i) : special_ids[i - 94];
    doc.title = std::string(words[i % nwords]) + " " + words[(i / 7) % nwords];
    const int length = i % 25 == 0 ? 70 : 6 + i % 20;  // four articles of 70 words
    for (int k = 0; k < length; ++k) {
      doc.body += std::string(k == 0 ? "" : k % 12 == 0 ? "\n" : " ") + words[(i * 7 + k * k + k / 9) % nwords];
    }
    if (i % 10 == 3) doc.body += " <b>&amp;</b> \"quoted\" 'x'";  // text that must come out escaped
    if (i % 9 == 4) doc.title += " <img src=x onerror=\"y\">";
    if (i % 8 == 1) doc.summary = "خلاصہ: " + doc.title;
    if (i % 6 == 2) doc.url = "https://example.org/" + doc.id + "?a=\"1\"&b=<2>";
    if (i % 5 == 0) doc.extra.emplace_back("tags", "[\"x\",1]");
    doc.date = i % 11 == 5 ? "" : "201" + std::to_string(4 + i % 5) + "-0" + std::to_string(1 + i % 9) + "-1" +
                                     std::to_string(i % 10) + (i % 2 ? "T0" + std::to_string(i % 10) + ":00:00Z" : "");
    doc.lang = i % 4 == 0 ? "" : i % 3 ? "ur" : "en";
    doc.source = i % 2 ? "BBC Urdu" : "VOA";
    doc.category = i % 3 ? "news" : "sport";
    f->docs.push_back(doc);
    if (i % 25 == 0) {  // an edited copy under another id: copy_of in result lists
      doc.id += "-copy";
      doc.body += " مزید";
      f->docs.push_back(doc);
    }
  }
  for (const rasai::Document& doc : f->docs) Check((*idx)->Add(doc).ok());
  Check((*idx)->Commit().ok());
  f->index = std::move(*idx);
  rasai::server::RouterOptions ro;
  ro.operator_token = kToken;
  ro.fonts_dir = "";
  ro.max_body_bytes = kMaxBodyBytes;
  f->router = std::make_unique<rasai::server::Router>(f->index.get(), ro);
  return f;
}

// Puts back the fixture documents that a DELETE removed, so that reads keep finding them.
void RestoreFixture(Fixture* f) {
  auto snapshot = f->index->snapshot();
  bool changed = false;
  for (const rasai::Document& doc : f->docs) {
    if (snapshot->Get(doc.id).ok()) continue;
    Check(f->index->Add(doc).ok());
    changed = true;
  }
  if (changed) Check(f->index->Commit().ok());
}

// The request encoded by the input (layout in the header comment).
HttpRequest Decode(const uint8_t* data, size_t size) {
  HttpRequest req;
  req.method = kMethods[data[0] & 15];
  if (const char* auth = kAuth[(data[0] >> 4) & 3]) req.headers.emplace_back("Authorization", auth);
  if (data[0] & 0x40) req.headers.emplace_back("If-None-Match", "*");
  req.target = kRoutes[data[1] % (sizeof kRoutes / sizeof kRoutes[0])];
  size_t i = 2;
  for (; i < size && data[i] != '\n'; ++i) {
    const char c = static_cast<char>(data[i]);
    if (data[i] >= 0x01 && data[i] <= 0x1f) {
      req.target += req.target.find('?') == std::string::npos ? '?' : '&';
      req.target += kParams[data[i] % (sizeof kParams / sizeof kParams[0])];
      req.target += '=';
    } else {
      req.target += c;
    }
  }
  if (i < size) req.body.assign(reinterpret_cast<const char*>(data) + i + 1, size - i - 1);
  if (data[0] & 0x80) req.body.resize(kMaxBodyBytes + 1, '\n');
  return req;
}

// Aborts unless `r` is a well-formed answer to `req` (see the header comment).
void CheckResponse(const HttpRequest& req, const HttpResponse& r) {
  // Only documented statuses; 304 only for a conditional request, with no body.
  Check(r.status == 200 || r.status == 202 || r.status == 303 || r.status == 304 || r.status == 400 ||
        r.status == 401 || r.status == 403 || r.status == 404 || r.status == 405 || r.status == 413 ||
        r.status == 415 || r.status == 429);
  if (r.status == 303) Check(r.Header("Location") != nullptr);
  if (r.status == 304) {
    Check(req.Header("If-None-Match") != nullptr && r.body.empty());
  } else {
    Check(!r.content_type.empty());
  }
  if (r.status == 401) Check(r.Header("WWW-Authenticate") != nullptr);
  if (r.status == 405) Check(r.Header("Allow") != nullptr);
  if (r.status == 413) Check(req.body.size() > kMaxBodyBytes);
  Check(r.Header("X-Content-Type-Options") != nullptr);
  Check(r.body.size() <= kMaxResponseBytes);

  const std::string_view type = r.content_type;
  if (StartsWith(type, "application/json")) {
    Check(rasai::IsValidUtf8(r.body));
    Check(!r.body.empty() && (r.body[0] == '{' || r.body[0] == '['));
    const nlohmann::json j = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    Check(!j.is_discarded());
    if (r.status >= 400) Check(j.is_object() && j.value("status", 0) == r.status && j.contains("error"));
  } else if (StartsWith(type, "text/")) {
    Check(rasai::IsValidUtf8(r.body));
    if (StartsWith(type, "text/html")) Check(TagsAreOurs(r.body));
  }
}

// After a POST that answered 200: every line the reply does not list as an error is a document
// that is now readable. The first few are read back through the reader page, the JSON API and
// related articles, so that a problem with what was written shows with this one input.
void ReadBack(Fixture* f, const HttpRequest& post, const HttpResponse& reply) {
  const nlohmann::json j = nlohmann::json::parse(reply.body, nullptr, false);
  std::vector<uint64_t> bad_lines;
  for (const auto& e : j.value("errors", nlohmann::json::array())) bad_lines.push_back(e.value("line", uint64_t{0}));
  std::string_view body = post.body;
  int checked = 0;
  for (uint64_t line_no = 1; !body.empty() && checked < 3; ++line_no) {
    const size_t nl = body.find('\n');
    const std::string_view line = body.substr(0, nl);
    body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
    if (std::find(bad_lines.begin(), bad_lines.end(), line_no) != bad_lines.end()) continue;
    auto doc = rasai::ParseJsonDocument(line);
    if (!doc.ok()) continue;  // a blank line
    ++checked;
    const std::string id = rasai::server::PercentEncode(doc->id);
    for (const std::string& target : {"/api/doc/" + id, "/read/" + id, "/api/related/" + id}) {
      HttpRequest get;
      get.method = "GET";
      get.target = target;
      const HttpResponse r = f->router->Handle(get);
      CheckResponse(get, r);
      // Acknowledged means readable, unless the id cannot be written in a URL (an encoded NUL).
      Check(r.status == 200 || (r.status == 400 && doc->id.find('\0') != std::string::npos));
    }
    HttpRequest search;
    search.method = "GET";
    search.target = "/search?q=" + rasai::server::PercentEncode(doc->title.substr(0, 200));
    CheckResponse(search, f->router->Handle(search));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fixture = Build();
  if (size < 2) return 0;
  const HttpRequest req = Decode(data, size);
  const bool right_token = ((data[0] >> 4) & 3) == 1;
  const auto before = fixture->index->snapshot();
  if (req.method == "POST" && before->live_docs() > kMaxDocsForWrites) return 0;

  // Only the operator's POST needs its body (Router::NeedsBody), and a request that does not is
  // answered the same without it (the HTTP layer then never reads it). DELETE is left out: it
  // would delete twice.
  HttpRequest head = req;
  head.body.clear();
  const bool needs_body = fixture->router->NeedsBody(head);
  const std::optional<std::string> path = [&]() -> std::optional<std::string> {
    auto t = rasai::server::ParseTarget(req.target);
    return t ? rasai::server::PercentDecode(t->raw_path, false) : std::nullopt;
  }();
  Check(!needs_body || (req.method == "POST" && (right_token || (path && *path == "/operator/login"))));
  const int headless_status = !needs_body && req.method != "DELETE" ? fixture->router->Handle(head).status : 0;

  const HttpResponse r = fixture->router->Handle(req);
  CheckResponse(req, r);
  Check(headless_status == 0 || headless_status == r.status);
  while (fixture->router->jobs().Busy()) std::this_thread::yield();  // a change queued with async=1

  // The index changes only through an authorized write that answered 200.
  const auto after = fixture->index->snapshot();
  if (after->generation() != before->generation()) {
    Check(right_token && (r.status == 200 || r.status == 202) && (req.method == "POST" || req.method == "DELETE"));
    if (req.method == "POST" && r.status == 200) ReadBack(fixture, req, r);
    if (req.method == "DELETE") RestoreFixture(fixture);
  }
  return 0;
}
