// SmtpSender against a real SMTP server on loopback: tests/tools/smtp_sink.py
// (aiosmtpd), started per test on port 0. Each test sends through libcurl
// and reads what the sink filed (.eml and .json), or checks how the sender
// classified the server's refusal. STARTTLS is tested with a self-signed
// certificate made by the openssl command: verified against it when it is
// the configured CA, refused when it is not (verification is always on).
//
// No test sleeps. SmtpSender::send() is synchronous and the sink files a
// message before it answers 250, so what was delivered is on disk when
// send() returns; wait_for() still polls (base/testing/wait_until.h) for the
// courier's thread. A test that expects nothing delivered checks the count
// right after the refused send: a mail that had gone out would be there.
//
// These tests start a Python process, so CTest labels them `integration`
// (not `unit`: the sanitizer pass runs in-process tests only); the checks of
// SmtpConfig, which need no server, are smtp_config_test.cpp in mail_test.
//
// Skipped (GTEST_SKIP) only when python3 is not on PATH.
#include "mail/smtp_sender.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "base/iso_time.h"
#include "base/testing/wait_until.h"
#include "mail/courier.h"
#include "tools/child_process.h"

namespace masthead::mail {
namespace {

using namespace std::chrono_literals;
using masthead::testing::ChildProcess;
using masthead::testing::TempDir;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class SmtpSink {
 public:
  explicit SmtpSink(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {
        *masthead::testing::find_in_path("python3"),
        (masthead::testing::source_dir() / "tests/tools/smtp_sink.py").string(), "--dir",
        dir_.path().string(), "--exit-on-stdin-eof"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    child_ = std::make_unique<ChildProcess>(argv);
    port_ = masthead::testing::port_from_line(child_->wait_for_line("listening on", 20s));
  }
  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  // The n-th message (1-based) and its envelope are filed (the .json is
  // written last), waiting up to 10 s for them.
  bool wait_for(int n) {
    return base::testing::wait_until([&] { return std::filesystem::exists(file(n, ".json")); },
                                     10s);
  }
  std::string eml(int n) const { return slurp(file(n, ".eml")); }
  std::string envelope(int n) const { return slurp(file(n, ".json")); }
  std::size_t count() const {
    std::size_t n = 0;
    for (auto& e : std::filesystem::directory_iterator(dir_.path()))
      if (e.path().extension() == ".eml") ++n;
    return n;
  }
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  std::filesystem::path file(int n, const char* ext) const {
    char stem[16];
    std::snprintf(stem, sizeof stem, "%06d", n);
    return dir_.path() / (std::string(stem) + ext);
  }
  TempDir dir_;
  std::unique_ptr<ChildProcess> child_;
  int port_ = 0;
};

#define REQUIRE_PYTHON()                                                                  \
  if (!masthead::testing::find_in_path("python3"))                                        \
  GTEST_SKIP() << "python3 is not on PATH: the SMTP tests need tests/tools/smtp_sink.py " \
                  "(python3 and python3-aiosmtpd; scripts/install-deps installs them)"

QueuedMail queued(std::string to, std::string subject, std::string body) {
  return QueuedMail{42, Message{std::move(to), std::move(subject), std::move(body)},
                    "5f3c0ffee5f3c0ffee5f3c0ffee5f3c0",
                    *base::parse_iso8601("2026-11-18T07:30:00Z"), 0};
}

SmtpConfig config_for(const SmtpSink& sink) {
  SmtpConfig c;
  c.url = sink.url();
  c.from = "news@gazette.test";
  c.from_name = "The Test Gazette";
  c.timeout = 10s;
  return c;
}

TEST(SmtpSender, DeliversAWellFormedMessage) {
  REQUIRE_PYTHON();
  SmtpSink sink;
  ASSERT_GT(sink.port(), 0) << "smtp_sink.py did not start";
  SmtpSender sender(config_for(sink));
  const std::string link = "https://gazette.test/account/confirm?token=abc123&x=1";
  SendOutcome o = sender.send(queued("reader@example.com", "Bestätigen Sie Ihre Adresse",
                                     "Hallo,\n\n.bitte klicken: " + link + "\n"));
  ASSERT_EQ(o.kind, SendOutcome::Kind::kSent) << o.error;
  ASSERT_TRUE(sink.wait_for(1));
  const std::string envelope = sink.envelope(1);
  EXPECT_NE(envelope.find("\"mail_from\": \"news@gazette.test\""), std::string::npos) << envelope;
  EXPECT_NE(envelope.find("\"rcpt_tos\": [\"reader@example.com\"]"), std::string::npos);
  const std::string eml = sink.eml(1);
  // Exactly what render_message makes, byte for byte (dot-stuffing undone by the server).
  auto expected = render_message(queued("reader@example.com", "Bestätigen Sie Ihre Adresse",
                                        "Hallo,\n\n.bitte klicken: " + link + "\n")
                                     .message,
                                 Envelope{"news@gazette.test", "The Test Gazette",
                                          *base::parse_iso8601("2026-11-18T07:30:00Z"),
                                          "5f3c0ffee5f3c0ffee5f3c0ffee5f3c0@gazette.test"});
  ASSERT_TRUE(expected);
  EXPECT_EQ(eml, expected.value());
  EXPECT_NE(eml.find("Message-ID: <5f3c0ffee5f3c0ffee5f3c0ffee5f3c0@gazette.test>\r\n"),
            std::string::npos);
  EXPECT_NE(eml.find("Date: Wed, 18 Nov 2026 07:30:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(eml.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(eml.find("\r\n=2Ebitte klicken"), std::string::npos);
}

TEST(SmtpSender, ARefusedRecipientIsPermanent) {
  REQUIRE_PYTHON();
  SmtpSink sink({"--reject-rcpt", "nobody@example.com"});
  ASSERT_GT(sink.port(), 0);
  SmtpSender sender(config_for(sink));
  SendOutcome o = sender.send(queued("nobody@example.com", "Hi", "x"));
  EXPECT_EQ(o.kind, SendOutcome::Kind::kPermanent) << o.error;
  EXPECT_NE(o.error.find("550"), std::string::npos) << o.error;
  EXPECT_EQ(sink.count(), 0u);
}

TEST(SmtpSender, TryAgainLaterIsTransient) {
  REQUIRE_PYTHON();
  SmtpSink sink({"--fail-data", "1"});
  ASSERT_GT(sink.port(), 0);
  SmtpSender sender(config_for(sink));
  SendOutcome first = sender.send(queued("reader@example.com", "Hi", "x"));
  EXPECT_EQ(first.kind, SendOutcome::Kind::kTransient) << first.error;
  EXPECT_NE(first.error.find("451"), std::string::npos) << first.error;
  SendOutcome second = sender.send(queued("reader@example.com", "Hi", "x"));
  EXPECT_EQ(second.kind, SendOutcome::Kind::kSent) << second.error;
  EXPECT_TRUE(sink.wait_for(1));
}

// A loopback port that nothing listens on: bound (port 0), never listened
// on, and closed.
int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("bind failed");
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(SmtpSender, NoServerIsTransient) {
  const int port = unused_port();
  SmtpConfig c;
  c.url = "smtp://127.0.0.1:" + std::to_string(port);
  c.from = "news@gazette.test";
  c.timeout = 5s;
  SmtpSender sender(c);
  SendOutcome o = sender.send(queued("reader@example.com", "Hi", "x"));
  EXPECT_EQ(o.kind, SendOutcome::Kind::kTransient);
  EXPECT_FALSE(o.error.empty());
}

TEST(SmtpSender, AuthenticatesAndNeverRevealsThePassword) {
  REQUIRE_PYTHON();
  SmtpSink sink({"--auth", "mailer:s3cret-Pa55word"});
  ASSERT_GT(sink.port(), 0);
  SmtpConfig c = config_for(sink);
  // Without credentials the server refuses (530 authentication required).
  SendOutcome anonymous = SmtpSender(c).send(queued("reader@example.com", "Hi", "x"));
  EXPECT_NE(anonymous.kind, SendOutcome::Kind::kSent);

  c.username = "mailer";
  c.password = "wrong-Pa55word-xyz";
  SmtpSender wrong(c);
  SendOutcome bad = wrong.send(queued("reader@example.com", "Hi", "x"));
  EXPECT_EQ(bad.kind, SendOutcome::Kind::kPermanent) << bad.error;
  EXPECT_EQ(bad.error.find("wrong-Pa55word-xyz"), std::string::npos) << bad.error;
  EXPECT_EQ(wrong.describe().find("wrong-Pa55word-xyz"), std::string::npos);
  EXPECT_NE(wrong.describe().find("mailer"), std::string::npos);

  c.password = "s3cret-Pa55word";
  SendOutcome good = SmtpSender(c).send(queued("reader@example.com", "Hi", "x"));
  ASSERT_EQ(good.kind, SendOutcome::Kind::kSent) << good.error;
  ASSERT_TRUE(sink.wait_for(1));
  EXPECT_NE(sink.envelope(1).find("\"authenticated\": true"), std::string::npos);
  EXPECT_EQ(sink.count(), 1u);
}

TEST(SmtpSender, RequiredStartTlsIsNeverSkipped) {
  REQUIRE_PYTHON();
  SmtpSink sink;  // offers no STARTTLS
  ASSERT_GT(sink.port(), 0);
  SmtpConfig c = config_for(sink);
  c.require_starttls = true;
  SendOutcome o = SmtpSender(c).send(queued("reader@example.com", "Hi", "x"));
  EXPECT_NE(o.kind, SendOutcome::Kind::kSent);
  // send() has returned: a mail sent in clear text would be filed already.
  EXPECT_EQ(sink.count(), 0u) << "the mail went out in clear text";
}

TEST(SmtpSender, StartTlsVerifiesTheCertificate) {
  REQUIRE_PYTHON();
  if (!masthead::testing::find_in_path("openssl")) GTEST_SKIP() << "openssl command not found";
  TempDir certs;
  const std::string cert = (certs.path() / "cert.pem").string();
  const std::string key = (certs.path() / "key.pem").string();
  const std::string cmd =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  SmtpSink sink({"--tls-cert", cert, "--tls-key", key});
  ASSERT_GT(sink.port(), 0);
  SmtpConfig c = config_for(sink);
  c.require_starttls = true;
  // Not signed by a trusted CA: refused, nothing sent.
  SendOutcome untrusted = SmtpSender(c).send(queued("reader@example.com", "Hi", "x"));
  EXPECT_EQ(untrusted.kind, SendOutcome::Kind::kTransient) << untrusted.error;
  EXPECT_EQ(sink.count(), 0u);
  // Trusted: sent over TLS.
  c.ca_file = cert;
  SendOutcome trusted = SmtpSender(c).send(queued("reader@example.com", "Hi", "x"));
  ASSERT_EQ(trusted.kind, SendOutcome::Kind::kSent) << trusted.error;
  ASSERT_TRUE(sink.wait_for(1));
  EXPECT_NE(sink.envelope(1).find("\"tls\": true"), std::string::npos) << sink.envelope(1);
}

TEST(SmtpSender, CourierDeliversThroughTheRealServer) {
  REQUIRE_PYTHON();
  SmtpSink sink;
  ASSERT_GT(sink.port(), 0);
  SmtpSender sender(config_for(sink));
  // A one-row outbox is enough here; the SQLite outbox has its own tests.
  struct OneRow : Outbox {
    std::optional<QueuedMail> row;
    bool sent = false;
    base::Result<std::int64_t> enqueue(const Message& m, base::TimePoint now) override {
      row = QueuedMail{1, m, "c0ffee", now, 0};
      return 1;
    }
    std::vector<QueuedMail> due(base::TimePoint, std::size_t) override {
      if (!row || sent) return {};
      return {*row};
    }
    void mark_sent(std::int64_t) override { sent = true; }
    FailureOutcome mark_failed(std::int64_t, base::TimePoint, std::string_view, Retry) override {
      return FailureOutcome::kWillRetry;
    }
  } outbox;
  base::FakeClock clock(*base::parse_iso8601("2026-11-18T07:30:00Z"));
  outbox.enqueue({"reader@example.com", "Reset your password", "Use this link."}, clock.now());
  Courier courier(outbox, sender, clock);
  ASSERT_TRUE(courier.wait_for([](const Courier::Counts& c) { return c.sent == 1; }, 10s))
      << courier.counts().retried;
  ASSERT_TRUE(sink.wait_for(1));
  EXPECT_NE(sink.eml(1).find("Subject: Reset your password\r\n"), std::string::npos);
}

}  // namespace
}  // namespace masthead::mail
