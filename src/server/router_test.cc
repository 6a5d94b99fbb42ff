// Router tests: every endpoint through HttpRequest -> HttpResponse, over a small real index built
// in a temp folder through the public Index API.
#include "server/router.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "rasai/index.h"
#include "server/url.h"
#include "test_util.h"

namespace rasai::server {
namespace {

using nlohmann::json;

Document Doc(std::string id, std::string title, std::string body, std::string lang, std::string source,
             std::string category, std::string date) {
  Document d;
  d.id = std::move(id);
  d.title = std::move(title);
  d.body = std::move(body);
  d.lang = std::move(lang);
  d.source = std::move(source);
  d.category = std::move(category);
  d.date = std::move(date);
  return d;
}

RouterOptions Options(std::string token, std::string fonts_dir = "", size_t max_body_bytes = 0) {
  RouterOptions o;
  o.operator_token = std::move(token);
  o.fonts_dir = std::move(fonts_dir);
  if (max_body_bytes) o.max_body_bytes = max_body_bytes;
  return o;
}

std::vector<Document> Corpus() {
  return {
      Doc("ur-1", "لاہور میں شدید بارش", "لاہور میں آج شدید بارش ہوئی اور شہر کی کئی سڑکیں پانی سے بھر گئیں۔\nمحکمہ موسمیات کے مطابق بارش کل بھی جاری رہے گی۔",
          "ur", "BBC Urdu", "pakistan", "2016-07-01T08:00:00Z"),
      Doc("ur-2", "کراچی میں کرکٹ میچ", "نیشنل اسٹیڈیم کراچی میں کرکٹ میچ دیکھنے ہزاروں لوگ آئے۔ کرکٹ کے شائقین بہت خوش تھے۔",
          "ur", "VOA Urdu", "sports", "2017-03-05"),
      Doc("ur-3", "لاہور کی تاریخ", "لاہور پاکستان کا ایک قدیم شہر ہے۔ لاہور کے باغات اور عمارتیں مشہور ہیں۔", "ur", "BBC Urdu",
          "history", "2015-01-20"),
      Doc("en-1", "Heavy rain in Lahore", "Heavy rain flooded several roads in Lahore on Friday, the weather office said.",
          "en", "Dawn", "pakistan", "2016-07-02"),
      Doc("dir/with slash", "Path <b>id</b> & more", "A document whose id has a slash and a space.", "en", "Test", "misc",
          ""),
      Doc("ur-nolang", "پشاور میں برف باری", "پشاور اور گرد و نواح میں برف باری سے سردی بڑھ گئی۔", "", "BBC Urdu",
          "pakistan", "2014-12-30"),
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = rasai::testing::TempDir("router");
    auto index = Index::Open(dir_ + "/index", IndexOptions{}, true);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    index_ = std::move(*index);
    for (const Document& d : Corpus()) ASSERT_TRUE(index_->Add(d).ok());
    ASSERT_TRUE(index_->Commit().ok());
    MakeRouter(RouterOptions{});
  }

  void MakeRouter(RouterOptions options) { router_ = std::make_unique<Router>(index_.get(), std::move(options)); }

  HttpResponse Call(const std::string& method, const std::string& target, std::string body = "",
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return router_->Handle(r);
  }
  HttpResponse Get(const std::string& target) { return Call("GET", target); }

  static json Json(const HttpResponse& r) {
    EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
    json j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.body;
    return j;
  }

  json Search(const std::string& query_string, int want_status = 200) {
    HttpResponse r = Get("/api/search?" + query_string);
    EXPECT_EQ(r.status, want_status) << query_string << " -> " << r.body;
    return Json(r);
  }

  static std::vector<std::string> Ids(const json& result) {
    std::vector<std::string> ids;
    for (const auto& h : result["hits"]) ids.push_back(h["id"].get<std::string>());
    return ids;
  }
  static bool Contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }

