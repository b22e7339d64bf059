// format_money / format_list: prices and lists the way each locale writes
// them, from integer minor units (no floating point anywhere).
#include "render/money.h"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

namespace masthead::render {
namespace {

TEST(FormatMoney, WholeAmountsDropMinorDigits) {
  EXPECT_EQ(format_money("en-GB", 900, "GBP"), "£9");
  EXPECT_EQ(format_money("en-US", 2900, "USD"), "$29");
  EXPECT_EQ(format_money("en-GB", 9000, "GBP"), "£90");
  EXPECT_EQ(format_money("en-US", 123456700, "USD"), "$1,234,567");
}

TEST(FormatMoney, OtherAmountsKeepTheCurrencyDigits) {
  EXPECT_EQ(format_money("en-GB", 950, "GBP"), "£9.50");
  EXPECT_EQ(format_money("en-US", 1, "USD"), "$0.01");
  EXPECT_EQ(format_money("en-US", 10, "USD"), "$0.10");
  // Exact decimals: 0.1 + 0.2 style drift cannot appear.
  EXPECT_EQ(format_money("en-US", 30, "USD"), "$0.30");
  EXPECT_EQ(format_money("en-US", 999999999999, "USD"), "$9,999,999,999.99");
}

TEST(FormatMoney, CurrenciesWithoutMinorUnits) {
  // JPY has no minor unit: 1000 minor units are ¥1,000.
  const std::string yen = format_money("ja-JP", 1000, "JPY");
  EXPECT_NE(yen.find("1,000"), std::string::npos) << yen;
  EXPECT_EQ(yen.find('.'), std::string::npos) << yen;
}

TEST(FormatMoney, TheLocalePlacesSymbolAndSeparators) {
  const std::string de = format_money("de-DE", 1250, "EUR");
  EXPECT_NE(de.find("12,50"), std::string::npos) << de;
  EXPECT_NE(de.find("€"), std::string::npos) << de;
  EXPECT_EQ(format_money("en-US", 950, "GBP"), "£9.50");
}

TEST(FormatMoney, ZeroAndNegative) {
  EXPECT_EQ(format_money("en-US", 0, "USD"), "$0");
  EXPECT_EQ(format_money("en-US", -150, "USD"), "-$1.50");
  // The most negative value has no positive counterpart; it still formats.
  EXPECT_NO_THROW(format_money("en-US", std::numeric_limits<std::int64_t>::min(), "USD"));
}

TEST(FormatMoney, RefusesMalformedInput) {
  EXPECT_THROW(format_money("en-US", 100, "usd"), std::invalid_argument);
  EXPECT_THROW(format_money("en-US", 100, "DOLLARS"), std::invalid_argument);
  EXPECT_THROW(format_money("", 100, "USD"), std::invalid_argument);
}

TEST(CurrencyDigits, FromIcusCurrencyData) {
  EXPECT_EQ(currency_digits("GBP"), 2);
  EXPECT_EQ(currency_digits("JPY"), 0);
  EXPECT_EQ(currency_digits("KWD"), 3);
  EXPECT_THROW(currency_digits("gbp"), std::invalid_argument);
}

TEST(FormatList, JoinsWithTheLocalesPattern) {
  EXPECT_EQ(format_list("en-US", {}), "");
  EXPECT_EQ(format_list("en-US", {"web"}), "web");
  EXPECT_EQ(format_list("en-US", {"web", "apps"}), "web and apps");
  EXPECT_EQ(format_list("en-US", {"web", "apps", "print"}), "web, apps, and print");
  EXPECT_EQ(format_list("en-GB", {"web", "apps", "print"}), "web, apps and print");
  EXPECT_EQ(format_list("ja-JP", {"A", "B", "C"}), "A、B、C");
}

}  // namespace
}  // namespace masthead::render
