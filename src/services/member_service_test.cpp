// MemberService's rules with fakes: the in-memory member store (held to the
// member conformance suite), an outbox that keeps what it is given, a meter
// store that only counts merges, the minimum argon2id cost, a fake clock.
//
// What they pin down: what a caller may reveal (a taken address registers
// alike, with no session; unknown address and wrong password run the same
// verification), the throttle refusing before any password is checked,
// sessions new at every sign-in (never the one brought), reset links used
// once and ending every session, and re-authentication counting as a login
// attempt.
#include "services/member_service.h"

#include <gtest/gtest.h>

#include "base/iso_time.h"
#include "members/secret_text.h"
#include "members/testing/memory_member_store.h"

namespace masthead::services {
namespace {

class KeptOutbox final : public mail::Outbox {
 public:
  base::Result<std::int64_t> enqueue(const mail::Message& message, base::TimePoint) override {
    sent.push_back(message);
    return static_cast<std::int64_t>(sent.size());
  }
  std::vector<mail::QueuedMail> due(base::TimePoint, std::size_t) override { return {}; }
  void mark_sent(std::int64_t) override {}
  mail::FailureOutcome mark_failed(std::int64_t, base::TimePoint, std::string_view,
                                   mail::Retry) override {
    return mail::FailureOutcome::kGivenUp;
  }
  std::vector<mail::Message> to(std::string_view address) const {
    std::vector<mail::Message> out;
    for (const auto& m : sent)
      if (m.to == address) out.push_back(m);
    return out;
  }
  std::vector<mail::Message> sent;
};

// Only the merge at sign-in reaches the meters from here.
class NoMeters final : public paywall::MeterStore {
 public:
  paywall::MeterState state(std::string_view, std::string_view, std::int64_t) const override {
    return {};
  }
  paywall::MeterState record_view(std::string_view, const paywall::Period&, std::int64_t,
                                  int) override {
    return {};
  }
  int merge_views(std::string_view, std::string_view, const paywall::Period&) override { return 0; }
  int add_network_view(std::string_view, const paywall::Period&) override { return 0; }
  int network_views(std::string_view, std::string_view) const override { return 0; }
  std::int64_t purge_ended(base::TimePoint) override { return 0; }
};

constexpr std::string_view kPassword = "correct horse battery staple 42";

class MemberServiceTest : public ::testing::Test {
 protected:
  MemberServiceTest()
      : clock_(*base::parse_iso8601("2026-12-02T10:00:00Z")),
        messages_(render::MessageCatalog::load("en", R"(
[auth]
mail_confirm_subject = "Confirm"
mail_confirm_body = "Open {link}"
mail_taken_subject = "Taken"
mail_taken_body = "Someone tried {login} {reset}"
mail_reset_subject = "Reset"
mail_reset_body = "Open {link}"
mail_password_changed_subject = "Changed"
mail_password_changed_body = "Changed {reset}"
mail_change_subject = "Change"
mail_change_body = "Open {link}"
mail_change_taken_subject = "Change taken"
mail_change_taken_body = "Someone tried"
)")),
        hasher_(members::HashCost::minimum()),
        sessions_(store_, members::SessionPolicy{}, clock_),
        keys_(std::make_shared<const readers::KeyRing>(std::vector<readers::SigningKey>{
            {.id = 1, .bytes = readers::generate_key(), .retire_at = std::nullopt}})),
        access_(
            AccessOptions{}, meters_, [this] { return keys_; }, nullptr, clock_),
        members_(MemberOptions{"The Test Gazette",
                               "http://masthead.test",
                               {},
                               {std::string(32, 'k')},
                               {std::string(32, 'f')}},
                 store_, sessions_, access_, outbox_, {}, hasher_, clock_) {}

  Visitor visitor(std::optional<std::string> session = std::nullopt) const {
    Visitor v;
    v.remote_address = "192.0.2.7";
    v.session_token = std::move(session);
    return v;
  }

  std::string registered(std::string_view email) {
    Registration r = members_.register_reader(visitor(), email, kPassword, messages_);
    EXPECT_TRUE(r.accepted());
    EXPECT_FALSE(r.session_token.empty());
    return r.session_token;
  }

  base::FakeClock clock_;
  render::MessageCatalog messages_;
  members::PasswordHasher hasher_;
  members::testing::MemoryMemberStore store_;
  Sessions sessions_;
  NoMeters meters_;
  std::shared_ptr<const readers::KeyRing> keys_;
  AccessService access_;
  KeptOutbox outbox_;
  MemberService members_;
};

TEST_F(MemberServiceTest, ATakenAddressRegistersAlikeWithoutASessionAndTheOwnerIsTold) {
  const std::string token = registered("reader@example.org");
  ASSERT_TRUE(sessions_.find(token));
  EXPECT_EQ(outbox_.to("reader@example.org").size(), 1u) << "the confirmation link";

  Registration again =
      members_.register_reader(visitor(), "  READER@example.org ", kPassword, messages_);
  EXPECT_TRUE(again.accepted()) << "the same answer as a registration";
  EXPECT_TRUE(again.session_token.empty()) << "but nobody is signed in";
  const auto mails = outbox_.to("reader@example.org");
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[1].subject, "Taken");
}

TEST_F(MemberServiceTest, UnknownAddressAndWrongPasswordRunTheSameVerification) {
  registered("reader@example.org");
  const auto before = hasher_.work();
  EXPECT_EQ(members_.login(visitor(), "reader@example.org", "wrong password 1").attempt,
            Attempt::kRefused);
  const auto wrong = hasher_.work();
  EXPECT_EQ(members_.login(visitor(), "nobody@example.org", "wrong password 1").attempt,
            Attempt::kRefused);
  const auto unknown = hasher_.work();
  EXPECT_EQ(wrong.verifications - before.verifications, 1u);
  EXPECT_EQ(unknown.verifications - wrong.verifications, 1u)
      << "an unknown address verifies against the dummy hash";
}

TEST_F(MemberServiceTest, TheThrottleRefusesBeforeAnyPasswordIsChecked) {
  registered("reader@example.org");
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(members_.login(visitor(), "reader@example.org", "wrong password 1").attempt,
              Attempt::kRefused);
  const auto before = hasher_.work();
  Login throttled = members_.login(visitor(), "reader@example.org", kPassword);
  EXPECT_EQ(throttled.attempt, Attempt::kThrottled);
  EXPECT_GT(throttled.retry_after.count(), 0);
  EXPECT_EQ(hasher_.work(), before) << "no argon2id work once throttled";
  clock_.advance(std::chrono::minutes(16));
  EXPECT_EQ(members_.login(visitor(), "reader@example.org", kPassword).attempt, Attempt::kAccepted)
      << "the window passes";
}

TEST_F(MemberServiceTest, SigningInNeverAdoptsTheSessionBrought) {
  const std::string first = registered("reader@example.org");
  Login login = members_.login(visitor(first), "reader@example.org", kPassword);
  ASSERT_EQ(login.attempt, Attempt::kAccepted);
  EXPECT_NE(login.session_token, first);
  EXPECT_FALSE(sessions_.find(first)) << "the brought session is dropped";
  EXPECT_TRUE(sessions_.find(login.session_token));
  members_.logout(visitor(login.session_token));
  EXPECT_FALSE(sessions_.find(login.session_token));
}

TEST_F(MemberServiceTest, AResetLinkWorksOnceAndEndsEverySession) {
  const std::string session = registered("reader@example.org");
  ASSERT_TRUE(members_.request_reset("reader@example.org", messages_));
  EXPECT_TRUE(members_.request_reset("nobody@example.org", messages_)) << "answers alike";
  EXPECT_FALSE(members_.request_reset("not an address", messages_));
  const auto mails = outbox_.to("reader@example.org");
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_TRUE(outbox_.to("nobody@example.org").empty());
  const std::string& body = mails[1].body;
  members::IssuedLink issued;
  issued.query = body.substr(body.find('?') + 1);
  const LinkParts link = LinkParts::of(issued);

  EXPECT_EQ(members_.reset_password(link, "short").problem, members::PasswordProblem::kTooShort);
  PasswordReset done = members_.reset_password(link, "a brand new long passphrase 9");
  EXPECT_TRUE(done.done());
  EXPECT_FALSE(sessions_.find(session)) << "every session ends";
  EXPECT_EQ(members_.reset_password(link, "yet another long passphrase 8").state, LinkState::kUsed);
  EXPECT_EQ(
      members_.login(visitor(), "reader@example.org", "a brand new long passphrase 9").attempt,
      Attempt::kAccepted);
}

TEST_F(MemberServiceTest, ReauthenticationIsALoginAttempt) {
  const std::string session = registered("reader@example.org");
  auto who = members_.signed_in(visitor(session));
  ASSERT_TRUE(who);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(members_.delete_account(visitor(session), *who, "wrong password 1").attempt,
              Attempt::kRefused);
  EXPECT_EQ(members_.delete_account(visitor(session), *who, kPassword).attempt,
            Attempt::kThrottled);
  EXPECT_TRUE(store_.find_account(who->account.id)) << "nothing deleted";
  PasswordChange change =
      members_.change_password(visitor(session), *who, kPassword, "x", messages_);
  EXPECT_EQ(change.reauth.attempt, Attempt::kThrottled);
}

}  // namespace
}  // namespace masthead::services

