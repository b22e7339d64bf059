// Fuzz target: the small HTTP parsers that run on every request.
//
// Beast frames a request; what it hands over (the target, Cookie,
// If-None-Match, Accept-Encoding) is still attacker-chosen text that our own
// helpers take apart: split_target (Boost.URL underneath), Request::cookie,
// Request::query_param, if_none_match_lists and accepts_gzip. The input is
// split at its first newlines into those fields:
//
//   target \n cookie-header \n if-none-match \n etag-text \n accept-encoding
//
// (missing fields are empty), so one corpus file describes one request.
// Checked beyond "never crashes":
//  - split_target's promises (absolute path, no NUL) and that reusing a
//    Request, as a keep-alive connection does, gives the same result as a
//    fresh one;
//  - query_param returns the first parameter of a name; every cookie the
//    header plainly names is found, as a view into the header itself;
//  - "*" matches any tag, and the weak comparison treats "t" and W/"t" alike;
//  - a request's several headers give the same answers as the one value.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "http/ascii.h"
#include "http/etag.h"
#include "http/gzip.h"
#include "http/request.h"
#include "http/request_parser.h"

namespace {

namespace http = masthead::http;

std::vector<std::string_view> fields(std::string_view input, std::size_t count) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < count) {
    const std::size_t nl = input.find('\n');
    if (nl == std::string_view::npos) break;
    out.push_back(input.substr(0, nl));
    input.remove_prefix(nl + 1);
  }
  out.push_back(input);
  out.resize(count);
  return out;
}

void check_target(std::string_view target) {
  http::Request fresh;
  const bool ok = http::split_target(target, fresh);

  http::Request reused;  // as left by an earlier request on the connection
  reused.path = "/stale/path/that/is/long";
  reused.query = {{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}, {"e", "5"}};
  FUZZ_CHECK(http::split_target(target, reused) == ok, "split_target does not depend on reuse");
  if (!ok) return;

  FUZZ_CHECK(fresh.path == reused.path, "a reused Request gets the same path");
  FUZZ_CHECK(fresh.query == reused.query, "a reused Request gets the same query, no stale pairs");
  FUZZ_CHECK(!fresh.path.empty() && fresh.path.front() == '/', "the path is absolute");
  FUZZ_CHECK(fresh.path.find('\0') == std::string::npos, "the path has no NUL");
  for (std::size_t i = 0; i < fresh.query.size(); ++i) {
    const auto& [key, value] = fresh.query[i];
    const auto found = fresh.query_param(key);
    FUZZ_CHECK(found.has_value(), "every query key is found");
    std::size_t first = 0;
    while (fresh.query[first].first != key) ++first;
    FUZZ_CHECK(found->data() == fresh.query[first].second.data(),
               "query_param returns the first parameter of that name");
  }
}

void check_cookies(std::string_view header_value, std::string_view other_name) {
  http::Request request;
  request.headers.push_back({"Cookie", std::string(header_value)});
  const std::string& stored = request.headers.back().value;
  const auto inside = [&stored](std::string_view v) {
    return v.data() >= stored.data() && v.data() + v.size() <= stored.data() + stored.size();
  };

  std::string_view list = stored;
  while (!list.empty()) {
    const std::string_view pair = http::trim_ows(http::next_item(list, ';'));
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = http::trim_ows(pair.substr(0, eq));
    if (name.empty()) continue;
    const auto value = request.cookie(name);
    FUZZ_CHECK(value.has_value(), "a cookie the header names is found");
    FUZZ_CHECK(inside(*value), "a cookie value is a view into the header");
  }
  if (const auto value = request.cookie(other_name)) {
    FUZZ_CHECK(inside(*value), "a cookie value is a view into the header");
  }
  FUZZ_CHECK(!request.cookie("").has_value(), "the empty name is no cookie");
}

void check_etag(std::string_view if_none_match, std::string_view etag_text) {
  const bool listed = http::if_none_match_lists(if_none_match, etag_text);
  http::Request request;
  request.headers.push_back({"If-None-Match", "W/\"no-such-tag\""});
  request.headers.push_back({"if-none-match", std::string(if_none_match)});
  FUZZ_CHECK(http::matches_if_none_match(request, etag_text) ==
                 (listed || http::if_none_match_lists("W/\"no-such-tag\"", etag_text)),
             "several If-None-Match headers are tried in turn");

  std::string opaque;  // a well-formed tag built from the text
  for (char c : etag_text)
    if (c != '"') opaque += c;
  const std::string strong = "\"" + opaque + "\"";
  const std::string weak = "W/" + strong;
  FUZZ_CHECK(http::if_none_match_lists(if_none_match, strong) ==
                 http::if_none_match_lists(if_none_match, weak),
             "weak comparison: \"t\" and W/\"t\" match the same lists");
  FUZZ_CHECK(http::if_none_match_lists("*", strong), "* matches any tag");
}

void check_accept_encoding(std::string_view accept_encoding) {
  const bool accepts = http::accepts_gzip(accept_encoding);
  http::Request request;
  request.headers.push_back({"Accept-Encoding", std::string(accept_encoding)});
  FUZZ_CHECK(http::accepts_gzip(request) == accepts, "one header, one answer");
  request.headers.push_back({"accept-encoding", "gzip;q=0"});
  FUZZ_CHECK(!http::accepts_gzip(request) || accepts || accept_encoding.empty(),
             "a later gzip;q=0 never turns a refusal into acceptance");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string_view> f = fields(input, 5);
  check_target(f[0]);
  check_cookies(f[1], f[3]);
  check_etag(f[2], f[3]);
  check_accept_encoding(f[4]);
  return 0;
}
