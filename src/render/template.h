// Template: one Mustache template, parsed once into a flat list of nodes.
//
// What it is. The parser turns template source into a compact program that the
// renderer (template_set.cpp) walks with no further string scanning:
//
//   kText       a run of literal text, stored in text()
//   kEscaped    {{name}}         value looked up and HTML-escaped
//   kUnescaped  {{{name}}} and {{& name}}   value looked up, copied verbatim
//   kSection    {{#name}} ... {{/name}}     body rendered per the value
//   kInverted   {{^name}} ... {{/name}}     body rendered when the value is falsey
//   kPartial    {{> name}}                  another template, indented if standalone
//
// Comments {{! }} and set-delimiter tags {{=<% %>=}} produce no node.
//
// The key idea: sections are not a tree of heap objects but a range of the same
// vector. A section node at index i owns the nodes [i + 1, node.second), so the
// renderer recurses on index ranges and skipping a falsey section is a jump.
// Literal text, tag names (split on '.' once, here) and partial indentation all
// live in one string, text(); nodes refer to it by offset, so a Template can be
// moved freely and a render touches a few contiguous arrays.
//
// Whitespace. The Mustache spec's standalone rule is applied while parsing: a
// section, inverted, close, comment, partial or set-delimiter tag that is the
// only non-blank thing on its line takes the whole line with it (leading blanks
// and the line ending, "\n" or "\r\n"). A standalone partial keeps the leading
// blanks as its indentation, which the renderer puts before each line of the
// partial. To make that possible each node records whether it starts a line of
// the source (starts_line); a dropped tag at the start of a line leaves an empty
// text node carrying the flag.
//
// Invariants (check() asserts them):
//   - every kText node's [first, first + second) lies inside text();
//   - every section/inverted node's end index is > its own index and <= the end
//     of the enclosing range, so ranges nest properly;
//   - every name index and partial index is in range.
// Partials are named here and resolved to template indexes by TemplateSet,
// which owns all templates; resolve_partial() fills PartialRef::target.
//
// To extend (say, lambdas or inheritance): add a NodeKind, teach the parser's
// tag switch to emit it and the renderer's node switch to run it.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace masthead::render {

enum class NodeKind : std::uint8_t {
  kText,
  kEscaped,
  kUnescaped,
  kSection,
  kInverted,
  kPartial,
};

struct Node {
  NodeKind kind;
  // True when the node begins a line of the template source; used only to
  // indent standalone partials.
  bool starts_line;
  // kText: offset into text(). kEscaped/kUnescaped/kSection/kInverted: index
  // into names(). kPartial: index into partials().
  std::uint32_t first;
  // kText: length in bytes. kSection/kInverted: index one past the last node of
  // the body. Unused otherwise.
  std::uint32_t second;
};

// A piece of text() by offset, so that it survives moves of the Template.
struct TextRef {
  std::uint32_t offset;
  std::uint32_t size;
};

// A tag name such as "article.author.name": parts [first_part, first_part +
// part_count) of parts(). part_count == 0 means the implicit iterator "{{.}}".
struct Name {
  std::uint32_t first_part;
  std::uint32_t part_count;
};

struct PartialRef {
  static constexpr std::uint32_t kUnresolved = std::numeric_limits<std::uint32_t>::max();

  TextRef name;
  // Leading blanks of a standalone partial tag; empty when not standalone.
  TextRef indent;
  // A standalone partial indents each of its lines by the indentation in
  // force plus `indent`; an inline one is not indented.
  bool standalone;
  std::uint32_t line;
  std::uint32_t column;
  // True when the tag sits inside a section or inverted section, so recursion
  // through it can stop when the data runs out.
  bool guarded;
  // Index of the partial in the owning TemplateSet, set by resolve_partial().
  std::uint32_t target = kUnresolved;
};

class Template {
 public:
  // Parses `source`. Throws TemplateError (with `name`, line and column) for
  // an unclosed tag or section, a mismatched close tag, an empty or malformed
  // tag name, or a malformed set-delimiter tag.
  static Template parse(std::string name, std::string_view source);

  const std::string& name() const { return name_; }
  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<Name>& names() const { return names_; }
  const std::vector<TextRef>& parts() const { return parts_; }
  const std::vector<PartialRef>& partials() const { return partials_; }
  const std::string& text() const { return text_; }

  std::string_view view(TextRef ref) const { return {text_.data() + ref.offset, ref.size}; }

  // Bytes of literal text, a hint for reserving output space.
  std::size_t literal_size() const { return literal_size_; }

  // Sets the TemplateSet index that partial `index` refers to.
  void resolve_partial(std::size_t index, std::uint32_t target) {
    partials_[index].target = target;
  }

  // Asserts the invariants listed at the top of this file.
  void check() const;

 private:
  friend class TemplateParser;

  std::string name_;
  std::vector<Node> nodes_;
  std::vector<Name> names_;
  std::vector<TextRef> parts_;
  std::vector<PartialRef> partials_;
  std::string text_;
  std::size_t literal_size_ = 0;
};

}  // namespace masthead::render
