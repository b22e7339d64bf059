// See feed_token.h. Shape first, then the signature (constant time, every
// key), and every failure is nullopt: a presented token is hostile input.
#include "members/feed_token.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "members/secret_text.h"

namespace masthead::members {
namespace {

static_assert(kFeedKeyBytes == crypto_auth_hmacsha256_KEYBYTES);
static_assert(crypto_auth_hmacsha256_BYTES == kTokenBytes, "a signature spells like a token");

constexpr std::size_t kMaxDigits = 18;
constexpr std::size_t kMaxTokenChars = 2 * kMaxDigits + 2 + kTokenChars;

std::string signed_text(FeedTokenParts parts) {
  return "feed|" + std::to_string(parts.account_id) + "|" + std::to_string(parts.generation);
}

// A decimal without sign or leading zeros ("0" itself is allowed).
std::optional<std::int64_t> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > kMaxDigits || (text.size() > 1 && text.front() == '0'))
    return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

std::string make_feed_token(FeedTokenParts parts, std::string_view key) {
  if (key.size() != kFeedKeyBytes) throw std::invalid_argument("a feed key has 32 bytes");
  if (parts.account_id <= 0 || parts.generation < 0)
    throw std::invalid_argument("a feed token names a positive account id and a generation >= 0");
  detail::ensure_sodium();
  const std::string text = signed_text(parts);
  unsigned char tag[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(tag, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                         reinterpret_cast<const unsigned char*>(key.data()));
  return std::to_string(parts.account_id) + "." + std::to_string(parts.generation) + "." +
         detail::to_base64url(tag, sizeof tag);
}

std::optional<FeedTokenParts> parse_feed_token(std::string_view token,
                                               std::span<const std::string> keys) {
  if (token.size() > kMaxTokenChars) return std::nullopt;
  const std::size_t first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const std::optional<std::int64_t> id = parse_decimal(token.substr(0, first));
  const std::optional<std::int64_t> generation =
      parse_decimal(token.substr(first + 1, second - first - 1));
  const std::string_view signature = token.substr(second + 1);
  if (!id || *id == 0 || !generation || !is_token_text(signature)) return std::nullopt;
  detail::ensure_sodium();
  unsigned char tag[crypto_auth_hmacsha256_BYTES];
  std::size_t length = 0;
  if (sodium_base642bin(tag, sizeof tag, signature.data(), signature.size(), nullptr, &length,
                        nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      length != sizeof tag)
    return std::nullopt;
  const FeedTokenParts parts{*id, *generation};
  const std::string text = signed_text(parts);
  for (const std::string& key : keys) {
    if (key.size() != kFeedKeyBytes) continue;
    if (crypto_auth_hmacsha256_verify(tag, reinterpret_cast<const unsigned char*>(text.data()),
                                      text.size(),
                                      reinterpret_cast<const unsigned char*>(key.data())) == 0)
      return parts;
  }
  return std::nullopt;
}

}  // namespace masthead::members
