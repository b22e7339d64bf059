// ASCII helpers for protocol text: header names, tokens, parameters.
//
// HTTP is case-insensitive in exactly the places where ASCII case folding is
// the right tool (field names, codings, cookie attributes), and locale-aware
// functions such as std::tolower are both slower and wrong there. Everything
// here is constexpr-friendly, allocation-free and never reads past the views
// it is given. Internal to src/http; other modules have src/base for text.
#pragma once

#include <cstddef>
#include <string_view>

namespace masthead::http {

constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

// True when `text` begins with `prefix`, ignoring ASCII case.
constexpr bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

constexpr bool is_ows(char c) {
  return c == ' ' || c == '\t';
}

// Strips optional whitespace (SP and HTAB) from both ends.
constexpr std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 9110 tchar: the characters allowed in a token (field names, methods,
// cookie names).
constexpr bool is_tchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return c != '\0' && std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

constexpr bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

// Splits `list` at the first `separator`: returns the part before it and
// leaves the rest (after the separator) in `list`; an exhausted list is empty.
constexpr std::string_view next_item(std::string_view& list, char separator) {
  std::size_t at = list.find(separator);
  std::string_view item = list.substr(0, at);
  list = at == std::string_view::npos ? std::string_view{} : list.substr(at + 1);
  return item;
}

}  // namespace masthead::http
