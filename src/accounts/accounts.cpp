// See accounts.h: the helpers shared by the auth and billing pages.
#include "accounts/accounts.h"

#include "billing/entitlements.h"

namespace masthead::accounts {

std::string account_reader_key(std::int64_t account_id) {
  return "acct:" + std::to_string(account_id);
}

std::string session_cookie_name(const CookiePolicy& cookies) {
  return cookies.name("session");
}

paywall::Entitlements entitlements_of(const Services& services, const AccountsOptions& options,
                                      std::int64_t account_id) {
  return billing::entitlements_at(services.billing.subscriptions_of(account_id),
                                  services.billing.plans(), services.clock.now(), options.grace);
}

http::Response render_page(const Services& services, Frame frame, std::string_view template_name,
                           const boost::json::object& page_context, int status,
                           const std::vector<std::string>& set_cookies) {
  boost::json::object context = std::move(frame.context);
  for (const auto& [key, value] : page_context) context[key] = value;
  http::Response response =
      http::Response::html(status, services.templates.render(template_name, context));
  response.set_header("Cache-Control", "no-store");
  for (const std::string& cookie : set_cookies) response.add_header("Set-Cookie", cookie);
  return response;
}

CheckedForm checked_form(const Services& services, const AccountsOptions& options,
                         const http::Request& request) {
  CheckedForm checked;
  auto refuse = [&](int status, std::string text) {
    checked.refusal = http::Response::text(status, std::move(text));
    checked.refusal.set_header("Cache-Control", "no-store");
    return checked;
  };
  if (!same_origin(request, origin_of(options.base_url)))
    return refuse(403, "This form was not sent from this site.\n");
  auto parsed = http::parse_form(request);
  if (auto* error = std::get_if<http::FormError>(&parsed))
    return refuse(*error == http::FormError::kNotAForm ? 415 : 400,
                  "The form could not be read.\n");
  http::Form& form = std::get<http::Form>(parsed);
  if (!services.csrf.verify(request, form.value("csrf")))
    return refuse(403, "This form has expired. Go back, reload the page and try again.\n");
  checked.form = std::move(form);
  return checked;
}

}  // namespace masthead::accounts
