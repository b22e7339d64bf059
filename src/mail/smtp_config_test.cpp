// check_smtp_config(): what SmtpSender refuses before it ever connects. A
// URL other than smtp:// or smtps://, credentials in the URL (and never
// echoed in the message), STARTTLS asked of an smtps:// URL, a From that is
// not an address, a user name without a password. Pure: no server, so these
// run with the unit tests (the sender against a real SMTP server is
// smtp_sender_test.cpp, in mail_smtp_test).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "mail/smtp_sender.h"  // check_smtp_config, SmtpSender

namespace masthead::mail {
namespace {

TEST(SmtpConfig, IsChecked) {
  SmtpConfig c{.url = "smtp://127.0.0.1:2525", .from = "news@gazette.test"};
  EXPECT_EQ(check_smtp_config(c), "");
  c.url = "http://127.0.0.1";
  EXPECT_NE(check_smtp_config(c), "");
  c.url = "smtp://user:pw@127.0.0.1";
  EXPECT_NE(check_smtp_config(c), "");
  EXPECT_EQ(check_smtp_config(c).find("pw"), std::string::npos);
  c.url = "smtps://127.0.0.1";
  c.require_starttls = true;
  EXPECT_NE(check_smtp_config(c), "");
  c.require_starttls = false;
  c.from = "not an address";
  EXPECT_NE(check_smtp_config(c), "");
  c.from = "news@gazette.test";
  c.username = "u";
  EXPECT_NE(check_smtp_config(c), "");
  EXPECT_THROW(SmtpSender{c}, std::invalid_argument);
}

}  // namespace
}  // namespace masthead::mail
