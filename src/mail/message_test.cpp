// Tests of message.h: what render_message writes (each header, the date,
// the encodings), read back with independent decoders written here (base64
// and quoted-printable), and what it refuses (header injection through the
// recipient, the subject or the sender's name; bad addresses; bad UTF-8).
// Also the backoff arithmetic of outbox.h.
#include "mail/message.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "base/iso_time.h"
#include "base/text.h"
#include "mail/outbox.h"

namespace masthead::mail {
namespace {

std::string decode_base64(std::string_view in) {
  static const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const std::size_t v = alphabet.find(c);
    if (v == std::string::npos) ADD_FAILURE() << "not base64: " << c;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

// Quoted-printable back to text with CRLF line ends.
std::string decode_qp(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '=') {
      out += in[i];
      continue;
    }
    if (in.substr(i + 1, 2) == "\r\n") {
      i += 2;
      continue;
    }
    out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
    i += 2;
  }
  return out;
}

// Decodes a header value made of "=?UTF-8?B?...?=" words folded with CRLF SP.
std::string decode_encoded_words(std::string_view value,
                                 std::vector<std::string>* words = nullptr) {
  std::string out;
  const std::string copy(value);
  for (std::string_view line : base::split(copy, '\n')) {
    std::string_view w = base::trim(line);
    EXPECT_TRUE(w.starts_with("=?UTF-8?B?") && w.ends_with("?=")) << w;
    EXPECT_LE(w.size(), 75u);
    std::string piece = decode_base64(w.substr(10, w.size() - 12));
    EXPECT_TRUE(base::is_valid_utf8(piece)) << "an encoded-word split a character";
    if (words) words->push_back(piece);
    out += piece;
  }
  return out;
}

struct Parsed {
  std::vector<std::pair<std::string, std::string>> headers;  // unfolded values keep CRLF SP
  std::string body;
  std::string header(const std::string& name) const {
    for (auto& [k, v] : headers)
      if (k == name) return v;
    return "<missing>";
  }
};

Parsed parse(const std::string& raw) {
  Parsed p;
  const std::size_t end = raw.find("\r\n\r\n");
  EXPECT_NE(end, std::string::npos);
  std::string head = raw.substr(0, end + 2);
  p.body = raw.substr(end + 4);
  std::size_t pos = 0;
  while (pos < head.size()) {
    std::size_t eol = head.find("\r\n", pos);
    std::string line = head.substr(pos, eol - pos);
    pos = eol + 2;
    if (line.starts_with(" ")) {
      p.headers.back().second += "\r\n" + line;
      continue;
    }
    const std::size_t colon = line.find(": ");
    EXPECT_NE(colon, std::string::npos) << line;
    p.headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
  }
  return p;
}

void expect_wire_safe(const std::string& raw) {
  std::size_t start = 0;
  while (start < raw.size()) {
    const std::size_t eol = raw.find("\r\n", start);
    ASSERT_NE(eol, std::string::npos) << "the message must end with CRLF";
    EXPECT_LE(eol - start, 78u) << raw.substr(start, eol - start);
    start = eol + 2;
  }
  for (unsigned char c : raw) {
    EXPECT_LT(c, 0x80) << "non-ASCII byte on the wire";
    if (c == '\n') continue;
    if (c == '\r') continue;
    EXPECT_GE(c, 0x20);
  }
  EXPECT_EQ(raw.find("\n\n"), std::string::npos);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n') {
      EXPECT_TRUE(i > 0 && raw[i - 1] == '\r') << "bare LF at " << i;
    }
    if (raw[i] == '\r') {
      EXPECT_TRUE(i + 1 < raw.size() && raw[i + 1] == '\n') << "bare CR at " << i;
    }
  }
}

Envelope envelope() {
  return {"news@gazette.test", "The Test Gazette", *base::parse_iso8601("2026-11-18T07:30:05Z"),
          "0123abcd@gazette.test"};
}

