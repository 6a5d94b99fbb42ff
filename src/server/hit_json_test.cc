#include "server/hit_json.h"

#include <gtest/gtest.h>

namespace rasai {
namespace {

TEST(HitJson, EveryFieldInOrderAndCopyOfOnlyForACopy) {
  Hit h;
  h.id = "bbc-1";
  h.score = 2.5;
  h.title = "کراچی میں بارش";
  h.snippet = "<mark>بارش</mark>";
  h.url = "https://example.org/1";
  h.date = "2016-07-01";
  h.lang = "ur";
  h.source = "bbc";
  h.category = "pakistan";
  EXPECT_EQ(HitJson(h).dump(),
            R"({"id":"bbc-1","score":2.5,"title":"کراچی میں بارش","snippet":"<mark>بارش</mark>",)"
            R"("url":"https://example.org/1","date":"2016-07-01","lang":"ur","source":"bbc","category":"pakistan"})");
  h.copy_of = "bbc-0";
  EXPECT_EQ(HitJson(h)["copy_of"], "bbc-0");
  // What the HTTP API sorts by key is the same object.
  EXPECT_EQ(nlohmann::json(HitJson(h)), nlohmann::json::parse(HitJson(h).dump()));
}

}  // namespace
}  // namespace rasai
