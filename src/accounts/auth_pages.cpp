// See auth_pages.h: the shared steps of the auth and account pages.
#include "accounts/auth_pages.h"

#include <boost/json.hpp>

#include "base/text.h"
#include "mail/message.h"
#include "members/email.h"
#include "members/secret_text.h"

namespace masthead::accounts::detail {

namespace json = boost::json;

AuthPage::AuthPage(const Services& services_in, const AccountsOptions& options_in,
                   const http::Request& request_in, std::string_view title_key,
                   std::string canonical_path)
    : services(services_in),
      options(options_in),
      request(request_in),
      frame(services_in.frame(request_in, "", std::move(canonical_path))),
      csrf(services_in.csrf.issue(request_in)) {
  // The frame was asked for before its catalog was known: set the title now.
  std::string title = t(title_key);
  if (auto* page = frame.context.if_contains("page"); page && page->is_object()) {
    page->as_object()["title"] = title + " — " + options.publication;
    page->as_object()["og_title"] = title;
    page->as_object()["robots"] = "noindex";
  }
}

std::string AuthPage::t(std::string_view key,
                        std::initializer_list<render::MessageArg> args) const {
  if (frame.messages == nullptr) return std::string(key);
  return frame.messages->format(key, args);
}

http::Response AuthPage::render(std::string_view template_name, const json::object& page_context,
                                int status, std::vector<std::string> cookies) const {
  if (!csrf.set_cookie.empty()) cookies.insert(cookies.begin(), csrf.set_cookie);
  return render_page(services, frame, template_name, page_context, status, cookies);
}

http::Response AuthPage::form_page(std::string heading, std::string notice, std::string intro,
                                   std::optional<json::object> form, json::array links, int status,
                                   std::vector<std::string> cookies) const {
  json::object c{{"heading", std::move(heading)},
                 {"notice", std::move(notice)},
                 {"intro", std::move(intro)},
                 {"has_links", !links.empty()},
                 {"links", std::move(links)}};
  if (form) c["form"] = std::move(*form);
  return render("form_page", c, status, std::move(cookies));
}

json::object make_form(std::string_view action, const CsrfGuard::Token& csrf,
                       std::string_view id_prefix, const std::vector<FieldSpec>& fields,
                       std::string submit, const std::vector<std::string>& errors,
                       const std::vector<std::pair<std::string, std::string>>& hidden,
                       bool danger) {
  json::array field_array;
  for (const FieldSpec& f : fields) {
    json::object o{{"id", std::string(id_prefix) + "-" + f.name},
                   {"name", f.name},
                   {"type", f.type},
                   {"label", f.label},
                   {"required", f.required}};
    if (!f.autocomplete.empty()) o["autocomplete"] = f.autocomplete;
    if (!f.value.empty()) o["value"] = f.value;
    if (!f.hint.empty()) o["hint"] = f.hint;
    if (f.minlength > 0) o["minlength"] = f.minlength;
    field_array.push_back(std::move(o));
  }
  json::array hidden_array;
  for (const auto& [name, value] : hidden)
    hidden_array.push_back(json::object{{"name", name}, {"value", value}});
  json::array error_array;
  for (const std::string& e : errors) error_array.push_back(json::string(e));
  return json::object{{"action", action},
                      {"csrf", csrf.field},
                      {"fields", std::move(field_array)},
                      {"hidden", std::move(hidden_array)},
                      {"submit", std::move(submit)},
                      {"has_errors", !errors.empty()},
                      {"errors", std::move(error_array)},
                      {"danger", danger}};
}

json::object link(std::string url, std::string label) {
  return json::object{{"url", std::move(url)}, {"label", std::move(label)}};
}

std::string password_problem_text(const AuthPage& page, members::PasswordProblem problem) {
  using members::PasswordProblem;
  switch (problem) {
    case PasswordProblem::kNone:
      return "";
    case PasswordProblem::kInvalidText:
      return page.t("auth.password_invalid_text");
    case PasswordProblem::kTooShort:
      return page.t("auth.password_too_short",
                    {{"min", static_cast<std::int64_t>(members::kMinPasswordChars)}});
    case PasswordProblem::kTooLong:
      return page.t("auth.password_too_long",
                    {{"max", static_cast<std::int64_t>(members::kMaxPasswordChars)}});
    case PasswordProblem::kCommon:
      return page.t("auth.password_common");
    case PasswordProblem::kContainsEmail:
      return page.t("auth.password_contains_email");
  }
  return page.t("auth.password_invalid_text");
}

std::string client_address(const Services& services, const http::Request& request) {
  if (services.client_address) return services.client_address(request);
  return request.remote_address;
}

std::optional<http::Response> throttle_refusal(const AuthPage& page, std::string_view email_key) {
  const members::ThrottlePolicy& policy = page.options.throttle;
  const base::TimePoint now = page.services.clock.now();
  members::FailureCounts counts = page.services.members.login_failures(
      email_key, client_address(page.services, page.request), members::window_start(policy, now));
  if (!members::throttled(counts, policy)) return std::nullopt;
  const auto seconds = std::max<std::int64_t>(1, policy.window.count());
  const std::int64_t minutes = (seconds + 59) / 60;
  http::Response response = page.form_page(page.t("auth.throttled_title"),
                                           page.t("auth.throttled", {{"minutes", minutes}}), "",
                                           std::nullopt, json::array{}, 429);
  response.set_header("Retry-After", std::to_string(seconds));
  return response;
}

bool check_password_for(const AuthPage& page, const std::optional<members::Account>& account,
                        std::string_view email_key, std::string_view password) {
  const members::PasswordHasher& hasher = page.services.hasher;
  const bool ok = account ? hasher.verify(account->password_hash, password)
                          : hasher.verify_against_dummy(password);
  if (!ok)
    page.services.members.record_login_failure(
        email_key, client_address(page.services, page.request), page.services.clock.now());
  return ok;
}

std::optional<std::string> request_session_hash(const Services& services,
                                                const http::Request& request) {
  auto cookie = request.cookie(session_cookie_name(services.cookies));
  if (!cookie || !members::is_token_text(*cookie)) return std::nullopt;
  return members::session_token_hash(*cookie);
}

std::vector<std::string> start_session(const Services& services, const AccountsOptions& options,
                                       const http::Request& request, std::int64_t account_id) {
  // Never adopt the token the browser brought (session fixation): drop it.
  if (auto old = request_session_hash(services, request)) services.members.delete_session(*old);
  const std::string token = members::new_session_token();
  services.members.create_session(members::new_session(token, account_id, services.clock.now()));
  if (services.merge_meter) services.merge_meter(request, account_reader_key(account_id));
  const std::string session_cookie = http::build_set_cookie(
      session_cookie_name(services.cookies), token,
      services.cookies.options(http::SameSite::kLax, options.sessions.absolute_timeout));
  return {session_cookie, services.csrf.rotate().set_cookie};
}

std::string expired_session_cookie(const Services& services) {
  return http::build_expired_cookie(session_cookie_name(services.cookies),
                                    services.cookies.options(http::SameSite::kLax));
}

bool send_mail(const Services& services, std::string to, std::string subject, std::string body) {
  auto queued = services.outbox.enqueue(
      mail::Message{std::move(to), std::move(subject), std::move(body)}, services.clock.now());
  if (!queued) return false;
  if (services.mail_ready) services.mail_ready();
  return true;
}

std::string link_url(const AccountsOptions& options, std::string_view path,
                     const members::IssuedLink& issued) {
  return options.base_url + std::string(path) + "?" + issued.query;
}

std::optional<members::IssuedLink> store_link(const Services& services,
                                              members::TokenPurpose purpose,
                                              std::int64_t account_id, std::string_view payload) {
  if (services.link_keys.empty()) return std::nullopt;
  members::IssuedLink issued = members::issue_email_link(
      purpose, account_id, payload, services.link_keys.front(), services.clock.now());
  if (!services.members.add_email_token(issued.record)) return std::nullopt;
  return issued;
}

void mail_confirmation(const AuthPage& page, const members::Account& account) {
  auto issued = store_link(page.services, members::TokenPurpose::kConfirmEmail, account.id, "");
  if (!issued) return;
  const std::string url = link_url(page.options, "/confirm", *issued);
  send_mail(
      page.services, account.email,
      page.t("auth.mail_confirm_subject", {{"publication", page.options.publication}}),
      page.t("auth.mail_confirm_body", {{"publication", page.options.publication}, {"link", url}}));
}

std::string email_key(std::string_view typed) {
  auto normalized = members::normalize_email(typed);
  if (normalized) return normalized.value();
  std::string key = base::to_lower_ascii(base::trim(typed));
  if (key.size() > members::kMaxEmailBytes) key.resize(members::kMaxEmailBytes);
  return key;
}

}  // namespace masthead::accounts::detail
