// Form: the fields of an HTML form posted as
// application/x-www-form-urlencoded.
//
// What it is. Browsers send a form's fields in the request body encoded as
// a query string ("email=a%40b.example&password=..."; "+" for space). This
// decodes them with Boost.URL, after checking the Content-Type, so a handler
// reads named values instead of parsing bytes. Anything else — another
// content type, a malformed encoding, more than kMaxFields fields, a field
// that is not valid UTF-8 — is an error the handler answers with 400 or 415.
// Repeated names keep every value in order; get() returns the first.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "http/request.h"

namespace masthead::http {

struct Form {
  static constexpr std::size_t kMaxFields = 64;

  std::vector<std::pair<std::string, std::string>> fields;

  // The first value of `name`, if the form has it.
  std::optional<std::string_view> get(std::string_view name) const;
  // The first value of `name`, or empty.
  std::string_view value(std::string_view name) const { return get(name).value_or(""); }
};

enum class FormError { kNotAForm, kMalformed };

// Parses `request`'s body; kNotAForm when the Content-Type is not
// application/x-www-form-urlencoded (415), kMalformed otherwise (400).
std::variant<Form, FormError> parse_form(const Request& request);

}  // namespace masthead::http
