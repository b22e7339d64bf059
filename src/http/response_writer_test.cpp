// The header block: framing, defaults, Date, gzip choice, HEAD, 204/304.
#include "http/response_writer.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace masthead::http {
namespace {

constexpr std::string_view kDate = "Sun, 06 Nov 1994 08:49:37 GMT";

struct Written {
  std::string head;
  std::string body;
  WirePlan plan;
};

class ResponseWriterTest : public ::testing::Test {
 protected:
  Written write(const Response& response, Method method = Method::kGet,
                std::string accept_encoding = "", bool keep_alive = true, int version = 11) {
    request_ = Request{};
    request_.method = method;
    if (!accept_encoding.empty()) request_.headers.push_back({"Accept-Encoding", accept_encoding});
    WriteContext context;
    context.request = &request_;
    context.version = version;
    context.keep_alive = keep_alive;
    context.date = kDate;
    context.gzip_min_bytes = 100;
    context.default_headers = &defaults_;
    Written w;
    w.plan = write_head(response, context, w.head, scratch_);
    w.body = std::string(w.plan.body);
    return w;
  }

  Request request_;
  std::string scratch_;
  std::vector<Header> defaults_ = {{"X-Frame-Options", "DENY"}, {"Referrer-Policy", "no-referrer"}};
};

std::string big_html() {
  return "<p>" + std::string(1000, 'x') + "</p>";
}

TEST_F(ResponseWriterTest, BasicBlock) {
  Written w = write(Response::text(200, "hi"));
  EXPECT_EQ(w.head,
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Content-Length: 2\r\n"
            "X-Frame-Options: DENY\r\n"
            "Referrer-Policy: no-referrer\r\n"
            "\r\n");
  EXPECT_EQ(w.body, "hi");
  EXPECT_TRUE(w.plan.keep_alive);
}

TEST_F(ResponseWriterTest, HandlerHeadersWinOverDefaultsAndFramingIsTheServers) {
  Response r = Response::text(404, "nope");
  r.add_header("x-frame-options", "SAMEORIGIN");
  r.add_header("Content-Length", "999");
  r.add_header("Transfer-Encoding", "chunked");
  r.add_header("Date", "custom");
  r.add_header("Connection", "close");
  Written w = write(r);
  EXPECT_EQ(w.head,
            "HTTP/1.1 404 Not Found\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "x-frame-options: SAMEORIGIN\r\n"
            "Date: custom\r\n"
            "Content-Length: 4\r\n"
            "Referrer-Policy: no-referrer\r\n"
            "Connection: close\r\n"
            "\r\n");
  EXPECT_FALSE(w.plan.keep_alive);
}

TEST_F(ResponseWriterTest, ConnectionHeaders) {
  EXPECT_NE(write(Response::text(200, ""), Method::kGet, "", false).head.find("Connection: close"),
            std::string::npos);
  EXPECT_NE(write(Response::text(200, ""), Method::kGet, "", true, 10)
                .head.find("Connection: keep-alive"),
            std::string::npos);
  EXPECT_EQ(write(Response::text(200, "")).head.find("Connection"), std::string::npos);
}

TEST_F(ResponseWriterTest, UnknownStatusHasAnEmptyReason) {
  Response r = Response::text(299, "");
  EXPECT_TRUE(write(r).head.starts_with("HTTP/1.1 299 \r\n"));
}

TEST_F(ResponseWriterTest, GzipWhenAcceptedCompressibleAndLargeEnough) {
  Response r = Response::html(200, big_html());
  r.add_header("ETag", "\"v1\"");
  Written w = write(r, Method::kGet, "gzip, br");
  EXPECT_TRUE(w.plan.gzipped);
  EXPECT_NE(w.head.find("Content-Encoding: gzip\r\n"), std::string::npos);
  EXPECT_NE(w.head.find("Vary: Accept-Encoding\r\n"), std::string::npos);
  EXPECT_NE(w.head.find("ETag: W/\"v1\"\r\n"), std::string::npos);
  EXPECT_NE(w.head.find("Content-Length: " + std::to_string(w.body.size()) + "\r\n"),
            std::string::npos);
  EXPECT_LT(w.body.size(), big_html().size());
  EXPECT_EQ(static_cast<unsigned char>(w.body[0]), 0x1f);
}

TEST_F(ResponseWriterTest, IdentityButVaryWhenGzipRefused) {
  for (const char* ae : {"", "gzip;q=0", "br", "*;q=0"}) {
    Written w = write(Response::html(200, big_html()), Method::kGet, ae);
    EXPECT_FALSE(w.plan.gzipped) << ae;
    EXPECT_EQ(w.body, big_html());
    EXPECT_NE(w.head.find("Vary: Accept-Encoding"), std::string::npos) << ae;
    EXPECT_EQ(w.head.find("Content-Encoding"), std::string::npos) << ae;
  }
}

TEST_F(ResponseWriterTest, NoGzipNoVaryForSmallOrIncompressibleOrEncoded) {
  Response small = Response::html(200, "<p>tiny</p>");
  Response png;
  png.add_header("Content-Type", "image/png");
  png.body = std::string(1000, 'x');
  Response encoded = Response::html(200, big_html());
  encoded.add_header("Content-Encoding", "br");
  for (const Response& r : {small, png, encoded}) {
    Written w = write(r, Method::kGet, "gzip");
    EXPECT_FALSE(w.plan.gzipped);
    EXPECT_EQ(w.head.find("Vary"), std::string::npos) << w.head;
  }
}

TEST_F(ResponseWriterTest, VaryIsMergedNotDuplicated) {
  Response r = Response::html(200, big_html());
  r.add_header("Vary", "Cookie");
  Written w = write(r, Method::kGet, "gzip");
  EXPECT_NE(w.head.find("Vary: Cookie, Accept-Encoding\r\n"), std::string::npos) << w.head;
  Response already = Response::html(200, big_html());
  already.add_header("Vary", "accept-encoding");
  Written w2 = write(already);
  EXPECT_NE(w2.head.find("Vary: accept-encoding\r\n"), std::string::npos);
  EXPECT_EQ(w2.head.find("Vary: Accept-Encoding"), std::string::npos);
}

TEST_F(ResponseWriterTest, SharedBodiesAreSentAsIs) {
  Response r;
  r.add_header("Content-Type", "text/css");
  r.add_header("ETag", "\"h\"");
  r.shared_body = std::make_shared<const std::string>(std::string(500, 'c'));
  r.shared_gzip_body = std::make_shared<const std::string>("precompressed");
  Written gz = write(r, Method::kGet, "gzip");
  EXPECT_EQ(gz.plan.body.data(), r.shared_gzip_body->data()) << "no copy";
  EXPECT_NE(gz.head.find("Content-Length: 13\r\n"), std::string::npos);
  EXPECT_NE(gz.head.find("ETag: \"h\"\r\n"), std::string::npos) << "handler's own gzip";
  Written plain = write(r, Method::kGet, "");
  EXPECT_EQ(plain.plan.body.data(), r.shared_body->data()) << "no copy";
  EXPECT_NE(plain.head.find("Content-Length: 500\r\n"), std::string::npos);
}

TEST_F(ResponseWriterTest, HeadHasTheGetLengthAndNoBody) {
  Written w = write(Response::html(200, big_html()), Method::kHead, "gzip");
  EXPECT_TRUE(w.body.empty());
  EXPECT_FALSE(w.plan.gzipped) << "HEAD does not compress just to measure";
  EXPECT_NE(w.head.find("Content-Length: " + std::to_string(big_html().size()) + "\r\n"),
            std::string::npos);
  Response r = Response::html(200, big_html());
  r.shared_gzip_body = std::make_shared<const std::string>("gz");
  Written with_gzip = write(r, Method::kHead, "gzip");
  EXPECT_TRUE(with_gzip.body.empty());
  EXPECT_NE(with_gzip.head.find("Content-Length: 2\r\n"), std::string::npos);
  EXPECT_NE(with_gzip.head.find("Content-Encoding: gzip\r\n"), std::string::npos);
}

TEST_F(ResponseWriterTest, NoContentAndNotModifiedHaveNoBodyOrLength) {
  for (int status : {204, 304}) {
    Response r = Response::text(status, "ignored");
    Written w = write(r);
    EXPECT_TRUE(w.body.empty());
    EXPECT_EQ(w.head.find("Content-Length"), std::string::npos) << status;
  }
}

TEST_F(ResponseWriterTest, NotModifiedKeepsTheVaryOfItsOk) {
  Response r = Response::html(304, "");
  EXPECT_NE(write(r).head.find("Vary: Accept-Encoding\r\n"), std::string::npos);
  Response png = Response::text(304, "");
  png.set_header("Content-Type", "image/png");
  EXPECT_EQ(write(png).head.find("Vary"), std::string::npos);
  Response merged = Response::html(304, "");
  merged.add_header("Vary", "Accept-Encoding");
  Written w = write(merged);
  EXPECT_EQ(w.head.find("Vary"), w.head.rfind("Vary")) << "not duplicated";
}

TEST_F(ResponseWriterTest, IncompressibleBodyStaysIdentity) {
  std::string noise;
  unsigned x = 1;
  for (int i = 0; i < 4000; ++i)
    noise.push_back(static_cast<char>((x = x * 1103515245 + 12345) >> 16));
  Response r = Response::text(200, noise);
  Written w = write(r, Method::kGet, "gzip");
  EXPECT_FALSE(w.plan.gzipped);
  EXPECT_EQ(w.body, noise);
}

TEST(ResponseProblemTest, RejectsUnsendableResponses) {
  EXPECT_EQ(response_problem(Response::text(200, "")), nullptr);
  EXPECT_NE(response_problem(Response::text(100, "")), nullptr);
  EXPECT_NE(response_problem(Response::text(600, "")), nullptr);
  Response split = Response::redirect("/x\r\nSet-Cookie: evil=1");
  EXPECT_NE(response_problem(split), nullptr);
  Response bad_name;
  bad_name.add_header("Bad Name", "v");
  EXPECT_NE(response_problem(bad_name), nullptr);
  Response nul;
  nul.add_header("X", std::string("a\0b", 3));
  EXPECT_NE(response_problem(nul), nullptr);
}

}  // namespace
}  // namespace masthead::http
