// rasai::Server over GNU libmicrohttpd. All request handling lives in Router (router.h); this
// file only adapts the HTTP library: binding, threads, connection limits and timeouts, request
// bodies, answers that come later (a write: the connection is suspended until its job is done,
// so that no polling thread waits for it), and stopping.
#include "rasai/server.h"

#include <microhttpd.h>
#include <netdb.h>
#include <zlib.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/router.h"
#include "util/text.h"

namespace rasai {
namespace {

namespace fs = std::filesystem;

// Connections are served by kThreads threads, each polling its share of them (epoll): an idle
// connection, or one sending its request slowly, holds no thread. A client that opens many (a
// script, or a phone gone wrong) is bounded: at most kConnectionsPerAddress at once from one
// address, kMaxConnections in all, so that one address never takes them all; a connection silent
// for kIdleSeconds is closed. 2,000 connections holding half a request line once kept /healthz
// from being answered for minutes, when each held a thread. A browser opens up to 6 connections
// to a server; 128 leaves room for a center whose visitors reach the server through one address
// (a router doing NAT).
constexpr unsigned kThreads = 8;
constexpr unsigned kMaxConnections = 1024;
constexpr unsigned kConnectionsPerAddress = 128;
constexpr unsigned kIdleSeconds = 10;
constexpr size_t kConnectionMemory = 64 * 1024;  // request line and headers of one request
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
  o.index_dir = options.index_dir;
  o.fonts_dir = FindFontsDir();
  // For measuring what the writer's priority does (docs/benchmarks.md); low otherwise.
  if (const char* p = std::getenv("RASAI_WRITE_PRIORITY"); p && *p) {
    if (auto parsed = server::ParseWritePriority(p)) {
      o.write_priority = *parsed;
    } else {
      std::fprintf(stderr, "rasai: RASAI_WRITE_PRIORITY=%s is not normal, low, lowest or idle; low is used\n", p);
    }
  }
  // How often the usage figures are saved (tests of a power cut); 60 s otherwise.
  if (const char* s = std::getenv("RASAI_USAGE_FLUSH_SECONDS"); s && std::atoi(s) > 0) o.usage_flush_seconds = std::atoi(s);
  return o;
}

bool CarriesBody(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}


// Text worth compressing (fonts and images are compressed already).
bool Compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.find("json") != std::string_view::npos ||
         content_type.find("javascript") != std::string_view::npos || content_type.find("svg") != std::string_view::npos ||
         content_type.find("xml") != std::string_view::npos;
}

// True when an Accept-Encoding value allows gzip ("gzip", "gzip;q=0.8"; not "gzip;q=0").
bool AcceptsGzip(const char* accept_encoding) {
  if (!accept_encoding) return false;
  const std::string value = LowerAscii(accept_encoding);
  for (size_t at = value.find("gzip"); at != std::string::npos; at = value.find("gzip", at + 4)) {
    size_t end = value.find(',', at);
    std::string item = value.substr(at, end == std::string::npos ? std::string::npos : end - at);
    item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
    if (item == "gzip" || (item.starts_with("gzip;q=") && std::strtod(item.c_str() + 7, nullptr) > 0)) return true;
  }
  return false;
}

// `data` in gzip format; "" if zlib fails.
std::string Gzip(std::string_view data) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return "";
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : "";
}

// An answer that may come from another thread (a write job): the connection is suspended until
// it is there, then resumed, and the access handler queues it.
struct LaterAnswer {
  std::mutex mu;
  std::optional<server::HttpResponse> response;
  MHD_Connection* connection = nullptr;
  bool suspended = false;
  bool close = false;  // answer with Connection: close
};

// One request as it arrives: its raw target (from the URI callback, before the library parses
// it) and its body, read in parts.
struct Exchange {
  ~Exchange() {
    if (fd >= 0) close(fd);
    if (!file.empty()) unlink(file.c_str());  // a body the router never took
  }
  std::string target;
  std::string body;
  int fd = -1;             // a body written to `file` (BodyPlan::Kind::kFile)
  std::string file;
  uint64_t file_bytes = 0;
  uint64_t limit = 0;      // the body's limit (BodyPlan)
  bool started = false;    // the access handler has seen the headers
  bool answered = false;   // a response is queued or owed (an early refusal: the body is not read)
  bool keep_body = false;  // the router reads the body (Router::NeedsBody)
  bool owed = false;       // suspended for a write's answer: counted in Impl::owed until completed
  std::shared_ptr<LaterAnswer> later;  // set once the router has the request
};

}  // namespace

