// The account page and what it changes: the address, the password, the
// account itself, and the reader's copy of their data — over MemberService.
//
// Each route needs a signed-in reader (else 303 to /login?next=/account),
// each POST passes web::checked_form() first, and every answer is no-store.
// The forms that change who the reader is ask for the current password
// again; the service treats that as a login attempt (throttle, record), so
// a session left open on a shared computer cannot take the account over.
#include <boost/json.hpp>

#include <array>

#include "accounts/auth_common.h"
#include "base/iso_time.h"
#include "billing/subscription.h"

namespace masthead::accounts {

namespace {

namespace json = boost::json;
using detail::visitor;
using web::link;
using web::Page;

http::Response to_login() {
  return web::see_other("/login?next=/account");
}

// The first steps of every POST here: the form checked (Origin + CSRF), the
// visitor, the signed-in reader. `refusal` is set when one fails.
struct AccountPost {
  std::optional<http::Response> refusal;
  http::Form form;
  services::Visitor visitor;
  services::SignedIn who;
};
AccountPost account_post(const AuthPages& pages, const http::Request& request) {
  AccountPost post;
  web::CheckedForm checked = web::checked_form(pages.kit, request);
  if (!checked.form) {
    post.refusal = std::move(checked.refusal);
    return post;
  }
  post.form = std::move(*checked.form);
  post.visitor = visitor(pages, request);
  auto who = pages.members.signed_in(post.visitor);
  if (!who) {
    post.refusal = to_login();
    return post;
  }
  post.who = std::move(*who);
  return post;
}

// Errors shown in one of the page's forms.
struct FormErrors {
  std::vector<std::string> email;
  std::vector<std::string> password;
  std::vector<std::string> remove;
};

web::FieldSpec current_password(const Page& page) {
  return {.name = "current_password",
          .type = "password",
          .label = page.t("auth.current_password_label"),
          .autocomplete = "current-password"};
}

// The private feed's addresses (one per format; the token is the
// credential, so they are shown only here, to the signed-in owner) and the
// form that replaces them. False when the site signs no feed tokens.
json::value private_feed_section(const AuthPages& pages, const Page& page,
                                 const services::SignedIn& who) {
  std::optional<std::string> token = pages.members.feed_token(who.account.id);
  if (!token) return false;
  const std::string base = pages.kit.base_url + "/private/" + *token + "/";
  json::array addresses;
  for (auto [id, label, file] : {std::array<const char*, 3>{"rss", "RSS", "feed.xml"},
                                 std::array<const char*, 3>{"atom", "Atom", "atom.xml"},
                                 std::array<const char*, 3>{"json", "JSON Feed", "feed.json"}})
    addresses.push_back(json::object{
        {"id", std::string("private-feed-") + id}, {"label", label}, {"url", base + file}});
  const bool entitled = pages.billing.entitlements(who.account.id).active;
  return json::object{
      {"heading", page.t("account.feed_heading")},
      {"body", page.t(entitled ? "account.feed_body" : "account.feed_body_not_entitled")},
      {"warning", page.t("account.feed_warning")},
      {"addresses", std::move(addresses)},
      {"forms", json::array{page.form({.action = "/account/feed",
                                       .id_prefix = "feed-renew",
                                       .submit = page.t("account.feed_renew_submit")})}}};
}

http::Response account_page(const AuthPages& pages, const Page& page, const services::SignedIn& who,
                            std::string notice, FormErrors errors = {}, int status = 200,
                            std::string new_email = "") {
  const members::Account& account = who.account;
  const bool confirmed = account.email_confirmed_at.has_value();

  json::array email_forms;
  if (!confirmed)
    email_forms.push_back(page.form({.action = "/account/resend",
                                     .id_prefix = "resend",
                                     .submit = page.t("account.resend_submit")}));
  email_forms.push_back(page.form({.action = "/account/email",
                                   .id_prefix = "email-change",
                                   .fields = {{.name = "new_email",
                                               .type = "email",
                                               .label = page.t("account.new_email_label"),
                                               .autocomplete = "email",
                                               .value = std::move(new_email)},
                                              current_password(page)},
                                   .submit = page.t("account.change_email_submit"),
                                   .errors = std::move(errors.email)}));
  json::array password_forms{page.form(
      {.action = "/account/password",
       .id_prefix = "password-change",
       .fields = {current_password(page),
                  detail::new_password_field(page, "new_password", "auth.new_password_label")},
       .submit = page.t("account.change_password_submit"),
       .errors = std::move(errors.password)})};
  json::array session_forms{page.form(
      {.action = "/logout", .id_prefix = "logout", .submit = page.t("account.logout_submit")})};
  json::array delete_forms{page.form({.action = "/account/delete",
                                      .id_prefix = "delete",
                                      .fields = {current_password(page)},
                                      .submit = page.t("account.delete_submit"),
                                      .errors = std::move(errors.remove),
                                      .danger = true})};

  json::object subscription;
  if (pages.subscription_section) subscription = pages.subscription_section(page, who);
  json::value feed = private_feed_section(pages, page, who);
  json::object c{
      {"heading", page.t("account.title")},
      {"notice", notice.empty() ? json::value(false) : json::value(notice)},
      {"subscription", std::move(subscription)},
      {"email", json::object{{"heading", page.t("account.email_heading")},
                             {"address", account.email},
                             {"status", page.t(confirmed ? "account.email_confirmed"
                                                         : "account.email_unconfirmed")},
                             {"forms", std::move(email_forms)}}},
      {"password", json::object{{"heading", page.t("account.password_heading")},
                                {"forms", std::move(password_forms)}}},
      {"feed", std::move(feed)},
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

// The answer to a refused re-authentication: 429, or the page with the
// error in `field`'s form.
http::Response reauth_refused(const AuthPages& pages, const Page& page,
                              const services::SignedIn& who, const services::Reauthenticated& r,
                              std::vector<std::string> FormErrors::*field) {
  if (r.attempt == services::Attempt::kThrottled) return detail::throttled(page, r.retry_after);
  FormErrors errors;
  (errors.*field).push_back(page.t("account.password_wrong"));
  return account_page(pages, page, who, "", std::move(errors), 400);
}

http::Response get_account(const AuthPages& pages, const http::Request& request) {
  auto who = pages.members.signed_in(visitor(pages, request));
  if (!who) return to_login();
  Page page(pages.kit, request, "account.title", "/account");
  return account_page(pages, page, *who, page.notice());
}

http::Response post_resend(const AuthPages& pages, const http::Request& request) {
  AccountPost post = account_post(pages, request);
  if (post.refusal) return std::move(*post.refusal);
  if (post.who.account.email_confirmed_at) return web::see_other("/account");
  Page page(pages.kit, request, "account.title", "/account");
  pages.members.resend_confirmation(post.who.account, *page.language().messages);
  return web::see_other("/account?notice=confirmation-sent");
}

http::Response post_email(const AuthPages& pages, const http::Request& request) {
  AccountPost post = account_post(pages, request);
  if (post.refusal) return std::move(*post.refusal);
  Page page(pages.kit, request, "account.title", "/account");
  const std::string_view typed = post.form.value("new_email");
  services::EmailChange done =
      pages.members.change_email(post.visitor, post.who, typed, post.form.value("current_password"),
                                 *page.language().messages);
  if (done.reauth.attempt != services::Attempt::kAccepted)
    return reauth_refused(pages, page, post.who, done.reauth, &FormErrors::email);
  if (!done.accepted()) {
    FormErrors errors;
    if (done.email_invalid) errors.email.push_back(page.t("auth.email_invalid"));
    if (done.email_unmailable) errors.email.push_back(page.t("auth.email_unmailable"));
    if (done.email_same) errors.email.push_back(page.t("account.email_same"));
    return account_page(pages, page, post.who, "", std::move(errors), 400, std::string(typed));
  }
  return web::see_other("/account?notice=email-link");
}

http::Response post_password(const AuthPages& pages, const http::Request& request) {
  AccountPost post = account_post(pages, request);
  if (post.refusal) return std::move(*post.refusal);
  Page page(pages.kit, request, "account.title", "/account");
  services::PasswordChange done =
      pages.members.change_password(post.visitor, post.who, post.form.value("current_password"),
                                    post.form.value("new_password"), *page.language().messages);
  if (done.reauth.attempt != services::Attempt::kAccepted)
    return reauth_refused(pages, page, post.who, done.reauth, &FormErrors::password);
  if (done.problem != members::PasswordProblem::kNone) {
    FormErrors errors;
    errors.password.push_back(detail::password_problem_text(page, done.problem));
    return account_page(pages, page, post.who, "", std::move(errors), 400);
  }
  return web::see_other("/account?notice=password-changed",
                        detail::session_cookies(pages, done.session_token));
}

http::Response post_delete(const AuthPages& pages, const http::Request& request) {
  AccountPost post = account_post(pages, request);
  if (post.refusal) return std::move(*post.refusal);
  Page page(pages.kit, request, "account.deleted_title", "/account");
  services::Reauthenticated done =
      pages.members.delete_account(post.visitor, post.who, post.form.value("current_password"));
  if (done.attempt != services::Attempt::kAccepted)
    return reauth_refused(pages, page, post.who, done, &FormErrors::remove);
  return page.message_page(
      page.t("account.deleted_title"), page.t("account.deleted"), "", std::nullopt,
      json::array{link("/", page.t("auth.go_home"))}, 200,
      {web::expired_session_cookie(pages.kit.cookies), pages.kit.csrf.rotate().set_cookie});
}

// A new private feed address; every earlier one stops working at once.
http::Response post_feed(const AuthPages& pages, const http::Request& request) {
  AccountPost post = account_post(pages, request);
  if (post.refusal) return std::move(*post.refusal);
  if (!pages.members.renew_feed_token(post.who.account.id)) return to_login();
  return web::see_other("/account?notice=feed-renewed");
}

json::value iso_or_null(const std::optional<base::TimePoint>& t) {
  if (!t) return nullptr;
  return json::string(base::format_iso8601_utc(*t));
}

http::Response get_export(const AuthPages& pages, const http::Request& request) {
  auto who = pages.members.signed_in(visitor(pages, request));
  if (!who) return to_login();
  auto data = pages.members.export_account(*who);
  if (!data) return to_login();
  json::array sessions;
  for (const auto& s : data->sessions)
    sessions.push_back(json::object{{"created_at", base::format_iso8601_utc(s.created_at)},
                                    {"last_seen_at", base::format_iso8601_utc(s.last_seen_at)}});
  json::array subscriptions;
  for (const billing::Subscription& s : pages.billing.subscriptions_of(data->id)) {
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

void add_auth_routes(http::Router& router, const AuthPages& pages);  // auth_pages.cpp

void add_account_routes(http::Router& router, const AuthPages& pages) {
  add_auth_routes(router, pages);
  using http::Method;
  auto route = [&](Method method, std::string_view path, detail::PageHandler handler,
                   http::Dispatch dispatch = http::kInline) {
    detail::add_route(router, pages, method, path, handler, dispatch);
  };
  // Re-authentication verifies a password: off the io threads.
  route(Method::kGet, "/account", get_account);
  route(Method::kPost, "/account/resend", post_resend);
  route(Method::kPost, "/account/email", post_email, http::kBlocking);
  route(Method::kPost, "/account/password", post_password, http::kBlocking);
  route(Method::kPost, "/account/delete", post_delete, http::kBlocking);
  route(Method::kGet, "/account/export", get_export);
  route(Method::kPost, "/account/feed", post_feed);
}

}  // namespace masthead::accounts
