// Markdown -> safe HTML, block by block.
//
// Article bodies are CommonMark (with GitHub's tables, strikethrough and
// autolinks) rendered by cmark-gfm in its safe mode: raw HTML is dropped and
// links or images with javascript:, vbscript:, file: or data: URLs lose their
// URL. On top of that this file removes cmark's "raw HTML omitted" comments
// and gives every link in sponsored content rel="sponsored noopener".
//
// The body comes back as a list of top-level blocks (paragraphs, headings,
// lists, quotes…), each a self-contained piece of HTML. The paywall's lead-in
// is a prefix of that list, so the withheld part is never rendered at all —
// rather than rendered and hidden — and nothing downstream has to cut HTML.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace masthead::content {

struct Block {
  std::string html;
  bool paragraph = false;  // a top-level <p>: what lead-in counts
  std::string plain_text;  // the block as text, for the search index
};

struct RenderedBody {
  std::vector<Block> blocks;
  std::string plain_text;  // for search indexing and word counts, never shown as is

  std::string html() const;  // every block
  // The blocks up to and including the n-th paragraph (all blocks if fewer).
  std::string lead_in_html(int paragraphs) const;
  std::size_t lead_in_block_count(int paragraphs) const;
  // The plain text of those blocks: what search may show everyone.
  std::string lead_in_plain_text(int paragraphs) const;
};

struct MarkdownOptions {
  bool sponsored = false;  // links get rel="sponsored noopener"
};

RenderedBody render_markdown(std::string_view markdown, MarkdownOptions options = {});

}  // namespace masthead::content
