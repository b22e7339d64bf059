// Template parsing: Mustache source -> flat node list. See template.h for the
// node format and the standalone-line rule.
//
// The parser is a single left-to-right scan. `text_begin` marks literal text
// not yet emitted; at each tag the text before it is emitted (trimmed back to
// the start of the line when the tag is standalone), the tag becomes a node or
// changes parser state, and scanning resumes after the tag (or after the whole
// line for a standalone tag). Open sections wait on a stack until their close
// tag fills in the section's end index.
#include "render/template.h"

#include <cassert>
#include <utility>

#include "render/template_error.h"

namespace masthead::render {

namespace {

constexpr bool is_blank(char c) {
  return c == ' ' || c == '\t';
}
constexpr bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool has_space(std::string_view s) {
  for (char c : s) {
    if (is_space(c)) return true;
  }
  return false;
}

enum class TagKind {
  kVariable,    // {{name}}
  kUnescaped,   // {{& name}} and {{{name}}}
  kSection,     // {{#name}}
  kInverted,    // {{^name}}
  kClose,       // {{/name}}
  kComment,     // {{! ... }}
  kPartial,     // {{> name}}
  kDelimiters,  // {{=<% %>=}}
};

}  // namespace

class TemplateParser {
 public:
  TemplateParser(std::string name, std::string_view source) : source_(source) {
    template_.name_ = std::move(name);
  }

  Template run() {
    std::size_t text_begin = 0;
    while (true) {
      const std::size_t open = source_.find(open_, text_begin);
      if (open == std::string_view::npos) {
        emit_text(text_begin, source_.size());
        break;
      }
      text_begin = tag(open, text_begin);
    }
    if (!sections_.empty()) {
      const OpenSection& s = sections_.back();
      throw TemplateError(template_.name_, s.line, s.column,
                          "unclosed section {{#" + std::string(s.name) + "}}: no {{/" +
                              std::string(s.name) + "}} before the end of the template");
    }
    template_.check();
    return std::move(template_);
  }

 private:
  struct OpenSection {
    std::uint32_t node;
    std::string_view name;
    std::uint32_t line;
    std::uint32_t column;
  };

  // Handles the tag opening at `open`; returns where literal text resumes.
  std::size_t tag(std::size_t open, std::size_t text_begin) {
    std::size_t content_begin = open + open_.size();
    const char sigil = content_begin < source_.size() ? source_[content_begin] : '\0';
    TagKind kind = TagKind::kVariable;
    std::string closing = close_;
    switch (sigil) {
      case '#':
        kind = TagKind::kSection;
        break;
      case '^':
        kind = TagKind::kInverted;
        break;
      case '/':
        kind = TagKind::kClose;
        break;
      case '!':
        kind = TagKind::kComment;
        break;
      case '>':
        kind = TagKind::kPartial;
        break;
      case '&':
        kind = TagKind::kUnescaped;
        break;
      case '{':
        kind = TagKind::kUnescaped;
        closing = "}" + close_;
        break;
      case '=':
        kind = TagKind::kDelimiters;
        closing = "=" + close_;
        break;
      default:
        break;
    }
    if (kind != TagKind::kVariable) ++content_begin;
    const std::size_t content_end = source_.find(closing, content_begin);
    if (content_end == std::string_view::npos) {
      fail(open, "unclosed tag: '" + open_ + "' has no matching '" + closing + "'");
    }
    const std::size_t tag_end = content_end + closing.size();
    const std::string_view content =
        trim(source_.substr(content_begin, content_end - content_begin));

    // The standalone rule: only the tag and blanks on its line.
    const std::size_t newline_before = source_.rfind('\n', open == 0 ? 0 : open - 1);
    const std::size_t line_begin =
        (open == 0 || newline_before == std::string_view::npos) ? 0 : newline_before + 1;
    bool standalone = false;
    std::size_t resume = tag_end;
    if (kind != TagKind::kVariable && kind != TagKind::kUnescaped && line_begin >= text_begin &&
        all_blank(line_begin, open)) {
      std::size_t i = tag_end;
      while (i < source_.size() && is_blank(source_[i])) ++i;
      if (i == source_.size()) {
        standalone = true;
        resume = i;
      } else if (source_[i] == '\n') {
        standalone = true;
        resume = i + 1;
      } else if (source_[i] == '\r' && i + 1 < source_.size() && source_[i + 1] == '\n') {
        standalone = true;
        resume = i + 2;
      }
    }
    emit_text(text_begin, standalone ? line_begin : open);
    const bool starts_line = !standalone && (open == 0 || source_[open - 1] == '\n');

    switch (kind) {
      case TagKind::kVariable:
      case TagKind::kUnescaped:
        emit_node(kind == TagKind::kVariable ? NodeKind::kEscaped : NodeKind::kUnescaped,
                  starts_line, add_name(content, open), 0);
        break;
      case TagKind::kSection:
      case TagKind::kInverted: {
        const std::uint32_t name = add_name(content, open);
        const auto [line, column] = position(open);
        sections_.push_back(
            {static_cast<std::uint32_t>(template_.nodes_.size()), content, line, column});
        emit_node(kind == TagKind::kSection ? NodeKind::kSection : NodeKind::kInverted, starts_line,
                  name, 0);
        break;
      }
      case TagKind::kClose:
        close_section(content, open, starts_line);
        break;
      case TagKind::kComment:
        if (starts_line) emit_marker();
        break;
      case TagKind::kPartial:
        add_partial(content, open, standalone,
                    standalone ? source_.substr(line_begin, open - line_begin) : std::string_view{},
                    starts_line);
        break;
      case TagKind::kDelimiters:
        set_delimiters(content, open);
        if (starts_line) emit_marker();
        break;
    }
    return resume;
  }

