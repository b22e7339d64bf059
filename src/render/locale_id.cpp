// parse_locale_id: BCP 47 (or ICU legacy) id -> icu::Locale. See locale_id.h.
#include "render/locale_id.h"

#include <stdexcept>
#include <string>

namespace masthead::render {

icu::Locale parse_locale_id(std::string_view id) {
  std::string tag(id);
  for (char& c : tag) {
    if (c == '_') c = '-';
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(tag, status);
  if (U_FAILURE(status) || locale.isBogus() || locale.getLanguage()[0] == '\0') {
    throw std::invalid_argument("malformed locale id '" + std::string(id) + "'");
  }
  return locale;
}

}  // namespace masthead::render
