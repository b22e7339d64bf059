// If-None-Match parsing and weak comparison; see etag.h.
#include "http/etag.h"

#include "http/ascii.h"

namespace masthead::http {

namespace {

// The opaque part of an entity tag: without W/ and without the quotes.
std::string_view opaque(std::string_view tag) {
  tag = trim_ows(tag);
  if (tag.size() >= 2 && tag[0] == 'W' && tag[1] == '/') tag.remove_prefix(2);
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') {
    tag = tag.substr(1, tag.size() - 2);
  }
  return tag;
}

}  // namespace

bool if_none_match_lists(std::string_view list, std::string_view etag) {
  const std::string_view wanted = opaque(etag);
  while (!list.empty()) {
    while (!list.empty() && (is_ows(list.front()) || list.front() == ',')) list.remove_prefix(1);
    if (list.empty()) break;
    if (list.front() == '*') {
      std::string_view after = trim_ows(list.substr(1));
      if (after.empty() || after.front() == ',') return true;
    }
    if (list.size() >= 2 && list[0] == 'W' && list[1] == '/') list.remove_prefix(2);
    if (!list.empty() && list.front() == '"') {
      std::size_t close = list.find('"', 1);
      if (close == std::string_view::npos) return false;  // unterminated: ignore the rest
      if (list.substr(1, close - 1) == wanted) return true;
      list.remove_prefix(close + 1);
      continue;
    }
    // Not an entity tag: skip to the next list member.
    std::size_t comma = list.find(',');
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

bool matches_if_none_match(const Request& request, std::string_view etag) {
  for (const Header& h : request.headers) {
    if (iequals(h.name, "if-none-match") && if_none_match_lists(h.value, etag)) return true;
  }
  return false;
}

}  // namespace masthead::http
