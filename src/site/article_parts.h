// ArticleParts: an article page rendered once, assembled per reader.
//
// What it is. A metered article's page differs between readers in exactly
// three places: the meter message above the article ("You have 3 free
// articles left this month"), the body (the whole of it, or the lead-in),
// and the wall after it (registration, offer, expiry). Everything else — the
// header, the figure, the JSON-LD, related articles — is the same for all.
// So the page is rendered once with a marker in each of those three places,
// cut at the markers into four fixed pieces, and kept with both bodies; a
// request then costs one concatenation of shared strings.
//
// The bodies are cut from content's rendered blocks: `lead_in` is the first
// lead_in_paragraphs blocks, `full` is the lead-in followed by the rest inside
// <div class="paywalled-content"> (the class the JSON-LD's hasPart names).
// A reader who may not read on gets `lead_in`: the withheld blocks are never
// put into their response, not hidden in it.
//
// Compression: the fixed pieces and both bodies are also kept deflated
// (http::deflate_piece, once, at the strongest level), so a gzip answer is
// joined from them with the small per-reader parts as stored blocks
// (http::gzip_join) instead of compressing the page on every request.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include <vector>

#include "http/gzip.h"
#include "paywall/decision.h"

namespace masthead::site {

struct ArticleParts {
  // The markers the template is rendered with, in page order. They are HTML
  // comments, which neither escaped text nor cmark's safe output can contain.
  static constexpr std::string_view kMeterSlot = "<!--masthead:meter-->";
  static constexpr std::string_view kBodySlot = "<!--masthead:body-->";
  static constexpr std::string_view kWallSlot = "<!--masthead:wall-->";
  // In a wall's register link: the article's path, percent-encoded, is put
  // here per request, so that registering brings the reader back to it.
  static constexpr std::string_view kNextSlot = "masthead-next-article";

  std::array<std::string, 4> pieces;  // around the three slots
  std::string full;                   // the whole body
  std::string lead_in;                // the lead-in of lead_in_paragraphs paragraphs
  int lead_in_paragraphs = 0;         // what the policy said when the page was cut
  // For a lead-in of another length (the Decision's, if the policy has
  // changed since): the body's blocks, and how many make n paragraphs.
  std::vector<std::string> blocks;
  std::vector<std::size_t> blocks_for_paragraphs;  // [n] = blocks in a lead-in of n
  std::array<http::DeflatePiece, 4> deflated_pieces;
  http::DeflatePiece deflated_full;
  http::DeflatePiece deflated_lead_in;

  // Cuts a page rendered with the three markers (each exactly once, in
  // order); throws std::logic_error otherwise: a template lost a slot.
  // `blocks` and `blocks_for_paragraphs` as above; lead_in is made of
  // blocks_for_paragraphs[lead_in_paragraphs] blocks.
  static ArticleParts cut(std::string_view page, std::string full, std::vector<std::string> blocks,
                          std::vector<std::size_t> blocks_for_paragraphs, int lead_in_paragraphs);

  // The page for one reader, as is or gzip-compressed: the whole body when
  // the decision allows it, else the lead-in of the decision's length.
  std::string assemble(std::string_view meter, const paywall::Decision& d,
                       std::string_view wall) const;
  std::string assemble_gzip(std::string_view meter, const paywall::Decision& d,
                            std::string_view wall) const;
  // The lead-in of `paragraphs` paragraphs (all blocks when there are fewer).
  std::string lead_in_of(int paragraphs) const;
};

}  // namespace masthead::site
