// Tests of HttpClient against a tiny HTTP server in this file (a thread on a
// loopback port that records each request and answers with a canned
// response): what goes on the wire (method, headers, the form encoding),
// that redirects are returned and never followed, the failure kinds
// (nothing listening, a server that never answers, a body over the limit),
// and the proxy switch: with a bogus http_proxy in the environment, the
// default obeys it and fails, "" goes direct, an explicit proxy gets the
// absolute URL.
//
// No test sleeps or measures time. HttpClient is blocking and the tiny
// server records a request before it answers, so whatever reached a server
// is recorded when the call returns. The silent server holds its answer on a
// condition variable until the test ends (or a bound far beyond the client's
// timeout), so a kTimeout can only be the client's own timeout.
#include "payments/http_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace masthead::payments {
namespace {

using namespace std::chrono_literals;

// Accepts connections one at a time and answers each with `response`; a
// silent server (`hold` > 0) keeps each answer back until it is destroyed or
// `hold` has passed. Stops (and closes) on destruction.
class TinyServer {
 public:
  explicit TinyServer(std::string response, std::chrono::milliseconds hold = 0ms)
      : response_(std::move(response)), hold_(hold) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 8) != 0)
      throw std::runtime_error("bind/listen failed");
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~TinyServer() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    stopped_.notify_all();
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  bool stopping() {
    std::lock_guard lock(mutex_);
    return stop_;
  }

  void run() {
    while (!stopping()) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string req;
      char buf[4096];
      for (;;) {
        const std::size_t end = req.find("\r\n\r\n");
        if (end != std::string::npos) {
          std::size_t length = 0;
          const std::size_t cl = req.find("Content-Length: ");
          if (cl != std::string::npos && cl < end) length = std::stoul(req.substr(cl + 16));
          if (req.size() >= end + 4 + length) break;
        }
        const ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        req.append(buf, static_cast<std::size_t>(n));
      }
      {
        std::unique_lock lock(mutex_);
        requests_.push_back(req);
        if (hold_ > 0ms) stopped_.wait_for(lock, hold_, [&] { return stop_; });
      }
      ::send(c, response_.data(), response_.size(), MSG_NOSIGNAL);
      ::close(c);
    }
  }

  std::string response_;
  std::chrono::milliseconds hold_;
  int fd_ = -1;
  int port_ = 0;
  std::mutex mutex_;  // guards stop_ and requests_
  std::condition_variable stopped_;
  bool stop_ = false;
  std::vector<std::string> requests_;
  std::thread thread_;
};

std::string ok(const std::string& body, const std::string& extra = "") {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nContent-Type: application/json\r\n" + extra + "Connection: close\r\n\r\n" + body;
}

HttpOptions direct() {
  HttpOptions o;
  o.proxy = "";
  o.timeout = 5s;
  return o;
}

TEST(FormEncode, EscapesEverythingButUnreserved) {
  EXPECT_EQ(form_encode({{"line_items[0][price]", "price_123"}, {"a b", "x&y=z/é~._-"}}),
            "line_items%5B0%5D%5Bprice%5D=price_123&a%20b=x%26y%3Dz%2F%C3%A9~._-");
  EXPECT_EQ(form_encode({}), "");
  EXPECT_EQ(url_escape("sub_1/../x?y"), "sub_1%2F..%2Fx%3Fy");
}

TEST(HttpClient, PostsAFormWithHeaders) {
  TinyServer server(ok("{\"id\":\"x\"}", "Request-Id: req_42\r\n"));
  HttpClient client(direct());
  HttpResult r =
      client.post_form(server.url("/v1/things"), {{"a", "1"}, {"b[c]", "2 3"}},
                       {{"Authorization", "Bearer sk_test_x"}, {"Idempotency-Key", "k"}});
  ASSERT_TRUE(r) << r.failure.message;
  EXPECT_EQ(r.response->status, 200);
  EXPECT_EQ(r.response->body, "{\"id\":\"x\"}");
  EXPECT_EQ(r.response->header("request-id"), "req_42");
  EXPECT_EQ(r.response->header("missing"), "");
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  const std::string& req = reqs[0];
  EXPECT_TRUE(req.starts_with("POST /v1/things HTTP/1.1\r\n")) << req;
  EXPECT_NE(req.find("\r\nAuthorization: Bearer sk_test_x\r\n"), std::string::npos);
  EXPECT_NE(req.find("\r\nIdempotency-Key: k\r\n"), std::string::npos);
  EXPECT_NE(req.find("\r\nContent-Type: application/x-www-form-urlencoded\r\n"), std::string::npos);
  EXPECT_EQ(req.find("Expect:"), std::string::npos);
  EXPECT_TRUE(req.ends_with("\r\n\r\na=1&b%5Bc%5D=2%203")) << req;
}

