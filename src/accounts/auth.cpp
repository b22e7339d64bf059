// Registration, e-mail links, login, logout and password reset: the pages a
// reader uses to become and prove who they are (issue 4, points 1 and 2).
//
// What it is. add_auth_routes() registers
//   GET/POST /register        a new account; a confirmation link is mailed
//   GET/POST /confirm         a confirm-email or change-email link: GET shows a
//                             button, POST consumes the link (single use)
//   GET/POST /login           throttled; a new session on success
//   POST     /logout          drops the session
//   GET/POST /reset           asks for a reset link (same answer for any address)
//   GET/POST /reset/new       the reset link's form: a new password, every
//                             session of the account dropped
// and, through auth_account.cpp, /account and its forms. signed_in() is the
// one place that turns a session cookie into an account.
//
// The key idea: nothing a reader learns from these pages says whether an
// address has an account, and nothing a request carries is trusted further
// than it must be. Registering a taken address answers like a registration
// (the owner gets a notice by mail instead of a link); a reset request
// answers the same for every address; a failed login gives one response for
// an unknown address and a wrong password, after the same argon2id work, and
// is throttled per address tried and per client before any password is
// checked. Sessions are new at every login (the token the browser brought is
// dropped, never adopted), CSRF cookies rotate at login and logout, links are
// checked for signature and expiry before the store is asked, GET never
// changes anything (links are consumed by a POST from the page they open),
// and `next` goes through safe_next().
//
// What a registration reveals. The successful one logs the reader in (the
// paywall sends readers here, and they come to keep reading); the one for a
// taken address does not. Both answer 303 to the same place, with the same
// body, after the same hashing; the session cookie is the one difference,
// which is what an auto-login costs. The owner of a taken address learns of
// the attempt by mail.
#include <boost/json.hpp>

#include <array>

#include "accounts/accounts.h"
#include "accounts/auth_pages.h"
#include "base/text.h"
#include "mail/message.h"
#include "members/email.h"
#include "members/secret_text.h"

