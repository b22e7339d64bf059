// See article_store_conformance.h. Each TEST_P states one promise of the
// ArticleStore contract.
#include "content/testing/article_store_conformance.h"

#include <algorithm>

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

SearchResults find(const ArticleStore& store, std::string_view q,
                   SearchScope scope = SearchScope::kPublicOnly, const SearchFilter& filter = {},
                   int offset = 0, int limit = 10) {
  return store.search(q, scope, filter, kNow, offset, limit);
}

std::vector<std::string> slugs(const SearchResults& results) {
  std::vector<std::string> out;
  for (const auto& hit : results.hits) out.push_back(hit.article.slug);
  return out;
}

TEST_P(ArticleStoreConformance, SearchFindsVisibleArticlesAndIgnoresQuerySyntax) {
  seed_sections(*store_);
  Article a = make("rail", "world", "2026-11-10T00:00:00Z");
  a.body_markdown = "The new *high-speed* railway opens between two cities.\n";
  Article b = make("draft-rail", "world", nullptr, Status::kDraft);
  b.body_markdown = "A railway draft.\n";
  store_->put_article(a);
  store_->put_article(b);
  for (auto scope : {SearchScope::kPublicOnly, SearchScope::kEverything}) {
    auto hits = find(*store_, "railway", scope);
    EXPECT_EQ(hits.total, 1);
    EXPECT_EQ(slugs(hits), (std::vector<std::string>{"rail"}));
    EXPECT_EQ(find(*store_, "RAILWAY cities", scope).total, 1);
    EXPECT_EQ(find(*store_, "railway trams", scope).total, 0);
  }
  for (const char* hostile : {"\"",
                              "rail*",
                              "NEAR(",
                              "NEAR(railway cities)",
                              "a OR b",
                              "-railway",
                              "body:x",
                              "headline:railway",
                              "\"railway",
                              "railway\"\"",
                              "{body}: x",
                              "^railway",
                              "(",
                              ")",
                              "*",
                              "",
                              "   ",
                              "\x01",
                              "\x02railway\x03",
                              "\xff\xfe",
                              "caf\xc3"}) {
    EXPECT_NO_THROW(find(*store_, hostile)) << hostile;
    EXPECT_NO_THROW(find(*store_, hostile, SearchScope::kEverything)) << hostile;
  }
  // Operators are words: "railway OR trams" needs the word "or" too.
  EXPECT_EQ(find(*store_, "railway OR trams").total, 0);
  EXPECT_EQ(find(*store_, "NEAR(railway cities)").total, 0);
  EXPECT_EQ(find(*store_, std::string(5000, 'x') + " railway").total, 0);
  // Re-saving replaces the indexed text.
  a.body_markdown = "Now about trams only.\n";
  store_->put_article(a);
  EXPECT_EQ(find(*store_, "railway").total, 0);
  EXPECT_EQ(find(*store_, "railway", SearchScope::kEverything).total, 0);
  EXPECT_EQ(find(*store_, "trams").total, 1);
}

TEST_P(ArticleStoreConformance, PublicSearchNeverMatchesOrSnippetsWithheldText) {
  seed_sections(*store_);
  // Metered: the first paragraph is the lead-in (the default of one).
  Article metered = make("metered", "world", "2026-11-10T00:00:00Z");
  metered.body_markdown =
      "Lead paragraph about harbours.\n\nSecond paragraph with the word quillwort.\n\n"
      "Third paragraph, harbours again and zanzibarite.\n";
  Article free = make("free", "world", "2026-11-11T00:00:00Z");
  free.free = true;
  free.body_markdown = "Free lead.\n\nFree second paragraph mentions quillwort.\n";
  Article sponsored = make("sponsored", "business", "2026-11-12T00:00:00Z");
  sponsored.sponsored_by = "Lumenfield Networks";
  sponsored.body_markdown = "Sponsored lead.\n\nSponsored second mentions zanzibarite.\n";
  store_->put_article(metered);
  store_->put_article(free);
  store_->put_article(sponsored);

  // The withheld part of a metered article is not there for a public search.
  EXPECT_EQ(slugs(find(*store_, "quillwort")), (std::vector<std::string>{"free"}));
  EXPECT_EQ(slugs(find(*store_, "zanzibarite")), (std::vector<std::string>{"sponsored"}));
  // Everything: the whole text.
  auto all = find(*store_, "quillwort", SearchScope::kEverything);
  EXPECT_EQ(all.total, 2);
  EXPECT_EQ(find(*store_, "zanzibarite", SearchScope::kEverything).total, 2);
  // The lead-in is public, and a public snippet never reaches past it.
  auto harbours = find(*store_, "harbours");
  ASSERT_EQ(slugs(harbours), (std::vector<std::string>{"metered"}));
  const std::string& snippet = harbours.hits[0].snippet;
  EXPECT_NE(snippet.find(std::string(1, kMarkStart) + "harbours" + kMarkEnd), std::string::npos)
      << snippet;
  EXPECT_EQ(snippet.find("Second"), std::string::npos) << snippet;
  EXPECT_EQ(snippet.find("quillwort"), std::string::npos) << snippet;
  EXPECT_EQ(snippet.find("Third"), std::string::npos) << snippet;
  // An entitled reader's snippet shows the withheld word, marked.
  for (const auto& hit : find(*store_, "zanzibarite", SearchScope::kEverything).hits)
    EXPECT_NE(hit.snippet.find(std::string(1, kMarkStart) + "zanzibarite" + kMarkEnd),
              std::string::npos)
        << hit.snippet;
  // A metered article that becomes free shows its whole body publicly.
  metered.free = true;
  store_->put_article(metered);
  EXPECT_EQ(find(*store_, "quillwort").total, 2);
}

