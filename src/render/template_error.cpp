// TemplateError: formats "name:line:column: message" once. See template_error.h.
#include "render/template_error.h"

#include <utility>

namespace masthead::render {

namespace {

std::string format_what(const std::string& name, std::uint32_t line, std::uint32_t column,
                        const std::string& message) {
  std::string what = name;
  what += ':';
  what += std::to_string(line);
  what += ':';
  what += std::to_string(column);
  what += ": ";
  what += message;
  return what;
}

}  // namespace

TemplateError::TemplateError(std::string template_name, std::uint32_t line, std::uint32_t column,
                             std::string message)
    : std::runtime_error(format_what(template_name, line, column, message)),
      template_name_(std::move(template_name)),
      line_(line),
      column_(column),
      message_(std::move(message)) {}

}  // namespace masthead::render
