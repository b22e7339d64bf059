// Set-Cookie building: attributes, defaults, and refusal of bad input.
#include "http/cookies.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace masthead::http {
namespace {

TEST(CookiesTest, DefaultsAreSafe) {
  EXPECT_EQ(build_set_cookie("sid", "abc123"),
            "sid=abc123; Path=/; HttpOnly; Secure; SameSite=Lax");
}

TEST(CookiesTest, AllAttributes) {
  CookieOptions options;
  options.path = "/account";
  options.domain = "example.com";
  options.max_age = std::chrono::seconds(3600);
  options.expires = std::chrono::system_clock::time_point(std::chrono::seconds(784111777));
  options.same_site = SameSite::kStrict;
  EXPECT_EQ(build_set_cookie("m", "\"quoted\"", options),
            "m=\"quoted\"; Path=/account; Domain=example.com; Max-Age=3600; "
            "Expires=Sun, 06 Nov 1994 08:49:37 GMT; HttpOnly; Secure; SameSite=Strict");
}

TEST(CookiesTest, OptionalAttributesCanBeOmitted) {
  CookieOptions options;
  options.path.clear();
  options.http_only = false;
  options.secure = false;
  options.same_site.reset();
  EXPECT_EQ(build_set_cookie("theme", "dark", options), "theme=dark");
  options.same_site = SameSite::kNone;
  options.secure = true;
  EXPECT_EQ(build_set_cookie("t", "", options), "t=; Secure; SameSite=None");
}

TEST(CookiesTest, Expired) {
  EXPECT_EQ(build_expired_cookie("sid"),
            "sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; "
            "SameSite=Lax");
}

TEST(CookiesTest, RejectsBadNamesAndValues) {
  for (const char* name : {"", "a b", "a=b", "a;b", "a\"", "a,b", "é", "a\tb"}) {
    EXPECT_THROW(build_set_cookie(name, "v"), std::invalid_argument) << name;
  }
  for (const std::string& value :
       std::vector<std::string>{"a b", "a;b", "a,b", "a\\b", "\"a", "a\"b", "\x7f",
                                std::string(1, '\0'), "a\r\nSet-Cookie: x=y"}) {
    EXPECT_THROW(build_set_cookie("n", value), std::invalid_argument) << value;
  }
  CookieOptions bad_path;
  bad_path.path = "/a; Domain=evil";
  EXPECT_THROW(build_set_cookie("n", "v", bad_path), std::invalid_argument);
  CookieOptions bad_domain;
  bad_domain.domain = "x\r\n";
  EXPECT_THROW(build_set_cookie("n", "v", bad_domain), std::invalid_argument);
}

TEST(CookiesTest, EnforcesBrowserRules) {
  CookieOptions insecure;
  insecure.secure = false;
  insecure.same_site = SameSite::kNone;
  EXPECT_THROW(build_set_cookie("n", "v", insecure), std::invalid_argument);
  insecure.same_site = SameSite::kLax;
  EXPECT_THROW(build_set_cookie("__Secure-n", "v", insecure), std::invalid_argument);
  EXPECT_THROW(build_set_cookie("__Host-n", "v", insecure), std::invalid_argument);
  CookieOptions scoped;
  scoped.path = "/a";
  EXPECT_THROW(build_set_cookie("__Host-n", "v", scoped), std::invalid_argument);
  EXPECT_NO_THROW(build_set_cookie("__Host-n", "v"));
}

}  // namespace
}  // namespace masthead::http