namespace masthead::members::testing {
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(MemberStoreConformance);
}  // namespace masthead::members::testing

namespace masthead::services {
namespace {

TEST_F(MemberServiceTest, APrivateFeedTokenIsStableUntilRenewedAndRenewingRevokesIt) {
  registered("reader@example.org");
  const std::int64_t id = store_.find_account_by_email("reader@example.org")->id;
  const std::optional<std::string> token = members_.feed_token(id);
  ASSERT_TRUE(token);
  EXPECT_EQ(members_.feed_token(id), token) << "the same address on every visit";
  EXPECT_EQ(members_.feed_account(*token), id);

  const std::optional<std::string> renewed = members_.renew_feed_token(id);
  ASSERT_TRUE(renewed);
  EXPECT_NE(renewed, token);
  EXPECT_EQ(members_.feed_account(*token), std::nullopt) << "the old address is revoked";
  EXPECT_EQ(members_.feed_account(*renewed), id);
  EXPECT_EQ(members_.feed_token(id), renewed);

  EXPECT_EQ(members_.feed_account("1.0.not-a-signature"), std::nullopt);
  EXPECT_EQ(members_.feed_token(id + 100), std::nullopt) << "no such account";
  ASSERT_TRUE(store_.delete_account(id));
  EXPECT_EQ(members_.feed_account(*renewed), std::nullopt) << "a deleted account's feed ends";
}

}  // namespace
}  // namespace masthead::services
