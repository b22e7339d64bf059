// The files compiled into the binary: templates/, static/, locales/ and demo/,
// by relative path ("templates/article.html"). Generated at build time by
// tools/embed.cpp, so one `masthead` executable runs from any directory.
#pragma once

#include <span>
#include <string_view>

namespace masthead::app {

struct EmbeddedFile {
  std::string_view path;
  std::string_view bytes;
};

std::span<const EmbeddedFile> embedded_files();

}  // namespace masthead::app
