// Content types by extension and the compressibility rule.
#include "http/mime.h"

#include <gtest/gtest.h>

namespace masthead::http {
namespace {

TEST(MimeTest, ContentTypeByExtension) {
  struct Case {
    const char* name;
    const char* type;
  };
  for (Case c : {Case{"index.html", "text/html; charset=utf-8"},
                 Case{"a/b/site.CSS", "text/css; charset=utf-8"},
                 Case{"app.min.js", "text/javascript; charset=utf-8"},
                 Case{"logo.svg", "image/svg+xml"},
                 Case{"a.png", "image/png"},
                 Case{"a.jpg", "image/jpeg"},
                 Case{"a.JPEG", "image/jpeg"},
                 Case{"a.webp", "image/webp"},
                 Case{"a.gif", "image/gif"},
                 Case{"favicon.ico", "image/x-icon"},
                 Case{"robots.txt", "text/plain; charset=utf-8"},
                 Case{"sitemap.xml", "application/xml; charset=utf-8"},
                 Case{"data.json", "application/json"},
                 Case{"f.woff2", "font/woff2"},
                 Case{"app.js.map", "application/json"},
                 Case{"site.webmanifest", "application/manifest+json"},
                 Case{"README", "application/octet-stream"},
                 Case{"archive.unknown", "application/octet-stream"},
                 Case{"dir.css/file", "application/octet-stream"},
                 Case{".html", "text/html; charset=utf-8"},
                 Case{"", "application/octet-stream"}}) {
    EXPECT_EQ(content_type_for(c.name), c.type) << c.name;
  }
}

TEST(MimeTest, Compressible) {
  for (const char* type :
       {"text/html; charset=utf-8", "TEXT/CSS", "application/json", "application/xml",
        "application/javascript", "image/svg+xml", "application/manifest+json",
        "application/rss+xml; charset=utf-8", "application/atom+xml", "text/plain"}) {
    EXPECT_TRUE(is_compressible(type)) << type;
  }
  for (const char* type :
       {"image/png", "image/jpeg", "font/woff2", "application/octet-stream", "application/zip", "",
        "application/", "application/+json", "video/mp4", "application/jsonx"}) {
    EXPECT_FALSE(is_compressible(type)) << type;
  }
}

}  // namespace
}  // namespace masthead::http
