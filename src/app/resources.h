// Resources: the templates, static assets and message catalogs the binary
// carries (embedded_files.h), loaded once at start-up into the objects the
// site renders with. A template that does not compile or a catalog that does
// not parse stops start-up with a clear message instead of failing a request.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "http/static_assets.h"
#include "render/catalogs.h"
#include "render/message_catalog.h"
#include "render/template_set.h"

namespace masthead::app {

struct Resources {
  render::TemplateSet templates;
  http::StaticAssets assets;
  std::unique_ptr<render::Catalogs> catalogs;  // `locale` first, the default
};

// `locale` picks the catalog ("en-US" -> locales/en.toml); unknown locales
// are an error naming the ones available.
// `locale` is the default; `more_locales` are the others readers may choose
// by Accept-Language. Throws std::runtime_error for a locale without a catalog.
std::unique_ptr<Resources> load_resources(const std::string& locale,
                                          const std::vector<std::string>& more_locales = {});

}  // namespace masthead::app
