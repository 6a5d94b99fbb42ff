// Router: every HTTP endpoint of Rasai as a pure function HttpRequest -> HttpResponse over an
// Index (contract in docs/http-api.md). No sockets here: server.cc adapts an HTTP library.
//
// Thread-safety: Serve() and Handle() may be called concurrently from many threads. Reads use a
// fresh index snapshot per request and answer on the caller's thread; writes (POST/DELETE
// /api/docs, the operator's uploads) run one at a time on the writer thread (index_jobs.h), below
// searches in CPU priority, and answer from there when they are done.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "rasai/index.h"
#include "rasai/search.h"
#include "server/assets.h"
#include "server/http_types.h"
#include "server/index_jobs.h"
#include "server/operator_session.h"
#include "server/usage_log.h"
#include "server/metrics.h"
#include "server/url.h"

namespace rasai::server {

class ZimShelf;  // server/zim_pages.h

struct RouterOptions {
  std::string operator_token;           // "" disables POST/DELETE /api/docs (403)
  std::string fonts_dir;                // served as /fonts/<file>; "" = none
  std::string index_dir;                // the index folder: usage, uploads, its ZIM archives at /zim/ ("" = none)
  size_t max_body_bytes = 64u << 20;    // larger request bodies get 413
  size_t max_query_bytes = 2048;        // q (and suggest q) longer than this get 400
  size_t max_filter_bytes = 256;        // lang/source/category values
  uint32_t max_hits = 100;              // n is capped to this
  uint32_t max_offset = 10000;          // deeper paging gets 400
  uint32_t max_related = 20;
  uint32_t max_suggestions = 20;
  WritePriority write_priority = WritePriority::kLow;  // of the writer thread (index_jobs.h)
  uint64_t max_upload_bytes = 16ull << 30;  // POST /api/uploads (written to disk, not memory)
  int usage_flush_seconds = 60;             // how often the usage figures are saved
};

// What the HTTP layer does with a request's body (Router::PlanBody).
struct BodyPlan {
  enum class Kind { kNone, kMemory, kFile };
  Kind kind = Kind::kNone;  // kNone: the body is never read
  uint64_t limit = 0;       // more bytes are refused with 413
  std::string file;         // kFile: the new file to write it to (HttpRequest::body_file)
};

class Router {
 public:
  // `index` stays owned by the caller and must outlive the router.
  Router(Index* index, RouterOptions options);
  ~Router();  // StopWrites()

  using Reply = std::function<void(HttpResponse)>;
  // Answers `request` by calling `reply` exactly once: before returning for a read, later from
  // the writer thread for a write (after its commit). Never throws; internal failures become 500
  // responses.
  void Serve(HttpRequest request, Reply reply);
  // Serve(), waiting for the answer.
  HttpResponse Handle(const HttpRequest& request);
  // Cancels the writes waiting to run (they answer 503), waits for the running one and ends the
  // writer thread; later writes answer 503. Called before the HTTP layer stops.
  void StopWrites();
  // What Handle() reads of the body of `head` (a request's method, target and headers): a POST
  // to /api/docs or /api/uploads by the operator (token, or session with its CSRF token), a form
  // of the operator's pages (64 KiB), the login form (4 KiB). Any other body is never read, so the
  // HTTP layer answers without receiving it, and only the operator can make the server hold a
  // large body.
  BodyPlan PlanBody(const HttpRequest& head) const;
  bool NeedsBody(const HttpRequest& head) const { return PlanBody(head).kind != BodyPlan::Kind::kNone; }

  const Metrics& metrics() const { return metrics_; }
  // Counts a request the HTTP library refused before it reached Handle() (route "rejected").
  void CountRejected(int status) { metrics_.CountRequest("rejected", status); }
  const StaticFiles& static_files() const { return files_; }
  const IndexJobs& jobs() const { return jobs_; }
  UsageLog& usage() { return *usage_; }

  // The route label used in metrics for a decoded path ("/api/search", "/read", "other", ...).
  static std::string RouteLabel(std::string_view path);

