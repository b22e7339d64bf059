// The pieces auth.cpp and auth_account.cpp share: one request's page
// context, form builders, the session cookie, login throttling and mail.
//
// What it is. Every auth handler does the same few things around its own
// logic: it gets the site's frame in the reader's language, a CSRF token for
// the forms it shows (and the cookie that goes with a new one), builds forms
// for templates/form.html from labelled fields, maybe mails a link through
// the outbox, and answers with a no-store page. AuthPage bundles the
// request's frame and token so a handler says what is particular to it.
//
// The key idea: the security-relevant steps live here once. start_session()
// is the only place a session is created (the browser's old one is dropped
// first, the token is new, the CSRF cookie rotates, the anonymous meter
// merges); throttle_refusal() is asked before any password is verified, and
// check_password_for() is the only password check, so unknown address and
// wrong password take one path, with one response and the same argon2id
// work.
//
// Internal to the accounts module: not part of accounts.h's contract.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "accounts/accounts.h"

namespace masthead::accounts::detail {

// One request's page context: the frame (title set), the CSRF token for its forms.
class AuthPage {
 public:
  AuthPage(const Services& services, const AccountsOptions& options, const http::Request& request,
           std::string_view title_key, std::string canonical_path);

  std::string t(std::string_view key, std::initializer_list<render::MessageArg> args = {}) const;

  // A no-store HTML page; sends the CSRF cookie if the token is new, then `cookies`.
  http::Response render(std::string_view template_name, const boost::json::object& page_context,
                        int status = 200, std::vector<std::string> cookies = {}) const;

  // templates/form_page.html: heading, notice, intro, an optional form, links.
  http::Response form_page(std::string heading, std::string notice, std::string intro,
                           std::optional<boost::json::object> form, boost::json::array links,
                           int status = 200, std::vector<std::string> cookies = {}) const;

  const Services& services;
  const AccountsOptions& options;
  const http::Request& request;
  Frame frame;
  CsrfGuard::Token csrf;
};

// One labelled input of templates/form.html.
struct FieldSpec {
  std::string name;
  std::string type;  // "email", "password", "text"
  std::string label;
  std::string autocomplete;  // "email", "current-password", "new-password"
  std::string value;
  std::string hint;
  int minlength = 0;
  bool required = true;
};

// A form for templates/form.html; `id_prefix` keeps ids unique on a page.
boost::json::object make_form(std::string_view action, const CsrfGuard::Token& csrf,
                              std::string_view id_prefix, const std::vector<FieldSpec>& fields,
                              std::string submit, const std::vector<std::string>& errors = {},
                              const std::vector<std::pair<std::string, std::string>>& hidden = {},
                              bool danger = false);

boost::json::object link(std::string url, std::string label);

// The localized sentence for a password problem (kNone: empty).
std::string password_problem_text(const AuthPage& page, members::PasswordProblem problem);

// Where a login attempt comes from (Services::client_address, else the peer).
std::string client_address(const Services& services, const http::Request& request);

// A 429 page with Retry-After when `email_key` or this client has too many
// recent failures; nothing otherwise. Asked before any password check.
std::optional<http::Response> throttle_refusal(const AuthPage& page, std::string_view email_key);

// Verifies `password` for `account` (or against the dummy hash when there is
// none) and records a failure under `email_key`. True: the password is right.
bool check_password_for(const AuthPage& page, const std::optional<members::Account>& account,
                        std::string_view email_key, std::string_view password);

// The Set-Cookie values of a new session for `account_id`: drops the session
// the request's cookie names, stores a new one, merges the anonymous meter,
// and rotates the CSRF cookie. Returns {session cookie, CSRF cookie}.
std::vector<std::string> start_session(const Services& services, const AccountsOptions& options,
                                       const http::Request& request, std::int64_t account_id);

// The Set-Cookie value that removes the session cookie.
std::string expired_session_cookie(const Services& services);

// The request's session token hash, if it carries a well-formed session cookie.
std::optional<std::string> request_session_hash(const Services& services,
                                                const http::Request& request);

// Queues a mail and wakes the courier. False when the outbox refused it.
bool send_mail(const Services& services, std::string to, std::string subject, std::string body);

// base_url + path + "?" + link query.
std::string link_url(const AccountsOptions& options, std::string_view path,
                     const members::IssuedLink& issued);

// Issues and stores a link of `purpose` for `account_id`; nothing when the store refused.
std::optional<members::IssuedLink> store_link(const Services& services,
                                              members::TokenPurpose purpose,
                                              std::int64_t account_id, std::string_view payload);

// Mails `account` a fresh confirm-email link.
void mail_confirmation(const AuthPage& page, const members::Account& account);

// The key failures are counted under for an address typed at login: the
// normalized address when it is valid, else the trimmed text in ASCII lower
// case, at most 254 bytes (so invalid addresses are throttled too).
std::string email_key(std::string_view typed);

// /account and its forms (auth_account.cpp); add_auth_routes() calls it.
void add_account_routes(http::Router& router, Services& services, const AccountsOptions& options);

}  // namespace masthead::accounts::detail
