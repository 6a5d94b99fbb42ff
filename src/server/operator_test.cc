// The operator's API and pages through the router: /api/stats and the usage figures (surviving a
// restart), login and sessions, CSRF protection, uploads (JSONL, .zip) with their jobs, sources
// and their removal.
#include <gtest/gtest.h>
#include <zip.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "rasai/index.h"
#include "server/router.h"
#include "server/url.h"
#include "test_util.h"

namespace rasai::server {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
using Headers = std::vector<std::pair<std::string, std::string>>;

Document Doc(std::string id, std::string title, std::string body, std::string lang, std::string source,
             std::string date) {
  Document d;
  d.id = std::move(id);
  d.title = std::move(title);
  d.body = std::move(body);
  d.lang = std::move(lang);
  d.source = std::move(source);
  d.date = std::move(date);
  return d;
}

class OperatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = rasai::testing::TempDir("operator") + "/index";
    auto index = Index::Open(dir_, IndexOptions{}, true);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    index_ = std::move(*index);
    for (const Document& d :
         {Doc("ur-1", "لاہور میں بارش", "لاہور میں آج شدید بارش ہوئی۔", "ur", "BBC Urdu", "2016-07-01T08:00:00Z"),
          Doc("ur-2", "کراچی میں کرکٹ", "کراچی میں کرکٹ میچ ہوا۔", "ur", "BBC Urdu", "2013-03-05"),
          Doc("en-1", "Rain in Lahore", "Heavy rain in Lahore.", "en", "BBC Urdu", ""),
          Doc("en-2", "Cricket in Karachi", "A cricket match in Karachi.", "en", "Dawn", "2017-01-02")})
      ASSERT_TRUE(index_->Add(d).ok());
    ASSERT_TRUE(index_->Commit().ok());
    MakeRouter();
  }

  void MakeRouter() {
    router_.reset();
    RouterOptions o;
    o.operator_token = "tok";
    o.index_dir = dir_;
    router_ = std::make_unique<Router>(index_.get(), o);
  }

  HttpResponse Call(const std::string& method, const std::string& target, std::string body = "", Headers headers = {},
                    std::string body_file = "") {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.body_file = std::move(body_file);
    return router_->Handle(r);
  }
  static json Json(const HttpResponse& r) {
    json j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.body;
    return j;
  }
  json Stats(const std::string& query = "") {
    HttpResponse r = Call("GET", "/api/stats" + query, "", {{"Authorization", "Bearer tok"}});
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r);
  }
  void Search(const std::string& q, const std::string& extra = "") {
    EXPECT_EQ(Call("GET", "/api/search?q=" + PercentEncode(q) + extra).status, 200);
  }

  // Logs in through the form; returns the cookie header value and the page's CSRF token.
  std::pair<std::string, std::string> LogIn() {
    HttpResponse r = Call("POST", "/operator/login", "token=tok&next=%2Foperator%2Fusage",
                          {{"Content-Type", "application/x-www-form-urlencoded"}, {"Host", "box:8080"}, {"Origin", "http://box:8080"}});
    EXPECT_EQ(r.status, 303) << r.body;
    const std::string* set = r.Header("Set-Cookie");
    EXPECT_NE(set, nullptr);
    if (!set) return {};
    const std::string cookie = set->substr(0, set->find(';'));
    HttpResponse page = Call("GET", "/operator", "", {{"Cookie", cookie}});
    EXPECT_EQ(page.status, 200);
    const std::string marker = "name=\"csrf-token\" content=\"";
    const size_t at = page.body.find(marker);
    EXPECT_NE(at, std::string::npos);
    if (at == std::string::npos) return {cookie, ""};
    return {cookie, page.body.substr(at + marker.size(), 64)};
  }

  // Waits for a job to finish; its JSON.
  json WaitJob(uint64_t id) {
    for (int i = 0; i < 600; ++i) {
      HttpResponse r = Call("GET", "/api/jobs/" + std::to_string(id), "", {{"Authorization", "Bearer tok"}});
      json j = Json(r);
      if (j["state"] != "queued" && j["state"] != "running") return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "job " << id << " did not finish";
    return {};
  }

  std::string dir_;
  std::unique_ptr<Index> index_;
  std::unique_ptr<Router> router_;
};