  void close_section(std::string_view content, std::size_t open, bool starts_line) {
    if (sections_.empty()) {
      fail(open, "close tag {{/" + std::string(content) + "}} has no open section");
    }
    const OpenSection s = sections_.back();
    if (content != s.name) {
      fail(open, "mismatched close tag: {{/" + std::string(content) + "}} cannot close {{#" +
                     std::string(s.name) + "}} opened at line " + std::to_string(s.line) +
                     ", column " + std::to_string(s.column));
    }
    // Text before a close tag at the start of a line belongs to the body.
    if (starts_line) emit_marker();
    sections_.pop_back();
    template_.nodes_[s.node].second = static_cast<std::uint32_t>(template_.nodes_.size());
    mergeable_text_ = kNone;
  }

  void add_partial(std::string_view content, std::size_t open, bool standalone,
                   std::string_view indent, bool starts_line) {
    if (content.empty()) fail(open, "empty partial name in {{>}}");
    if (has_space(content)) fail(open, "malformed partial name '" + std::string(content) + "'");
    const auto [line, column] = position(open);
    PartialRef ref{};
    ref.name = append(content);
    ref.indent = append(indent);
    ref.standalone = standalone;
    ref.line = line;
    ref.column = column;
    ref.guarded = !sections_.empty();
    template_.partials_.push_back(ref);
    emit_node(NodeKind::kPartial, starts_line,
              static_cast<std::uint32_t>(template_.partials_.size() - 1), 0);
  }

  void set_delimiters(std::string_view content, std::size_t open) {
    std::size_t split = 0;
    while (split < content.size() && !is_space(content[split])) ++split;
    const std::string_view opener = content.substr(0, split);
    const std::string_view closer = trim(content.substr(split));
    if (opener.empty() || closer.empty() || has_space(closer) ||
        opener.find('=') != std::string_view::npos || closer.find('=') != std::string_view::npos) {
      fail(open, "malformed set-delimiter tag: expected two delimiters, as in {{=<% %>=}}");
    }
    open_ = std::string(opener);
    close_ = std::string(closer);
  }

  // Splits "a.b.c" into parts stored in text_; "." is the implicit iterator.
  std::uint32_t add_name(std::string_view content, std::size_t open) {
    if (content.empty()) fail(open, "empty tag name");
    if (has_space(content)) fail(open, "malformed tag name '" + std::string(content) + "'");
    Name name{static_cast<std::uint32_t>(template_.parts_.size()), 0};
    if (content != ".") {
      std::size_t begin = 0;
      while (true) {
        const std::size_t dot = content.find('.', begin);
        const std::string_view part =
            content.substr(begin, dot == std::string_view::npos ? dot : dot - begin);
        if (part.empty()) fail(open, "malformed tag name '" + std::string(content) + "'");
        template_.parts_.push_back(append(part));
        ++name.part_count;
        if (dot == std::string_view::npos) break;
        begin = dot + 1;
      }
    }
    template_.names_.push_back(name);
    return static_cast<std::uint32_t>(template_.names_.size() - 1);
  }

