// Money and lists with ICU; see money.h for the contract.
#include "render/money.h"

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include <unicode/numberformatter.h>
#include <unicode/ucurr.h>
#include <unicode/unistr.h>

#include "render/list_format.h"
#include "render/locale_id.h"

namespace masthead::render {

namespace {

void check(UErrorCode status, const char* what) {
  if (U_FAILURE(status))
    throw std::invalid_argument(std::string("ICU: ") + what + ": " + u_errorName(status));
}

bool is_currency_shape(std::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code)
    if (c < 'A' || c > 'Z') return false;
  return true;
}

// "-12.34" from -1234 and 2 digits; "1000" from 1000 and 0 digits.
std::string decimal_text(std::int64_t minor, int digits) {
  const bool negative = minor < 0;
  // Magnitude as unsigned: INT64_MIN has no positive counterpart.
  std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  std::string text = std::to_string(magnitude);
  if (digits > 0) {
    if (text.size() <= static_cast<std::size_t>(digits))
      text.insert(0, static_cast<std::size_t>(digits) + 1 - text.size(), '0');
    text.insert(text.size() - static_cast<std::size_t>(digits), ".");
  }
  return negative ? "-" + text : text;
}

}  // namespace

int currency_digits(std::string_view currency) {
  if (!is_currency_shape(currency))
    throw std::invalid_argument("not a currency code: '" + std::string(currency) + "'");
  icu::UnicodeString code = icu::UnicodeString::fromUTF8(
      icu::StringPiece(currency.data(), static_cast<std::int32_t>(currency.size())));
  UErrorCode status = U_ZERO_ERROR;
  const int digits = ucurr_getDefaultFractionDigits(code.getTerminatedBuffer(), &status);
  check(status, "currency digits");
  // ICU answers 2 for codes it does not know; anything odd is treated the same.
  return digits < 0 || digits > 6 ? 2 : digits;
}

std::string format_money(std::string_view locale, std::int64_t minor_units,
                         std::string_view currency) {
  if (!is_currency_shape(currency))
    throw std::invalid_argument("not a currency code: '" + std::string(currency) + "'");
  const icu::Locale loc = parse_locale_id(locale);
  icu::UnicodeString code = icu::UnicodeString::fromUTF8(
      icu::StringPiece(currency.data(), static_cast<std::int32_t>(currency.size())));
  const int digits = currency_digits(currency);
  std::int64_t scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;

  UErrorCode status = U_ZERO_ERROR;
  icu::CurrencyUnit unit(code.getTerminatedBuffer(), status);
  check(status, "currency unit");
  auto formatter = icu::number::NumberFormatter::withLocale(loc).unit(unit);
  formatter = minor_units % scale == 0
                  ? formatter.precision(icu::number::Precision::integer())
                  : formatter.precision(icu::number::Precision::fixedFraction(digits));
  const std::string decimal = decimal_text(minor_units, digits);
  status = U_ZERO_ERROR;
  auto formatted = formatter.formatDecimal(
      icu::StringPiece(decimal.data(), static_cast<std::int32_t>(decimal.size())), status);
  check(status, "format money");
  std::string out;
  formatted.toString(status).toUTF8String(out);
  check(status, "format money");
  return out;
}

std::string format_list(std::string_view locale, const std::vector<std::string>& items) {
  return join_list(locale, items);
}

}  // namespace masthead::render
