// Router: a trie of path segments with a handler table at each node.
//
// Each pattern is split at '/' into segments and inserted into a trie whose
// edges are literal segments (kept sorted for binary search) or the single
// `:param` edge of a node; a final `*name` hangs its handlers on the node it
// follows. Matching walks the decoded path once, segment by segment, trying
// at every depth the literal edge, then the parameter edge, then the
// wildcard, and backtracking when a branch dead-ends. That order is the whole
// precedence rule: a literal always beats a parameter at the same depth, and
// a parameter beats a wildcard, whatever the order of registration.
//
// Each terminal keeps one handler slot per Method, with its Dispatch. The first terminal (in
// precedence order) with a handler for the request's method wins; HEAD uses
// the GET handler when it has none of its own. When the walk finds terminals
// but none for the method, the union of their methods becomes the Allow
// header of a 405. Matching allocates nothing: parameter values are views
// into the path, copied into request.params (reusing its strings' capacity)
// only once a handler has been chosen. A 405 is a handler too (so match()
// can return one): it walks the path again to collect the Allow methods,
// which costs a second walk only on that rare answer.
//
// Invariants: the trie is immutable once serving starts (add() is not
// thread-safe, handle() is const and may run on every io thread at once);
// a route's param_names has exactly one entry per `:param` on its path plus
// one for its wildcard, in path order, which is how values meet their names.
#include "http/router.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <vector>

namespace masthead::http {

namespace {

constexpr std::size_t kMethodCount = 8;
constexpr std::size_t kMaxParams = 16;
constexpr auto kNone = std::string_view::npos;

constexpr std::size_t method_index(Method method) {
  return static_cast<std::size_t>(method);
}

struct Route {
  Handler handler;
  Dispatch dispatch = kInline;
  std::vector<std::string> param_names;
};

// The handlers of every pattern that ends at one place in the trie.
struct Terminal {
  std::array<std::unique_ptr<Route>, kMethodCount> by_method;
  unsigned mask = 0;  // bit i set when by_method[i] is set
};

struct Node {
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;  // sorted by segment
  std::unique_ptr<Node> param;
  Terminal end;       // patterns that end here
  Terminal wildcard;  // patterns ending with "/*name" right below here

  const Node* literal(std::string_view segment) const {
    auto it = std::lower_bound(literals.begin(), literals.end(), segment,
                               [](const auto& edge, std::string_view s) { return edge.first < s; });
    return (it != literals.end() && it->first == segment) ? it->second.get() : nullptr;
  }

  Node& literal_or_insert(std::string_view segment) {
    auto it = std::lower_bound(literals.begin(), literals.end(), segment,
                               [](const auto& edge, std::string_view s) { return edge.first < s; });
    if (it == literals.end() || it->first != segment) {
      it = literals.emplace(it, std::string(segment), std::make_unique<Node>());
    }
    return *it->second;
  }
};

struct Match {
  Method method;
  std::array<std::string_view, kMaxParams> values{};
  std::size_t count = 0;
  const Route* route = nullptr;
  unsigned allowed = 0;  // methods of every terminal the path reached
};

bool try_terminal(const Terminal& terminal, Match& match) {
  if (terminal.mask == 0) return false;
  match.allowed |= terminal.mask;
  const Route* route = terminal.by_method[method_index(match.method)].get();
  if (route == nullptr && match.method == Method::kHead) {
    route = terminal.by_method[method_index(Method::kGet)].get();
  }
  match.route = route;
  return route != nullptr;
}

// `pos` indexes the first character of the next segment of `path`, or is
// kNone once the last segment has been consumed.
bool find(const Node& node, std::string_view path, std::size_t pos, Match& match) {
  if (pos == kNone) return try_terminal(node.end, match);
  std::size_t slash = path.find('/', pos);
  std::string_view segment = path.substr(pos, slash == kNone ? kNone : slash - pos);
  std::size_t next = slash == kNone ? kNone : slash + 1;
  if (const Node* child = node.literal(segment)) {
    if (find(*child, path, next, match)) return true;
  }
  if (node.param && !segment.empty() && match.count < kMaxParams) {
    match.values[match.count++] = segment;
    if (find(*node.param, path, next, match)) return true;
    --match.count;
  }
  if (node.wildcard.mask != 0 && match.count < kMaxParams) {
    match.values[match.count++] = path.substr(pos);
    if (try_terminal(node.wildcard, match)) return true;
    --match.count;
  }
  return false;
}

std::string allow_header(unsigned mask) {
  auto has = [mask](Method m) { return (mask & (1u << method_index(m))) != 0; };
  std::string allow;
  auto append = [&allow](std::string_view name) {
    if (!allow.empty()) allow += ", ";
    allow += name;
  };
  for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kPatch,
                   Method::kDelete, Method::kOptions}) {
    if (has(m) || (m == Method::kHead && has(Method::kGet))) append(method_name(m));
  }
  return allow;
}

