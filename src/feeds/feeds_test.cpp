// Feeds: the XML writer (escaping, control characters), the dates, and the
// item building (what a metered, free and sponsored article carries), and
// that each format's document parses.
#include <gtest/gtest.h>
#include <libxml/parser.h>

#include <boost/json/parse.hpp>

#include "base/iso_time.h"
#include "feeds/feed_dates.h"
#include "feeds/feed_formats.h"
#include "feeds/feed_item.h"
#include "feeds/xml_writer.h"

namespace masthead::feeds {
namespace {

bool well_formed(const std::string& xml) {
  xmlDocPtr doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "feed.xml", "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) return false;
  xmlFreeDoc(doc);
  return true;
}

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

TEST(XmlTextTest, DropsWhatXmlCannotCarry) {
  EXPECT_EQ(xml_text(std::string("a\x01"
                                 "b\x0b"
                                 "c\x1f"
                                 "d",
                                 7)),
            "abcd");
  EXPECT_EQ(xml_text(std::string("a\0b", 3)), "ab");
  EXPECT_EQ(xml_text("tab\tline\nreturn\r"), "tab\tline\nreturn\r");
  EXPECT_EQ(xml_text("caf\xc3\xa9 \xe5\x9b\xbd\xe9\x9a\x9b"),
            "caf\xc3\xa9 \xe5\x9b\xbd\xe9\x9a\x9b");
  EXPECT_EQ(xml_text("bad\xff\xc3"
                     "end"),
            "badend");
  EXPECT_EQ(xml_text("\xef\xbf\xbe"
                     "x"),
            "x");  // U+FFFE
  EXPECT_EQ(xml_text("\xed\xa0\x80"
                     "y"),
            "y");  // a surrogate
  EXPECT_EQ(xml_text("\xc0\xaf"
                     "z"),
            "z");  // overlong "/"
}

TEST(XmlWriterTest, EscapesTextAndAttributes) {
  XmlWriter w;
  w.start_element("root");
  w.attribute("href", "/a?b=1&c=\"2\"<");
  w.element("title", "Fish & <chips> \x07 ok");
  w.end_element();
  const std::string xml = w.finish();
  EXPECT_NE(xml.find("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("href=\"/a?b=1&amp;c=&quot;2&quot;&lt;\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<title>Fish &amp; &lt;chips&gt;  ok</title>"), std::string::npos) << xml;
  EXPECT_TRUE(well_formed(xml));
}

TEST(XmlWriterTest, FinishClosesOpenElements) {
  XmlWriter w;
  w.start_element("a");
  w.start_element("b");
  const std::string xml = w.finish();
  EXPECT_TRUE(well_formed(xml)) << xml;
}

TEST(FeedDatesTest, Rfc822AndRfc3339InUtc) {
  EXPECT_EQ(rfc822_date(at("2026-12-03T14:09:50Z")), "Thu, 03 Dec 2026 14:09:50 +0000");
  EXPECT_EQ(rfc822_date(at("2027-01-01T00:00:00+09:00")), "Thu, 31 Dec 2026 15:00:00 +0000");
  EXPECT_EQ(rfc822_date(at("2024-02-29T23:59:59Z")), "Thu, 29 Feb 2024 23:59:59 +0000");
  EXPECT_EQ(rfc3339_date(at("2026-12-03T14:09:50Z")), "2026-12-03T14:09:50Z");
}

content::Article article(bool free, std::string sponsor = "") {
  content::Article a;
  a.id = 42;
  a.slug = "harbour";
  a.section = "world";
  a.headline = "Harbour \x02reopens";
  a.deck = "The deck & more";
  a.authors = {{"mara", "Mara Lindqvist"}};
  a.status = content::Status::kPublished;
  a.published_at = at("2026-11-18T07:30:00Z");
  a.updated_at = at("2026-11-19T08:00:00Z");
  a.free = free;
  a.sponsored_by = std::move(sponsor);
  a.body_markdown = "First lead-in.\n\nSecond part.\n\nThird CANARY part.\n";
  return a;
}

paywall::Decision decision(paywall::Outcome outcome, bool full_text) {
  paywall::Decision d;
  d.outcome = outcome;
  d.full_text = full_text;
  d.lead_in_paragraphs = 1;
  return d;
}

ItemOptions options(bool full_text_free = true) {
  return ItemOptions{.base_url = "https://news.example",
                     .section_name = "World",
                     .sponsored_prefix = "Sponsored: ",
                     .sponsored_category = "Sponsored Content",
                     .lead_in_paragraphs = 1,
                     .full_text_free = full_text_free};
}

TEST(FeedItemTest, MeteredCarriesTheLeadInEvenWhenTheReaderCouldReadOn) {
  for (auto outcome : {paywall::Outcome::kMetered, paywall::Outcome::kPaywall,
                       paywall::Outcome::kRegistrationWall}) {
    bool full = outcome == paywall::Outcome::kMetered;
    FeedItem item = make_item(article(false), decision(outcome, full), options());
    EXPECT_NE(item.content_html.find("First lead-in."), std::string::npos);
    EXPECT_EQ(item.content_html.find("Second"), std::string::npos) << item.content_html;
    EXPECT_EQ(item.content_html.find("CANARY"), std::string::npos) << item.content_html;
    EXPECT_EQ(item.summary, "The deck & more");
  }
}

TEST(FeedItemTest, FreeCarriesTheWholeBodyUnlessSwitchedOff) {
  FeedItem item =
      make_item(article(true), decision(paywall::Outcome::kFreeArticle, true), options());
  EXPECT_NE(item.content_html.find("Third CANARY part."), std::string::npos);
  FeedItem off =
      make_item(article(true), decision(paywall::Outcome::kFreeArticle, true), options(false));
  EXPECT_EQ(off.content_html.find("CANARY"), std::string::npos);
  EXPECT_NE(off.content_html.find("First lead-in."), std::string::npos);
}

TEST(FeedItemTest, TheFieldsOfAnItem) {
  FeedItem item =
      make_item(article(true), decision(paywall::Outcome::kFreeArticle, true), options());
  EXPECT_EQ(item.title, "Harbour reopens");  // the control character is gone
  EXPECT_EQ(item.link, "https://news.example/world/harbour");
  EXPECT_EQ(item.id, "tag:news.example,2026-11-18:article/42");
  EXPECT_EQ(item.authors, std::vector<std::string>{"Mara Lindqvist"});
  EXPECT_EQ(item.categories, std::vector<std::string>{"World"});
  EXPECT_EQ(item.published, at("2026-11-18T07:30:00Z"));
  EXPECT_EQ(item.updated, at("2026-11-19T08:00:00Z"));
  EXPECT_FALSE(item.sponsored);
}

TEST(FeedItemTest, SponsoredIsLabelled) {
  FeedItem item =
      make_item(article(false, "Acme"), decision(paywall::Outcome::kSponsored, true), options());
  EXPECT_EQ(item.title, "Sponsored: Harbour reopens");
  EXPECT_EQ(item.categories, (std::vector<std::string>{"World", "Sponsored Content"}));
  EXPECT_TRUE(item.sponsored);
  EXPECT_NE(item.content_html.find("CANARY"), std::string::npos);
}

Feed sample_feed() {
  Feed feed;
  feed.title = "Masthead & Co \x1b";
  feed.home_url = "https://news.example/";
  feed.self_url = "https://news.example/feed.xml";
  feed.id = feed.self_url;
  feed.description = "News <and> views";
  feed.language = "en-US";
  feed.updated = at("2026-11-19T08:00:00Z");
  feed.items.push_back(
      make_item(article(false), decision(paywall::Outcome::kMetered, true), options()));
  feed.items.push_back(
      make_item(article(true), decision(paywall::Outcome::kFreeArticle, true), options()));
  return feed;
}

TEST(FeedFormatsTest, RssAndAtomAreWellFormed) {
  const std::string rss = write_rss(sample_feed());
  const std::string atom = write_atom(sample_feed());
  EXPECT_TRUE(well_formed(rss)) << rss;
  EXPECT_TRUE(well_formed(atom)) << atom;
  EXPECT_NE(rss.find("<pubDate>Wed, 18 Nov 2026 07:30:00 +0000</pubDate>"), std::string::npos);
  EXPECT_NE(atom.find("<updated>2026-11-19T08:00:00Z</updated>"), std::string::npos);
  EXPECT_NE(rss.find("&lt;p&gt;First lead-in.&lt;/p&gt;"), std::string::npos) << rss;
}

TEST(FeedFormatsTest, JsonFeedHasItsRequiredFields) {
  const boost::json::value doc = boost::json::parse(write_json_feed(sample_feed()));
  EXPECT_EQ(doc.at("version").as_string(), "https://jsonfeed.org/version/1.1");
  EXPECT_EQ(std::string_view(doc.at("title").as_string()).substr(0, 13), "Masthead & Co");
  const auto& items = doc.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  for (const auto& item : items) {
    EXPECT_TRUE(item.as_object().contains("id"));
    EXPECT_TRUE(item.as_object().contains("content_html"));
  }
  EXPECT_EQ(items[0].at("date_published").as_string(), "2026-11-18T07:30:00Z");
}

TEST(FeedFormatsTest, ContentTypes) {
  EXPECT_EQ(content_type(Format::kRss), "application/rss+xml; charset=utf-8");
  EXPECT_EQ(content_type(Format::kAtom), "application/atom+xml; charset=utf-8");
  EXPECT_EQ(content_type(Format::kJson), "application/feed+json; charset=utf-8");
}

}  // namespace
}  // namespace masthead::feeds
