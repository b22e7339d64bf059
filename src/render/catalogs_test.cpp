// Tests for Catalogs: Accept-Language negotiation (q-values, regions,
// wildcards, garbage) and locale lookup with fallback to the default.
#include "render/catalogs.h"

#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace masthead::render {
namespace {

Catalogs english_and_japanese(std::string_view default_locale = "en") {
  std::vector<MessageCatalog> catalogs;
  catalogs.push_back(MessageCatalog::load("en", "hello = \"Hello\"\n"));
  catalogs.push_back(MessageCatalog::load("ja", "hello = \"こんにちは\"\n"));
  return Catalogs(std::move(catalogs), default_locale);
}

struct NegotiationCase {
  const char* name;
  const char* header;
  const char* expected;
};

class NegotiationTest : public testing::TestWithParam<NegotiationCase> {};

TEST_P(NegotiationTest, PicksTheBestEnabledLocale) {
  static const Catalogs catalogs = english_and_japanese();
  EXPECT_EQ(catalogs.negotiate(GetParam().header), GetParam().expected)
      << "Accept-Language: " << GetParam().header;
}

// clang-format off
const NegotiationCase kNegotiation[] = {
    {"ExactLanguage", "ja", "ja"},
    {"RegionMatchesLanguage", "ja-JP", "ja"},
    {"BrowserStyle", "ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7", "ja"},
    {"QValuesOutOfOrder", "en;q=0.5, ja;q=0.9", "ja"},
    {"FirstOfEqualQ", "en-US;q=0.2,ja;q=0.2", "en"},
    {"OtherEnglishRegion", "en-AU", "en"},
    {"EnglishVariant", "en-GB-oxendict", "en"},
    {"UnsupportedFirstThenSupported", "fr, ja;q=0.1", "ja"},
    {"ZeroQualityExcluded", "ja;q=0, en;q=0.1", "en"},
    {"NothingSupported", "fr-FR, de;q=0.8", "en"},
    {"ChineseIsNotJapanese", "zh-TW", "en"},
    {"Empty", "", "en"},
    {"Wildcard", "*", "en"},
    {"WildcardAfterUnsupported", "de, *;q=0.1", "en"},
    {"Garbage", "garbage!!", "en"},
    {"GarbageEntrySkipped", "ja-JP,x!!;q=0.5", "ja"},
    {"MalformedQuality", "ja;q=abc", "en"},
    {"QualityAboveOne", "ja;q=1.5", "en"},
    {"ExtraWhitespace", "  ja  ;  q=0.8 , en ; q = 0.9", "en"},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(AcceptLanguage, NegotiationTest, testing::ValuesIn(kNegotiation),
                         [](const testing::TestParamInfo<NegotiationCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(CatalogsTest, DefaultIsWhateverTheSiteChose) {
  const Catalogs catalogs = english_and_japanese("ja");
  EXPECT_EQ(catalogs.default_locale(), "ja");
  EXPECT_EQ(catalogs.negotiate("fr"), "ja");
  EXPECT_EQ(catalogs.negotiate("en-US"), "en");
  EXPECT_EQ(catalogs.locales(), (std::vector<std::string>{"en", "ja"}));
}

TEST(CatalogsTest, OverlongHeaderGetsTheDefault) {
  const Catalogs catalogs = english_and_japanese();
  std::string header = "ja";
  while (header.size() <= Catalogs::kMaxHeaderBytes) header += ",fr;q=0.1";
  EXPECT_EQ(catalogs.negotiate(header), "en");
}

TEST(CatalogsTest, ForLocaleFallsBackToLanguageThenDefault) {
  const Catalogs catalogs = english_and_japanese();
  EXPECT_EQ(catalogs.for_locale("ja").format("hello"), "こんにちは");
  EXPECT_EQ(catalogs.for_locale("ja-JP").locale(), "ja");
  EXPECT_EQ(catalogs.for_locale("en").locale(), "en");
  EXPECT_EQ(catalogs.for_locale("de").locale(), "en");
  EXPECT_EQ(catalogs.for_locale("").locale(), "en");
}

TEST(CatalogsTest, RejectsBadConfiguration) {
  EXPECT_THROW(Catalogs({}, "en"), std::invalid_argument);
  {
    std::vector<MessageCatalog> catalogs;
    catalogs.push_back(MessageCatalog::load("en", ""));
    EXPECT_THROW(Catalogs(std::move(catalogs), "ja"), std::invalid_argument);
  }
  {
    std::vector<MessageCatalog> catalogs;
    catalogs.push_back(MessageCatalog::load("en", ""));
    catalogs.push_back(MessageCatalog::load("en", ""));
    EXPECT_THROW(Catalogs(std::move(catalogs), "en"), std::invalid_argument);
  }
}

}  // namespace
}  // namespace masthead::render
