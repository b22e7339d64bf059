// Fuzz target: message catalogs (render::MessageCatalog::load).
//
// Catalogs are TOML files of ICU MessageFormat patterns, written by
// translators rather than attackers, but load() is documented to reject every
// malformed file with CatalogError, so a crash or any other exception is a
// bug: a bad translation must stop the server with a message, not bring it
// down with a signal. On success, every key is formatted once with a few
// typical arguments (formatting may fail with CatalogError for a string given
// to a plural, and returns the key itself for an unknown key).
//
// toml++ and ICU are system libraries without coverage instrumentation; the
// seeds are the shipped locales/en.toml and a few small catalogs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "render/message_catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace render = masthead::render;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const render::MessageCatalog catalog = render::MessageCatalog::load("en", text, "fuzz.toml");
    FUZZ_CHECK(catalog.locale() == "en", "the locale is the one asked for");
    FUZZ_CHECK(catalog.keys().size() == catalog.size(), "keys() lists every message");
    for (const std::string& key : catalog.keys()) {
      FUZZ_CHECK(catalog.has(key), "every listed key is there");
      try {
        (void)catalog.format(key, {{"count", 3}, {"name", "Ada"}, {"date", "18 November"}});
      } catch (const render::CatalogError&) {
        // a pattern that wants other argument types: reported, not fatal
      }
    }
    FUZZ_CHECK(catalog.format("no.such.key") == "no.such.key" || catalog.has("no.such.key"),
               "an unknown key formats as itself");
  } catch (const render::CatalogError& e) {
    FUZZ_CHECK(std::string_view(e.what()).starts_with("fuzz.toml:"), "errors name the file");
  }
  return 0;
}
