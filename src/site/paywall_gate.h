// PaywallGate: the site's door to the AccessService — a browser request in,
// the Decision and the reader cookie to send back out.
//
// What it is. A thin adapter: it turns the request into a
// services::Visitor (web::visitor_of: address, X-Forwarded-For, User-Agent,
// the reader and session cookies, HEAD), asks services::AccessService for
// the view (who is reading, their meter, decide → record → decide; see
// services/access_service.h for the rules), and turns the sealed reader
// token it may return into a Set-Cookie (web::reader_set_cookie: HttpOnly,
// SameSite=Lax, a year; "__Host-reader" + Secure over HTTPS). The article
// page and its print view ask it; feeds and the apps API ask the
// AccessService the same way through their own adapters.
#pragma once

#include <cstdint>
#include <string>

#include "http/request.h"
#include "paywall/decision.h"
#include "services/access_service.h"
#include "web/web_security.h"

namespace masthead::site {

struct Access {
  paywall::Decision decision;
  std::string set_cookie;  // a Set-Cookie value to send, or empty
  bool personal = false;   // the answer depends on who asks: Cache-Control private
};

class PaywallGate {
 public:
  PaywallGate(const services::AccessService& access, web::CookiePolicy cookies);

  const paywall::MeterPolicy& policy() const { return access_.policy(); }

  // Decides (and meters) one view of article `article_id`.
  Access view(const http::Request& request, std::int64_t article_id,
              const paywall::ArticleFacts& facts) const;

  // The reader cookie's name: "__Host-reader" over HTTPS, "reader" otherwise.
  std::string cookie_name() const;

 private:
  const services::AccessService& access_;
  web::CookiePolicy cookies_;
};

}  // namespace masthead::site
