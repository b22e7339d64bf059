// Configuration loading (file, environment, every kind of mistake) and
// article import (all-or-nothing, image checks) against a real SQLite file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "app/article_import.h"
#include "app/config.h"
#include "base/iso_time.h"
#include "base/testing/temp_dir.h"
#include "content/image_name.h"
#include "store/sqlite/sqlite_article_store.h"

namespace masthead::app {
namespace {

namespace fs = std::filesystem;

// A new directory each call (base/testing/temp_dir.h).
fs::path temp_dir() {
  return base::testing::fresh_temp_dir("masthead-app-test");
}

std::string write(const fs::path& path, std::string_view text) {
  std::ofstream(path) << text;
  return path.string();
}

TEST(Config, DefaultsWithoutFileOrEnvironment) {
  auto c = load_config("", {});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->server.port, 8080);
  EXPECT_EQ(c->site.locale, "en-US");
}

TEST(Config, FileThenEnvironment) {
  auto path =
      write(temp_dir() / "m.toml",
            "[site]\nname = \"The Ledger\"\ntimezone = \"Asia/Tokyo\"\n[server]\nport = 9000\n");
  auto c = load_config(path, {{"MASTHEAD_SERVER_PORT", "9100"}, {"MASTHEAD_SOURCE_DIR", "/x"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->site.name, "The Ledger");
  EXPECT_EQ(c->site.timezone, "Asia/Tokyo");
  EXPECT_EQ(c->server.port, 9100);
}

TEST(Config, PaywallCrawlersAndListsFromFileAndEnvironment) {
  auto path = write(temp_dir() / "p.toml",
                    "[site]\nlocales = [\"en-GB\", \"ja-JP\"]\n"
                    "[paywall]\nanonymous_free = 3\nregistration_wall = false\nperiod = \"week\"\n"
                    "cookie_secret = \"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"\n"
                    "[crawlers]\nranges = [\"66.249.64.0/27\", \"2001:4860:4801:10::/64\"]\n");
  auto c = load_config(path, {{"MASTHEAD_CRAWLERS_DNS", "false"},
                              {"MASTHEAD_FEEDS_FULL_TEXT_FREE", "false"},
                              {"MASTHEAD_SERVER_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.0.0/16"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->site.locales, (std::vector<std::string>{"en-GB", "ja-JP"}));
  EXPECT_EQ(c->paywall.anonymous_free, 3);
  EXPECT_FALSE(c->paywall.registration_wall);
  EXPECT_EQ(c->paywall.period, "week");
  EXPECT_EQ(c->crawlers.ranges.size(), 2u);
  EXPECT_FALSE(c->crawlers.dns);
  EXPECT_FALSE(c->feeds.full_text_free);
  EXPECT_EQ(c->server.trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "192.168.0.0/16"}));
  auto key = decode_secret(c->paywall.cookie_secret);
  ASSERT_TRUE(key);
  EXPECT_EQ((*key)[31], 31);
}

TEST(Config, MistakesAreReportedWithTheirPlace) {
  struct Case {
    std::string file;
    std::map<std::string, std::string> env;
    std::string expected;
  } cases[] = {
      {"[site]\nnmae = \"x\"\n", {}, ":2: unknown key 'nmae' in [site]"},
      {"[sever]\nport = 1\n", {}, ":1: unknown table [sever]"},
      {"[server]\nport = \"80\"\n", {}, ":2: server.port: expected a whole number"},
      {"[server]\nport = 70000\n", {}, ":2: server.port: must be between 0 and 65535"},
      {"[server]\nport = 1e33\n", {}, ":2: server.port: expected a whole number"},
      {"[site]\nname = 3\n", {}, ":2: site.name: expected a string"},
      {"[site]\nbase_url = \"example.org\"\n", {}, "site.base_url: must start with http"},
      {"[site]\nbase_url = \"https://example.org/\"\n", {}, "must not end with '/'"},
      {"[site\n", {}, ":1: "},
      {"", {{"MASTHEAD_SERVER_PORT", "eighty"}}, "MASTHEAD_SERVER_PORT: expected a whole number"},
      {"", {{"MASTHEAD_SERVER_PROT", "80"}}, "MASTHEAD_SERVER_PROT names no configuration key"},
      {"", {{"MASTHEAD_SITE_NAME", ""}}, "MASTHEAD_SITE_NAME: must not be empty"},
      {"[paywall]\nperiod = \"fortnight\"\n", {}, ":2: paywall.period: expected day, week"},
      {"[paywall]\ntimezone = \"Asia/Tokio\"\n", {}, "paywall.timezone: unknown time zone"},
      {"[paywall]\nanonymous_free = -1\n", {}, "paywall.anonymous_free: must be between 0"},
      {"[paywall]\nlead_in_paragraphs = 21\n", {}, "paywall.lead_in_paragraphs: must be"},
      {"[paywall]\nregistration_wall = \"yes\"\n", {}, "expected true or false"},
      {"[feeds]\nfull_text_free = 1\n", {}, ":2: feeds.full_text_free: expected true or false"},
      {"[paywall]\ncookie_secret = \"c2hvcnQ=\"\n", {}, "paywall.cookie_secret: expected 32"},
      {"[paywall]\noffer_url = \"//evil.example\"\n", {}, "paywall.offer_url: must be a path"},
      {"[paywall]\noffer_url = \"javascript:alert(1)\"\n", {}, "paywall.offer_url: must be"},
      {"[crawlers]\nranges = [\"10.0.0.1/8\"]\n", {}, ":2: crawlers.ranges: '10.0.0.1/8'"},
      {"[crawlers]\nranges = [1]\n", {}, "crawlers.ranges: expected a list of strings"},
      {"",
       {{"MASTHEAD_SERVER_TRUSTED_PROXIES", "10.0.0.0/8, nonsense"}},
       "MASTHEAD_SERVER_TRUSTED_PROXIES: 'nonsense'"},
      {"", {{"MASTHEAD_CRAWLERS_DNS", "maybe"}}, "MASTHEAD_CRAWLERS_DNS: expected true or false"},
  };
  for (const auto& c : cases) {
    auto path = write(temp_dir() / "bad.toml", c.file);
    auto loaded = load_config(path, c.env);
    ASSERT_FALSE(loaded) << c.expected;
    EXPECT_NE(loaded.error().message.find(c.expected), std::string::npos)
        << "got: " << loaded.error().message << "\nwanted: " << c.expected;
  }
}

TEST(InspectImage, AcceptsImagesAndRefusesActiveSvg) {
  auto svg = inspect_image(
      "a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"675\"></svg>");
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->content_type, "image/svg+xml");
  EXPECT_EQ(svg->width, 1200);
  EXPECT_EQ(svg->height, 675);
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x01\0\0\0\0\x80", 24);
  auto p = inspect_image("a.png", png);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->width, 256);
  EXPECT_EQ(p->height, 128);
  for (const char* bad : {"<svg><script>alert(1)</script></svg>", "<svg onload=\"x()\"></svg>",
                          "<svg><a href=\"javascript:x\"/></svg>", "<svg><foreignObject/></svg>",
                          "GIF8", "plain text"})
    EXPECT_FALSE(inspect_image("x", bad)) << bad;
}

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::make_unique<store::sqlite::SqliteArticleStore>(
        store::sqlite::Database::open((temp_dir() / "db.sqlite").string(), true));
    store_->put_section({"world", "World", 1});
  }
  FileReader images(std::map<std::string, std::string> files) {
    return [files](const std::string& p) -> std::optional<std::string> {
      auto it = files.find(p);
      if (it == files.end()) return std::nullopt;
      return it->second;
    };
  }
  std::unique_ptr<store::sqlite::SqliteArticleStore> store_;
  base::TimePoint now_ = *base::parse_iso8601("2026-11-29T00:00:00Z");
};

