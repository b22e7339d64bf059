// MemberService: the reader's account — register, confirm, log in and out,
// reset a forgotten password, change the address or the password, delete
// the account — as use cases that return results, never pages.
//
// What it is. The web pages (accounts/) and the apps API call these and
// turn the result into HTML or JSON. Each method takes the Visitor (for the
// session it brings, the anonymous meter to merge and the address to
// throttle by) and plain values; mails go through the durable outbox in the
// language of the catalog the caller passes (the reader's).
//
// The key idea: nothing a caller learns says whether an address has an
// account. Registering a taken address answers like a registration (the
// owner gets a notice by mail instead of a link, and no session is made); a
// reset request answers the same for every address; a failed login is one
// outcome for an unknown address and a wrong password, after the same
// argon2id work, and logins are throttled per address tried and per client
// before any password is checked. Re-authentication (change e-mail, change
// password, delete) is a login attempt: the same throttle, the same record.
// Sessions are new at every sign-in (Sessions::start drops the one brought),
// and signing in merges the anonymous meter of this period into the
// account's (AccessService::merge_anonymous_meter).
//
// E-mail links (members/email_token.h) are checked for signature and expiry
// before the store is asked, and used up by consume_email_token (once).
//
// Blocking: hashing and verifying passwords take ~0.1 s of CPU and 64 MiB;
// callers run these methods off the io threads (http's blocking routes).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "mail/outbox.h"
#include "members/email_token.h"
#include "members/feed_token.h"
#include "members/member_store.h"
#include "members/password.h"
#include "members/throttle.h"
#include "render/message_catalog.h"
#include "services/access_service.h"
#include "services/sessions.h"
#include "services/visitor.h"

namespace masthead::services {

struct MemberOptions {
  std::string publication;  // site.name, in mails
  std::string base_url;     // "https://news.example.org": links in mails
  members::ThrottlePolicy throttle;
  std::vector<std::string> link_keys;  // sign e-mail links; the first signs
  std::vector<std::string> feed_keys;  // sign private feed addresses; the first signs
};

// The three parts of an e-mail link, as a query or a form carried them.
struct LinkParts {
  std::string token, expires, sig;
  // The query check_email_link() reads; "" when a part holds anything a
  // link never does.
  std::string query() const;
  static LinkParts of(const members::IssuedLink& issued);
};

enum class LinkState { kValid, kMalformed, kExpired, kUsed };

// A login attempt's fate (also re-authentication).
enum class Attempt { kAccepted, kRefused, kThrottled };

struct Registration {
  bool email_invalid = false;
  bool email_unmailable = false;
  members::PasswordProblem password = members::PasswordProblem::kNone;
  bool accepted() const {
    return !email_invalid && !email_unmailable && password == members::PasswordProblem::kNone;
  }
  // A new account, signed in (empty for a taken address, which answers alike).
  std::string session_token;
  int merged_views = 0;
};

struct Login {
  Attempt attempt = Attempt::kRefused;
  std::chrono::seconds retry_after{0};  // kThrottled
  std::string session_token;            // kAccepted
  int merged_views = 0;
};

struct LinkCheck {
  LinkState state = LinkState::kMalformed;
  members::TokenPurpose purpose = members::TokenPurpose::kConfirmEmail;
  std::string token_hash;
};

struct Confirmation {
  LinkState state = LinkState::kMalformed;
  members::TokenPurpose purpose = members::TokenPurpose::kConfirmEmail;
  bool email_taken = false;  // a change to an address another account has now
  std::string new_email;     // kChangeEmail
};

struct PasswordReset {
  LinkState state = LinkState::kMalformed;
  members::PasswordProblem problem = members::PasswordProblem::kNone;
  std::optional<LinkParts> fresh_link;  // the link was spent on a refused password
  bool done() const {
    return state == LinkState::kValid && problem == members::PasswordProblem::kNone;
  }
};

struct Reauthenticated {
  Attempt attempt = Attempt::kAccepted;
  std::chrono::seconds retry_after{0};
};

struct EmailChange {
  Reauthenticated reauth;
  bool email_invalid = false, email_unmailable = false, email_same = false;
  bool accepted() const {
    return reauth.attempt == Attempt::kAccepted && !email_invalid && !email_unmailable &&
           !email_same;
  }
};

struct PasswordChange {
  Reauthenticated reauth;
  members::PasswordProblem problem = members::PasswordProblem::kNone;
  std::string session_token;  // done: this browser's new session
};

class MemberService {
 public:
  MemberService(MemberOptions options, members::MemberStore& members, Sessions& sessions,
                const AccessService& access, mail::Outbox& outbox, std::function<void()> mail_ready,
                const members::PasswordHasher& hasher, const base::Clock& clock);

