// See article_parts.h.
#include "site/article_parts.h"

#include <stdexcept>

namespace masthead::site {

ArticleParts ArticleParts::cut(std::string_view page, std::string full,
                               std::vector<std::string> blocks,
                               std::vector<std::size_t> blocks_for_paragraphs,
                               int lead_in_paragraphs) {
  ArticleParts parts;
  std::size_t from = 0;
  const std::string_view slots[] = {kMeterSlot, kBodySlot, kWallSlot};
  for (std::size_t i = 0; i < 3; ++i) {
    std::size_t at = page.find(slots[i], from);
    if (at == std::string_view::npos || page.find(slots[i], at + 1) != std::string_view::npos)
      throw std::logic_error("article template: slot " + std::string(slots[i]) +
                             " missing, repeated or out of order");
    parts.pieces[i] = page.substr(from, at - from);
    from = at + slots[i].size();
  }
  parts.pieces[3] = page.substr(from);
  parts.full = std::move(full);
  parts.blocks = std::move(blocks);
  parts.blocks_for_paragraphs = std::move(blocks_for_paragraphs);
  parts.lead_in_paragraphs = lead_in_paragraphs;
  parts.lead_in = parts.lead_in_of(lead_in_paragraphs);
  for (std::size_t i = 0; i < 4; ++i)
    parts.deflated_pieces[i] = http::deflate_piece(parts.pieces[i]);
  parts.deflated_full = http::deflate_piece(parts.full);
  parts.deflated_lead_in = http::deflate_piece(parts.lead_in);
  return parts;
}

std::string ArticleParts::lead_in_of(int paragraphs) const {
  std::size_t count = blocks.size();
  if (paragraphs >= 0 && static_cast<std::size_t>(paragraphs) < blocks_for_paragraphs.size())
    count = blocks_for_paragraphs[static_cast<std::size_t>(paragraphs)];
  std::string html;
  for (std::size_t i = 0; i < count && i < blocks.size(); ++i) html += blocks[i];
  return html;
}

std::string ArticleParts::assemble(std::string_view meter, const paywall::Decision& d,
                                   std::string_view wall) const {
  const std::string other = d.full_text || d.lead_in_paragraphs == lead_in_paragraphs
                                ? std::string()
                                : lead_in_of(d.lead_in_paragraphs);
  const std::string& body =
      d.full_text ? full : (d.lead_in_paragraphs == lead_in_paragraphs ? lead_in : other);
  std::string page;
  page.reserve(pieces[0].size() + pieces[1].size() + pieces[2].size() + pieces[3].size() +
               meter.size() + body.size() + wall.size());
  page.append(pieces[0]).append(meter).append(pieces[1]).append(body).append(pieces[2]);
  page.append(wall).append(pieces[3]);
  return page;
}

std::string ArticleParts::assemble_gzip(std::string_view meter, const paywall::Decision& d,
                                        std::string_view wall) const {
  const http::DeflatePiece meter_piece = http::stored_piece(meter);
  const http::DeflatePiece wall_piece = http::stored_piece(wall);
  // A lead-in of another length than the one deflated at cut time (the
  // policy changed since): sent stored, this once.
  http::DeflatePiece other;
  const http::DeflatePiece* body = &deflated_full;
  if (!d.full_text) {
    body = &deflated_lead_in;
    if (d.lead_in_paragraphs != lead_in_paragraphs) {
      other = http::stored_piece(lead_in_of(d.lead_in_paragraphs));
      body = &other;
    }
  }
  return http::gzip_join({&deflated_pieces[0], &meter_piece, &deflated_pieces[1], body,
                          &deflated_pieces[2], &wall_piece, &deflated_pieces[3]});
}

}  // namespace masthead::site