struct Server::Impl {
  Impl(Index* index, ServerOptions opts)
      : options(std::move(opts)),
        router(index, MakeRouterOptions(options)) {}

  static void* OnUri(void*, const char* uri, MHD_Connection*) {
    auto* ex = new Exchange;
    ex->target = uri;
    return ex;
  }
  static void OnCompleted(void* cls, MHD_Connection*, void** con_cls, MHD_RequestTerminationCode) {
    auto* ex = static_cast<Exchange*>(*con_cls);
    if (ex && ex->owed) {
      Impl* impl = static_cast<Impl*>(cls);
      std::lock_guard<std::mutex> lock(impl->mu);
      if (--impl->owed == 0) impl->owed_done.notify_all();
    }
    delete ex;
    *con_cls = nullptr;
  }
  static MHD_Result HeaderOf(void* cls, MHD_ValueKind, const char* key, const char* value) {
    static_cast<server::HttpRequest*>(cls)->headers.emplace_back(key ? key : "", value ? value : "");
    return MHD_YES;
  }

  // The gzip form of a response body: computed once for those with an ETag (the static files).
  std::string Compressed(const server::HttpResponse& r) {
    const std::string* etag = r.Header("ETag");
    if (!etag) return Gzip(r.body);
    std::lock_guard<std::mutex> lock(mu);
    auto it = gzipped.find(*etag);
    if (it == gzipped.end()) it = gzipped.emplace(*etag, Gzip(r.body)).first;
    return it->second;
  }

