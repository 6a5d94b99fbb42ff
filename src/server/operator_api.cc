// The operator's JSON API (contract in docs/http-api.md, "Operator endpoints"): GET /api/stats,
// GET /api/sources, DELETE /api/sources/{source}, POST /api/uploads, GET /api/jobs[/{id}]; the
// checks of a logged-in page (session, CSRF token, Origin); which bodies are read; the usage
// figures of visitors' searches. Router member functions, registered by Router::Dispatch.
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "server/operator_ingest.h"
#include "server/operator_sources.h"
#include "server/router.h"
#include "server/zim_collection.h"
#include "util/text.h"

namespace rasai::server {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr uint64_t kFormBytes = 64 << 10;
constexpr uint64_t kLoginBytes = 4 << 10;
constexpr uint64_t kDiskReserve = 256ull << 20;  // an upload must leave this much free

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::optional<std::string> DecodedPath(const HttpRequest& request) {
  std::optional<ParsedTarget> target = ParseTarget(request.target);
  if (!target) return std::nullopt;
  return PercentDecode(target->raw_path, false);
}

// Free bytes where `dir` (or its nearest existing parent) is.
uint64_t FreeBytes(fs::path dir) {
  std::error_code ec;
  while (!dir.empty() && !fs::exists(dir, ec)) dir = dir.parent_path();
  struct statvfs v;
  if (statvfs(dir.empty() ? "." : dir.c_str(), &v) != 0) return 0;
  return static_cast<uint64_t>(v.f_bavail) * v.f_frsize;
}

// Bytes of the regular files in the index folder (not its uploads).
uint64_t FolderBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

json EntriesJson(const std::vector<UsageLog::Entry>& entries) {
  json out = json::array();
  for (const auto& e : entries) out.push_back({{"query", e.query}, {"count", e.count}});
  return out;
}

std::atomic<uint64_t> g_upload_seq{0};

}  // namespace

std::string Router::SpoolDir() const {
  if (!options_.index_dir.empty()) return options_.index_dir + "/uploads";
  return (fs::temp_directory_path() / ("rasai-uploads-" + std::to_string(getpid()))).string();
}

BodyPlan Router::PlanBody(const HttpRequest& head) const {
  BodyPlan plan;
  if (head.method != "POST") return plan;
  std::optional<std::string> path = DecodedPath(head);
  if (!path) return plan;
  HttpResponse denial;
  if (*path == "/operator/login") {
    plan.kind = BodyPlan::Kind::kMemory;
    plan.limit = kLoginBytes;
  } else if (StartsWith(*path, "/operator/")) {
    // A form: its CSRF token is in the body, checked once it is read.
    if (!OperatorSessions::CookieOf(head).empty() &&
        sessions_.Find(OperatorSessions::CookieOf(head), UnixNow()).has_value()) {
      plan.kind = BodyPlan::Kind::kMemory;
      plan.limit = kFormBytes;
    }
  } else if (*path == "/api/docs" && Authorized(head, &denial)) {
    plan.kind = BodyPlan::Kind::kMemory;
    plan.limit = options_.max_body_bytes;
  } else if (*path == "/api/uploads" && Authorized(head, &denial)) {
    plan.kind = BodyPlan::Kind::kFile;
    // What the disk can take, keeping kDiskReserve free: a larger upload is refused before it is read.
    const uint64_t free = FreeBytes(SpoolDir());
    plan.limit = std::min<uint64_t>(options_.max_upload_bytes, free > kDiskReserve ? free - kDiskReserve : 0);
    plan.file = SpoolDir() + "/body-" + std::to_string(getpid()) + "-" + std::to_string(++g_upload_seq);
  }
  return plan;
}

std::optional<OperatorSession> Router::SessionOf(const HttpRequest& request, std::string_view form_csrf,
                                                 HttpResponse* denial) const {
  const std::string cookie = OperatorSessions::CookieOf(request);
  std::optional<OperatorSession> session = cookie.empty() ? std::nullopt : sessions_.Find(cookie, UnixNow());
  if (!session) {
    *denial = JsonError(401, "log in on /operator/login first, or send Authorization: Bearer <operator token>");
    denial->SetHeader("WWW-Authenticate", "Bearer realm=\"rasai\"");
    return std::nullopt;
  }
  if (request.method == "GET" || request.method == "HEAD") return session;
  // A change: it must come from a page of this server.
  if (const std::string* origin = request.Header("Origin")) {
    const std::string* host = request.Header("Host");
    if (!host || (*origin != "http://" + *host && *origin != "https://" + *host)) {
      *denial = JsonError(403, "this change comes from another site (Origin " + *origin + ")");
      return std::nullopt;
    }
  }
  const std::string* header = request.Header("X-CSRF-Token");
  const std::string_view given = header ? std::string_view(*header) : form_csrf;
  if (given.empty() || !ConstantTimeEqual(given, session->csrf)) {
    *denial = JsonError(403, "the page's form token is missing or stale: reload the page and try again");
    return std::nullopt;
  }
  return session;
}

