// Entity tags: does a conditional GET's If-None-Match name the current tag?
//
// If-None-Match carries "*" or a comma-separated list of entity tags, each
// optionally prefixed with W/ (weak). RFC 9110 §13.1.2 says a server compares
// them with the weak comparison: W/"x" matches "x" and vice versa, because
// the question is only "does the client already have this representation".
// Entity tags may legally contain commas, so the list is parsed quote by
// quote, not split at commas. Junk in the header is skipped, never fatal:
// the worst outcome of a malformed header is a full 200 response.
#pragma once

#include <string_view>

#include "http/request.h"

namespace masthead::http {

// `etag` is the value of the response's ETag header, e.g. "\"a1b2\"" or
// "W/\"a1b2\"". True when any If-None-Match header lists it or is "*".
bool matches_if_none_match(const Request& request, std::string_view etag);

// Same test against one If-None-Match field value.
bool if_none_match_lists(std::string_view if_none_match, std::string_view etag);

}  // namespace masthead::http
