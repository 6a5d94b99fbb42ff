// The server's own HTTP request/response values. Handlers (router.h) are pure functions from
// HttpRequest to HttpResponse so that they can be tested without sockets and the HTTP library
// behind Server (server.cc) can be swapped.
// Thread-safety: plain values.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rasai::server {

struct HttpRequest {
  std::string method;  // "GET", "POST", ... (HEAD is handled as GET by the adapter)
  std::string target;  // raw request target as sent: "/api/search?q=%D8%A7"
  // Header names are compared case-insensitively.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // A body the HTTP layer wrote to this file instead (Router::PlanBody); the router owns and
  // removes the file from then on. "" when none.
  std::string body_file;

  // The first header with this name (case-insensitive), or nullptr.
  const std::string* Header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type;  // e.g. "application/json; charset=utf-8"
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers

  void SetHeader(std::string name, std::string value);
  const std::string* Header(std::string_view name) const;
};

}  // namespace rasai::server
