// ZIM archives uploaded through the operator's API (POST /api/uploads?name=X.zim): kept in the
// index's folder of uploaded archives, indexed and served; a newer version replaces the older
// (whose file goes), an older, broken or same-named one is refused and not kept; removing the
// source deletes the file.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "rasai/index.h"
#include "rasai/zim.h"
#include "server/router.h"
#include "server/zim_collection.h"
#include "test_util.h"
#include "zim_fixture.h"

namespace rasai::server {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
using rasai::testing::HtmlArticle;
using rasai::testing::ZimSpec;

ZimSpec Edition(const std::string& date, bool with_old_article) {
  ZimSpec spec;
  spec.metadata["Date"] = date;
  spec.metadata["Title"] = "Farm guide";
  spec.items.push_back(HtmlArticle("Wheat", "Wheat", "<p>Wheat is sown in November. <img src=\"img/w.png\"></p>"));
  spec.items.push_back(HtmlArticle("Cotton", "Cotton", "<p>Cotton is picked in " + date + ".</p>"));
  if (with_old_article) spec.items.push_back(HtmlArticle("Indigo", "Indigo", "<p>only in the first edition</p>"));
  spec.items.push_back({"img/w.png", "image/png", "", std::string("\x89PNG\r\n\x1a\n", 8) + "data", false});
  spec.main_path = "Wheat";
  return spec;
}

class ZimUpload : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = rasai::testing::TempDir("zimupload");
    index_dir_ = dir_ + "/idx";
    auto index = Index::Open(index_dir_, IndexOptions{}, true);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    index_ = std::move(*index);
    RouterOptions o;
    o.operator_token = "tok";
    o.index_dir = index_dir_;
    router_ = std::make_unique<Router>(index_.get(), o);
  }

  HttpResponse Call(const std::string& method, const std::string& target, const std::string& body_file = "") {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.headers = {{"Authorization", "Bearer tok"}};
    r.body_file = body_file;
    return router_->Handle(r);
  }
  // The bytes of an archive written from `spec`, as the server spools an upload's body.
  std::string Spooled(const ZimSpec& spec) {
    const std::string file = dir_ + "/body-" + std::to_string(++spooled_);
    rasai::testing::WriteZim(file, spec);
    return file;
  }
  json Upload(const std::string& name, const std::string& body_file) {
    HttpResponse r = Call("POST", "/api/uploads?name=" + name, body_file);
    EXPECT_EQ(r.status, 202) << r.body;
    json accepted = json::parse(r.body, nullptr, false);
    for (int i = 0; i < 600; ++i) {
      json j = json::parse(Call("GET", "/api/jobs/" + std::to_string(accepted["job"].get<uint64_t>())).body);
      if (j["state"] != "queued" && j["state"] != "running") return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "the upload's job did not finish";
    return {};
  }
  // The server reads the catalog of archives again at most once a second (zim_pages.h).
  static void AfterTheShelfLooksAgain() { std::this_thread::sleep_for(std::chrono::milliseconds(1100)); }
  std::string Kept(const std::string& name) const { return UploadedArchiveFolder(index_dir_) + "/" + name; }

  std::string dir_, index_dir_;
  int spooled_ = 0;
  std::unique_ptr<Index> index_;
  std::unique_ptr<Router> router_;
};

