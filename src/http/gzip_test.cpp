// Accept-Encoding negotiation (q-values, "*", aliases) and gzip round trips.
#include "http/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>

namespace masthead::http {
namespace {

std::string gunzip(std::string_view data) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 31), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    char chunk[16384];
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - stream.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  inflateEnd(&stream);
  return out;
}

struct Case {
  const char* accept_encoding;
  bool gzip;
};

class AcceptsGzipTest : public ::testing::TestWithParam<Case> {};

TEST_P(AcceptsGzipTest, Negotiates) {
  EXPECT_EQ(accepts_gzip(GetParam().accept_encoding), GetParam().gzip)
      << "Accept-Encoding: " << GetParam().accept_encoding;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AcceptsGzipTest,
    ::testing::Values(Case{"gzip", true}, Case{"GZip", true}, Case{"x-gzip", true},
                      Case{"gzip, deflate, br", true}, Case{"br;q=1.0, gzip;q=0.8", true},
                      Case{"gzip;q=0.001", true}, Case{"gzip ; q=1", true}, Case{"gzip;q=0", false},
                      Case{"gzip; q=0.000", false}, Case{"gzip;Q=0", false}, Case{"*", true},
                      Case{"*;q=0", false}, Case{"gzip;q=0, *", false}, Case{"*;q=0, gzip", true},
                      Case{"deflate, br", false}, Case{"identity", false}, Case{"", false},
                      Case{"gzip;q=bogus", false}, Case{"gzip;q=1.5", false},
                      Case{"gzip;q=0.5000", false}, Case{"gzip;level=1", true},
                      Case{",,gzip,,", true}, Case{"gzipx", false}));

TEST(GzipTest, SeveralHeadersFormOneList) {
  Request request;
  request.headers = {{"Accept-Encoding", "br"}, {"accept-encoding", "gzip"}};
  EXPECT_TRUE(accepts_gzip(request));
  request.headers.push_back({"Accept-Encoding", "gzip;q=0"});
  EXPECT_TRUE(accepts_gzip(request)) << "the highest q for gzip wins";
  EXPECT_FALSE(accepts_gzip(Request{}));
}

TEST(GzipTest, RoundTrips) {
  std::mt19937 rng(7);
  for (std::size_t size : {0u, 1u, 100u, 65536u, 300000u}) {
    std::string data;
    for (std::size_t i = 0; i < size; ++i) data.push_back(static_cast<char>('a' + rng() % 4));
    for (int level : {kGzipDynamicLevel, kGzipStaticLevel, kGzipDynamicLevel}) {
      std::string compressed = gzip(data, level);
      ASSERT_GE(compressed.size(), 18u);
      EXPECT_EQ(static_cast<unsigned char>(compressed[0]), 0x1f);
      EXPECT_EQ(static_cast<unsigned char>(compressed[1]), 0x8b);
      EXPECT_TRUE(gunzip(compressed) == data) << "size " << size << " level " << level;
    }
  }
}

TEST(GzipTest, JoinedPiecesAreOneGzipOfTheConcatenation) {
  std::mt19937 rng(11);
  auto text = [&](std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + rng() % 6));
    return s;
  };
  std::string head = text(20000), meter = text(90), body = text(70000), tail = "";
  std::string big_stored = text(140000);  // more than one stored block
  auto a = deflate_piece(head);
  auto b = stored_piece(meter);
  auto c = deflate_piece(body, 1);
  auto d = deflate_piece(tail);
  auto e = stored_piece(big_stored);
  auto empty = stored_piece("");
  std::string joined = gzip_join({&a, &b, &c, &empty, &d, &e});
  EXPECT_TRUE(gunzip(joined) == head + meter + body + tail + big_stored);
  EXPECT_LT(joined.size(), (head.size() + body.size()) / 2 + meter.size() + big_stored.size() + 200)
      << "the fixed parts stay compressed";
  EXPECT_TRUE(gunzip(gzip_join({})).empty());
  EXPECT_TRUE(gunzip(gzip_join({&b})) == meter);
}

TEST(GzipTest, IntoReusesTheOutputString) {
  std::string out = "previous contents";
  gzip_into(std::string(5000, 'x'), out);
  EXPECT_TRUE(gunzip(out) == std::string(5000, 'x'));
}

}  // namespace
}  // namespace masthead::http
