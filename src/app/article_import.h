// Importing article files (Markdown with front matter) into the store.
//
// Shared by `masthead article add` (files on disk) and `masthead init --demo`
// (files embedded in the binary). An import is all or nothing: the file is
// parsed and checked, its hero image read and checked, and only then are the
// image and the article stored, so a bad file changes nothing. The image is
// stored under a content-addressed name (content/image_name.h).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/result.h"
#include "content/article_store.h"

namespace masthead::app {

// Reads a file named relative to the article file; nullopt when missing.
using FileReader = std::function<std::optional<std::string>(const std::string& relative_path)>;

struct ImportedArticle {
  std::string slug;
  std::string section;
  content::Status status;
};

base::Result<ImportedArticle> import_article(content::ArticleStore& store, std::string_view text,
                                             std::string_view source_name,
                                             const FileReader& read_relative, base::TimePoint now);

// Image type and size from the bytes; an error for anything but PNG, JPEG,
// GIF, WebP or an SVG without scripts.
base::Result<content::StoredImage> inspect_image(std::string name, std::string bytes);

}  // namespace masthead::app
