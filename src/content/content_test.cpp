// Unit tests for the content model: slugs, bylines, Markdown safety and
// lead-in blocks, and front-matter parsing with its error messages.
#include <gtest/gtest.h>

#include "content/article.h"
#include "content/front_matter.h"
#include "content/image_name.h"
#include "content/markdown.h"
#include "content/slug.h"

namespace masthead::content {
namespace {

TEST(Slug, ValidatesAndDerives) {
  EXPECT_TRUE(is_valid_slug("world"));
  EXPECT_TRUE(is_valid_slug("a-1-b"));
  for (const char* bad : {"", "-a", "a-", "a--b", "A", "a b", "a/b", "a_b", "é"})
    EXPECT_FALSE(is_valid_slug(bad)) << bad;
  EXPECT_FALSE(is_valid_slug(std::string(101, 'a')));
  EXPECT_EQ(slugify("Tomás Okafor-Reyes"), "tomas-okafor-reyes");
  EXPECT_EQ(slugify("Artificial Intelligence"), "artificial-intelligence");
  EXPECT_EQ(slugify("  Trade & Tariffs!! "), "trade-tariffs");
  EXPECT_EQ(slugify("!!!"), "item");
  EXPECT_TRUE(is_valid_slug(slugify("東京")));
}

TEST(Slug, SectionsMayNotTakeTheSitesOwnPaths) {
  for (const char* reserved :
       {"login",   "register", "subscribe", "checkout", "webhooks", "reset",       "confirm",
        "logout",  "account",  "api",       "admin",    "feed",     "feeds",       "search",
        "author",  "tag",      "about",     "media",    "static",   "sitemap.xml", "robots.txt",
        "healthz", "metrics",  "offers",    "private",  "sitemaps"})
    EXPECT_TRUE(is_reserved_section_slug(reserved)) << reserved;
  for (const char* free : {"world", "business", "offer", "offers-2", "sport", "tags", "", "Login"})
    EXPECT_FALSE(is_reserved_section_slug(free)) << free;
}

TEST(ImageName, IsMadeFromTheBytes) {
  const std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
  const std::string name = content_addressed_image_name("harbour-cranes", "svg", svg);
  EXPECT_EQ(name, "harbour-cranes." + image_digest(svg) + ".svg");
  EXPECT_EQ(image_digest(svg).size(), 16u);
  EXPECT_EQ(image_digest(""), "0e5751c026e543b2") << "BLAKE2b-256 of nothing";
  EXPECT_NE(image_digest(svg), image_digest(svg + " "));
  EXPECT_EQ(content_addressed_image_name("x", "", svg), "x." + image_digest(svg));
}

TEST(ImageName, IsContentAddressedOnlyWhenTheDigestMatches) {
  const std::string bytes = "GIF89a....";
  const std::string digest = image_digest(bytes);
  EXPECT_TRUE(is_content_addressed_image("a." + digest + ".gif", bytes));
  EXPECT_TRUE(is_content_addressed_image("a." + digest, bytes));
  EXPECT_FALSE(is_content_addressed_image("a." + digest + ".gif", bytes + "x")) << "other bytes";
  for (const std::string& name : {std::string("a.gif"), std::string("a"), "." + digest + ".gif",
                                  "a-" + digest + ".gif", "a." + digest.substr(1) + ".gif",
                                  "a." + digest + "0.gif", "a.gif." + digest, "a." + digest + "."})
    EXPECT_FALSE(is_content_addressed_image(name, bytes)) << name;
}

TEST(Byline, SplitsNamesIntoAuthors) {
  auto one = authors_from_byline("Mara Lindqvist");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].slug, "mara-lindqvist");
  auto three = authors_from_byline("A Person, B Person and C Person");
  ASSERT_EQ(three.size(), 3u);
  EXPECT_EQ(three[2].name, "C Person");
  auto two = authors_from_byline("Priya Raman and Yusuf Adeyemi");
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[1].slug, "yusuf-adeyemi");
  EXPECT_TRUE(authors_from_byline("").empty());
}