constexpr const char* kArticle =
    "---\nslug: flood\nsection: world\nheadline: Flood\nimage: images/flood.svg\nimage_alt: Water\n"
    "status: published\n---\nBody.\n";

TEST_F(ImportTest, StoresArticleAndImage) {
  auto r =
      import_article(*store_, kArticle, "flood.md",
                     images({{"images/flood.svg", "<svg width=\"10\" height=\"5\"></svg>"}}), now_);
  ASSERT_TRUE(r) << r.error().message;
  auto a = store_->article_by_slug("flood");
  ASSERT_TRUE(a);
  const std::string svg = "<svg width=\"10\" height=\"5\"></svg>";
  EXPECT_EQ(a->image.name, "flood." + content::image_digest(svg) + ".svg") << "named by its bytes";
  EXPECT_EQ(a->published_at, now_) << "published without a time: now";
  EXPECT_TRUE(store_->image_by_name(a->image.name));
}

TEST_F(ImportTest, ANewPictureGetsANewNameAndTheOldOneKeepsItsBytes) {
  const std::string first = "<svg width=\"10\" height=\"5\"></svg>";
  const std::string second = "<svg width=\"20\" height=\"5\"></svg>";
  ASSERT_TRUE(
      import_article(*store_, kArticle, "flood.md", images({{"images/flood.svg", first}}), now_));
  const std::string old_name = store_->article_by_slug("flood")->image.name;
  ASSERT_TRUE(
      import_article(*store_, kArticle, "flood.md", images({{"images/flood.svg", second}}), now_));
  const std::string new_name = store_->article_by_slug("flood")->image.name;
  EXPECT_NE(new_name, old_name);
  EXPECT_EQ(store_->image_by_name(new_name)->bytes, second);
  EXPECT_EQ(store_->image_by_name(old_name)->bytes, first) << "a name never means other bytes";
}

TEST_F(ImportTest, BadFilesChangeNothing) {
  auto version = store_->content_version();
  EXPECT_FALSE(import_article(*store_, kArticle, "flood.md", images({}), now_));
  EXPECT_FALSE(import_article(*store_, kArticle, "flood.md",
                              images({{"images/flood.svg", "<svg onload=\"x()\"/>"}}), now_));
  std::string wrong_section = std::string(kArticle);
  wrong_section.replace(wrong_section.find("world"), 5, "sport");
  auto r = import_article(*store_, wrong_section, "flood.md",
                          images({{"images/flood.svg", "<svg/>"}}), now_);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("there is no section 'sport'"), std::string::npos);
  EXPECT_EQ(store_->content_version(), version);
  EXPECT_FALSE(store_->image_by_name("flood." + content::image_digest("<svg/>") + ".svg"));
}

}  // namespace
}  // namespace masthead::app
