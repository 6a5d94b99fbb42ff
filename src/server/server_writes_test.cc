// Writes over real sockets: a write waits on the writer thread (index_jobs.h), never on a polling
// thread, and below the visitors in CPU priority; the server stops cleanly with writes waiting.
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sys/resource.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "rasai/index.h"
#include "rasai/server.h"
#include "test_util.h"

namespace rasai {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class ServerWrites : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = rasai::testing::TempDir("server-writes") + "/index";
    auto index = Index::Open(dir_, IndexOptions{}, true);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    // Empty, as `rasai serve` starts: the index starts its writing threads on the first write,
    // which happens on the writer.
    index_ = std::move(*index);
    std::promise<std::string> url;
    auto url_future = url.get_future();
    ServerOptions options;
    options.port = 0;
    options.operator_token = "tok";
    options.index_dir = dir_;
    options.on_listening = [&url](const std::string& u) { url.set_value(u); };
    server_ = std::make_unique<Server>(index_.get(), options);
    serve_ = std::async(std::launch::async, [this] { return server_->Serve(); });
    ASSERT_EQ(url_future.wait_for(10s), std::future_status::ready);
    port_ = std::atoi(url_future.get().substr(17).c_str());
  }
  void TearDown() override {
    StopHogs();
    if (!server_) return;
    server_->Stop();
    ASSERT_EQ(serve_.wait_for(30s), std::future_status::ready);
    EXPECT_TRUE(serve_.get().ok());
  }

  httplib::Client Client(int read_timeout_s = 60) {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(5, 0);
    c.set_read_timeout(read_timeout_s, 0);
    return c;
  }

  // Keeps every core busy at the visitors' priority, as a crowd of searches would.
  void StartHogs() {
    const unsigned n = std::max(2u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < n; ++i)
      hogs_.emplace_back([this] {
        volatile uint64_t x = 0;
        while (!stop_hogs_.load(std::memory_order_relaxed)) x = x + 1;
      });
  }
  void StopHogs() {
    stop_hogs_ = true;
    for (auto& t : hogs_) t.join();
    hogs_.clear();
  }

  static std::string Batch(int n, const std::string& prefix) {
    std::string body;
    for (int i = 0; i < n; ++i)
      body += "{\"id\":\"" + prefix + std::to_string(i) + "\",\"title\":\"ملتان " + std::to_string(i) +
              "\",\"body\":\"ملتان کے آم بہت میٹھے ہیں اور ان کی خوشبو دور تک جاتی ہے " + std::to_string(i) +
              "\"}\n";
    return body;
  }

  std::string dir_;
  std::unique_ptr<Index> index_;
  std::unique_ptr<Server> server_;
  std::future<Status> serve_;
  int port_ = 0;
  std::atomic<bool> stop_hogs_{false};
  std::vector<std::thread> hogs_;
};

// While every core is busy at the visitors' priority, a batch waits on the writer (which gets a
// small share of the CPU), and the visitors' requests are answered meanwhile, on
// kept-alive connections opened before it, which the library spread over its polling threads.
// When a polling thread ran the batch itself, the connections it polled waited for the commit.
TEST_F(ServerWrites, VisitorsAreAnsweredWhileABatchWaitsForTheWriter) {
  std::vector<std::unique_ptr<httplib::Client>> visitors;
  for (int i = 0; i < 32; ++i) {
    visitors.push_back(std::make_unique<httplib::Client>("127.0.0.1", port_));
    visitors.back()->set_keep_alive(true);
    visitors.back()->set_read_timeout(5, 0);
    auto r = visitors.back()->Get("/healthz");
    ASSERT_TRUE(r);
  }
  StartHogs();
  // The scheduler now and then gives the writer enough CPU to finish a batch before the visitors
  // ask (1 run in 20 alone on a quiet machine, more often beside other tests): then nothing was
  // tested, and it is tried again with another batch.
  constexpr int kDocs = 60000;  // about 12 MB
  int answered_while_pending = 0, batches = 0;
  std::future<int> post;
  std::atomic<bool> posted{false};
  for (int attempt = 0; attempt < 4 && answered_while_pending < 28; ++attempt) {
    if (post.valid()) {
      EXPECT_EQ(post.get(), 200);  // written already
    }
    posted = false;
    post = std::async(std::launch::async, [this, &posted, attempt] {
      auto c = Client();
      auto r = c.Post("/api/docs", {{"Authorization", "Bearer tok"}},
                      Batch(kDocs, "m" + std::to_string(attempt) + "-"), "application/x-ndjson");
      posted = true;
      return r ? r->status : -1;
    });
    ++batches;
    std::this_thread::sleep_for(300ms);  // the body is received and the job started
    answered_while_pending = 0;
    double slowest_ms = 0;
    for (size_t i = 0; i < visitors.size(); ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      auto r = i % 2 ? visitors[i]->Get("/healthz") : visitors[i]->Get("/api/search?q=%D9%85%D9%84%D8%AA%D8%A7%D9%86");
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      ASSERT_TRUE(r) << "visitor " << i << " got no answer";
      EXPECT_EQ(r->status, 200);
      slowest_ms = std::max(slowest_ms, ms);
      if (!posted) ++answered_while_pending;
    }
    std::printf("slowest %.0f ms, %d answered while the batch waited\n", slowest_ms, answered_while_pending);
    // 72 ms at most in 10 runs at nice 10 (a visitor waits for what the writer holds); seconds
    // under SCHED_IDLE.
    EXPECT_LT(slowest_ms, 1500);
  }
  EXPECT_GE(answered_while_pending, 28) << "every batch was written before the visitors' requests: no test";
  StopHogs();
  EXPECT_EQ(post.get(), 200);
  auto health = Client().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(json::parse(health->body)["docs"], kDocs * batches);
}

