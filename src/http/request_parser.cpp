// Beast parser callbacks that fill a Request; see request_parser.h.
#include "http/request_parser.h"

#include <algorithm>
#include <boost/beast/http/error.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <limits>

#include "http/ascii.h"

namespace masthead::http {

namespace beast_http = boost::beast::http;

Method method_from_verb(beast_http::verb verb) {
  switch (verb) {
    case beast_http::verb::get:
      return Method::kGet;
    case beast_http::verb::head:
      return Method::kHead;
    case beast_http::verb::post:
      return Method::kPost;
    case beast_http::verb::put:
      return Method::kPut;
    case beast_http::verb::patch:
      return Method::kPatch;
    case beast_http::verb::delete_:
      return Method::kDelete;
    case beast_http::verb::options:
      return Method::kOptions;
    default:
      return Method::kOther;
  }
}

bool split_target(std::string_view target, Request& request) {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return false;
  const boost::urls::url_view& url = *parsed;

  boost::urls::encoding_opts path_opts;  // '+' is a plus in a path
  url.encoded_path().decode(path_opts, boost::urls::string_token::assign_to(request.path));
  if (request.path.empty() || request.path.front() != '/' ||
      request.path.find('\0') != std::string::npos) {
    return false;
  }

  boost::urls::encoding_opts query_opts;
  query_opts.space_as_plus = true;  // application/x-www-form-urlencoded
  std::size_t count = 0;
  for (auto param : url.encoded_params()) {
    if (count == request.query.size()) request.query.emplace_back();
    auto& [key, value] = request.query[count++];
    param.key.decode(query_opts, boost::urls::string_token::assign_to(key));
    if (param.has_value) {
      param.value.decode(query_opts, boost::urls::string_token::assign_to(value));
    } else {
      value.clear();
    }
  }
  request.query.resize(count);
  return true;
}

RequestParser::RequestParser(Request& request, std::size_t max_header_bytes,
                             std::size_t max_body_bytes)
    : request_(request), max_body_bytes_(max_body_bytes) {
  header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  body_limit(static_cast<std::uint64_t>(max_body_bytes));
}

void RequestParser::on_request_impl(beast_http::verb method, string_view, string_view target,
                                    int version, error_code&) {
  request_.method = method_from_verb(method);
  request_.target.assign(target.data(), target.size());
  request_.params.clear();
  request_.body.clear();
  version_ = version;
}

void RequestParser::on_field_impl(beast_http::field name, string_view name_string,
                                  string_view value, error_code&) {
  // Beast reports a chunked body's trailer fields here too. They are not
  // header fields (RFC 9110 section 6.5.1): merging them would let a body
  // smuggle a Host or Cookie past every check made on the header section.
  if (is_header_done()) return;
  if (field_count_ == request_.headers.size()) request_.headers.emplace_back();
  Header& header = request_.headers[field_count_++];
  header.name.assign(name_string.data(), name_string.size());
  header.value.assign(value.data(), value.size());
  if (name == beast_http::field::host) {
    ++host_count_;
  } else if (name == beast_http::field::expect) {
    if (iequals(std::string_view(value.data(), value.size()), "100-continue")) {
      expects_continue_ = true;
    }
  }
}

void RequestParser::on_header_impl(error_code& ec) {
  request_.headers.resize(field_count_);
  if (host_count_ > 1 || (version_ >= 11 && host_count_ == 0)) {
    ec = beast_http::error::bad_field;
    return;
  }
  if (!split_target(request_.target, request_)) {
    ec = beast_http::error::bad_target;
    return;
  }
  // Only "chunked" is understood. RFC 9112: a request whose final coding is
  // not chunked has no reliable length (400); one that applies another
  // coding before chunked ("gzip, chunked") would reach handlers still
  // encoded (501 Not Implemented).
  bool any = false;
  bool last_is_chunked = false;
  bool other = false;
  for (const Header& h : request_.headers) {
    if (!iequals(h.name, "transfer-encoding")) continue;
    std::string_view list = h.value;
    while (!list.empty()) {
      std::string_view coding = trim_ows(next_item(list, ','));
      if (coding.empty()) continue;
      any = true;
      last_is_chunked = iequals(coding, "chunked");
      other = other || !last_is_chunked;
    }
  }
  if (any && !last_is_chunked) {
    ec = beast_http::error::bad_transfer_encoding;
  } else if (other) {
    unsupported_transfer_coding_ = true;
    ec = beast_http::error::bad_transfer_encoding;
  }
}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                                      error_code&) {
  if (content_length) {
    request_.body.reserve(
        static_cast<std::size_t>(std::min<std::uint64_t>(*content_length, max_body_bytes_)));
  }
}

std::size_t RequestParser::on_body_impl(string_view body, error_code&) {
  request_.body.append(body.data(), body.size());
  return body.size();
}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
  request_.body.append(body.data(), body.size());
  return body.size();
}

}  // namespace masthead::http