TEST_F(ZimUpload, IsKeptIndexedServedReplacedAndRemoved) {
  json first = Upload("farm_2024-01.zim", Spooled(Edition("2024-01-10", true)));
  ASSERT_EQ(first["state"], "done") << first.dump();
  EXPECT_EQ(first["result"]["added"], 3);
  EXPECT_EQ(first["result"]["source"], "farm");
  EXPECT_EQ(first["result"]["title"], "Farm guide");
  EXPECT_TRUE(fs::exists(Kept("farm_2024-01.zim")));
  EXPECT_TRUE(index_->snapshot()->Get("farm/Indigo").ok());
  EXPECT_EQ(Call("GET", "/zim/farm/Wheat").status, 200);
  EXPECT_EQ(Call("GET", "/zim/farm/img/w.png").status, 200);
  json hits = json::parse(Call("GET", "/api/search?q=sown").body);
  ASSERT_EQ(hits["hits"].size(), 1u) << hits.dump();
  EXPECT_EQ(hits["hits"][0]["url"], "/zim/farm/Wheat");

  // The same file name again: refused, the kept file untouched, the body not kept.
  const std::string again = Spooled(Edition("2024-01-10", true));
  json twice = Upload("farm_2024-01.zim", again);
  EXPECT_EQ(twice["status"], 409) << twice.dump();
  EXPECT_FALSE(fs::exists(again));
  EXPECT_EQ(Call("GET", "/zim/farm/Wheat").status, 200);

  // A newer edition replaces the older: its documents, its record, its file.
  json second = Upload("farm_2024-06.zim", Spooled(Edition("2024-06-10", false)));
  ASSERT_EQ(second["state"], "done") << second.dump();
  EXPECT_EQ(second["result"]["replaced"], 2);
  EXPECT_EQ(second["result"]["removed"], 1);
  EXPECT_EQ(second["result"]["replaced_version"], "2024-01-10");
  EXPECT_FALSE(fs::exists(Kept("farm_2024-01.zim")));
  EXPECT_TRUE(fs::exists(Kept("farm_2024-06.zim")));
  EXPECT_FALSE(index_->snapshot()->Get("farm/Indigo").ok());
  AfterTheShelfLooksAgain();
  EXPECT_NE(Call("GET", "/zim/farm/Cotton").body.find("2024-06-10"), std::string::npos);

  // The older edition once more: refused (older than the one indexed) and not kept.
  json older = Upload("farm_2024-01.zim", Spooled(Edition("2024-01-10", true)));
  EXPECT_EQ(older["status"], 422) << older.dump();
  EXPECT_NE(older["result"]["error"].get<std::string>().find("older version"), std::string::npos);
  EXPECT_FALSE(fs::exists(Kept("farm_2024-01.zim")));
  EXPECT_TRUE(ZimCatalog::Load(index_dir_)->Find("farm") != nullptr);

  // Removing the source removes the documents, the record and the uploaded file.
  EXPECT_EQ(Call("DELETE", "/api/sources/farm").status, 200);
  EXPECT_FALSE(fs::exists(Kept("farm_2024-06.zim")));
  EXPECT_EQ(ZimCatalog::Load(index_dir_)->Find("farm"), nullptr);
  EXPECT_EQ(index_->snapshot()->live_docs(), 0u);
  AfterTheShelfLooksAgain();
  EXPECT_EQ(Call("GET", "/zim/farm/Wheat").status, 404);
}

TEST_F(ZimUpload, ABrokenArchiveIsRefusedAndNotKept) {
  const std::string body = dir_ + "/broken-body";
  {
    std::ofstream out(body, std::ios::binary);
    out << "ZIM\x04 this is not an archive, only a few bytes that look like the start of one";
  }
  json broken = Upload("broken_2024-01.zim", body);
  EXPECT_EQ(broken["state"], "failed") << broken.dump();
  EXPECT_EQ(broken["status"], 422);
  EXPECT_NE(broken["result"]["error"].get<std::string>().find("not a valid ZIM archive"), std::string::npos);
  EXPECT_FALSE(fs::exists(Kept("broken_2024-01.zim")));
  EXPECT_TRUE(ZimCatalog::Load(index_dir_)->records().empty());
  EXPECT_EQ(index_->snapshot()->live_docs(), 0u);
}

// An archive added with `rasai index` from a folder of the operator's is never deleted by Rasai.
TEST_F(ZimUpload, AnArchiveIndexedFromElsewhereIsNotDeleted) {
  const std::string outside = dir_ + "/mine_2024-01.zim";
  rasai::testing::WriteZim(outside, Edition("2024-01-10", false));
  IngestStats stats;
  ASSERT_TRUE(AddZimArchive(index_.get(), index_dir_, outside, [&](Document&& d) { return index_->Add(d); }, &stats)
                  .indexed);
  EXPECT_EQ(Call("DELETE", "/api/sources/mine").status, 200);
  EXPECT_TRUE(fs::exists(outside));
  EXPECT_EQ(ZimCatalog::Load(index_dir_)->Find("mine"), nullptr);
}

}  // namespace
}  // namespace rasai::server
