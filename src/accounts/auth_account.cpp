// The account page and what it changes: the address, the password, the
// account itself, and the reader's copy of their data.
//
// What it is. detail::add_account_routes() registers
//   GET  /account                  e-mail and its confirmation, the subscription
//                                  (billing_pages.cpp's subscription_section), forms
//   POST /account/resend           a new confirm-email link
//   POST /account/email            re-authenticated; a change-email link goes to the
//                                  NEW address and the change happens when it is opened
//   POST /account/password         re-authenticated; every session is dropped and this
//                                  browser gets a new one
//   POST /account/delete           re-authenticated; the account, its sessions and links go
//   GET  /account/export           the account's data as a JSON download
// Each needs a signed-in reader (else 303 to /login?next=/account), each
// POST passes checked_form() first, and every answer is no-store.
//
// The key idea: the forms that change who the reader is ask for the current
// password again, and that check is a login attempt like any other — the
// same throttle (429 before verifying), the same failure record. A stolen
// session (a shared computer left signed in) can read the page but cannot
// take the account over.
//
// Left to billing: deleting an account leaves its subscription and payment
// records (the billing store's rows, kept for accounting); the delete
// section says to cancel first.
#include <boost/json.hpp>

#include "accounts/accounts.h"
#include "accounts/auth_pages.h"
#include "base/iso_time.h"
#include "billing/subscription.h"
#include "mail/message.h"
#include "members/email.h"

