// normalize_email(), as a table: what is folded, what is refused and why.
#include "members/email.h"

#include <gtest/gtest.h>

#include <string>

namespace masthead::members {
namespace {

TEST(NormalizeEmail, AcceptsAndFolds) {
  struct Case {
    std::string typed, normalized;
  };
  const Case cases[] = {
      {"reader@example.com", "reader@example.com"},
      {"  Reader@Example.COM \t\n", "reader@example.com"},
      {"first.last+news@sub.example.co.uk", "first.last+news@sub.example.co.uk"},
      {"o'brien@example.com", "o'brien@example.com"},
      {"ÜNÏ@exämple.com", "ÜnÏ@exämple.com"},  // only ASCII letters fold
      {std::string(64, 'a') + "@example.com", std::string(64, 'a') + "@example.com"},
      // 64 + 1 + 189 = 254 bytes: the largest address.
      {std::string(64, 'a') + "@" + std::string(185, 'b') + ".com",
       std::string(64, 'a') + "@" + std::string(185, 'b') + ".com"},
  };
  for (const Case& c : cases) {
    const auto result = normalize_email(c.typed);
    ASSERT_TRUE(result) << c.typed << ": " << result.error().message;
    EXPECT_EQ(result.value(), c.normalized);
  }
}

TEST(NormalizeEmail, RefusesWithASentence) {
  struct Case {
    std::string typed, message_contains;
  };
  const Case cases[] = {
      {"", "enter an e-mail"},
      {"   ", "enter an e-mail"},
      {"reader", "needs an @"},
      {"reader@@example.com", "only one @"},
      {"a@b@example.com", "only one @"},
      {"@example.com", "before the @ sign is missing"},
      {"reader@", "after the @ sign is missing"},
      {"reader@localhost", "needs a dot"},
      {"reader@.example.com", "cannot start or end with a dot"},
      {"reader@example.com.", "cannot start or end with a dot"},
      {"reader@example..com", "two in a row"},
      {"re ader@example.com", "spaces or control"},
      {"reader@example.com\r\nBcc: x@example.com", "spaces or control"},
      {std::string("re\0ader@example.com", 19), "spaces or control"},
      {"reader\x7f@example.com", "spaces or control"},
      {"\"quoted\"@example.com", "character \""},
      {"a<b@example.com", "character <"},
      {"a,b@example.com", "character ,"},
      {"a;b@example.com", "character ;"},
      {"a\\b@example.com", "character \\"},
      {"reader@[192.0.2.1]", "character ["},
      {std::string(65, 'a') + "@example.com", "at most 64"},
      {std::string(64, 'a') + "@" + std::string(186, 'b') + ".com", "at most 254"},
      {"re\xff"
       "ader@example.com",
       "invalid text"},
  };
  for (const Case& c : cases) {
    const auto result = normalize_email(c.typed);
    ASSERT_FALSE(result) << c.typed;
    EXPECT_NE(result.error().message.find(c.message_contains), std::string::npos)
        << c.typed << " → " << result.error().message;
  }
}

TEST(NormalizeEmail, LocalPart) {
  EXPECT_EQ(local_part("reader@example.com"), "reader");
  EXPECT_EQ(local_part("no-at"), "");
}

}  // namespace
}  // namespace masthead::members
