// Sender: hands one queued mail to a mail server, and says how it went.
//
// The Courier only needs this much, so tests give it a fake and production
// an SmtpSender (smtp_sender.h). The answer separates the failures worth
// retrying (the server is down, a timeout, "try again later" 4xx) from those
// that are not (the server refused the recipient or the message, 5xx): the
// outbox gives the latter up at once instead of hammering a server ten times
// with a mail it will never take.
#pragma once

#include <string>

#include "mail/outbox.h"

namespace masthead::mail {

struct SendOutcome {
  enum class Kind { kSent, kTransient, kPermanent };
  Kind kind = Kind::kSent;
  std::string error;  // empty when sent; never holds a password

  static SendOutcome sent() { return {Kind::kSent, {}}; }
  static SendOutcome transient(std::string e) { return {Kind::kTransient, std::move(e)}; }
  static SendOutcome permanent(std::string e) { return {Kind::kPermanent, std::move(e)}; }
};

class Sender {
 public:
  virtual ~Sender() = default;
  // Called from the courier's thread only, one mail at a time.
  virtual SendOutcome send(const QueuedMail& mail) = 0;
};

}  // namespace masthead::mail
