// See email_token.h. The query string is parsed before anything is decoded,
// the signature is verified (crypto_auth_hmacsha256_verify: constant time)
// before the expiry is believed, and every failure is a status, never an
// exception: a link is hostile input.
#include "members/email_token.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <system_error>

#include "base/iso_time.h"
#include "base/text.h"
#include "members/secret_text.h"

namespace masthead::members {
namespace {

static_assert(kLinkKeyBytes == crypto_auth_hmacsha256_KEYBYTES);
static_assert(crypto_auth_hmacsha256_BYTES == kTokenBytes, "a signature spells like a token");

constexpr std::size_t kMaxQueryBytes = 1024;
constexpr std::size_t kMaxExpiryDigits = 18;

std::string signed_text(TokenPurpose purpose, std::string_view token, std::int64_t expires) {
  std::string text(purpose_name(purpose));
  text += '|';
  text += token;
  text += '|';
  text += std::to_string(expires);
  return text;
}

std::string sign(std::string_view text, std::string_view key) {
  unsigned char tag[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(tag, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                         reinterpret_cast<const unsigned char*>(key.data()));
  return detail::to_base64url(tag, sizeof tag);
}

bool verifies(std::string_view text, std::string_view signature, std::string_view key) {
  if (key.size() != kLinkKeyBytes) return false;
  unsigned char tag[crypto_auth_hmacsha256_BYTES];
  std::size_t length = 0;
  if (sodium_base642bin(tag, sizeof tag, signature.data(), signature.size(), nullptr, &length,
                        nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      length != sizeof tag) {
    return false;
  }
  return crypto_auth_hmacsha256_verify(tag, reinterpret_cast<const unsigned char*>(text.data()),
                                       text.size(),
                                       reinterpret_cast<const unsigned char*>(key.data())) == 0;
}

// A positive decimal without sign or leading zeros.
std::optional<std::int64_t> parse_seconds(std::string_view text) {
  if (text.empty() || text.size() > kMaxExpiryDigits || text.front() == '0') return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string_view purpose_name(TokenPurpose purpose) {
  switch (purpose) {
    case TokenPurpose::kConfirmEmail:
      return "confirm-email";
    case TokenPurpose::kResetPassword:
      return "reset-password";
    case TokenPurpose::kChangeEmail:
      return "change-email";
  }
  throw std::invalid_argument("purpose_name: unknown purpose");
}

std::optional<TokenPurpose> purpose_from_name(std::string_view name) {
  for (TokenPurpose p :
       {TokenPurpose::kConfirmEmail, TokenPurpose::kResetPassword, TokenPurpose::kChangeEmail}) {
    if (purpose_name(p) == name) return p;
  }
  return std::nullopt;
}

std::chrono::seconds default_lifetime(TokenPurpose purpose) {
  return purpose == TokenPurpose::kResetPassword ? std::chrono::hours(1) : std::chrono::hours(24);
}

IssuedLink issue_email_link(TokenPurpose purpose, std::int64_t account_id, std::string_view payload,
                            std::string_view key, base::TimePoint now,
                            std::optional<std::chrono::seconds> lifetime) {
  if (key.size() != kLinkKeyBytes)
    throw std::invalid_argument("issue_email_link: the key must have 32 bytes");
  const std::chrono::seconds life = lifetime.value_or(default_lifetime(purpose));
  if (life <= std::chrono::seconds(0))
    throw std::invalid_argument("issue_email_link: the lifetime must be positive");
  const std::string token = random_token();
  const std::int64_t expires = base::to_unix_seconds(now) + life.count();
  IssuedLink issued;
  issued.record = EmailToken{sha256_hex(token),
                             purpose,
                             account_id,
                             std::string(payload),
                             base::from_unix_seconds(expires),
                             std::nullopt};
  issued.query = "token=" + token + "&expires=" + std::to_string(expires) +
                 "&sig=" + sign(signed_text(purpose, token, expires), key);
  return issued;
}

LinkCheck check_email_link(TokenPurpose purpose, std::string_view query,
                           std::span<const std::string> keys, base::TimePoint now) {
  LinkCheck check;
  if (query.empty() || query.size() > kMaxQueryBytes) return check;
  std::optional<std::string_view> token, expires_text, signature;
  for (std::string_view pair : base::split(query, '&')) {
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = pair.substr(0, eq);
    std::optional<std::string_view>* slot = name == "token"     ? &token
                                            : name == "expires" ? &expires_text
                                            : name == "sig"     ? &signature
                                                                : nullptr;
    if (!slot) continue;
    if (*slot) return check;  // a repeated parameter: which one would we believe?
    *slot = pair.substr(eq + 1);
  }
  if (!token || !expires_text || !signature) return check;
  const std::optional<std::int64_t> expires = parse_seconds(*expires_text);
  if (!is_token_text(*token) || !is_token_text(*signature) || !expires) return check;

  const std::string text = signed_text(purpose, *token, *expires);
  const bool authentic = std::any_of(keys.begin(), keys.end(), [&](const std::string& key) {
    return verifies(text, *signature, key);
  });
  if (!authentic) {
    check.status = LinkStatus::kBadSignature;
    return check;
  }
  check.token_hash = sha256_hex(*token);
  check.expires_at = base::from_unix_seconds(*expires);
  check.status = now >= check.expires_at ? LinkStatus::kExpired : LinkStatus::kValid;
  return check;
}

}  // namespace masthead::members
