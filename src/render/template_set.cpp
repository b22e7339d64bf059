// TemplateSet: compile (parse, resolve partials, reject endless recursion) and
// render. See template_set.h for the semantics and the thread-safety contract.
//
// The renderer walks a template's node vector by index ranges: a section node
// at i owns [i + 1, node.second). The context stack is a fixed array of
// pointers into the caller's JSON value; nothing is copied out of it.
#include "render/template_set.h"

#include <array>
#include <charconv>
#include <utility>

#include <boost/json/value.hpp>

#include "render/html_escape.h"

namespace masthead::render {

namespace {

bool is_falsey(const boost::json::value* v) {
  if (v == nullptr) return true;
  switch (v->kind()) {
    case boost::json::kind::null:
      return true;
    case boost::json::kind::bool_:
      return !v->get_bool();
    case boost::json::kind::array:
      return v->get_array().empty();
    case boost::json::kind::string:
      return v->get_string().empty();
    default:
      return false;
  }
}

template <typename Number>
void append_number(std::string& out, Number n) {
  std::array<char, 32> buffer;
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), n);
  out.append(buffer.data(), result.ptr);
}

void append_value(std::string& out, const boost::json::value* v, bool escape) {
  if (v == nullptr) return;
  switch (v->kind()) {
    case boost::json::kind::string: {
      const boost::json::string& s = v->get_string();
      if (escape) {
        append_html_escaped(out, std::string_view(s.data(), s.size()));
      } else {
        out.append(s.data(), s.size());
      }
      break;
    }
    case boost::json::kind::int64:
      append_number(out, v->get_int64());
      break;
    case boost::json::kind::uint64:
      append_number(out, v->get_uint64());
      break;
    case boost::json::kind::double_:
      append_number(out, v->get_double());
      break;
    case boost::json::kind::bool_:
      out.append(v->get_bool() ? "true" : "false");
      break;
    default:  // null, array, object
      break;
  }
}

class Renderer {
 public:
  Renderer(const std::vector<Template>& templates, std::string& out)
      : templates_(templates), out_(out) {}

  void run(const Template& t, const boost::json::value& context) {
    push(&context, t);
    render(t, 0, static_cast<std::uint32_t>(t.nodes().size()), {});
  }

 private:
  void render(const Template& t, std::uint32_t begin, std::uint32_t end, std::string_view indent) {
    const Node* const nodes = t.nodes().data();
    for (std::uint32_t i = begin; i < end; ++i) {
      const Node& n = nodes[i];
      if (!indent.empty() && n.starts_line) out_.append(indent);
      switch (n.kind) {
        case NodeKind::kText:
          if (indent.empty()) {
            out_.append(t.text(), n.first, n.second);
          } else {
            append_indented(t.view(TextRef{n.first, n.second}), indent);
          }
          break;
        case NodeKind::kEscaped:
          append_value(out_, lookup(t, t.names()[n.first]), true);
          break;
        case NodeKind::kUnescaped:
          append_value(out_, lookup(t, t.names()[n.first]), false);
          break;
        case NodeKind::kSection: {
          const boost::json::value* v = lookup(t, t.names()[n.first]);
          if (!is_falsey(v)) {
            if (const boost::json::array* items = v->if_array()) {
              for (const boost::json::value& item : *items) {
                push(&item, t);
                render(t, i + 1, n.second, indent);
                --depth_;
              }
            } else {
              push(v, t);
              render(t, i + 1, n.second, indent);
              --depth_;
            }
          }
          i = n.second - 1;
          break;
        }
        case NodeKind::kInverted:
          if (is_falsey(lookup(t, t.names()[n.first]))) render(t, i + 1, n.second, indent);
          i = n.second - 1;
          break;
        case NodeKind::kPartial:
          partial(t, t.partials()[n.first], indent);
          break;
      }
    }
  }

  void partial(const Template& t, const PartialRef& ref, std::string_view indent) {
    if (partial_depth_ == TemplateSet::kMaxPartialDepth) {
      throw TemplateError(t.name(), ref.line, ref.column,
                          "partials nested more than " +
                              std::to_string(TemplateSet::kMaxPartialDepth) +
                              " deep: does a recursive partial never reach an empty section?");
    }
    ++partial_depth_;
    const Template& target = templates_[ref.target];
    const auto size = static_cast<std::uint32_t>(target.nodes().size());
    const std::string_view own = t.view(ref.indent);
    if (!ref.standalone) {
      render(target, 0, size, {});
    } else if (indent.empty() || own.empty()) {
      render(target, 0, size, indent.empty() ? own : indent);
    } else {
      std::string combined;  // nested indentation: rare, short
      combined.reserve(indent.size() + own.size());
      combined.append(indent).append(own);
      render(target, 0, size, combined);
    }
    --partial_depth_;
  }

  // Text inside an indented partial: every line start gets the indentation. A
  // trailing newline does not: whatever follows starts a line of its own node.
  void append_indented(std::string_view text, std::string_view indent) {
    std::size_t start = 0;
    while (true) {
      const std::size_t nl = text.find('\n', start);
      if (nl == std::string_view::npos || nl + 1 == text.size()) {
        out_.append(text.substr(start));
        return;
      }
      out_.append(text.substr(start, nl + 1 - start));
      out_.append(indent);
      start = nl + 1;
    }
  }

