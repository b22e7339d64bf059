// Money and lists as a reader in one locale expects to read them.
//
// What it is. Billing keeps money as an integer count of the currency's minor
// units (2900 = $29.00) and an ISO 4217 code; pages show "$29", "£9.50",
// "￥1,000", "€12,50". format_money() turns the integer into that text with
// ICU's NumberFormatter (CLDR data): the locale picks the symbol, its place,
// the separators and the spacing, and the currency picks how many minor
// digits it has (ucurr_getDefaultFractionDigits: 2 for GBP, 0 for JPY).
//
// The key idea: no floating point. The amount is built as a decimal string
// ("29.00") from the integer and handed to ICU as a decimal number, so
// 0.1 + 0.2 never shows up on a price. Whole amounts drop their minor digits
// ("£9", not "£9.00"), as offers read ("3 months at $9/month"); others keep
// exactly the currency's digits ("£9.50").
//
// format_list() joins short phrases with the locale's list pattern ("web,
// apps and print" / "web、apps、print"), for what a plan includes; it is
// render::join_list() (list_format.h), which new code should call.
//
// Thread safety: both functions build their ICU formatter per call and share
// nothing; they may be called from any thread. Each call costs a few
// microseconds, which pages showing a handful of prices do not notice.
//
// Errors: an unknown locale or a currency that is not three ASCII letters
// throws std::invalid_argument (callers pass validated plans; see
// billing::validate).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace masthead::render {

// `minor_units` of `currency` ("GBP") for a reader in `locale` ("en-GB").
std::string format_money(std::string_view locale, std::int64_t minor_units,
                         std::string_view currency);

// How many minor digits `currency` has (2 for GBP, 0 for JPY, 3 for KWD), by
// ICU's currency data; what the CLI needs to read "9.00" into minor units.
int currency_digits(std::string_view currency);

// The items joined with the locale's "and" list pattern; "" when empty.
// Same as join_list() in list_format.h.
std::string format_list(std::string_view locale, const std::vector<std::string>& items);

}  // namespace masthead::render
