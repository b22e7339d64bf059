// Feed tokens: the secret in a subscriber's private feed address.
//
// What it is. A feed reader cannot sign in, so the private feed's URL is its
// credential: /private/<token>/feed.xml. The token is
// "<account id>.<generation>.<signature>", the signature an HMAC-SHA-256
// (crypto_auth_hmacsha256, a 32-byte server key) over "feed|<id>|<generation>",
// written as unpadded base64url (43 characters). Nothing of it is stored: the
// server can show the same address on every visit to /account.
//
// The key idea: revocation without a token table. The store keeps one
// number per account, its feed generation (MemberStore::feed_generation);
// a token is good only while the generation it names is the account's
// current one. Renewing the address (renew_feed_generation) moves the
// generation on, and every older address stops working at once; deleting
// the account ends them all (ids are never reused).
//
// Invariants: parse_feed_token() is total and strict — one canonical
// spelling (decimal without sign or leading zeros, at most 18 digits; the
// signature's exact base64url), checked before any signature is computed,
// and the signature is compared in constant time against every key given
// (the first signs; the others still verify, for key rotation).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace masthead::members {

// Bytes of a feed-signing key (crypto_auth_hmacsha256_KEYBYTES).
inline constexpr std::size_t kFeedKeyBytes = 32;

struct FeedTokenParts {
  std::int64_t account_id = 0;
  std::int64_t generation = 0;
  friend bool operator==(const FeedTokenParts&, const FeedTokenParts&) = default;
};

// The token for (account, generation), signed with `key`. Throws
// std::invalid_argument unless `key` has kFeedKeyBytes bytes, the id is
// positive and the generation is not negative.
std::string make_feed_token(FeedTokenParts parts, std::string_view key);

// The parts of a well-formed token whose signature one of `keys` makes;
// nullopt for anything else. Says nothing of the generation being current:
// that is the store's.
std::optional<FeedTokenParts> parse_feed_token(std::string_view token,
                                               std::span<const std::string> keys);

}  // namespace masthead::members
