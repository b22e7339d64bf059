// Registration, e-mail links, login, logout and password reset: the pages a
// reader uses to become and prove who they are, over MemberService.
//
// What a page may reveal is the service's rule (member_service.h): a taken
// address answers like a new registration, a reset request answers alike
// for every address, a failed login has one answer. These adapters keep
// that: the same status, Location and body for both branches; the session
// cookie of a new account is the one difference, which is what signing a
// new reader in at once costs.
#include <boost/json.hpp>

#include "accounts/auth_common.h"

namespace masthead::accounts {

namespace detail {

namespace json = boost::json;

std::string password_problem_text(const web::Page& page, members::PasswordProblem problem) {
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

web::FieldSpec new_password_field(const web::Page& page, std::string name,
                                  std::string_view label_key) {
  return {.name = std::move(name),
          .type = "password",
          .label = page.t(label_key),
          .autocomplete = "new-password",
          .hint = page.t("auth.password_hint",
                         {{"min", static_cast<std::int64_t>(members::kMinPasswordChars)},
                          {"max", static_cast<std::int64_t>(members::kMaxPasswordChars)}}),
          .minlength = static_cast<int>(members::kMinPasswordChars)};
}

http::Response throttled(const web::Page& page, std::chrono::seconds retry_after) {
  const std::int64_t minutes = (retry_after.count() + 59) / 60;
  http::Response response = page.message_page(page.t("auth.throttled_title"),
                                              page.t("auth.throttled", {{"minutes", minutes}}), "",
                                              std::nullopt, json::array{}, 429);
  response.set_header("Retry-After", std::to_string(retry_after.count()));
  return response;
}

}  // namespace detail

namespace {

namespace json = boost::json;
using detail::local_next;
using detail::visitor;
using services::LinkParts;
using services::LinkState;
using web::link;
using web::Page;

std::string query_next(const http::Request& request) {
  return local_next(request.query_param("next").value_or(""));
}

LinkParts link_from_query(const http::Request& r) {
  return {std::string(r.query_param("token").value_or("")),
          std::string(r.query_param("expires").value_or("")),
          std::string(r.query_param("sig").value_or(""))};
}
LinkParts link_from_form(const http::Form& f) {
  return {std::string(f.value("token")), std::string(f.value("expires")),
          std::string(f.value("sig"))};
}
std::vector<std::pair<std::string, std::string>> hidden_link(const LinkParts& parts) {
  return {{"token", parts.token}, {"expires", parts.expires}, {"sig", parts.sig}};
}

// A link that cannot be used: 400 for a malformed or tampered one, 410 for
// an expired or used one.
http::Response link_refused(const Page& page, LinkState state, bool reset) {
  std::string text = page.t("auth.link_used");
  int code = 410;
  if (state == LinkState::kExpired) {
    text = page.t("auth.link_expired");
  } else if (state == LinkState::kMalformed) {
    text = page.t("auth.link_invalid");
    code = 400;
  }
  json::array links;
  if (reset) links.push_back(link("/reset", page.t("auth.reset_again")));
  links.push_back(link("/account", page.t("auth.go_account")));
  return page.message_page(page.t("auth.link_error_title"), text, "", std::nullopt,
                           std::move(links), code);
}

// ---- register

http::Response register_form(const Page& page, std::string email, const std::string& next,
                             std::vector<std::string> errors, int status) {
  web::FormSpec form{.action = "/register", .id_prefix = "register"};
  form.fields = {{.name = "email",
                  .type = "email",
                  .label = page.t("auth.email_label"),
                  .autocomplete = "email",
                  .value = std::move(email)},
                 detail::new_password_field(page, "password", "auth.password_label")};
  if (!next.empty()) form.hidden.emplace_back("next", next);
  form.submit = page.t("auth.register_submit");
  form.errors = std::move(errors);
  json::array links{link(web::with_next("/login", next), page.t("auth.have_account"))};
  return page.message_page(page.t("auth.register_title"), page.notice(),
                           page.t("auth.register_intro", {{"publication", page.kit().publication}}),
                           page.form(form), std::move(links), status);
}

http::Response get_register(const AuthPages& pages, const http::Request& request) {
  const std::string next = query_next(request);
  if (pages.members.signed_in(visitor(pages, request))) return web::see_other(web::safe_next(next));
  Page page(pages.kit, request, "auth.register_title", "/register");
  return register_form(page, "", next, {}, 200);
}

http::Response post_register(const AuthPages& pages, const http::Request& request) {
  web::CheckedForm checked = web::checked_form(pages.kit, request);
  if (!checked.form) return checked.refusal;
  const http::Form& form = *checked.form;
  Page page(pages.kit, request, "auth.register_title", "/register");
  const std::string next = local_next(form.value("next"));
  const std::string_view typed = form.value("email");
  services::Registration done = pages.members.register_reader(
      visitor(pages, request), typed, form.value("password"), *page.language().messages);
  if (!done.accepted()) {
    std::vector<std::string> errors;
    if (done.email_invalid) errors.push_back(page.t("auth.email_invalid"));
    if (done.email_unmailable) errors.push_back(page.t("auth.email_unmailable"));
    if (done.password != members::PasswordProblem::kNone)
      errors.push_back(detail::password_problem_text(page, done.password));
    return register_form(page, std::string(typed), next, std::move(errors), 400);
  }
  // The same place for a new and a taken address; back where the reader was.
  const std::string to = web::with_notice(web::safe_next(next), "welcome");
  if (done.session_token.empty()) return web::see_other(to, {pages.kit.csrf.rotate().set_cookie});
  return web::see_other(to, detail::session_cookies(pages, done.session_token));
}

// ---- confirm

http::Response get_confirm(const AuthPages& pages, const http::Request& request) {
  Page page(pages.kit, request, "auth.confirm_title", "/confirm");
  const LinkParts parts = link_from_query(request);
  services::LinkCheck found = pages.members.check_confirm_link(parts);
  if (found.state != LinkState::kValid) return link_refused(page, found.state, false);
  const bool change = found.purpose == members::TokenPurpose::kChangeEmail;
  web::FormSpec form{.action = "/confirm", .id_prefix = "confirm"};
  form.hidden = hidden_link(parts);
  form.submit = page.t(change ? "auth.change_submit" : "auth.confirm_submit");
  return page.message_page(page.t(change ? "auth.change_title" : "auth.confirm_title"), "",
                           page.t(change ? "auth.change_intro" : "auth.confirm_intro"),
                           page.form(form), json::array{});
}

http::Response post_confirm(const AuthPages& pages, const http::Request& request) {
  web::CheckedForm checked = web::checked_form(pages.kit, request);
  if (!checked.form) return checked.refusal;
  Page page(pages.kit, request, "auth.confirm_title", "/confirm");
  services::Confirmation done = pages.members.confirm(link_from_form(*checked.form));
  if (done.state != LinkState::kValid) return link_refused(page, done.state, false);
  json::array links{link("/account", page.t("auth.go_account")), link("/", page.t("auth.go_home"))};
  if (done.purpose == members::TokenPurpose::kConfirmEmail)
    return page.message_page(page.t("auth.confirm_title"), page.t("auth.confirmed"), "",
                             std::nullopt, std::move(links));
  if (done.email_taken)
    return page.message_page(page.t("auth.change_title"), page.t("auth.email_change_taken"), "",
                             std::nullopt, std::move(links), 409);
  return page.message_page(page.t("auth.change_title"),
                           page.t("auth.email_changed", {{"email", done.new_email}}), "",
                           std::nullopt, std::move(links));
}

// ---- login, logout

http::Response login_form(const Page& page, std::string email, const std::string& next,
                          std::vector<std::string> errors, int status) {
  web::FormSpec form{.action = "/login", .id_prefix = "login"};
  form.fields = {{.name = "email",
                  .type = "email",
                  .label = page.t("auth.email_label"),
                  .autocomplete = "email",
                  .value = std::move(email)},
                 {.name = "password",
                  .type = "password",
                  .label = page.t("auth.password_label"),
                  .autocomplete = "current-password"}};
  if (!next.empty()) form.hidden.emplace_back("next", next);
  form.submit = page.t("auth.login_submit");
  form.errors = std::move(errors);
  json::array links{link(web::with_next("/register", next), page.t("auth.no_account")),
                    link("/reset", page.t("auth.forgot_password"))};
  return page.message_page(page.t("auth.login_title"), page.notice(), "", page.form(form),
                           std::move(links), status);
}

http::Response get_login(const AuthPages& pages, const http::Request& request) {
  const std::string next = query_next(request);
  if (pages.members.signed_in(visitor(pages, request))) return web::see_other(web::safe_next(next));
  Page page(pages.kit, request, "auth.login_title", "/login");
  return login_form(page, "", next, {}, 200);
}

http::Response post_login(const AuthPages& pages, const http::Request& request) {
  web::CheckedForm checked = web::checked_form(pages.kit, request);
  if (!checked.form) return checked.refusal;
  const http::Form& form = *checked.form;
  Page page(pages.kit, request, "auth.login_title", "/login");
  const std::string next = local_next(form.value("next"));
  const std::string_view typed = form.value("email");
  services::Login done =
      pages.members.login(visitor(pages, request), typed, form.value("password"));
  switch (done.attempt) {
    case services::Attempt::kThrottled:
      return detail::throttled(page, done.retry_after);
    case services::Attempt::kRefused:
      return login_form(page, std::string(typed), next, {page.t("auth.login_failed")}, 400);
    case services::Attempt::kAccepted:
      break;
  }
  return web::see_other(web::safe_next(next), detail::session_cookies(pages, done.session_token));
}

http::Response post_logout(const AuthPages& pages, const http::Request& request) {
  web::CheckedForm checked = web::checked_form(pages.kit, request);
  if (!checked.form) return checked.refusal;
  pages.members.logout(visitor(pages, request));
  return web::see_other("/login?notice=logged-out", {web::expired_session_cookie(pages.kit.cookies),
                                                     pages.kit.csrf.rotate().set_cookie});
}

// ---- reset

http::Response reset_form(const Page& page, std::string email, std::vector<std::string> errors,
                          int status) {
  web::FormSpec form{.action = "/reset", .id_prefix = "reset"};
  form.fields = {{.name = "email",
                  .type = "email",
                  .label = page.t("auth.email_label"),
                  .autocomplete = "email",
                  .value = std::move(email)}};
  form.submit = page.t("auth.reset_submit");
  form.errors = std::move(errors);
  return page.message_page(page.t("auth.reset_title"), "", page.t("auth.reset_intro"),
                           page.form(form), json::array{link("/login", page.t("auth.go_login"))},
                           status);
}

http::Response get_reset(const AuthPages& pages, const http::Request& request) {
  Page page(pages.kit, request, "auth.reset_title", "/reset");
  return reset_form(page, "", {}, 200);
}

http::Response post_reset(const AuthPages& pages, const http::Request& request) {
  web::CheckedForm checked = web::checked_form(pages.kit, request);
  if (!checked.form) return checked.refusal;
  Page page(pages.kit, request, "auth.reset_title", "/reset");
  const std::string_view typed = checked.form->value("email");
  if (!pages.members.request_reset(typed, *page.language().messages))
    return reset_form(page, std::string(typed), {page.t("auth.email_invalid")}, 400);
  return page.message_page(page.t("auth.reset_title"), page.t("auth.reset_sent"), "", std::nullopt,
                           json::array{link("/login", page.t("auth.go_login"))});
}

http::Response new_password_form(const Page& page, const LinkParts& parts,
                                 std::vector<std::string> errors, int status) {
  web::FormSpec form{.action = "/reset/new", .id_prefix = "reset-new"};
  form.fields = {detail::new_password_field(page, "password", "auth.new_password_label")};
  form.hidden = hidden_link(parts);
  form.submit = page.t("auth.reset_new_submit");
  form.errors = std::move(errors);
  return page.message_page(page.t("auth.reset_new_title"), "", "", page.form(form), json::array{},
                           status);
}

http::Response get_reset_new(const AuthPages& pages, const http::Request& request) {
  Page page(pages.kit, request, "auth.reset_new_title", "/reset/new");
  const LinkParts parts = link_from_query(request);
  services::LinkCheck found = pages.members.check_reset_link(parts);
  if (found.state != LinkState::kValid) return link_refused(page, found.state, true);
  return new_password_form(page, parts, {}, 200);
}

http::Response post_reset_new(const AuthPages& pages, const http::Request& request) {
  web::CheckedForm checked = web::checked_form(pages.kit, request);
  if (!checked.form) return checked.refusal;
  Page page(pages.kit, request, "auth.reset_new_title", "/reset/new");
  const LinkParts parts = link_from_form(*checked.form);
  services::PasswordReset done =
      pages.members.reset_password(parts, checked.form->value("password"));
  if (done.state != LinkState::kValid) return link_refused(page, done.state, true);
  if (!done.done())
    return new_password_form(page, done.fresh_link.value_or(parts),
                             {detail::password_problem_text(page, done.problem)}, 400);
  return page.message_page(page.t("auth.reset_new_title"), page.t("auth.reset_done"), "",
                           std::nullopt, json::array{link("/login", page.t("auth.go_login"))}, 200,
                           {web::expired_session_cookie(pages.kit.cookies)});
}

}  // namespace

void add_auth_routes(http::Router& router, const AuthPages& pages);

void add_auth_routes(http::Router& router, const AuthPages& pages) {
  using http::Method;
  auto route = [&](Method method, std::string_view path, detail::PageHandler handler,
                   http::Dispatch dispatch = http::kInline) {
    detail::add_route(router, pages, method, path, handler, dispatch);
  };
  // Hashing or verifying a password (~0.1 s of CPU) runs off the io threads.
  route(Method::kGet, "/register", get_register);
  route(Method::kPost, "/register", post_register, http::kBlocking);
  route(Method::kGet, "/confirm", get_confirm);
  route(Method::kPost, "/confirm", post_confirm);
  route(Method::kGet, "/login", get_login);
  route(Method::kPost, "/login", post_login, http::kBlocking);
  route(Method::kPost, "/logout", post_logout);
  route(Method::kGet, "/reset", get_reset);
  route(Method::kPost, "/reset", post_reset);
  route(Method::kGet, "/reset/new", get_reset_new);
  route(Method::kPost, "/reset/new", post_reset_new, http::kBlocking);
}

}  // namespace masthead::accounts