namespace masthead::accounts {

namespace json = boost::json;
using detail::AuthPage;
using detail::FieldSpec;
using detail::link;
using detail::make_form;

std::optional<SignedIn> signed_in(const Services& services, const AccountsOptions& options,
                                  const http::Request& request) {
  auto hash = detail::request_session_hash(services, request);
  if (!hash) return std::nullopt;
  auto session = services.members.find_session(*hash);
  if (!session) return std::nullopt;
  const base::TimePoint now = services.clock.now();
  if (members::session_state(*session, options.sessions, now) != members::SessionState::kValid) {
    services.members.delete_session(*hash);
    return std::nullopt;
  }
  auto account = services.members.find_account(session->account_id);
  if (!account) {
    services.members.delete_session(*hash);
    return std::nullopt;
  }
  if (now - session->last_seen_at >= std::chrono::minutes(1) &&
      services.members.touch_session(*hash, now))
    session->last_seen_at = std::chrono::time_point_cast<std::chrono::seconds>(now);
  return SignedIn{std::move(*account), std::move(*session)};
}

namespace {

using Cookies = std::vector<std::string>;

http::Response see_other(std::string_view location, const Cookies& cookies = {}) {
  http::Response response = http::Response::redirect(location, 303);
  response.set_header("Cache-Control", "no-store");
  for (const std::string& cookie : cookies) response.add_header("Set-Cookie", cookie);
  return response;
}

// "/login?next=..." with `next` percent-encoded (it is a local path already).
std::string with_next(std::string_view path, std::string_view next) {
  if (next.empty()) return std::string(path);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = std::string(path) + "?next=";
  for (unsigned char c : next) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// `next` from a query or a form, kept only when it is a local path.
std::string local_next(std::string_view raw) {
  return raw.empty() ? std::string() : safe_next(raw, "");
}

std::string query_next(const http::Request& request) {
  return local_next(request.query_param("next").value_or(""));
}

Cookies rotated_csrf(const Services& services) {
  return {services.csrf.rotate().set_cookie};
}

// ---- e-mail links

// The three parts of a link, from a GET's query or a POST's hidden fields.
struct LinkParts {
  std::string token, expires, sig;

  static LinkParts from_query(const http::Request& r) {
    return {std::string(r.query_param("token").value_or("")),
            std::string(r.query_param("expires").value_or("")),
            std::string(r.query_param("sig").value_or(""))};
  }
  static LinkParts from_form(const http::Form& f) {
    return {std::string(f.value("token")), std::string(f.value("expires")),
            std::string(f.value("sig"))};
  }
  // The query check_email_link() reads; "" (malformed) when a part holds
  // anything a link never does.
  std::string query() const {
    for (const std::string* part : {&token, &expires, &sig}) {
      if (part->empty() || part->size() > 64) return "";
      for (char c : *part)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return "";
    }
    return "token=" + token + "&expires=" + expires + "&sig=" + sig;
  }
  std::vector<std::pair<std::string, std::string>> hidden() const {
    return {{"token", token}, {"expires", expires}, {"sig", sig}};
  }
  static LinkParts of(const members::IssuedLink& issued) {
    LinkParts parts;
    for (std::string_view pair : base::split(issued.query, '&')) {
      auto eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view name = pair.substr(0, eq), value = pair.substr(eq + 1);
      if (name == "token") parts.token = value;
      if (name == "expires") parts.expires = value;
      if (name == "sig") parts.sig = value;
    }
    return parts;
  }
};

struct FoundLink {
  members::TokenPurpose purpose = members::TokenPurpose::kConfirmEmail;
  members::LinkCheck check;
};

// A link of any of `purposes` (the signature says which).
FoundLink check_link(const Services& services, const LinkParts& parts,
                     std::initializer_list<members::TokenPurpose> purposes) {
  FoundLink found;
  const std::string query = parts.query();
  const base::TimePoint now = services.clock.now();
  for (members::TokenPurpose purpose : purposes) {
    found.purpose = purpose;
    found.check = members::check_email_link(purpose, query, services.link_keys, now);
    if (found.check.status != members::LinkStatus::kBadSignature) break;
  }
  return found;
}

// A link that cannot be used: 400 for a malformed or tampered one, 410 for
// an expired or used one.
http::Response link_refused(const AuthPage& page, std::optional<members::LinkStatus> status,
                            bool reset) {
  std::string text;
  int code = 410;
  if (!status) {
    text = page.t("auth.link_used");
  } else if (*status == members::LinkStatus::kExpired) {
    text = page.t("auth.link_expired");
  } else {
    text = page.t("auth.link_invalid");
    code = 400;
  }
  json::array links;
  if (reset) links.push_back(link("/reset", page.t("auth.reset_again")));
  links.push_back(link("/account", page.t("auth.go_account")));
  return page.form_page(page.t("auth.link_error_title"), text, "", std::nullopt, std::move(links),
                        code);
}

// ---- register

std::vector<FieldSpec> new_password_field(const AuthPage& page, std::string name,
                                          std::string label_key) {
  return {{.name = std::move(name),
           .type = "password",
           .label = page.t(label_key),
           .autocomplete = "new-password",
           .hint = page.t("auth.password_hint",
                          {{"min", static_cast<std::int64_t>(members::kMinPasswordChars)},
                           {"max", static_cast<std::int64_t>(members::kMaxPasswordChars)}}),
           .minlength = static_cast<int>(members::kMinPasswordChars)}};
}

http::Response register_form(const AuthPage& page, std::string email, const std::string& next,
                             const std::vector<std::string>& errors, int status) {
  std::vector<FieldSpec> fields{{.name = "email",
                                 .type = "email",
                                 .label = page.t("auth.email_label"),
                                 .autocomplete = "email",
                                 .value = std::move(email)}};
  auto password = new_password_field(page, "password", "auth.password_label");
  fields.insert(fields.end(), password.begin(), password.end());
  std::vector<std::pair<std::string, std::string>> hidden;
  if (!next.empty()) hidden.emplace_back("next", next);
  json::array links{link(with_next("/login", next), page.t("auth.have_account"))};
  return page.form_page(page.t("auth.register_title"), "",
                        page.t("auth.register_intro", {{"publication", page.options.publication}}),
                        make_form("/register", page.csrf, "register", fields,
                                  page.t("auth.register_submit"), errors, hidden),
                        std::move(links), status);
}

http::Response get_register(const Services& services, const AccountsOptions& options,
                            const http::Request& request) {
  const std::string next = query_next(request);
  if (signed_in(services, options, request)) return see_other(safe_next(next));
  AuthPage page(services, options, request, "auth.register_title", "/register");
  return register_form(page, "", next, {}, 200);
}

http::Response post_register(const Services& services, const AccountsOptions& options,
                             const http::Request& request) {
  CheckedForm checked = checked_form(services, options, request);
  if (!checked.form) return checked.refusal;
  const http::Form& form = *checked.form;
  AuthPage page(services, options, request, "auth.register_title", "/register");
  const std::string next = local_next(form.value("next"));
  const std::string_view typed = form.value("email");
  const std::string_view password = form.value("password");

  std::vector<std::string> errors;
  auto email = members::normalize_email(typed);
  if (!email)
    errors.push_back(page.t("auth.email_invalid"));
  else if (!mail::is_valid_address(email.value()))
    errors.push_back(page.t("auth.email_unmailable"));
  const auto problem = members::check_password(password, email ? email.value() : "");
  if (problem != members::PasswordProblem::kNone)
    errors.push_back(detail::password_problem_text(page, problem));
  if (!errors.empty()) return register_form(page, std::string(typed), next, errors, 400);

  const base::TimePoint now = services.clock.now();
  members::CreatedAccount created =
      services.members.create_account(email.value(), services.hasher.hash(password), now);
  if (created.outcome != members::AccountWrite::kDone) {
    // Taken: the same answer as a registration, and a notice to the owner.
    detail::send_mail(services, email.value(),
                      page.t("auth.mail_taken_subject", {{"publication", options.publication}}),
                      page.t("auth.mail_taken_body", {{"publication", options.publication},
                                                      {"login", options.base_url + "/login"},
                                                      {"reset", options.base_url + "/reset"}}));
    return see_other(safe_next(next), rotated_csrf(services));
  }
  detail::mail_confirmation(page, created.account);
  return see_other(safe_next(next),
                   detail::start_session(services, options, request, created.account.id));
}

// ---- confirm

http::Response get_confirm(const Services& services, const AccountsOptions& options,
                           const http::Request& request) {
  AuthPage page(services, options, request, "auth.confirm_title", "/confirm");
  const LinkParts parts = LinkParts::from_query(request);
  FoundLink found = check_link(
      services, parts, {members::TokenPurpose::kConfirmEmail, members::TokenPurpose::kChangeEmail});
  if (found.check.status != members::LinkStatus::kValid)
    return link_refused(page, found.check.status, false);
  const bool change = found.purpose == members::TokenPurpose::kChangeEmail;
  return page.form_page(
      page.t(change ? "auth.change_title" : "auth.confirm_title"), "",
      page.t(change ? "auth.change_intro" : "auth.confirm_intro"),
      make_form("/confirm", page.csrf, "confirm", {},
                page.t(change ? "auth.change_submit" : "auth.confirm_submit"), {}, parts.hidden()),
      json::array{});
}

http::Response post_confirm(const Services& services, const AccountsOptions& options,
                            const http::Request& request) {
  CheckedForm checked = checked_form(services, options, request);
  if (!checked.form) return checked.refusal;
  AuthPage page(services, options, request, "auth.confirm_title", "/confirm");
  FoundLink found =
      check_link(services, LinkParts::from_form(*checked.form),
                 {members::TokenPurpose::kConfirmEmail, members::TokenPurpose::kChangeEmail});
  if (found.check.status != members::LinkStatus::kValid)
    return link_refused(page, found.check.status, false);
  const base::TimePoint now = services.clock.now();
  auto consumed = services.members.consume_email_token(found.purpose, found.check.token_hash, now);
  if (!consumed) return link_refused(page, std::nullopt, false);

  json::array links{link("/account", page.t("auth.go_account")), link("/", page.t("auth.go_home"))};
  if (found.purpose == members::TokenPurpose::kConfirmEmail) {
    if (!services.members.confirm_email(consumed->account_id, now))
      return link_refused(page, std::nullopt, false);
    return page.form_page(page.t("auth.confirm_title"), page.t("auth.confirmed"), "", std::nullopt,
                          std::move(links));
  }
  switch (services.members.change_email(consumed->account_id, consumed->payload, now)) {
    case members::AccountWrite::kDone:
      return page.form_page(page.t("auth.change_title"),
                            page.t("auth.email_changed", {{"email", consumed->payload}}), "",
                            std::nullopt, std::move(links));
    case members::AccountWrite::kEmailTaken:
      return page.form_page(page.t("auth.change_title"), page.t("auth.email_change_taken"), "",
                            std::nullopt, std::move(links), 409);
    case members::AccountWrite::kNoAccount:
      break;
  }
  return link_refused(page, std::nullopt, false);
}

// ---- login, logout

http::Response login_form(const AuthPage& page, std::string email, const std::string& next,
                          const std::vector<std::string>& errors, int status,
                          std::string notice = "") {
  std::vector<FieldSpec> fields{{.name = "email",
                                 .type = "email",
                                 .label = page.t("auth.email_label"),
                                 .autocomplete = "email",
                                 .value = std::move(email)},
                                {.name = "password",
                                 .type = "password",
                                 .label = page.t("auth.password_label"),
                                 .autocomplete = "current-password"}};
  std::vector<std::pair<std::string, std::string>> hidden;
  if (!next.empty()) hidden.emplace_back("next", next);
  json::array links{link(with_next("/register", next), page.t("auth.no_account")),
                    link("/reset", page.t("auth.forgot_password"))};
  return page.form_page(
      page.t("auth.login_title"), std::move(notice), "",
      make_form("/login", page.csrf, "login", fields, page.t("auth.login_submit"), errors, hidden),
      std::move(links), status);
}

http::Response get_login(const Services& services, const AccountsOptions& options,
                         const http::Request& request) {
  const std::string next = query_next(request);
  if (signed_in(services, options, request)) return see_other(safe_next(next));
  AuthPage page(services, options, request, "auth.login_title", "/login");
  return login_form(page, "", next, {}, 200);
}

http::Response post_login(const Services& services, const AccountsOptions& options,
                          const http::Request& request) {
  CheckedForm checked = checked_form(services, options, request);
  if (!checked.form) return checked.refusal;
  const http::Form& form = *checked.form;
  AuthPage page(services, options, request, "auth.login_title", "/login");
  const std::string next = local_next(form.value("next"));
  const std::string_view typed = form.value("email");
  const std::string key = detail::email_key(typed);

  if (auto refusal = detail::throttle_refusal(page, key)) return std::move(*refusal);
  std::optional<members::Account> account;
  if (auto email = members::normalize_email(typed))
    account = services.members.find_account_by_email(email.value());
  const std::string_view password = form.value("password");
  if (!detail::check_password_for(page, account, key, password))
    return login_form(page, std::string(typed), next, {page.t("auth.login_failed")}, 400);

  services.members.clear_login_failures(key);
  if (services.hasher.needs_rehash(account->password_hash))
    services.members.set_password_hash(account->id, services.hasher.hash(password));
  return see_other(safe_next(next), detail::start_session(services, options, request, account->id));
}

http::Response post_logout(const Services& services, const AccountsOptions& options,
                           const http::Request& request) {
  CheckedForm checked = checked_form(services, options, request);
  if (!checked.form) return checked.refusal;
  if (auto hash = detail::request_session_hash(services, request))
    services.members.delete_session(*hash);
  return see_other("/",
                   {detail::expired_session_cookie(services), services.csrf.rotate().set_cookie});
}

// ---- reset

http::Response reset_form(const AuthPage& page, std::string email,
                          const std::vector<std::string>& errors, int status) {
  std::vector<FieldSpec> fields{{.name = "email",
                                 .type = "email",
                                 .label = page.t("auth.email_label"),
                                 .autocomplete = "email",
                                 .value = std::move(email)}};
  return page.form_page(
      page.t("auth.reset_title"), "", page.t("auth.reset_intro"),
      make_form("/reset", page.csrf, "reset", fields, page.t("auth.reset_submit"), errors),
      json::array{link("/login", page.t("auth.go_login"))}, status);
}

http::Response get_reset(const Services& services, const AccountsOptions& options,
                         const http::Request& request) {
  AuthPage page(services, options, request, "auth.reset_title", "/reset");
  return reset_form(page, "", {}, 200);
}

http::Response post_reset(const Services& services, const AccountsOptions& options,
                          const http::Request& request) {
  CheckedForm checked = checked_form(services, options, request);
  if (!checked.form) return checked.refusal;
  AuthPage page(services, options, request, "auth.reset_title", "/reset");
  const std::string_view typed = checked.form->value("email");
  auto email = members::normalize_email(typed);
  if (!email) return reset_form(page, std::string(typed), {page.t("auth.email_invalid")}, 400);
  if (auto account = services.members.find_account_by_email(email.value())) {
    if (auto issued =
            detail::store_link(services, members::TokenPurpose::kResetPassword, account->id, "")) {
      detail::send_mail(services, account->email,
                        page.t("auth.mail_reset_subject", {{"publication", options.publication}}),
                        page.t("auth.mail_reset_body",
                               {{"publication", options.publication},
                                {"link", detail::link_url(options, "/reset/new", *issued)}}));
    }
  }
  return page.form_page(page.t("auth.reset_title"), page.t("auth.reset_sent"), "", std::nullopt,
                        json::array{link("/login", page.t("auth.go_login"))});
}

http::Response new_password_form(const AuthPage& page, const LinkParts& parts,
                                 const std::vector<std::string>& errors, int status) {
  return page.form_page(page.t("auth.reset_new_title"), "", "",
                        make_form("/reset/new", page.csrf, "reset-new",
                                  new_password_field(page, "password", "auth.new_password_label"),
                                  page.t("auth.reset_new_submit"), errors, parts.hidden()),
                        json::array{}, status);
}

http::Response get_reset_new(const Services& services, const AccountsOptions& options,
                             const http::Request& request) {
  AuthPage page(services, options, request, "auth.reset_new_title", "/reset/new");
  const LinkParts parts = LinkParts::from_query(request);
  FoundLink found = check_link(services, parts, {members::TokenPurpose::kResetPassword});
  if (found.check.status != members::LinkStatus::kValid)
    return link_refused(page, found.check.status, true);
  return new_password_form(page, parts, {}, 200);
}

http::Response post_reset_new(const Services& services, const AccountsOptions& options,
                              const http::Request& request) {
  CheckedForm checked = checked_form(services, options, request);
  if (!checked.form) return checked.refusal;
  AuthPage page(services, options, request, "auth.reset_new_title", "/reset/new");
  const LinkParts parts = LinkParts::from_form(*checked.form);
  FoundLink found = check_link(services, parts, {members::TokenPurpose::kResetPassword});
  if (found.check.status != members::LinkStatus::kValid)
    return link_refused(page, found.check.status, true);
  const std::string_view password = checked.form->value("password");
  // What can be checked without the account is checked before the link is used up.
  auto problem = members::check_password(password, "");
  if (problem != members::PasswordProblem::kNone)
    return new_password_form(page, parts, {detail::password_problem_text(page, problem)}, 400);

  const base::TimePoint now = services.clock.now();
  auto consumed = services.members.consume_email_token(members::TokenPurpose::kResetPassword,
                                                       found.check.token_hash, now);
  if (!consumed) return link_refused(page, std::nullopt, true);
  auto account = services.members.find_account(consumed->account_id);
  if (!account) return link_refused(page, std::nullopt, true);
  problem = members::check_password(password, account->email);
  if (problem != members::PasswordProblem::kNone) {
    // The link is spent; the form carries a fresh one so the reader can try again.
    auto fresh =
        detail::store_link(services, members::TokenPurpose::kResetPassword, account->id, "");
    if (!fresh) return link_refused(page, std::nullopt, true);
    return new_password_form(page, LinkParts::of(*fresh),
                             {detail::password_problem_text(page, problem)}, 400);
  }
  services.members.set_password_hash(account->id, services.hasher.hash(password));
  services.members.delete_sessions(account->id);
  services.members.clear_login_failures(account->email);
  return page.form_page(page.t("auth.reset_new_title"), page.t("auth.reset_done"), "", std::nullopt,
                        json::array{link("/login", page.t("auth.go_login"))}, 200,
                        {detail::expired_session_cookie(services)});
}

}  // namespace

void add_auth_routes(http::Router& router, Services& services, const AccountsOptions& options) {
  const Services* s = &services;
  const AccountsOptions o = options;
  auto route = [&](http::Method method, std::string_view path,
                   http::Response (*handler)(const Services&, const AccountsOptions&,
                                             const http::Request&),
                   http::Dispatch dispatch = http::kInline) {
    router.add(
        method, path, [s, o, handler](http::Request& r) { return handler(*s, o, r); }, dispatch);
  };
  using http::Method;
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
  detail::add_account_routes(router, services, options);
}

}  // namespace masthead::accounts
