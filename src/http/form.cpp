// See form.h.
#include "http/form.h"

#include <boost/url/parse_query.hpp>

#include "base/text.h"
#include "http/ascii.h"

namespace masthead::http {

std::optional<std::string_view> Form::get(std::string_view name) const {
  for (const auto& [key, value] : fields)
    if (key == name) return std::string_view(value);
  return std::nullopt;
}

std::variant<Form, FormError> parse_form(const Request& request) {
  std::string_view type = request.header("Content-Type");
  std::string_view media = trim_ows(type.substr(0, type.find(';')));
  if (!iequals(media, "application/x-www-form-urlencoded")) return FormError::kNotAForm;

  auto parsed = boost::urls::parse_query(request.body);
  if (!parsed) return FormError::kMalformed;
  boost::urls::encoding_opts options;
  options.space_as_plus = true;
  Form form;
  for (auto param : *parsed) {
    if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
    if (form.fields.size() == Form::kMaxFields) return FormError::kMalformed;
    std::string key;
    std::string value;
    param.key.decode(options, boost::urls::string_token::assign_to(key));
    if (param.has_value) param.value.decode(options, boost::urls::string_token::assign_to(value));
    if (!base::is_valid_utf8(key) || !base::is_valid_utf8(value)) return FormError::kMalformed;
    form.fields.emplace_back(std::move(key), std::move(value));
  }
  return form;
}

}  // namespace masthead::http
