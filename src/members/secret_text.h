// Secret text: the few libsodium primitives members/ shares, spelled as text.
//
// What it is. Session tokens, CSRF secrets and e-mail link tokens are all the
// same thing underneath: 32 random bytes (256 bits) written as unpadded
// base64url (43 characters, safe in a cookie, a form field and a URL without
// escaping). The stores keep only a token's SHA-256, as 64 lowercase hex
// digits, so a copy of the database opens no session and no link.
//
// The key idea: a presented token is hostile input. is_token_text() checks
// its shape (43 characters of the base64url alphabet whose last character
// carries no stray bits) before anything else looks at it, and comparisons
// of secrets go through equal_in_constant_time() (sodium_memcmp), never ==.
//
// libsodium is initialised on first use (thread-safe); a failure to
// initialise throws std::runtime_error.
#pragma once

#include <string>
#include <string_view>

namespace masthead::members {

// Bytes of randomness in every token and secret.
inline constexpr std::size_t kTokenBytes = 32;
// Characters of a token as text: unpadded base64url of kTokenBytes.
inline constexpr std::size_t kTokenChars = 43;

// kTokenBytes from the operating system's generator, as unpadded base64url.
std::string random_token();

// True for exactly what random_token() can return: kTokenChars characters of
// [A-Za-z0-9_-] decoding canonically to kTokenBytes bytes.
bool is_token_text(std::string_view text);

// SHA-256 of `text` (crypto_hash_sha256) as 64 lowercase hex digits.
std::string sha256_hex(std::string_view text);

// Compares two secrets in time that depends only on their lengths.
bool equal_in_constant_time(std::string_view a, std::string_view b);

namespace detail {
void ensure_sodium();
std::string to_base64url(const unsigned char* data, std::size_t size);
}  // namespace detail

}  // namespace masthead::members
