// E-mail tokens: signed, expiring, single-use links for confirming an
// address, resetting a password and changing an address.
//
// What it is. A link in an e-mail carries three things in its query string:
// a random token (random_token(), 256 bits), its expiry (Unix seconds) and
// an HMAC-SHA-256 (crypto_auth_hmacsha256, a server key of 32 bytes) over
// "purpose|token|expiry". issue_email_link() makes the query string and the
// EmailToken record the store keeps: the token's SHA-256 (never the token),
// the purpose, the account, a payload (the new address for kChangeEmail,
// otherwise empty), expires_at and used_at (empty until consumed).
//
// The key idea: two locks, checked in order. check_email_link() refuses a
// malformed, tampered (wrong signature, or a link for another purpose) or
// expired link without asking the database; only a link that passes reaches
// MemberStore::consume_email_token(), which marks it used in one atomic
// step (used_at empty and expires_at > now → set used_at, exactly once), so
// a link clicked twice, or twice at once, works once. The signature saves
// the database from guessed tokens and lets a link say "expired" honestly;
// the stored hash makes a link single-use and revocable (deleting an account
// or changing its address drops its outstanding tokens).
//
// The flow: issued = issue_email_link(purpose, account, payload, key, now);
// store.add_email_token(issued.record); mail ".../confirm?" + issued.query.
// On the click: check = check_email_link(purpose, query, keys, now); if
// check.status == kValid: store.consume_email_token(purpose, check.token_hash,
// now) → the account and payload, or nothing (used, expired, unknown).
//
// Invariants: an instant equal to expires_at is expired, here and in the
// store; the signature covers the purpose, so a reset link is refused on the
// confirm page; every part has one canonical spelling (no padding, no
// leading zeros), so parsing is strict and total.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace masthead::members {

enum class TokenPurpose { kConfirmEmail, kResetPassword, kChangeEmail };

// "confirm-email", "reset-password", "change-email": signed and stored.
std::string_view purpose_name(TokenPurpose purpose);
std::optional<TokenPurpose> purpose_from_name(std::string_view name);

// 24 h to confirm or change an address, 1 h to reset a password.
std::chrono::seconds default_lifetime(TokenPurpose purpose);

// Bytes of a link-signing key (crypto_auth_hmacsha256_KEYBYTES).
inline constexpr std::size_t kLinkKeyBytes = 32;

struct EmailToken {
  std::string token_hash;  // sha256_hex(token)
  TokenPurpose purpose = TokenPurpose::kConfirmEmail;
  std::int64_t account_id = 0;
  std::string payload;  // the new address for kChangeEmail; otherwise ""
  base::TimePoint expires_at;
  std::optional<base::TimePoint> used_at;
  friend bool operator==(const EmailToken&, const EmailToken&) = default;
};

struct IssuedLink {
  EmailToken record;  // for MemberStore::add_email_token()
  std::string query;  // "token=<43>&expires=<unix seconds>&sig=<43>", URL-safe as it is
};

// A fresh token for `account_id`, expiring `lifetime` after `now` (whole
// seconds; default_lifetime(purpose) when empty), signed with `key`. Throws
// std::invalid_argument unless `key` has kLinkKeyBytes bytes and the lifetime is positive.
IssuedLink issue_email_link(TokenPurpose purpose, std::int64_t account_id, std::string_view payload,
                            std::string_view key, base::TimePoint now,
                            std::optional<std::chrono::seconds> lifetime = std::nullopt);

enum class LinkStatus {
  kValid,
  kMalformed,     // not token=…&expires=…&sig=… with canonical values
  kBadSignature,  // tampered, signed with an unknown key, or for another purpose
  kExpired,       // authentic, but now >= expires
};

struct LinkCheck {
  LinkStatus status = LinkStatus::kMalformed;
  std::string token_hash;        // set when the signature verified
  base::TimePoint expires_at{};  // set when the signature verified
};

// Parses and verifies a link's query string (without the '?'). Parameters
// other than token, expires and sig are ignored (mail clients add some);
// each of those three must appear exactly once. `keys` are the keys that
// still verify (the current one and any retiring ones); any may match.
LinkCheck check_email_link(TokenPurpose purpose, std::string_view query,
                           std::span<const std::string> keys, base::TimePoint now);

}  // namespace masthead::members
