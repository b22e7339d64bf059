// See article_import.h.
#include "app/article_import.h"

#include <regex>

#include "base/text.h"
#include "content/front_matter.h"
#include "content/image_name.h"

namespace masthead::app {
namespace {

std::string extension_of(std::string_view path) {
  auto dot = path.rfind('.');
  auto slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  return base::to_lower_ascii(path.substr(dot + 1));
}

int big_endian(const std::string& b, std::size_t at, int bytes) {
  int v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

}  // namespace

base::Result<content::StoredImage> inspect_image(std::string name, std::string bytes) {
  content::StoredImage image;
  image.name = std::move(name);
  if (bytes.size() > 10 * 1024 * 1024) return base::Error{"the image is larger than 10 MiB"};
  if (bytes.size() >= 24 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) {
    image.content_type = "image/png";
    image.width = big_endian(bytes, 16, 4);
    image.height = big_endian(bytes, 20, 4);
  } else if (bytes.size() >= 4 && bytes.compare(0, 3, "\xFF\xD8\xFF") == 0) {
    image.content_type = "image/jpeg";
  } else if (bytes.size() >= 10 &&
             (bytes.compare(0, 6, "GIF87a") == 0 || bytes.compare(0, 6, "GIF89a") == 0)) {
    image.content_type = "image/gif";
    image.width =
        static_cast<unsigned char>(bytes[6]) | (static_cast<unsigned char>(bytes[7]) << 8);
    image.height =
        static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
  } else if (bytes.size() >= 12 && bytes.compare(0, 4, "RIFF") == 0 &&
             bytes.compare(8, 4, "WEBP") == 0) {
    image.content_type = "image/webp";
  } else if (bytes.find("<svg") != std::string::npos) {
    std::string lower = base::to_lower_ascii(bytes);
    for (const char* banned :
         {"<script", "javascript:", "<foreignobject", " on", "<iframe", "<!entity"}) {
      if (std::string_view(banned) == " on") {
        static const std::regex handler(R"(\son[a-z]+\s*=)");
        if (std::regex_search(lower, handler))
          return base::Error{"the SVG has an event handler attribute"};
        continue;
      }
      if (lower.find(banned) != std::string::npos)
        return base::Error{std::string("the SVG contains '") + banned + "'"};
    }
    image.content_type = "image/svg+xml";
    static const std::regex width(R"(<svg[^>]*\swidth=\"(\d+))"),
        height(R"(<svg[^>]*\sheight=\"(\d+))");
    std::smatch m;
    if (std::regex_search(bytes, m, width)) image.width = std::stoi(m[1].str().substr(0, 6));
    if (std::regex_search(bytes, m, height)) image.height = std::stoi(m[1].str().substr(0, 6));
  } else {
    return base::Error{"not a PNG, JPEG, GIF, WebP or SVG image"};
  }
  if (image.width < 0 || image.height < 0 || image.width > 100000 || image.height > 100000)
    return base::Error{"the image's dimensions are implausible"};
  image.bytes = std::move(bytes);
  return image;
}

base::Result<ImportedArticle> import_article(content::ArticleStore& store, std::string_view text,
                                             std::string_view source_name,
                                             const FileReader& read_relative, base::TimePoint now) {
  auto parsed = content::parse_article_file(text, source_name);
  if (!parsed) return parsed.error();
  content::Article& article = parsed->article;
  std::optional<content::StoredImage> image;
  if (!parsed->image_path.empty()) {
    auto bytes = read_relative(parsed->image_path);
    if (!bytes)
      return base::Error{std::string(source_name) + ": key 'image': cannot read '" +
                         parsed->image_path + "'"};
    // Named by its bytes, so that /media/ may serve it as immutable.
    std::string name = content::content_addressed_image_name(
        article.slug, extension_of(parsed->image_path), *bytes);
    auto inspected = inspect_image(std::move(name), std::move(*bytes));
    if (!inspected)
      return base::Error{std::string(source_name) + ": key 'image': " + inspected.error().message};
    image = std::move(inspected.value());
    article.image.name = image->name;
    article.image.width = image->width;
    article.image.height = image->height;
  }
  if (!article.published_at && article.status == content::Status::kPublished)
    article.published_at = now;
  // A first import is as fresh as its publication; a re-import is an update.
  bool exists = store.article_by_slug(article.slug).has_value();
  article.updated_at = (!exists && article.published_at) ? *article.published_at : now;
  // Nothing has been stored yet; the section check happens before the image
  // is written so that a wrong section leaves no orphan image behind.
  bool section_exists = false;
  for (const auto& s : store.sections())
    section_exists = section_exists || s.slug == article.section;
  if (!section_exists)
    return base::Error{std::string(source_name) + ": key 'section': there is no section '" +
                       article.section + "'"};
  try {
    if (image) store.put_image(*image);
    store.put_article(article);
  } catch (const content::StoreError& e) {
    return base::Error{std::string(source_name) + ": " + e.what()};
  }
  return ImportedArticle{article.slug, article.section, article.status};
}

}  // namespace masthead::app