TEST_F(OperatorTest, StatsRefusesWithoutTheToken) {
  EXPECT_EQ(Call("GET", "/api/stats").status, 401);
  EXPECT_EQ(Call("GET", "/api/stats", "", {{"Authorization", "Bearer nope"}}).status, 403);
  EXPECT_EQ(Call("GET", "/api/stats", "", {{"Cookie", "rasai_operator=" + std::string(64, 'a')}}).status, 401);
  EXPECT_EQ(Call("GET", "/api/sources").status, 401);
  EXPECT_EQ(Call("GET", "/api/jobs").status, 401);
  EXPECT_EQ(Call("POST", "/api/stats", "", {{"Authorization", "Bearer tok"}}).status, 405);
  EXPECT_EQ(Call("GET", "/api/stats?period=month", "", {{"Authorization", "Bearer tok"}}).status, 400);
  json j = Stats();
  EXPECT_TRUE(j["top_queries"].is_array());
  EXPECT_TRUE(j["zero_result_queries"].is_array());
  EXPECT_EQ(j["collection"]["documents"], 4);
  EXPECT_EQ(j["collection"]["sources"], 2);
  EXPECT_EQ(j["collection"]["languages"]["ur"], 2);
  EXPECT_GT(j["collection"]["bytes_on_disk"].get<uint64_t>(), 0u);
}

TEST_F(OperatorTest, CountsVisitorsSearchesAndTheyFindNothing) {
  Search("لاہور");
  Search("  لاہور ");
  Search("لاہور", "&offset=10");           // paging: not a new search
  Search("لاہور", "&source=Dawn");         // a filter: not a new search
  Search("Cricket");
  Search("زززززز");
  EXPECT_EQ(Call("GET", "/search?q=" + PercentEncode("زززززز")).status, 200);  // the page without JavaScript counts too
  EXPECT_EQ(Call("GET", "/api/suggest?q=" + PercentEncode("لا")).status, 200);  // typing is not searching
  json j = Stats();
  EXPECT_EQ(j["searches"], 5);
  EXPECT_EQ(j["found_nothing"], 2);
  ASSERT_GE(j["top_queries"].size(), 3u);
  EXPECT_EQ(j["top_queries"][0], (json{{"query", "زززززز"}, {"count", 2}}));  // ties: by text
  EXPECT_EQ(j["top_queries"][1], (json{{"query", "لاہور"}, {"count", 2}}));
  EXPECT_EQ(j["top_queries"][2], (json{{"query", "cricket"}, {"count", 1}}));
  ASSERT_EQ(j["zero_result_queries"].size(), 1u);
  EXPECT_EQ(j["zero_result_queries"][0], (json{{"query", "زززززز"}, {"count", 2}}));
  EXPECT_EQ(Stats("?period=day")["searches"], 5);
  EXPECT_EQ(Stats("?period=week&n=1")["top_queries"].size(), 1u);
  // Aggregated only: nothing in the figures names a visitor.
  const std::string all = Stats().dump();
  EXPECT_EQ(all.find("127.0.0.1"), std::string::npos);
}

TEST_F(OperatorTest, UsageFiguresSurviveARestart) {
  Search("لاہور");
  Search("زززززز");
  router_.reset();  // the server stops: the figures are written
  ASSERT_TRUE(fs::exists(dir_ + "/USAGE"));
  // The index opens with the file in its folder (it is not taken for a leftover).
  index_.reset();
  auto index = Index::Open(dir_, IndexOptions{}, false);
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  index_ = std::move(*index);
  ASSERT_TRUE(fs::exists(dir_ + "/USAGE"));
  MakeRouter();
  json j = Stats();
  EXPECT_EQ(j["searches"], 2);
  EXPECT_EQ(j["zero_result_queries"][0]["query"], "زززززز");
  Search("لاہور");
  EXPECT_EQ(Stats()["top_queries"][0], (json{{"query", "لاہور"}, {"count", 2}}));
}

