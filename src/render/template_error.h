// TemplateError: what goes wrong with a template, and where.
//
// Every problem the template engine finds (an unclosed section, a close tag
// that does not match its open tag, a partial nobody added, a tag that never
// ends, partials that include each other forever) is reported as one
// TemplateError. It carries the template's name and the 1-based line and
// column of the offending tag, so a newsroom developer editing
// templates/article.mustache sees "article:42:7: ..." and can jump there.
//
// Errors found while rendering (a partial recursion deeper than the limit, a
// template name nobody compiled) use the same type; line and column then point
// at the partial tag involved, or are 0 when no tag is involved.
//
// Invariant: what() is always "name:line:column: message", formatted once in
// the constructor; the parts stay available for tests and tooling.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace masthead::render {

class TemplateError : public std::runtime_error {
 public:
  TemplateError(std::string template_name, std::uint32_t line, std::uint32_t column,
                std::string message);

  const std::string& template_name() const { return template_name_; }
  std::uint32_t line() const { return line_; }
  std::uint32_t column() const { return column_; }
  // The message without the "name:line:column: " prefix.
  const std::string& message() const { return message_; }

 private:
  std::string template_name_;
  std::uint32_t line_;
  std::uint32_t column_;
  std::string message_;
};

}  // namespace masthead::render
