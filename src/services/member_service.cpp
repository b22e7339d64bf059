// See member_service.h. The order inside each use case is the security
// argument: input checks that need no account first, then the throttle,
// then the one password check, then the store.
#include "services/member_service.h"

#include <cctype>

#include "base/text.h"
#include "mail/message.h"
#include "members/email.h"
#include "members/secret_text.h"

namespace masthead::services {

using members::TokenPurpose;

std::string LinkParts::query() const {
  for (const std::string* part : {&token, &expires, &sig}) {
    if (part->empty() || part->size() > 64) return "";
    for (char c : *part)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return "";
  }
  return "token=" + token + "&expires=" + expires + "&sig=" + sig;
}

LinkParts LinkParts::of(const members::IssuedLink& issued) {
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

std::string email_key(std::string_view typed) {
  auto normalized = members::normalize_email(typed);
  if (normalized) return normalized.value();
  std::string key = base::to_lower_ascii(base::trim(typed));
  if (key.size() > members::kMaxEmailBytes) key.resize(members::kMaxEmailBytes);
  return key;
}

namespace {

LinkState state_of(members::LinkStatus status) {
  switch (status) {
    case members::LinkStatus::kValid:
      return LinkState::kValid;
    case members::LinkStatus::kExpired:
      return LinkState::kExpired;
    default:
      return LinkState::kMalformed;
  }
}

}  // namespace

MemberService::MemberService(MemberOptions options, members::MemberStore& members,
                             Sessions& sessions, const AccessService& access, mail::Outbox& outbox,
                             std::function<void()> mail_ready,
                             const members::PasswordHasher& hasher, const base::Clock& clock)
    : options_(std::move(options)),
      members_(members),
      sessions_(sessions),
      access_(access),
      outbox_(outbox),
      mail_ready_(std::move(mail_ready)),
      hasher_(hasher),
      clock_(clock) {}

std::optional<SignedIn> MemberService::signed_in(const Visitor& visitor) const {
  if (!visitor.session_token) return std::nullopt;
  return sessions_.find(*visitor.session_token);
}

bool MemberService::send_mail(std::string to, std::string subject, std::string body) {
  auto queued = outbox_.enqueue(mail::Message{std::move(to), std::move(subject), std::move(body)},
                                clock_.now());
  if (!queued) return false;
  if (mail_ready_) mail_ready_();
  return true;
}

std::string MemberService::sign_in(const Visitor& visitor, std::int64_t account_id, int* merged) {
  std::optional<std::string_view> previous;
  if (visitor.session_token) previous = *visitor.session_token;
  std::string token = sessions_.start(account_id, previous);
  const int added = access_.merge_anonymous_meter(visitor, account_reader_key(account_id));
  if (merged) *merged = added;
  return token;
}

std::optional<members::IssuedLink> MemberService::store_link(TokenPurpose purpose,
                                                             std::int64_t account_id,
                                                             std::string_view payload) {
  if (options_.link_keys.empty()) return std::nullopt;
  members::IssuedLink issued = members::issue_email_link(purpose, account_id, payload,
                                                         options_.link_keys.front(), clock_.now());
  if (!members_.add_email_token(issued.record)) return std::nullopt;
  return issued;
}

std::string MemberService::link_url(std::string_view path,
                                    const members::IssuedLink& issued) const {
  return options_.base_url + std::string(path) + "?" + issued.query;
}

void MemberService::mail_confirmation(const members::Account& account,
                                      const render::MessageCatalog& m) {
  auto issued = store_link(TokenPurpose::kConfirmEmail, account.id, "");
  if (!issued) return;
  const std::string& p = options_.publication;
  send_mail(account.email, m.format("auth.mail_confirm_subject", {{"publication", p}}),
            m.format("auth.mail_confirm_body",
                     {{"publication", p}, {"link", link_url("/confirm", *issued)}}));
}

// ---- registration, login

Registration MemberService::register_reader(const Visitor& visitor, std::string_view typed,
                                            std::string_view password,
                                            const render::MessageCatalog& m) {
  Registration result;
  auto email = members::normalize_email(typed);
  if (!email)
    result.email_invalid = true;
  else if (!mail::is_valid_address(email.value()))
    result.email_unmailable = true;
  result.password = members::check_password(password, email ? email.value() : "");
  if (!result.accepted()) return result;

  members::CreatedAccount created =
      members_.create_account(email.value(), hasher_.hash(password), clock_.now());
  if (created.outcome != members::AccountWrite::kDone) {
    // Taken: the same answer as a registration, and a notice to the owner.
    const std::string& p = options_.publication;
    send_mail(email.value(), m.format("auth.mail_taken_subject", {{"publication", p}}),
              m.format("auth.mail_taken_body", {{"publication", p},
                                                {"login", options_.base_url + "/login"},
                                                {"reset", options_.base_url + "/reset"}}));
    return result;
  }
  mail_confirmation(created.account, m);
  result.session_token = sign_in(visitor, created.account.id, &result.merged_views);
  return result;
}

Reauthenticated MemberService::throttle(const Visitor& visitor, std::string_view key) const {
  const members::ThrottlePolicy& policy = options_.throttle;
  members::FailureCounts counts = members_.login_failures(
      key, access_.client_address(visitor), members::window_start(policy, clock_.now()));
  if (!members::throttled(counts, policy)) return {};
  return {Attempt::kThrottled,
          std::max<std::chrono::seconds>(std::chrono::seconds(1), policy.window)};
}

bool MemberService::check_password(const Visitor& visitor,
                                   const std::optional<members::Account>& account,
                                   std::string_view key, std::string_view password) {
  const bool ok = account ? hasher_.verify(account->password_hash, password)
                          : hasher_.verify_against_dummy(password);
  if (!ok) members_.record_login_failure(key, access_.client_address(visitor), clock_.now());
  return ok;
}

Login MemberService::login(const Visitor& visitor, std::string_view typed,
                           std::string_view password) {
  Login result;
  const std::string key = email_key(typed);
  if (Reauthenticated t = throttle(visitor, key); t.attempt == Attempt::kThrottled) {
    result.attempt = Attempt::kThrottled;
    result.retry_after = t.retry_after;
    return result;
  }
  std::optional<members::Account> account;
  if (auto email = members::normalize_email(typed))
    account = members_.find_account_by_email(email.value());
  if (!check_password(visitor, account, key, password)) return result;

  members_.clear_login_failures(key);
  if (hasher_.needs_rehash(account->password_hash))
    members_.set_password_hash(account->id, hasher_.hash(password));
  result.attempt = Attempt::kAccepted;
  result.session_token = sign_in(visitor, account->id, &result.merged_views);
  return result;
}

void MemberService::logout(const Visitor& visitor) {
  if (visitor.session_token) sessions_.end(*visitor.session_token);
}

// ---- links

LinkCheck MemberService::check_link(const LinkParts& parts,
                                    std::initializer_list<TokenPurpose> purposes) const {
  LinkCheck found;
  const std::string query = parts.query();
  const base::TimePoint now = clock_.now();
  for (TokenPurpose purpose : purposes) {
    members::LinkCheck check = members::check_email_link(purpose, query, options_.link_keys, now);
    found.purpose = purpose;
    found.state = state_of(check.status);
    found.token_hash = check.token_hash;
    if (check.status != members::LinkStatus::kBadSignature) break;
  }
  return found;
}

LinkCheck MemberService::check_confirm_link(const LinkParts& parts) const {
  return check_link(parts, {TokenPurpose::kConfirmEmail, TokenPurpose::kChangeEmail});
}

LinkCheck MemberService::check_reset_link(const LinkParts& parts) const {
  return check_link(parts, {TokenPurpose::kResetPassword});
}

Confirmation MemberService::confirm(const LinkParts& parts) {
  Confirmation result;
  LinkCheck found = check_confirm_link(parts);
  result.state = found.state;
  result.purpose = found.purpose;
  if (found.state != LinkState::kValid) return result;
  const base::TimePoint now = clock_.now();
  auto consumed = members_.consume_email_token(found.purpose, found.token_hash, now);
  result.state = LinkState::kUsed;
  if (!consumed) return result;
  if (found.purpose == TokenPurpose::kConfirmEmail) {
    if (members_.confirm_email(consumed->account_id, now)) result.state = LinkState::kValid;
    return result;
  }
  switch (members_.change_email(consumed->account_id, consumed->payload, now)) {
    case members::AccountWrite::kDone:
      result.state = LinkState::kValid;
      result.new_email = consumed->payload;
      break;
    case members::AccountWrite::kEmailTaken:
      result.state = LinkState::kValid;
      result.email_taken = true;
      break;
    case members::AccountWrite::kNoAccount:
      break;
  }
  return result;
}

void MemberService::resend_confirmation(const members::Account& account,
                                        const render::MessageCatalog& language) {
  if (!account.email_confirmed_at) mail_confirmation(account, language);
}

bool MemberService::request_reset(std::string_view typed, const render::MessageCatalog& m) {
  auto email = members::normalize_email(typed);
  if (!email) return false;
  if (auto account = members_.find_account_by_email(email.value())) {
    if (auto issued = store_link(TokenPurpose::kResetPassword, account->id, "")) {
      const std::string& p = options_.publication;
      send_mail(account->email, m.format("auth.mail_reset_subject", {{"publication", p}}),
                m.format("auth.mail_reset_body",
                         {{"publication", p}, {"link", link_url("/reset/new", *issued)}}));
    }
  }
  return true;
}

PasswordReset MemberService::reset_password(const LinkParts& parts, std::string_view password) {
  PasswordReset result;
  LinkCheck found = check_reset_link(parts);
  result.state = found.state;
  if (found.state != LinkState::kValid) return result;
  // What can be checked without the account is checked before the link is used up.
  result.problem = members::check_password(password, "");
  if (result.problem != members::PasswordProblem::kNone) return result;

  auto consumed =
      members_.consume_email_token(TokenPurpose::kResetPassword, found.token_hash, clock_.now());
  result.state = LinkState::kUsed;
  if (!consumed) return result;
  auto account = members_.find_account(consumed->account_id);
  if (!account) return result;
  result.state = LinkState::kValid;
  result.problem = members::check_password(password, account->email);
  if (result.problem != members::PasswordProblem::kNone) {
    // The link is spent; a fresh one lets the reader try again.
    auto fresh = store_link(TokenPurpose::kResetPassword, account->id, "");
    if (!fresh) {
      result.state = LinkState::kUsed;
      return result;
    }
    result.fresh_link = LinkParts::of(*fresh);
    return result;
  }
  members_.set_password_hash(account->id, hasher_.hash(password));
  sessions_.end_all(account->id);
  members_.clear_login_failures(account->email);
  return result;
}

// ---- account changes

Reauthenticated MemberService::reauthenticate(const Visitor& visitor, const SignedIn& who,
                                              std::string_view password) {
  Reauthenticated t = throttle(visitor, who.account.email);
  if (t.attempt == Attempt::kThrottled) return t;
  if (check_password(visitor, who.account, who.account.email, password)) return {};
  return {Attempt::kRefused, std::chrono::seconds(0)};
}

EmailChange MemberService::change_email(const Visitor& visitor, const SignedIn& who,
                                        std::string_view typed, std::string_view current_password,
                                        const render::MessageCatalog& m) {
  EmailChange result;
  result.reauth = reauthenticate(visitor, who, current_password);
  if (result.reauth.attempt != Attempt::kAccepted) return result;
  auto email = members::normalize_email(typed);
  if (!email)
    result.email_invalid = true;
  else if (!mail::is_valid_address(email.value()))
    result.email_unmailable = true;
  else if (email.value() == who.account.email)
    result.email_same = true;
  if (!result.accepted()) return result;

  const std::string& p = options_.publication;
  if (members_.find_account_by_email(email.value())) {
    // Taken: the reader is told what they would be told otherwise; the
    // address's owner learns of the attempt.
    send_mail(email.value(), m.format("auth.mail_change_taken_subject", {{"publication", p}}),
              m.format("auth.mail_change_taken_body", {{"publication", p}}));
  } else if (auto issued = store_link(TokenPurpose::kChangeEmail, who.account.id, email.value())) {
    send_mail(email.value(), m.format("auth.mail_change_subject", {{"publication", p}}),
              m.format("auth.mail_change_body",
                       {{"publication", p}, {"link", link_url("/confirm", *issued)}}));
  }
  return result;
}

PasswordChange MemberService::change_password(const Visitor& visitor, const SignedIn& who,
                                              std::string_view current_password,
                                              std::string_view new_password,
                                              const render::MessageCatalog& m) {
  PasswordChange result;
  result.reauth = reauthenticate(visitor, who, current_password);
  if (result.reauth.attempt != Attempt::kAccepted) return result;
  result.problem = members::check_password(new_password, who.account.email);
  if (result.problem != members::PasswordProblem::kNone) return result;
  members_.set_password_hash(who.account.id, hasher_.hash(new_password));
  // Every session goes, this one too: the browser gets a new token.
  sessions_.end_all(who.account.id);
  result.session_token = sign_in(visitor, who.account.id, nullptr);
  const std::string& p = options_.publication;
  send_mail(who.account.email, m.format("auth.mail_password_changed_subject", {{"publication", p}}),
            m.format("auth.mail_password_changed_body",
                     {{"publication", p}, {"reset", options_.base_url + "/reset"}}));
  return result;
}

Reauthenticated MemberService::delete_account(const Visitor& visitor, const SignedIn& who,
                                              std::string_view current_password) {
  Reauthenticated result = reauthenticate(visitor, who, current_password);
  if (result.attempt == Attempt::kAccepted) members_.delete_account(who.account.id);
  return result;
}

std::optional<members::AccountExport> MemberService::export_account(const SignedIn& who) const {
  return members_.export_account(who.account.id);
}

std::optional<members::Account> MemberService::find_account(std::int64_t account_id) const {
  return members_.find_account(account_id);
}

void MemberService::maintain() {
  const base::TimePoint now = clock_.now();
  sessions_.purge();
  members_.purge_email_tokens(now);
  members_.purge_login_failures(now - std::chrono::hours(24));
}

std::optional<std::string> MemberService::feed_token(std::int64_t account_id) const {
  if (options_.feed_keys.empty()) return std::nullopt;
  std::optional<std::int64_t> generation = members_.feed_generation(account_id);
  if (!generation) return std::nullopt;
  return members::make_feed_token({account_id, *generation}, options_.feed_keys.front());
}

std::optional<std::string> MemberService::renew_feed_token(std::int64_t account_id) {
  if (options_.feed_keys.empty()) return std::nullopt;
  std::optional<std::int64_t> generation = members_.renew_feed_generation(account_id);
  if (!generation) return std::nullopt;
  return members::make_feed_token({account_id, *generation}, options_.feed_keys.front());
}

std::optional<std::int64_t> MemberService::feed_account(std::string_view token) const {
  std::optional<members::FeedTokenParts> parts =
      members::parse_feed_token(token, options_.feed_keys);
  if (!parts) return std::nullopt;
  if (members_.feed_generation(parts->account_id) != parts->generation) return std::nullopt;
  return parts->account_id;
}

}  // namespace masthead::services
