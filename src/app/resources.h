// Resources: the templates, static assets and message catalogs the binary
// carries (embedded_files.h), loaded once at start-up into the objects the
// site renders with. A template that does not compile or a catalog that does
// not parse stops start-up with a clear message instead of failing a request.
#pragma once

#include <memory>
#include <string>

#include "http/static_assets.h"
#include "render/message_catalog.h"
#include "render/template_set.h"

namespace masthead::app {

struct Resources {
  render::TemplateSet templates;
  http::StaticAssets assets;
  std::unique_ptr<render::MessageCatalog> messages;
};

// `locale` picks the catalog ("en-US" -> locales/en.toml); unknown locales
// are an error naming the ones available.
std::unique_ptr<Resources> load_resources(const std::string& locale);

}  // namespace masthead::app