  MHD_Result Queue(MHD_Connection* c, const server::HttpResponse& r, bool close) {
    const bool text = Compressible(r.content_type);
    std::string gz;
    if (text && r.body.size() >= 256 && AcceptsGzip(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding"))) {
      gz = Compressed(r);
      if (gz.size() >= r.body.size()) gz.clear();
    }
    const std::string& body = gz.empty() ? r.body : gz;
    MHD_Response* resp =
        MHD_create_response_from_buffer(body.size(), const_cast<char*>(body.data()), MHD_RESPMEM_MUST_COPY);
    if (!resp) return MHD_NO;
    for (const auto& [name, value] : r.headers) MHD_add_response_header(resp, name.c_str(), value.c_str());
    if (!r.content_type.empty()) MHD_add_response_header(resp, "Content-Type", r.content_type.c_str());
    if (text) MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    if (!gz.empty()) MHD_add_response_header(resp, "Content-Encoding", "gzip");
    if (close) MHD_add_response_header(resp, "Connection", "close");
    const MHD_Result ok = MHD_queue_response(c, static_cast<unsigned>(r.status), resp);
    MHD_destroy_response(resp);
    if (r.status >= 500) std::fprintf(stderr, "rasai: %d\n", r.status);
    return ok;
  }

  // Called after the headers (upload_size 0), then with each part of a body if any, then once
  // more with upload_size 0 when the request is complete.
  MHD_Result Access(MHD_Connection* c, const char* method, const char* upload_data, size_t* upload_size,
                    void** con_cls) {
    auto* ex = static_cast<Exchange*>(*con_cls);
    if (!ex) return MHD_NO;  // the URI callback always sets it
    if (!ex->started) {
      // Responses are queued on a later call: one queued now would make the library read no
      // further (no body, no next request on the connection), which only a refusal wants.
      ex->started = true;
      if (CarriesBody(method)) {
        server::HttpResponse refusal;
        const size_t path_bytes = ex->target.find('?');
        const char* length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if ((path_bytes == std::string::npos ? ex->target.size() : path_bytes) > kMaxBodyPathBytes) {
          refusal = server::JsonError(414, "the path is too long");
        } else {
          server::HttpRequest head = Head(c, method, *ex);
          const server::BodyPlan plan = router.PlanBody(head);
          const uint64_t declared = length ? std::strtoull(length, nullptr, 10) : 0;
          if (plan.kind != server::BodyPlan::Kind::kNone && declared > plan.limit) {
            ex->answered = true;
            router.CountRejected(413);
            return Queue(c, TooLarge(plan.limit), true);  // refused before the body is read
          }
          if (plan.kind == server::BodyPlan::Kind::kFile) {
            std::error_code ec;
            std::filesystem::create_directories(std::filesystem::path(plan.file).parent_path(), ec);
            ex->fd = open(plan.file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (ex->fd < 0) {
              ex->answered = true;
              return Queue(c, server::JsonError(500, "cannot store the upload: " + std::string(std::strerror(errno))), true);
            }
            ex->file = plan.file;
          }
          if (plan.kind != server::BodyPlan::Kind::kNone) {
            ex->keep_body = true;
            ex->limit = plan.limit;
            return MHD_YES;  // the body follows
          }
          // Answered without the body, which is never read: only the operator's uploads are held.
          ex->answered = true;
          return Answer(c, ex, std::move(head), true);
        }
        ex->answered = true;
        router.CountRejected(refusal.status);
        return Queue(c, refusal, true);
      }
      return MHD_YES;
    } else if (*upload_size > 0) {  // a body nobody reads (a GET's, say) is dropped as it comes
      if (!ex->answered && ex->keep_body) {
        const uint64_t held = ex->fd >= 0 ? ex->file_bytes : ex->body.size();
        if (held + *upload_size > ex->limit) {  // no Content-Length (chunked), or a wrong one
          ex->answered = true;
          ex->body.clear();
          router.CountRejected(413);
          *upload_size = 0;
          return Queue(c, TooLarge(ex->limit), true);
        }
        if (ex->fd >= 0) {
          if (!WriteAll(ex->fd, upload_data, *upload_size)) {
            const int err = errno;
            ex->answered = true;
            *upload_size = 0;
            return Queue(c, server::JsonError(err == ENOSPC ? 507 : 500,
                                              err == ENOSPC ? "the disk is full" : "cannot store the upload: " +
                                                                                      std::string(std::strerror(err))),
                         true);
          }
          ex->file_bytes += *upload_size;
        } else {
          ex->body.append(upload_data, *upload_size);
        }
      }
      *upload_size = 0;
      return MHD_YES;
    }
    if (ex->answered) {
      if (!ex->later) return MHD_YES;
      // Resumed: the answer is there.
      std::optional<server::HttpResponse> response;
      {
        std::lock_guard<std::mutex> lock(ex->later->mu);
        response.swap(ex->later->response);
      }
      return response ? Queue(c, *response, ex->later->close) : MHD_YES;
    }
    ex->answered = true;
    server::HttpRequest request = Head(c, method, *ex);
    request.body = std::move(ex->body);
    if (ex->fd >= 0) {
      const bool synced = fsync(ex->fd) == 0;
      close(ex->fd);
      ex->fd = -1;
      if (!synced) return Queue(c, server::JsonError(500, "cannot store the upload"), false);
      request.body_file = std::move(ex->file);  // the router's from now on
      ex->file.clear();
    }
    return Answer(c, ex, std::move(request), false);
  }

  // Hands `request` to the router and queues its answer: at once when it is there (every read),
  // else once the write job is done (the connection suspended meanwhile). `close`: the body was
  // not read, so the connection cannot carry another request.
  MHD_Result Answer(MHD_Connection* c, Exchange* ex, server::HttpRequest request, bool close) {
    auto later = std::make_shared<LaterAnswer>();
    later->connection = c;
    later->close = close;
    ex->later = later;
    router.Serve(std::move(request), [later](server::HttpResponse r) {
      std::lock_guard<std::mutex> lock(later->mu);
      later->response = std::move(r);
      if (later->suspended) {
        later->suspended = false;
        MHD_resume_connection(later->connection);  // the library calls Access again
      }
    });
    std::unique_lock<std::mutex> lock(later->mu);
    if (later->response) {
      server::HttpResponse response = std::move(*later->response);
      later->response.reset();
      lock.unlock();
      return Queue(c, response, close);
    }
    later->suspended = true;
    {
      std::lock_guard<std::mutex> owed_lock(mu);
      ++owed;
    }
    ex->owed = true;
    MHD_suspend_connection(c);
    return MHD_YES;
  }

  static server::HttpResponse TooLarge(uint64_t limit) {
    return server::JsonError(413, "the request body is larger than " + std::to_string(limit) + " bytes");
  }

  static bool WriteAll(int fd, const char* p, size_t n) {
    while (n > 0) {
      const ssize_t w = write(fd, p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return false;
      p += w;
      n -= static_cast<size_t>(w);
    }
    return true;
  }

  // The request's method, target and headers.
  static server::HttpRequest Head(MHD_Connection* c, const char* method, const Exchange& ex) {
    server::HttpRequest request;
    request.method = std::strcmp(method, "HEAD") == 0 ? "GET" : method;  // the library leaves out HEAD's body
    request.target = ex.target;
    MHD_get_connection_values(c, MHD_HEADER_KIND, &Impl::HeaderOf, &request);
    return request;
  }

  ServerOptions options;
  server::Router router;
  std::mutex mu;
  std::unordered_map<std::string, std::string> gzipped;  // by ETag
  std::condition_variable stopped;
  bool stop_requested = false;
  int owed = 0;  // connections suspended for a write's answer and not yet completed
  std::condition_variable owed_done;
};

Server::Server(Index* index, ServerOptions options) : impl_(new Impl(index, std::move(options))) {}

Server::~Server() {
  Stop();
  delete impl_;
}

Status Server::Serve() {
  Impl& impl = *impl_;
  // The address to bind: a numeric address or a name (resolved once, the first answer).
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(impl.options.port);
  const std::string where = impl.options.host + ":" + port;
  if (getaddrinfo(impl.options.host.empty() ? nullptr : impl.options.host.c_str(), port.c_str(), &hints, &found) != 0 ||
      !found) {
    return Status::IOError("cannot listen on " + where + ": unknown address");
  }
  sockaddr_storage addr{};
  std::memcpy(&addr, found->ai_addr, std::min<size_t>(found->ai_addrlen, sizeof addr));
  const bool v6 = found->ai_family == AF_INET6;
  freeaddrinfo(found);
  {
    std::lock_guard<std::mutex> lock(impl.mu);
    if (impl.stop_requested) return Status::OK();
  }
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
  if (v6) flags |= MHD_USE_IPv6;
  // Port 0 with MHD_OPTION_SOCK_ADDR lets the system pick a free port.
  MHD_Daemon* daemon = MHD_start_daemon(
      flags, impl.options.port, nullptr, nullptr,
      [](void* cls, MHD_Connection* c, const char*, const char* method, const char*, const char* upload_data,
         size_t* upload_size, void** con_cls) {
        return static_cast<Server::Impl*>(cls)->Access(c, method, upload_data, upload_size, con_cls);
      },
      &impl, MHD_OPTION_SOCK_ADDR, reinterpret_cast<sockaddr*>(&addr), MHD_OPTION_THREAD_POOL_SIZE, kThreads,
      MHD_OPTION_CONNECTION_LIMIT, kMaxConnections, MHD_OPTION_PER_IP_CONNECTION_LIMIT, kConnectionsPerAddress,
      MHD_OPTION_CONNECTION_TIMEOUT, kIdleSeconds, MHD_OPTION_CONNECTION_MEMORY_LIMIT, kConnectionMemory,
      MHD_OPTION_URI_LOG_CALLBACK, &Impl::OnUri, nullptr, MHD_OPTION_NOTIFY_COMPLETED, &Impl::OnCompleted, &impl,
      MHD_OPTION_END);
  if (!daemon) return Status::IOError("cannot listen on " + where);
  const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
  const int bound_port = info ? info->port : impl.options.port;
  if (impl.router.static_files().font_count() == 0) {
    std::fprintf(stderr,
                 "rasai: no web fonts found (set RASAI_WEB_FONTS to a folder of .woff2 files, e.g. "
                 "web/node_modules/@fontsource/noto-nastaliq-urdu/files); Urdu will use the visitors' own fonts\n");
  }
  if (impl.options.on_listening) impl.options.on_listening(UrlFor(impl.options.host, bound_port));
  {
    std::unique_lock<std::mutex> lock(impl.mu);
    impl.stopped.wait(lock, [&] { return impl.stop_requested; });
  }
  // Every write answers first (a queued one with 503), which resumes its suspended connection:
  // the library must not be stopped with a connection suspended.
  // Stopping the library closes every connection at once, so it waits (a bounded time) until the
  // polling threads have sent those answers.
  impl.router.StopWrites();
  {
    std::unique_lock<std::mutex> lock(impl.mu);
    impl.owed_done.wait_for(lock, std::chrono::seconds(10), [&] { return impl.owed == 0; });
  }
  MHD_stop_daemon(daemon);  // closes the connections; waits for handlers running
  return Status::OK();
}

void Server::Stop() {
  Impl& impl = *impl_;
  {
    std::lock_guard<std::mutex> lock(impl.mu);
    impl.stop_requested = true;
  }
  impl.stopped.notify_all();
}

}  // namespace rasai