  TextRef append(std::string_view s) {
    TextRef ref{static_cast<std::uint32_t>(template_.text_.size()),
                static_cast<std::uint32_t>(s.size())};
    template_.text_.append(s);
    return ref;
  }

  void emit_text(std::size_t begin, std::size_t end) {
    if (begin >= end) return;
    const std::string_view text = source_.substr(begin, end - begin);
    template_.literal_size_ += text.size();
    if (mergeable_text_ != kNone) {
      Node& last = template_.nodes_[mergeable_text_];
      if (last.first + last.second == template_.text_.size()) {
        template_.text_.append(text);
        last.second += static_cast<std::uint32_t>(text.size());
        return;
      }
    }
    const bool starts_line = begin == 0 || source_[begin - 1] == '\n';
    const TextRef ref = append(text);
    emit_node(NodeKind::kText, starts_line, ref.offset, ref.size);
    mergeable_text_ = static_cast<std::uint32_t>(template_.nodes_.size() - 1);
  }

  // An empty text node that only carries starts_line, for a dropped tag
  // (comment, close, set-delimiter) at the start of a line.
  void emit_marker() {
    emit_node(NodeKind::kText, true, static_cast<std::uint32_t>(template_.text_.size()), 0);
    mergeable_text_ = static_cast<std::uint32_t>(template_.nodes_.size() - 1);
  }

  void emit_node(NodeKind kind, bool starts_line, std::uint32_t first, std::uint32_t second) {
    template_.nodes_.push_back({kind, starts_line, first, second});
    mergeable_text_ = kNone;
  }

  bool all_blank(std::size_t begin, std::size_t end) const {
    for (std::size_t i = begin; i < end; ++i) {
      if (!is_blank(source_[i])) return false;
    }
    return true;
  }

  // 1-based line and byte column of `offset`. Offsets mostly increase, so the
  // scan continues from the last answer; an earlier offset rescans.
  std::pair<std::uint32_t, std::uint32_t> position(std::size_t offset) {
    if (offset < scanned_) {
      scanned_ = 0;
      line_ = 1;
      line_start_ = 0;
    }
    for (; scanned_ < offset; ++scanned_) {
      if (source_[scanned_] == '\n') {
        ++line_;
        line_start_ = scanned_ + 1;
      }
    }
    return {line_, static_cast<std::uint32_t>(offset - line_start_ + 1)};
  }

  [[noreturn]] void fail(std::size_t offset, std::string message) {
    const auto [line, column] = position(offset);
    throw TemplateError(template_.name_, line, column, std::move(message));
  }

  static constexpr std::uint32_t kNone = 0xffffffffu;

  Template template_;
  std::string_view source_;
  std::string open_ = "{{";
  std::string close_ = "}}";
  std::vector<OpenSection> sections_;
  std::uint32_t mergeable_text_ = kNone;
  std::size_t scanned_ = 0;
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;
};

Template Template::parse(std::string name, std::string_view source) {
  return TemplateParser(std::move(name), source).run();
}

void Template::check() const {
#ifndef NDEBUG
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    switch (n.kind) {
      case NodeKind::kText:
        assert(std::size_t{n.first} + n.second <= text_.size() && "text node outside text()");
        break;
      case NodeKind::kSection:
      case NodeKind::kInverted:
        assert(n.second > i && n.second <= nodes_.size() && "section end out of order");
        assert(n.first < names_.size() && "section name index out of range");
        break;
      case NodeKind::kEscaped:
      case NodeKind::kUnescaped:
        assert(n.first < names_.size() && "variable name index out of range");
        break;
      case NodeKind::kPartial:
        assert(n.first < partials_.size() && "partial index out of range");
        break;
    }
  }
  for (const Name& name : names_) {
    assert(std::size_t{name.first_part} + name.part_count <= parts_.size() && "name parts");
  }
#endif
}

}  // namespace masthead::render