  const boost::json::value* lookup(const Template& t, Name name) const {
    if (name.part_count == 0) return stack_[depth_ - 1];
    const TextRef* parts = t.parts().data() + name.first_part;
    const std::string_view first = t.view(parts[0]);
    const boost::json::value* found = nullptr;
    for (std::size_t i = depth_; i-- > 0;) {
      if (const boost::json::object* o = stack_[i]->if_object()) {
        found = o->if_contains(first);
        if (found != nullptr) break;
      }
    }
    for (std::uint32_t k = 1; found != nullptr && k < name.part_count; ++k) {
      const boost::json::object* o = found->if_object();
      found = o == nullptr ? nullptr : o->if_contains(t.view(parts[k]));
    }
    return found;
  }

  void push(const boost::json::value* v, const Template& t) {
    if (depth_ == TemplateSet::kMaxContextDepth) {
      throw TemplateError(
          t.name(), 0, 0,
          "sections nested more than " + std::to_string(TemplateSet::kMaxContextDepth) + " deep");
    }
    stack_[depth_++] = v;
  }

  const std::vector<Template>& templates_;
  std::string& out_;
  std::array<const boost::json::value*, TemplateSet::kMaxContextDepth> stack_;
  std::size_t depth_ = 0;
  std::size_t partial_depth_ = 0;
};

// Finds a cycle of partial inclusions with no section between them, which
// would recurse forever whatever the data. Throws TemplateError at the tag that
// closes the cycle.
void reject_unguarded_recursion(const std::vector<Template>& templates) {
  enum class Mark { kNew, kOnPath, kDone };
  std::vector<Mark> marks(templates.size(), Mark::kNew);
  std::vector<std::uint32_t> path;
  std::function<void(std::uint32_t)> visit = [&](std::uint32_t index) {
    marks[index] = Mark::kOnPath;
    path.push_back(index);
    const Template& t = templates[index];
    for (const PartialRef& ref : t.partials()) {
      if (ref.guarded) continue;
      if (marks[ref.target] == Mark::kOnPath) {
        std::string cycle;
        bool in_cycle = false;
        for (std::uint32_t p : path) {
          in_cycle = in_cycle || p == ref.target;
          if (in_cycle) cycle += templates[p].name() + " -> ";
        }
        cycle += templates[ref.target].name();
        throw TemplateError(t.name(), ref.line, ref.column,
                            "partial recursion with no section to end it: " + cycle);
      }
      if (marks[ref.target] == Mark::kNew) visit(ref.target);
    }
    path.pop_back();
    marks[index] = Mark::kDone;
  };
  for (std::uint32_t i = 0; i < templates.size(); ++i) {
    if (marks[i] == Mark::kNew) visit(i);
  }
}

}  // namespace

void TemplateSet::add(std::string name, std::string source) {
  sources_.insert_or_assign(std::move(name), std::move(source));
}

void TemplateSet::compile() {
  std::vector<Template> templates;
  std::map<std::string, std::uint32_t, std::less<>> index;
  templates.reserve(sources_.size());
  for (const auto& [name, source] : sources_) {
    index.emplace(name, static_cast<std::uint32_t>(templates.size()));
    templates.push_back(Template::parse(name, source));
  }
  for (Template& t : templates) {
    for (std::size_t p = 0; p < t.partials().size(); ++p) {
      const PartialRef& ref = t.partials()[p];
      const auto found = index.find(t.view(ref.name));
      if (found == index.end()) {
        throw TemplateError(t.name(), ref.line, ref.column,
                            "unknown partial '" + std::string(t.view(ref.name)) + "'");
      }
      t.resolve_partial(p, found->second);
    }
  }
  reject_unguarded_recursion(templates);

  // Size hint: the literal text of the template and of every partial it can
  // reach, each counted once.
  std::vector<std::size_t> hints(templates.size());
  for (std::uint32_t i = 0; i < templates.size(); ++i) {
    std::vector<bool> seen(templates.size(), false);
    std::vector<std::uint32_t> todo{i};
    seen[i] = true;
    while (!todo.empty()) {
      const std::uint32_t current = todo.back();
      todo.pop_back();
      hints[i] += templates[current].literal_size();
      for (const PartialRef& ref : templates[current].partials()) {
        if (!seen[ref.target]) {
          seen[ref.target] = true;
          todo.push_back(ref.target);
        }
      }
    }
  }

  templates_ = std::move(templates);
  index_ = std::move(index);
  size_hints_ = std::move(hints);
}

bool TemplateSet::has(std::string_view name) const {
  return index_.find(name) != index_.end();
}

void TemplateSet::render_to(std::string& out, std::string_view name,
                            const boost::json::value& context) const {
  const auto found = index_.find(name);
  if (found == index_.end()) {
    throw TemplateError(std::string(name), 0, 0,
                        "no compiled template of this name (was it added before compile()?)");
  }
  const Template& t = templates_[found->second];
  // Data usually adds as much again as the literal text.
  out.reserve(out.size() + 2 * size_hints_[found->second]);
  Renderer(templates_, out).run(t, context);
}

std::string TemplateSet::render(std::string_view name, const boost::json::value& context) const {
  std::string out;
  render_to(out, name, context);
  return out;
}

}  // namespace masthead::render
