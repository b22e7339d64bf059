// check_stripe_config(): what StripeGateway refuses before it makes a
// request. A secret key that is not one (a publishable key, never echoed in
// the message), and an API base over plain http anywhere but loopback (a
// look-alike host name included). Pure: no server, so these run with the
// unit tests; the gateway against tests/tools/fake_stripe.py is
// stripe_gateway_test.cpp (payments_stripe_test).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "payments/stripe_gateway.h"  // check_stripe_config, StripeGateway

namespace masthead::payments {
namespace {

TEST(StripeConfig, IsChecked) {
  StripeConfig c;
  c.secret_key = "sk_test_x";
  EXPECT_EQ(check_stripe_config(c), "");
  c.api_base = "http://api.stripe.com";
  EXPECT_NE(check_stripe_config(c), "") << "plain http off loopback";
  c.api_base = "http://127.0.0.1:12345";
  EXPECT_EQ(check_stripe_config(c), "");
  c.api_base = "http://127.0.0.1.evil.test";
  EXPECT_NE(check_stripe_config(c), "");
  c.api_base = "https://api.stripe.com";
  c.secret_key = "pk_test_publishable";
  EXPECT_NE(check_stripe_config(c), "");
  EXPECT_EQ(check_stripe_config(c).find("pk_test_publishable"), std::string::npos);
  EXPECT_THROW(StripeGateway{c}, std::invalid_argument);
}

}  // namespace
}  // namespace masthead::payments
