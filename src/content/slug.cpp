// See slug.h. Transliteration uses one ICU Transliterator built once; ICU
// transliterators are not thread-safe, so each thread keeps its own clone.
#include "content/slug.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>

namespace masthead::content {
namespace {

std::unique_ptr<icu::Transliterator> make_transliterator() {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(
      icu::Transliterator::createInstance("Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
  if (U_FAILURE(status)) return nullptr;
  return t;
}

std::string to_ascii_lower(std::string_view name) {
  thread_local std::unique_ptr<icu::Transliterator> transliterator = make_transliterator();
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  if (transliterator) transliterator->transliterate(text);
  std::string out;
  text.toUTF8String(out);
  return out;
}

// The first path segments of the site's own routes. Some are not valid slugs
// (they have a dot) and are listed anyway: the list answers "is this path
// taken", whatever else a caller checks.
constexpr std::string_view kReservedSectionSlugs[] = {
    // reader accounts and billing (src/accounts)
    "login", "logout", "register", "confirm", "reset", "account", "offers", "subscribe", "checkout",
    "webhooks",
    // the apps API, the newsroom, feeds (planned modules)
    "api", "admin", "feed", "feeds", "private", "sitemaps",
    // the site's own pages and files (src/site)
    "search", "author", "tag", "about", "media", "static", "sitemap.xml", "robots.txt",
    "favicon.ico", "healthz", "metrics"};

}  // namespace

bool is_reserved_section_slug(std::string_view slug) {
  for (std::string_view reserved : kReservedSectionSlugs)
    if (slug == reserved) return true;
  return false;
}

bool is_valid_slug(std::string_view slug) {
  if (slug.empty() || slug.size() > 100) return false;
  if (slug.front() == '-' || slug.back() == '-') return false;
  char previous = 0;
  for (char c : slug) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && previous == '-')) return false;
    previous = c;
  }
  return true;
}

std::string slugify(std::string_view name) {
  std::string ascii = to_ascii_lower(name);
  std::string slug;
  for (char c : ascii) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
      keep = true;
    }
    if (keep) {
      slug += c;
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
    if (slug.size() >= 100) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.empty() ? "item" : slug;
}

}  // namespace masthead::content
