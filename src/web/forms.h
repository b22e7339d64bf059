// Forms: the Mustache context of templates/form.html, built from labelled
// fields, in one vocabulary for every HTML module.
//
// What it is. A form is an action, the CSRF token's hidden field, hidden
// values, labelled fields (text, e-mail, password, or a select), a submit
// button, the errors to show above it, and whether it is a dangerous one
// (delete, cancel). Every key form.html looks up is always set, so that
// nothing resolves in an enclosing Mustache context by accident.
//
// Forms work without JavaScript: labels name their inputs, inputs carry
// autocomplete hints, and limits the server checks are repeated as
// minlength/maxlength for the browser's own help.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "web/web_security.h"

namespace masthead::web {

// One input of templates/form.html.
struct FieldSpec {
  std::string name;
  std::string type = "text";  // "email", "password", "text"
  std::string label;
  std::string autocomplete;  // "email", "current-password", "new-password", "off"
  std::string value;
  std::string hint;
  int minlength = 0;
  int maxlength = 0;
  std::string inputmode;  // "numeric"
  bool required = true;
};

// A select of templates/form.html.
struct Choice {
  std::string value;
  std::string label;
  bool selected = false;
};
struct SelectSpec {
  std::string name;
  std::string label;
  std::vector<Choice> choices;
};

struct FormSpec {
  std::string action;
  std::string id_prefix;  // keeps ids unique on a page
  std::vector<FieldSpec> fields;
  std::vector<SelectSpec> selects;
  std::vector<std::pair<std::string, std::string>> hidden;
  std::string submit;
  std::vector<std::string> errors;
  bool danger = false;
};

boost::json::object make_form(const FormSpec& spec, const CsrfGuard::Token& csrf);

// {url, label} for a page's list of links.
boost::json::object link(std::string url, std::string label);

}  // namespace masthead::web