TEST_F(OperatorTest, LoginSetsAStrictHttpOnlyCookie) {
  HttpResponse page = Call("GET", "/operator/usage");
  EXPECT_EQ(page.status, 303);
  EXPECT_EQ(*page.Header("Location"), "/operator/login?next=%2Foperator%2Fusage");
  HttpResponse form = Call("GET", "/operator/login");
  EXPECT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("type=\"password\""), std::string::npos);
  EXPECT_NE(form.body.find("dir=\"rtl\""), std::string::npos);
  const Headers as_form = {{"Content-Type", "application/x-www-form-urlencoded"}};
  HttpResponse wrong = Call("POST", "/operator/login", "token=nope", as_form);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.Header("Set-Cookie"), nullptr);
  HttpResponse right = Call("POST", "/operator/login", "token=tok&next=%2Foperator%2Fusage", as_form);
  ASSERT_EQ(right.status, 303);
  EXPECT_EQ(*right.Header("Location"), "/operator/usage");
  const std::string cookie = *right.Header("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  // A next that leaves the operator pages (or the site) is not followed.
  HttpResponse away = Call("POST", "/operator/login", "token=tok&next=%2F%2Fevil.example%2F", as_form);
  EXPECT_EQ(*away.Header("Location"), "/operator");
  // A login posted from another site is refused.
  EXPECT_EQ(Call("POST", "/operator/login", "token=tok",
                 {{"Content-Type", "application/x-www-form-urlencoded"}, {"Host", "box"}, {"Origin", "http://evil.example"}})
                .status,
            403);

  const std::string session = cookie.substr(0, cookie.find(';'));
  HttpResponse usage = Call("GET", "/operator/usage", "", {{"Cookie", "a=b; " + session}});
  EXPECT_EQ(usage.status, 200);
  EXPECT_EQ(*usage.Header("Referrer-Policy"), "same-origin");
  EXPECT_NE(usage.Header("Content-Security-Policy"), nullptr);
  EXPECT_NE(usage.body.find("id=\"top-queries\""), std::string::npos);
  // The session also opens the JSON API for reading.
  EXPECT_EQ(Call("GET", "/api/stats", "", {{"Cookie", session}}).status, 200);
}