 private:
  struct Pending;  // an answer owed to a request
  // The answer, or Deferred() when a write job will send it through `pending`.
  HttpResponse Dispatch(const std::shared_ptr<HttpRequest>& request, const std::shared_ptr<Pending>& pending);
  // Queues `work` on the writer; its outcome answers `pending` (through `answer`, JSON when
  // empty). 503 when the writer is full.
  using Answer = std::function<HttpResponse(const JobOutcome&)>;
  HttpResponse RunWrite(const std::shared_ptr<Pending>& pending, std::string kind, std::string label,
                        IndexJobs::Work work, size_t bytes, Answer answer = {});
  // Fills *out from the query parameters; the error message for a 400 otherwise.
  std::optional<std::string> ParseSearchRequest(const ParsedTarget& target, SearchRequest* out) const;
  HttpResponse Search(const ParsedTarget& target);
  HttpResponse ResultsPage(const ParsedTarget& target);
  HttpResponse GetDoc(const std::string& id);
  HttpResponse Related(const ParsedTarget& target, const std::string& id);
  HttpResponse Suggest(const ParsedTarget& target);
  HttpResponse Health();
  HttpResponse MetricsPage();
  HttpResponse AddDocs(const std::shared_ptr<HttpRequest>& request, const std::shared_ptr<Pending>& pending);
  JobOutcome AddDocsNow(const HttpRequest& request, JobContext& job);
  HttpResponse DeleteDoc(const HttpRequest& request, const std::string& id, const std::shared_ptr<Pending>& pending);
  JobOutcome DeleteDocNow(const std::string& id);
  HttpResponse ReaderPage(const std::string& id);
  HttpResponse StaticAsset(const HttpRequest& request, const ParsedTarget& target,
                           const StaticFile& file, const char* cache_control);
  // True when the request carries the operator token, or comes from a logged-in operator page
  // (a session cookie; for a change, also its CSRF token and no foreign Origin); else fills
  // *denial (401/403).
  bool Authorized(const HttpRequest& request, HttpResponse* denial) const;

  // Operator routes and pages (operator_api.cc, operator_pages.cc).
  // The answer when `path` is an operator route, else nullopt.
  std::optional<HttpResponse> OperatorRoute(const std::shared_ptr<HttpRequest>& request, const std::string& path,
                                            const ParsedTarget& target, const std::shared_ptr<Pending>& pending);
  // The session of a request, checked as Authorized() does ("" csrf when given as a form field).
  std::optional<OperatorSession> SessionOf(const HttpRequest& request, std::string_view form_csrf,
                                           HttpResponse* denial) const;
  HttpResponse OperatorPage(const HttpRequest& request, const std::string& path, const ParsedTarget& target,
                            const std::shared_ptr<Pending>& pending);
  HttpResponse Stats(const ParsedTarget& target);
  HttpResponse Upload(const HttpRequest& request, const ParsedTarget& target);
  HttpResponse RemoveSource(const std::string& source, bool wait, const std::shared_ptr<Pending>& pending,
                            Answer answer);
  // Counts a visitor's search in the usage figures (first page, no filter, relevance order).
  void RecordSearch(const SearchRequest& request, const SearchResult& result);
  std::string SpoolDir() const;

  Index* index_;
  RouterOptions options_;
  StaticFiles files_;
  Metrics metrics_;
  mutable OperatorSessions sessions_;
  std::unique_ptr<UsageLog> usage_;
  std::unique_ptr<ZimShelf> zim_;  // null without options_.index_dir
  IndexJobs jobs_;  // last: its thread runs jobs that use the members above
};

// A JSON error body {"error": message, "status": status}.
HttpResponse JsonError(int status, std::string_view message);
// A JSON response (Cache-Control: no-store).
HttpResponse JsonResponse(int status, const nlohmann::json& body);
// What a write job's outcome answers.
HttpResponse JobResponse(const JobOutcome& outcome);
// A job's error outcome, shaped as JsonError.
JobOutcome JobError(int status, std::string_view message);

}  // namespace rasai::server
