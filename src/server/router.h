// Router: every HTTP endpoint of Rasai as a pure function HttpRequest -> HttpResponse over an
// Index (contract in docs/http-api.md). No sockets here: server.cc adapts an HTTP library.
//
// Thread-safety: Handle() may be called concurrently from many threads. Writes (POST/DELETE
// /api/docs) are serialized; reads use a fresh index snapshot per request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "rasai/index.h"
#include "rasai/search.h"
#include "server/assets.h"
#include "server/http_types.h"
#include "server/metrics.h"
#include "server/url.h"

namespace rasai::server {

struct RouterOptions {
  std::string operator_token;           // "" disables POST/DELETE /api/docs (403)
  std::string fonts_dir;                // served as /fonts/<file>; "" = none
  size_t max_body_bytes = 64u << 20;    // larger request bodies get 413
  size_t max_query_bytes = 2048;        // q (and suggest q) longer than this get 400
  size_t max_filter_bytes = 256;        // lang/source/category values
  uint32_t max_hits = 100;              // n is capped to this
  uint32_t max_offset = 10000;          // deeper paging gets 400
  uint32_t max_related = 20;
  uint32_t max_suggestions = 20;
};

class Router {
 public:
  // `index` stays owned by the caller and must outlive the router.
  Router(Index* index, RouterOptions options);
  // Never throws; internal failures become 500 responses.
  HttpResponse Handle(const HttpRequest& request);
  // True when Handle() reads the body of `head` (a request's method, target and headers): a
  // POST to /api/docs with the operator token. Any other body is never read, so the HTTP layer
  // answers without receiving it, and only the operator can make the server hold a large body.
  bool NeedsBody(const HttpRequest& head) const;

  const Metrics& metrics() const { return metrics_; }
  // Counts a request the HTTP library refused before it reached Handle() (route "rejected").
  void CountRejected(int status) { metrics_.CountRequest("rejected", status); }
  const StaticFiles& static_files() const { return files_; }

  // The route label used in metrics for a decoded path ("/api/search", "/read", "other", ...).
  static std::string RouteLabel(std::string_view path);

 private:
  HttpResponse Dispatch(const HttpRequest& request, std::string* route);
  // Fills *out from the query parameters; the error message for a 400 otherwise.
  std::optional<std::string> ParseSearchRequest(const ParsedTarget& target, SearchRequest* out) const;
  HttpResponse Search(const ParsedTarget& target);
  HttpResponse ResultsPage(const ParsedTarget& target);
  HttpResponse GetDoc(const std::string& id);
  HttpResponse Related(const ParsedTarget& target, const std::string& id);
  HttpResponse Suggest(const ParsedTarget& target);
  HttpResponse Health();
  HttpResponse MetricsPage();
  HttpResponse AddDocs(const HttpRequest& request);
  HttpResponse DeleteDoc(const HttpRequest& request, const std::string& id);
  HttpResponse ReaderPage(const std::string& id);
  HttpResponse StaticAsset(const HttpRequest& request, const ParsedTarget& target,
                           const StaticFile& file, const char* cache_control);
  // True when the request carries the operator token; else fills *denial (401/403).
  bool Authorized(const HttpRequest& request, HttpResponse* denial) const;

  Index* index_;
  RouterOptions options_;
  StaticFiles files_;
  Metrics metrics_;
  std::mutex write_mu_;
};

// A JSON error body {"error": message, "status": status}.
HttpResponse JsonError(int status, std::string_view message);

}  // namespace rasai::server
