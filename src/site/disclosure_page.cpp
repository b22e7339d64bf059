// The sponsored-content disclosure (/about/sponsored-content): what
// sponsored content is, how it is labelled, and that it never counts against
// the meter. Every sponsored article, card block and the footer link here.
// Its text is three catalog paragraphs naming the publication; the page is
// the same for every reader and cached whole.
#include <boost/json.hpp>

#include "site/site_pages.h"
#include "site/site_routes.h"

namespace masthead::site::detail {

namespace json = boost::json;

std::shared_ptr<const CachedPage> Pages::about_sponsored() const {
  const Sections sections = store_.sections();
  json::object c = chrome(sections, "", t("sponsored.about"), t("sponsored.about_summary"),
                          std::string(kAboutSponsoredPath));
  c["heading"] = t("sponsored.about");
  json::array paragraphs;
  for (const char* key :
       {"sponsored.about_body_1", "sponsored.about_body_2", "sponsored.about_body_3"})
    paragraphs.push_back(json::string(t(key, {{"publication", options_.name}})));
  c["paragraphs"] = std::move(paragraphs);
  return html(200, "about_sponsored", c);
}

http::Response about_sponsored_route(const RouteContext& ctx, const http::Request& r) {
  auto l = ctx.localize(r);
  return ctx.cached(r, l.key + std::string(kAboutSponsoredPath),
                    [&] { return l.pages->about_sponsored(); });
}

}  // namespace masthead::site::detail
