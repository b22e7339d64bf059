// Tests for html_escape: each special character, runs at the edges, bytes that
// must pass through untouched.
#include "render/html_escape.h"

#include <string>

#include <gtest/gtest.h>

namespace masthead::render {
namespace {

TEST(HtmlEscapeTest, EscapesTheFiveCharacters) {
  EXPECT_EQ(html_escape("&"), "&amp;");
  EXPECT_EQ(html_escape("<"), "&lt;");
  EXPECT_EQ(html_escape(">"), "&gt;");
  EXPECT_EQ(html_escape("\""), "&quot;");
  EXPECT_EQ(html_escape("'"), "&#39;");
}

TEST(HtmlEscapeTest, CopiesRunsBetweenSpecials) {
  EXPECT_EQ(html_escape(""), "");
  EXPECT_EQ(html_escape("plain text"), "plain text");
  EXPECT_EQ(html_escape("<<>>"), "&lt;&lt;&gt;&gt;");
  EXPECT_EQ(html_escape("a<b>c"), "a&lt;b&gt;c");
  EXPECT_EQ(html_escape("Tom & Jerry's \"show\""), "Tom &amp; Jerry&#39;s &quot;show&quot;");
}

TEST(HtmlEscapeTest, LeavesUtf8AndControlBytesAlone) {
  EXPECT_EQ(html_escape("東京 — “新聞”"), "東京 — “新聞”");
  const std::string with_nul("a\0<", 3);
  EXPECT_EQ(html_escape(with_nul), std::string("a\0&lt;", 6));
}

TEST(HtmlEscapeTest, AppendsToExistingOutput) {
  std::string out = "<p>";
  append_html_escaped(out, "1 < 2");
  EXPECT_EQ(out, "<p>1 &lt; 2");
}

}  // namespace
}  // namespace masthead::render