TEST(HttpClient, GetsAndReturnsErrorStatusesAsResponses) {
  TinyServer server("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
  HttpResult r = HttpClient(direct()).get(server.url("/v1/subscriptions/sub_x"), {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r.response->status, 404);
  EXPECT_TRUE(server.requests().at(0).starts_with("GET /v1/subscriptions/sub_x HTTP/1.1"));
}

TEST(HttpClient, NeverFollowsRedirects) {
  TinyServer elsewhere(ok("followed"));
  TinyServer server("HTTP/1.1 302 Found\r\nLocation: " + elsewhere.url("/steal") +
                    "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  HttpResult r = HttpClient(direct()).post_form(server.url(), {{"a", "1"}},
                                                {{"Authorization", "Bearer sk_test_x"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r.response->status, 302);
  // post_form() has returned: a followed redirect would be recorded already.
  EXPECT_TRUE(elsewhere.requests().empty());
}

TEST(HttpClient, NothingListeningIsAConnectFailure) {
  int port;
  {
    TinyServer s(ok(""));
    port = s.port();
  }
  HttpResult r = HttpClient(direct()).get("http://127.0.0.1:" + std::to_string(port) + "/", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.failure.kind, HttpFailure::Kind::kConnect) << r.failure.message;
}

TEST(HttpClient, ASilentServerTimesOut) {
  // The answer is held until the server is destroyed (at the latest after
  // 60 s, far beyond the timeout): only the client's timeout can end the call.
  TinyServer server(ok("late"), 60s);
  HttpOptions o = direct();
  o.timeout = 300ms;
  HttpResult r = HttpClient(o).get(server.url(), {});
  ASSERT_FALSE(r) << "answered: the timeout was not applied";
  EXPECT_EQ(r.failure.kind, HttpFailure::Kind::kTimeout) << r.failure.message;
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(HttpClient, RefusesBodiesOverTheLimit) {
  TinyServer server(ok(std::string(5000, 'x')));
  HttpOptions o = direct();
  o.max_body = 4096;
  HttpResult r = HttpClient(o).get(server.url(), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.failure.kind, HttpFailure::Kind::kTooLarge);
}

TEST(HttpClient, OnlyHttpAndHttps) {
  HttpResult r = HttpClient(direct()).get("file:///etc/passwd", {});
  EXPECT_FALSE(r);
}

TEST(HttpClient, ProxyFromTheEnvironmentUnlessTurnedOff) {
  TinyServer server(ok("direct"));
  TinyServer proxy(ok("via proxy"));
  // A proxy that does not exist, from the environment (saved and restored).
  int dead_port;
  {
    TinyServer s(ok(""));
    dead_port = s.port();
  }
  const char* names[] = {"http_proxy", "HTTP_PROXY", "no_proxy",
                         "NO_PROXY",   "all_proxy",  "ALL_PROXY"};
  std::vector<std::pair<std::string, std::optional<std::string>>> saved;
  for (const char* n : names) {
    const char* v = std::getenv(n);
    saved.emplace_back(n, v ? std::optional<std::string>(v) : std::nullopt);
    ::unsetenv(n);
  }
  ::setenv("http_proxy", ("http://127.0.0.1:" + std::to_string(dead_port)).c_str(), 1);

  HttpOptions o = direct();
  o.proxy = std::nullopt;  // libcurl's default: the environment
  HttpResult via_env = HttpClient(o).get(server.url("/x"), {});
  o.proxy = "";  // none
  HttpResult none = HttpClient(o).get(server.url("/x"), {});
  o.proxy = proxy.url("");  // explicit
  HttpResult explicit_proxy = HttpClient(o).get(server.url("/x"), {});

  for (auto& [n, v] : saved) {
    if (v)
      ::setenv(n.c_str(), v->c_str(), 1);
    else
      ::unsetenv(n.c_str());
  }
  EXPECT_FALSE(via_env) << "the environment's proxy was ignored";
  ASSERT_TRUE(none) << none.failure.message;
  EXPECT_EQ(none.response->body, "direct");
  ASSERT_TRUE(explicit_proxy) << explicit_proxy.failure.message;
  EXPECT_EQ(explicit_proxy.response->body, "via proxy");
  ASSERT_EQ(proxy.requests().size(), 1u);
  EXPECT_TRUE(proxy.requests()[0].starts_with("GET " + server.url("/x") + " HTTP/1.1"))
      << proxy.requests()[0];
}

}  // namespace
}  // namespace masthead::payments
