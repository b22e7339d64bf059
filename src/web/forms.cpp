// See forms.h.
#include "web/forms.h"

namespace masthead::web {

namespace json = boost::json;

json::object make_form(const FormSpec& spec, const CsrfGuard::Token& csrf) {
  json::array fields;
  auto id_of = [&](std::string_view name) { return spec.id_prefix + "-" + std::string(name); };
  for (const FieldSpec& f : spec.fields) {
    json::object o{
        {"id", id_of(f.name)},
        {"name", f.name},
        {"type", f.type},
        {"label", f.label},
        {"is_select", false},
        {"required", f.required},
        {"autocomplete", f.autocomplete.empty() ? json::value(false) : json::value(f.autocomplete)},
        {"value", f.value.empty() ? json::value(false) : json::value(f.value)},
        {"hint", f.hint.empty() ? json::value(false) : json::value(f.hint)},
        {"minlength", f.minlength > 0 ? json::value(f.minlength) : json::value(false)},
        {"maxlength", f.maxlength > 0 ? json::value(f.maxlength) : json::value(false)},
        {"inputmode", f.inputmode.empty() ? json::value(false) : json::value(f.inputmode)}};
    fields.push_back(std::move(o));
  }
  for (const SelectSpec& s : spec.selects) {
    json::array choices;
    for (const Choice& c : s.choices)
      choices.push_back(
          json::object{{"value", c.value}, {"label", c.label}, {"selected", c.selected}});
    fields.push_back(json::object{{"id", id_of(s.name)},
                                  {"name", s.name},
                                  {"label", s.label},
                                  {"is_select", true},
                                  {"choices", std::move(choices)},
                                  {"hint", false}});
  }
  json::array hidden;
  for (const auto& [name, value] : spec.hidden)
    hidden.push_back(json::object{{"name", name}, {"value", value}});
  json::array errors;
  for (const std::string& e : spec.errors) errors.emplace_back(e);
  return json::object{
      {"action", spec.action},         {"csrf", csrf.field},          {"novalidate", false},
      {"fields", std::move(fields)},   {"hidden", std::move(hidden)}, {"submit", spec.submit},
      {"has_errors", !errors.empty()}, {"errors", std::move(errors)}, {"danger", spec.danger}};
}

json::object link(std::string url, std::string label) {
  return json::object{{"url", std::move(url)}, {"label", std::move(label)}};
}

}  // namespace masthead::web
