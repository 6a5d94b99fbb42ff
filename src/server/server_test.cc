// Server tests over real sockets on 127.0.0.1: binding, the HTTP adapter, hostile requests and
// stopping. Endpoint behaviour itself is tested through the router (router_test.cc).
#include "rasai/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "rasai/index.h"
#include "server/url.h"
#include "test_util.h"

namespace rasai {
namespace {

using nlohmann::json;

// A new connection to 127.0.0.1:port, from the local address `from` (host order; 0: any);
// -1 on failure.
int Connect(int port, uint32_t from = 0) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (from != 0) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(from);
    if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      close(fd);
      return -1;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends raw bytes on a new connection and returns everything read until the peer closes or
// `timeout_ms` passes without data.
std::string RawExchange(int port, const std::string& bytes, int timeout_ms = 3000) {
  const int fd = Connect(port);
  if (fd < 0) return "";
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early (e.g. 413); read what it said
    sent += static_cast<size_t>(n);
  }
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    // Stop after one complete response (the server may keep the connection open).
    size_t head_end = out.find("\r\n\r\n");
    if (head_end == std::string::npos) continue;
    size_t cl = out.find("Content-Length: ");
    size_t length = cl != std::string::npos && cl < head_end ? std::strtoul(out.c_str() + cl + 16, nullptr, 10) : 0;
    if (out.size() >= head_end + 4 + length) break;
  }
  close(fd);
  return out;
}

int StatusOf(const std::string& raw_response) {
  // "HTTP/1.1 414 URI Too Long"
  if (raw_response.rfind("HTTP/1.", 0) != 0 || raw_response.size() < 12) return 0;
  return std::atoi(raw_response.substr(9, 3).c_str());
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = rasai::testing::TempDir("server");
    auto index = Index::Open(dir + "/index", IndexOptions{}, true);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    index_ = std::move(*index);
    Document a;
    a.id = "ur-1";
    a.title = "لاہور میں بارش";
    a.body = "لاہور میں آج شدید بارش ہوئی۔";
    a.lang = "ur";
    Document b;
    b.id = "en-1";
    b.title = "Rain in Lahore";
    b.body = "Heavy rain in Lahore today.";
    b.lang = "en";
    ASSERT_TRUE(index_->Add(a).ok());
    ASSERT_TRUE(index_->Add(b).ok());
    ASSERT_TRUE(index_->Commit().ok());

    std::promise<std::string> url;
    auto url_future = url.get_future();
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.operator_token = "tok";
    options.on_listening = [&url](const std::string& u) { url.set_value(u); };
    server_ = std::make_unique<Server>(index_.get(), options);
    serve_ = std::async(std::launch::async, [this] { return server_->Serve(); });
    ASSERT_EQ(url_future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    url_ = url_future.get();
    ASSERT_EQ(url_.rfind("http://127.0.0.1:", 0), 0u) << url_;
    ASSERT_EQ(url_.back(), '/');
    port_ = std::atoi(url_.substr(17).c_str());
    ASSERT_GT(port_, 0);
  }

  void TearDown() override {
    if (!server_) return;
    server_->Stop();
    ASSERT_EQ(serve_.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    Status st = serve_.get();
    EXPECT_TRUE(st.ok()) << st.ToString();
  }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5, 0);
    c.set_read_timeout(10, 0);
    return c;
  }

  std::unique_ptr<Index> index_;
  std::unique_ptr<Server> server_;
  std::future<Status> serve_;
  std::string url_;
  int port_ = 0;
};

TEST_F(ServerTest, ServesJsonOverHttp) {
  auto c = Client();
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->get_header_value("Content-Type"), "application/json; charset=utf-8");
  json h = json::parse(health->body);
  EXPECT_EQ(h["docs"], 2);

  auto search = c.Get("/api/search?q=" + server::PercentEncode("لاہور"));
  ASSERT_TRUE(search);
  EXPECT_EQ(search->status, 200);
  json s = json::parse(search->body);
  EXPECT_GE(s["total"].get<int>(), 1);
  EXPECT_EQ(s["query"], "لاہور");

  auto doc = c.Get("/api/doc/en-1");
  ASSERT_TRUE(doc);
  EXPECT_EQ(json::parse(doc->body)["title"], "Rain in Lahore");
}

TEST_F(ServerTest, HeadAndStaticFiles) {
  auto c = Client();
  auto head = c.Head("/");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  auto home = c.Get("/");
  ASSERT_TRUE(home);
  EXPECT_EQ(home->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(home->body.find("<html lang=\"ur\" dir=\"rtl\">"), std::string::npos);
  httplib::Headers inm = {{"If-None-Match", home->get_header_value("ETag")}};
  auto cached = c.Get("/", inm);
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->status, 304);
  auto reader = c.Get("/read/ur-1");
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->status, 200);
  EXPECT_NE(reader->body.find("لاہور میں بارش"), std::string::npos);
}