TEST(Markdown, RendersBlocksSafely) {
  auto body = render_markdown(
      "First *para*.\n\n## Heading\n\n<script>alert(1)</script>\n\n"
      "[bad](javascript:alert(1)) and [good](https://example.org/x)\n\n- a\n- b\n");
  ASSERT_EQ(body.blocks.size(), 4u);
  EXPECT_EQ(body.blocks[0].html, "<p>First <em>para</em>.</p>\n");
  EXPECT_TRUE(body.blocks[0].paragraph);
  EXPECT_FALSE(body.blocks[1].paragraph);
  std::string html = body.html();
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
  EXPECT_EQ(html.find("raw HTML omitted"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://example.org/x\">good</a>"), std::string::npos);
  EXPECT_NE(body.plain_text.find("First para."), std::string::npos);
}

TEST(Markdown, SponsoredLinksAreMarked) {
  auto body = render_markdown("See [us](https://example.org).\n", {.sponsored = true});
  EXPECT_NE(body.html().find("<a rel=\"sponsored noopener\" href=\"https://example.org\">"),
            std::string::npos);
}

TEST(Markdown, LeadInCountsParagraphsOnly) {
  auto body = render_markdown("## Intro\n\nOne.\n\n> quote\n\nTwo.\n\nThree.\n");
  EXPECT_EQ(body.lead_in_block_count(1), 2u);  // heading + first paragraph
  EXPECT_EQ(body.lead_in_block_count(2), 4u);
  EXPECT_EQ(body.lead_in_block_count(9), body.blocks.size());
  EXPECT_EQ(body.lead_in_block_count(0), 0u);
  EXPECT_EQ(body.lead_in_block_count(-1), 0u);
  EXPECT_EQ(body.lead_in_html(1), "<h2>Intro</h2>\n<p>One.</p>\n");
}

constexpr const char* kGood = R"(---
slug: harbour-cranes
section: business
kicker: Port Strike
headline: "Harbour cranes: idle"
deck: The deck.
dateline: ROTTERDAM
byline: Daniel Mercer and Priya Raman
tags: [Trade, Shipping, trade]
image: images/harbour.svg
image_alt: Cranes
image_caption: Caption.
image_credit: Illustration
status: published
published_at: 2026-11-18T16:30:00+09:00
free: true
sponsored_by: Halvorsen Heat Systems
language: EN-gb
---
The body.
)";

TEST(FrontMatter, ParsesEveryKey) {
  auto parsed = parse_article_file(kGood, "a.md");
  ASSERT_TRUE(parsed) << parsed.error().message;
  const Article& a = parsed->article;
  EXPECT_EQ(a.slug, "harbour-cranes");
  EXPECT_EQ(a.section, "business");
  EXPECT_EQ(a.headline, "Harbour cranes: idle");
  EXPECT_EQ(a.authors.size(), 2u);
  ASSERT_EQ(a.tags.size(), 2u) << "duplicate tags fold";
  EXPECT_EQ(a.tags[1].slug, "shipping");
  EXPECT_EQ(parsed->image_path, "images/harbour.svg");
  EXPECT_EQ(a.image.alt, "Cranes");
  EXPECT_EQ(a.status, Status::kPublished);
  EXPECT_TRUE(a.free);
  EXPECT_EQ(a.sponsored_by, "Halvorsen Heat Systems");
  EXPECT_EQ(a.language, "en-GB") << "the tag in its canonical form";
  EXPECT_EQ(a.body_markdown, "The body.\n");
}

std::string with_line(std::string_view key_line, std::string_view replacement) {
  std::string text = kGood;
  auto at = text.find(key_line);
  return text.replace(at, key_line.size(), replacement);
}

TEST(FrontMatter, LanguageIsOptionalAndMustBeATag) {
  auto without = parse_article_file(with_line("language: EN-gb\n", ""), "a.md");
  ASSERT_TRUE(without) << without.error().message;
  EXPECT_EQ(without->article.language, "") << "the site's content language";
  auto ja = parse_article_file(with_line("language: EN-gb", "language: ja"), "a.md");
  ASSERT_TRUE(ja) << ja.error().message;
  EXPECT_EQ(ja->article.language, "ja");
  for (const char* bad : {"language: english please", "language: 12", "language: x-private"}) {
    auto parsed = parse_article_file(with_line("language: EN-gb", bad), "a.md");
    ASSERT_FALSE(parsed) << bad;
    EXPECT_NE(parsed.error().message.find("a.md:18: key 'language'"), std::string::npos)
        << parsed.error().message;
  }
}

TEST(FrontMatter, ErrorsNameTheLineAndKey) {
  struct Case {
    std::string text;
    std::string expected;
  } cases[] = {
      {with_line("free: true", "free: maybe"), "a.md:16: key 'free': expected true or false"},
      {with_line("free: true", "colour: red"), "a.md:16: unknown key 'colour'"},
      {with_line("slug: harbour-cranes", "slug: Harbour Cranes"), "a.md:2: key 'slug'"},
      {with_line("published_at: 2026-11-18T16:30:00+09:00", "published_at: yesterday"),
       "a.md:15: key 'published_at': 'yesterday' is not an ISO 8601 time"},
      {with_line("status: published", "status: live"), "a.md:14: key 'status': 'live'"},
      {with_line("headline: \"Harbour cranes: idle\"", "headline: \"\""),
       "key 'headline' is required"},
      {with_line("image_alt: Cranes", "image_alt: "), "key 'image_alt': required with 'image'"},
      {with_line("deck: The deck.", "deck: [a, b]"), "a.md:6: key 'deck': expected a single value"},
      {with_line("kicker: Port Strike", "kicker: Port Strike\nkicker: Again"),
       "key 'kicker' appears twice"},
      {with_line("tags: [Trade, Shipping, trade]", "tags: {a: 1}"), "key 'tags'"},
      {with_line("deck: The deck.", "deck: [unclosed"), "invalid YAML"},
      {"no front matter", "a.md:1: the file must start with a '---' line"},
      {"---\nslug: a\n", "the front matter is not closed"},
      {with_line("The body.\n", ""), "the article has no body"},
      {with_line("status: published", "status: scheduled\n# no time") + "", ""},
  };
  for (const auto& c : cases) {
    auto parsed = parse_article_file(c.text, "a.md");
    if (c.expected.empty()) continue;
    ASSERT_FALSE(parsed) << c.expected;
    EXPECT_NE(parsed.error().message.find(c.expected), std::string::npos)
        << "got: " << parsed.error().message << "\nwanted: " << c.expected;
  }
  std::string scheduled = with_line("published_at: 2026-11-18T16:30:00+09:00\n", "");
  scheduled = with_line("status: published", "status: scheduled");
  scheduled.replace(scheduled.find("published_at:"),
                    std::string("published_at: 2026-11-18T16:30:00+09:00").size(), "");
  auto parsed = parse_article_file(scheduled, "a.md");
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("'published_at' is required"), std::string::npos);
}

TEST(FrontMatter, HostileInputNeverCrashes) {
  const char* inputs[] = {"",
                          "---",
                          "---\n---\n",
                          "---\n- a\n- b\n---\nx",
                          "---\n: :\n---\nx",
                          "---\n\"\\xff\": 1\n---\nx",
                          "---\r\nslug: a\r\n---\r\nx",
                          "---\n&a [*a]\n---\nx",
                          "---\nslug: !!binary AAAA\n---\nx"};
  for (const char* in : inputs) {
    auto parsed = parse_article_file(in, "x.md");
    EXPECT_FALSE(parsed) << in;
  }
}

}  // namespace
}  // namespace masthead::content
