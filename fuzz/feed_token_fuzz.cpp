// Fuzz target: the private feed token (members::parse_feed_token in
// src/members/feed_token.h).
//
// The token is the credential in a private feed's URL, so anyone can send
// any bytes as one. parse_feed_token() must never crash, throw or accept what
// the server did not sign. The properties checked, with two fixed keys (the
// first 0x00..0x1f signs, the second 0x80..0x9f still verifies): whatever
// parses names a positive account id and a generation >= 0; remaking the
// token from its parts with the key that signed it gives exactly the input,
// because every part has one spelling. The "valid-*" seeds of
// corpus/feed_token_fuzz/ were made with these keys.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "members/feed_token.h"

namespace {

namespace members = masthead::members;

std::string filled_key(unsigned char first) {
  std::string key(members::kFeedKeyBytes, '\0');
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<char>(first + i);
  return key;
}

const std::vector<std::string>& fuzz_keys() {
  static const std::vector<std::string> keys{filled_key(0x00), filled_key(0x80)};
  return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  const auto parts = members::parse_feed_token(token, fuzz_keys());
  if (!parts) return 0;
  FUZZ_CHECK(parts->account_id > 0, "a feed token names a positive account id");
  FUZZ_CHECK(parts->generation >= 0, "a feed token's generation is not negative");
  const std::string by_first = members::make_feed_token(*parts, fuzz_keys()[0]);
  const std::string by_second = members::make_feed_token(*parts, fuzz_keys()[1]);
  FUZZ_CHECK(token == by_first || token == by_second,
             "a token that parses is exactly what one of the keys makes of its parts");
  return 0;
}
