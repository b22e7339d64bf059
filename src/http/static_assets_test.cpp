// StaticAssets: fingerprinted vs plain vs stale URLs, 304, traversal 404.
#include "http/static_assets.h"

#include <gtest/gtest.h>

#include <regex>
#include <stdexcept>
#include <vector>

namespace masthead::http {
namespace {

Request get(std::string path, std::vector<Header> headers = {}) {
  Request request;
  request.path = std::move(path);
  request.headers = std::move(headers);
  return request;
}

std::string big_css() {
  std::string css;
  for (int i = 0; i < 200; ++i) css += ".rule-" + std::to_string(i) + " { color: red; }\n";
  return css;
}

class StaticAssetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    assets_.add("css/site.css", big_css());
    assets_.add("logo.png", std::string("\x89PNG\r\n\x1a\n", 8));
    assets_.add("LICENSE", "text without an extension");
  }
  StaticAssets assets_;
};

TEST_F(StaticAssetsTest, UrlForIsFingerprinted) {
  std::string url = assets_.url_for("css/site.css");
  EXPECT_TRUE(std::regex_match(url, std::regex(R"(/static/css/site\.[0-9a-f]{10}\.css)"))) << url;
  EXPECT_EQ(url, "/static/css/site." + std::string(assets_.hash_of("css/site.css")) + ".css");
  EXPECT_TRUE(
      std::regex_match(assets_.url_for("LICENSE"), std::regex(R"(/static/LICENSE\.[0-9a-f]{10})")));
  EXPECT_THROW(assets_.url_for("missing.css"), std::out_of_range);
  EXPECT_EQ(assets_.size(), 3u);
  EXPECT_TRUE(assets_.contains("logo.png"));
}

TEST_F(StaticAssetsTest, FingerprintedUrlIsImmutable) {
  Response r = assets_.serve(get(assets_.url_for("css/site.css")));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(r.header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(r.header("etag"), "\"" + std::string(assets_.hash_of("css/site.css")) + "\"");
  ASSERT_TRUE(r.shared_body);
  EXPECT_EQ(*r.shared_body, big_css());
  ASSERT_TRUE(r.shared_gzip_body) << "compressible and large enough to shrink";
  EXPECT_LT(r.shared_gzip_body->size(), r.shared_body->size());
  EXPECT_TRUE(assets_.serve(get(assets_.url_for("LICENSE")))
                  .header("cache-control")
                  .ends_with("immutable"));
}

TEST_F(StaticAssetsTest, PlainNameGetsShortCachingAndETag) {
  Response r = assets_.serve(get("/static/css/site.css"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("cache-control"), "public, max-age=300");
  EXPECT_FALSE(r.header("etag").empty());
  Response png = assets_.serve(get("/static/logo.png"));
  EXPECT_EQ(png.header("content-type"), "image/png");
  EXPECT_FALSE(png.shared_gzip_body) << "PNG is not compressible";
}

TEST_F(StaticAssetsTest, StaleHashServesCurrentBytesBriefly) {
  for (const char* path : {"/static/css/site.0123456789.css", "/static/LICENSE.abcdefabcd"}) {
    Response r = assets_.serve(get(path));
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.header("cache-control"), "public, max-age=300") << path;
  }
  EXPECT_EQ(assets_.serve(get("/static/css/site.NOTAHASH00.css")).status, 404);
  EXPECT_EQ(assets_.serve(get("/static/css/other.0123456789.css")).status, 404);
}

TEST_F(StaticAssetsTest, IfNoneMatchGives304) {
  std::string etag(assets_.serve(get("/static/css/site.css")).header("etag"));
  for (const std::string& header : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    Response r = assets_.serve(get("/static/css/site.css", {{"If-None-Match", header}}));
    EXPECT_EQ(r.status, 304) << header;
    EXPECT_FALSE(r.shared_body);
    EXPECT_EQ(r.header("etag"), etag);
    EXPECT_EQ(r.header("vary"), "Accept-Encoding");
  }
  Response r = assets_.serve(get("/static/css/site.css", {{"If-None-Match", "\"other\""}}));
  EXPECT_EQ(r.status, 200);
}

TEST_F(StaticAssetsTest, TraversalAndUnknownAre404) {
  for (const std::string& path : std::vector<std::string>{
           "/static/", "/static/missing.css", "/static/../css/site.css", "/static/css/../site.css",
           "/static/css/site.css/..", "/static//css/site.css", "/static/css\\site.css",
           std::string("/static/css/site.css\0", 21), "/other/css/site.css", "/static", ""}) {
    EXPECT_EQ(assets_.serve(get(path)).status, 404) << path;
  }
}

TEST_F(StaticAssetsTest, ReplacingAnAssetMakesTheOldFingerprintStale) {
  std::string old_url = assets_.url_for("LICENSE");
  assets_.add("LICENSE", "new text");
  EXPECT_NE(assets_.url_for("LICENSE"), old_url);
  Response r = assets_.serve(get(old_url));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("cache-control"), "public, max-age=300");
  EXPECT_EQ(*r.shared_body, "new text");
  EXPECT_EQ(assets_.size(), 3u);
}

TEST(StaticAssetsNames, RejectsUnsafeNames) {
  StaticAssets assets;
  for (const std::string& name :
       std::vector<std::string>{"", "/abs.css", "a/../b.css", "a\\b.css", std::string("a\0b", 3)}) {
    EXPECT_THROW(assets.add(name, "x"), std::invalid_argument) << name;
  }
}

TEST(StaticAssetsNames, DotFileHasNoExtension) {
  StaticAssets assets;
  assets.add("a/.well", "x");
  EXPECT_EQ(assets.url_for("a/.well"), "/static/a/.well." + std::string(assets.hash_of("a/.well")));
}

}  // namespace
}  // namespace masthead::http