TEST_F(ServerTest, OperatorWritesOverHttp) {
  auto c = Client();
  auto denied = c.Post("/api/docs", "{\"id\":\"n1\",\"title\":\"x\"}\n", "application/x-ndjson");
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 401);
  httplib::Headers auth = {{"Authorization", "Bearer tok"}};
  auto added = c.Post("/api/docs", auth, "{\"id\":\"n1\",\"title\":\"ملتان\"}\n", "application/x-ndjson");
  ASSERT_TRUE(added);
  EXPECT_EQ(added->status, 200) << added->body;
  EXPECT_EQ(json::parse(added->body)["added"], 1);
  auto got = c.Get("/api/doc/n1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200);
  auto deleted = c.Delete("/api/docs/n1", auth);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 200) << deleted->body;
  EXPECT_EQ(c.Get("/api/doc/n1")->status, 404);
}

TEST_F(ServerTest, HostileRequestsGetClearErrorsAndTheServerLivesOn) {
  // A request target longer than the library's limit.
  std::string huge_target = "GET /api/search?q=" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n";
  int st = StatusOf(RawExchange(port_, huge_target));
  EXPECT_TRUE(st == 414 || st == 400) << st;

  // A very long header line.
  std::string big_header = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'b') + "\r\n\r\n";
  std::string resp = RawExchange(port_, big_header);
  st = StatusOf(resp);
  EXPECT_TRUE(st == 0 || (st >= 400 && st < 500)) << resp.substr(0, 200);

  // Garbage instead of a request line.
  resp = RawExchange(port_, std::string("\x01\x02\x03 garbage\r\n\r\n", 16));
  st = StatusOf(resp);
  EXPECT_TRUE(st == 0 || st == 400) << resp.substr(0, 200);

  // A body announced larger than the payload limit is refused before it is read.
  resp = RawExchange(port_,
                     "POST /api/docs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok\r\n"
                     "Content-Length: 1000000000\r\n\r\n{}");
  EXPECT_EQ(StatusOf(resp), 413) << resp.substr(0, 200);

  // Bad percent-encoding and traversal through a real socket.
  EXPECT_EQ(StatusOf(RawExchange(port_, "GET /api/search?q=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")), 400);
  EXPECT_EQ(StatusOf(RawExchange(port_, "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")), 400);
  EXPECT_EQ(StatusOf(RawExchange(port_, "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")),
            400);
  // A very long path on a method with a body.
  resp = RawExchange(port_, "DELETE /api/docs/" + std::string(4000, 'x') +
                                " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(resp), 414) << resp.substr(0, 200);
  // An unknown method.
  st = StatusOf(RawExchange(port_, "BREW /pot HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  EXPECT_TRUE(st >= 400 && st < 500) << st;

  auto c = Client();
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto metrics = c.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("rasai_http_requests_total{route=\"rejected\",status=\"413\"} 1\n"), std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("rasai_http_requests_total{route=\"rejected\",status=\"414\"}"), std::string::npos);
}

TEST_F(ServerTest, ManyConcurrentClients) {
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([this, &ok] {
      auto c = Client();
      for (int i = 0; i < 10; ++i) {
        auto r = c.Get("/api/search?q=" + server::PercentEncode("بارش"));
        if (r && r->status == 200) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 80);
  auto metrics = Client().Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("rasai_http_requests_total{route=\"/api/search\",status=\"200\"} 80\n"),
            std::string::npos);
}

// A script (or a phone gone wrong) that opens hundreds of connections and never finishes a request
// must not stall everyone else: connections hold no thread while they wait, one address holds at
// most 128 at once (the rest are closed at once), and others are answered as usual. Before, each
// connection held one of 64 threads for its 10 s read timeout, and /healthz waited minutes.
// A connection carries several requests (keep-alive), so that a phone does not open one per
// request.
// A body is received only for the operator's uploads: any other request with a body is answered
// from its headers (a visitor cannot make the server hold 64 MiB per connection).
TEST_F(ServerTest, ABodyIsReadOnlyForTheOperator) {
  const std::string head = "POST /api/docs HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n";
  std::string resp = RawExchange(port_, head + "\r\n{\"id\":");  // the body never comes
  EXPECT_EQ(StatusOf(resp), 401) << resp.substr(0, 200);
  resp = RawExchange(port_, head + "Authorization: Bearer wrong\r\n\r\n{\"id\":");
  EXPECT_EQ(StatusOf(resp), 403) << resp.substr(0, 200);
  resp = RawExchange(port_, "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\nxx");
  EXPECT_EQ(StatusOf(resp), 405) << resp.substr(0, 200);
  // A GET's body is dropped as it comes, and the GET answered.
  resp = RawExchange(port_, "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n0123456789");
  EXPECT_EQ(StatusOf(resp), 200) << resp.substr(0, 200);
  // The operator's upload is read whole.
  const std::string doc = "{\"id\":\"op-body\",\"title\":\"ملتان\",\"body\":\"آم\"}\n";
  resp = RawExchange(port_, "POST /api/docs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok\r\nContent-Length: " +
                                std::to_string(doc.size()) + "\r\n\r\n" + doc);
  EXPECT_EQ(StatusOf(resp), 200) << resp.substr(0, 300);
  EXPECT_NE(resp.find("\"added\":1"), std::string::npos) << resp.substr(0, 300);
}

TEST_F(ServerTest, AConnectionCarriesSeveralRequests) {
  const int fd = Connect(port_);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  for (int i = 0; i < 3; ++i) {
    const std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    ASSERT_EQ(send(fd, get.data(), get.size(), MSG_NOSIGNAL), static_cast<ssize_t>(get.size())) << "request " << i;
    std::string got;
    char buf[4096];
    while (got.find("\"status\":\"ok\"}") == std::string::npos) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      ASSERT_GT(n, 0) << "request " << i << " got: " << got;
      got.append(buf, static_cast<size_t>(n));
    }
    EXPECT_EQ(StatusOf(got), 200);
    EXPECT_EQ(got.find("Connection: close"), std::string::npos) << got;
  }
  close(fd);
}

TEST_F(ServerTest, HalfOpenConnectionsFromOneAddressDoNotStallOthers) {
  std::vector<int> held;
  for (int i = 0; i < 300; ++i) {
    const int fd = Connect(port_, 0x7F000002);  // from 127.0.0.2: another address than the client's below
    ASSERT_GE(fd, 0) << std::strerror(errno);
    const std::string half = "GET /healthz HTTP/1.1\r\nHost: x\r\n";  // never finished
    (void)!send(fd, half.data(), half.size(), MSG_NOSIGNAL);
    held.push_back(fd);
  }
  auto c = Client();
  c.set_read_timeout(5, 0);
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health) << "the server did not answer while another address held 300 half-open connections";
  EXPECT_EQ(health->status, 200);
  // The connections past the address's 128 were closed by the server.
  std::vector<pollfd> fds;
  for (int fd : held) fds.push_back(pollfd{fd, POLLIN, 0});
  size_t closed = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (closed < held.size() - 128 && std::chrono::steady_clock::now() < until) {
    poll(fds.data(), fds.size(), 100);
    closed = 0;
    for (const pollfd& p : fds) {
      if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char b;
      ssize_t n = recv(p.fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n <= 0) ++closed;
    }
  }
  EXPECT_GE(closed, held.size() - 128);
  for (int fd : held) close(fd);
}

