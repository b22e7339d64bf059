// IMF-fixdate formatting against known instants.
#include "http/http_date.h"

#include <gtest/gtest.h>

namespace masthead::http {
namespace {

std::string at(std::int64_t seconds) {
  return format_http_date(std::chrono::system_clock::time_point(std::chrono::seconds(seconds)));
}

TEST(HttpDateTest, KnownInstants) {
  EXPECT_EQ(at(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(at(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110's example
  EXPECT_EQ(at(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");
  EXPECT_EQ(at(1709164799), "Wed, 28 Feb 2024 23:59:59 GMT");
  EXPECT_EQ(at(1709251199), "Thu, 29 Feb 2024 23:59:59 GMT");
  EXPECT_EQ(at(4102444800), "Fri, 01 Jan 2100 00:00:00 GMT");
  EXPECT_EQ(at(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
}

TEST(HttpDateTest, SubSecondsAreTruncated) {
  auto t = std::chrono::system_clock::time_point(std::chrono::milliseconds(784111777999));
  EXPECT_EQ(format_http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(HttpDateTest, NowIsWellFormed) {
  std::string_view now = http_date_now();
  ASSERT_EQ(now.size(), kHttpDateLength);
  EXPECT_EQ(now.substr(25), " GMT");
  EXPECT_EQ(now[3], ',');
}

}  // namespace
}  // namespace masthead::http
