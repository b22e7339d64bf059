// TemplateSet: the site's Mustache templates, compiled together, rendered
// against Boost.JSON data.
//
// What it is. Handlers render pages by name: set.render_to(out, "article",
// context). The set owns every template, so partials ({{> header}}) are
// resolved once, at compile(), to direct indexes, and an unknown partial is a
// startup error rather than a blank region on a live page.
//
// Lifecycle. add() stores sources; compile() parses all of them (template.h),
// resolves partials and checks partial recursion, then replaces the compiled
// state in one step. If compile() throws, the previously compiled templates
// stay in use. add() and compile() must not run concurrently with render.
//
// Rendering is const and keeps its state (the context stack, the partial
// depth) in a local object, so any number of threads may render from one set.
// It allocates nothing per node: output goes straight into the caller's string
// (reserved once from the template's literal size), names are looked up in the
// JSON objects by string_view, numbers are formatted into a stack buffer.
//
// Semantics (the Mustache spec, without lambdas and inheritance):
//   - lookup: the first part of a dotted name is searched in the context stack,
//     innermost first; later parts are looked up in the value found, only there;
//     a miss anywhere is an empty value. {{.}} is the innermost context.
//   - falsey: missing, null, false, an empty array, an empty string. Everything
//     else (0, {}) is truthy.
//   - sections: arrays render the body once per element with the element
//     pushed; any other truthy value renders it once with the value pushed.
//   - interpolation: strings as they are, integers in decimal, doubles in the
//     shortest form that reads back exactly (2.5, 3 for 3.0), booleans as
//     "true"/"false"; null, arrays and objects as nothing.
//   - recursion: a partial may include itself through a section (a comment
//     thread, a nested menu). A cycle of partials with no section in between can
//     never stop and is rejected by compile(). At render time nesting is capped
//     (kMaxPartialDepth partials, kMaxContextDepth contexts); past the cap
//     render throws TemplateError rather than exhausting the stack.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include "render/template.h"
#include "render/template_error.h"

namespace masthead::render {

class TemplateSet {
 public:
  static constexpr std::size_t kMaxPartialDepth = 64;
  static constexpr std::size_t kMaxContextDepth = 256;

  // Stores `source` under `name` (replacing an earlier source of that name).
  // Nothing is parsed until compile().
  void add(std::string name, std::string source);

  // Parses every source and resolves partials. Throws TemplateError.
  void compile();

  // True when `name` was compiled and can be rendered.
  bool has(std::string_view name) const;

  // Appends the rendering of template `name` to `out`. Throws TemplateError
  // for an unknown template or runaway partial recursion.
  void render_to(std::string& out, std::string_view name, const boost::json::value& context) const;

  std::string render(std::string_view name, const boost::json::value& context) const;

 private:
  std::map<std::string, std::string, std::less<>> sources_;
  std::vector<Template> templates_;
  // Literal bytes of each template plus the partials it can reach.
  std::vector<std::size_t> size_hints_;
  std::map<std::string, std::uint32_t, std::less<>> index_;
};

}  // namespace masthead::render
