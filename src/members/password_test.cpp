// check_password() as a table at its boundaries, the embedded common list,
// and PasswordHasher at libsodium's minimum cost. No test here measures time:
// that the dummy verification does the work of a real one is shown by
// PasswordHasher::work(), which counts it.
#include "members/password.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "members/common_passwords.h"

namespace masthead::members {
namespace {

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(CheckPassword, Table) {
  struct Case {
    std::string password;
    std::string email;
    PasswordProblem expected;
  };
  const Case cases[] = {
      {"", "", PasswordProblem::kTooShort},
      {"correct hor", "", PasswordProblem::kTooShort},    // 11
      {"correct hors", "", PasswordProblem::kNone},       // 12
      {repeat("é", 11), "", PasswordProblem::kTooShort},  // 22 bytes, 11 code points
      {repeat("é", 12), "", PasswordProblem::kNone},
      {repeat("🔑", 12), "", PasswordProblem::kNone},            // 48 bytes, 12 code points
      {repeat("x7", 64), "", PasswordProblem::kNone},           // 128
      {repeat("x7", 64) + "!", "", PasswordProblem::kTooLong},  // 129
      {repeat("é", 128), "", PasswordProblem::kNone},           // 256 bytes, 128 code points
      {repeat("é", 129), "", PasswordProblem::kTooLong},
      {"valid length\xff", "", PasswordProblem::kInvalidText},
      {"\xc3\x28 invalid utf8!", "", PasswordProblem::kInvalidText},
      {"\xed\xa0\x80 surrogate pair", "", PasswordProblem::kInvalidText},
      {"password1234", "", PasswordProblem::kCommon},
      {"PassWord1234", "", PasswordProblem::kCommon},
      {"QWERTYUIOPAS", "", PasswordProblem::kCommon},
      {"123456789012", "", PasswordProblem::kCommon},
      {"iloveyou1234", "", PasswordProblem::kCommon},
      {"aaaaaaaaaaaa", "", PasswordProblem::kCommon},
      {"password1234x", "", PasswordProblem::kNone},  // exact matches only
      {"   spaces count   ", "", PasswordProblem::kNone},
      {"my name is margaret!", "margaret@example.com", PasswordProblem::kContainsEmail},
      {"my name is MARGARET!", "margaret@example.com", PasswordProblem::kContainsEmail},
      {"margaretmargaret", "margaret@example.com", PasswordProblem::kContainsEmail},
      {"my name is margaret!", "marge@example.com", PasswordProblem::kNone},
      {"bob is my friend ok", "bob@example.com", PasswordProblem::kNone},  // 3 chars: not checked
      {"bobs is my friend ok", "bobs@example.com", PasswordProblem::kContainsEmail},  // 4: checked
      {"example.com is mine", "bobs@example.com", PasswordProblem::kNone},  // the domain is fine
      {"short", "margaret@example.com", PasswordProblem::kTooShort},        // first problem wins
  };
  for (const Case& c : cases) {
    EXPECT_EQ(check_password(c.password, c.email), c.expected)
        << "'" << c.password << "' for " << c.email;
  }
}

TEST(CommonPasswords, TheListIsLargeLowercaseAndLongEnoughToMatter) {
  const auto list = detail::common_passwords();
  EXPECT_GE(list.size(), 300u);
  EXPECT_TRUE(std::is_sorted(list.begin(), list.end()));
  for (std::string_view p : list) {
    EXPECT_GE(count_code_points(p), kMinPasswordChars) << p << ": the length rule refuses it first";
    EXPECT_TRUE(std::none_of(p.begin(), p.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        << p << ": entries must be lowercase to match case-insensitively";
    EXPECT_TRUE(detail::is_common_password(p)) << p;
  }
}

TEST(PasswordHasher, HashesVerifiesAndSaltsEachHash) {
  const PasswordHasher hasher(HashCost::minimum());
  const std::string h1 = hasher.hash("correct horse battery");
  const std::string h2 = hasher.hash("correct horse battery");
  EXPECT_EQ(h1.rfind("$argon2id$", 0), 0u) << h1;
  EXPECT_NE(h1, h2) << "a fresh salt each time";
  EXPECT_TRUE(hasher.verify(h1, "correct horse battery"));
  EXPECT_TRUE(hasher.verify(h2, "correct horse battery"));
  EXPECT_FALSE(hasher.verify(h1, "correct horse batterY"));
  EXPECT_FALSE(hasher.verify(h1, "correct horse battery "));
  EXPECT_FALSE(hasher.verify(h1, ""));
  // Not hashes: refused, never a crash.
  for (std::string_view bad :
       {std::string_view(""), std::string_view("plain text"),
        std::string_view("$argon2id$v=19$m=8"), std::string_view("$argon2id\0$v=19", 15)}) {
    EXPECT_FALSE(hasher.verify(bad, "correct horse battery")) << bad;
  }
  EXPECT_FALSE(hasher.verify(std::string(1000, 'x'), "x"));
  // A NUL inside the password is part of it, not its end.
  const std::string with_nul("twelve chars\0more", 17);
  const std::string h3 = hasher.hash(with_nul);
  EXPECT_TRUE(hasher.verify(h3, with_nul));
  EXPECT_FALSE(hasher.verify(h3, "twelve chars"));
}

TEST(PasswordHasher, NeedsRehashWhenTheCostChanged) {
  const PasswordHasher cheap(HashCost::minimum());
  const PasswordHasher dearer(HashCost{HashCost::minimum().ops + 1, 1 << 20});
  const std::string h = cheap.hash("correct horse battery");
  EXPECT_FALSE(cheap.needs_rehash(h));
  EXPECT_TRUE(dearer.needs_rehash(h));
  EXPECT_FALSE(dearer.needs_rehash(dearer.hash("correct horse battery")));
  EXPECT_TRUE(cheap.needs_rehash("not a hash"));
  EXPECT_TRUE(dearer.verify(h, "correct horse battery")) << "old hashes still verify";
}

TEST(PasswordHasher, RefusesCostsOutsideLibsodiumsLimits) {
  EXPECT_THROW(PasswordHasher(HashCost{0, HashCost::minimum().memory_bytes}),
               std::invalid_argument);
  EXPECT_THROW(PasswordHasher(HashCost{HashCost::minimum().ops, 1}), std::invalid_argument);
  EXPECT_EQ(PasswordHasher().cost(), HashCost::interactive());
}

// The dummy verification is a real one, proved by counting rather than by
// timing: it never succeeds, and each call runs exactly one argon2id
// verification, as verify() of a real hash does. The dummy hash is made once,
// by hash(), so with this hasher's cost (needs_rehash is false for what hash()
// makes): a dummy that skipped the verification would show in
// `verifications`, one made some other way than hash() in `hashes`.
TEST(PasswordHasher, TheDummyRunsOneRealVerificationAtTheHashersCost) {
  const PasswordHasher hasher(HashCost::minimum());
  EXPECT_EQ(hasher.work(), (PasswordHasher::Work{0, 0}));
  const std::string real = hasher.hash("correct horse battery");
  EXPECT_FALSE(hasher.needs_rehash(real));
  EXPECT_EQ(hasher.work(), (PasswordHasher::Work{1, 0}));

  EXPECT_FALSE(hasher.verify(real, "wrong password!"));
  EXPECT_EQ(hasher.work(), (PasswordHasher::Work{1, 1})) << "a wrong password: one verification";

  EXPECT_FALSE(hasher.verify_against_dummy("wrong password!"));
  EXPECT_EQ(hasher.work(), (PasswordHasher::Work{2, 2}))
      << "the first dummy call makes the dummy hash once, then verifies against it";
  EXPECT_FALSE(hasher.verify_against_dummy("correct horse battery"));
  EXPECT_FALSE(hasher.verify_against_dummy(""));
  EXPECT_EQ(hasher.work(), (PasswordHasher::Work{2, 4})) << "then one verification per call";
}

}  // namespace
}  // namespace masthead::members
