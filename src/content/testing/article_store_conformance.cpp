// See article_store_conformance.h. Each TEST_P states one promise of the
// ArticleStore contract.
#include "content/testing/article_store_conformance.h"

#include "base/iso_time.h"

namespace masthead::content::testing {
namespace {

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

const base::TimePoint kNow = at("2026-11-20T12:00:00Z");

Article make(std::string slug, std::string section, const char* published,
             Status status = Status::kPublished) {
  Article a;
  a.slug = std::move(slug);
  a.section = std::move(section);
  a.headline = "Headline of " + a.slug;
  a.deck = "Deck of " + a.slug;
  a.byline = "Mara Lindqvist";
  a.authors = authors_from_byline(a.byline);
  a.status = status;
  if (published) a.published_at = at(published);
  a.updated_at = at("2026-11-01T00:00:00Z");
  a.body_markdown = "First paragraph about " + a.slug + ".\n\nSecond paragraph.\n";
  return a;
}

void seed_sections(ArticleStore& s) {
  s.put_section({"world", "World", 1});
  s.put_section({"business", "Business", 2});
}

std::vector<std::string> slugs(const std::vector<Article>& articles) {
  std::vector<std::string> out;
  for (const auto& a : articles) out.push_back(a.slug);
  return out;
}

TEST_P(ArticleStoreConformance, SectionsComeInMenuOrderAndUpsertBySlug) {
  store_->put_section({"business", "Business", 2});
  store_->put_section({"world", "World", 1});
  store_->put_section({"business", "Business & Markets", 0});
  auto sections = store_->sections();
  ASSERT_EQ(sections.size(), 2u);
  EXPECT_EQ(sections[0].slug, "business");
  EXPECT_EQ(sections[0].name, "Business & Markets");
  EXPECT_EQ(sections[1].slug, "world");
}

TEST_P(ArticleStoreConformance, ArticleRoundTripsEveryField) {
  seed_sections(*store_);
  store_->put_image({"hero.svg", "image/svg+xml", "<svg/>", 1200, 675});
  Article a = make("a-story", "world", "2026-11-18T07:30:00Z");
  a.kicker = "Trade War";
  a.dateline = "BEIJING/WASHINGTON";
  a.byline = "Mara Lindqvist and Kenji Aoyama";
  a.authors = authors_from_byline(a.byline);
  a.tags = {{"trade", "Trade"}, {"artificial-intelligence", "Artificial Intelligence"}};
  a.image = {"hero.svg", "alt text", "caption", "credit", 0, 0};
  a.free = true;
  a.sponsored_by = "";
  a.language = "ja-JP";
  std::int64_t id = store_->put_article(a);
  EXPECT_GT(id, 0);
  auto got = store_->article_by_slug("a-story");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, id);
  EXPECT_EQ(got->section, "world");
  EXPECT_EQ(got->kicker, "Trade War");
  EXPECT_EQ(got->headline, a.headline);
  EXPECT_EQ(got->deck, a.deck);
  EXPECT_EQ(got->dateline, "BEIJING/WASHINGTON");
  EXPECT_EQ(got->byline, a.byline);
  EXPECT_EQ(got->language, "ja-JP");
  ASSERT_EQ(got->authors.size(), 2u);
  EXPECT_EQ(got->authors[0].slug, "mara-lindqvist");
  EXPECT_EQ(got->authors[1].name, "Kenji Aoyama");
  ASSERT_EQ(got->tags.size(), 2u);
  EXPECT_EQ(got->tags[1].name, "Artificial Intelligence");
  EXPECT_EQ(got->image.name, "hero.svg");
  EXPECT_EQ(got->image.alt, "alt text");
  EXPECT_EQ(got->image.width, 1200);
  EXPECT_EQ(got->image.height, 675);
  EXPECT_EQ(got->status, Status::kPublished);
  EXPECT_EQ(got->published_at, a.published_at);
  EXPECT_EQ(got->updated_at, a.updated_at);
  EXPECT_TRUE(got->free);
  EXPECT_EQ(got->body_markdown, a.body_markdown);
  EXPECT_FALSE(store_->article_by_slug("no-such-story"));
}

TEST_P(ArticleStoreConformance, PutArticleUpdatesBySlugAndReplacesTags) {
  seed_sections(*store_);
  Article a = make("story", "world", "2026-11-18T07:30:00Z");
  a.tags = {{"trade", "Trade"}, {"energy", "Energy"}};
  std::int64_t first = store_->put_article(a);
  a.headline = "New headline";
  a.section = "business";
  a.tags = {{"markets", "Markets"}};
  EXPECT_EQ(store_->put_article(a), first);
  auto got = store_->article_by_slug("story");
  EXPECT_EQ(got->headline, "New headline");
  EXPECT_EQ(got->section, "business");
  ASSERT_EQ(got->tags.size(), 1u);
  EXPECT_EQ(got->tags[0].slug, "markets");
  EXPECT_EQ(store_->list_articles({.tag = "trade"}, kNow, 0, 10).total, 0);
}

TEST_P(ArticleStoreConformance, RejectsUnknownSectionOrImageAndChangesNothing) {
  seed_sections(*store_);
  auto version = store_->content_version();
  EXPECT_THROW(store_->put_article(make("x", "sport", "2026-11-18T07:30:00Z")), StoreError);
  Article b = make("y", "world", "2026-11-18T07:30:00Z");
  b.image.name = "missing.png";
  EXPECT_THROW(store_->put_article(b), StoreError);
  EXPECT_FALSE(store_->article_by_slug("x"));
  EXPECT_FALSE(store_->article_by_slug("y"));
  EXPECT_EQ(store_->content_version(), version);
}

TEST_P(ArticleStoreConformance, ReadersSeeOnlyVisibleArticlesNewestFirst) {
  seed_sections(*store_);
  store_->put_article(make("old", "world", "2026-11-01T00:00:00Z"));
  store_->put_article(make("new", "world", "2026-11-19T00:00:00Z"));
  store_->put_article(make("draft", "world", nullptr, Status::kDraft));
  store_->put_article(make("pulled", "world", "2026-11-10T00:00:00Z", Status::kUnpublished));
  store_->put_article(make("due", "world", "2026-11-20T11:59:59Z", Status::kScheduled));
  store_->put_article(make("later", "world", "2026-11-20T12:00:01Z", Status::kScheduled));
  auto list = store_->list_articles({}, kNow, 0, 10);
  EXPECT_EQ(list.total, 3);
  EXPECT_EQ(slugs(list.articles), (std::vector<std::string>{"due", "new", "old"}));
  EXPECT_EQ(list.articles[0].body_markdown, "") << "lists do not load bodies";
  EXPECT_EQ(store_->list_articles({.visible_only = false}, kNow, 0, 10).total, 6);
  EXPECT_EQ(store_->next_scheduled_after(kNow), at("2026-11-20T12:00:01Z"));
  EXPECT_FALSE(store_->next_scheduled_after(at("2026-11-21T00:00:00Z")));
  // Once its time passes, the scheduled article is visible without any write.
  EXPECT_EQ(store_->list_articles({}, at("2026-11-20T12:00:01Z"), 0, 10).total, 4);
}

TEST_P(ArticleStoreConformance, FiltersBySectionAuthorTagAndSponsorship) {
  seed_sections(*store_);
  Article a = make("a", "world", "2026-11-10T00:00:00Z");
  a.tags = {{"trade", "Trade"}};
  Article b = make("b", "business", "2026-11-11T00:00:00Z");
  b.byline = "Daniel Mercer";
  b.authors = authors_from_byline(b.byline);
  b.sponsored_by = "Halvorsen Heat Systems";
  b.tags = {{"trade", "Trade"}, {"energy", "Energy"}};
  store_->put_article(a);
  store_->put_article(b);
  EXPECT_EQ(slugs(store_->list_articles({.section = "world"}, kNow, 0, 10).articles),
            (std::vector<std::string>{"a"}));
  EXPECT_EQ(slugs(store_->list_articles({.author = "daniel-mercer"}, kNow, 0, 10).articles),
            (std::vector<std::string>{"b"}));
  EXPECT_EQ(store_->list_articles({.tag = "trade"}, kNow, 0, 10).total, 2);
  EXPECT_EQ(slugs(store_->list_articles({.sponsored = true}, kNow, 0, 10).articles),
            (std::vector<std::string>{"b"}));
  EXPECT_EQ(slugs(store_->list_articles({.sponsored = false}, kNow, 0, 10).articles),
            (std::vector<std::string>{"a"}));
  EXPECT_EQ(store_->author_by_slug("daniel-mercer")->name, "Daniel Mercer");
  EXPECT_EQ(store_->tag_by_slug("energy")->name, "Energy");
  EXPECT_FALSE(store_->tag_by_slug("sport"));
}

TEST_P(ArticleStoreConformance, PagesThroughListsWithTotals) {
  seed_sections(*store_);
  for (int i = 0; i < 7; ++i) {
    std::string day = "2026-11-1" + std::to_string(i) + "T00:00:00Z";
    store_->put_article(make("s" + std::to_string(i), "world", day.c_str()));
  }
  auto page1 = store_->list_articles({}, kNow, 0, 3);
  auto page3 = store_->list_articles({}, kNow, 6, 3);
  EXPECT_EQ(page1.total, 7);
  EXPECT_EQ(slugs(page1.articles), (std::vector<std::string>{"s6", "s5", "s4"}));
  EXPECT_EQ(slugs(page3.articles), (std::vector<std::string>{"s0"}));
  EXPECT_TRUE(store_->list_articles({}, kNow, 70, 3).articles.empty());
  EXPECT_TRUE(store_->list_articles({}, kNow, -5, -1).articles.empty());
}

TEST_P(ArticleStoreConformance, RelatedPrefersSharedTagsAndSkipsSelfAndSponsored) {
  seed_sections(*store_);
  Article subject = make("subject", "world", "2026-11-10T00:00:00Z");
  subject.tags = {{"trade", "Trade"}, {"energy", "Energy"}};
  Article two_tags = make("two-tags", "business", "2026-11-01T00:00:00Z");
  two_tags.tags = subject.tags;
  Article one_tag = make("one-tag", "business", "2026-11-12T00:00:00Z");
  one_tag.tags = {{"trade", "Trade"}};
  Article same_section = make("same-section", "world", "2026-11-13T00:00:00Z");
  Article unrelated = make("unrelated", "business", "2026-11-14T00:00:00Z");
  Article sponsored = make("sponsored", "world", "2026-11-15T00:00:00Z");
  sponsored.tags = subject.tags;
  sponsored.sponsored_by = "Lumenfield Networks";
  for (auto* a : {&subject, &two_tags, &one_tag, &same_section, &unrelated, &sponsored})
    a->id = store_->put_article(*a);
  auto related = store_->related_articles(subject, kNow, 5);
  EXPECT_EQ(slugs(related), (std::vector<std::string>{"two-tags", "one-tag", "same-section"}));
  EXPECT_EQ(store_->related_articles(subject, kNow, 1).size(), 1u);
}

TEST_P(ArticleStoreConformance, SearchFindsVisibleArticlesAndIgnoresQuerySyntax) {
  seed_sections(*store_);
  Article a = make("rail", "world", "2026-11-10T00:00:00Z");
  a.body_markdown = "The new *high-speed* railway opens between two cities.\n";
  Article b = make("draft-rail", "world", nullptr, Status::kDraft);
  b.body_markdown = "A railway draft.\n";
  store_->put_article(a);
  store_->put_article(b);
  auto hits = store_->search_articles("railway", kNow, 0, 10);
  EXPECT_EQ(hits.total, 1);
  EXPECT_EQ(slugs(hits.articles), (std::vector<std::string>{"rail"}));
  EXPECT_EQ(store_->search_articles("RAILWAY cities", kNow, 0, 10).total, 1);
  EXPECT_EQ(store_->search_articles("railway trams", kNow, 0, 10).total, 0);
  for (const char* hostile :
       {"\"", "rail*", "NEAR(", "a OR b", "-railway", "body:x", "", "   ", "\x01"})
    EXPECT_NO_THROW(store_->search_articles(hostile, kNow, 0, 10)) << hostile;
  // Re-saving replaces the indexed text.
  a.body_markdown = "Now about trams only.\n";
  store_->put_article(a);
  EXPECT_EQ(store_->search_articles("railway", kNow, 0, 10).total, 0);
  EXPECT_EQ(store_->search_articles("trams", kNow, 0, 10).total, 1);
}

TEST_P(ArticleStoreConformance, ImagesRoundTripBinaryBytes) {
  std::string bytes("\x89PNG\r\n\x1a\n\0\0\x01", 11);
  store_->put_image({"a.png", "image/png", bytes, 10, 20});
  auto got = store_->image_by_name("a.png");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->bytes, bytes);
  EXPECT_EQ(got->content_type, "image/png");
  EXPECT_EQ(got->width, 10);
  EXPECT_FALSE(store_->image_by_name("b.png"));
}

TEST_P(ArticleStoreConformance, ContentVersionChangesOnEveryWrite) {
  seed_sections(*store_);
  auto v0 = store_->content_version();
  store_->put_article(make("a", "world", "2026-11-10T00:00:00Z"));
  auto v1 = store_->content_version();
  EXPECT_NE(v1, v0);
  store_->put_section({"opinion", "Opinion", 3});
  auto v2 = store_->content_version();
  EXPECT_NE(v2, v1);
  store_->put_image({"x.svg", "image/svg+xml", "<svg/>", 1, 1});
  EXPECT_NE(store_->content_version(), v2);
}

}  // namespace
}  // namespace masthead::content::testing
