#include "server/router.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "rasai/batch.h"
#include "rasai/ingest.h"
#include "rasai/search.h"
#include "server/hit_json.h"
#include "server/page.h"
#include "util/date.h"
#include "server/zim_pages.h"
#include "util/utf8.h"

namespace rasai::server {
namespace {

using nlohmann::json;

constexpr const char* kJsonType = "application/json; charset=utf-8";
constexpr const char* kHtmlType = "text/html; charset=utf-8";
constexpr const char* kHtmlPolicy =
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'";

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// Dispatch's answer for a request that a write job will answer.
constexpr int kDeferred = 0;
HttpResponse Deferred() {
  HttpResponse r;
  r.status = kDeferred;
  return r;
}

HttpResponse HtmlResponse(int status, std::string body, const char* cache_control) {
  HttpResponse r;
  r.status = status;
  r.content_type = kHtmlType;
  r.body = std::move(body);
  r.SetHeader("Cache-Control", cache_control);
  r.SetHeader("Content-Security-Policy", kHtmlPolicy);
  return r;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool IsApiPath(std::string_view path) { return StartsWith(path, "/api/") || path == "/api"; }

// True when a path segment is "." or ".." or the path holds a backslash.
bool HasDotSegment(std::string_view path) {
  if (path.find('\\') != std::string_view::npos) return true;
  size_t i = 0;
  while (i <= path.size()) {
    size_t slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view seg = path.substr(i, slash - i);
    if (seg == "." || seg == "..") return true;
    i = slash + 1;
  }
  return false;
}

// Parses a decimal unsigned number; nullopt unless it is all digits and <= max.
std::optional<uint64_t> ParseUnsigned(std::string_view s, uint64_t max) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

bool ParamIsFalse(const std::string* v) { return v && (*v == "0" || *v == "false" || *v == "no"); }

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  size_t n = a.size() > b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

HttpResponse MethodNotAllowed(const char* allow) {
  HttpResponse r = JsonError(405, std::string("method not allowed; use ") + allow);
  r.SetHeader("Allow", allow);
  return r;
}

bool IsRead(const std::string& method) { return method == "GET" || method == "HEAD"; }

}  // namespace

HttpResponse JsonResponse(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.content_type = kJsonType;
  r.body = Dump(body);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

HttpResponse JsonError(int status, std::string_view message) {
  return JsonResponse(status, json{{"error", std::string(message)}, {"status", status}});
}

HttpResponse JobResponse(const JobOutcome& outcome) { return JsonResponse(outcome.status, outcome.body); }

JobOutcome JobError(int status, std::string_view message) {
  return JobOutcome{status, json{{"error", std::string(message)}, {"status", status}}};
}

// The answer owed to one request: its route label for the metrics, and where it goes.
struct Router::Pending {
  Router* router;
  Reply reply;
  std::string route = "other";

  void Send(HttpResponse response) {
    response.SetHeader("X-Content-Type-Options", "nosniff");
    if (!response.Header("Referrer-Policy")) response.SetHeader("Referrer-Policy", "no-referrer");
    router->metrics_.CountRequest(route, response.status);
    reply(std::move(response));
  }
};

Router::Router(Index* index, RouterOptions options)
    : index_(index),
      options_(std::move(options)),
      files_(options_.fonts_dir),
      jobs_(IndexJobs::Options{.priority = options_.write_priority}) {
  UsageLog::Options usage;
  if (!options_.index_dir.empty()) usage.path = options_.index_dir + "/USAGE";
  usage.flush_seconds = options_.usage_flush_seconds;
  std::string warning;
  auto log = UsageLog::Open(usage, &warning);
  if (!warning.empty()) std::fprintf(stderr, "rasai: %s\n", warning.c_str());
  if (!log.ok()) {
    std::fprintf(stderr, "rasai: %s; the usage figures are kept in memory only\n", log.status().ToString().c_str());
    usage.path.clear();
    log = UsageLog::Open(usage, nullptr);
  }
  usage_ = std::move(*log);
  if (!options_.index_dir.empty()) zim_ = std::make_unique<ZimShelf>(options_.index_dir);
  std::error_code ec;
  std::filesystem::remove_all(SpoolDir(), ec);  // uploads a stopped server left half-read
}

Router::~Router() {
  StopWrites();
  usage_->Close();
}

void Router::StopWrites() { jobs_.Stop(); }

std::string Router::RouteLabel(std::string_view path) {
  static const char* const kExact[] = {"/api/search", "/api/suggest", "/api/docs",   "/healthz",    "/metrics",
                                       "/",           "/search",      "/api/stats",  "/api/uploads", "/api/jobs",
                                       "/api/sources"};
  for (const char* r : kExact) {
    if (path == r) return r;
  }
  if (StartsWith(path, "/api/doc/")) return "/api/doc";
  if (StartsWith(path, "/api/related/")) return "/api/related";
  if (StartsWith(path, "/api/docs/")) return "/api/docs";
  if (StartsWith(path, "/read/")) return "/read";
  if (StartsWith(path, "/fonts/")) return "/fonts";
  if (StartsWith(path, "/api/jobs/")) return "/api/jobs";
  if (StartsWith(path, "/api/sources/")) return "/api/sources";
  if (path == "/operator" || StartsWith(path, "/operator/")) return "/operator";
  if (StartsWith(path, "/zim/")) return "/zim";
  return "other";
}

void Router::Serve(HttpRequest request, Reply reply) {
  auto pending = std::make_shared<Pending>(Pending{this, std::move(reply)});
  HttpResponse response;
  try {
    response = Dispatch(std::make_shared<HttpRequest>(std::move(request)), pending);
  } catch (const std::exception& e) {
    response = JsonError(500, std::string("internal error: ") + e.what());
  } catch (...) {
    response = JsonError(500, "internal error");
  }
  if (response.status != kDeferred) pending->Send(std::move(response));
}

HttpResponse Router::Handle(const HttpRequest& request) {
  std::promise<HttpResponse> answer;
  std::future<HttpResponse> later = answer.get_future();
  Serve(request, [&answer](HttpResponse r) { answer.set_value(std::move(r)); });
  return later.get();
}

HttpResponse Router::RunWrite(const std::shared_ptr<Pending>& pending, std::string kind, std::string label,
                              IndexJobs::Work work, size_t bytes, Answer answer) {
  auto id = jobs_.Submit(
      std::move(kind), std::move(label), std::move(work),
      [pending, answer](const JobOutcome& outcome) { pending->Send(answer ? answer(outcome) : JobResponse(outcome)); },
      bytes);
  if (!id) {
    HttpResponse busy = JsonError(503, "too many changes are waiting to be written (or the server is stopping); try again shortly");
    busy.SetHeader("Retry-After", "5");
    return busy;
  }
  return Deferred();
}

HttpResponse Router::Dispatch(const std::shared_ptr<HttpRequest>& request_ptr, const std::shared_ptr<Pending>& pending) {
  const HttpRequest& request = *request_ptr;
  std::string* route = &pending->route;
  std::optional<ParsedTarget> target = ParseTarget(request.target);
  if (!target) return JsonError(400, "malformed request target or percent-encoding in the query string");
  std::optional<std::string> decoded = PercentDecode(target->raw_path, false);
  if (!decoded) return JsonError(400, "malformed percent-encoding in the path");
  if (!IsValidUtf8(*decoded)) return JsonError(400, "the path is not valid UTF-8");
  for (const auto& [k, v] : target->params) {
    if (!IsValidUtf8(k)) return JsonError(400, "a query parameter name is not valid UTF-8");
    (void)v;  // values are repaired where they are used
  }
  const std::string& path = *decoded;
  *route = RouteLabel(path);
  const std::string& method = request.method;
  if (auto answer = OperatorRoute(request_ptr, path, *target, pending)) return std::move(*answer);

  // Routes whose tail is a document id: the id is opaque (it may hold '/' or "..").
  struct IdRoute {
    const char* prefix;
    int kind;
  };
  static const IdRoute kIdRoutes[] = {{"/api/doc/", 0}, {"/api/related/", 1}, {"/api/docs/", 2}, {"/read/", 3}};
  for (const IdRoute& r : kIdRoutes) {
    if (!StartsWith(path, r.prefix)) continue;
    std::string id = path.substr(std::string_view(r.prefix).size());
    if (id.empty()) return JsonError(404, "missing document id");
    switch (r.kind) {
      case 0:
        if (!IsRead(method)) return MethodNotAllowed("GET");
        return GetDoc(id);
      case 1:
        if (!IsRead(method)) return MethodNotAllowed("GET");
        return Related(*target, id);
      case 2:
        if (method != "DELETE") return MethodNotAllowed("DELETE");
        return DeleteDoc(request, id, pending);
      default:
        if (!IsRead(method)) return MethodNotAllowed("GET");
        return ReaderPage(id);
    }
  }

  if (HasDotSegment(path)) return JsonError(400, "path traversal is not allowed");

  if (path == "/api/docs") {
    if (method != "POST") return MethodNotAllowed("POST");
    return AddDocs(request_ptr, pending);
  }
  if (!IsRead(method)) {
    return IsApiPath(path) || path == "/healthz" || path == "/metrics" || files_.Asset(path) || path == "/"
               ? MethodNotAllowed("GET")
               : JsonError(404, "not found");
  }
  if (path == "/api/search") return Search(*target);
  if (path == "/search") return ResultsPage(*target);
  if (path == "/api/suggest") return Suggest(*target);
  if (path == "/healthz") return Health();
  if (path == "/metrics") return MetricsPage();
  if (StartsWith(path, "/zim/") && zim_) return zim_->Serve(std::string_view(path).substr(5), files_);
  if (IsApiPath(path)) return JsonError(404, "no such API endpoint");
  if (path == "/" || path == "/index.html") {
    const StaticFile* index_html = files_.Asset("/index.html");
    if (!index_html) return JsonError(500, "the web UI is missing from this build");
    return StaticAsset(request, *target, *index_html, "no-cache");
  }
  if (StartsWith(path, "/fonts/")) {
    const StaticFile* font = files_.Font(std::string_view(path).substr(7));
    if (!font) return JsonError(404, "no such font");
    return StaticAsset(request, *target, *font, "public, max-age=2592000");
  }
  if (const StaticFile* f = files_.Asset(path)) {
    const std::string* v = target->Param("v");
    const char* cache = v && *v == files_.version() ? "public, max-age=31536000, immutable" : "public, max-age=300";
    if (f->content_type == kHtmlType) cache = "no-cache";
    return StaticAsset(request, *target, *f, cache);
  }
  *route = "other";
  return HtmlResponse(404, RenderErrorPage(files_, 404, "یہ صفحہ موجود نہیں۔ This page does not exist."), "no-store");
}

std::optional<std::string> Router::ParseSearchRequest(const ParsedTarget& target, SearchRequest* out) const {
  SearchRequest& req = *out;
  if (const std::string* q = target.Param("q")) {
    if (q->size() > options_.max_query_bytes) {
      return std::string("q is too long (at most " + std::to_string(options_.max_query_bytes) + " bytes)");
    }
    req.query = RepairUtf8(*q);
  }
  if (const std::string* n = target.Param("n")) {
    auto v = ParseUnsigned(*n, 1000000000);
    if (!v) return std::string("n must be a non-negative integer");
    req.n = static_cast<uint32_t>(*v < options_.max_hits ? *v : options_.max_hits);
  }
  if (const std::string* off = target.Param("offset")) {
    auto v = ParseUnsigned(*off, options_.max_offset);
    if (!v) return std::string("offset must be an integer from 0 to " + std::to_string(options_.max_offset));
    req.offset = static_cast<uint32_t>(*v);
  }
  struct Filter {
    const char* name;
    std::string* field;
  };
  for (Filter f : {Filter{"lang", &req.lang}, Filter{"source", &req.source}, Filter{"category", &req.category}}) {
    const std::string* v = target.Param(f.name);
    if (!v) continue;
    if (v->size() > options_.max_filter_bytes) return std::string(std::string(f.name) + " is too long");
    *f.field = RepairUtf8(*v);
  }
  if (const std::string* from = target.Param("from"); from && !from->empty()) {
    if (!IsDateFilter(*from)) return std::string("from must be a date: YYYY, YYYY-MM or YYYY-MM-DD");
    req.date_from = *from;
  }
  if (const std::string* to = target.Param("to"); to && !to->empty()) {
    if (!IsDateFilter(*to)) return std::string("to must be a date: YYYY, YYYY-MM or YYYY-MM-DD");
    req.date_to = *to;
  }
  if (const std::string* sort = target.Param("sort"); sort && !sort->empty()) {
    if (*sort == "relevance") {
      req.sort = SearchRequest::Sort::kRelevance;
    } else if (*sort == "date" || *sort == "date_desc") {
      req.sort = SearchRequest::Sort::kDateDesc;
    } else if (*sort == "date_asc") {
      req.sort = SearchRequest::Sort::kDateAsc;
    } else {
      return std::string("sort must be relevance, date or date_asc");
    }
  }
  req.facets = !ParamIsFalse(target.Param("facets"));
  req.snippets = !ParamIsFalse(target.Param("snippets"));
  return std::nullopt;
}

HttpResponse Router::Search(const ParsedTarget& target) {
  auto started = std::chrono::steady_clock::now();
  SearchRequest req;
  if (auto error = ParseSearchRequest(target, &req)) return JsonError(400, *error);

  Searcher searcher(index_->snapshot());
  Result<SearchResult> result = searcher.Search(req);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.ObserveSearchSeconds(seconds);
  if (!result.ok()) return JsonError(500, "search failed: " + result.status().ToString());
  RecordSearch(req, *result);

  json hits = json::array();
  for (const Hit& h : result->hits) hits.push_back(json(HitJson(h)));
  json facets = json::object();
  for (const auto& [name, values] : result->facets) {
    json counts = json::object();
    for (const auto& [value, count] : values) counts[value] = count;
    facets[name] = std::move(counts);
  }
  json body = {{"query", req.query},
               {"total", result->total},
               {"total_exact", result->total_exact},
               {"offset", req.offset},
               {"n", req.n},
               {"took_ms", seconds * 1000.0},
               {"hits", std::move(hits)},
               {"facets", std::move(facets)},
               {"suggestion", result->suggestion},
               {"transliteration", result->transliteration}};
  return JsonResponse(200, body);
}

HttpResponse Router::ResultsPage(const ParsedTarget& target) {
  constexpr uint32_t kPageSize = 10;
  ResultsView view;
  view.page_size = kPageSize;
  ParsedTarget api;  // the same search in /api/search terms
  auto copy = [&](const char* name, std::string* field) {
    if (const std::string* v = target.Param(name)) {
      *field = RepairUtf8(*v);
      if (!v->empty()) api.params.emplace_back(name, *v);
    }
  };
  copy("q", &view.query);
  copy("sort", &view.sort);
  copy("source", &view.source);
  copy("category", &view.category);
  copy("lang", &view.lang);
  if (const std::string* year = target.Param("year"); year && !year->empty()) {
    view.year = RepairUtf8(*year);
    api.params.emplace_back("from", *year);
    api.params.emplace_back("to", *year);
  }
  if (const std::string* page = target.Param("page"); page && !page->empty()) {
    auto v = ParseUnsigned(*page, options_.max_offset / kPageSize + 1);
    if (!v || *v == 0) {
      return HtmlResponse(400, RenderErrorPage(files_, 400, "صفحہ نمبر درست نہیں۔ Bad page number."), "no-store");
    }
    view.page = static_cast<uint32_t>(*v);
  }
  api.params.emplace_back("n", std::to_string(kPageSize));
  api.params.emplace_back("offset", std::to_string((view.page - 1) * kPageSize));
  api.params.emplace_back("facets", "0");
  if (view.sort == "relevance") view.sort = "";

  auto started = std::chrono::steady_clock::now();
  SearchRequest req;
  if (auto error = ParseSearchRequest(api, &req)) {
    return HtmlResponse(400, RenderErrorPage(files_, 400, "تلاش کی درخواست درست نہیں۔ " + *error), "no-store");
  }
  if (req.query.find_first_not_of(" \t\r\n") == std::string::npos) {
    return HtmlResponse(200, RenderResultsPage(files_, view, nullptr), "no-cache");
  }
  Result<SearchResult> result = Searcher(index_->snapshot()).Search(req);
  metrics_.ObserveSearchSeconds(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (!result.ok()) {
    return HtmlResponse(500, RenderErrorPage(files_, 500, "تلاش ناکام رہی۔ The search failed."), "no-store");
  }
  RecordSearch(req, *result);
  return HtmlResponse(200, RenderResultsPage(files_, view, &*result), "no-cache");
}

HttpResponse Router::GetDoc(const std::string& id) {
  Result<Document> doc = index_->snapshot()->Get(id);
  if (!doc.ok()) {
    if (doc.status().IsNotFound()) return JsonError(404, "no document with this id");
    return JsonError(500, "cannot read the document: " + doc.status().ToString());
  }
  HttpResponse r;
  r.content_type = kJsonType;
  r.body = DocumentToJson(*doc);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

HttpResponse Router::Related(const ParsedTarget& target, const std::string& id) {
  uint32_t n = 5;
  if (const std::string* ns = target.Param("n")) {
    auto v = ParseUnsigned(*ns, 1000000000);
    if (!v) return JsonError(400, "n must be a non-negative integer");
    n = static_cast<uint32_t>(*v < options_.max_related ? *v : options_.max_related);
  }
  auto snapshot = index_->snapshot();
  Result<Document> doc = snapshot->Get(id);
  if (!doc.ok()) {
    if (doc.status().IsNotFound()) return JsonError(404, "no document with this id");
    return JsonError(500, "cannot read the document: " + doc.status().ToString());
  }
  Searcher searcher(std::move(snapshot));
  Result<std::vector<Hit>> related = searcher.Related(id, n);
  if (!related.ok()) {
    if (related.status().IsNotFound()) return JsonError(404, "no document with this id");
    return JsonError(500, "related search failed: " + related.status().ToString());
  }
  json hits = json::array();
  for (const Hit& h : *related) hits.push_back(json(HitJson(h)));
  return JsonResponse(200, json{{"id", id}, {"hits", std::move(hits)}});
}

HttpResponse Router::Suggest(const ParsedTarget& target) {
  std::string q;
  if (const std::string* qp = target.Param("q")) {
    if (qp->size() > options_.max_query_bytes) return JsonError(400, "q is too long");
    q = RepairUtf8(*qp);
  }
  uint32_t n = 8;
  if (const std::string* ns = target.Param("n")) {
    auto v = ParseUnsigned(*ns, 1000000000);
    if (!v) return JsonError(400, "n must be a non-negative integer");
    n = static_cast<uint32_t>(*v < options_.max_suggestions ? *v : options_.max_suggestions);
  }
  json list = json::array();
  if (!q.empty() && n > 0) {
    Searcher searcher(index_->snapshot());
    for (std::string& s : searcher.Suggest(q, n)) list.push_back(std::move(s));
  }
  return JsonResponse(200, json{{"query", q}, {"suggestions", std::move(list)}});
}

HttpResponse Router::Health() {
  auto snapshot = index_->snapshot();
  return JsonResponse(200, json{{"status", "ok"}, {"docs", snapshot->live_docs()}, {"generation", snapshot->generation()}});
}

HttpResponse Router::MetricsPage() {
  auto snapshot = index_->snapshot();
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = metrics_.Render(snapshot->live_docs(), snapshot->generation(), snapshot->segments().size());
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

bool Router::Authorized(const HttpRequest& request, HttpResponse* denial) const {
  if (options_.operator_token.empty()) {
    *denial = JsonError(403, "operator endpoints are disabled: the server has no operator token");
    return false;
  }
  const std::string* auth = request.Header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (!auth && !OperatorSessions::CookieOf(request).empty()) return SessionOf(request, "", denial).has_value();
  if (!auth || auth->size() < kBearer.size() || auth->compare(0, kBearer.size(), kBearer) != 0) {
    *denial = JsonError(401, "this endpoint needs the header Authorization: Bearer <operator token>");
    denial->SetHeader("WWW-Authenticate", "Bearer realm=\"rasai\"");
    return false;
  }
  if (!ConstantTimeEquals(std::string_view(*auth).substr(kBearer.size()), options_.operator_token)) {
    *denial = JsonError(403, "wrong operator token");
    return false;
  }
  return true;
}

HttpResponse Router::AddDocs(const std::shared_ptr<HttpRequest>& request, const std::shared_ptr<Pending>& pending) {
  HttpResponse denial;
  if (!Authorized(*request, &denial)) return denial;
  if (request->body.size() > options_.max_body_bytes) {
    return JsonError(413, "the body is larger than " + std::to_string(options_.max_body_bytes) + " bytes");
  }
  const size_t bytes = request->body.size();
  auto work = [this, request](JobContext& job) { return AddDocsNow(*request, job); };
  std::optional<ParsedTarget> target = ParseTarget(request->target);
  if (target && target->Param("async") && *target->Param("async") == "1") {  // answer at once; poll the job
    auto id = jobs_.Submit("docs", "POST /api/docs", work, {}, bytes);
    if (!id) return JsonError(503, "too many changes are waiting to be written; try again shortly");
    HttpResponse r = JsonResponse(202, json{{"job", *id}, {"url", "/api/jobs/" + std::to_string(*id)}});
    r.SetHeader("Location", "/api/jobs/" + std::to_string(*id));
    return r;
  }
  return RunWrite(pending, "docs", "POST /api/docs", work, bytes);
}

// Runs on the writer thread.
JobOutcome Router::AddDocsNow(const HttpRequest& request, JobContext& job) {
  constexpr size_t kMaxReportedErrors = 1000;
  // The document-batch path `rasai index` runs: the same reading, openings rule, counts and notes.
  const uint64_t body_bytes = request.body.size();
  job.Report(JobProgress{.phase = "reading", .done = 0, .total = body_bytes});
  BatchOptions options;
  options.max_listed = kMaxReportedErrors;
  options.cancelled = [&job] { return job.cancelled(); };
  options.progress = [&job, body_bytes](const BatchProgress& p) {
    JobProgress jp;
    switch (p.phase) {
      case BatchProgress::Phase::kReading: jp.phase = "reading"; break;
      case BatchProgress::Phase::kLearning: jp.phase = "looking for repeated openings"; break;
      case BatchProgress::Phase::kIndexing: jp.phase = "indexing"; break;
      case BatchProgress::Phase::kCommitting: jp.phase = "committing"; break;
    }
    jp.done = p.bytes;
    jp.total = body_bytes;
    jp.documents = p.documents;
    job.Report(jp);
  };
  Result<BatchSummary> summary = IndexJsonl(index_, request.body, "request body", options);
  if (!summary.ok()) {
    if (summary.status().code() == Status::Code::kAborted)
      return JobError(503, "the server is stopping; nothing was acknowledged");
    return JobOutcome{500, json{{"error", "indexing failed; nothing was acknowledged: " + summary.status().ToString()},
                                {"status", 500},
                                {"added", 0}}};
  }
  if (summary->documents + summary->skipped == 0)
    return JobError(400, "the body holds no documents (send JSONL: one JSON object per line)");
  json errors = json::array(), notes = json::array(), openings = json::array();
  uint64_t error_count = 0;
  for (const IngestProblem& p : summary->problems) {
    if (p.reason == "invalid UTF-8 (replaced)") continue;  // a repaired line is added, not an error
    errors.push_back(json{{"line", p.line}, {"reason", p.reason}});
  }
  for (const auto& [reason, n] : summary->problem_kinds)
    if (reason != "invalid UTF-8 (replaced)") error_count += n;
  for (const BatchNote& n : summary->notes) notes.push_back(json{{"line", n.line}, {"id", n.id}, {"note", n.note}});
  for (const RemovedOpening& r : summary->openings)
    openings.push_back(json{{"source", r.source}, {"words", r.words}, {"documents", r.documents}, {"text", r.text}});
  json reply = {{"added", summary->documents},
                {"errors", std::move(errors)},
                {"error_count", error_count},
                {"notes", std::move(notes)},
                {"removed_openings", std::move(openings)},
                {"generation", summary->generation}};
  if (summary->documents == 0) {  // a 400 like any other: {"error", "status"}, plus the per-line report
    reply["error"] = "the body holds no valid document (every line is reported in errors)";
    reply["status"] = 400;
    return JobOutcome{400, std::move(reply)};
  }
  return JobOutcome{200, std::move(reply)};
}

HttpResponse Router::DeleteDoc(const HttpRequest& request, const std::string& id,
                               const std::shared_ptr<Pending>& pending) {
  HttpResponse denial;
  if (!Authorized(request, &denial)) return denial;
  return RunWrite(pending, "delete", id, [this, id](JobContext&) { return DeleteDocNow(id); }, 0);
}

// Runs on the writer thread.
JobOutcome Router::DeleteDocNow(const std::string& id) {
  bool existed = index_->snapshot()->Get(id).ok();
  Status st = index_->Delete(id);
  if (!st.ok()) return JobError(500, "delete failed: " + st.ToString());
  st = index_->Commit();
  if (!st.ok()) return JobError(500, "commit failed; the delete was not acknowledged: " + st.ToString());
  return JobOutcome{200, json{{"id", id}, {"existed", existed}, {"generation", index_->snapshot()->generation()}}};
}

HttpResponse Router::ReaderPage(const std::string& id) {
  Result<Document> doc = index_->snapshot()->Get(id);
  if (!doc.ok()) {
    if (doc.status().IsNotFound()) {
      return HtmlResponse(404, RenderErrorPage(files_, 404, "یہ مضمون موجود نہیں۔ No article with this id."),
                          "no-store");
    }
    return HtmlResponse(500, RenderErrorPage(files_, 500, "مضمون پڑھا نہ جا سکا۔ The article could not be read."),
                        "no-store");
  }
  if (zim_ && StartsWith(doc->url, "/zim/")) {  // a ZIM article: its page is the archive's own
    HttpResponse r;
    r.status = 302;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "see " + doc->url + "\n";
    r.SetHeader("Location", doc->url);
    r.SetHeader("Cache-Control", "no-store");
    return r;
  }
  HttpResponse r = HtmlResponse(200, RenderReaderPage(files_, *doc), "no-cache");
  return r;
}

HttpResponse Router::StaticAsset(const HttpRequest& request, const ParsedTarget& target, const StaticFile& file,
                                 const char* cache_control) {
  (void)target;
  HttpResponse r;
  r.SetHeader("ETag", file.etag);
  r.SetHeader("Cache-Control", cache_control);
  if (file.content_type == kHtmlType) r.SetHeader("Content-Security-Policy", kHtmlPolicy);
  const std::string* inm = request.Header("If-None-Match");
  if (inm && (*inm == file.etag || *inm == "*" || inm->find(file.etag) != std::string::npos)) {
    r.status = 304;
    return r;
  }
  r.content_type = file.content_type;
  r.body = file.body;
  return r;
}

}  // namespace rasai::server
