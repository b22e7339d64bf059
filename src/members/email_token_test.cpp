// issue_email_link() and check_email_link(): round trip, every way a link
// can be wrong (malformed, tampered, wrong purpose or key, expired at its
// exact instant), and key rotation.
#include "members/email_token.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/iso_time.h"
#include "base/text.h"
#include "members/secret_text.h"

namespace masthead::members {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const base::TimePoint kNow = *base::parse_iso8601("2026-11-18T07:30:00Z");
const std::string kKey(kLinkKeyBytes, 'k');
const std::string kOtherKey(kLinkKeyBytes, 'o');

// The value of `name` in `query`.
std::string param(const std::string& query, std::string_view name) {
  for (std::string_view pair : base::split(query, '&')) {
    if (pair.substr(0, name.size() + 1) == std::string(name) + "=")
      return std::string(pair.substr(name.size() + 1));
  }
  return "";
}

std::string query_of(std::string_view token, std::string_view expires, std::string_view sig) {
  return "token=" + std::string(token) + "&expires=" + std::string(expires) +
         "&sig=" + std::string(sig);
}

TEST(EmailToken, PurposesAndLifetimes) {
  struct Case {
    TokenPurpose purpose;
    const char* name;
    std::chrono::seconds lifetime;
  };
  const Case cases[] = {
      {TokenPurpose::kConfirmEmail, "confirm-email", hours(24)},
      {TokenPurpose::kResetPassword, "reset-password", hours(1)},
      {TokenPurpose::kChangeEmail, "change-email", hours(24)},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(purpose_name(c.purpose), c.name);
    EXPECT_EQ(purpose_from_name(c.name), c.purpose);
    EXPECT_EQ(default_lifetime(c.purpose), c.lifetime) << c.name;
    const IssuedLink link = issue_email_link(c.purpose, 7, "", kKey, kNow);
    EXPECT_EQ(link.record.expires_at, kNow + c.lifetime) << c.name;
  }
  EXPECT_EQ(purpose_from_name("confirm"), std::nullopt);
}

TEST(EmailToken, IssueMakesARecordWithOnlyTheHash) {
  const IssuedLink link = issue_email_link(TokenPurpose::kChangeEmail, 7, "new@example.com", kKey,
                                           kNow + std::chrono::milliseconds(600), hours(2));
  const std::string token = param(link.query, "token");
  EXPECT_TRUE(is_token_text(token)) << link.query;
  EXPECT_EQ(param(link.query, "expires"), std::to_string(base::to_unix_seconds(kNow + hours(2))));
  EXPECT_TRUE(is_token_text(param(link.query, "sig"))) << link.query;
  EXPECT_EQ(link.record, (EmailToken{sha256_hex(token), TokenPurpose::kChangeEmail, 7,
                                     "new@example.com", kNow + hours(2), std::nullopt}));
  EXPECT_NE(issue_email_link(TokenPurpose::kChangeEmail, 7, "", kKey, kNow).query,
            issue_email_link(TokenPurpose::kChangeEmail, 7, "", kKey, kNow).query);
}

TEST(EmailToken, IssueRefusesBadKeysAndLifetimes) {
  EXPECT_THROW(issue_email_link(TokenPurpose::kConfirmEmail, 1, "", "short", kNow),
               std::invalid_argument);
  EXPECT_THROW(issue_email_link(TokenPurpose::kConfirmEmail, 1, "", kKey, kNow, seconds(0)),
               std::invalid_argument);
}

TEST(EmailToken, CheckTable) {
  const IssuedLink link = issue_email_link(TokenPurpose::kResetPassword, 7, "", kKey, kNow);
  const std::string token = param(link.query, "token");
  const std::string expires = param(link.query, "expires");
  const std::string sig = param(link.query, "sig");
  const std::string other_token = random_token();
  const std::string later = std::to_string(std::stoll(expires) + 3600);
  const base::TimePoint end = kNow + hours(1);
  const std::vector<std::string> keys{kKey};
  struct Case {
    const char* what;
    std::string query;
    TokenPurpose purpose;
    base::TimePoint now;
    LinkStatus expected;
  };
  const TokenPurpose reset = TokenPurpose::kResetPassword;
  const Case cases[] = {
      {"as issued", link.query, reset, kNow, LinkStatus::kValid},
      {"one second before expiry", link.query, reset, end - seconds(1), LinkStatus::kValid},
      {"at expiry", link.query, reset, end, LinkStatus::kExpired},
      {"long after", link.query, reset, end + hours(100), LinkStatus::kExpired},
      {"parameters reordered", "sig=" + sig + "&expires=" + expires + "&token=" + token, reset,
       kNow, LinkStatus::kValid},
      {"tracking parameter added", link.query + "&utm_source=mail", reset, kNow,
       LinkStatus::kValid},
      {"another purpose", link.query, TokenPurpose::kConfirmEmail, kNow, LinkStatus::kBadSignature},
      {"expiry pushed back", query_of(token, later, sig), reset, end + seconds(1),
       LinkStatus::kBadSignature},
      {"another token", query_of(other_token, expires, sig), reset, kNow,
       LinkStatus::kBadSignature},
      {"signature of another token", query_of(token, expires, other_token), reset, kNow,
       LinkStatus::kBadSignature},
      {"empty", "", reset, kNow, LinkStatus::kMalformed},
      {"no signature", "token=" + token + "&expires=" + expires, reset, kNow,
       LinkStatus::kMalformed},
      {"no token", "expires=" + expires + "&sig=" + sig, reset, kNow, LinkStatus::kMalformed},
      {"token twice", link.query + "&token=" + token, reset, kNow, LinkStatus::kMalformed},
      {"leading zero", query_of(token, "0" + expires, sig), reset, kNow, LinkStatus::kMalformed},
      {"signed expiry", query_of(token, "+" + expires, sig), reset, kNow, LinkStatus::kMalformed},
      {"huge expiry", query_of(token, "99999999999999999999", sig), reset, kNow,
       LinkStatus::kMalformed},
      {"short token", query_of(token.substr(1), expires, sig), reset, kNow, LinkStatus::kMalformed},
      {"padded signature", query_of(token, expires, sig + "="), reset, kNow,
       LinkStatus::kMalformed},
      {"percent-encoded token", query_of("%41" + token.substr(1), expires, sig), reset, kNow,
       LinkStatus::kMalformed},
      {"very long", link.query + "&x=" + std::string(2000, 'x'), reset, kNow,
       LinkStatus::kMalformed},
  };
  for (const Case& c : cases) {
    const LinkCheck check = check_email_link(c.purpose, c.query, keys, c.now);
    EXPECT_EQ(check.status, c.expected) << c.what;
    if (check.status == LinkStatus::kValid || check.status == LinkStatus::kExpired) {
      EXPECT_EQ(check.token_hash, link.record.token_hash) << c.what;
      EXPECT_EQ(check.expires_at, end) << c.what;
    } else {
      EXPECT_EQ(check.token_hash, "") << c.what;
    }
  }
}

TEST(EmailToken, KeysRotate) {
  const IssuedLink old_link = issue_email_link(TokenPurpose::kConfirmEmail, 7, "", kOtherKey, kNow);
  const std::vector<std::string> both{kOtherKey, kKey};
  const std::vector<std::string> current{kKey};
  const std::vector<std::string> none;
  const std::vector<std::string> broken{"short"};
  EXPECT_EQ(check_email_link(TokenPurpose::kConfirmEmail, old_link.query, both, kNow).status,
            LinkStatus::kValid);
  EXPECT_EQ(check_email_link(TokenPurpose::kConfirmEmail, old_link.query, current, kNow).status,
            LinkStatus::kBadSignature);
  EXPECT_EQ(check_email_link(TokenPurpose::kConfirmEmail, old_link.query, none, kNow).status,
            LinkStatus::kBadSignature);
  EXPECT_EQ(check_email_link(TokenPurpose::kConfirmEmail, old_link.query, broken, kNow).status,
            LinkStatus::kBadSignature);
}

}  // namespace
}  // namespace masthead::members
