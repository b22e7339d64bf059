// RequestParser: Beast's HTTP/1.1 parser, filling a Request directly.
//
// Beast's basic_parser does the hard, security-sensitive part (request line
// and field syntax, Content-Length vs chunked framing, header and body
// limits) and calls back for each piece. This derived class writes those
// pieces straight into a Request, reusing the capacity of its strings and
// vectors from the previous request on the connection, so a keep-alive
// connection parses without building Beast's own message and field list.
//
// When the header block is complete it also checks what Beast does not:
// HTTP/1.1 needs exactly one Host, and the target must be origin-form
// ("/path?query") per Boost.URL, with a percent-decoded path that is
// absolute and free of NUL. Violations surface as Beast parse errors
// (bad_field / bad_target), so the caller maps every syntax problem to 400 in
// one place. Internal to src/http: this header includes Beast.
//
// A parser object parses one message; the connection makes a fresh one per
// request (it is a few words of state) but keeps the Request it fills.
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <cstddef>
#include <string_view>

#include "http/request.h"

namespace masthead::http {

// Splits an origin-form target into request.path and request.query
// (percent-decoded; '+' in the query is a space). False when the target is
// not origin-form or its decoded path is not absolute or contains NUL.
bool split_target(std::string_view target, Request& request);

Method method_from_verb(boost::beast::http::verb verb);

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  RequestParser(Request& request, std::size_t max_header_bytes, std::size_t max_body_bytes);

  int version() const { return version_; }
  bool expects_continue() const { return expects_continue_; }
  // The request named a transfer coding other than chunked (RFC 9112 6.1:
  // the server answers 501 Not Implemented).
  bool unsupported_transfer_coding() const { return unsupported_transfer_coding_; }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb method, string_view method_str, string_view target,
                       int version, error_code& ec) override;
  void on_response_impl(int, string_view, int, error_code&) override {}
  void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         error_code& ec) override;
  std::size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
  void on_finish_impl(error_code&) override {}

  Request& request_;
  std::size_t max_body_bytes_;
  bool unsupported_transfer_coding_ = false;
  std::size_t field_count_ = 0;
  int host_count_ = 0;
  int version_ = 11;
  bool expects_continue_ = false;
};

}  // namespace masthead::http
