// Passwords: the rules a new password must meet, and argon2id hashing.
//
// What it is. check_password() applies OWASP ASVS 4.0.3 V2.1 to a password a
// reader chose (registration, reset, change): at least 12 and at most 128
// characters, counted as Unicode code points of valid UTF-8 (V2.1.1, V2.1.2;
// invalid UTF-8 is refused, never repaired); no composition rules (V2.1.9);
// not on the embedded list of common passwords, compared case-insensitively
// (V2.1.7, common_passwords.txt); and not containing the local part of the
// reader's own e-mail address when it has four characters or more. White
// space counts and is kept: nothing is trimmed or truncated (V2.1.3). The
// answer is a PasswordProblem the web layer maps to a message.
//
// PasswordHasher hashes with argon2id (libsodium crypto_pwhash_str_alg,
// crypto_pwhash_ALG_ARGON2ID13). The stored string carries its own salt and
// cost, so verify() works for hashes made with any earlier cost, and
// needs_rehash() says when a successful login should store a new hash.
//
// The key idea: an unknown e-mail and a wrong password must cost the same.
// verify_against_dummy() runs a real argon2id verification against a hash
// made once, with this hasher's cost, of a random password, and returns
// false; the login handler calls it when no account has the address, so both
// failures take the same time and the same code path:
//
//   const bool ok = account ? hasher.verify(account->password_hash, password)
//                           : hasher.verify_against_dummy(password);
//
// work() counts what the hasher has done (hashes made, argon2id
// verifications run): that is how the tests prove both login failures run
// the same verification, instead of comparing how long they took.
//
// Thread safety: a PasswordHasher is immutable after construction (the dummy
// hash is made once, under std::call_once; the work counters are atomic);
// share one across threads.
// Hashing at the interactive cost takes about 64 MiB and 0.1 s of one core.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace masthead::members {

inline constexpr std::size_t kMinPasswordChars = 12;
inline constexpr std::size_t kMaxPasswordChars = 128;
// Local parts shorter than this are not looked for in the password.
inline constexpr std::size_t kMinLocalPartToRefuse = 4;

enum class PasswordProblem {
  kNone,           // acceptable
  kInvalidText,    // not valid UTF-8
  kTooShort,       // fewer than 12 code points
  kTooLong,        // more than 128 code points
  kCommon,         // on the common-password list (any ASCII case)
  kContainsEmail,  // contains the e-mail's local part (any ASCII case)
};

// The first problem of `password` in the order above, for an account whose
// normalized address is `email` ("" when none is known yet).
PasswordProblem check_password(std::string_view password, std::string_view email);

// Unicode code points in valid UTF-8 `text` (bytes that do not start 10xxxxxx).
std::size_t count_code_points(std::string_view text);

// argon2id work factors (libsodium's opslimit and memlimit).
struct HashCost {
  std::uint64_t ops = 0;
  std::size_t memory_bytes = 0;

  // crypto_pwhash_OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE: the default.
  static HashCost interactive();
  // crypto_pwhash_OPSLIMIT_MIN / MEMLIMIT_MIN: for tests only.
  static HashCost minimum();
  friend bool operator==(const HashCost&, const HashCost&) = default;
};

class PasswordHasher {
 public:
  // Throws std::invalid_argument when `cost` is outside libsodium's limits.
  explicit PasswordHasher(HashCost cost = HashCost::interactive());

  // A "$argon2id$v=19$m=...,t=...,p=1$salt$hash" string with a fresh random
  // salt. Throws std::runtime_error when the memory cannot be had.
  std::string hash(std::string_view password) const;

  // True when `password` matches `stored_hash` (any argon2 cost; false for
  // anything that is not a hash libsodium understands).
  bool verify(std::string_view stored_hash, std::string_view password) const;

  // True when `stored_hash` was made with another cost or algorithm than
  // this hasher's (rehash after a successful verify()).
  bool needs_rehash(std::string_view stored_hash) const;

  // Spends what verify() spends on a hash of this cost, and returns false.
  bool verify_against_dummy(std::string_view password) const;

  const HashCost& cost() const { return cost_; }

  // What this hasher has done since it was made: argon2id hashes made (the
  // dummy's included) and argon2id verifications run (verify() calls that
  // reached libsodium, verify_against_dummy()'s included).
  struct Work {
    std::uint64_t hashes = 0;
    std::uint64_t verifications = 0;
    friend bool operator==(const Work&, const Work&) = default;
  };
  Work work() const { return {hashes_.load(), verifications_.load()}; }

 private:
  HashCost cost_;
  mutable std::atomic<std::uint64_t> hashes_{0};
  mutable std::atomic<std::uint64_t> verifications_{0};
  mutable std::once_flag dummy_once_;
  mutable std::string dummy_hash_;
};

}  // namespace masthead::members
