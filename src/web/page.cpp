// See page.h.
#include "web/page.h"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <cctype>

namespace masthead::web {

namespace json = boost::json;

Page::Page(const Kit& kit, const http::Request& request, std::string_view title_key,
           std::string canonical_path)
    : kit_(kit),
      request_(request),
      frame_(kit.frame(request, "", std::move(canonical_path))),
      csrf_(kit.csrf.issue(request)) {
  // The frame was asked for before its catalog was known: set the title now.
  const std::string title = t(title_key);
  if (auto* page = frame_.context.if_contains("page"); page && page->is_object()) {
    page->as_object()["title"] = title + " — " + kit.publication;
    page->as_object()["og_title"] = title;
    page->as_object()["robots"] = "noindex";
  }
  // The header's logout form uses this page's token (one cookie per answer).
  if (auto* reader = frame_.context.if_contains("reader"); reader && reader->is_object())
    reader->as_object()["csrf"] = csrf_.field;
}

std::string Page::t(std::string_view key, std::initializer_list<render::MessageArg> args) const {
  if (frame_.language.messages == nullptr) return std::string(key);
  return frame_.language.messages->format(key, args);
}

std::string Page::notice() const {
  const std::string_view code = request_.query_param("notice").value_or("");
  if (code.empty() || code.size() > 40) return "";
  for (char c : code)
    if (!(std::islower(static_cast<unsigned char>(c)) || c == '-')) return "";
  const std::string key = "notice." + std::string(code);
  if (!frame_.language.messages || !frame_.language.messages->has(key)) return "";
  return t(key, {{"publication", kit_.publication}});
}

http::Response Page::render(std::string_view template_name, const json::object& page_context,
                            int status, std::vector<std::string> cookies) const {
  if (!csrf_.set_cookie.empty()) cookies.insert(cookies.begin(), csrf_.set_cookie);
  json::object context = frame_.context;
  for (const auto& [key, value] : page_context) context[key] = value;
  http::Response response =
      http::Response::html(status, kit_.templates.render(template_name, context));
  response.set_header("Cache-Control", "no-store");
  for (const std::string& cookie : cookies) response.add_header("Set-Cookie", cookie);
  return response;
}

http::Response Page::message_page(std::string heading, std::string notice, std::string intro,
                                  std::optional<json::object> form, json::array links, int status,
                                  std::vector<std::string> cookies) const {
  const bool has_links = !links.empty();
  json::object c{{"heading", std::move(heading)},
                 {"notice", notice.empty() ? json::value(false) : json::value(notice)},
                 {"intro", intro.empty() ? json::value(false) : json::value(intro)},
                 {"form", form ? json::value(std::move(*form)) : json::value(false)},
                 {"has_links", has_links},
                 {"links", std::move(links)}};
  return render("form_page", c, status, std::move(cookies));
}

CheckedForm checked_form(const Kit& kit, const http::Request& request) {
  CheckedForm checked;
  auto refuse = [&](int status, std::string text) {
    checked.refusal = http::Response::text(status, std::move(text));
    checked.refusal.set_header("Cache-Control", "no-store");
    return checked;
  };
  if (!same_origin(request, kit.origin()))
    return refuse(403, "This form was not sent from this site.\n");
  auto parsed = http::parse_form(request);
  if (auto* error = std::get_if<http::FormError>(&parsed))
    return refuse(*error == http::FormError::kNotAForm ? 415 : 400,
                  "The form could not be read.\n");
  http::Form& form = std::get<http::Form>(parsed);
  if (!kit.csrf.verify(request, form.value("csrf")))
    return refuse(403, "This form has expired. Go back, reload the page and try again.\n");
  checked.form = std::move(form);
  return checked;
}

http::Response see_other(std::string_view location, const std::vector<std::string>& cookies) {
  http::Response response = http::Response::redirect(location, 303);
  response.set_header("Cache-Control", "no-store");
  for (const std::string& cookie : cookies) response.add_header("Set-Cookie", cookie);
  return response;
}

std::string with_notice(std::string_view path, std::string_view code) {
  const char joiner = path.find('?') == std::string_view::npos ? '?' : '&';
  return std::string(path) + joiner + "notice=" + std::string(code);
}

std::string with_next(std::string_view path, std::string_view next) {
  if (next.empty()) return std::string(path);
  return std::string(path) +
         "?next=" + boost::urls::encode(next, boost::urls::unreserved_chars + '/');
}

}  // namespace masthead::web
