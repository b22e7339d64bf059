// Router: precedence (literal > :param > *wildcard, regardless of order),
// parameter capture, 405 + Allow, HEAD fallback, not-found, bad patterns,
// and each route's Dispatch as match() reports it.
#include "http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace masthead::http {
namespace {

// A handler that answers with its own name, so a test can see which ran.
Handler named(std::string name) {
  return [name](Request&) { return Response::text(200, name); };
}

Request make(Method method, std::string path) {
  Request request;
  request.method = method;
  request.path = std::move(path);
  return request;
}

std::string route(const Router& router, Method method, std::string path) {
  Request request = make(method, std::move(path));
  Response response = router.handle(request);
  return response.status == 200 ? response.body : std::to_string(response.status);
}

TEST(RouterTest, LiteralBeatsParameterWhateverTheOrder) {
  for (bool literal_first : {true, false}) {
    Router router;
    if (literal_first) router.get("/search", named("search"));
    router.get("/:section", named("section"));
    if (!literal_first) router.get("/search", named("search"));
    EXPECT_EQ(route(router, Method::kGet, "/search"), "search");
    EXPECT_EQ(route(router, Method::kGet, "/world"), "section");
  }
}

TEST(RouterTest, BacktracksFromADeadEndLiteral) {
  Router router;
  router.get("/search/top", named("top"));
  router.get("/:section/:slug", named("article"));
  EXPECT_EQ(route(router, Method::kGet, "/search/top"), "top");
  EXPECT_EQ(route(router, Method::kGet, "/search/other"), "article");
}

TEST(RouterTest, FillsParametersByName) {
  Router router;
  router.get("/:section/:year/:slug", [](Request& request) {
    return Response::text(200, std::string(request.param("section")) + "|" +
                                   std::string(request.param("year")) + "|" +
                                   std::string(request.param("slug")) + "|" +
                                   std::string(request.param("missing")));
  });
  EXPECT_EQ(route(router, Method::kGet, "/world/2024/a-b"), "world|2024|a-b|");
}

TEST(RouterTest, ParameterNamesMayDifferBetweenPatternsSharingANode) {
  Router router;
  router.get("/a/:id", [](Request& r) { return Response::text(200, std::string(r.param("id"))); });
  router.get("/a/:slug/edit", [](Request& r) {
    return Response::text(200, "edit " + std::string(r.param("slug")));
  });
  EXPECT_EQ(route(router, Method::kGet, "/a/7"), "7");
  EXPECT_EQ(route(router, Method::kGet, "/a/x/edit"), "edit x");
}

TEST(RouterTest, ParameterNeedsANonEmptySegment) {
  Router router;
  router.get("/world/:slug", named("article"));
  EXPECT_EQ(route(router, Method::kGet, "/world/x"), "article");
  EXPECT_EQ(route(router, Method::kGet, "/world/"), "404");
  EXPECT_EQ(route(router, Method::kGet, "/world"), "404");
}

TEST(RouterTest, TrailingSlashIsSignificant) {
  Router router;
  router.get("/world", named("no slash"));
  router.get("/world/", named("slash"));
  EXPECT_EQ(route(router, Method::kGet, "/world"), "no slash");
  EXPECT_EQ(route(router, Method::kGet, "/world/"), "slash");
}

TEST(RouterTest, RootPattern) {
  Router router;
  router.get("/", named("home"));
  EXPECT_EQ(route(router, Method::kGet, "/"), "home");
  EXPECT_EQ(route(router, Method::kGet, "/x"), "404");
}

TEST(RouterTest, WildcardTakesTheRestOfThePath) {
  Router router;
  router.get("/static/*rest", [](Request& r) {
    return Response::text(200, "[" + std::string(r.param("rest")) + "]");
  });
  EXPECT_EQ(route(router, Method::kGet, "/static/css/site.css"), "[css/site.css]");
  EXPECT_EQ(route(router, Method::kGet, "/static/a"), "[a]");
  EXPECT_EQ(route(router, Method::kGet, "/static/"), "[]");
  EXPECT_EQ(route(router, Method::kGet, "/static"), "404");
}

TEST(RouterTest, ParameterBeatsWildcardAndLiteralBeatsBoth) {
  Router router;
  router.get("/*path", named("wildcard"));
  router.get("/:one", named("param"));
  router.get("/about", named("literal"));
  EXPECT_EQ(route(router, Method::kGet, "/about"), "literal");
  EXPECT_EQ(route(router, Method::kGet, "/x"), "param");
  EXPECT_EQ(route(router, Method::kGet, "/x/y"), "wildcard");
  EXPECT_EQ(route(router, Method::kGet, "/"), "wildcard");
}

TEST(RouterTest, MethodMismatchIs405WithAllow) {
  Router router;
  router.get("/login", named("form"));
  router.post("/login", named("submit"));
  router.add(Method::kDelete, "/:thing", named("delete"));
  Request request = make(Method::kPut, "/login");
  Response response = router.handle(request);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.header("allow"), "GET, HEAD, POST, DELETE");
}