// The threads the index starts while writing (analysis, segment writing, merges) are named after
// the writer and share its nice value.
TEST_F(ServerWrites, TheIndexThreadsOfAWriteRunAtTheWritersPriority) {
  auto r = Client().Post("/api/docs", {{"Authorization", "Bearer tok"}}, Batch(2000, "p-"), "application/x-ndjson");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  int writers = 0;
  DIR* tasks = opendir("/proc/self/task");
  ASSERT_NE(tasks, nullptr);
  while (dirent* e = readdir(tasks)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream comm(std::string("/proc/self/task/") + e->d_name + "/comm");
    std::string name;
    std::getline(comm, name);
    if (name != "rasai-writer") continue;
    ++writers;
    EXPECT_EQ(getpriority(PRIO_PROCESS, static_cast<id_t>(std::atoi(e->d_name))), 10) << "thread " << e->d_name;
  }
  closedir(tasks);
  // The writer, plus the analysis thread on a machine of two cores or more.
  EXPECT_GE(writers, std::thread::hardware_concurrency() >= 2 ? 2 : 1);
}

// Stopping with a batch running and others queued: the queued ones answer 503, the running one
// finishes, and the server stops (the library is never stopped with a connection suspended).
// Stop() is called once the operator's job list shows two batches queued: how many batches ran
// before that depends on the machine's speed, not on the server.
TEST_F(ServerWrites, StoppingAnswersEveryWaitingWrite) {
  StartHogs();  // keeps the first batch running while the others queue
  constexpr int kPosts = 4;
  std::vector<std::future<int>> posts;
  for (int i = 0; i < kPosts; ++i) {
    posts.push_back(std::async(std::launch::async, [this, i] {
      auto r = Client().Post("/api/docs", {{"Authorization", "Bearer tok"}}, Batch(6000, "s" + std::to_string(i) + "-"),
                             "application/x-ndjson");
      return r ? r->status : -1;
    }));
  }
  int queued = 0;
  for (int i = 0; i < 600 && queued < 2; ++i) {
    std::this_thread::sleep_for(50ms);
    auto jobs = Client().Get("/api/jobs", {{"Authorization", "Bearer tok"}});
    ASSERT_TRUE(jobs);
    queued = 0;
    const json list = json::parse(jobs->body);
    for (const auto& j : list["jobs"]) queued += j["state"] == "queued";
  }
  ASSERT_GE(queued, 2) << "the batches never queued behind one another: no test";
  auto stopping = std::async(std::launch::async, [this] { server_->Stop(); });
  std::this_thread::sleep_for(200ms);
  StopHogs();
  stopping.get();
  ASSERT_EQ(serve_.wait_for(30s), std::future_status::ready);
  EXPECT_TRUE(serve_.get().ok());
  server_.reset();
  int ok = 0, refused = 0;
  std::string statuses;
  for (auto& p : posts) {
    const int status = p.get();
    statuses += " " + std::to_string(status);
    EXPECT_TRUE(status == 200 || status == 503 || status == -1) << status;  // -1: still uploading
    ok += status == 200;
    refused += status == 503;
  }
  // Of the two seen queued, at most one can have started before Stop() took the queue; the
  // running one finishes.
  EXPECT_GE(refused, 1) << statuses;
  EXPECT_LE(ok, 2) << statuses;
}

// An upload is written to the index folder's uploads/ as it arrives; one the client abandons
// half-way leaves nothing there, and a whole one is read by a job.
TEST_F(ServerWrites, UploadsGoToDiskAndAnAbandonedOneLeavesNothing) {
  const std::string spool = dir_ + "/uploads";
  {
    httplib::Client c("127.0.0.1", port_);
    auto r = c.Post("/api/uploads?name=a.jsonl", {{"Authorization", "Bearer tok"}},
                    "{\"id\":\"u1\",\"title\":\"ملتان\",\"body\":\"آم\"}\n", "application/octet-stream");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 202) << r->body;
    const uint64_t job = json::parse(r->body)["job"];
    for (int i = 0; i < 200; ++i) {
      auto j = c.Get("/api/jobs/" + std::to_string(job), {{"Authorization", "Bearer tok"}});
      ASSERT_TRUE(j);
      if (json::parse(j->body)["state"] == "done") break;
      std::this_thread::sleep_for(50ms);
    }
    auto doc = c.Get("/api/doc/u1");
    ASSERT_TRUE(doc);
    EXPECT_EQ(doc->status, 200);
  }
  // Half a body, then the client goes away.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string head =
      "POST /api/uploads?name=b.jsonl HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok\r\n"
      "Content-Length: 1000000\r\n\r\n" + std::string(100000, 'x');
  ASSERT_EQ(send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  bool written = false;
  for (int i = 0; i < 500 && !written; ++i) {  // the body is being written to uploads/ (10 s at most)
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(spool, ec)) written = written || e.is_regular_file();
    if (!written) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(written);
  close(fd);
  bool empty = false;
  for (int i = 0; i < 200 && !empty; ++i) {  // 10 s at most
    std::this_thread::sleep_for(50ms);
    empty = std::filesystem::is_empty(spool);
  }
  EXPECT_TRUE(empty) << "the abandoned upload was left in " << spool;
}

}  // namespace
}  // namespace rasai
