// Media type table and compressibility test; see mime.h.
#include "http/mime.h"

#include <array>
#include <utility>

#include "http/ascii.h"

namespace masthead::http {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 32> kTypes = {{
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"xml", "application/xml; charset=utf-8"},
    {"rss", "application/rss+xml; charset=utf-8"},
    {"atom", "application/atom+xml; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"md", "text/markdown; charset=utf-8"},
    {"csv", "text/csv; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"pdf", "application/pdf"},
    {"wasm", "application/wasm"},
    {"mp4", "video/mp4"},
    {"webm", "video/webm"},
    {"mp3", "audio/mpeg"},
    {"zip", "application/zip"},
}};

}  // namespace

std::string_view content_type_for(std::string_view filename) {
  std::size_t slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  std::size_t dot = filename.rfind('.');
  if (dot != std::string_view::npos) {
    std::string_view extension = filename.substr(dot + 1);
    for (const auto& [ext, type] : kTypes) {
      if (iequals(ext, extension)) return type;
    }
  }
  return "application/octet-stream";
}

bool is_compressible(std::string_view content_type) {
  std::string_view type = trim_ows(content_type.substr(0, content_type.find(';')));
  if (istarts_with(type, "text/")) return true;
  if (iequals(type, "image/svg+xml")) return true;
  if (!istarts_with(type, "application/")) return false;
  std::string_view sub = type.substr(12);
  if (iequals(sub, "json") || iequals(sub, "xml") || iequals(sub, "javascript")) return true;
  auto ends_with = [sub](std::string_view suffix) {
    return sub.size() > suffix.size() && iequals(sub.substr(sub.size() - suffix.size()), suffix);
  };
  return ends_with("+json") || ends_with("+xml");
}

}  // namespace masthead::http
