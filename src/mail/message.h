// Message: one plain-text e-mail, and how it becomes bytes on the wire.
//
// What it is. Masthead sends short transactional mail (confirm your address,
// reset your password, your subscription changed): one recipient, a subject
// and a UTF-8 text body. `Message` is just those three strings; the sender's
// address, the date and the Message-ID are added when the mail is rendered
// for sending (render_message), so that a queued row holds only what the
// caller chose.
//
// The key idea: nothing a reader typed can become a header. Every header
// value is checked before it is written: CR, LF and other control characters
// are refused (header injection), addresses must be plain ASCII addr-specs
// (no display names, comments or routes in `to`), the subject is written as
// RFC 2047 encoded-words whenever it is not short printable ASCII, and the
// body travels quoted-printable (RFC 2045), so no line of it can end the
// header block, start an SMTP "." line or exceed 76 characters. validate()
// runs the same checks as render_message, so a caller (the outbox) can
// refuse a bad message when it is queued rather than when it is sent.
//
// Invariants: render_message's output is pure 7-bit ASCII with CRLF line ends
// and no line over 78 characters; the same inputs give the same bytes.
#pragma once

#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/result.h"

namespace masthead::mail {

struct Message {
  std::string to;       // one addr-spec: "reader@example.com"
  std::string subject;  // UTF-8, one line
  std::string body;     // UTF-8 plain text; LF, CRLF or CR line ends
};

// Who the mail is from and how it is identified: the parts of the header
// that come from configuration and from the queued row, not from the caller.
struct Envelope {
  std::string from;        // addr-spec, e.g. "news@example.com"
  std::string from_name;   // optional display name, UTF-8 ("The Gazette")
  base::TimePoint date;    // the Date header (when the mail was queued)
  std::string message_id;  // without angle brackets: "token@example.com"
};

// True when `address` is an ASCII addr-spec we are willing to put in a header
// and an SMTP envelope: local@domain, at most 254 bytes (local part ≤ 64),
// dot-atom characters only, a domain of letters, digits, hyphens and dots.
bool is_valid_address(std::string_view address);

// The checks render_message makes on the caller's part: a valid `to`, a
// subject without control characters (≤ 400 bytes), a body of valid UTF-8
// without NUL. An Error names what is wrong (never echoes the body).
base::Result<bool> validate(const Message& message);

// The complete RFC 5322 message: From, To, Subject, Date, Message-ID,
// MIME-Version, Content-Type (text/plain; charset=utf-8),
// Content-Transfer-Encoding (quoted-printable), Auto-Submitted, the blank
// line and the encoded body. Errors for anything validate() refuses and for
// a bad envelope (invalid from address, control characters in from_name or
// message_id).
base::Result<std::string> render_message(const Message& message, const Envelope& envelope);

// The building blocks, exposed for tests.
// RFC 5322 date-time in UTC: "Wed, 18 Nov 2026 07:30:00 +0000".
std::string format_rfc5322_date(base::TimePoint t);
// Quoted-printable (RFC 2045 §6.7) of UTF-8 text; line ends become CRLF.
std::string encode_quoted_printable(std::string_view text);
// An unstructured header value (RFC 2047): unchanged when it is printable
// ASCII and fits on the header line after `header_name`; otherwise UTF-8
// base64 encoded-words of at most 75 characters, folded with CRLF SP, never
// splitting a UTF-8 character.
std::string encode_header_text(std::string_view header_name, std::string_view text);

}  // namespace masthead::mail
