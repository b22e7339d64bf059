// Catalogs: lookup by locale, negotiation by icu::LocaleMatcher. See
// catalogs.h.
#include "render/catalogs.h"

#include <optional>
#include <stdexcept>
#include <utility>

#include <unicode/localematcher.h>

#include "render/locale_id.h"

namespace masthead::render {

namespace {

// "ja" for "ja-JP", "ja_JP" or "ja".
std::string_view language_of(std::string_view tag) {
  const std::size_t end = tag.find_first_of("-_");
  return end == std::string_view::npos ? tag : tag.substr(0, end);
}

}  // namespace

struct Catalogs::Matcher {
  std::vector<icu::Locale> supported;
  std::optional<icu::LocaleMatcher> matcher;
};

Catalogs::Catalogs(std::vector<MessageCatalog> catalogs, std::string_view default_locale)
    : catalogs_(std::move(catalogs)), matcher_(std::make_unique<Matcher>()) {
  if (catalogs_.empty()) throw std::invalid_argument("Catalogs needs at least one catalog");
  bool found_default = false;
  for (std::size_t i = 0; i < catalogs_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (catalogs_[j].locale() == catalogs_[i].locale()) {
        throw std::invalid_argument("two catalogs for locale '" + catalogs_[i].locale() + "'");
      }
    }
    if (catalogs_[i].locale() == default_locale) {
      default_index_ = i;
      found_default = true;
    }
    matcher_->supported.push_back(parse_locale_id(catalogs_[i].locale()));
  }
  if (!found_default) {
    throw std::invalid_argument("default locale '" + std::string(default_locale) +
                                "' has no catalog");
  }
  UErrorCode status = U_ZERO_ERROR;
  matcher_->matcher.emplace(
      icu::LocaleMatcher::Builder()
          .setSupportedLocales(matcher_->supported.begin(), matcher_->supported.end())
          .setDefaultLocale(&matcher_->supported[default_index_])
          .build(status));
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU: LocaleMatcher: ") + u_errorName(status));
  }
}

Catalogs::Catalogs(Catalogs&&) noexcept = default;
Catalogs& Catalogs::operator=(Catalogs&&) noexcept = default;
Catalogs::~Catalogs() = default;

const std::string& Catalogs::default_locale() const {
  return catalogs_[default_index_].locale();
}

std::vector<std::string> Catalogs::locales() const {
  std::vector<std::string> locales;
  for (const MessageCatalog& catalog : catalogs_) locales.push_back(catalog.locale());
  return locales;
}

const MessageCatalog& Catalogs::for_locale(std::string_view locale) const {
  for (const MessageCatalog& catalog : catalogs_) {
    if (catalog.locale() == locale) return catalog;
  }
  const std::string_view language = language_of(locale);
  for (const MessageCatalog& catalog : catalogs_) {
    if (catalog.locale() == language) return catalog;
  }
  return catalogs_[default_index_];
}

std::string Catalogs::negotiate(std::string_view accept_language) const {
  if (accept_language.size() > kMaxHeaderBytes) return default_locale();
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale* best = matcher_->matcher->getBestMatchForListString(
      icu::StringPiece(accept_language.data(), static_cast<int32_t>(accept_language.size())),
      status);
  if (U_FAILURE(status) || best == nullptr) return default_locale();
  for (std::size_t i = 0; i < catalogs_.size(); ++i) {
    if (matcher_->supported[i] == *best) return catalogs_[i].locale();
  }
  return default_locale();
}

}  // namespace masthead::render