TEST_F(OperatorTest, ChangesFromPagesNeedTheirCsrfTokenAndOurOrigin) {
  auto [cookie, csrf] = LogIn();
  ASSERT_EQ(csrf.size(), 64u);
  const Headers form = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}, {"Host", "box:8080"}};
  // No token, a wrong one, a foreign Origin: refused, nothing deleted.
  EXPECT_EQ(Call("POST", "/operator/delete-doc", "id=ur-1", form).status, 403);
  EXPECT_EQ(Call("POST", "/operator/delete-doc", "id=ur-1&csrf=" + std::string(64, '0'), form).status, 403);
  Headers foreign = form;
  foreign.emplace_back("Origin", "http://evil.example");
  EXPECT_EQ(Call("POST", "/operator/delete-doc", "id=ur-1&csrf=" + csrf, foreign).status, 403);
  EXPECT_EQ(Call("DELETE", "/api/docs/ur-1", "", {{"Cookie", cookie}}).status, 403);  // the API through the cookie
  EXPECT_EQ(Call("DELETE", "/api/sources/Dawn", "", {{"Cookie", cookie}}).status, 403);
  EXPECT_TRUE(index_->snapshot()->Get("ur-1").ok());
  // Without the session, the token alone does nothing either.
  EXPECT_EQ(Call("POST", "/operator/delete-doc", "id=ur-1&csrf=" + csrf,
                 {{"Content-Type", "application/x-www-form-urlencoded"}})
                .status,
            401);

  Headers ours = form;
  ours.emplace_back("Origin", "http://box:8080");
  HttpResponse ok = Call("POST", "/operator/delete-doc", "id=ur-1&csrf=" + csrf, ours);
  ASSERT_EQ(ok.status, 303) << ok.body;
  EXPECT_EQ(*ok.Header("Location"), "/operator?done=deleted&what=ur-1");
  EXPECT_FALSE(index_->snapshot()->Get("ur-1").ok());
  EXPECT_EQ(*Call("POST", "/operator/delete-doc", "id=ur-1&csrf=" + csrf, ours).Header("Location"),
            "/operator?done=missing&what=ur-1");
  EXPECT_EQ(Call("DELETE", "/api/docs/ur-2", "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}).status, 200);

  // Logging out ends the session.
  HttpResponse out = Call("POST", "/operator/logout", "csrf=" + csrf, ours);
  EXPECT_EQ(out.status, 303);
  EXPECT_NE(out.Header("Set-Cookie")->find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/stats", "", {{"Cookie", cookie}}).status, 401);
}

TEST_F(OperatorTest, OnlyTheOperatorsBodiesAreRead) {
  auto plan = [&](std::string method, std::string target, Headers headers = {}) {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.headers = std::move(headers);
    return router_->PlanBody(r);
  };
  EXPECT_EQ(plan("POST", "/operator/login").kind, BodyPlan::Kind::kMemory);  // anyone may log in: 4 KiB
  EXPECT_EQ(plan("POST", "/operator/login").limit, 4096u);
  EXPECT_EQ(plan("POST", "/operator/delete-doc").kind, BodyPlan::Kind::kNone);
  EXPECT_EQ(plan("POST", "/api/uploads").kind, BodyPlan::Kind::kNone);
  EXPECT_EQ(plan("POST", "/api/uploads", {{"Authorization", "Bearer nope"}}).kind, BodyPlan::Kind::kNone);
  BodyPlan up = plan("POST", "/api/uploads?name=a.zip", {{"Authorization", "Bearer tok"}});
  EXPECT_EQ(up.kind, BodyPlan::Kind::kFile);
  EXPECT_EQ(up.file.rfind(dir_ + "/uploads/", 0), 0u);
  auto [cookie, csrf] = LogIn();
  EXPECT_EQ(plan("POST", "/operator/delete-doc", {{"Cookie", cookie}}).kind, BodyPlan::Kind::kMemory);
  EXPECT_EQ(plan("POST", "/api/uploads", {{"Cookie", cookie}}).kind, BodyPlan::Kind::kNone);  // no CSRF header
  EXPECT_EQ(plan("POST", "/api/uploads", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}).kind, BodyPlan::Kind::kFile);
}

TEST_F(OperatorTest, SourcesAreListedAndRemoved) {
  HttpResponse r = Call("GET", "/api/sources", "", {{"Authorization", "Bearer tok"}});
  ASSERT_EQ(r.status, 200);
  json s = Json(r)["sources"];
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0]["source"], "BBC Urdu");
  EXPECT_EQ(s[0]["documents"], 3);
  EXPECT_EQ(s[0]["languages"], (json{{"en", 1}, {"ur", 2}}));
  EXPECT_EQ(s[0]["first_date"], "2013-03-05");
  EXPECT_EQ(s[0]["last_date"], "2016-07-01");
  EXPECT_EQ(s[0]["dated"], 2);
  EXPECT_EQ(s[1]["source"], "Dawn");

  HttpResponse removed = Call("DELETE", "/api/sources/" + PercentEncode("BBC Urdu"), "", {{"Authorization", "Bearer tok"}});
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(Json(removed)["deleted"], 3);
  EXPECT_EQ(index_->snapshot()->live_docs(), 1u);
  EXPECT_EQ(Call("DELETE", "/api/sources/Nowhere", "", {{"Authorization", "Bearer tok"}}).status, 404);
  HttpResponse later = Call("DELETE", "/api/sources/Dawn?async=1", "", {{"Authorization", "Bearer tok"}});
  ASSERT_EQ(later.status, 202);
  json job = WaitJob(Json(later)["job"]);
  EXPECT_EQ(job["state"], "done");
  EXPECT_EQ(job["kind"], "remove-source");
  EXPECT_EQ(job["result"]["deleted"], 1);
  EXPECT_EQ(index_->snapshot()->live_docs(), 0u);
}

// Writes `bytes` to a new file in the upload folder, as the HTTP layer does.
std::string Spool(const std::string& dir, const std::string& bytes) {
  static int n = 0;
  fs::create_directories(dir + "/uploads");
  const std::string path = dir + "/uploads/test-body-" + std::to_string(++n);
  rasai::testing::WriteFile(path, bytes);
  return path;
}

