// See password.h and common_passwords.h.
#include "members/password.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "base/text.h"
#include "members/common_passwords.h"
#include "members/email.h"
#include "members/secret_text.h"

namespace masthead::members {
namespace detail {

std::span<const std::string_view> common_passwords() {
  static const std::vector<std::string_view> list = [] {
    std::vector<std::string_view> entries;
    for (std::string_view line : base::split(common_password_list_text(), '\n')) {
      line = base::trim(line);
      if (line.empty() || line.front() == '#') continue;
      entries.push_back(line);
    }
    std::sort(entries.begin(), entries.end());
    entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
    return entries;
  }();
  return list;
}

bool is_common_password(std::string_view password) {
  const std::span<const std::string_view> list = common_passwords();
  return std::binary_search(list.begin(), list.end(), base::to_lower_ascii(password));
}

}  // namespace detail

std::size_t count_code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

PasswordProblem check_password(std::string_view password, std::string_view email) {
  if (!base::is_valid_utf8(password)) return PasswordProblem::kInvalidText;
  const std::size_t chars = count_code_points(password);
  if (chars < kMinPasswordChars) return PasswordProblem::kTooShort;
  if (chars > kMaxPasswordChars) return PasswordProblem::kTooLong;
  if (detail::is_common_password(password)) return PasswordProblem::kCommon;
  const std::string local = base::to_lower_ascii(local_part(email));
  if (local.size() >= kMinLocalPartToRefuse &&
      base::to_lower_ascii(password).find(local) != std::string::npos) {
    return PasswordProblem::kContainsEmail;
  }
  return PasswordProblem::kNone;
}

HashCost HashCost::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

HashCost HashCost::minimum() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

PasswordHasher::PasswordHasher(HashCost cost) : cost_(cost) {
  if (cost.ops < crypto_pwhash_OPSLIMIT_MIN || cost.ops > crypto_pwhash_OPSLIMIT_MAX ||
      cost.memory_bytes < crypto_pwhash_MEMLIMIT_MIN ||
      cost.memory_bytes > crypto_pwhash_MEMLIMIT_MAX) {
    throw std::invalid_argument("PasswordHasher: ops or memory outside libsodium's limits");
  }
  detail::ensure_sodium();
}

std::string PasswordHasher::hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost_.ops, cost_.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("password hashing failed (out of memory)");
  }
  hashes_.fetch_add(1, std::memory_order_relaxed);
  return std::string(out);
}

bool PasswordHasher::verify(std::string_view stored_hash, std::string_view password) const {
  // crypto_pwhash_str_verify reads a NUL-terminated string of at most STRBYTES.
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES ||
      stored_hash.find('\0') != std::string_view::npos) {
    return false;
  }
  const std::string terminated(stored_hash);
  verifications_.fetch_add(1, std::memory_order_relaxed);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needs_rehash(std::string_view stored_hash) const {
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES) return true;
  const std::string terminated(stored_hash);
  // 0: same algorithm and cost; 1: another cost; -1: not an argon2id hash.
  return crypto_pwhash_argon2id_str_needs_rehash(terminated.c_str(), cost_.ops,
                                                 cost_.memory_bytes) != 0;
}

bool PasswordHasher::verify_against_dummy(std::string_view password) const {
  std::call_once(dummy_once_, [this] { dummy_hash_ = hash(random_token()); });
  // The dummy's password is random and forgotten: this cannot succeed, but it
  // does all the work of a real verification of a hash of this cost.
  verify(dummy_hash_, password);
  return false;
}

}  // namespace masthead::members
