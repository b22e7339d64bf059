// CSRF tokens, the Origin check, local-only redirects and cookie names.
#include "web/web_security.h"

#include <gtest/gtest.h>

namespace masthead::web {
namespace {

http::Request with_headers(std::vector<http::Header> headers) {
  http::Request r;
  r.method = http::Method::kPost;
  r.headers = std::move(headers);
  return r;
}

std::string cookie_value(const std::string& set_cookie) {
  auto start = set_cookie.find('=') + 1;
  return set_cookie.substr(start, set_cookie.find(';') - start);
}

TEST(SafeNext, KeepsOnlyLocalPaths) {
  const std::pair<std::string, std::string> cases[] = {
      {"/account", "/account"},
      {"/world/a-story?x=1#y", "/world/a-story?x=1#y"},
      {"/", "/"},
      {"", "/account"},
      {"//evil.example/", "/account"},
      {"/\\evil.example", "/account"},
      {"https://evil.example/", "/account"},
      {"javascript:alert(1)", "/account"},
      {"account", "/account"},
      {"/a\r\nSet-Cookie: x=1", "/account"},
      {"/a\\b", "/account"},
      {std::string(2001, '/'), "/account"},
  };
  for (const auto& [next, expected] : cases) EXPECT_EQ(safe_next(next), expected) << next;
}

TEST(SameOrigin, OriginElseRefererElseRefused) {
  const std::string origin = "https://news.example.org";
  EXPECT_EQ(origin_of("https://news.example.org"), origin);
  EXPECT_EQ(origin_of("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_TRUE(same_origin(with_headers({{"Origin", origin}}), origin));
  EXPECT_FALSE(same_origin(with_headers({{"Origin", "https://evil.example"}}), origin));
  EXPECT_FALSE(same_origin(with_headers({{"Origin", "null"}}), origin));
  EXPECT_FALSE(same_origin(with_headers({{"Origin", origin + ".evil.example"}}), origin));
  EXPECT_TRUE(same_origin(with_headers({{"Referer", origin + "/login"}}), origin));
  EXPECT_FALSE(same_origin(with_headers({{"Referer", origin + ".evil.example/login"}}), origin));
  EXPECT_FALSE(same_origin(
      with_headers({{"Origin", "https://evil.example"}, {"Referer", origin + "/login"}}), origin))
      << "a wrong Origin is not rescued by a Referer";
  EXPECT_FALSE(same_origin(with_headers({}), origin)) << "neither header: refused";
}

TEST(CsrfGuard, TokensMatchTheirCookieOnly) {
  CsrfGuard guard({1, 2, 3}, CookiePolicy{.secure = true});
  EXPECT_EQ(guard.cookie_name(), "__Host-csrf");
  auto first = guard.issue(with_headers({}));
  ASSERT_FALSE(first.set_cookie.empty()) << "no cookie yet: one is set";
  EXPECT_NE(first.set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(first.set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(first.set_cookie.find("Secure"), std::string::npos);
  const std::string cookie = "__Host-csrf=" + cookie_value(first.set_cookie);
  auto again = guard.issue(with_headers({{"Cookie", cookie}}));
  EXPECT_TRUE(again.set_cookie.empty()) << "the cookie is reused";
  EXPECT_EQ(again.field, first.field);
  EXPECT_TRUE(guard.verify(with_headers({{"Cookie", cookie}}), first.field));
  EXPECT_FALSE(guard.verify(with_headers({{"Cookie", cookie}}), ""));
  EXPECT_FALSE(guard.verify(with_headers({}), first.field)) << "no cookie";
  std::string edited = first.field;
  edited[3] = edited[3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(guard.verify(with_headers({{"Cookie", cookie}}), edited));
  auto rotated = guard.rotate();
  EXPECT_NE(rotated.field, first.field);
  EXPECT_FALSE(guard.verify(
      with_headers({{"Cookie", "__Host-csrf=" + cookie_value(rotated.set_cookie)}}), first.field))
      << "an old token does not fit the new cookie";
  CsrfGuard other({9}, CookiePolicy{.secure = true});
  EXPECT_FALSE(other.verify(with_headers({{"Cookie", cookie}}), first.field)) << "another key";
  EXPECT_EQ(CsrfGuard({1}, CookiePolicy{.secure = false}).cookie_name(), "csrf");
}

}  // namespace
}  // namespace masthead::web
