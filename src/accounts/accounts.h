// Accounts: the reader's own pages — registration, e-mail links, login,
// logout, password reset, and the account page with its forms.
//
// What it is. Thin HTML adapters over services::MemberService: each handler
// checks the form (web::checked_form: Origin + CSRF) when it is a POST,
// turns the request into a services::Visitor and plain values, calls one
// use case, and renders its result with the web kit (web::Page). No
// handler decides anything a service decides; the rules (what a failed
// login reveals, throttling, sessions new at every sign-in) are the
// service's, written down in services/member_service.h.
//
// Routes (add_account_routes):
//   GET/POST /register      a new account; back to `next` with a welcome notice
//   GET/POST /confirm       a confirm-email or change-email link (GET shows a
//                           button, POST uses the link)
//   GET/POST /login         throttled; a new session; back to `next`
//   POST     /logout        ends the session; the login page says so
//   GET/POST /reset         asks for a reset link (the same answer for any address)
//   GET/POST /reset/new     the reset link's form
//   GET      /account       the account page; its subscription part comes
//                           from AuthPages::subscription_section (the app
//                           passes subscriptions::account_section)
//   POST     /account/resend, /account/email, /account/password, /account/delete
//   GET      /account/export
// Every answer is no-store; POSTs that hash or verify a password run on
// http's blocking pool.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <functional>

#include "http/router.h"
#include "services/billing_service.h"
#include "services/member_service.h"
#include "web/page.h"

namespace masthead::accounts {

// The account page's subscription part (templates/account.html's
// `subscription`) for the signed-in reader.
using AccountSection =
    std::function<boost::json::object(const web::Page& page, const services::SignedIn& who)>;

struct AuthPages {
  const web::Kit& kit;
  services::MemberService& members;
  const services::BillingService& billing;  // the export's subscriptions
  std::chrono::seconds session_lifetime;    // the session cookie's Max-Age
  AccountSection subscription_section;
};

void add_account_routes(http::Router& router, const AuthPages& pages);

}  // namespace masthead::accounts
