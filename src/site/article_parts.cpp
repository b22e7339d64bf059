// See article_parts.h.
#include "site/article_parts.h"

#include <stdexcept>

namespace masthead::site {

ArticleParts ArticleParts::cut(std::string_view page, std::string full, std::string lead_in) {
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
  parts.lead_in = std::move(lead_in);
  for (std::size_t i = 0; i < 4; ++i)
    parts.deflated_pieces[i] = http::deflate_piece(parts.pieces[i]);
  parts.deflated_full = http::deflate_piece(parts.full);
  parts.deflated_lead_in = http::deflate_piece(parts.lead_in);
  return parts;
}

std::string ArticleParts::assemble(std::string_view meter, bool full_text,
                                   std::string_view wall) const {
  const std::string& body = full_text ? full : lead_in;
  std::string page;
  page.reserve(pieces[0].size() + pieces[1].size() + pieces[2].size() + pieces[3].size() +
               meter.size() + body.size() + wall.size());
  page.append(pieces[0]).append(meter).append(pieces[1]).append(body).append(pieces[2]);
  page.append(wall).append(pieces[3]);
  return page;
}

std::string ArticleParts::assemble_gzip(std::string_view meter, bool full_text,
                                        std::string_view wall) const {
  const http::DeflatePiece meter_piece = http::stored_piece(meter);
  const http::DeflatePiece wall_piece = http::stored_piece(wall);
  return http::gzip_join({&deflated_pieces[0], &meter_piece, &deflated_pieces[1],
                          full_text ? &deflated_full : &deflated_lead_in, &deflated_pieces[2],
                          &wall_piece, &deflated_pieces[3]});
}

}  // namespace masthead::site