  std::string dir_;
  std::unique_ptr<Index> index_;
  std::unique_ptr<Router> router_;
};

TEST_F(RouterTest, SearchUrdu) {
  json j = Search("q=" + PercentEncode("لاہور"));
  EXPECT_EQ(j["query"], "لاہور");
  EXPECT_GE(j["total"].get<uint64_t>(), 2u);
  EXPECT_TRUE(j["total_exact"].get<bool>());  // facets are on by default: every match is counted
  json nofacets = Search("q=" + PercentEncode("لاہور") + "&facets=0");
  EXPECT_TRUE(nofacets["total_exact"].is_boolean());
  EXPECT_EQ(Ids(nofacets), Ids(j));  // the same hits without facets (pruned evaluation)
  auto ids = Ids(j);
  EXPECT_TRUE(Contains(ids, "ur-1"));
  EXPECT_TRUE(Contains(ids, "ur-3"));
  EXPECT_FALSE(Contains(ids, "ur-2"));
  ASSERT_TRUE(j["took_ms"].is_number());
  ASSERT_TRUE(j["facets"].is_object());
  ASSERT_TRUE(j["suggestion"].is_string());
  bool marked = false;
  for (const auto& h : j["hits"]) {
    for (const char* field : {"id", "title", "snippet", "url", "date", "lang", "source", "category"}) {
      EXPECT_TRUE(h[field].is_string()) << field;
    }
    EXPECT_TRUE(h["score"].is_number());
    if (h["snippet"].get<std::string>().find("<mark>") != std::string::npos) marked = true;
  }
  EXPECT_TRUE(marked) << j.dump();
  const auto& first = j["hits"][0];
  EXPECT_FALSE(first["title"].get<std::string>().empty());
}

TEST_F(RouterTest, SearchEnglishAndFilters) {
  json j = Search("q=Lahore+rain");
  EXPECT_TRUE(Contains(Ids(j), "en-1"));

  json by_source = Search("q=" + PercentEncode("کرکٹ") + "&source=" + PercentEncode("VOA Urdu"));
  EXPECT_EQ(Ids(by_source), std::vector<std::string>{"ur-2"});
  json wrong_source = Search("q=" + PercentEncode("کرکٹ") + "&source=Dawn");
  EXPECT_EQ(wrong_source["total"], 0);
  EXPECT_TRUE(wrong_source["hits"].empty());

  json by_year = Search("q=" + PercentEncode("لاہور") + "&from=2016&to=2016");
  auto ids = Ids(by_year);
  EXPECT_TRUE(Contains(ids, "ur-1"));
  EXPECT_FALSE(Contains(ids, "ur-3"));  // 2015
}

TEST_F(RouterTest, SearchSortByDate) {
  json desc = Search("q=" + PercentEncode("لاہور") + "&sort=date");
  auto ids = Ids(desc);
  ASSERT_GE(ids.size(), 2u);
  for (size_t i = 1; i < desc["hits"].size(); ++i) {
    EXPECT_GE(desc["hits"][i - 1]["date"].get<std::string>(), desc["hits"][i]["date"].get<std::string>());
  }
  json asc = Search("q=" + PercentEncode("لاہور") + "&sort=date_asc");
  for (size_t i = 1; i < asc["hits"].size(); ++i) {
    EXPECT_LE(asc["hits"][i - 1]["date"].get<std::string>(), asc["hits"][i]["date"].get<std::string>());
  }
}

TEST_F(RouterTest, SearchPagingAndCaps) {
  json all = Search("q=" + PercentEncode("لاہور") + "&n=100");
  uint64_t total = all["total"];
  ASSERT_GE(total, 2u);
  json page1 = Search("q=" + PercentEncode("لاہور") + "&n=1&offset=0");
  json page2 = Search("q=" + PercentEncode("لاہور") + "&n=1&offset=1");
  ASSERT_EQ(page1["hits"].size(), 1u);
  ASSERT_EQ(page2["hits"].size(), 1u);
  EXPECT_NE(page1["hits"][0]["id"], page2["hits"][0]["id"]);
  EXPECT_EQ(page1["total"], total);
  json capped = Search("q=x&n=100000");
  EXPECT_EQ(capped["n"], 100);
  json beyond = Search("q=" + PercentEncode("لاہور") + "&offset=50");
  EXPECT_TRUE(beyond["hits"].empty());
}

TEST_F(RouterTest, SearchRejectsBadParameters) {
  for (const std::string qs : {"q=a&n=abc", "q=a&n=-1", "q=a&n=1.5", "q=a&n=", "q=a&offset=x", "q=a&offset=99999999",
                               "q=a&sort=random", "q=a&from=2015-13", "q=a&to=15", "q=a&from=2015-01-32",
                               "q=a&from=yesterday"}) {
    HttpResponse r = Get("/api/search?" + qs);
    EXPECT_EQ(r.status, 400) << qs;
    json j = Json(r);
    EXPECT_TRUE(j["error"].is_string()) << qs;
    EXPECT_EQ(j["status"], 400);
  }
  HttpResponse long_q = Get("/api/search?q=" + std::string(5000, 'a'));
  EXPECT_EQ(long_q.status, 400);
  EXPECT_NE(long_q.body.find("too long"), std::string::npos);
}

TEST_F(RouterTest, SearchNeverFailsOnOddQueryText) {
  const std::vector<std::string> odd = {
      "", "   ", "\"unclosed", "((((", "))", "AND OR NOT", "-", "--x", "*", "lang:", "source:\"", "a:b:c",
      "\xF0\x9F\x98\x80", "لاہور\"", "ك ي ه", "۱۲۳", std::string(300, 'x'), "a b c d e f g h i j k l m n o p q r s t",
      "\xFF\xFE", "\xD9", "<script>alert(1)</script>", "%", "+", "'; DROP TABLE docs; --"};
  for (const std::string& q : odd) {
    HttpResponse r = Get("/api/search?q=" + PercentEncode(q));
    EXPECT_EQ(r.status, 200) << "query [" << q << "] -> " << r.body;
    json j = Json(r);
    EXPECT_TRUE(j["hits"].is_array());
  }
  std::string many;
  for (int i = 0; i < 300; ++i) many += "w" + std::to_string(i) + " ";
  EXPECT_EQ(Get("/api/search?q=" + PercentEncode(many)).status, 200);
}

TEST_F(RouterTest, MalformedRequestsGet400) {
  for (const std::string t : {"/api/search?q=%zz", "/api/search?q=%", "/api/search?q=%E0%A", "/api/doc/%", "/api/doc/%G0",
                              "/%00", "/api/doc/a%00b", "/read/%ZZ"}) {
    HttpResponse r = Get(t);
    EXPECT_EQ(r.status, 400) << t;
    EXPECT_EQ(Json(r)["status"], 400) << t;
  }
  EXPECT_EQ(Get("/api/doc/%FF%FE").status, 400);  // path is not UTF-8
  EXPECT_EQ(Get("relative").status, 400);
  EXPECT_EQ(Get("").status, 400);
}

TEST_F(RouterTest, PathTraversalIsRefused) {
  for (const std::string t : {"/../etc/passwd", "/%2e%2e/etc/passwd", "/static/../../etc/passwd", "/fonts/../index.html",
                              "/fonts/..%2f..%2fetc%2fpasswd", "/a\\..\\b", "/./app.js"}) {
    HttpResponse r = Get(t);
    EXPECT_EQ(r.status, 400) << t;
  }
}

TEST_F(RouterTest, GetDoc) {
  HttpResponse r = Get("/api/doc/ur-1");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = Json(r);
  EXPECT_EQ(j["id"], "ur-1");
  EXPECT_EQ(j["title"], "لاہور میں شدید بارش");
  EXPECT_EQ(j["source"], "BBC Urdu");
  EXPECT_NE(j["body"].get<std::string>().find("محکمہ موسمیات"), std::string::npos);

  // An id with a slash and a space: encoded or not, it is the same document.
  EXPECT_EQ(Json(Get("/api/doc/" + PercentEncode("dir/with slash")))["id"], "dir/with slash");
  EXPECT_EQ(Json(Get("/api/doc/dir/with%20slash"))["id"], "dir/with slash");

  HttpResponse missing = Get("/api/doc/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Json(missing)["status"], 404);
  EXPECT_EQ(Get("/api/doc/").status, 404);
}

TEST_F(RouterTest, Related) {
  HttpResponse r = Get("/api/related/ur-1?n=3");
  ASSERT_EQ(r.status, 200) << r.body;
  json j = Json(r);
  EXPECT_EQ(j["id"], "ur-1");
  ASSERT_TRUE(j["hits"].is_array());
  EXPECT_LE(j["hits"].size(), 3u);
  for (const auto& h : j["hits"]) EXPECT_NE(h["id"], "ur-1");
  EXPECT_EQ(Get("/api/related/nope").status, 404);
  EXPECT_EQ(Get("/api/related/ur-1?n=x").status, 400);
}

TEST_F(RouterTest, Suggest) {
  json j = Json(Get("/api/suggest?q=" + PercentEncode("لاہ")));
  EXPECT_EQ(j["query"], "لاہ");
  ASSERT_TRUE(j["suggestions"].is_array());
  bool found = false;
  for (const auto& s : j["suggestions"]) {
    if (s.get<std::string>().find("لاہور") != std::string::npos) found = true;
  }
  EXPECT_TRUE(found) << j.dump();
  EXPECT_TRUE(Json(Get("/api/suggest?q="))["suggestions"].empty());
  EXPECT_TRUE(Json(Get("/api/suggest"))["suggestions"].empty());
  EXPECT_EQ(Get("/api/suggest?q=a&n=zz").status, 400);
  EXPECT_LE(Json(Get("/api/suggest?q=a&n=1"))["suggestions"].size(), 1u);
}

// Roman Urdu: the API and the results page say what was searched in Urdu script; suggestions
// accept Roman prefixes.
TEST_F(RouterTest, RomanUrduSearchAndSuggest) {
  json j = Search("q=" + PercentEncode("lahore mein shadeed barish"));
  ASSERT_TRUE(j["transliteration"].is_string());
  EXPECT_EQ(j["transliteration"], "لاہور میں شدید بارش") << j.dump();
  ASSERT_FALSE(Ids(j).empty());
  EXPECT_EQ(Ids(j)[0], "ur-1");
  EXPECT_EQ(Search("q=" + PercentEncode("لاہور"))["transliteration"], "");
  EXPECT_EQ(Search("q=heavy+rain")["transliteration"], "");  // English words of this collection

  HttpResponse page = Get("/search?q=" + PercentEncode("lahore mein shadeed barish"));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("تلاش: <bdi lang=\"ur\" dir=\"rtl\">لاہور میں شدید بارش</bdi>"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/read/ur-1\""), std::string::npos);
  EXPECT_EQ(Get("/search?q=" + PercentEncode("لاہور")).body.find("searched-as"), std::string::npos);

  json s = Json(Get("/api/suggest?q=" + PercentEncode("karachi kr")));
  ASSERT_FALSE(s["suggestions"].empty()) << s.dump();
  EXPECT_EQ(s["suggestions"][0], "کراچی کرکٹ") << s.dump();
  json one = Json(Get("/api/suggest?q=" + PercentEncode("laho")));
  bool found = false;
  for (const auto& x : one["suggestions"]) found = found || x == "لاہور";
  EXPECT_TRUE(found) << one.dump();
}

TEST_F(RouterTest, HealthAndMetrics) {
  json h = Json(Get("/healthz"));
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["docs"], 6);
  EXPECT_GE(h["generation"].get<uint64_t>(), 1u);

