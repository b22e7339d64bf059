// SmtpSender: sends queued mail to an SMTP server with libcurl.
//
// What it is. The production Sender. Configuration names the server by URL:
// "smtps://mail.example.com:465" (TLS from the first byte),
// "smtp://mail.example.com:587" with require_starttls (the connection must be
// upgraded with STARTTLS, or nothing is sent), or plain "smtp://127.0.0.1:25"
// for a relay on the same machine (and the tests' loopback listener).
// Certificates are always verified. Username and password are optional
// (AUTH is attempted only when a username is set) and never appear in a log
// line, an error or describe().
//
// The envelope sender is `from`; the envelope recipient is the message's
// `to`; the bytes are render_message()'s with Date = the time the mail was
// queued and Message-ID = <token@domain of from>, so a resend after a crash
// carries the same Message-ID.
//
// Failures: curl's transport errors (cannot connect, timeout, TLS) are
// transient; a 5xx reply from the server is permanent, a 4xx transient; a
// message that cannot be rendered (cannot happen for rows the outbox
// validated) is permanent.
//
// Thread-safety: send() may be called from one thread at a time (the
// courier's); each call uses its own curl handle and connection.
#pragma once

#include <chrono>
#include <string>

#include "mail/sender.h"

namespace masthead::mail {

struct SmtpConfig {
  std::string url;                // smtp://host:port or smtps://host:port
  bool require_starttls = false;  // smtp:// only: refuse to send without STARTTLS
  std::string from;               // envelope and header sender: news@example.com
  std::string from_name;          // optional display name
  std::string username;           // optional; AUTH only when set
  std::string password;
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  std::string ca_file;  // optional PEM bundle to verify the server with; empty: the system's
};

// Empty when `config` is usable; otherwise what is wrong with it (never
// quoting the password).
std::string check_smtp_config(const SmtpConfig& config);

class SmtpSender final : public Sender {
 public:
  // Throws std::invalid_argument with check_smtp_config()'s message.
  explicit SmtpSender(SmtpConfig config);

  SendOutcome send(const QueuedMail& mail) override;

  // "smtps://mail.example.com:465 as news@example.com (auth: alice)" — for
  // the startup log; never the password.
  std::string describe() const;

 private:
  SmtpConfig config_;
  std::string domain_;  // the part of `from` after '@', for Message-IDs
};

}  // namespace masthead::mail
