// Share links, built on the server.
//
// Plain share URLs for Facebook, LinkedIn and X, and a mailto: link with the
// headline and the article's URL — no third-party scripts, no tracking, and
// never any body text (so a share never carries what a reader may not see).
// Every component is percent-encoded with Boost.URL.
#pragma once

#include <string>
#include <string_view>

namespace masthead::site {

struct ShareLinks {
  std::string facebook;
  std::string linkedin;
  std::string x;
  std::string mail;
};

ShareLinks share_links(std::string_view url, std::string_view title);

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_component(std::string_view text);

}  // namespace masthead::site