  Search("q=x");
  Search("q=y");
  Get("/api/search?n=bad");
  Get("/api/doc/nope");
  HttpResponse m = Get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.content_type.rfind("text/plain; version=0.0.4", 0), 0u);
  EXPECT_NE(m.body.find("rasai_http_requests_total{route=\"/api/search\",status=\"200\"} 2\n"), std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("rasai_http_requests_total{route=\"/api/search\",status=\"400\"} 1\n"), std::string::npos);
  EXPECT_NE(m.body.find("rasai_http_requests_total{route=\"/api/doc\",status=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(m.body.find("rasai_http_requests_total{route=\"/healthz\",status=\"200\"} 1\n"), std::string::npos);
  EXPECT_NE(m.body.find("rasai_search_duration_seconds_count 2\n"), std::string::npos);
  EXPECT_NE(m.body.find("rasai_index_documents 6\n"), std::string::npos);
  EXPECT_EQ(m.body.find("route=\"/metrics\""), std::string::npos);  // counted after it is rendered
  EXPECT_EQ(router_->metrics().RequestCount("/metrics", 200), 1u);
  EXPECT_NE(Get("/metrics").body.find("route=\"/metrics\",status=\"200\"} 1\n"), std::string::npos);
}

TEST_F(RouterTest, OperatorEndpointsDisabledWithoutToken) {
  HttpResponse r = Call("POST", "/api/docs", "{\"id\":\"x\",\"title\":\"t\"}\n", {{"Authorization", "Bearer "}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Call("DELETE", "/api/docs/ur-1", "", {{"Authorization", "Bearer anything"}}).status, 403);
  EXPECT_EQ(Get("/api/doc/ur-1").status, 200);  // untouched
}

TEST_F(RouterTest, OperatorAuth) {
  MakeRouter(Options("s3cret"));
  const std::string body = "{\"id\":\"x\",\"title\":\"t\"}\n";
  HttpResponse none = Call("POST", "/api/docs", body);
  EXPECT_EQ(none.status, 401);
  ASSERT_NE(none.Header("WWW-Authenticate"), nullptr);
  EXPECT_EQ(Call("POST", "/api/docs", body, {{"Authorization", "Basic czNjcmV0"}}).status, 401);
  EXPECT_EQ(Call("POST", "/api/docs", body, {{"Authorization", "Bearer wrong"}}).status, 403);
  EXPECT_EQ(Call("POST", "/api/docs", body, {{"Authorization", "Bearer s3cret2"}}).status, 403);
  EXPECT_EQ(Call("POST", "/api/docs", body, {{"Authorization", "Bearer s3cre"}}).status, 403);
  EXPECT_EQ(Call("DELETE", "/api/docs/ur-1", "", {{"Authorization", "Bearer wrong"}}).status, 403);
  EXPECT_EQ(Get("/api/doc/x").status, 404);
  EXPECT_EQ(Call("POST", "/api/docs", body, {{"authorization", "Bearer s3cret"}}).status, 200);  // any case
  EXPECT_EQ(Get("/api/doc/x").status, 200);
}

TEST_F(RouterTest, AddDocsIsDurableAndReportsBadLines) {
  MakeRouter(Options("tok"));
  const std::vector<std::pair<std::string, std::string>> auth = {{"Authorization", "Bearer tok"}};
  std::string body =
      "{\"id\":\"new-1\",\"title\":\"ملتان میں آم\",\"body\":\"ملتان کے آم بہت میٹھے ہیں\",\"lang\":\"ur\"}\n"
      "\n"
      "{\"id\":\"new-2\",\"title\":\"Mangoes of Multan\",\"body\":\"sweet mangoes\"}\r\n"
      "{not json}\n"
      "{\"title\":\"no id\"}\n";
  HttpResponse r = Call("POST", "/api/docs", body, auth);
  ASSERT_EQ(r.status, 200) << r.body;
  json j = Json(r);
  EXPECT_EQ(j["added"], 2);
  ASSERT_EQ(j["errors"].size(), 2u);
  EXPECT_EQ(j["errors"][0]["line"], 4);
  EXPECT_EQ(j["errors"][1]["line"], 5);
  EXPECT_TRUE(j["errors"][0]["reason"].is_string());
  EXPECT_EQ(j["error_count"], 2);

  EXPECT_EQ(Json(Get("/healthz"))["docs"], 8);
  EXPECT_TRUE(Contains(Ids(Search("q=" + PercentEncode("ملتان"))), "new-1"));

  // Reopening the index from disk shows the acknowledged documents: they were committed.
  router_.reset();
  index_.reset();
  auto reopened = Index::Open(dir_ + "/index", IndexOptions{}, false);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_TRUE((*reopened)->snapshot()->Get("new-1").ok());
  EXPECT_TRUE((*reopened)->snapshot()->Get("new-2").ok());
}

TEST_F(RouterTest, AddDocsRejectsEmptyOrAllInvalidOrHugeBodies) {
  MakeRouter(Options("tok", "", 1000));
  const std::vector<std::pair<std::string, std::string>> auth = {{"Authorization", "Bearer tok"}};
  EXPECT_EQ(Call("POST", "/api/docs", "", auth).status, 400);
  EXPECT_EQ(Call("POST", "/api/docs", "\n \n\r\n", auth).status, 400);
  HttpResponse bad = Call("POST", "/api/docs", "[1,2]\n{\"id\":\"\"}\n", auth);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Json(bad)["added"], 0);
  EXPECT_EQ(Json(bad)["errors"].size(), 2u);
  // Like every error reply, it says what went wrong and carries its status.
  EXPECT_EQ(Json(bad)["status"], 400);
  EXPECT_TRUE(Json(bad)["error"].is_string());
  EXPECT_EQ(Call("POST", "/api/docs", std::string(1001, ' '), auth).status, 413);
  EXPECT_EQ(Json(Get("/healthz"))["docs"], 6);
}

