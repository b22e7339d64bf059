// See reader_token.h.
//
// The parser is written to be strict and total, because the cookie is the
// most hostile input a reader can send: the value is split on its three dots
// before anything is decoded, every part has one canonical spelling (no
// leading zeros, no padding, no non-zero trailing bits in the base64, which
// libsodium's decoder checks), the tag is verified before the payload is
// looked at, and every failure is a nullopt. Because every part is canonical,
// a cookie that opens reseals to exactly the same bytes with the same key;
// the fuzz target checks that.
#include "readers/reader_token.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <system_error>

namespace masthead::readers {
namespace {

constexpr std::size_t kIdBytes = 16;
constexpr std::size_t kTagBytes = crypto_auth_BYTES;
constexpr std::size_t kMaxCookieBytes = 512;
constexpr std::size_t kMaxPeriodKeyBytes = 16;
constexpr std::size_t kMaxIdDigits = 19;  // INT64_MAX has 19; from_chars rejects the rest
// 16 id bytes + period key + ':' + article id.
constexpr std::size_t kMaxPayloadBytes = kIdBytes + kMaxPeriodKeyBytes + 1 + kMaxIdDigits;
constexpr std::string_view kVersion = "1";

static_assert(kKeyBytes == crypto_auth_KEYBYTES, "KeyBytes must fit crypto_auth");

void ensure_sodium() {
  static const int status = sodium_init();  // thread-safe: a function-local static
  if (status < 0) throw std::runtime_error("libsodium could not be initialised");
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// A positive decimal without sign, leading zeros or spaces, of at most
// `max_digits` digits, that fits int64.
std::optional<std::int64_t> parse_positive(std::string_view text, std::size_t max_digits) {
  if (text.empty() || text.size() > max_digits || text.front() == '0') return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), is_digit)) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

bool valid_period_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxPeriodKeyBytes) return false;
  return std::all_of(key.begin(), key.end(),
                     [](char c) { return is_digit(c) || (c >= 'A' && c <= 'Z') || c == '-'; });
}

std::string to_base64(const unsigned char* data, std::size_t size) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(size, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, kVariant);
  out.resize(out.size() - 1);  // the encoded length counts the terminating NUL
  return out;
}

// Decodes canonical unpadded base64url of at most `max_bytes` bytes.
std::optional<std::string> from_base64(std::string_view text, std::size_t max_bytes) {
  // The alphabet is checked here first: libsodium 1.0.18 reads the text as
  // (signed) char, so some bytes above 0x7f decode as letters.
  const auto url_safe = [](char c) {
    return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
  };
  if (text.empty() || !std::all_of(text.begin(), text.end(), url_safe)) return std::nullopt;
  std::string out(max_bytes, '\0');
  std::size_t length = 0;
  // No ignored characters and no end pointer: anything but the whole text
  // decoding cleanly (including non-zero trailing bits) is an error.
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::string payload_of(const ReaderToken& token) {
  std::string payload(reinterpret_cast<const char*>(token.id.data()), token.id.size());
  if (token.first_view) {
    const FirstView& view = *token.first_view;
    if (!valid_period_key(view.period_key) || view.article_id <= 0) {
      throw std::invalid_argument("seal: a first view needs a period key of 1 to 16 [0-9A-Z-] " +
                                  std::string("and a positive article id"));
    }
    payload += view.period_key;
    payload += ':';
    payload += std::to_string(view.article_id);
  }
  return payload;
}

std::optional<ReaderToken> token_of(std::string_view payload) {
  if (payload.size() < kIdBytes) return std::nullopt;
  ReaderToken token;
  std::copy_n(payload.begin(), kIdBytes, token.id.begin());
  payload.remove_prefix(kIdBytes);
  if (payload.empty()) return token;
  const std::size_t colon = payload.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view period_key = payload.substr(0, colon);
  if (!valid_period_key(period_key)) return std::nullopt;
  const auto article_id = parse_positive(payload.substr(colon + 1), kMaxIdDigits);
  if (!article_id) return std::nullopt;
  token.first_view = FirstView{std::string(period_key), *article_id};
  return token;
}

}  // namespace