Response default_not_found(Request&) {
  return Response::text(404, "Not Found\n");
}

}  // namespace

struct Router::Impl {
  Node root;
  Handler not_found = default_not_found;
  // Impl does not move when the Router does, so capturing it is safe.
  Handler method_not_allowed = [this](Request& request) {
    Match match{request.method};
    find(root, request.path, 1, match);
    Response response = Response::text(405, "Method Not Allowed\n");
    response.headers.push_back(Header{"Allow", allow_header(match.allowed)});
    return response;
  };
  bool any_blocking = false;
};

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::add(Method method, std::string_view pattern, Handler handler, Dispatch dispatch) {
  auto fail = [pattern](std::string_view why) {
    throw std::invalid_argument("route \"" + std::string(pattern) + "\": " + std::string(why));
  };
  if (pattern.empty() || pattern.front() != '/') fail("must start with '/'");
  if (!handler) fail("empty handler");

  auto route = std::make_unique<Route>();
  route->handler = std::move(handler);
  route->dispatch = dispatch;
  auto add_name = [&](std::string_view name) {
    if (name.empty()) fail("parameter without a name");
    for (const std::string& seen : route->param_names) {
      if (seen == name) fail("parameter name used twice");
    }
    if (route->param_names.size() == kMaxParams) fail("too many parameters");
    route->param_names.emplace_back(name);
  };

  Node* node = &impl_->root;
  Terminal* terminal = nullptr;
  std::string_view rest = pattern.substr(1);
  bool more = true;
  while (more) {
    std::size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    more = slash != kNone;
    rest = more ? rest.substr(slash + 1) : std::string_view{};
    if (!segment.empty() && segment.front() == '*') {
      if (more) fail("a wildcard must be the last segment");
      add_name(segment.substr(1));
      terminal = &node->wildcard;
    } else if (!segment.empty() && segment.front() == ':') {
      add_name(segment.substr(1));
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
    } else {
      node = &node->literal_or_insert(segment);
    }
  }
  if (terminal == nullptr) terminal = &node->end;

  std::unique_ptr<Route>& slot = terminal->by_method[method_index(method)];
  if (slot) fail("registered twice for " + std::string(method_name(method)));
  slot = std::move(route);
  terminal->mask |= 1u << method_index(method);
  if (dispatch == kBlocking) impl_->any_blocking = true;
}

void Router::set_not_found(Handler handler) {
  impl_->not_found = handler ? std::move(handler) : Handler(default_not_found);
}

RouteMatch Router::match(Request& request) const {
  Match match{request.method};
  std::string_view path = request.path;
  if (!path.empty() && path.front() == '/' && find(impl_->root, path, 1, match)) {
    const Route& route = *match.route;
    request.params.resize(match.count);
    for (std::size_t i = 0; i < match.count; ++i) {
      request.params[i].first.assign(route.param_names[i]);
      request.params[i].second.assign(match.values[i]);
    }
    return {&route.handler, route.dispatch};
  }
  request.params.clear();
  if (match.allowed != 0) return {&impl_->method_not_allowed, kInline};
  return {&impl_->not_found, kInline};
}

Response Router::handle(Request& request) const {
  return (*match(request).handler)(request);
}

bool Router::has_blocking_routes() const {
  return impl_->any_blocking;
}

}  // namespace masthead::http