// A field longer than what is indexed is stored whole and noted in the reply, so that the
// operator knows its end is not found.
TEST_F(RouterTest, AddDocsNotesAFieldLongerThanWhatIsIndexed) {
  MakeRouter(Options("tok"));
  const std::vector<std::pair<std::string, std::string>> auth = {{"Authorization", "Bearer tok"}};
  std::string big;
  while (big.size() <= kIndexedFieldBytes) big += "ملتان آم ";
  big += "آخریلفظ";
  std::string body = "{\"id\":\"small\",\"body\":\"ملتان کے آم\"}\n{\"id\":\"big\",\"body\":\"" + big + "\"}\n";
  HttpResponse r = Call("POST", "/api/docs", body, auth);
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  json j = Json(r);
  EXPECT_EQ(j["added"], 2);
  ASSERT_EQ(j["notes"].size(), 1u) << j["notes"].dump();
  EXPECT_EQ(j["notes"][0]["line"], 2);
  EXPECT_EQ(j["notes"][0]["id"], "big");
  EXPECT_EQ(j["notes"][0]["note"], "body longer than 8 MiB: stored whole, searchable in its first 8 MiB");
  EXPECT_EQ(Json(Get("/api/doc/big"))["body"].get<std::string>().size(), big.size());
  EXPECT_FALSE(Contains(Ids(Search("q=" + PercentEncode("آخریلفظ"))), "big"));

  HttpResponse plain = Call("POST", "/api/docs", "{\"id\":\"p\",\"body\":\"x\"}\n", auth);
  ASSERT_EQ(plain.status, 200);
  EXPECT_TRUE(Json(plain)["notes"].is_array());
  EXPECT_TRUE(Json(plain)["notes"].empty());
}

