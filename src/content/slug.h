// Slugs: the URL-safe names of articles, sections, authors and tags.
//
// A slug is 1-100 characters of [a-z0-9-], neither starting nor ending with a
// hyphen and without double hyphens. `slugify` derives one from any display
// name, transliterating with ICU ("Tomás Okafor-Reyes" -> "tomas-okafor-reyes",
// "東京" -> "dong-jing"), so that every author and tag gets a stable URL.
//
// Sections live at the top of the URL space (/world, /world/some-story), so
// a section may not take a name the site's own pages use: /login, /offers,
// /search, /sitemap.xml... is_reserved_section_slug() holds that list, for
// every module that routes a top-level path (site, accounts, and the api,
// admin and feeds to come). Adding a top-level route means adding its first
// path segment here.
#pragma once

#include <string>
#include <string_view>

namespace masthead::content {

bool is_valid_slug(std::string_view slug);
// Never empty: falls back to "item" when nothing usable remains.
std::string slugify(std::string_view name);

// True when `slug` is the first path segment of one of the site's own routes
// (exact match, ASCII), so that no section may be stored under it.
bool is_reserved_section_slug(std::string_view slug);

}  // namespace masthead::content
