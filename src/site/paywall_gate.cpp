// See paywall_gate.h.
#include "site/paywall_gate.h"

#include "web/visitor.h"

namespace masthead::site {

PaywallGate::PaywallGate(const services::AccessService& access, web::CookiePolicy cookies)
    : access_(access), cookies_(cookies) {}

std::string PaywallGate::cookie_name() const {
  return web::reader_cookie_name(cookies_);
}

Access PaywallGate::view(const http::Request& request, std::int64_t article_id,
                         const paywall::ArticleFacts& facts) const {
  services::Access access = access_.view(web::visitor_of(request, cookies_), article_id, facts);
  Access out{access.decision, "", access.personal};
  if (!access.reader_token.empty())
    out.set_cookie = web::reader_set_cookie(cookies_, access.reader_token);
  return out;
}

}  // namespace masthead::site