TEST(ServerLifecycle, StopBeforeServeReturnsAtOnce) {
  std::string dir = rasai::testing::TempDir("server-life");
  auto index = Index::Open(dir + "/index", IndexOptions{}, true);
  ASSERT_TRUE(index.ok());
  ServerOptions options;
  options.port = 0;
  bool listened = false;
  options.on_listening = [&listened](const std::string&) { listened = true; };
  Server server(index->get(), options);
  server.Stop();
  auto serve = std::async(std::launch::async, [&server] { return server.Serve(); });
  ASSERT_EQ(serve.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(serve.get().ok());
  EXPECT_FALSE(listened);
}

TEST(ServerLifecycle, PortInUseIsAnError) {
  std::string dir = rasai::testing::TempDir("server-port");
  auto index = Index::Open(dir + "/index", IndexOptions{}, true);
  ASSERT_TRUE(index.ok());
  std::promise<std::string> url;
  ServerOptions first;
  first.port = 0;
  first.on_listening = [&url](const std::string& u) { url.set_value(u); };
  Server a(index->get(), first);
  auto serve_a = std::async(std::launch::async, [&a] { return a.Serve(); });
  auto f = url.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  int port = std::atoi(f.get().substr(17).c_str());
  ServerOptions second;
  second.port = static_cast<uint16_t>(port);
  Server b(index->get(), second);
  auto serve_b = std::async(std::launch::async, [&b] { return b.Serve(); });
  if (serve_b.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    b.Stop();
    ADD_FAILURE() << "a second server could bind the port in use";
  }
  Status st = serve_b.get();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.ToString().find(std::to_string(port)), std::string::npos) << st.ToString();
  a.Stop();
  EXPECT_TRUE(serve_a.get().ok());
}

}  // namespace
}  // namespace rasai
