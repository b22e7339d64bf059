// session_state() as a table at the boundaries of both timeouts, and the
// shape of tokens, CSRF secrets and hashes (secret_text.h).
#include "members/session.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "base/iso_time.h"
#include "members/secret_text.h"

namespace masthead::members {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const base::TimePoint kLogin = *base::parse_iso8601("2026-11-18T07:30:00Z");

TEST(SessionState, TableAtTheBoundaries) {
  const SessionPolicy policy;  // 30 min idle, 12 h absolute
  ASSERT_EQ(policy.idle_timeout, minutes(30));
  ASSERT_EQ(policy.absolute_timeout, hours(12));
  struct Case {
    const char* what;
    base::TimePoint last_seen, now;
    SessionState expected;
  };
  const base::TimePoint kEnd = kLogin + hours(12);
  const Case cases[] = {
      {"just created", kLogin, kLogin, SessionState::kValid},
      {"idle one second short", kLogin, kLogin + minutes(30) - seconds(1), SessionState::kValid},
      {"idle exactly", kLogin, kLogin + minutes(30), SessionState::kIdleExpired},
      {"idle past", kLogin, kLogin + hours(2), SessionState::kIdleExpired},
      {"active, absolute one second short", kEnd - minutes(1), kEnd - seconds(1),
       SessionState::kValid},
      {"active, absolute exactly", kEnd - minutes(1), kEnd, SessionState::kAbsolutelyExpired},
      {"active, absolute past", kEnd, kEnd + seconds(1), SessionState::kAbsolutelyExpired},
      {"both passed: absolute wins", kLogin, kEnd + hours(1), SessionState::kAbsolutelyExpired},
      {"a clock that went back", kLogin + minutes(10), kLogin, SessionState::kValid},
  };
  for (const Case& c : cases) {
    const Session s{"h", 1, kLogin, c.last_seen, "csrf"};
    EXPECT_EQ(session_state(s, policy, c.now), c.expected) << c.what;
  }
}

TEST(SessionState, FollowsThePolicy) {
  const SessionPolicy policy{seconds(60), minutes(5)};
  const Session s{"h", 1, kLogin, kLogin + minutes(4), "csrf"};
  EXPECT_EQ(session_state(s, policy, kLogin + minutes(4) + seconds(59)), SessionState::kValid);
  EXPECT_EQ(session_state(s, policy, kLogin + minutes(5)), SessionState::kAbsolutelyExpired);
  const Session idle{"h", 1, kLogin, kLogin, "csrf"};
  EXPECT_EQ(session_state(idle, policy, kLogin + seconds(60)), SessionState::kIdleExpired);
}

TEST(SessionToken, Is256RandomBitsAsBase64Url) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = new_session_token();
    EXPECT_EQ(token.size(), kTokenChars);
    EXPECT_TRUE(is_token_text(token)) << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(SessionToken, NewSessionKeepsOnlyTheHash) {
  const std::string token = new_session_token();
  const Session s = new_session(token, 42, kLogin + std::chrono::milliseconds(900));
  EXPECT_EQ(s.token_hash, session_token_hash(token));
  EXPECT_EQ(s.token_hash.size(), 64u);
  EXPECT_EQ(s.token_hash.find(token), std::string::npos);
  EXPECT_EQ(s.account_id, 42);
  EXPECT_EQ(s.created_at, kLogin) << "whole seconds";
  EXPECT_EQ(s.last_seen_at, kLogin);
  EXPECT_TRUE(is_token_text(s.csrf_secret));
  EXPECT_NE(s.csrf_secret, token);
  EXPECT_NE(new_session(token, 42, kLogin).csrf_secret, s.csrf_secret) << "fresh per session";
}

TEST(SecretText, Sha256HexIsTheStandardDigest) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SecretText, IsTokenTextAcceptsOnlyCanonicalTokens) {
  const std::string good = random_token();
  struct Case {
    std::string text;
    bool expected;
  };
  const Case cases[] = {
      {good, true},
      {std::string(43, 'A'), true},
      {std::string(42, 'A') + "B", false},  // non-zero trailing bits: not canonical
      {std::string(42, 'A') + "E", true},   // 000100: the last two bits are zero
      {std::string(42, 'A'), false},
      {std::string(44, 'A'), false},
      {good.substr(0, 42) + "=", false},
      {good.substr(0, 42) + "+", false},
      {good.substr(0, 42) + "/", false},
      {good.substr(0, 42) + "\xc3", false},
      {"", false},
  };
  for (const Case& c : cases) EXPECT_EQ(is_token_text(c.text), c.expected) << c.text;
}

TEST(SecretText, EqualInConstantTime) {
  EXPECT_TRUE(equal_in_constant_time("abc", "abc"));
  EXPECT_TRUE(equal_in_constant_time("", ""));
  EXPECT_FALSE(equal_in_constant_time("abc", "abd"));
  EXPECT_FALSE(equal_in_constant_time("abc", "ab"));
  EXPECT_FALSE(equal_in_constant_time("", "a"));
}

}  // namespace
}  // namespace masthead::members