KeyBytes generate_key() {
  ensure_sodium();
  KeyBytes key;
  randombytes_buf(key.data(), key.size());
  return key;
}

KeyRing::KeyRing(std::vector<SigningKey> keys) : keys_(std::move(keys)) {
  if (keys_.empty()) throw std::invalid_argument("KeyRing: at least one key is needed");
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i].id <= 0) throw std::invalid_argument("KeyRing: key ids must be positive");
    for (std::size_t j = 0; j < i; ++j) {
      if (keys_[j].id == keys_[i].id) throw std::invalid_argument("KeyRing: duplicate key id");
    }
  }
  // The highest id without retire_at signs; if every key has one, the highest id.
  std::optional<std::size_t> open_ended;
  std::size_t highest = 0;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i].id > keys_[highest].id) highest = i;
    if (!keys_[i].retire_at && (!open_ended || keys_[i].id > keys_[*open_ended].id)) {
      open_ended = i;
    }
  }
  current_ = open_ended.value_or(highest);
}

const SigningKey& KeyRing::current() const {
  return keys_[current_];
}

const SigningKey* KeyRing::verifying(std::int64_t id, base::TimePoint now) const {
  for (const SigningKey& key : keys_) {
    if (key.id != id) continue;
    if (key.retire_at && now >= *key.retire_at) return nullptr;
    return &key;
  }
  return nullptr;
}

ReaderToken ReaderToken::fresh() {
  ensure_sodium();
  ReaderToken token;
  randombytes_buf(token.id.data(), token.id.size());
  return token;
}

std::string ReaderToken::reader_key() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key = "anon:";
  for (unsigned char byte : id) {
    key += kHex[byte >> 4];
    key += kHex[byte & 0x0f];
  }
  return key;
}

std::string seal(const ReaderToken& token, const KeyRing& keys) {
  ensure_sodium();
  const SigningKey& key = keys.current();
  const std::string payload = payload_of(token);
  std::string cookie =
      std::string(kVersion) + "." + std::to_string(key.id) + "." +
      to_base64(reinterpret_cast<const unsigned char*>(payload.data()), payload.size());
  unsigned char tag[kTagBytes];
  crypto_auth(tag, reinterpret_cast<const unsigned char*>(cookie.data()), cookie.size(),
              key.bytes.data());
  cookie += '.';
  cookie += to_base64(tag, sizeof tag);
  return cookie;
}

std::optional<ReaderToken> open(std::string_view cookie_value, const KeyRing& keys,
                                base::TimePoint now, std::int64_t* signed_by) {
  if (cookie_value.empty() || cookie_value.size() > kMaxCookieBytes) return std::nullopt;
  // Exactly four parts: version, key id, payload, tag.
  std::string_view parts[4];
  std::string_view rest = cookie_value;
  for (int i = 0; i < 3; ++i) {
    const std::size_t dot = rest.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    parts[i] = rest.substr(0, dot);
    rest.remove_prefix(dot + 1);
  }
  if (rest.find('.') != std::string_view::npos) return std::nullopt;
  parts[3] = rest;

  if (parts[0] != kVersion) return std::nullopt;
  const auto key_id = parse_positive(parts[1], kMaxIdDigits);
  if (!key_id) return std::nullopt;
  const SigningKey* key = keys.verifying(*key_id, now);
  if (key == nullptr) return std::nullopt;

  const auto tag = from_base64(parts[3], kTagBytes);
  if (!tag || tag->size() != kTagBytes) return std::nullopt;
  ensure_sodium();
  const std::string_view signed_part =
      cookie_value.substr(0, cookie_value.size() - rest.size() - 1);
  if (crypto_auth_verify(reinterpret_cast<const unsigned char*>(tag->data()),
                         reinterpret_cast<const unsigned char*>(signed_part.data()),
                         signed_part.size(), key->bytes.data()) != 0) {
    return std::nullopt;
  }

  const auto payload = from_base64(parts[2], kMaxPayloadBytes);
  if (!payload) return std::nullopt;
  auto token = token_of(*payload);
  if (token && signed_by) *signed_by = *key_id;
  return token;
}

}  // namespace masthead::readers