// POST /api/docs runs the batch path of `rasai index`: an opening that 25 documents of one source
// share is removed (and listed), as rasai index would remove it; a single document is never cut.
TEST_F(RouterTest, AddDocsRemovesTheOpeningsRasaiIndexRemoves) {
  MakeRouter(Options("tok"));
  const std::vector<std::pair<std::string, std::string>> auth = {{"Authorization", "Bearer tok"}};
  std::string body;
  for (int i = 0; i < 25; ++i)
    body += "{\"id\":\"s" + std::to_string(i) +
            "\",\"source\":\"site\",\"body\":\"اس پوسٹ کو شیئر کریں ای میل فیس بک خبر " + std::to_string(i) + " یہاں\"}\n";
  HttpResponse r = Call("POST", "/api/docs", body, auth);
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  json j = Json(r);
  EXPECT_EQ(j["added"], 25);
  ASSERT_EQ(j["removed_openings"].size(), 1u) << j.dump();
  EXPECT_EQ(j["removed_openings"][0]["source"], "site");
  EXPECT_EQ(j["removed_openings"][0]["words"], 10);
  EXPECT_EQ(j["removed_openings"][0]["documents"], 25);
  EXPECT_EQ(Json(Get("/api/doc/s3"))["body"], "3 یہاں");

  HttpResponse one = Call("POST", "/api/docs", "{\"id\":\"o\",\"source\":\"site\",\"body\":\"اس پوسٹ کو شیئر کریں ای میل فیس بک خبر\"}\n", auth);
  ASSERT_EQ(one.status, 200);
  EXPECT_TRUE(Json(one)["removed_openings"].empty());
  EXPECT_EQ(Json(Get("/api/doc/o"))["body"], "اس پوسٹ کو شیئر کریں ای میل فیس بک خبر");
}

