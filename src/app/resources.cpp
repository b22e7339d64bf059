// See resources.h.
#include "app/resources.h"

#include <map>
#include <stdexcept>

#include "app/embedded_files.h"

namespace masthead::app {

std::unique_ptr<Resources> load_resources(const std::string& locale,
                                          const std::vector<std::string>& more_locales) {
  auto r = std::make_unique<Resources>();
  std::map<std::string, std::string_view> catalog_files;  // language -> TOML
  for (const auto& file : embedded_files()) {
    std::string_view path = file.path;
    if (path.rfind("templates/", 0) == 0 && path.size() > 15 &&
        path.substr(path.size() - 5) == ".html") {
      std::string name(path.substr(10, path.size() - 15));
      r->templates.add(name, std::string(file.bytes));
    } else if (path.rfind("static/", 0) == 0) {
      r->assets.add(std::string(path.substr(7)), std::string(file.bytes));
    } else if (path.rfind("locales/", 0) == 0 && path.size() > 13) {
      catalog_files.emplace(std::string(path.substr(8, path.size() - 13)), file.bytes);
    }
  }
  std::vector<std::string> locales{locale};
  for (const std::string& l : more_locales)
    if (std::find(locales.begin(), locales.end(), l) == locales.end()) locales.push_back(l);
  std::vector<render::MessageCatalog> catalogs;
  for (const std::string& l : locales) {
    std::string language = l.substr(0, l.find('-'));
    auto file = catalog_files.find(language);
    if (file == catalog_files.end()) {
      std::string available;
      for (const auto& [name, bytes] : catalog_files)
        available += (available.empty() ? "" : ", ") + name;
      throw std::runtime_error("no message catalog for locale '" + l +
                               "' (available: " + available + ")");
    }
    catalogs.push_back(
        render::MessageCatalog::load(l, file->second, "locales/" + language + ".toml"));
  }
  r->catalogs = std::make_unique<render::Catalogs>(std::move(catalogs), locale);
  r->templates.compile();
  return r;
}

}  // namespace masthead::app
