// Locale ids: the one place render turns a configured string into an
// icu::Locale.
//
// Masthead writes locales as BCP 47 tags ("en-GB", "ja-JP", "zh-Hant-TW");
// ICU's legacy spelling with underscores ("en_GB") is accepted too. Anything
// ICU cannot parse as a tag, or that has no language subtag, is rejected with
// std::invalid_argument, so a typo in the site configuration fails at startup
// instead of silently formatting with ICU's root locale. A well-formed tag for
// a language ICU has no data for ("xx") is accepted: ICU falls back to root,
// as it would for a language it does not know.
//
// Internal to src/render: it exposes ICU types, which the module's public
// headers do not.
#pragma once

#include <string_view>

#include <unicode/locid.h>

namespace masthead::render {

icu::Locale parse_locale_id(std::string_view id);

}  // namespace masthead::render