TEST(Message, RendersEveryHeaderOnce) {
  Message m{"reader@example.com", "Confirm your address", "Hello,\nclick below.\n"};
  auto raw = render_message(m, envelope());
  ASSERT_TRUE(raw) << raw.error().message;
  expect_wire_safe(raw.value());
  Parsed p = parse(raw.value());
  std::vector<std::string> names;
  for (auto& [k, v] : p.headers) names.push_back(k);
  EXPECT_EQ(names, (std::vector<std::string>{"From", "To", "Subject", "Date", "Message-ID",
                                             "MIME-Version", "Content-Type",
                                             "Content-Transfer-Encoding", "Auto-Submitted"}));
  EXPECT_EQ(p.header("From"), "\"The Test Gazette\" <news@gazette.test>");
  EXPECT_EQ(p.header("To"), "reader@example.com");
  EXPECT_EQ(p.header("Subject"), "Confirm your address");
  EXPECT_EQ(p.header("Date"), "Wed, 18 Nov 2026 07:30:05 +0000");
  EXPECT_EQ(p.header("Message-ID"), "<0123abcd@gazette.test>");
  EXPECT_EQ(p.header("MIME-Version"), "1.0");
  EXPECT_EQ(p.header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(p.header("Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_EQ(p.body, "Hello,\r\nclick below.\r\n");
}

TEST(Message, DatesAcrossTheCalendar) {
  EXPECT_EQ(format_rfc5322_date(base::from_unix_seconds(0)), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(format_rfc5322_date(*base::parse_iso8601("2028-02-29T23:59:59Z")),
            "Tue, 29 Feb 2028 23:59:59 +0000");
  EXPECT_EQ(format_rfc5322_date(*base::parse_iso8601("2025-12-31T12:00:00.900Z")),
            "Wed, 31 Dec 2025 12:00:00 +0000");
}

TEST(Message, NonAsciiSubjectBecomesEncodedWords) {
  const std::string subject = "Bestätigen Sie Ihre Adresse — «Gazette» 日本語";
  auto raw = render_message({"reader@example.com", subject, "x"}, envelope());
  ASSERT_TRUE(raw);
  expect_wire_safe(raw.value());
  std::string value = parse(raw.value()).header("Subject");
  EXPECT_TRUE(value.starts_with("=?UTF-8?B?")) << value;
  EXPECT_EQ(decode_encoded_words(value), subject);
}

TEST(Message, LongSubjectsAreFoldedWithoutSplittingCharacters) {
  std::string subject;
  for (int i = 0; i < 30; ++i) subject += "é€𝄞a";  // 2-, 3- and 4-byte characters
  std::vector<std::string> words;
  auto raw = render_message({"reader@example.com", subject, "x"}, envelope());
  ASSERT_TRUE(raw);
  expect_wire_safe(raw.value());
  EXPECT_EQ(decode_encoded_words(parse(raw.value()).header("Subject"), &words), subject);
  EXPECT_GT(words.size(), 3u);

  // Long ASCII is folded too (as encoded-words), never a line over 78.
  std::string ascii(200, 'a');
  auto raw2 = render_message({"reader@example.com", ascii, "x"}, envelope());
  ASSERT_TRUE(raw2);
  expect_wire_safe(raw2.value());
  EXPECT_EQ(decode_encoded_words(parse(raw2.value()).header("Subject")), ascii);
}

TEST(Message, SubjectThatLooksEncodedIsEncoded) {
  // A literal "=?" in a subject would be decoded by mail programs: encode it.
  const std::string subject = "=?UTF-8?B?SGFja2Vk?=";
  auto raw = render_message({"reader@example.com", subject, "x"}, envelope());
  ASSERT_TRUE(raw);
  EXPECT_EQ(decode_encoded_words(parse(raw.value()).header("Subject")), subject);
}

TEST(Message, NonAsciiSenderNameIsEncoded) {
  Envelope e = envelope();
  e.from_name = "Le Télégramme";
  auto raw = render_message({"reader@example.com", "Hi", "x"}, e);
  ASSERT_TRUE(raw);
  expect_wire_safe(raw.value());
  std::string from = parse(raw.value()).header("From");
  const std::size_t lt = from.find("\r\n <news@gazette.test>");
  ASSERT_NE(lt, std::string::npos) << from;
  EXPECT_EQ(decode_encoded_words(from.substr(0, lt)), "Le Télégramme");

  e.from_name = "The \"Quoted\" \\ Gazette";
  auto raw2 = render_message({"reader@example.com", "Hi", "x"}, e);
  ASSERT_TRUE(raw2);
  EXPECT_EQ(parse(raw2.value()).header("From"),
            "\"The \\\"Quoted\\\" \\\\ Gazette\" <news@gazette.test>");
}

TEST(Message, BodyIsQuotedPrintableAndDecodesBack) {
  std::string body =
      "Grüße aus Köln!\n"
      ".a line starting with a dot\n"
      "From the desk of the editor\n"
      "a=b and trailing space \n"
      "tab at end\t\n"
      "https://gazette.test/account/confirm?token=AbC_dEf-123456789012345678901234567890abcd"
      "efghijklmnop&next=%2Faccount\n"
      "\n"
      "windows\r\nline\rends";
  const std::string qp = encode_quoted_printable(body);
  std::string expected = base::replace_all(base::replace_all(body, "\r\n", "\n"), "\r", "\n");
  expected = base::replace_all(expected, "\n", "\r\n");
  EXPECT_EQ(decode_qp(qp), expected);
  EXPECT_NE(qp.find("Gr=C3=BC=C3=9Fe"), std::string::npos) << qp;
  EXPECT_NE(qp.find("\r\n=2Ea line"), std::string::npos) << "a leading dot is encoded";
  EXPECT_NE(qp.find("\r\n=46rom the desk"), std::string::npos) << "a leading From is encoded";
  EXPECT_NE(qp.find("a=3Db"), std::string::npos);
  EXPECT_NE(qp.find("space=20\r\n"), std::string::npos);
  EXPECT_NE(qp.find("end=09\r\n"), std::string::npos);
  std::size_t start = 0;
  while (start < qp.size()) {
    std::size_t eol = qp.find("\r\n", start);
    if (eol == std::string::npos) eol = qp.size();
    EXPECT_LE(eol - start, 76u);
    start = eol + 2;
  }
}

TEST(Message, HeaderInjectionIsRefused) {
  const std::vector<Message> bad = {
      {"reader@example.com\r\nBcc: victim@example.com", "Hi", "x"},
      {"reader@example.com\nBcc: victim@example.com", "Hi", "x"},
      {"reader@example.com", "Hi\r\nBcc: victim@example.com", "x"},
      {"reader@example.com", "Hi\nBcc: victim@example.com", "x"},
      {"reader@example.com", "Hi\rthere", "x"},
      {"reader@example.com", std::string("Hi\0there", 8), "x"},
      {"reader@example.com", "tab\tinside", "x"},
  };
  for (const Message& m : bad) {
    EXPECT_FALSE(validate(m)) << m.to << " / " << m.subject;
    EXPECT_FALSE(render_message(m, envelope())) << m.to << " / " << m.subject;
  }
  Envelope e = envelope();
  e.from_name = "Gazette\r\nBcc: victim@example.com";
  EXPECT_FALSE(render_message({"reader@example.com", "Hi", "x"}, e));
  e = envelope();
  e.message_id = "a@b>\r\nBcc: victim@example.com";
  EXPECT_FALSE(render_message({"reader@example.com", "Hi", "x"}, e));
  e = envelope();
  e.from = "news@gazette.test>\r\nBcc: victim@example.com";
  EXPECT_FALSE(render_message({"reader@example.com", "Hi", "x"}, e));
}

TEST(Message, BodiesMustBeUtf8WithoutNul) {
  EXPECT_FALSE(validate({"reader@example.com", "Hi", "caf\xe9"}));
  EXPECT_FALSE(validate({"reader@example.com", "Hi", std::string("a\0b", 3)}));
  EXPECT_FALSE(validate({"reader@example.com", "caf\xe9", "x"}));
  EXPECT_FALSE(validate({"reader@example.com", std::string(401, 'a'), "x"}));
  EXPECT_TRUE(validate({"reader@example.com", std::string(400, 'a'), "café ☕"}));
}

TEST(Message, Addresses) {
  for (const char* good : {"a@b.co", "first.last+tag@example.com", "x_y-z@sub.example.org",
                           "o'brien@example.ie", "UPPER@EXAMPLE.COM"})
    EXPECT_TRUE(is_valid_address(good)) << good;
  for (const char* bad : {"",
                          "plain",
                          "@example.com",
                          "a@",
                          "a@localhost",
                          "a b@example.com",
                          "a@exa mple.com",
                          "<a@example.com>",
                          "Name <a@example.com>",
                          "a@example.com,b@example.com",
                          ".a@example.com",
                          "a.@example.com",
                          "a..b@example.com",
                          "a@-example.com",
                          "a@example..com",
                          "a(comment)@example.com",
                          "\"quoted\"@example.com",
                          "a@exam_ple.com",
                          "ü@example.com",
                          "a@bücher.de",
                          "a@example.com\r\n"})
    EXPECT_FALSE(is_valid_address(bad)) << bad;
  EXPECT_FALSE(is_valid_address(std::string(65, 'a') + "@example.com"));
  EXPECT_TRUE(is_valid_address(std::string(64, 'a') + "@example.com"));
}

TEST(RetryDelay, DoublesUpToTheCap) {
  RetryPolicy p;
  p.base_delay = std::chrono::seconds(30);
  p.max_delay = std::chrono::seconds(600);
  EXPECT_EQ(retry_delay(p, 1), std::chrono::seconds(30));
  EXPECT_EQ(retry_delay(p, 2), std::chrono::seconds(60));
  EXPECT_EQ(retry_delay(p, 3), std::chrono::seconds(120));
  EXPECT_EQ(retry_delay(p, 5), std::chrono::seconds(480));
  EXPECT_EQ(retry_delay(p, 6), std::chrono::seconds(600));
  EXPECT_EQ(retry_delay(p, 1000), std::chrono::seconds(600));
}

}  // namespace
}  // namespace masthead::mail
