// Tests for MessageCatalog: plural forms from CLDR (English one/other,
// Japanese other only), argument substitution, missing keys, load errors, and
// the shipped locales/en.toml and locales/ja.toml.
#include "render/message_catalog.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace masthead::render {
namespace {

constexpr std::string_view kEnglish = R"(
[meter]
left = "{count, plural, one {# free article left} other {# free articles left}}"

[section]
articles_count = "{count, plural, one {# article} other {# articles}}"

[article]
by = "By {authors}"
published = "Published {date} in {section}"

[stats]
ratio = "{share, number, percent} of readers"
score = "Score: {x, number}"

[a.b]
c = "deep"
)";

constexpr std::string_view kJapanese = R"(
[meter]
left = "残り{count, plural, other {#本}}"

[section]
articles_count = "{count, plural, other {記事#件}}"

[article]
by = "文：{author}"
)";

std::string read_locale_file(const std::string& name) {
  const char* root = std::getenv("MASTHEAD_SOURCE_DIR");
  const std::string path =
      std::string(root != nullptr ? root : MASTHEAD_SOURCE_DIR_FALLBACK) + "/locales/" + name;
  std::ifstream in(path);
  if (!in) ADD_FAILURE() << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(MessageCatalogTest, EnglishPluralOneAndOther) {
  const MessageCatalog en = MessageCatalog::load("en", kEnglish);
  EXPECT_EQ(en.format("section.articles_count", {{"count", 0}}), "0 articles");
  EXPECT_EQ(en.format("section.articles_count", {{"count", 1}}), "1 article");
  EXPECT_EQ(en.format("section.articles_count", {{"count", 2}}), "2 articles");
  EXPECT_EQ(en.format("section.articles_count", {{"count", 21}}), "21 articles");
  EXPECT_EQ(en.format("section.articles_count", {{"count", 1234}}), "1,234 articles");
  EXPECT_EQ(en.format("meter.left", {{"count", 1}}), "1 free article left");
  EXPECT_EQ(en.format("meter.left", {{"count", 3}}), "3 free articles left");
}

TEST(MessageCatalogTest, JapaneseHasNoPluralDistinction) {
  const MessageCatalog ja = MessageCatalog::load("ja", kJapanese);
  EXPECT_EQ(ja.format("meter.left", {{"count", 1}}), "残り1本");
  EXPECT_EQ(ja.format("meter.left", {{"count", 3}}), "残り3本");
  EXPECT_EQ(ja.format("section.articles_count", {{"count", 21}}), "記事21件");
}

TEST(MessageCatalogTest, SubstitutesNamedArguments) {
  const MessageCatalog en = MessageCatalog::load("en", kEnglish);
  EXPECT_EQ(en.format("article.by", {{"authors", "Ana Lima and Kenji Sato"}}),
            "By Ana Lima and Kenji Sato");
  const std::string date = "18 November 2026";
  EXPECT_EQ(en.format("article.published", {{"section", "Climate"}, {"date", date}}),
            "Published 18 November 2026 in Climate");
  EXPECT_EQ(en.format("stats.ratio", {{"share", 0.25}}), "25% of readers");
  EXPECT_EQ(en.format("stats.score", {{"x", 2.5}}), "Score: 2.5");
  // Text is returned as it is: HTML escaping is the template's job ({{msg}}).
  EXPECT_EQ(en.format("article.by", {{"authors", "<b>&</b>"}}), "By <b>&</b>");
  // ICU leaves an argument that was not supplied as written.
  EXPECT_EQ(en.format("article.by"), "By {authors}");
}

TEST(MessageCatalogTest, FlattensNestedTables) {
  const MessageCatalog en = MessageCatalog::load("en", kEnglish);
  EXPECT_TRUE(en.has("a.b.c"));
  EXPECT_EQ(en.format("a.b.c"), "deep");
  EXPECT_FALSE(en.has("a.b"));
  EXPECT_EQ(en.keys(),
            (std::vector<std::string>{"a.b.c", "article.by", "article.published", "meter.left",
                                      "section.articles_count", "stats.ratio", "stats.score"}));
}

TEST(MessageCatalogTest, MissingKeyReturnsTheKey) {
  const MessageCatalog en = MessageCatalog::load("en", kEnglish);
  EXPECT_FALSE(en.has("article.share"));
  EXPECT_EQ(en.format("article.share"), "article.share");
  EXPECT_EQ(en.format("article.share", {{"count", 1}}), "article.share");
}

TEST(MessageCatalogTest, ReportsMissingKeysAndMismatchedArguments) {
  const MessageCatalog en = MessageCatalog::load("en", kEnglish);
  const MessageCatalog ja = MessageCatalog::load("ja", kJapanese);
  EXPECT_EQ(ja.missing_keys(en),
            (std::vector<std::string>{"a.b.c", "article.published", "stats.ratio", "stats.score"}));
  EXPECT_TRUE(en.missing_keys(ja).empty());
  // ja says {author} where en says {authors}.
  EXPECT_EQ(ja.mismatched_arguments(en), (std::vector<std::string>{"article.by"}));
}

TEST(MessageCatalogTest, WrongArgumentTypeIsAnError) {
  const MessageCatalog en = MessageCatalog::load("en", kEnglish);
  try {
    en.format("stats.score", {{"x", "many"}});
    FAIL() << "expected CatalogError";
  } catch (const CatalogError& e) {
    EXPECT_NE(std::string(e.what()).find("message 'stats.score' (en): cannot format"),
              std::string::npos)
        << e.what();
  }
}

struct LoadErrorCase {
  const char* name;
  const char* toml;
  const char* expected_start;  // the error text starts with this
  const char* expected_part;   // and contains this
};

class LoadErrorTest : public testing::TestWithParam<LoadErrorCase> {};

TEST_P(LoadErrorTest, NamesFileLineKeyAndProblem) {
  const LoadErrorCase& c = GetParam();
  try {
    MessageCatalog::load("en", c.toml, "locales/en.toml");
    FAIL() << "expected CatalogError";
  } catch (const CatalogError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(c.expected_start, 0), 0u) << what;
    EXPECT_NE(what.find(c.expected_part), std::string::npos) << what;
  }
}