TEST_F(RouterTest, OnlyTheOperatorsUploadNeedsItsBody) {
  MakeRouter(Options("tok"));
  auto head = [](std::string method, std::string target, std::string auth) {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    if (!auth.empty()) r.headers.emplace_back("authorization", std::move(auth));
    return r;
  };
  EXPECT_TRUE(router_->NeedsBody(head("POST", "/api/docs", "Bearer tok")));
  EXPECT_TRUE(router_->NeedsBody(head("POST", "/api/%64ocs", "Bearer tok")));
  EXPECT_FALSE(router_->NeedsBody(head("POST", "/api/docs", "")));
  EXPECT_FALSE(router_->NeedsBody(head("POST", "/api/docs", "Bearer nope")));
  EXPECT_FALSE(router_->NeedsBody(head("POST", "/api/search", "Bearer tok")));
  EXPECT_FALSE(router_->NeedsBody(head("PUT", "/api/docs", "Bearer tok")));
  EXPECT_FALSE(router_->NeedsBody(head("DELETE", "/api/docs/x", "Bearer tok")));
  MakeRouter(Options(""));
  EXPECT_FALSE(router_->NeedsBody(head("POST", "/api/docs", "Bearer ")));
}

TEST_F(RouterTest, DeleteDoc) {
  MakeRouter(Options("tok"));
  const std::vector<std::pair<std::string, std::string>> auth = {{"Authorization", "Bearer tok"}};
  HttpResponse r = Call("DELETE", "/api/docs/ur-2", "", auth);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["existed"], true);
  EXPECT_EQ(Get("/api/doc/ur-2").status, 404);
  EXPECT_FALSE(Contains(Ids(Search("q=" + PercentEncode("کرکٹ"))), "ur-2"));
  EXPECT_EQ(Json(Call("DELETE", "/api/docs/ur-2", "", auth))["existed"], false);
  EXPECT_EQ(Json(Call("DELETE", "/api/docs/" + PercentEncode("dir/with slash"), "", auth))["existed"], true);
  EXPECT_EQ(Json(Get("/healthz"))["docs"], 4);
}

TEST_F(RouterTest, MethodsAndUnknownPaths) {
  EXPECT_EQ(Call("POST", "/api/search").status, 405);
  EXPECT_EQ(Call("PUT", "/api/search").status, 405);
  ASSERT_NE(Call("PUT", "/api/search").Header("Allow"), nullptr);
  EXPECT_EQ(*Call("PUT", "/api/search").Header("Allow"), "GET");
  EXPECT_EQ(Get("/api/docs").status, 405);
  EXPECT_EQ(Call("POST", "/api/doc/ur-1").status, 405);
  EXPECT_EQ(Call("GET", "/api/docs/ur-1").status, 405);
  EXPECT_EQ(Call("HEAD", "/healthz").status, 200);
  HttpResponse api404 = Get("/api/nothing");
  EXPECT_EQ(api404.status, 404);
  EXPECT_EQ(Json(api404)["status"], 404);
  HttpResponse page404 = Get("/no/such/page");
  EXPECT_EQ(page404.status, 404);
  EXPECT_EQ(page404.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page404.body.find("404"), std::string::npos);
  EXPECT_EQ(router_->metrics().RequestCount("other", 404), 2u);
}

