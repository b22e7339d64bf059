// The three feed formats: RSS 2.0, Atom 1.0 and JSON Feed 1.1.
//
// Each function writes one Feed (feed.h) as one complete document: RSS and
// Atom through XmlWriter (libxml2), JSON Feed through Boost.JSON, so none
// builds markup or JSON by hand. Dates are RFC 822 in RSS and RFC 3339 in
// Atom and JSON Feed (feed_dates.h). Item content goes into
// <content:encoded> (RSS), <content type="html"> (Atom) and content_html
// (JSON) exactly as the Feed carries it: what an item may show was decided
// when the item was built, not here.
//
// To add a format: a writer here, its content type, and a route in
// site/feed_routes.cpp.
#pragma once

#include <string>
#include <string_view>

#include "feeds/feed.h"

namespace masthead::feeds {

enum class Format { kRss, kAtom, kJson };

inline constexpr std::string_view kRssType = "application/rss+xml; charset=utf-8";
inline constexpr std::string_view kAtomType = "application/atom+xml; charset=utf-8";
inline constexpr std::string_view kJsonFeedType = "application/feed+json; charset=utf-8";

std::string_view content_type(Format format);
// "feed.xml", "atom.xml", "feed.json": the last segment of the route.
std::string_view file_name(Format format);

std::string write_rss(const Feed& feed);        // rss_feed.cpp
std::string write_atom(const Feed& feed);       // atom_feed.cpp
std::string write_json_feed(const Feed& feed);  // json_feed.cpp
std::string write_feed(Format format, const Feed& feed);

}  // namespace masthead::feeds
