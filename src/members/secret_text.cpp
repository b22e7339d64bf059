// See secret_text.h.
#include "members/secret_text.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

namespace masthead::members {
namespace detail {

void ensure_sodium() {
  static const int status = sodium_init();  // thread-safe: a function-local static
  if (status < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string to_base64url(const unsigned char* data, std::size_t size) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(size, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, kVariant);
  out.resize(out.size() - 1);  // the encoded length counts the terminating NUL
  return out;
}

}  // namespace detail

std::string random_token() {
  detail::ensure_sodium();
  unsigned char bytes[kTokenBytes];
  randombytes_buf(bytes, sizeof bytes);
  std::string text = detail::to_base64url(bytes, sizeof bytes);
  sodium_memzero(bytes, sizeof bytes);
  return text;
}

bool is_token_text(std::string_view text) {
  if (text.size() != kTokenChars) return false;
  // The alphabet is checked first: libsodium 1.0.18 reads the text as
  // (signed) char, so some bytes above 0x7f would decode as letters.
  const auto url_safe = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
           c == '_';
  };
  if (!std::all_of(text.begin(), text.end(), url_safe)) return false;
  detail::ensure_sodium();
  unsigned char bytes[kTokenBytes];
  std::size_t length = 0;
  // No ignored characters and no end pointer: anything but the whole text
  // decoding cleanly (including non-zero trailing bits) is refused.
  const bool decoded =
      sodium_base642bin(bytes, sizeof bytes, text.data(), text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0;
  return decoded && length == kTokenBytes;
}

std::string sha256_hex(std::string_view text) {
  detail::ensure_sodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, sizeof hex - 1);
}

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  detail::ensure_sodium();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace masthead::members