namespace masthead::accounts::detail {

namespace json = boost::json;

namespace {

using Cookies = std::vector<std::string>;

http::Response see_other(std::string_view location, const Cookies& cookies = {}) {
  http::Response response = http::Response::redirect(location, 303);
  response.set_header("Cache-Control", "no-store");
  for (const std::string& cookie : cookies) response.add_header("Set-Cookie", cookie);
  return response;
}

http::Response to_login() {
  return see_other("/login?next=/account");
}

// Errors shown in one of the page's forms.
struct FormErrors {
  std::vector<std::string> email;
  std::vector<std::string> password;
  std::vector<std::string> remove;
};

FieldSpec current_password(const AuthPage& page) {
  return {.name = "current_password",
          .type = "password",
          .label = page.t("auth.current_password_label"),
          .autocomplete = "current-password"};
}

// The notice a redirect back to /account names (?notice=...), localized.
std::string notice_text(const AuthPage& page, std::string_view code) {
  if (code == "email-link") return page.t("account.notice_email_link");
  if (code == "confirmation-sent") return page.t("account.notice_confirmation_sent");
  if (code == "password-changed") return page.t("account.notice_password_changed");
  return "";
}

http::Response account_page(const AuthPage& page, const SignedIn& who, std::string notice,
                            const FormErrors& errors = {}, int status = 200,
                            std::string new_email = "") {
  const members::Account& account = who.account;
  const bool confirmed = account.email_confirmed_at.has_value();

  json::array email_forms;
  if (!confirmed)
    email_forms.push_back(
        make_form("/account/resend", page.csrf, "resend", {}, page.t("account.resend_submit")));
  email_forms.push_back(make_form("/account/email", page.csrf, "email-change",
                                  {{.name = "new_email",
                                    .type = "email",
                                    .label = page.t("account.new_email_label"),
                                    .autocomplete = "email",
                                    .value = std::move(new_email)},
                                   current_password(page)},
                                  page.t("account.change_email_submit"), errors.email));
  json::array password_forms{
      make_form("/account/password", page.csrf, "password-change",
                {current_password(page),
                 {.name = "new_password",
                  .type = "password",
                  .label = page.t("auth.new_password_label"),
                  .autocomplete = "new-password",
                  .hint = page.t("auth.password_hint",
                                 {{"min", static_cast<std::int64_t>(members::kMinPasswordChars)},
                                  {"max", static_cast<std::int64_t>(members::kMaxPasswordChars)}}),
                  .minlength = static_cast<int>(members::kMinPasswordChars)}},
                page.t("account.change_password_submit"), errors.password)};
  json::array session_forms{
      make_form("/logout", page.csrf, "logout", {}, page.t("account.logout_submit"))};
  json::array delete_forms{make_form("/account/delete", page.csrf, "delete",
                                     {current_password(page)}, page.t("account.delete_submit"),
                                     errors.remove, {}, true)};

  json::object c{
      {"heading", page.t("account.title")},
      {"notice", std::move(notice)},
      {"subscription",
       subscription_section(page.services, page.options, who, page.frame, page.csrf)},
      {"email", json::object{{"heading", page.t("account.email_heading")},
                             {"address", account.email},
                             {"status", page.t(confirmed ? "account.email_confirmed"
                                                         : "account.email_unconfirmed")},
                             {"forms", std::move(email_forms)}}},
      {"password", json::object{{"heading", page.t("account.password_heading")},
                                {"forms", std::move(password_forms)}}},
      {"data", json::object{{"heading", page.t("account.data_heading")},
                            {"body", page.t("account.data_body")},
                            {"export_url", "/account/export"},
                            {"export_label", page.t("account.export_label")}}},
      {"session", json::object{{"heading", page.t("account.session_heading")},
                               {"forms", std::move(session_forms)}}},
      {"delete", json::object{{"heading", page.t("account.delete_heading")},
                              {"body", page.t("account.delete_body")},
                              {"forms", std::move(delete_forms)}}},
  };
  return page.render("account", c, status);
}

// The current password again, as a login attempt: throttled first, failures
// recorded. Nothing: it is right. Otherwise the response to send (429, or
// the page with `field`'s error).
std::optional<http::Response> reauthenticate(const AuthPage& page, const SignedIn& who,
                                             std::string_view password,
                                             std::vector<std::string> FormErrors::*field) {
  if (auto refusal = throttle_refusal(page, who.account.email)) return refusal;
  if (check_password_for(page, who.account, who.account.email, password)) return std::nullopt;
  FormErrors errors;
  (errors.*field).push_back(page.t("account.password_wrong"));
  return account_page(page, who, "", errors, 400);
}

using Handler = http::Response (*)(const Services&, const AccountsOptions&, const http::Request&);

http::Response get_account(const Services& services, const AccountsOptions& options,
                           const http::Request& request) {
  auto who = signed_in(services, options, request);
  if (!who) return to_login();
  AuthPage page(services, options, request, "account.title", "/account");
  return account_page(page, *who, notice_text(page, request.query_param("notice").value_or("")));
}

http::Response post_resend(const Services& services, const AccountsOptions& options,
                           const http::Request& request) {
  CheckedForm checked = checked_form(services, options, request);
  if (!checked.form) return checked.refusal;
  auto who = signed_in(services, options, request);
  if (!who) return to_login();
  if (who->account.email_confirmed_at) return see_other("/account");
  AuthPage page(services, options, request, "account.title", "/account");
  mail_confirmation(page, who->account);
  return see_other("/account?notice=confirmation-sent");
}

http::Response post_email(const Services& services, const AccountsOptions& options,
                          const http::Request& request) {
  CheckedForm checked = checked_form(services, options, request);
  if (!checked.form) return checked.refusal;
  auto who = signed_in(services, options, request);
  if (!who) return to_login();
  AuthPage page(services, options, request, "account.title", "/account");
  const std::string_view typed = checked.form->value("new_email");
  if (auto refusal =
          reauthenticate(page, *who, checked.form->value("current_password"), &FormErrors::email))
    return std::move(*refusal);

  FormErrors errors;
  auto email = members::normalize_email(typed);
  if (!email)
    errors.email.push_back(page.t("auth.email_invalid"));
  else if (!mail::is_valid_address(email.value()))
    errors.email.push_back(page.t("auth.email_unmailable"));
  else if (email.value() == who->account.email)
    errors.email.push_back(page.t("account.email_same"));
  if (!errors.email.empty()) return account_page(page, *who, "", errors, 400, std::string(typed));

  if (services.members.find_account_by_email(email.value())) {
    // Taken: the reader is told what they would be told otherwise; the
    // address's owner learns of the attempt.
    send_mail(services, email.value(),
              page.t("auth.mail_change_taken_subject", {{"publication", options.publication}}),
              page.t("auth.mail_change_taken_body", {{"publication", options.publication}}));
  } else if (auto issued = store_link(services, members::TokenPurpose::kChangeEmail,
                                      who->account.id, email.value())) {
    send_mail(services, email.value(),
              page.t("auth.mail_change_subject", {{"publication", options.publication}}),
              page.t("auth.mail_change_body", {{"publication", options.publication},
                                               {"link", link_url(options, "/confirm", *issued)}}));
  }
  return see_other("/account?notice=email-link");
}

http::Response post_password(const Services& services, const AccountsOptions& options,
                             const http::Request& request) {
  CheckedForm checked = checked_form(services, options, request);
  if (!checked.form) return checked.refusal;
  auto who = signed_in(services, options, request);
  if (!who) return to_login();
  AuthPage page(services, options, request, "account.title", "/account");
  if (auto refusal = reauthenticate(page, *who, checked.form->value("current_password"),
                                    &FormErrors::password))
    return std::move(*refusal);
  const std::string_view password = checked.form->value("new_password");
  auto problem = members::check_password(password, who->account.email);
  if (problem != members::PasswordProblem::kNone) {
    FormErrors errors;
    errors.password.push_back(password_problem_text(page, problem));
    return account_page(page, *who, "", errors, 400);
  }
  services.members.set_password_hash(who->account.id, services.hasher.hash(password));
  // Every session goes, this one too: the browser gets a new token.
  services.members.delete_sessions(who->account.id);
  Cookies cookies = start_session(services, options, request, who->account.id);
  send_mail(services, who->account.email,
            page.t("auth.mail_password_changed_subject", {{"publication", options.publication}}),
            page.t("auth.mail_password_changed_body",
                   {{"publication", options.publication}, {"reset", options.base_url + "/reset"}}));
  return see_other("/account?notice=password-changed", cookies);
}

http::Response post_delete(const Services& services, const AccountsOptions& options,
                           const http::Request& request) {
  CheckedForm checked = checked_form(services, options, request);
  if (!checked.form) return checked.refusal;
  auto who = signed_in(services, options, request);
  if (!who) return to_login();
  AuthPage page(services, options, request, "account.deleted_title", "/account");
  if (auto refusal =
          reauthenticate(page, *who, checked.form->value("current_password"), &FormErrors::remove))
    return std::move(*refusal);
  // Sessions, links and login failures go with the account; billing's rows stay.
  services.members.delete_account(who->account.id);
  return page.form_page(page.t("account.deleted_title"), page.t("account.deleted"), "",
                        std::nullopt, json::array{link("/", page.t("auth.go_home"))}, 200,
                        {expired_session_cookie(services), services.csrf.rotate().set_cookie});
}

json::value iso_or_null(const std::optional<base::TimePoint>& t) {
  if (!t) return nullptr;
  return json::string(base::format_iso8601_utc(*t));
}

http::Response get_export(const Services& services, const AccountsOptions& options,
                          const http::Request& request) {
  auto who = signed_in(services, options, request);
  if (!who) return to_login();
  auto data = services.members.export_account(who->account.id);
  if (!data) return to_login();
  json::array sessions;
  for (const auto& s : data->sessions)
    sessions.push_back(json::object{{"created_at", base::format_iso8601_utc(s.created_at)},
                                    {"last_seen_at", base::format_iso8601_utc(s.last_seen_at)}});
  json::array subscriptions;
  for (const billing::Subscription& s : services.billing.subscriptions_of(data->id)) {
    subscriptions.push_back(json::object{
        {"plan", s.plan_code},
        {"offer", s.offer_code ? json::value(json::string(*s.offer_code)) : json::value(nullptr)},
        {"gateway", s.gateway},
        {"state", billing::state_name(s.state)},
        {"started_at", base::format_iso8601_utc(s.started_at)},
        {"current_period_start", base::format_iso8601_utc(s.current_period_start)},
        {"current_period_end", base::format_iso8601_utc(s.current_period_end)},
        {"trial_end", iso_or_null(s.trial_end)},
        {"cancel_at_period_end", s.cancel_at_period_end},
        {"ended_at", iso_or_null(s.ended_at)},
    });
  }
  json::object out{
      {"account", json::object{{"id", data->id},
                               {"email", data->email},
                               {"created_at", base::format_iso8601_utc(data->created_at)},
                               {"email_confirmed_at", iso_or_null(data->email_confirmed_at)},
                               {"sessions", std::move(sessions)}}},
      {"subscriptions", std::move(subscriptions)},
  };
  http::Response response = http::Response::json(200, json::serialize(out) + "\n");
  response.set_header("Content-Type", "application/json");
  response.set_header("Content-Disposition", "attachment; filename=\"account.json\"");
  response.set_header("Cache-Control", "no-store");
  return response;
}

}  // namespace

void add_account_routes(http::Router& router, Services& services, const AccountsOptions& options) {
  const Services* s = &services;
  const AccountsOptions o = options;
  auto route = [&](http::Method method, std::string_view path, Handler handler,
                   http::Dispatch dispatch = http::kInline) {
    router.add(
        method, path, [s, o, handler](http::Request& r) { return handler(*s, o, r); }, dispatch);
  };
  using http::Method;
  route(Method::kGet, "/account", get_account);
  route(Method::kPost, "/account/resend", post_resend);
  route(Method::kPost, "/account/email", post_email, http::kBlocking);
  route(Method::kPost, "/account/password", post_password, http::kBlocking);
  route(Method::kPost, "/account/delete", post_delete, http::kBlocking);
  route(Method::kGet, "/account/export", get_export);
}

}  // namespace masthead::accounts::detail
