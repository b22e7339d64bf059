// join_list / list_joints: the locale's "and" lists, for 1, 2 and 3 items in
// English and Japanese, and joints that rebuild the joined text exactly.
#include "render/list_format.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace masthead::render {
namespace {

std::string interleave(const std::vector<std::string>& joints,
                       const std::vector<std::string>& items) {
  std::string out = joints.at(0);
  for (std::size_t i = 0; i < items.size(); ++i) out += items[i] + joints.at(i + 1);
  return out;
}

TEST(JoinList, EnglishOneTwoThree) {
  EXPECT_EQ(join_list("en-GB", {}), "");
  EXPECT_EQ(join_list("en-GB", {"Mara Lindqvist"}), "Mara Lindqvist");
  EXPECT_EQ(join_list("en-GB", {"Mara Lindqvist", "Kenji Aoyama"}),
            "Mara Lindqvist and Kenji Aoyama");
  EXPECT_EQ(join_list("en-GB", {"A", "B", "C"}), "A, B and C");
  // CLDR's American English has the serial comma.
  EXPECT_EQ(join_list("en-US", {"A", "B", "C"}), "A, B, and C");
}

TEST(JoinList, JapaneseOneTwoThree) {
  EXPECT_EQ(join_list("ja-JP", {"青木"}), "青木");
  EXPECT_EQ(join_list("ja-JP", {"青木", "佐藤"}), "青木、佐藤");
  EXPECT_EQ(join_list("ja", {"Mara Lindqvist", "Kenji Aoyama", "Hana Kobayashi"}),
            "Mara Lindqvist、Kenji Aoyama、Hana Kobayashi");
}

TEST(ListJoints, AreTheTextAroundEachItem) {
  EXPECT_EQ(list_joints("en-GB", {}), std::vector<std::string>{""});
  EXPECT_EQ(list_joints("en-GB", {"A"}), (std::vector<std::string>{"", ""}));
  EXPECT_EQ(list_joints("en-GB", {"A", "B"}), (std::vector<std::string>{"", " and ", ""}));
  EXPECT_EQ(list_joints("en-GB", {"A", "B", "C"}),
            (std::vector<std::string>{"", ", ", " and ", ""}));
  EXPECT_EQ(list_joints("ja-JP", {"A", "B", "C"}), (std::vector<std::string>{"", "、", "、", ""}));
}

TEST(ListJoints, RebuildTheJoinedListInEveryLocale) {
  const std::vector<std::vector<std::string>> lists = {
      {"Ana"}, {"Ana", "Ben"}, {"Ana", "Ben", "Cleo"}, {"Ana", "Ben", "Cleo", "Dev"}};
  for (const char* locale : {"en-GB", "en-US", "ja-JP", "de-DE", "fr-FR", "es", "zh-Hant-TW"}) {
    for (const auto& items : lists) {
      const auto joints = list_joints(locale, items);
      ASSERT_EQ(joints.size(), items.size() + 1) << locale;
      EXPECT_EQ(interleave(joints, items), join_list(locale, items)) << locale;
    }
  }
}

TEST(ListJoints, ComeFromTheRealItems) {
  // Spanish "y" becomes "e" before an /i/ sound: the joint depends on the item.
  EXPECT_EQ(join_list("es", {"Ana", "Isabel"}), "Ana e Isabel");
  EXPECT_EQ(list_joints("es", {"Ana", "Isabel"}), (std::vector<std::string>{"", " e ", ""}));
}

TEST(JoinList, RejectsAMalformedLocaleAndEmptyJointItems) {
  EXPECT_THROW(join_list("not a locale!", {"A"}), std::invalid_argument);
  EXPECT_THROW(list_joints("", {"A"}), std::invalid_argument);
  EXPECT_THROW(list_joints("en-GB", {"A", ""}), std::invalid_argument);
}

}  // namespace
}  // namespace masthead::render
