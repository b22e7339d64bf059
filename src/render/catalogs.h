// Catalogs: the enabled locales of a site, and the choice among them.
//
// What it is. A publication enables one or more locales ("en", "ja"), each a
// MessageCatalog, and names one the default. Per request a handler asks
// negotiate(accept_language) which locale to serve (unless the reader chose one
// explicitly), then for_locale(that) for the strings.
//
// The key idea: negotiation is ICU's LocaleMatcher (CLDR's language distance
// data), fed the Accept-Language header as it is. It honours q-values, matches
// "ja-JP" to "ja" and "en-AU" to "en", ignores "*" and tags it cannot parse,
// and answers the default when nothing is close enough or the header is
// malformed (a bad q-value, more than kMaxHeaderBytes). We never compare
// language subtags by hand.
//
// Invariants: at least one catalog; locales are distinct BCP 47 tags; the
// default is one of them. Immutable after construction, so every const method
// is safe from any thread (LocaleMatcher is immutable too).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "render/message_catalog.h"

namespace masthead::render {

class Catalogs {
 public:
  static constexpr std::size_t kMaxHeaderBytes = 4096;

  // Throws std::invalid_argument when `catalogs` is empty, two catalogs share
  // a locale, or `default_locale` is not among them.
  Catalogs(std::vector<MessageCatalog> catalogs, std::string_view default_locale);
  Catalogs(Catalogs&&) noexcept;
  Catalogs& operator=(Catalogs&&) noexcept;
  ~Catalogs();

  const std::string& default_locale() const;
  // Enabled locales, in the order given.
  std::vector<std::string> locales() const;

  // The catalog whose locale is `locale`; failing that, one whose locale is
  // the language of `locale` ("ja" for "ja-JP"); failing that, the default.
  const MessageCatalog& for_locale(std::string_view locale) const;

  // The enabled locale that best fits an Accept-Language header value, such
  // as "ja-JP,ja;q=0.9,en;q=0.5"; the default when none fits.
  std::string negotiate(std::string_view accept_language) const;

 private:
  struct Matcher;

  std::vector<MessageCatalog> catalogs_;
  std::size_t default_index_ = 0;
  std::unique_ptr<Matcher> matcher_;
};

}  // namespace masthead::render
