// HttpClient: the few HTTPS calls a payment gateway makes, over libcurl.
//
// What it is. A blocking client for server-to-server APIs (Stripe's): POST
// an application/x-www-form-urlencoded body or GET, with extra headers, and
// get back the status, the headers and the body. One call, one curl handle;
// nothing is shared between threads.
//
// The key idea: safe defaults that a caller cannot forget. TLS certificates
// and host names are always verified; only http and https are spoken;
// redirects are never followed (an API that redirects is misconfigured, and
// following one could send the secret key's Authorization header elsewhere);
// every call has a total and a connect timeout; a response body larger than
// max_body is cut off as an error. Proxies: by default libcurl's own rules
// apply (the http_proxy/https_proxy/no_proxy environment variables); the
// options can name a proxy explicitly or turn proxies off ("" = none).
//
// Errors: a Result error means no HTTP response was received (cannot
// resolve or connect, TLS failure, timeout, body too large); its `kind`
// says which, for retry decisions. Any HTTP status, 4xx and 5xx included, is
// a response: the caller decides what it means.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace masthead::payments {

struct HttpOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  // nullopt: libcurl's defaults (environment); "": no proxy at all; else the proxy URL.
  std::optional<std::string> proxy;
  std::string ca_file;  // extra PEM bundle to verify servers with; empty: the system's
  std::string user_agent = "Masthead";
  std::size_t max_body = 4 * 1024 * 1024;
};

using HttpFields = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  long status = 0;
  HttpFields headers;  // in wire order, names as sent
  std::string body;
  // The first header named `name` (ASCII case-insensitive), or "".
  std::string header(std::string_view name) const;
};

struct HttpFailure {
  enum class Kind { kConnect, kTimeout, kTls, kTooLarge, kOther };
  Kind kind = Kind::kOther;
  std::string message;  // curl's description; never a header value
};

// A response or a failure (no std::expected in g++ 12; base::Result carries
// only a message, and retries need the kind).
struct HttpResult {
  std::optional<HttpResponse> response;
  HttpFailure failure;
  explicit operator bool() const { return response.has_value(); }
};

// application/x-www-form-urlencoded: every byte but A-Z a-z 0-9 - . _ ~ as
// %XX (brackets included: "line_items%5B0%5D%5Bprice%5D=price_123").
std::string form_encode(const HttpFields& fields);
// Percent-encodes one path segment (the same set as form_encode).
std::string url_escape(std::string_view text);

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options = {});

  HttpResult post_form(const std::string& url, const HttpFields& form,
                       const HttpFields& headers) const;
  HttpResult get(const std::string& url, const HttpFields& headers) const;

 private:
  HttpResult perform(const std::string& url, const std::string* body,
                     const HttpFields& headers) const;
  HttpOptions options_;
};

}  // namespace masthead::payments
