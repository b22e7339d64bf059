// Request helpers, with the Cookie parser fed hostile input.
#include "http/request.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace masthead::http {
namespace {

Request with_headers(std::vector<Header> headers) {
  Request request;
  request.headers = std::move(headers);
  return request;
}

TEST(RequestTest, HeaderLookupIgnoresCaseAndReturnsTheFirst) {
  Request r = with_headers({{"Content-Type", "text/plain"}, {"X-A", "1"}, {"x-a", "2"}});
  EXPECT_EQ(r.header("content-type"), "text/plain");
  EXPECT_EQ(r.header("CONTENT-TYPE"), "text/plain");
  EXPECT_EQ(r.header("x-A"), "1");
  EXPECT_EQ(r.header("missing"), "");
  EXPECT_EQ(r.header(""), "");
}

TEST(RequestTest, QueryParamIsFirstOfThatNameAndCaseSensitive) {
  Request r;
  r.query = {{"q", "news"}, {"page", ""}, {"q", "second"}};
  EXPECT_EQ(r.query_param("q"), "news");
  EXPECT_EQ(r.query_param("page"), "");
  EXPECT_EQ(r.query_param("Q"), std::nullopt);
  EXPECT_EQ(r.query_param("absent"), std::nullopt);
}

TEST(RequestTest, Param) {
  Request r;
  r.params = {{"slug", "a-b"}};
  EXPECT_EQ(r.param("slug"), "a-b");
  EXPECT_EQ(r.param("other"), "");
}

TEST(RequestTest, MethodName) {
  EXPECT_EQ(method_name(Method::kGet), "GET");
  EXPECT_EQ(method_name(Method::kHead), "HEAD");
  EXPECT_EQ(method_name(Method::kPost), "POST");
  EXPECT_EQ(method_name(Method::kPut), "PUT");
  EXPECT_EQ(method_name(Method::kPatch), "PATCH");
  EXPECT_EQ(method_name(Method::kDelete), "DELETE");
  EXPECT_EQ(method_name(Method::kOptions), "OPTIONS");
  EXPECT_EQ(method_name(Method::kOther), "OTHER");
}

struct CookieCase {
  const char* header;
  const char* name;
  std::optional<std::string_view> expected;
};

class CookieTest : public ::testing::TestWithParam<CookieCase> {};

TEST_P(CookieTest, Parses) {
  const CookieCase& c = GetParam();
  Request r = with_headers({{"Cookie", c.header}});
  EXPECT_EQ(r.cookie(c.name), c.expected) << "Cookie: " << c.header;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CookieTest,
    ::testing::Values(CookieCase{"a=1; b=2", "a", "1"}, CookieCase{"a=1; b=2", "b", "2"},
                      CookieCase{"a=1;b=2", "b", "2"}, CookieCase{"  a = 1 ;  b=2  ", "a", "1"},
                      CookieCase{"sid=\"quoted value\"", "sid", "quoted value"},
                      CookieCase{"sid=\"", "sid", "\""}, CookieCase{"sid=\"\"", "sid", ""},
                      CookieCase{"a=", "a", ""}, CookieCase{"a=b=c", "a", "b=c"},
                      CookieCase{"ab=1; b=2", "b", "2"}, CookieCase{"ab=1", "b", std::nullopt},
                      CookieCase{"junk; a=1", "a", "1"}, CookieCase{"a=1; a=2", "a", "1"},
                      CookieCase{";;; ;=; ==; a=x", "a", "x"}, CookieCase{"=1", "", std::nullopt},
                      CookieCase{"", "a", std::nullopt}, CookieCase{";", "a", std::nullopt},
                      CookieCase{"A=1", "a", std::nullopt}, CookieCase{"a=1, b=2", "a", "1, b=2"}));

TEST(RequestTest, CookieLooksInEveryCookieHeader) {
  Request r = with_headers({{"Cookie", "a=1"}, {"cookie", "b=2"}});
  EXPECT_EQ(r.cookie("a"), "1");
  EXPECT_EQ(r.cookie("b"), "2");
}

TEST(RequestTest, CookieParserSurvivesRandomBytes) {
  std::mt19937 rng(12345);
  std::string alphabet = "ab=;\" \t,\\\x01\xff";
  alphabet.push_back('\0');
  for (int round = 0; round < 5000; ++round) {
    std::string header;
    int length = static_cast<int>(rng() % 40);
    for (int i = 0; i < length; ++i) header.push_back(alphabet[rng() % alphabet.size()]);
    Request r = with_headers({{"Cookie", header}});
    for (const char* name : {"a", "b", "ab", ""}) {
      auto value = r.cookie(name);
      if (value) {
        // Always a view into the header itself.
        const char* begin = r.headers[0].value.data();
        EXPECT_GE(value->data(), begin);
        EXPECT_LE(value->data() + value->size(), begin + r.headers[0].value.size());
      }
    }
  }
}

}  // namespace
}  // namespace masthead::http
