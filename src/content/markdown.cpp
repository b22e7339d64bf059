// See markdown.h. One cmark parser per call (parsers are cheap and not
// shareable across threads); the core extensions are registered once.
#include "content/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "base/text.h"

namespace masthead::content {
namespace {

constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8;
constexpr const char* kExtensions[] = {"table", "strikethrough", "autolink"};

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

std::string take(char* rendered) {
  std::string out = rendered ? rendered : "";
  std::free(rendered);
  return out;
}

// Post-processing on cmark's output. cmark escapes every '<' in text, so the
// only "<a href=" sequences in its HTML are real link tags.
std::string polish(std::string html, const MarkdownOptions& options) {
  html = base::replace_all(html, "<!-- raw HTML omitted -->", "");
  if (options.sponsored)
    html = base::replace_all(html, "<a href=\"", "<a rel=\"sponsored noopener\" href=\"");
  return html;
}

}  // namespace

std::string RenderedBody::html() const {
  std::string out;
  for (const Block& b : blocks) out += b.html;
  return out;
}

std::size_t RenderedBody::lead_in_block_count(int paragraphs) const {
  if (paragraphs <= 0) return 0;  // a lead-in of no paragraphs shows nothing
  int seen = 0;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].paragraph && ++seen >= paragraphs) return i + 1;
  }
  return blocks.size();
}

std::string RenderedBody::lead_in_html(int paragraphs) const {
  std::string out;
  std::size_t n = lead_in_block_count(paragraphs);
  for (std::size_t i = 0; i < n; ++i) out += blocks[i].html;
  return out;
}

std::string RenderedBody::lead_in_plain_text(int paragraphs) const {
  std::string out;
  std::size_t n = lead_in_block_count(paragraphs);
  for (std::size_t i = 0; i < n; ++i) out += blocks[i].plain_text;
  return out;
}

RenderedBody render_markdown(std::string_view markdown, MarkdownOptions options) {
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });

  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(kOptions));
  for (const char* name : kExtensions) {
    cmark_syntax_extension* ext = cmark_find_syntax_extension(name);
    if (!ext) throw std::runtime_error(std::string("cmark-gfm extension missing: ") + name);
    cmark_parser_attach_syntax_extension(parser.get(), ext);
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeDeleter> document(cmark_parser_finish(parser.get()));
  cmark_llist* extensions = cmark_parser_get_syntax_extensions(parser.get());

  RenderedBody body;
  for (cmark_node* node = cmark_node_first_child(document.get()); node;
       node = cmark_node_next(node)) {
    Block block;
    block.paragraph = cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH;
    block.html = polish(take(cmark_render_html(node, kOptions, extensions)), options);
    if (base::trim(block.html).empty()) continue;  // an HTML block that safe mode emptied
    block.plain_text = take(cmark_render_plaintext(node, kOptions, 0));
    body.blocks.push_back(std::move(block));
  }
  body.plain_text = take(cmark_render_plaintext(document.get(), kOptions, 0));
  return body;
}

}  // namespace masthead::content
