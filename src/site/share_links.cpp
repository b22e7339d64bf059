// See share_links.h.
#include "site/share_links.h"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace masthead::site {

std::string url_component(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

ShareLinks share_links(std::string_view url, std::string_view title) {
  std::string u = url_component(url);
  std::string t = url_component(title);
  return {
      "https://www.facebook.com/sharer/sharer.php?u=" + u,
      "https://www.linkedin.com/sharing/share-offsite/?url=" + u,
      "https://x.com/intent/post?url=" + u + "&text=" + t,
      "mailto:?subject=" + t + "&body=" + t + "%0A%0A" + u,
  };
}

}  // namespace masthead::site
