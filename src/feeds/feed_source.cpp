// The latest articles of a scope as a Feed, through the AccessService. See
// feed_source.h.
#include "feeds/feed_source.h"

#include <algorithm>

#include "feeds/feed_item.h"
#include "services/visitor.h"

namespace masthead::feeds {

std::string Scope::page_path() const {
  switch (kind) {
    case ScopeKind::kSite:
      return "/";
    case ScopeKind::kSection:
      return "/" + slug;
    case ScopeKind::kAuthor:
      return "/author/" + slug;
    case ScopeKind::kTag:
      return "/tag/" + slug;
  }
  return "/";
}

FeedSource::FeedSource(FeedOptions options, const content::ArticleStore& store,
                       const services::AccessService& access,
                       const render::MessageCatalog& messages, const base::Clock& clock)
    : options_(std::move(options)),
      store_(store),
      access_(access),
      messages_(messages),
      clock_(clock) {}

std::string FeedSource::section_name(const std::vector<content::Section>& sections,
                                     const std::string& slug) const {
  const std::string key = "section_name." + slug;
  if (messages_.has(key)) return messages_.format(key);
  for (const auto& s : sections)
    if (s.slug == slug) return s.name;
  return slug;
}

std::optional<Feed> FeedSource::feed(const Scope& scope, const std::string& self_path) const {
  // An anonymous reader's safe request: decides as a GET would, records nothing.
  const services::Visitor visitor{.safe = true};
  return build(scope, self_path, options_.full_text_free,
               [&](std::int64_t id, const paywall::ArticleFacts& facts) {
                 return access_.view(visitor, id, facts).decision;
               });
}

Feed FeedSource::private_feed(const services::Member& member, const std::string& self_path) const {
  // The member's own decision, safe; a signed-in reader reads free and
  // sponsored articles whole on the site, so here too.
  std::optional<Feed> feed = build(Scope{}, self_path, /*full_text_free=*/true,
                                   [&](std::int64_t id, const paywall::ArticleFacts& facts) {
                                     return access_.member_view(member, id, facts).decision;
                                   });
  feed->title = messages_.format("feeds.private_title", {{"publication", options_.name}});
  return std::move(*feed);
}

std::optional<Feed> FeedSource::build(const Scope& scope, const std::string& self_path,
                                      bool full_text_free, const DecideFn& decide) const {
  const base::TimePoint now = clock_.now();
  const std::vector<content::Section> sections = store_.sections();
  content::ArticleFilter filter;
  std::string scope_name;
  switch (scope.kind) {
    case ScopeKind::kSite:
      break;
    case ScopeKind::kSection: {
      auto it = std::find_if(sections.begin(), sections.end(),
                             [&](const content::Section& s) { return s.slug == scope.slug; });
      if (it == sections.end()) return std::nullopt;
      filter.section = scope.slug;
      scope_name = section_name(sections, scope.slug);
      break;
    }
    case ScopeKind::kAuthor: {
      auto author = store_.author_by_slug(scope.slug);
      if (!author) return std::nullopt;
      filter.author = scope.slug;
      scope_name = author->name;
      break;
    }
    case ScopeKind::kTag: {
      auto tag = store_.tag_by_slug(scope.slug);
      if (!tag) return std::nullopt;
      filter.tag = scope.slug;
      scope_name = tag->name;
      break;
    }
  }

  Feed feed;
  feed.title =
      scope_name.empty()
          ? options_.name
          : messages_.format("feeds.title", {{"publication", options_.name}, {"name", scope_name}});
  feed.home_url = options_.base_url + scope.page_path();
  feed.self_url = options_.base_url + self_path;
  feed.id = feed.self_url;
  feed.description = options_.description;
  feed.language = options_.language;

  ItemOptions item_options{.base_url = options_.base_url,
                           .sponsored_prefix = messages_.format("feeds.sponsored_prefix"),
                           .sponsored_category = messages_.format("feeds.sponsored_category"),
                           .lead_in_paragraphs = access_.policy().lead_in_paragraphs,
                           .full_text_free = full_text_free};
  const content::ArticleList list = store_.list_articles(filter, now, 0, options_.limit);
  for (const content::Article& listed : list.articles) {
    std::optional<content::Article> a = store_.article_by_slug(listed.slug);
    if (!a || !a->is_visible(now)) continue;
    const paywall::ArticleFacts facts{.free = a->free, .sponsored = a->sponsored()};
    const paywall::Decision decision = decide(a->id, facts);
    item_options.section_name = section_name(sections, a->section);
    FeedItem item = make_item(*a, decision, item_options);
    feed.updated = std::max(feed.updated, item.updated);
    feed.items.push_back(std::move(item));
  }
  return feed;
}

}  // namespace masthead::feeds
