// If-None-Match: lists, weak tags, "*", commas inside tags, junk.
#include "http/etag.h"

#include <gtest/gtest.h>

namespace masthead::http {
namespace {

struct Case {
  const char* header;
  const char* etag;
  bool matches;
};

class IfNoneMatchTest : public ::testing::TestWithParam<Case> {};

TEST_P(IfNoneMatchTest, Compares) {
  const Case& c = GetParam();
  EXPECT_EQ(if_none_match_lists(c.header, c.etag), c.matches)
      << "If-None-Match: " << c.header << " vs " << c.etag;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, IfNoneMatchTest,
    ::testing::Values(Case{"\"abc\"", "\"abc\"", true}, Case{"\"abc\"", "\"abd\"", false},
                      Case{"W/\"abc\"", "\"abc\"", true}, Case{"\"abc\"", "W/\"abc\"", true},
                      Case{"\"x\", \"abc\"", "\"abc\"", true},
                      Case{"\"x\",W/\"abc\"", "\"abc\"", true}, Case{"*", "\"abc\"", true},
                      Case{" * ", "\"abc\"", true}, Case{"\"a,b\"", "\"a,b\"", true},
                      Case{"\"a,b\"", "\"b\"", false}, Case{"abc", "\"abc\"", false},
                      Case{"junk, \"abc\"", "\"abc\"", true}, Case{"\"abc", "\"abc\"", false},
                      Case{"", "\"abc\"", false}, Case{",,,", "\"abc\"", false},
                      Case{"*x", "\"abc\"", false}, Case{"\"\"", "\"\"", true}));

TEST(EtagTest, LooksAtEveryIfNoneMatchHeader) {
  Request request;
  request.headers = {{"If-None-Match", "\"a\""}, {"if-none-match", "\"b\""}};
  EXPECT_TRUE(matches_if_none_match(request, "\"b\""));
  EXPECT_FALSE(matches_if_none_match(request, "\"c\""));
  EXPECT_FALSE(matches_if_none_match(Request{}, "\"c\""));
}

}  // namespace
}  // namespace masthead::http