  // Who is signed in with the visitor's session token.
  std::optional<SignedIn> signed_in(const Visitor& visitor) const;

  Registration register_reader(const Visitor& visitor, std::string_view typed_email,
                               std::string_view password, const render::MessageCatalog& language);
  Login login(const Visitor& visitor, std::string_view typed_email, std::string_view password);
  void logout(const Visitor& visitor);

  // A confirm-email or change-email link, without using it (the page that
  // shows its button).
  LinkCheck check_confirm_link(const LinkParts& parts) const;
  Confirmation confirm(const LinkParts& parts);
  void resend_confirmation(const members::Account& account, const render::MessageCatalog& language);

  // Mails a reset link when an account has the address; false only when the
  // address is not one.
  bool request_reset(std::string_view typed_email, const render::MessageCatalog& language);
  LinkCheck check_reset_link(const LinkParts& parts) const;
  // Sets the password and ends every session of the account.
  PasswordReset reset_password(const LinkParts& parts, std::string_view password);

  EmailChange change_email(const Visitor& visitor, const SignedIn& who, std::string_view typed,
                           std::string_view current_password,
                           const render::MessageCatalog& language);
  PasswordChange change_password(const Visitor& visitor, const SignedIn& who,
                                 std::string_view current_password, std::string_view new_password,
                                 const render::MessageCatalog& language);
  // Sessions, links and login failures go with the account.
  Reauthenticated delete_account(const Visitor& visitor, const SignedIn& who,
                                 std::string_view current_password);
  std::optional<members::AccountExport> export_account(const SignedIn& who) const;
  std::optional<members::Account> find_account(std::int64_t account_id) const;

  // The private feed: the token in the account's feed address (the same on
  // every call until renewed; members/feed_token.h), a new one that revokes
  // every earlier token, and the account a presented token is good for
  // (well-formed, signed, of the account's current generation). nullopt: no
  // such account / a token that is not (or no longer) good.
  std::optional<std::string> feed_token(std::int64_t account_id) const;
  std::optional<std::string> renew_feed_token(std::int64_t account_id);
  std::optional<std::int64_t> feed_account(std::string_view token) const;

  // Queues a mail and wakes the courier. False when the outbox refused it.
  bool send_mail(std::string to, std::string subject, std::string body);

  // Purges expired sessions, used links and old login failures.
  void maintain();

  const MemberOptions& options() const { return options_; }

 private:
  Reauthenticated throttle(const Visitor& visitor, std::string_view email_key) const;
  bool check_password(const Visitor& visitor, const std::optional<members::Account>& account,
                      std::string_view email_key, std::string_view password);
  Reauthenticated reauthenticate(const Visitor& visitor, const SignedIn& who,
                                 std::string_view password);
  std::string sign_in(const Visitor& visitor, std::int64_t account_id, int* merged);
  std::optional<members::IssuedLink> store_link(members::TokenPurpose purpose,
                                                std::int64_t account_id, std::string_view payload);
  std::string link_url(std::string_view path, const members::IssuedLink& issued) const;
  LinkCheck check_link(const LinkParts& parts,
                       std::initializer_list<members::TokenPurpose> purposes) const;
  void mail_confirmation(const members::Account& account, const render::MessageCatalog& language);

  MemberOptions options_;
  members::MemberStore& members_;
  Sessions& sessions_;
  const AccessService& access_;
  mail::Outbox& outbox_;
  std::function<void()> mail_ready_;
  const members::PasswordHasher& hasher_;
  const base::Clock& clock_;
};

// The key login failures are counted under for an address typed at login:
// the normalized address when it is valid, else the trimmed text in ASCII
// lower case, at most 254 bytes (so invalid addresses are throttled too).
std::string email_key(std::string_view typed);

}  // namespace masthead::services
