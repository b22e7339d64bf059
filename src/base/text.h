// Small text helpers shared by every module: trimming, splitting, joining,
// ASCII case folding, word counting and UTF-8 validation. Byte-oriented and
// locale-free on purpose; anything that needs Unicode knowledge (slugs from
// names, plural forms, dates) uses ICU in the module that needs it. HTML
// escaping lives in render (render/html_escape.h), next to the templates.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace masthead::base {

std::string_view trim(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char separator);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::string to_lower_ascii(std::string_view s);
bool iequals_ascii(std::string_view a, std::string_view b);
// Words as a reader would count them: runs of non-space bytes.
std::size_t word_count(std::string_view s);
// Replaces every occurrence of `from` (non-empty) with `to`.
std::string replace_all(std::string_view s, std::string_view from, std::string_view to);
// True when `s` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool is_valid_utf8(std::string_view s);

}  // namespace masthead::base
