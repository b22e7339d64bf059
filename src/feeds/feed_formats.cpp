// The formats' names, content types and the dispatch. See feed_formats.h.
#include "feeds/feed_formats.h"

namespace masthead::feeds {

std::string_view content_type(Format format) {
  switch (format) {
    case Format::kRss:
      return kRssType;
    case Format::kAtom:
      return kAtomType;
    case Format::kJson:
      return kJsonFeedType;
  }
  return kRssType;
}

std::string_view file_name(Format format) {
  switch (format) {
    case Format::kRss:
      return "feed.xml";
    case Format::kAtom:
      return "atom.xml";
    case Format::kJson:
      return "feed.json";
  }
  return "feed.xml";
}

std::string write_feed(Format format, const Feed& feed) {
  switch (format) {
    case Format::kRss:
      return write_rss(feed);
    case Format::kAtom:
      return write_atom(feed);
    case Format::kJson:
      return write_json_feed(feed);
  }
  return write_rss(feed);
}

}  // namespace masthead::feeds
