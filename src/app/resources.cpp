// See resources.h.
#include "app/resources.h"

#include <stdexcept>

#include "app/embedded_files.h"

namespace masthead::app {

std::unique_ptr<Resources> load_resources(const std::string& locale) {
  auto r = std::make_unique<Resources>();
  std::string language = locale.substr(0, locale.find('-'));
  std::string catalog_path = "locales/" + language + ".toml";
  std::string available;
  for (const auto& file : embedded_files()) {
    std::string_view path = file.path;
    if (path.rfind("templates/", 0) == 0 && path.size() > 15 &&
        path.substr(path.size() - 5) == ".html") {
      std::string name(path.substr(10, path.size() - 15));
      r->templates.add(name, std::string(file.bytes));
    } else if (path.rfind("static/", 0) == 0) {
      r->assets.add(std::string(path.substr(7)), std::string(file.bytes));
    } else if (path.rfind("locales/", 0) == 0) {
      available += (available.empty() ? "" : ", ") + std::string(path.substr(8, path.size() - 13));
      if (path == catalog_path)
        r->messages = std::make_unique<render::MessageCatalog>(
            render::MessageCatalog::load(locale, file.bytes, path));
    }
  }
  if (!r->messages)
    throw std::runtime_error("no message catalog for locale '" + locale +
                             "' (available: " + available + ")");
  r->templates.compile();
  return r;
}

}  // namespace masthead::app
