// Response helpers: header editing and the factories.
#include "http/response.h"

#include <gtest/gtest.h>

namespace masthead::http {
namespace {

TEST(ResponseTest, SetHeaderReplacesEveryCaseVariantInPlace) {
  Response r;
  r.add_header("X-A", "1");
  r.add_header("Content-Type", "text/plain");
  r.add_header("x-a", "2");
  r.add_header("X-B", "3");
  r.set_header("x-A", "new");
  ASSERT_EQ(r.headers.size(), 3u);
  EXPECT_EQ(r.headers[0].name, "x-A");
  EXPECT_EQ(r.headers[0].value, "new");
  EXPECT_EQ(r.headers[1].name, "Content-Type");
  EXPECT_EQ(r.headers[2].name, "X-B");
  r.set_header("X-C", "appended");
  EXPECT_EQ(r.headers.back().value, "appended");
}

TEST(ResponseTest, AddHeaderKeepsEarlierOnes) {
  Response r;
  r.add_header("Set-Cookie", "a=1");
  r.add_header("Set-Cookie", "b=2");
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.header("set-cookie"), "a=1");
  EXPECT_EQ(r.header("absent"), "");
}

TEST(ResponseTest, BodyViewPrefersTheSharedBody) {
  Response r = Response::text(200, "own");
  EXPECT_EQ(r.body_view(), "own");
  r.shared_body = std::make_shared<const std::string>("shared");
  EXPECT_EQ(r.body_view(), "shared");
}

TEST(ResponseTest, Factories) {
  Response html = Response::html(201, "<p>");
  EXPECT_EQ(html.status, 201);
  EXPECT_EQ(html.body, "<p>");
  EXPECT_EQ(html.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(Response::text(200, "").header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(Response::json(200, "{}").header("content-type"), "application/json");
}

TEST(ResponseTest, Redirect) {
  Response see_other = Response::redirect("/login?next=%2F");
  EXPECT_EQ(see_other.status, 303);
  EXPECT_EQ(see_other.header("location"), "/login?next=%2F");
  EXPECT_FALSE(see_other.body.empty());
  EXPECT_EQ(Response::redirect("/new", 301).status, 301);
}

}  // namespace
}  // namespace masthead::http