TEST_F(RouterTest, WebUi) {
  HttpResponse home = Get("/");
  ASSERT_EQ(home.status, 200);
  EXPECT_EQ(home.content_type, "text/html; charset=utf-8");
  EXPECT_NE(home.body.find("dir=\"rtl\""), std::string::npos);
  ASSERT_NE(home.Header("ETag"), nullptr);
  EXPECT_EQ(*home.Header("Cache-Control"), "no-cache");
  ASSERT_NE(home.Header("Content-Security-Policy"), nullptr);
  EXPECT_EQ(*home.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Get("/?q=" + PercentEncode("لاہور")).body, home.body);  // the shell reads q itself

  HttpResponse again = Call("GET", "/", "", {{"If-None-Match", *home.Header("ETag")}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());

  HttpResponse js = Get("/app.js");
  ASSERT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(*js.Header("Cache-Control"), "public, max-age=300");
  HttpResponse versioned = Get("/app.js?v=" + router_->static_files().version());
  EXPECT_EQ(*versioned.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Get("/app.css").content_type, "text/css; charset=utf-8");
  EXPECT_EQ(Get("/favicon.svg").content_type, "image/svg+xml");
  EXPECT_EQ(Get("/_reader.html").status, 404);  // templates are not served
  EXPECT_EQ(Get("/fonts/noto-nastaliq-urdu-arabic-400-normal.woff2").status, 404);  // no fonts dir
}

TEST_F(RouterTest, FontsFromTheFontsDir) {
  std::string fonts = rasai::testing::TempDir("fonts");
  std::ofstream(fonts + "/noto-nastaliq-urdu-arabic-400-normal.woff2", std::ios::binary) << "wOF2-test";
  std::ofstream(fonts + "/secret.txt") << "no";
  MakeRouter(Options("", fonts));
  HttpResponse f = Get("/fonts/noto-nastaliq-urdu-arabic-400-normal.woff2");
  ASSERT_EQ(f.status, 200);
  EXPECT_EQ(f.content_type, "font/woff2");
  EXPECT_EQ(f.body, "wOF2-test");
  EXPECT_NE(f.Header("Cache-Control")->find("max-age="), std::string::npos);
  EXPECT_EQ(Get("/fonts/secret.txt").status, 404);
  EXPECT_EQ(Get("/fonts/" + PercentEncode(fonts + "/secret.txt")).status, 404);
}

TEST_F(RouterTest, ReaderPage) {
  HttpResponse r = Get("/read/ur-1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("lang=\"ur\" dir=\"rtl\""), std::string::npos);
  EXPECT_NE(r.body.find("<h1 class=\"title\" dir=\"rtl\">لاہور میں شدید بارش</h1>"), std::string::npos);
  EXPECT_NE(r.body.find("محکمہ موسمیات"), std::string::npos);
  EXPECT_NE(r.body.find("یہ بھی پڑھیے"), std::string::npos);
  EXPECT_NE(r.body.find("data-id-url=\"ur-1\""), std::string::npos);

  HttpResponse odd = Get("/read/" + PercentEncode("dir/with slash"));
  ASSERT_EQ(odd.status, 200);
  EXPECT_NE(odd.body.find("Path &lt;b&gt;id&lt;/b&gt; &amp; more"), std::string::npos);
  EXPECT_EQ(odd.body.find("<b>id</b>"), std::string::npos);
  EXPECT_NE(odd.body.find("lang=\"en\" dir=\"ltr\""), std::string::npos);

  HttpResponse guessed = Get("/read/ur-nolang");
  ASSERT_EQ(guessed.status, 200);
  EXPECT_NE(guessed.body.find("dir=\"rtl\""), std::string::npos);

  HttpResponse missing = Get("/read/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "text/html; charset=utf-8");
}

TEST_F(RouterTest, ResultsPageWithoutJavaScript) {
  HttpResponse r = Get("/search?q=" + PercentEncode("لاہور"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("href=\"/read/ur-1\""), std::string::npos);
  EXPECT_NE(r.body.find("href=\"/read/ur-3\""), std::string::npos);
  EXPECT_EQ(r.body.find("href=\"/read/ur-2\""), std::string::npos);
  EXPECT_NE(r.body.find("<mark>"), std::string::npos);
  EXPECT_NE(r.body.find("class=\"hit\" lang=\"ur\" dir=\"rtl\""), std::string::npos);
  EXPECT_NE(r.body.find("value=\"لاہور\""), std::string::npos);
  EXPECT_NE(r.body.find("نتائج"), std::string::npos);
  EXPECT_EQ(r.body.find("{{"), std::string::npos);
  EXPECT_EQ(router_->metrics().SearchCount(), 1u);

  HttpResponse year = Get("/search?q=" + PercentEncode("لاہور") + "&year=2016");
  EXPECT_NE(year.body.find("href=\"/read/ur-1\""), std::string::npos);
  EXPECT_EQ(year.body.find("href=\"/read/ur-3\""), std::string::npos);
  EXPECT_NE(year.body.find("سال: 2016"), std::string::npos);  // the active filter, removable

  HttpResponse page2 = Get("/search?q=" + PercentEncode("لاہور") + "&page=2");
  ASSERT_EQ(page2.status, 200);
  EXPECT_EQ(page2.body.find("class=\"hit\""), std::string::npos);
  EXPECT_NE(page2.body.find("rel=\"prev\""), std::string::npos);

  HttpResponse hostile = Get("/search?q=" + PercentEncode("<script>alert(1)</script>"));
  ASSERT_EQ(hostile.status, 200);
  EXPECT_EQ(hostile.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(hostile.body.find("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""), std::string::npos);

  HttpResponse empty = Get("/search?q=");
  ASSERT_EQ(empty.status, 200);
  EXPECT_EQ(empty.body.find("class=\"hit\""), std::string::npos);
  for (const std::string bad : {"/search?q=a&page=0", "/search?q=a&page=x", "/search?q=a&sort=up", "/search?q=a&year=20x6"}) {
    HttpResponse b = Get(bad);
    EXPECT_EQ(b.status, 400) << bad;
    EXPECT_EQ(b.content_type, "text/html; charset=utf-8") << bad;
  }
}

TEST_F(RouterTest, RandomTargetsNeverCrash) {
  std::mt19937 rng(20261128);
  const std::vector<std::string> prefixes = {"/", "/api/search?q=", "/api/search?n=", "/api/doc/", "/api/related/",
                                             "/api/suggest?q=", "/read/", "/search?q=", "/fonts/", "/app.js?v=",
                                             "/api/search?q=a&sort=", "/api/search?from=", "/search?page="};
  const std::string alphabet = "aZ09%+&=?/.#\\:;'\"<>()*-_ \x01\x7f\xd8\xa7\xdb\x81\xff";
  const std::vector<std::string> methods = {"GET", "HEAD", "POST", "DELETE", "PUT", "OPTIONS"};
  for (int i = 0; i < 3000; ++i) {
    std::string target = prefixes[rng() % prefixes.size()];
    size_t len = rng() % 40;
    for (size_t k = 0; k < len; ++k) {
      if (rng() % 4 == 0) {
        static const char kHex[] = "0123456789abcdefABCDEFxz";
        target += '%';
        target += kHex[rng() % (sizeof kHex - 1)];
        target += kHex[rng() % (sizeof kHex - 1)];
      } else {
        target += alphabet[rng() % alphabet.size()];
      }
    }
    const std::string& method = methods[rng() % methods.size()];
    HttpResponse r = Call(method, target, method == "POST" ? target : "");
    ASSERT_GE(r.status, 200) << method << " " << target;
    ASSERT_LT(r.status, 500) << method << " " << target << " -> " << r.body;
    if (r.content_type.rfind("application/json", 0) == 0) {
      ASSERT_FALSE(json::parse(r.body, nullptr, false).is_discarded()) << target;
    }
  }
}

TEST_F(RouterTest, ConcurrentReadsDuringWrites) {
  MakeRouter(Options("tok"));
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([this, &failures] {
      for (int i = 0; i < 30; ++i) {
        HttpResponse r = Get("/api/search?q=" + PercentEncode("لاہور"));
        if (r.status != 200) ++failures;
        if (Get("/api/doc/ur-1").status != 200) ++failures;
      }
    });
  }
  for (int i = 0; i < 5; ++i) {
    std::string line = "{\"id\":\"w" + std::to_string(i) + "\",\"title\":\"لاہور " + std::to_string(i) + "\"}";
    if (Call("POST", "/api/docs", line, {{"Authorization", "Bearer tok"}}).status != 200) ++failures;
  }
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Json(Get("/healthz"))["docs"], 11);
}

}  // namespace
}  // namespace rasai::server
