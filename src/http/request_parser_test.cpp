// RequestParser and split_target: what reaches a handler, and what is 400.
#include "http/request_parser.h"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

namespace masthead::http {
namespace {

namespace beast_http = boost::beast::http;

struct Parsed {
  boost::system::error_code ec;
  bool done = false;
  int version = 0;
  bool expects_continue = false;
  bool keep_alive = false;
};

Parsed parse(std::string_view raw, Request& request, std::size_t max_header = 16 * 1024,
             std::size_t max_body = 1024 * 1024) {
  Parsed result;
  RequestParser parser(request, max_header, max_body);
  parser.eager(true);
  parser.put(boost::asio::const_buffer(raw.data(), raw.size()), result.ec);
  result.done = parser.is_done();
  if (parser.is_header_done()) {
    result.version = parser.version();
    result.expects_continue = parser.expects_continue();
    result.keep_alive = parser.keep_alive();
  }
  return result;
}

TEST(RequestParserTest, FillsTheRequest) {
  Request request;
  Parsed p = parse(
      "POST /world/caf%C3%A9?q=a+b%26c&flag&empty=&q=2 HTTP/1.1\r\n"
      "Host: example.com\r\nX-Mixed-Case: v\r\nContent-Length: 5\r\n\r\nhello",
      request);
  ASSERT_FALSE(p.ec) << p.ec.message();
  EXPECT_TRUE(p.done);
  EXPECT_EQ(p.version, 11);
  EXPECT_TRUE(p.keep_alive);
  EXPECT_EQ(request.method, Method::kPost);
  EXPECT_EQ(request.target, "/world/caf%C3%A9?q=a+b%26c&flag&empty=&q=2");
  EXPECT_EQ(request.path, "/world/café");
  ASSERT_EQ(request.query.size(), 4u);
  EXPECT_EQ(request.query[0], (std::pair<std::string, std::string>{"q", "a b&c"}));
  EXPECT_EQ(request.query[1], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(request.query_param("q"), "a b&c");
  ASSERT_EQ(request.headers.size(), 3u);
  EXPECT_EQ(request.headers[1].name, "X-Mixed-Case");
  EXPECT_EQ(request.body, "hello");
}

TEST(RequestParserTest, ReusedRequestHoldsOnlyTheNewMessage) {
  Request request;
  ASSERT_FALSE(
      parse("POST /a?x=1&y=2 HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nContent-Length: 2\r\n\r\nhi",
            request)
          .ec);
  request.params = {{"stale", "1"}};
  ASSERT_FALSE(parse("GET /b HTTP/1.1\r\nHost: h\r\n\r\n", request).ec);
  EXPECT_EQ(request.method, Method::kGet);
  EXPECT_EQ(request.path, "/b");
  EXPECT_TRUE(request.query.empty());
  EXPECT_TRUE(request.params.empty());
  EXPECT_TRUE(request.body.empty());
  ASSERT_EQ(request.headers.size(), 1u);
  EXPECT_EQ(request.headers[0].name, "Host");
}

TEST(RequestParserTest, ChunkedBody) {
  Request request;
  Parsed p = parse(
      "PUT /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
      request);
  ASSERT_FALSE(p.ec) << p.ec.message();
  EXPECT_TRUE(p.done);
  EXPECT_EQ(request.body, "abcde");
  EXPECT_EQ(request.method, Method::kPut);
}

TEST(RequestParserTest, MethodsAndVersions) {
  Request request;
  for (auto [line, method] :
       {std::pair{"HEAD", Method::kHead}, std::pair{"PATCH", Method::kPatch},
        std::pair{"DELETE", Method::kDelete}, std::pair{"OPTIONS", Method::kOptions},
        std::pair{"PROPFIND", Method::kOther}}) {
    ASSERT_FALSE(parse(std::string(line) + " / HTTP/1.1\r\nHost: h\r\n\r\n", request).ec) << line;
    EXPECT_EQ(request.method, method) << line;
  }
  Parsed old = parse("GET / HTTP/1.0\r\n\r\n", request);  // 1.0 needs no Host
  ASSERT_FALSE(old.ec);
  EXPECT_EQ(old.version, 10);
  EXPECT_FALSE(old.keep_alive);
  Parsed close = parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", request);
  EXPECT_FALSE(close.keep_alive);
}

TEST(RequestParserTest, ExpectContinue) {
  Request request;
  Parsed p = parse(
      "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n", request);
  EXPECT_FALSE(p.ec);
  EXPECT_FALSE(p.done);
  EXPECT_TRUE(p.expects_continue);
}

TEST(RequestParserTest, BadRequestsAreParseErrors) {
  for (std::string raw : {
           "GARBAGE\r\n\r\n",
           "GET / HTTP/2.0\r\nHost: h\r\n\r\n",
           "GET /\r\nHost: h\r\n\r\n",
           "GET / HTTP/1.1\r\n\r\n",                        // no Host
           "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",  // two Hosts
           "GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n",
           "GET http://example.com/ HTTP/1.1\r\nHost: h\r\n\r\n",  // absolute-form
           "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
           "GET relative HTTP/1.1\r\nHost: h\r\n\r\n",
           "GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n",
           "GET /a%00b HTTP/1.1\r\nHost: h\r\n\r\n",
           "GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n",
           "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
           "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: x\r\n\r\n",
       }) {
    Request request;
    Parsed p = parse(raw, request);
    EXPECT_TRUE(p.ec && p.ec != beast_http::error::need_more) << raw;
  }
}

TEST(RequestParserTest, Limits) {
  Request request;
  EXPECT_EQ(
      parse("GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(200, 'a') + "\r\n\r\n", request, 100)
          .ec,
      beast_http::error::header_limit);
  EXPECT_EQ(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", request, 1000, 10).ec,
            beast_http::error::body_limit);
  EXPECT_FALSE(
      parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789", request, 1000, 10)
          .ec);
  EXPECT_EQ(parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n",
                  request, 1000, 10)
                .ec,
            beast_http::error::body_limit);
}

TEST(SplitTargetTest, PathDecodingAndQuery) {
  Request request;
  ASSERT_TRUE(split_target("/a%20b/c+d/%2F", request));
  EXPECT_EQ(request.path, "/a b/c+d//");
  EXPECT_TRUE(request.query.empty());
  ASSERT_TRUE(split_target("/?", request));
  EXPECT_EQ(request.path, "/");
  ASSERT_TRUE(split_target("//double", request));
  EXPECT_EQ(request.path, "//double");
  EXPECT_FALSE(split_target("", request));
  EXPECT_FALSE(split_target("?q=1", request));
}

}  // namespace
}  // namespace masthead::http
