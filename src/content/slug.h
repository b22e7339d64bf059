// Slugs: the URL-safe names of articles, sections, authors and tags.
//
// A slug is 1-100 characters of [a-z0-9-], neither starting nor ending with a
// hyphen and without double hyphens. `slugify` derives one from any display
// name, transliterating with ICU ("Tomás Okafor-Reyes" -> "tomas-okafor-reyes",
// "東京" -> "dong-jing"), so that every author and tag gets a stable URL.
#pragma once

#include <string>
#include <string_view>

namespace masthead::content {

bool is_valid_slug(std::string_view slug);
// Never empty: falls back to "item" when nothing usable remains.
std::string slugify(std::string_view name);

}  // namespace masthead::content
