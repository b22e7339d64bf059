// FeedSource: the latest articles of a scope, as a Feed, through the paywall.
//
// What it is. The feeds' use case: for the whole site, a section, an author
// or a tag, the latest `limit` (20) visible articles — published, or
// scheduled and due; the store's reader queries never return the others —
// each loaded with its body and turned into an item by make_item() with the
// Decision services::AccessService gives an anonymous reader making a safe
// request (services::Visitor::safe: HEAD-like, records nothing, issues no
// identity). That is the same decision path as the article page; the feed
// adds nothing of its own to what a reader may see, and make_item() keeps
// metered bodies to the lead-in.
//
// Words (feed titles, the sponsored label, section names in the site's
// language) come from the default message catalog: a feed is one document
// for every reader, in the site's default language.
//
// Invariants: feed() is a pure function of the store's content, the clock
// and the options, so its documents may be cached until the content version
// changes or a scheduled article comes due (site/feed_routes.cpp does). An
// unknown section, author or tag is nullopt (the route's 404).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "base/clock.h"
#include "content/article_store.h"
#include "feeds/feed.h"
#include "render/message_catalog.h"
#include "services/access_service.h"

namespace masthead::feeds {

struct FeedOptions {
  std::string name = "Masthead";
  std::string base_url = "http://localhost:8080";  // no trailing slash
  std::string description;
  std::string language = "en-US";
  bool full_text_free = true;  // [feeds] full_text_free
  int limit = 20;
};

enum class ScopeKind { kSite, kSection, kAuthor, kTag };

struct Scope {
  ScopeKind kind = ScopeKind::kSite;
  std::string slug;  // empty for the site
  // The HTML page the feed mirrors: "/", "/world", "/author/<slug>", "/tag/<slug>".
  std::string page_path() const;
};

class FeedSource {
 public:
  FeedSource(FeedOptions options, const content::ArticleStore& store,
             const services::AccessService& access, const render::MessageCatalog& messages,
             const base::Clock& clock);

  // The feed of `scope`; `self_path` is the feed's own path ("/world/atom.xml").
  std::optional<Feed> feed(const Scope& scope, const std::string& self_path) const;

  // A member's private feed: the site's latest articles cut by the member's
  // own decision (AccessService::member_view: safe, records nothing), so an
  // entitled reader gets whole articles and a lapsed one what the public
  // feed gives. Never cached with the public feeds: it is one reader's.
  Feed private_feed(const services::Member& member, const std::string& self_path) const;

  const base::Clock& clock() const { return clock_; }

 private:
  using DecideFn =
      std::function<paywall::Decision(std::int64_t article_id, const paywall::ArticleFacts&)>;
  std::optional<Feed> build(const Scope& scope, const std::string& self_path, bool full_text_free,
                            const DecideFn& decide) const;
  std::string section_name(const std::vector<content::Section>& sections,
                           const std::string& slug) const;

  FeedOptions options_;
  const content::ArticleStore& store_;
  const services::AccessService& access_;
  const render::MessageCatalog& messages_;
  const base::Clock& clock_;
};

}  // namespace masthead::feeds