void Router::RecordSearch(const SearchRequest& req, const SearchResult& result) {
  // The first page of a plain search: paging, filters and orders of the same query are not new searches.
  if (req.offset != 0 || !req.lang.empty() || !req.source.empty() || !req.category.empty() ||
      !req.date_from.empty() || !req.date_to.empty() || req.sort != SearchRequest::Sort::kRelevance)
    return;
  usage_->Record(req.query, result.total == 0, UnixNow());
}

std::optional<HttpResponse> Router::OperatorRoute(const std::shared_ptr<HttpRequest>& request_ptr,
                                                  const std::string& path, const ParsedTarget& target,
                                                  const std::shared_ptr<Pending>& pending) {
  const HttpRequest& request = *request_ptr;
  const std::string& method = request.method;
  const bool read = method == "GET" || method == "HEAD";
  if (path == "/operator" || StartsWith(path, "/operator/")) return OperatorPage(request, path, target, pending);

  HttpResponse denial;
  if (path == "/api/stats" || path == "/api/sources" || path == "/api/jobs") {
    if (!read) {
      HttpResponse r = JsonError(405, "method not allowed; use GET");
      r.SetHeader("Allow", "GET");
      return r;
    }
    if (!Authorized(request, &denial)) return denial;
    if (path == "/api/stats") return Stats(target);
    if (path == "/api/sources") {
      return JsonResponse(200, json{{"sources", SourcesJson(SummarizeSources(*index_->snapshot()))}});
    }
    json list = json::array();
    for (const JobInfo& j : jobs_.List()) list.push_back(j.ToJson());
    return JsonResponse(200, json{{"jobs", std::move(list)}});
  }
  if (StartsWith(path, "/api/jobs/")) {
    if (!read) {
      HttpResponse r = JsonError(405, "method not allowed; use GET");
      r.SetHeader("Allow", "GET");
      return r;
    }
    if (!Authorized(request, &denial)) return denial;
    const std::string id = path.substr(10);
    uint64_t n = 0;
    for (char c : id) n = (c >= '0' && c <= '9' && n < (1ull << 50)) ? n * 10 + static_cast<uint64_t>(c - '0') : 0;
    std::optional<JobInfo> job = n > 0 ? jobs_.Get(n) : std::nullopt;
    if (!job) return JsonError(404, "no such job (finished jobs are kept for a while, then forgotten)");
    return JsonResponse(200, job->ToJson());
  }
  if (StartsWith(path, "/api/sources/")) {
    if (method != "DELETE") {
      HttpResponse r = JsonError(405, "method not allowed; use DELETE");
      r.SetHeader("Allow", "DELETE");
      return r;
    }
    if (!Authorized(request, &denial)) return denial;
    const std::string* async = target.Param("async");
    return RemoveSource(path.substr(13), !(async && *async == "1"), pending, {});
  }
  if (path == "/api/uploads") {
    if (method != "POST") {
      HttpResponse r = JsonError(405, "method not allowed; use POST");
      r.SetHeader("Allow", "POST");
      return r;
    }
    return Upload(request, target);
  }
  return std::nullopt;
}

HttpResponse Router::Stats(const ParsedTarget& target) {
  UsageLog::Period period = UsageLog::Period::kAll;
  std::string period_name = "all";
  if (const std::string* p = target.Param("period"); p && !p->empty()) {
    if (*p == "day") {
      period = UsageLog::Period::kDay;
    } else if (*p == "week") {
      period = UsageLog::Period::kWeek;
    } else if (*p != "all") {
      return JsonError(400, "period must be day, week or all");
    }
    period_name = *p;
  }
  size_t n = 20;
  if (const std::string* ns = target.Param("n"); ns && !ns->empty()) {
    if (ns->size() > 4 || ns->find_first_not_of("0123456789") != std::string::npos)
      return JsonError(400, "n must be an integer from 0 to 1000");
    n = std::min<size_t>(std::stoul(*ns), 1000);
  }
  const UsageLog::Report usage = usage_->Top(period, n, UnixNow());
  auto snapshot = index_->snapshot();
  uint64_t deleted = 0;
  for (const auto& seg : snapshot->segments()) deleted += seg->max_doc() - seg->live_docs();
  const std::vector<SourceSummary> sources = SummarizeSources(*snapshot);
  std::map<std::string, uint64_t> languages;
  for (const SourceSummary& s : sources)
    for (const auto& [lang, count] : s.languages) languages[lang] += count;
  json collection = {{"documents", snapshot->live_docs()},
                     {"deleted", deleted},
                     {"segments", snapshot->segments().size()},
                     {"generation", snapshot->generation()},
                     {"sources", sources.size()},
                     {"languages", languages}};
  if (!options_.index_dir.empty()) collection["bytes_on_disk"] = FolderBytes(options_.index_dir);
  return JsonResponse(200, json{{"collection", std::move(collection)},
                                {"period", period_name},
                                {"searches", usage.searches},
                                {"found_nothing", usage.found_nothing},
                                {"top_queries", EntriesJson(usage.top)},
                                {"zero_result_queries", EntriesJson(usage.nothing)}});
}

