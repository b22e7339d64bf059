// Header block serialization and content-coding choice; see response_writer.h.
#include "http/response_writer.h"

#include <boost/beast/http/status.hpp>
#include <charconv>

#include "http/ascii.h"
#include "http/gzip.h"
#include "http/mime.h"

namespace masthead::http {

namespace {

bool has_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    std::string_view item = trim_ows(next_item(list, ','));
    if (iequals(item, token) || item == "*") return true;
  }
  return false;
}

bool is_framing_header(std::string_view name) {
  return iequals(name, "content-length") || iequals(name, "transfer-encoding") ||
         iequals(name, "connection") || iequals(name, "keep-alive");
}

bool has_header(const Response& response, std::string_view name) {
  for (const Header& h : response.headers) {
    if (iequals(h.name, name)) return true;
  }
  return false;
}

void append_number(std::string& out, std::size_t value) {
  char digits[24];
  auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, result.ptr);
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

const char* response_problem(const Response& response) {
  if (response.status < 200 || response.status > 599) return "status outside 200..599";
  for (const Header& h : response.headers) {
    if (!is_token(h.name)) return "header name is not a token";
    if (h.value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return "header value contains CR, LF or NUL";
    }
  }
  return nullptr;
}

WirePlan write_head(const Response& response, const WriteContext& context, std::string& head,
                    std::string& gzip_scratch) {
  WirePlan plan;
  plan.keep_alive = context.keep_alive;
  const int status = response.status;
  const bool is_head = context.request != nullptr && context.request->method == Method::kHead;
  const bool bodiless_status = status == 204 || status == 304;

  // Content coding.
  std::string_view body = response.body_view();
  bool vary = false;
  bool weaken_etag = false;
  if (status == 304) {
    // A 304 carries the Vary its 200 would have; it has no body to measure.
    vary = !has_header(response, "content-encoding") &&
           is_compressible(response.header("content-type"));
  } else if (!bodiless_status && body.size() >= context.gzip_min_bytes &&
             !has_header(response, "content-encoding") &&
             is_compressible(response.header("content-type"))) {
    vary = true;
    if (context.request != nullptr && accepts_gzip(*context.request)) {
      if (response.shared_gzip_body) {
        body = *response.shared_gzip_body;
        plan.gzipped = true;
      } else if (!is_head) {
        gzip_into(body, gzip_scratch);
        if (gzip_scratch.size() < body.size()) {
          body = gzip_scratch;
          plan.gzipped = true;
          weaken_etag = true;
        }
      }
    }
  }

  // Status line.
  head.clear();
  head.append("HTTP/1.1 ");
  append_number(head, static_cast<std::size_t>(status));
  head.push_back(' ');
  auto reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  if (!reason.empty() && reason.front() != '<') head.append(reason.data(), reason.size());
  head.append("\r\n");

  // The handler's headers, minus framing.
  bool has_date = false;
  for (const Header& h : response.headers) {
    if (is_framing_header(h.name)) {
      if (iequals(h.name, "connection") && has_token(h.value, "close")) plan.keep_alive = false;
      continue;
    }
    if (iequals(h.name, "date")) {
      has_date = true;
    } else if (vary && iequals(h.name, "vary")) {
      if (!has_token(h.value, "accept-encoding")) {
        head.append(h.name).append(": ").append(h.value).append(", Accept-Encoding\r\n");
      } else {
        append_header(head, h.name, h.value);
      }
      vary = false;  // merged
      continue;
    } else if (weaken_etag && iequals(h.name, "etag") && !h.value.starts_with("W/")) {
      head.append(h.name).append(": W/").append(h.value).append("\r\n");
      continue;
    }
    append_header(head, h.name, h.value);
  }

  // What the server adds.
  if (!has_date && !context.date.empty()) append_header(head, "Date", context.date);
  if (!bodiless_status) {
    head.append("Content-Length: ");
    append_number(head, body.size());
    head.append("\r\n");
  }
  if (plan.gzipped) append_header(head, "Content-Encoding", "gzip");
  if (vary) append_header(head, "Vary", "Accept-Encoding");
  if (context.default_headers != nullptr) {
    for (const Header& d : *context.default_headers) {
      if (!has_header(response, d.name)) append_header(head, d.name, d.value);
    }
  }
  if (!plan.keep_alive) {
    append_header(head, "Connection", "close");
  } else if (context.version < 11) {
    append_header(head, "Connection", "keep-alive");
  }
  head.append("\r\n");

  plan.body = (is_head || bodiless_status) ? std::string_view{} : body;
  return plan;
}

}  // namespace masthead::http
