// See message.h. Everything here works on bytes: addresses are ASCII by
// rule, and the only Unicode knowledge needed is where a UTF-8 character
// starts (so that an encoded-word never cuts one in half).
#include "mail/message.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "base/text.h"

namespace masthead::mail {
namespace {

constexpr std::size_t kMaxSubjectBytes = 400;
constexpr char kHex[] = "0123456789ABCDEF";
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool is_atext(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) !=
         std::string_view::npos;
}

// Control characters (C0, DEL) anywhere in a header value: refused.
bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

bool is_printable_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

std::string base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    std::uint32_t n =
        (std::uint8_t(in[i]) << 16) | (std::uint8_t(in[i + 1]) << 8) | std::uint8_t(in[i + 2]);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += kBase64[n & 63];
  }
  if (i + 1 == in.size()) {
    std::uint32_t n = std::uint8_t(in[i]) << 16;
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    std::uint32_t n = (std::uint8_t(in[i]) << 16) | (std::uint8_t(in[i + 1]) << 8);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// The longest prefix of UTF-8 `text` of at most `max_bytes` that ends on a
// character boundary (never empty for non-empty text).
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  std::size_t n = std::min(max_bytes, text.size());
  // Back up while the byte after the cut is a continuation byte.
  while (n < text.size() && n > 0 && (std::uint8_t(text[n]) & 0xc0) == 0x80) --n;
  if (n == 0) n = std::min(max_bytes, text.size());  // not UTF-8; validate() refuses it
  return text.substr(0, n);
}

// RFC 2047 "B" encoded-words, folded with CRLF SP. A word is "=?UTF-8?B?" +
// base64 + "?=" (12 characters around the base64); later lines hold 45 bytes
// (60 base64 characters: " " + 72 = 73 ≤ 78, and each word ≤ 75), the first
// line fewer when a long header name (`prefix` characters, "Subject: ")
// comes first.
std::string encoded_words(std::string_view text, std::size_t prefix) {
  std::string out;
  std::size_t room = prefix + 12 < 78 ? (78 - prefix - 12) / 4 * 3 : 3;
  room = std::clamp<std::size_t>(room, 6, 45);
  while (!text.empty()) {
    std::string_view chunk = utf8_prefix(text, room);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(chunk) + "?=";
    text.remove_prefix(chunk.size());
    room = 45;
  }
  return out;
}

std::string quoted_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

bool is_valid_address(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || at + 1 == address.size()) return false;
  std::string_view local = address.substr(0, at);
  std::string_view domain = address.substr(at + 1);
  // Local part: dot-atom (no leading, trailing or doubled dots).
  if (local.front() == '.' || local.back() == '.') return false;
  for (std::size_t i = 0; i < local.size(); ++i) {
    unsigned char c = local[i];
    if (c == '.') {
      if (local[i + 1] == '.') return false;
      continue;
    }
    if (!is_atext(c)) return false;
  }
  // Domain: labels of letters, digits and hyphens, at least two labels.
  if (domain.size() > 253) return false;
  std::size_t labels = 0;
  for (std::string_view label : base::split(domain, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (unsigned char c : label)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
        return false;
    ++labels;
  }
  return labels >= 2;
}

base::Result<bool> validate(const Message& message) {
  if (!is_valid_address(message.to))
    return base::Error{"the recipient is not a valid e-mail address"};
  if (message.subject.size() > kMaxSubjectBytes)
    return base::Error{"the subject is longer than " + std::to_string(kMaxSubjectBytes) + " bytes"};
  if (has_control(message.subject))
    return base::Error{"the subject contains a line break or another control character"};
  if (!base::is_valid_utf8(message.subject)) return base::Error{"the subject is not UTF-8"};
  if (!base::is_valid_utf8(message.body)) return base::Error{"the body is not UTF-8"};
  if (message.body.find('\0') != std::string::npos)
    return base::Error{"the body contains a NUL byte"};
  return true;
}

std::string format_rfc5322_date(base::TimePoint t) {
  using namespace std::chrono;
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto secs = floor<seconds>(t);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const weekday wd{day};
  const hh_mm_ss hms{secs - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000", kDays[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string encode_quoted_printable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t column = 0;
  // Appends one encoded unit, inserting a soft line break ("=" CRLF) first
  // when the unit would push the line past 76 characters (75 plus the "=").
  auto put = [&](std::string_view unit) {
    if (column + unit.size() > 75) {
      out += "=\r\n";
      column = 0;
    }
    out += unit;
    column += unit.size();
  };
  auto hard_break = [&] {
    out += "\r\n";
    column = 0;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = text[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      hard_break();
      continue;
    }
    const bool at_line_end = i + 1 == text.size() || text[i + 1] == '\r' || text[i + 1] == '\n';
    bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_line_end);
    // A "." or "From " at the start of a line is encoded too: no SMTP dot line and
    // no mbox "From " line can appear, whatever the transport does.
    if (column == 0 && (c == '.' || (c == 'F' && text.substr(i, 5) == "From "))) literal = false;
    if (literal) {
      put(std::string_view(reinterpret_cast<const char*>(&text[i]), 1));
    } else {
      const char unit[3] = {'=', kHex[c >> 4], kHex[c & 15]};
      put(std::string_view(unit, 3));
    }
  }
  return out;
}

std::string encode_header_text(std::string_view header_name, std::string_view text) {
  const std::size_t prefix = header_name.size() + 2;  // "Subject: "
  if (is_printable_ascii(text) && prefix + text.size() <= 78 &&
      text.find("=?") == std::string_view::npos)
    return std::string(text);
  return encoded_words(text, prefix);
}

base::Result<std::string> render_message(const Message& message, const Envelope& envelope) {
  if (auto ok = validate(message); !ok) return ok.error();
  if (!is_valid_address(envelope.from))
    return base::Error{"the sender is not a valid e-mail address"};
  if (has_control(envelope.from_name) || !base::is_valid_utf8(envelope.from_name))
    return base::Error{"the sender's name contains a control character or is not UTF-8"};
  if (envelope.message_id.empty() || !is_printable_ascii(envelope.message_id) ||
      envelope.message_id.find_first_of("<> ") != std::string::npos ||
      envelope.message_id.find('@') == std::string::npos)
    return base::Error{"the Message-ID must be printable ASCII of the form left@right"};

  // From: `"Name" <addr>` on one line when the name is short printable ASCII;
  // otherwise the name as encoded-words, each on its own folded line.
  std::string from = envelope.from;
  if (!envelope.from_name.empty()) {
    const std::string quoted = quoted_string(envelope.from_name);
    if (is_printable_ascii(envelope.from_name) && quoted.size() + from.size() + 9 <= 78)
      from = quoted + " <" + envelope.from + ">";
    else
      from = encoded_words(envelope.from_name, 6) + "\r\n <" + envelope.from + ">";
  }

  std::string out;
  out.reserve(message.body.size() * 11 / 10 + 512);
  out += "From: " + from + "\r\n";
  out += "To: " + message.to + "\r\n";
  out += "Subject: " + encode_header_text("Subject", message.subject) + "\r\n";
  out += "Date: " + format_rfc5322_date(envelope.date) + "\r\n";
  out += "Message-ID: <" + envelope.message_id + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  out += "\r\n";
  out += encode_quoted_printable(message.body);
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

}  // namespace masthead::mail