HttpResponse Router::Upload(const HttpRequest& request, const ParsedTarget& target) {
  // Whatever happens, the spooled body is removed unless a job takes it.
  struct Spool {
    std::string file;
    ~Spool() {
      std::error_code ec;
      if (!file.empty()) fs::remove(file, ec);
    }
  } spool{request.body_file};
  HttpResponse denial;
  if (!Authorized(request, &denial)) return denial;
  const std::string* name_param = target.Param("name");
  const std::string name = name_param ? UploadName(*name_param) : "";
  if (name.empty()) return JsonError(400, "name the file: POST /api/uploads?name=FILE.jsonl (or .html, .zip, ...)");
  const UploadKind kind = UploadKindOf(name);
  if (kind == UploadKind::kUnknown)
    return JsonError(415, "Rasai reads .jsonl, .ndjson, .json, .html, .htm, .txt, .md and .zip files; not " + name);
  if (kind == UploadKind::kZim && options_.index_dir.empty())
    return JsonError(415, "this server keeps its index in memory: ZIM archives are added to an index folder with rasai index");
  if (spool.file.empty()) return JsonError(400, "the request has no body: send the file's bytes as the body");
  std::error_code ec;
  const uint64_t size = fs::file_size(spool.file, ec);
  const std::string job_dir = spool.file + ".job";
  fs::create_directories(job_dir, ec);
  if (ec) return JsonError(500, "cannot make a folder for the upload: " + ec.message());
  const std::string input = job_dir + "/" + name;
  fs::rename(spool.file, input, ec);
  if (ec) return JsonError(500, "cannot keep the upload: " + ec.message());
  spool.file.clear();
  auto work = [this, input, job_dir, name, kind, size](JobContext& job) {
    JobOutcome outcome = kind == UploadKind::kZim ? IngestZimUpload(index_, options_.index_dir, input, name, size, job)
                                                  : IngestUpload(index_, input, name, kind, size, job);
    std::error_code ignored;
    fs::remove_all(job_dir, ignored);
    return outcome;
  };
  auto id = jobs_.Submit("upload", name, work, {}, 0);
  if (!id) {
    fs::remove_all(job_dir, ec);
    return JsonError(503, "too many changes are waiting to be written; try again shortly");
  }
  HttpResponse r = JsonResponse(202, json{{"job", *id}, {"url", "/api/jobs/" + std::to_string(*id)}, {"name", name}});
  r.SetHeader("Location", "/api/jobs/" + std::to_string(*id));
  return r;
}

HttpResponse Router::RemoveSource(const std::string& source, bool wait, const std::shared_ptr<Pending>& pending,
                                  Answer answer) {
  auto work = [this, source](JobContext& job) {
    JobOutcome out = DeleteSourceNow(index_, source, job);
    // A ZIM archive's name is its documents' source: its record goes too, so that its pages are
    // no longer served (also when its documents were already gone).
    if (options_.index_dir.empty() || (out.status != 200 && out.status != 404)) return out;
    auto forgot = ForgetZimArchive(options_.index_dir, source);
    if (!forgot.ok()) return JobOutcome{500, json{{"error", "the documents were removed, but not the archive's record: " +
                                                                forgot.status().ToString()},
                                                  {"status", 500}}};
    if (!*forgot) return out;
    if (out.status == 404) out = JobOutcome{200, json{{"source", source}, {"deleted", 0}}};
    out.body["archive"] = true;
    return out;
  };
  const std::string label = source.empty() ? "(no source)" : source;
  if (wait) return RunWrite(pending, "remove-source", label, work, 0, std::move(answer));
  auto id = jobs_.Submit("remove-source", label, work, {}, 0);
  if (!id) return JsonError(503, "too many changes are waiting to be written; try again shortly");
  HttpResponse r = JsonResponse(202, json{{"job", *id}, {"url", "/api/jobs/" + std::to_string(*id)}});
  r.SetHeader("Location", "/api/jobs/" + std::to_string(*id));
  return r;
}

}  // namespace rasai::server