TEST_P(ArticleStoreConformance, SearchRanksHeadlineAboveDeckAboveBody) {
  seed_sections(*store_);
  Article body = make("in-body", "world", "2026-11-12T00:00:00Z");
  body.body_markdown = "Lighthouses are mentioned here.\n";
  Article deck = make("in-deck", "world", "2026-11-11T00:00:00Z");
  deck.deck = "A deck about lighthouses";
  Article headline = make("in-headline", "world", "2026-11-10T00:00:00Z");
  headline.headline = "Lighthouses go dark";
  for (auto* a : {&body, &deck, &headline}) store_->put_article(*a);
  for (auto scope : {SearchScope::kPublicOnly, SearchScope::kEverything}) {
    auto hits = find(*store_, "lighthouses", scope);
    EXPECT_EQ(slugs(hits), (std::vector<std::string>{"in-headline", "in-deck", "in-body"}));
    // Snippets come from the body where it matched, else from the deck.
    ASSERT_EQ(hits.hits.size(), 3u);
    EXPECT_EQ(hits.hits[0].snippet, "Deck of in-headline");
    EXPECT_EQ(hits.hits[1].snippet,
              std::string("A deck about ") + kMarkStart + "lighthouses" + kMarkEnd);
    EXPECT_NE(hits.hits[2].snippet.find(std::string(1, kMarkStart) + "Lighthouses" + kMarkEnd),
              std::string::npos);
  }
  // Paging keeps the order and the total.
  auto second = find(*store_, "lighthouses", SearchScope::kPublicOnly, {}, 1, 1);
  EXPECT_EQ(second.total, 3);
  EXPECT_EQ(slugs(second), (std::vector<std::string>{"in-deck"}));
}

TEST_P(ArticleStoreConformance, SearchFiltersBySectionAndPublicationTime) {
  seed_sections(*store_);
  Article early = make("early", "world", "2026-11-01T00:00:00Z");
  Article middle = make("middle", "business", "2026-11-10T12:00:00Z");
  Article late = make("late", "world", "2026-11-19T00:00:00Z");
  for (auto* a : {&early, &middle, &late}) {
    a->deck = "Glaciers retreat";
    store_->put_article(*a);
  }
  EXPECT_EQ(find(*store_, "glaciers").total, 3);
  EXPECT_EQ(find(*store_, "glaciers", SearchScope::kPublicOnly, {.section = "world"}).total, 2);
  EXPECT_EQ(find(*store_, "glaciers", SearchScope::kPublicOnly, {.section = "nowhere"}).total, 0);
  SearchFilter range{.from = at("2026-11-10T12:00:00Z"), .until = at("2026-11-19T00:00:00Z")};
  EXPECT_EQ(slugs(find(*store_, "glaciers", SearchScope::kPublicOnly, range)),
            (std::vector<std::string>{"middle"}));  // from included, until not
  SearchFilter both{.section = "world", .from = at("2026-11-02T00:00:00Z")};
  EXPECT_EQ(slugs(find(*store_, "glaciers", SearchScope::kEverything, both)),
            (std::vector<std::string>{"late"}));
}

TEST_P(ArticleStoreConformance, SnippetsNeverCarryStoredMarkers) {
  seed_sections(*store_);
  Article a = make("markers", "world", "2026-11-10T00:00:00Z");
  a.headline = std::string("Fake ") + kMarkStart + "mark" + kMarkEnd + " headline";
  a.body_markdown = std::string("Body with ") + kMarkStart + "orchids" + kMarkEnd + ".\n";
  store_->put_article(a);
  auto hits = find(*store_, "orchids");
  ASSERT_EQ(hits.total, 1);
  const std::string& s = hits.hits[0].snippet;
  EXPECT_EQ(std::count(s.begin(), s.end(), kMarkStart), 1) << s;
  EXPECT_EQ(std::count(s.begin(), s.end(), kMarkEnd), 1) << s;
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
