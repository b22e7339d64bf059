// Article files: YAML front matter between "---" lines, then the Markdown body.
//
// This is the format static-site tools write and the one `masthead article
// add` and the demo content use:
//
//   ---
//   slug: harbour-cranes-idle
//   section: business
//   headline: Harbour cranes stand idle
//   tags: [Trade, Shipping]
//   published_at: 2026-11-18T07:30:00Z
//   language: en                 # optional; default: the site's language
//   ---
//   The body, in CommonMark.
//
// Parsing is strict because a newsroom's typo should fail loudly, not publish
// silently: unknown keys, wrong types, bad slugs, bad times and over-long
// fields are errors that name the file's line and the key. Nothing is stored
// here; the caller stores the result only when parsing succeeded, so a bad
// file changes nothing.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "content/article.h"

namespace masthead::content {

struct ArticleFile {
  Article article;         // authors derived from the byline; image.name empty
  std::string image_path;  // the `image` key as written (relative to the file)
};

// `source_name` prefixes error messages ("world/x.md:7: ...").
base::Result<ArticleFile> parse_article_file(std::string_view text, std::string_view source_name);

}  // namespace masthead::content
