// Fuzz target: the reader cookie (readers::open, seal in src/readers/reader_token.h).
//
// The cookie is the one value every anonymous request carries and the reader
// fully controls. open() must never crash, throw or accept what the server did
// not seal. The properties checked, with a fixed key ring (key 1, bytes
// 0x00..0x1f, verifying until 2027-01-01; key 2, bytes 0x80..0x9f, current):
// whatever opens is a well-formed token (a first view has a 1 to 16 character
// [0-9A-Z-] period key and a positive article id); sealing it again gives a
// cookie that opens to the same token; and a cookie signed by the current key
// reseals to exactly its own bytes, because every part of the format has one
// spelling. The "valid-*" seeds of corpus/reader_token_fuzz/ were sealed with
// this ring; readers_test checks that they still open.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "readers/reader_token.h"

namespace {

namespace readers = masthead::readers;

readers::KeyBytes filled_key(unsigned char first) {
  readers::KeyBytes key;
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<unsigned char>(first + i);
  return key;
}

const masthead::base::TimePoint kNow = std::chrono::sys_days{std::chrono::year{2026} / 1 / 1};

const readers::KeyRing& fuzz_keys() {
  static const readers::KeyRing keys(
      {readers::SigningKey{1, filled_key(0x00), kNow + std::chrono::hours(24 * 365)},
       readers::SigningKey{2, filled_key(0x80), std::nullopt}});
  return keys;
}

bool valid_period_key(const std::string& key) {
  return !key.empty() && key.size() <= 16 && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-';
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view cookie(reinterpret_cast<const char*>(data), size);
  const auto token = readers::open(cookie, fuzz_keys(), kNow);
  if (!token) return 0;

  FUZZ_CHECK(cookie.size() <= 512, "overlong cookies never open");
  if (token->first_view) {
    FUZZ_CHECK(valid_period_key(token->first_view->period_key),
               "a first view's period key is 1 to 16 of [0-9A-Z-]");
    FUZZ_CHECK(token->first_view->article_id > 0, "a first view's article id is positive");
  }
  FUZZ_CHECK(token->reader_key().size() == 5 + 32, "reader_key is anon: and 32 hex digits");
  const std::string resealed = readers::seal(*token, fuzz_keys());
  const auto reopened = readers::open(resealed, fuzz_keys(), kNow);
  FUZZ_CHECK(reopened.has_value(), "what seal writes, open reads");
  FUZZ_CHECK(*reopened == *token, "seal(open(x)) opens to the same token");
  if (cookie.rfind("1.2.", 0) == 0) {
    FUZZ_CHECK(resealed == cookie, "a cookie of the current key reseals to the same bytes");
  }
  return 0;
}
