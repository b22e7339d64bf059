// Fuzz target: raw request bytes through RequestParser, as a connection reads.
//
// This is the first code an attacker's bytes reach. Beast's basic_parser does
// the framing; RequestParser (src/http/request_parser.h) fills a Request from
// its callbacks and adds the Host and origin-form target checks. The driver
// below mirrors Connection::read_request (src/http/connection.cpp): parse the
// header with eager(false), check the whole header block against the limit,
// then eager(true) for the body, feed the buffer as bytes "arrive", and on
// end of input call put_eof. Pipelined requests are parsed one after another
// into the same Request, as on a keep-alive connection.
//
// The first input byte picks how the rest arrives (its low bits: read size 1,
// 7, 64 or all at once) and the limits (a small or the default header and body
// limit), so the incremental paths are fuzzed, not only the one-buffer case.
// Checked beyond "never crashes": an accepted request has an absolute,
// NUL-free path, exactly one Host when HTTP/1.1, a body within the limit,
// headers only from its header section (never from a chunked trailer), and
// parsing it into a reused Request gives what a fresh Request gets.
#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "http/ascii.h"
#include "http/request.h"
#include "http/request_parser.h"

namespace {

namespace http = masthead::http;
namespace beast_http = boost::beast::http;
using error_code = boost::beast::error_code;

constexpr std::size_t kMaxMessages = 8;

struct Limits {
  std::size_t max_header;
  std::size_t max_body;
};

// Bytes arriving in reads of at most `chunk` bytes, like a socket.
class Wire {
 public:
  Wire(std::string_view bytes, std::size_t chunk) : bytes_(bytes), chunk_(chunk) {}
  bool exhausted() const { return sent_ == bytes_.size(); }
  std::size_t sent() const { return sent_; }
  std::string_view bytes() const { return bytes_; }
  void read_into(std::string& buffer) {
    const std::size_t n = std::min(chunk_, bytes_.size() - sent_);
    buffer.append(bytes_.substr(sent_, n));
    sent_ += n;
  }

 private:
  std::string_view bytes_;
  std::size_t chunk_;
  std::size_t sent_ = 0;
};

struct Outcome {
  error_code ec;
  bool complete = false;  // a whole request was parsed
  int version = 0;
};

// Connection::read_request, without the socket.
Outcome read_request(Wire& wire, std::string& buffer, http::Request& request, Limits limits) {
  Outcome out;
  request.method = http::Method::kOther;
  request.target.clear();
  http::RequestParser parser(request, limits.max_header, limits.max_body);
  parser.eager(false);
  std::size_t header_bytes = 0;
  for (;;) {
    if (!buffer.empty()) {
      const bool header_was_done = parser.is_header_done();
      error_code ec;
      const std::size_t used = parser.put(boost::asio::buffer(buffer.data(), buffer.size()), ec);
      FUZZ_CHECK(used <= buffer.size(), "the parser consumes only what it was given");
      buffer.erase(0, used);
      if (ec == beast_http::error::need_more) {
        ec = {};
      } else if (ec) {
        out.ec = ec;
        return out;
      }
      if (!header_was_done) {
        header_bytes += used;
        if (parser.is_header_done()) {
          if (header_bytes > limits.max_header) {
            out.ec = beast_http::error::header_limit;
            return out;
          }
          parser.eager(true);
        }
      }
      if (parser.is_done()) {
        out.complete = true;
        out.version = parser.version();
        return out;
      }
      if (used > 0 && !buffer.empty()) continue;
    }
    if (wire.exhausted()) {
      if (parser.got_some()) {
        error_code eof_ec;
        parser.put_eof(eof_ec);
        out.ec = eof_ec ? eof_ec : error_code(beast_http::error::partial_message);
      } else {
        out.ec = beast_http::error::end_of_stream;
      }
      return out;
    }
    wire.read_into(buffer);
  }
}

// The header section of one whole message: up to and including the CRLF that
// ends its last field line.
std::string_view header_section(std::string_view message) {
  const std::size_t end = message.find("\r\n\r\n");
  return end == std::string_view::npos ? message : message.substr(0, end + 2);
}

void check_accepted(const http::Request& request, std::string_view message, int version,
                    const Limits& limits) {
  FUZZ_CHECK(!request.path.empty() && request.path.front() == '/', "the path is absolute");
  FUZZ_CHECK(request.path.find('\0') == std::string::npos, "the path has no NUL");
  FUZZ_CHECK(request.body.size() <= limits.max_body, "the body is within the limit");
  int hosts = 0;
  for (const auto& header : request.headers) hosts += http::iequals(header.name, "host") ? 1 : 0;
  FUZZ_CHECK(hosts <= 1, "never two Host headers");
  FUZZ_CHECK(version < 11 || hosts == 1, "HTTP/1.1 has exactly one Host");

  // Fields of a chunked trailer are not header fields (RFC 9110 section 6.5.1):
  // a handler must not see them as headers, which were checked before them.
  const std::string_view section = header_section(message);
  std::size_t lines = 0;
  for (std::size_t at = section.find("\r\n"); at != std::string_view::npos;
       at = section.find("\r\n", at + 2)) {
    ++lines;
  }
  FUZZ_CHECK(request.headers.size() < std::max<std::size_t>(lines, 1),
             "no more headers than field lines in the header section");
  for (const auto& header : request.headers) {
    FUZZ_CHECK(section.find(header.name) != std::string_view::npos,
               "every header comes from the header section, none from a chunked trailer");
  }
}

bool same_request(const http::Request& a, const http::Request& b) {
  if (a.method != b.method || a.target != b.target || a.path != b.path || a.query != b.query ||
      a.body != b.body || a.headers.size() != b.headers.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.headers.size(); ++i) {
    if (a.headers[i].name != b.headers[i].name || a.headers[i].value != b.headers[i].value)
      return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  constexpr std::size_t kChunks[] = {1, 7, 64, static_cast<std::size_t>(-1)};
  const std::size_t chunk = kChunks[mode & 3];
  const Limits limits = (mode & 4) ? Limits{1024, 64} : Limits{16 * 1024, 1024 * 1024};

  Wire wire(bytes, chunk);
  std::string buffer;
  http::Request request;  // reused across the pipelined requests, as a Connection does
  for (std::size_t i = 0; i < kMaxMessages; ++i) {
    const std::size_t start = wire.sent() - buffer.size();
    const Outcome outcome = read_request(wire, buffer, request, limits);
    if (!outcome.complete) break;
    const std::string_view message =
        wire.bytes().substr(start, wire.sent() - buffer.size() - start);
    check_accepted(request, message, outcome.version, limits);

    // The same message, all at once, into a fresh Request: neither the way
    // the bytes arrived nor the capacity reused from an earlier request may
    // change what the handler sees.
    Wire whole(message, message.size());
    std::string whole_buffer;
    http::Request fresh;
    const Outcome again = read_request(whole, whole_buffer, fresh, limits);
    FUZZ_CHECK(again.complete && whole_buffer.empty(), "a message parses the same all at once");
    FUZZ_CHECK(again.version == outcome.version, "the same version either way");
    FUZZ_CHECK(same_request(request, fresh), "a reused Request holds only the new message");
  }
  return 0;
}