TEST(RouterTest, AnotherPatternWithTheMethodWinsOver405) {
  Router router;
  router.get("/search", named("search"));
  router.post("/:section", named("post section"));
  EXPECT_EQ(route(router, Method::kPost, "/search"), "post section");
}

TEST(RouterTest, HeadFallsBackToGetButPrefersItsOwnRoute) {
  Router router;
  router.get("/a", named("get a"));
  router.get("/b", named("get b"));
  router.add(Method::kHead, "/b", named("head b"));
  EXPECT_EQ(route(router, Method::kHead, "/a"), "get a");
  EXPECT_EQ(route(router, Method::kHead, "/b"), "head b");
  router.post("/c", named("post c"));
  EXPECT_EQ(route(router, Method::kHead, "/c"), "405");
}

TEST(RouterTest, NotFoundHandler) {
  Router router;
  router.get("/a", named("a"));
  EXPECT_EQ(route(router, Method::kGet, "/nope"), "404");
  router.set_not_found([](Request& r) { return Response::text(200, "custom " + r.path); });
  EXPECT_EQ(route(router, Method::kGet, "/nope"), "custom /nope");
  EXPECT_EQ(route(router, Method::kGet, ""), "custom ");
}

TEST(RouterTest, ParamsFromAPreviousMatchAreCleared) {
  Router router;
  router.get("/:a", named("a"));
  Request request = make(Method::kGet, "/x");
  router.handle(request);
  ASSERT_EQ(request.params.size(), 1u);
  request.path = "/x/y";
  router.handle(request);
  EXPECT_TRUE(request.params.empty());
}

TEST(RouterTest, OtherMethodsRouteToTheirOwnSlot) {
  Router router;
  router.add(Method::kOther, "/dav", named("other"));
  EXPECT_EQ(route(router, Method::kOther, "/dav"), "other");
  EXPECT_EQ(route(router, Method::kGet, "/dav"), "405");
}

TEST(RouterTest, RejectsBadPatterns) {
  for (const char* pattern : {"", "relative", "/a/*rest/b", "/:", "/*", "/:a/:a"}) {
    Router router;
    EXPECT_THROW(router.get(pattern, named("x")), std::invalid_argument) << pattern;
  }
  Router router;
  router.get("/a", named("x"));
  EXPECT_THROW(router.get("/a", named("y")), std::invalid_argument);
  EXPECT_THROW(router.get("/b", Handler{}), std::invalid_argument);
  std::string many;
  for (int i = 0; i < 17; ++i) many += "/:p" + std::to_string(i);
  EXPECT_THROW(router.get(many, named("x")), std::invalid_argument);
}

TEST(RouterTest, MatchReportsEachRoutesDispatch) {
  Router router;
  router.get("/login", named("form"));
  router.post("/login", named("check"), kBlocking);
  router.get("/account/:part", named("account"), kBlocking);
  EXPECT_TRUE(router.has_blocking_routes());

  auto dispatch_of = [&](Method method, std::string path) {
    Request request = make(method, std::move(path));
    RouteMatch match = router.match(request);
    EXPECT_NE(match.handler, nullptr);
    return match.dispatch;
  };
  EXPECT_EQ(dispatch_of(Method::kGet, "/login"), kInline);
  EXPECT_EQ(dispatch_of(Method::kPost, "/login"), kBlocking);
  EXPECT_EQ(dispatch_of(Method::kHead, "/account/export"), kBlocking) << "HEAD takes GET's";
  EXPECT_EQ(dispatch_of(Method::kDelete, "/login"), kInline) << "405";
  EXPECT_EQ(dispatch_of(Method::kPost, "/nowhere"), kInline) << "404";

  Request request = make(Method::kPost, "/login");
  EXPECT_EQ((*router.match(request).handler)(request).body, "check");
  Request wrong = make(Method::kDelete, "/login");
  Response refused = (*router.match(wrong).handler)(wrong);
  EXPECT_EQ(refused.status, 405);
  EXPECT_EQ(refused.header("Allow"), "GET, HEAD, POST");
}

TEST(RouterTest, HasBlockingRoutesOnlyWhenOneIsRegistered) {
  Router router;
  EXPECT_FALSE(router.has_blocking_routes());
  router.get("/", named("home"));
  router.post("/subscribe", named("subscribe"), Dispatch::kInline);
  EXPECT_FALSE(router.has_blocking_routes());
}

TEST(RouterTest, MovedRouterKeepsItsRoutes) {
  Router router;
  router.get("/a", named("a"));
  Router moved = std::move(router);
  EXPECT_EQ(route(moved, Method::kGet, "/a"), "a");
}

}  // namespace
}  // namespace masthead::http
