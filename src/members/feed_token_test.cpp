// make_feed_token() and parse_feed_token(): round trip, every way a token
// can be wrong (shape, tampered parts, another key), and key rotation.
#include "members/feed_token.h"

#include <gtest/gtest.h>

#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

namespace masthead::members {
namespace {

const std::string kKey(kFeedKeyBytes, 'k');
const std::string kOtherKey(kFeedKeyBytes, 'o');
const std::vector<std::string> kKeys{kKey};

TEST(FeedToken, RoundTrips) {
  for (FeedTokenParts parts : {FeedTokenParts{1, 0}, FeedTokenParts{42, 7},
                               FeedTokenParts{999'999'999'999'999'999, 999'999'999'999'999'999}}) {
    const std::string token = make_feed_token(parts, kKey);
    EXPECT_EQ(parse_feed_token(token, kKeys), parts) << token;
  }
}

TEST(FeedToken, IsPathSafeText) {
  const std::string token = make_feed_token({42, 3}, kKey);
  EXPECT_EQ(token.rfind("42.3.", 0), 0u);
  for (char c : token)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')
        << token;
}

TEST(FeedToken, EachGenerationAndAccountHasItsOwnSignature) {
  const std::string a = make_feed_token({42, 3}, kKey);
  const std::string b = make_feed_token({42, 4}, kKey);
  const std::string c = make_feed_token({43, 3}, kKey);
  const std::string signature_of_a = a.substr(a.rfind('.') + 1);
  EXPECT_NE(signature_of_a, b.substr(b.rfind('.') + 1));
  EXPECT_NE(signature_of_a, c.substr(c.rfind('.') + 1));
  // A's signature with another generation or account is refused.
  EXPECT_EQ(parse_feed_token("42.4." + signature_of_a, kKeys), std::nullopt);
  EXPECT_EQ(parse_feed_token("43.3." + signature_of_a, kKeys), std::nullopt);
}

TEST(FeedToken, MalformedTokensAreRefused) {
  const std::string good = make_feed_token({42, 3}, kKey);
  const std::string signature = good.substr(good.rfind('.') + 1);
  const std::vector<std::string> bad{
      "",
      "42",
      "42.3",
      "42.3.",
      ".3." + signature,
      "42.." + signature,
      "042.3." + signature,
      "42.03." + signature,
      "+42.3." + signature,
      "-42.3." + signature,
      "0.3." + signature,
      "42.3." + signature + "A",
      "42.3." + signature.substr(1),
      "42.3.3." + signature,
      "1234567890123456789.3." + signature,
      "42.3." + signature + "\n",
      "42.3." + std::string(43, '='),
      std::string(10'000, '1') + ".3." + signature,
  };
  for (const std::string& token : bad)
    EXPECT_EQ(parse_feed_token(token, kKeys), std::nullopt) << token;
}

TEST(FeedToken, AnotherKeyIsRefusedAndRotationKeepsOldTokens) {
  const std::string token = make_feed_token({42, 3}, kKey);
  EXPECT_EQ(parse_feed_token(token, std::vector<std::string>{kOtherKey}), std::nullopt);
  EXPECT_EQ(parse_feed_token(token, std::vector<std::string>{}), std::nullopt);
  EXPECT_EQ(parse_feed_token(token, std::vector<std::string>{"short"}), std::nullopt);
  // The new key signs, the old one still verifies.
  EXPECT_EQ(parse_feed_token(token, std::vector<std::string>{kOtherKey, kKey}),
            (FeedTokenParts{42, 3}));
}

TEST(FeedToken, BadArgumentsThrow) {
  EXPECT_THROW(make_feed_token({42, 3}, "short"), std::invalid_argument);
  EXPECT_THROW(make_feed_token({0, 3}, kKey), std::invalid_argument);
  EXPECT_THROW(make_feed_token({42, -1}, kKey), std::invalid_argument);
}

}  // namespace
}  // namespace masthead::members
