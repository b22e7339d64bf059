// ReaderToken: the anonymous reader's identity, sealed in a signed cookie.
//
// What it is. An anonymous reader is a random 128-bit id (libsodium's
// randombytes) that the server gives the browser in a cookie and recognises
// when it comes back. The cookie is signed (HMAC-SHA-512-256, libsodium's
// crypto_auth) with a key from a KeyRing, so it cannot be forged or edited:
// open() returns nothing for any value the server did not seal, and the
// handler then mints a fresh identity. A forged cookie is worth nothing; it
// never selects someone else's meter.
//
// The token may also carry the reader's first view (FirstView): a reader the
// server has never seen is given one article and the cookie says so; nothing
// is written to the meter store until the reader comes back with the cookie,
// when the handler records that first view in the store before deciding. A
// flood of cookieless requests therefore writes nothing to the store.
//
// Cookie value, all URL-safe ASCII (RFC 6265 cookie-octets):
//   "1." <key id> "." <base64url payload> "." <base64url tag>
// where the tag authenticates everything before the last dot. Payload:
// 16 id bytes, then optionally the first view as "<period key>:<article id>".
//
// Keys. A KeyRing holds one current key (signs) and older keys that still
// verify until their `retire_at` (rotation keeps old cookies valid for a
// while). Key ids are small positive integers.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"

namespace masthead::readers {

inline constexpr std::size_t kKeyBytes = 32;  // crypto_auth_KEYBYTES
using KeyBytes = std::array<unsigned char, kKeyBytes>;

// A new random key (libsodium randombytes_buf).
KeyBytes generate_key();

struct SigningKey {
  std::int64_t id = 0;  // > 0
  KeyBytes bytes{};
  std::optional<base::TimePoint> retire_at;  // no longer verifies from then on
};

class KeyRing {
 public:
  // `keys` must hold at least one key; the one with the highest id and no
  // retire_at (or the highest id overall) signs.
  explicit KeyRing(std::vector<SigningKey> keys);
  const SigningKey& current() const;
  // The key with that id if it still verifies at `now`.
  const SigningKey* verifying(std::int64_t id, base::TimePoint now) const;

 private:
  std::vector<SigningKey> keys_;
  std::size_t current_ = 0;
};

struct FirstView {
  std::string period_key;  // "2026-11"
  std::int64_t article_id = 0;
  friend bool operator==(const FirstView&, const FirstView&) = default;
};

struct ReaderToken {
  std::array<unsigned char, 16> id{};
  std::optional<FirstView> first_view;

  // A new random identity without a first view.
  static ReaderToken fresh();
  // "anon:" + 32 lowercase hex digits: the meter store's reader key.
  std::string reader_key() const;
  friend bool operator==(const ReaderToken&, const ReaderToken&) = default;
};

// The cookie value for `token`, signed with keys.current().
std::string seal(const ReaderToken& token, const KeyRing& keys);
// The token in `cookie_value`, or nullopt when it is malformed, signed with
// an unknown or retired key, or its tag does not verify (constant-time).
// `signed_by`, when given, receives the id of the key that signed it, so
// that a caller can re-sign cookies made with a key that is no longer
// current before that key retires.
std::optional<ReaderToken> open(std::string_view cookie_value, const KeyRing& keys,
                                base::TimePoint now, std::int64_t* signed_by = nullptr);

}  // namespace masthead::readers