TEST_F(OperatorTest, AJsonlUploadIsReadInTheBackground) {
  const std::string body =
      "{\"id\":\"up-1\",\"title\":\"ملتان کے آم\",\"body\":\"ملتان کے آم میٹھے ہیں\"}\n"
      "{broken\n"
      "{\"id\":\"up-2\",\"title\":\"Multan\",\"body\":\"mangoes\",\"source\":\"Farm\"}\n";
  const std::string file = Spool(dir_, body);
  HttpResponse r = Call("POST", "/api/uploads?name=" + PercentEncode("../../mangoes.jsonl"), "",
                        {{"Authorization", "Bearer tok"}}, file);
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_FALSE(fs::exists(file));  // taken by the job
  json job = WaitJob(Json(r)["job"]);
  ASSERT_EQ(job["state"], "done") << job.dump();
  EXPECT_EQ(job["label"], "mangoes.jsonl");
  EXPECT_EQ(job["result"]["added"], 2);
  EXPECT_EQ(job["result"]["problem_count"], 1);
  EXPECT_EQ(job["result"]["problems"][0]["line"], 2);
  EXPECT_EQ(job["result"]["problems"][0]["file"], "mangoes.jsonl");
  Result<Document> doc = index_->snapshot()->Get("up-1");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->source, "mangoes");  // no source: the file's name
  EXPECT_EQ(index_->snapshot()->Get("up-2")->source, "Farm");
  // The jobs list shows it; the upload's folder is gone.
  json jobs = Json(Call("GET", "/api/jobs", "", {{"Authorization", "Bearer tok"}}))["jobs"];
  ASSERT_FALSE(jobs.empty());
  EXPECT_EQ(jobs[0]["kind"], "upload");
  EXPECT_TRUE(fs::is_empty(dir_ + "/uploads"));

  // Refusals: no name, an unknown kind, no body, nothing readable.
  EXPECT_EQ(Call("POST", "/api/uploads", "", {{"Authorization", "Bearer tok"}}, Spool(dir_, "x")).status, 400);
  EXPECT_EQ(Call("POST", "/api/uploads?name=a.exe", "", {{"Authorization", "Bearer tok"}}, Spool(dir_, "x")).status, 415);
  EXPECT_EQ(Call("POST", "/api/uploads?name=a.jsonl", "", {{"Authorization", "Bearer tok"}}).status, 400);
  EXPECT_EQ(Call("POST", "/api/uploads?name=a.jsonl", "", {}, Spool(dir_, "x")).status, 401);
  HttpResponse bad = Call("POST", "/api/uploads?name=bad.jsonl", "", {{"Authorization", "Bearer tok"}}, Spool(dir_, "{no\n"));
  ASSERT_EQ(bad.status, 202);
  json failed = WaitJob(Json(bad)["job"]);
  EXPECT_EQ(failed["state"], "failed");
  EXPECT_EQ(failed["status"], 422);
  EXPECT_TRUE(fs::is_empty(dir_ + "/uploads"));
}

// An upload runs the batch path of `rasai index`: documents without a source get the file's
// name, and an opening 25 of them share is removed from each (and listed) before indexing.
TEST_F(OperatorTest, AnUploadRemovesTheOpeningsRasaiIndexRemoves) {
  std::string body;
  for (int i = 0; i < 25; ++i)
    body += "{\"id\":\"w" + std::to_string(i) +
            "\",\"body\":\"اس پوسٹ کو شیئر کریں ای میل فیس بک خبر " + std::to_string(i) + " یہاں\"}\n";
  HttpResponse r = Call("POST", "/api/uploads?name=weekly.jsonl", "", {{"Authorization", "Bearer tok"}},
                        Spool(dir_, body));
  ASSERT_EQ(r.status, 202) << r.body;
  json job = WaitJob(Json(r)["job"]);
  ASSERT_EQ(job["state"], "done") << job.dump();
  EXPECT_EQ(job["result"]["added"], 25);
  ASSERT_EQ(job["result"]["removed_openings"].size(), 1u) << job.dump();
  EXPECT_EQ(job["result"]["removed_openings"][0]["source"], "weekly");
  EXPECT_EQ(job["result"]["removed_openings"][0]["words"], 10);
  EXPECT_EQ(job["result"]["removed_openings"][0]["documents"], 25);
  Result<Document> doc = index_->snapshot()->Get("w3");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->source, "weekly");
  EXPECT_EQ(doc->body, "3 یہاں");
  EXPECT_TRUE(fs::is_empty(dir_ + "/uploads"));
}

// A .zip made with libzip: `entries` are (name, content).
std::string MakeZip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries) {
  int error = 0;
  zip_t* za = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(za, nullptr);
  std::vector<std::unique_ptr<std::string>> keep;
  for (const auto& [name, content] : entries) {
    keep.push_back(std::make_unique<std::string>(content));
    zip_source_t* src = zip_source_buffer(za, keep.back()->data(), keep.back()->size(), 0);
    EXPECT_GE(zip_file_add(za, name.c_str(), src, ZIP_FL_ENC_UTF_8), 0) << name;
  }
  EXPECT_EQ(zip_close(za), 0);
  return rasai::testing::ReadFile(path);
}

