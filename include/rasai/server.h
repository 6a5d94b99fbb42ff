// Server: the HTTP front end (JSON API + embedded web UI) over an Index.
// Thread-safety: Serve() blocks and handles requests on a thread pool; Stop() may be called from
// any thread (e.g. a signal handler thread).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "rasai/index.h"
#include "rasai/status.h"

namespace rasai {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;          // 0 = pick a free port
  std::string operator_token;    // required for POST/DELETE /api/docs; "" disables them
  std::string index_dir;         // the index's folder: usage figures, uploads; the ZIM archives it names are served at /zim/
  // Called once the socket is bound, with the actual "http://host:port/" URL.
  std::function<void(const std::string& url)> on_listening;
};

// Serves `index` until Stop() or a fatal error. The index stays owned by the caller.
class Server {
 public:
  Server(Index* index, ServerOptions options);
  ~Server();
  Status Serve();
  void Stop();

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace rasai
