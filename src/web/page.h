// The web kit's page: the site's frame, the CSRF token, the reader's
// language and a no-store answer — what every HTML handler outside the
// cached reader pages starts from.
//
// What it is. A handler makes a Page for its request (title key, canonical
// path), asks it for words (t()), builds its forms with the page's token
// (forms.h), and answers with render() (any template) or message_page()
// (templates/form_page.html: a heading, a notice, an intro, an optional
// form, links). Every answer is `Cache-Control: no-store` (it may depend on
// the account) and carries the CSRF cookie when the token is new.
//
// Kit holds what all pages share: the templates, the CSRF guard, the
// cookie policy, the site's origin (for the Origin check) and the frame
// source. The frame — header, menu, footer in the reader's language — is
// the site's (site::Site::frame, passed by the app), so pages of other
// modules wear the same chrome without depending on the site module.
//
// checked_form() is the first step of every POST handler: the Origin (else
// Referer) must be the site's, the body a form, the CSRF token right;
// otherwise the refusal to send (403/400/415), and nothing may change.
//
// Notices: a handler that redirects after a change names what happened in
// the target's query (?notice=code, see_other_with_notice); the target page
// shows the catalog's "notice.<code>" sentence. Unknown codes show nothing,
// so a crafted link can only pick one of the site's own sentences.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "http/form.h"
#include "http/request.h"
#include "http/response.h"
#include "render/template_set.h"
#include "services/language.h"
#include "web/forms.h"
#include "web/web_security.h"

namespace masthead::web {

// The site's chrome for a page, in the reader's language.
struct Frame {
  boost::json::object context;  // site, page, t
  services::Language language;
};
using FrameSource =
    std::function<Frame(const http::Request&, std::string title, std::string canonical_path)>;

struct Kit {
  const render::TemplateSet& templates;
  const base::Clock& clock;
  const CsrfGuard& csrf;
  CookiePolicy cookies;
  std::string publication;  // site.name
  std::string base_url;     // no trailing slash
  FrameSource frame;

  std::string origin() const { return origin_of(base_url); }
};

class Page {
 public:
  Page(const Kit& kit, const http::Request& request, std::string_view title_key,
       std::string canonical_path);

  std::string t(std::string_view key, std::initializer_list<render::MessageArg> args = {}) const;
  const services::Language& language() const { return frame_.language; }

  // The catalog's sentence for the request's ?notice=code ("" for none).
  std::string notice() const;

  // A no-store HTML page; sends the CSRF cookie if the token is new, then `cookies`.
  http::Response render(std::string_view template_name, const boost::json::object& page_context,
                        int status = 200, std::vector<std::string> cookies = {}) const;
  // templates/form_page.html.
  http::Response message_page(std::string heading, std::string notice, std::string intro,
                              std::optional<boost::json::object> form, boost::json::array links,
                              int status = 200, std::vector<std::string> cookies = {}) const;

  boost::json::object form(const FormSpec& spec) const { return make_form(spec, csrf_); }

  const Kit& kit() const { return kit_; }
  const http::Request& request() const { return request_; }
  const CsrfGuard::Token& csrf() const { return csrf_; }

 private:
  const Kit& kit_;
  const http::Request& request_;
  Frame frame_;
  CsrfGuard::Token csrf_;
};

// The form posted: parsed, Origin- and CSRF-checked. On failure the
// response to send (400/403/415), and nothing may change.
struct CheckedForm {
  std::optional<http::Form> form;
  http::Response refusal;
};
CheckedForm checked_form(const Kit& kit, const http::Request& request);

// 303 to `location`, no-store, with `cookies`.
http::Response see_other(std::string_view location, const std::vector<std::string>& cookies = {});
// `path` with ?notice=code (or &notice= when it has a query).
std::string with_notice(std::string_view path, std::string_view code);
// `path` with ?next=<local path>, percent-encoded; `path` alone for an empty next.
std::string with_next(std::string_view path, std::string_view next);

}  // namespace masthead::web