TEST_F(OperatorTest, AZipOfASavedSiteIsUnpackedSafelyAndRead) {
  const std::string tmp = rasai::testing::TempDir("operator-zip");
  const std::string page = "<html lang=\"ur\"><head><title>پشاور میں برف</title></head><body><h1>پشاور میں برف</h1>"
                           "<p>پشاور اور گرد و نواح میں برف باری سے سردی بڑھ گئی۔</p></body></html>";
  const std::string zip = MakeZip(tmp + "/site.zip", {{"site/news/snow.html", page},
                                                      {"site/style.css", "body{}"},
                                                      {"../../escape.html", page},
                                                      {"/etc/passwd.html", page}});
  HttpResponse r = Call("POST", "/api/uploads?name=mysite.zip", "", {{"Authorization", "Bearer tok"}}, Spool(dir_, zip));
  ASSERT_EQ(r.status, 202) << r.body;
  json job = WaitJob(Json(r)["job"]);
  ASSERT_EQ(job["state"], "done") << job.dump();
  EXPECT_EQ(job["result"]["zip"]["entries"], 4);
  EXPECT_EQ(job["result"]["zip"]["ignored"], 1);  // the stylesheet
  EXPECT_EQ(job["result"]["zip"]["problems"].size(), 1u) << job.dump();  // "../../escape.html"
  EXPECT_EQ(job["result"]["added"], 2);  // snow.html and etc/passwd.html (made relative)
  EXPECT_FALSE(fs::exists(fs::path(dir_).parent_path() / "escape.html"));
  EXPECT_FALSE(fs::exists(fs::path(dir_) / "escape.html"));
  auto hits = Json(Call("GET", "/api/search?q=" + PercentEncode("پشاور برف")));
  ASSERT_GE(hits["total"].get<int>(), 1);
  EXPECT_EQ(hits["hits"][0]["source"], "mysite");
  EXPECT_TRUE(fs::is_empty(dir_ + "/uploads"));

  HttpResponse junk = Call("POST", "/api/uploads?name=junk.zip", "", {{"Authorization", "Bearer tok"}},
                           Spool(dir_, "PK\x03\x04 not really a zip"));
  ASSERT_EQ(junk.status, 202);
  json failed = WaitJob(Json(junk)["job"]);
  EXPECT_EQ(failed["state"], "failed");
  EXPECT_NE(failed["result"]["error"].get<std::string>().find("zip"), std::string::npos) << failed.dump();
}

TEST_F(OperatorTest, PagesShowTheCollectionUploadAndUsage) {
  Search("لاہور");
  auto [cookie, csrf] = LogIn();
  HttpResponse home = Call("GET", "/operator", "", {{"Cookie", cookie}});
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("BBC Urdu"), std::string::npos);
  EXPECT_NE(home.body.find("2013-03-05 – 2016-07-01"), std::string::npos);
  EXPECT_NE(home.body.find("action=\"/operator/remove-source\""), std::string::npos);
  EXPECT_NE(home.body.find("name=\"csrf\" value=\"" + csrf + "\""), std::string::npos);
  HttpResponse upload = Call("GET", "/operator/upload", "", {{"Cookie", cookie}});
  EXPECT_NE(upload.body.find("id=\"upload-form\""), std::string::npos);
  EXPECT_NE(upload.body.find("/operator.js"), std::string::npos);
  HttpResponse usage = Call("GET", "/operator/usage?period=day", "", {{"Cookie", cookie}});
  EXPECT_NE(usage.body.find(">لاہور</a>"), std::string::npos);
  EXPECT_EQ(Call("GET", "/operator/nothing", "", {{"Cookie", cookie}}).status, 404);
  // A source removed from the page: the form needs its confirmation box.
  const Headers form = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}};
  HttpResponse unconfirmed = Call("POST", "/operator/remove-source", "source=Dawn&csrf=" + csrf, form);
  EXPECT_EQ(*unconfirmed.Header("Location"), "/operator?done=failed&what=Dawn");
  HttpResponse removing = Call("POST", "/operator/remove-source", "source=Dawn&confirm=yes&csrf=" + csrf, form);
  EXPECT_EQ(removing.status, 303);
  for (int i = 0; i < 200 && index_->snapshot()->live_docs() != 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(index_->snapshot()->live_docs(), 3u);
}

}  // namespace
}  // namespace rasai::server
