// rasai::Server over cpp-httplib. All request handling lives in Router (router.h); this file only
// adapts the HTTP library: binding, the thread pool, limits and timeouts, and stopping.
#include "rasai/server.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>

#include <httplib.h>

#include "server/router.h"

namespace rasai {
namespace {

namespace fs = std::filesystem;

// httplib serves a connection per worker thread, and idle keep-alive connections hold theirs: a
// room of phones opens many. Threads are cheap (stacks are reserved, not resident).
constexpr size_t kThreads = 64;
constexpr size_t kMaxBodyPathBytes = 2048;

// Where the web fonts are: $RASAI_WEB_FONTS, else "fonts" or "../share/rasai/fonts" next to the
// executable, else the build-time default (the npm package in the source tree), else none.
std::string FindFontsDir() {
  std::error_code ec;
  if (const char* env = std::getenv("RASAI_WEB_FONTS"); env && *env) return env;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const fs::path& candidate : {exe.parent_path() / "fonts", exe.parent_path() / ".." / "share" / "rasai" / "fonts"}) {
      if (fs::is_directory(candidate, ec)) return candidate.lexically_normal().string();
    }
  }
#ifdef RASAI_WEB_FONTS_DEFAULT
  if (fs::is_directory(RASAI_WEB_FONTS_DEFAULT, ec)) return RASAI_WEB_FONTS_DEFAULT;
#endif
  return "";
}

std::string UrlFor(const std::string& host, int port) {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return "http://" + h + ":" + std::to_string(port) + "/";
}

server::RouterOptions MakeRouterOptions(const ServerOptions& options) {
  server::RouterOptions o;
  o.operator_token = options.operator_token;
  o.fonts_dir = FindFontsDir();
  return o;
}

bool CarriesBody(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

}  // namespace

struct Server::Impl {
  Impl(Index* index, ServerOptions opts)
      : options(std::move(opts)),
        router(index, MakeRouterOptions(options)) {}

  void Respond(const httplib::Request& req, httplib::Response& res) {
    server::HttpRequest request;
    request.method = req.method;
    request.target = req.target;
    request.headers.assign(req.headers.begin(), req.headers.end());
    request.body = req.body;
    server::HttpResponse response = router.Handle(request);
    res.status = response.status;
    for (auto& [name, value] : response.headers) res.set_header(name, value);
    if (!response.content_type.empty()) res.set_content(std::move(response.body), response.content_type.c_str());
  }

  ServerOptions options;
  size_t max_body_bytes = server::RouterOptions().max_body_bytes;
  server::Router router;
  httplib::Server http;
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> serving{false};
};

Server::Server(Index* index, ServerOptions options) : impl_(new Impl(index, std::move(options))) {
  httplib::Server& http = impl_->http;
  Impl* impl = impl_;
  http.new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  http.set_payload_max_length(impl->max_body_bytes);
  http.set_read_timeout(10, 0);
  http.set_write_timeout(10, 0);
  http.set_keep_alive_timeout(2);
  http.set_keep_alive_max_count(100);
  http.set_tcp_nodelay(true);
  // SO_REUSEADDR only: the library's default adds SO_REUSEPORT, which would let a second server
  // silently share the port instead of failing to bind.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof yes);
  });
  // Requests without a body are routed here, before the library's own (regex) routing.
  http.set_pre_routing_handler([impl](const httplib::Request& req, httplib::Response& res) {
    if (CarriesBody(req.method)) {
      server::HttpResponse r;
      if (req.path.size() > kMaxBodyPathBytes) {
        r = server::JsonError(414, "the path is too long");
      } else if (req.get_header_value<uint64_t>("Content-Length") > impl->max_body_bytes) {
        // Refuse before reading: the library would first read (and drop) the whole body.
        r = server::JsonError(413, "the request body is larger than " + std::to_string(impl->max_body_bytes) + " bytes");
      } else {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      impl->router.CountRejected(r.status);
      res.status = r.status;
      res.set_header("Connection", "close");
      res.set_content(r.body, r.content_type.c_str());
      return httplib::Server::HandlerResponse::Handled;
    }
    impl->Respond(req, res);
    return httplib::Server::HandlerResponse::Handled;
  });
  auto with_body = [impl](const httplib::Request& req, httplib::Response& res) { impl->Respond(req, res); };
  http.Post(".*", with_body);
  http.Put(".*", with_body);
  http.Patch(".*", with_body);
  http.Delete(".*", with_body);
  // Errors the library produces itself (bad request line, 413, 414, ...) get a JSON body too.
  http.set_error_handler(httplib::Server::HandlerWithResponse([impl](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    impl->router.CountRejected(res.status);
    const char* what = res.status == 413   ? "the request body is too large"
                       : res.status == 414 ? "the request target is too long"
                       : res.status == 404 ? "not found"
                                           : "bad request";
    server::HttpResponse r = server::JsonError(res.status, what);
    res.set_content(r.body, r.content_type.c_str());
    return httplib::Server::HandlerResponse::Handled;
  }));
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    server::HttpResponse r = server::JsonError(500, "internal error");
    res.status = 500;
    res.set_content(r.body, r.content_type.c_str());
  });
  http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    if (res.status >= 500) std::fprintf(stderr, "rasai: %d %s %s\n", res.status, req.method.c_str(), req.path.c_str());
  });
}

Server::~Server() {
  Stop();
  delete impl_;
}

Status Server::Serve() {
  Impl& impl = *impl_;
  impl.serving = true;
  int port = impl.options.port;
  bool bound;
  if (port == 0) {
    port = impl.http.bind_to_any_port(impl.options.host);
    bound = port > 0;
  } else {
    bound = impl.http.bind_to_port(impl.options.host, port);
  }
  if (!bound) {
    impl.serving = false;
    return Status::IOError("cannot listen on " + impl.options.host + ":" + std::to_string(impl.options.port));
  }
  if (impl.stop_requested) {
    impl.serving = false;
    return Status::OK();
  }
  if (impl.router.static_files().font_count() == 0) {
    std::fprintf(stderr,
                 "rasai: no web fonts found (set RASAI_WEB_FONTS to a folder of .woff2 files, e.g. "
                 "web/node_modules/@fontsource/noto-nastaliq-urdu/files); Urdu will use the visitors' own fonts\n");
  }
  if (impl.options.on_listening) impl.options.on_listening(UrlFor(impl.options.host, port));
  bool ok = impl.http.listen_after_bind();
  impl.serving = false;
  if (!ok && !impl.stop_requested) return Status::IOError("the HTTP server stopped unexpectedly");
  return Status::OK();
}

void Server::Stop() {
  Impl& impl = *impl_;
  impl.stop_requested = true;
  // Serve() may be between binding and listening: wait until it listens (or gives up).
  while (impl.serving && !impl.http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  impl.http.stop();
}

}  // namespace rasai