// clang-format off
const LoadErrorCase kLoadErrors[] = {
    {"UnterminatedString", "[site]\nsearch = \"Search\n", "locales/en.toml:2:", "malformed TOML"},
    {"MissingEquals", "[site]\nsearch \"Search\"\n", "locales/en.toml:2:", "malformed TOML"},
    {"DuplicateKey", "a = \"x\"\na = \"y\"\n", "locales/en.toml:2:", "malformed TOML"},
    {"NotAString", "[section]\npage_size = 20\n", "locales/en.toml:2:",
     "key 'section.page_size': expected a message string, found an integer"},
    {"ArrayValue", "[site]\nmenu = [\"a\"]\n", "locales/en.toml:2:",
     "key 'site.menu': expected a message string, found an array"},
    {"UnclosedBrace", "[article]\nby = \"By {authors\"\n", "locales/en.toml:2:",
     "key 'article.by': malformed message pattern (U_UNMATCHED_BRACES)"},
    {"BadPluralSyntax", "[x]\nn = \"{count, plural, one {# a} other # b}\"\n", "locales/en.toml:2:",
     "key 'x.n': malformed message pattern"},
    {"PluralWithoutOther", "[x]\nn = \"{count, plural, one {# a}}\"\n", "locales/en.toml:2:",
     "key 'x.n': malformed message pattern"},
    {"UnknownArgType", "[x]\nn = \"{count, plurall, one {a} other {b}}\"\n", "locales/en.toml:2:",
     "key 'x.n': ICU cannot compile the message"},
    {"NumberedArgument", "[x]\nn = \"Hello {0}\"\n", "locales/en.toml:2:",
     "key 'x.n': numbered argument {0}: use named arguments"},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Load, LoadErrorTest, testing::ValuesIn(kLoadErrors),
                         [](const testing::TestParamInfo<LoadErrorCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(MessageCatalogTest, RejectsMalformedLocale) {
  EXPECT_THROW(MessageCatalog::load("en--US", kEnglish), std::invalid_argument);
  EXPECT_EQ(MessageCatalog::load("ja_JP", kJapanese).locale(), "ja-JP");
}

TEST(MessageCatalogTest, ConcurrentFormattingAgrees) {
  const MessageCatalog en = MessageCatalog::load("en", kEnglish);
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) {
        const int n = (i + t) % 3;
        const std::string expected = n == 1 ? "1 article" : std::to_string(n) + " articles";
        if (en.format("section.articles_count", {{"count", n}}) != expected) ++wrong[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int w : wrong) EXPECT_EQ(w, 0);
}

// ---- the shipped catalogs ----------------------------------------------------

TEST(LocaleFilesTest, JapaneseHasEveryEnglishKeyWithTheSameArguments) {
  const MessageCatalog en = MessageCatalog::load("en", read_locale_file("en.toml"), "en.toml");
  const MessageCatalog ja = MessageCatalog::load("ja", read_locale_file("ja.toml"), "ja.toml");
  EXPECT_GE(en.size(), 33u);
  EXPECT_EQ(ja.missing_keys(en), std::vector<std::string>{});
  // Section and plan names are per-language overrides of stored data, not
  // strings every catalog must have (en.toml's header): the tables ja.toml adds.
  std::vector<std::string> stale;
  for (const std::string& key : en.missing_keys(ja))
    if (key.rfind("section_name.", 0) != 0 && key.rfind("plan_name.", 0) != 0) stale.push_back(key);
  EXPECT_EQ(stale, std::vector<std::string>{}) << "stale keys in ja.toml";
  EXPECT_EQ(ja.mismatched_arguments(en), std::vector<std::string>{});
  for (const std::string& key : en.keys())
    EXPECT_NE(key.rfind("section_name.", 0), 0u) << key << ": English shows the stored names";
}

TEST(LocaleFilesTest, JapaneseNamesTheDemoSections) {
  const MessageCatalog ja = MessageCatalog::load("ja", read_locale_file("ja.toml"), "ja.toml");
  EXPECT_EQ(ja.format("section_name.world"), "国際");
  EXPECT_EQ(ja.format("section_name.business"), "ビジネス");
  EXPECT_EQ(ja.format("section_name.technology"), "テクノロジー");
  EXPECT_EQ(ja.format("section_name.opinion"), "オピニオン");
}

TEST(LocaleFilesTest, EnglishStrings) {
  const MessageCatalog en = MessageCatalog::load("en", read_locale_file("en.toml"), "en.toml");
  EXPECT_EQ(en.format("site.skip_to_content"), "Skip to content");
  EXPECT_EQ(en.format("article.by", {{"authors", "Ana Lima"}}), "By Ana Lima");
  EXPECT_EQ(en.format("article.photo_credit", {{"credit", "Photo: Jane Doe/Reuters"}}),
            "Photo: Jane Doe/Reuters");
  EXPECT_EQ(en.format("notfound.body"),
            "We couldn't find that page. It may have moved, or the address may be mistyped.");
  EXPECT_EQ(en.format("section.page", {{"page", 2}, {"pages", 7}}), "Page 2 of 7");
  EXPECT_EQ(en.format("section.articles_count", {{"count", 1}}), "1 article");
  EXPECT_EQ(en.format("search.results", {{"count", 0}, {"query", "brexit"}}),
            "No results for “brexit”");
  EXPECT_EQ(en.format("search.results", {{"count", 1}, {"query", "brexit"}}),
            "1 result for “brexit”");
  EXPECT_EQ(en.format("search.results", {{"count", 12}, {"query", "brexit"}}),
            "12 results for “brexit”");
  EXPECT_EQ(en.format("footer.rights", {{"year", 2026}, {"publication", "The Meridian Ledger"}}),
            "© 2026 The Meridian Ledger. All rights reserved.");
  EXPECT_EQ(en.format("front.more_in", {{"section", "Business"}}), "More in Business");
}

TEST(LocaleFilesTest, JapaneseStrings) {
  const MessageCatalog ja = MessageCatalog::load("ja", read_locale_file("ja.toml"), "ja.toml");
  EXPECT_EQ(ja.format("section.articles_count", {{"count", 1}}), "記事1件");
  EXPECT_EQ(ja.format("section.articles_count", {{"count", 3}}), "記事3件");
  EXPECT_EQ(ja.format("search.results", {{"count", 0}, {"query", "円安"}}),
            "「円安」に一致する記事は見つかりませんでした");
  EXPECT_EQ(ja.format("search.results", {{"count", 5}, {"query", "円安"}}),
            "「円安」の検索結果：5件");
  EXPECT_EQ(ja.format("footer.rights", {{"year", 2026}, {"publication", "メリディアン・レジャー"}}),
            "© 2026 メリディアン・レジャー 無断転載・複製を禁じます。");
  EXPECT_EQ(ja.format("section.page", {{"page", 2}, {"pages", 7}}), "2 / 7ページ");
}

}  // namespace
}  // namespace masthead::render
