// See member_store_conformance.h. Each TEST_P states one promise of the
// MemberStore contract; the parallel ones start every thread at a latch so
// that all of them are inside the store at once.
#include "members/testing/member_store_conformance.h"
#include "base/testing/in_parallel.h"

#include <algorithm>
#include <chrono>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "base/iso_time.h"
#include "members/email_token.h"
#include "members/secret_text.h"
#include "members/session.h"
#include "members/throttle.h"

namespace masthead::members::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

base::TimePoint at(const char* iso) {
  return *base::parse_iso8601(iso);
}

const base::TimePoint kNow = at("2026-11-18T07:30:00Z");
constexpr const char* kHash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA";  // opaque to the store
const std::string kLinkKey(kLinkKeyBytes, 'k');

using base::testing::in_parallel;

Account create(MemberStore& store, const std::string& email, base::TimePoint now = kNow) {
  CreatedAccount created = store.create_account(email, kHash, now);
  EXPECT_EQ(created.outcome, AccountWrite::kDone) << email;
  return created.account;
}

Session session_of(std::int64_t account, base::TimePoint created, base::TimePoint last_seen) {
  Session s = new_session(new_session_token(), account, created);
  s.last_seen_at = last_seen;
  return s;
}

EmailToken token_of(TokenPurpose purpose, std::int64_t account, base::TimePoint expires,
                    std::string payload = "") {
  return EmailToken{sha256_hex(random_token()), purpose, account,
                    std::move(payload),         expires, std::nullopt};
}

// ---- an empty store

TEST_P(MemberStoreConformance, AnEmptyStoreHoldsNothing) {
  EXPECT_EQ(store_->find_account(1), std::nullopt);
  EXPECT_EQ(store_->find_account_by_email("a@example.com"), std::nullopt);
  EXPECT_EQ(store_->export_account(1), std::nullopt);
  EXPECT_FALSE(store_->confirm_email(1, kNow));
  EXPECT_FALSE(store_->set_password_hash(1, kHash));
  EXPECT_EQ(store_->change_email(1, "b@example.com", kNow), AccountWrite::kNoAccount);
  EXPECT_FALSE(store_->delete_account(1));
  EXPECT_EQ(store_->find_session(sha256_hex("x")), std::nullopt);
  EXPECT_FALSE(store_->touch_session(sha256_hex("x"), kNow));
  EXPECT_FALSE(store_->delete_session(sha256_hex("x")));
  EXPECT_EQ(store_->delete_sessions(1), 0);
  EXPECT_EQ(store_->purge_sessions(SessionPolicy{}, kNow), 0);
  EXPECT_EQ(store_->consume_email_token(TokenPurpose::kConfirmEmail, sha256_hex("x"), kNow),
            std::nullopt);
  EXPECT_EQ(store_->purge_email_tokens(kNow), 0);
  EXPECT_EQ(store_->login_failures("a@example.com", "192.0.2.1", kNow - hours(1)),
            (FailureCounts{0, 0}));
  EXPECT_EQ(store_->purge_login_failures(kNow), 0);
}

// ---- accounts

TEST_P(MemberStoreConformance, ACreatedAccountIsFoundByIdAndByAddress) {
  const base::TimePoint now = kNow + std::chrono::milliseconds(700);
  const CreatedAccount created = store_->create_account("reader@example.com", kHash, now);
  ASSERT_EQ(created.outcome, AccountWrite::kDone);
  const Account& a = created.account;
  EXPECT_GT(a.id, 0);
  EXPECT_EQ(a.email, "reader@example.com");
  EXPECT_EQ(a.password_hash, kHash);
  EXPECT_EQ(a.created_at, kNow) << "whole seconds";
  EXPECT_EQ(a.email_confirmed_at, std::nullopt);
  EXPECT_EQ(store_->find_account(a.id), a);
  EXPECT_EQ(store_->find_account_by_email("reader@example.com"), a);
  // Addresses are compared byte for byte: normalizing is the caller's job.
  EXPECT_EQ(store_->find_account_by_email("Reader@example.com"), std::nullopt);
  EXPECT_EQ(store_->find_account_by_email("reader@example.co"), std::nullopt);
}

TEST_P(MemberStoreConformance, ATakenAddressIsRefusedAndTheOwnerKeepsIt) {
  const Account first = create(*store_, "reader@example.com");
  const CreatedAccount second = store_->create_account("reader@example.com", "other", kNow);
  EXPECT_EQ(second.outcome, AccountWrite::kEmailTaken);
  EXPECT_EQ(store_->find_account_by_email("reader@example.com"), first);
}

TEST_P(MemberStoreConformance, IdsAreDistinctAndNeverReused) {
  const Account a = create(*store_, "a@example.com");
  const Account b = create(*store_, "b@example.com");
  EXPECT_NE(a.id, b.id);
  ASSERT_TRUE(store_->delete_account(b.id));
  const Account c = create(*store_, "c@example.com");
  EXPECT_GT(c.id, b.id) << "a deleted account's id must not pass to a new one";
  // Registering the deleted address again is a new account with a new id.
  const Account b2 = create(*store_, "b@example.com");
  EXPECT_GT(b2.id, c.id);
}

TEST_P(MemberStoreConformance, AddressesAreOpaqueText) {
  static constexpr const char* kOdd[] = {"o'brien@example.com", "x@example.com'; DROP TABLE x;--",
                                         "ünïcode@exämple.com", "a%b_c@example.com"};
  for (const char* email : kOdd) {
    const Account a = create(*store_, email);
    EXPECT_EQ(store_->find_account_by_email(email), a) << email;
  }
  EXPECT_EQ(store_->find_account_by_email("a_b_c@example.com"), std::nullopt) << "no LIKE";
}

TEST_P(MemberStoreConformance, ConfirmingSetsTheInstant) {
  const Account a = create(*store_, "a@example.com");
  ASSERT_TRUE(store_->confirm_email(a.id, kNow + hours(1)));
  EXPECT_EQ(store_->find_account(a.id)->email_confirmed_at, kNow + hours(1));
  ASSERT_TRUE(store_->confirm_email(a.id, kNow + hours(2)));
  EXPECT_EQ(store_->find_account(a.id)->email_confirmed_at, kNow + hours(2));
}

TEST_P(MemberStoreConformance, ANewPasswordDropsUnusedResetTokensOnly) {
  const Account a = create(*store_, "a@example.com");
  const Account b = create(*store_, "b@example.com");
  const EmailToken reset = token_of(TokenPurpose::kResetPassword, a.id, kNow + hours(1));
  const EmailToken confirm = token_of(TokenPurpose::kConfirmEmail, a.id, kNow + hours(1));
  const EmailToken others = token_of(TokenPurpose::kResetPassword, b.id, kNow + hours(1));
  for (const EmailToken& t : {reset, confirm, others}) ASSERT_TRUE(store_->add_email_token(t));

  ASSERT_TRUE(store_->set_password_hash(a.id, "new-hash"));
  EXPECT_EQ(store_->find_account(a.id)->password_hash, "new-hash");
  EXPECT_EQ(store_->find_account(b.id)->password_hash, kHash);
  EXPECT_EQ(store_->consume_email_token(TokenPurpose::kResetPassword, reset.token_hash, kNow),
            std::nullopt);
  EXPECT_TRUE(store_->consume_email_token(TokenPurpose::kConfirmEmail, confirm.token_hash, kNow));
  EXPECT_TRUE(store_->consume_email_token(TokenPurpose::kResetPassword, others.token_hash, kNow));
}

TEST_P(MemberStoreConformance, ChangingTheAddress) {
  const Account a = create(*store_, "a@example.com");
  const Account b = create(*store_, "b@example.com");
  struct Case {
    std::int64_t id;
    const char* to;
    AccountWrite expected;
    const char* a_after;
  };
  const Case cases[] = {
      {a.id, "b@example.com", AccountWrite::kEmailTaken, "a@example.com"},
      {a.id, "a@example.com", AccountWrite::kDone, "a@example.com"},
      {a.id, "new@example.com", AccountWrite::kDone, "new@example.com"},
      {b.id + 100, "free@example.com", AccountWrite::kNoAccount, "new@example.com"},
      {a.id, "a@example.com", AccountWrite::kDone, "a@example.com"},  // the old one is free again
  };
  for (const Case& c : cases) {
    EXPECT_EQ(store_->change_email(c.id, c.to, kNow + hours(3)), c.expected) << c.to;
    EXPECT_EQ(store_->find_account(a.id)->email, c.a_after) << c.to;
    EXPECT_EQ(store_->find_account(b.id)->email, "b@example.com") << c.to;
  }
  EXPECT_EQ(store_->find_account_by_email("new@example.com"), std::nullopt);
  EXPECT_EQ(store_->find_account_by_email("free@example.com"), std::nullopt);
  EXPECT_EQ(store_->find_account(a.id)->email_confirmed_at, kNow + hours(3));
  EXPECT_EQ(store_->find_account(b.id)->email_confirmed_at, std::nullopt);
}

TEST_P(MemberStoreConformance, ChangingTheAddressDropsTheAccountsUnusedTokens) {
  const Account a = create(*store_, "a@example.com");
  const Account b = create(*store_, "b@example.com");
  const EmailToken reset = token_of(TokenPurpose::kResetPassword, a.id, kNow + hours(1));
  const EmailToken change =
      token_of(TokenPurpose::kChangeEmail, a.id, kNow + hours(1), "other@example.com");
  const EmailToken others = token_of(TokenPurpose::kConfirmEmail, b.id, kNow + hours(1));
  for (const EmailToken& t : {reset, change, others}) ASSERT_TRUE(store_->add_email_token(t));
  ASSERT_EQ(store_->change_email(a.id, "new@example.com", kNow), AccountWrite::kDone);
  EXPECT_FALSE(store_->consume_email_token(TokenPurpose::kResetPassword, reset.token_hash, kNow));
  EXPECT_FALSE(store_->consume_email_token(TokenPurpose::kChangeEmail, change.token_hash, kNow));
  EXPECT_TRUE(store_->consume_email_token(TokenPurpose::kConfirmEmail, others.token_hash, kNow));
  // A refused change drops nothing.
  const EmailToken later = token_of(TokenPurpose::kResetPassword, a.id, kNow + hours(1));
  ASSERT_TRUE(store_->add_email_token(later));
  ASSERT_EQ(store_->change_email(a.id, "b@example.com", kNow), AccountWrite::kEmailTaken);
  EXPECT_TRUE(store_->consume_email_token(TokenPurpose::kResetPassword, later.token_hash, kNow));
}

TEST_P(MemberStoreConformance, DeletingAnAccountTakesEverythingOfItAlong) {
  const Account a = create(*store_, "a@example.com");
  const Account b = create(*store_, "b@example.com");
  const Session sa = session_of(a.id, kNow, kNow);
  const Session sb = session_of(b.id, kNow, kNow);
  ASSERT_TRUE(store_->create_session(sa));
  ASSERT_TRUE(store_->create_session(sb));
  const EmailToken ta = token_of(TokenPurpose::kConfirmEmail, a.id, kNow + hours(1));
  const EmailToken tb = token_of(TokenPurpose::kConfirmEmail, b.id, kNow + hours(1));
  ASSERT_TRUE(store_->add_email_token(ta));
  ASSERT_TRUE(store_->add_email_token(tb));
  store_->record_login_failure("a@example.com", "192.0.2.1", kNow);
  store_->record_login_failure("b@example.com", "192.0.2.1", kNow);

  EXPECT_TRUE(store_->delete_account(a.id));
  EXPECT_FALSE(store_->delete_account(a.id)) << "it existed only once";
  EXPECT_EQ(store_->find_account(a.id), std::nullopt);
  EXPECT_EQ(store_->find_account_by_email("a@example.com"), std::nullopt);
  EXPECT_EQ(store_->find_session(sa.token_hash), std::nullopt);
  EXPECT_FALSE(store_->consume_email_token(TokenPurpose::kConfirmEmail, ta.token_hash, kNow));
  EXPECT_EQ(store_->login_failures("a@example.com", "192.0.2.1", kNow), (FailureCounts{0, 1}));
  // The other account is untouched.
  EXPECT_EQ(store_->find_account(b.id), b);
  EXPECT_EQ(store_->find_session(sb.token_hash), sb);
  EXPECT_TRUE(store_->consume_email_token(TokenPurpose::kConfirmEmail, tb.token_hash, kNow));
  EXPECT_EQ(store_->login_failures("b@example.com", "192.0.2.2", kNow), (FailureCounts{1, 0}));
}

TEST_P(MemberStoreConformance, TheExportHoldsTheAccountAndItsSessionTimes) {
  const Account a = create(*store_, "a@example.com");
  const Account b = create(*store_, "b@example.com");
  ASSERT_TRUE(store_->confirm_email(a.id, kNow + minutes(5)));
  ASSERT_TRUE(store_->create_session(session_of(a.id, kNow + hours(2), kNow + hours(3))));
  ASSERT_TRUE(store_->create_session(session_of(a.id, kNow + hours(1), kNow + hours(4))));
  ASSERT_TRUE(store_->create_session(session_of(b.id, kNow, kNow)));

  const AccountExport expected{
      a.id,
      "a@example.com",
      kNow,
      kNow + minutes(5),
      {{kNow + hours(1), kNow + hours(4)}, {kNow + hours(2), kNow + hours(3)}}};
  EXPECT_EQ(store_->export_account(a.id), expected);
  EXPECT_EQ(store_->export_account(b.id)->sessions.size(), 1u);
  EXPECT_EQ(store_->export_account(b.id)->email_confirmed_at, std::nullopt);
}

// ---- private feed generations

TEST_P(MemberStoreConformance, AFeedGenerationStartsAtZeroAndRenewingCountsUp) {
  EXPECT_EQ(store_->feed_generation(1), std::nullopt);
  EXPECT_EQ(store_->renew_feed_generation(1), std::nullopt) << "no account, nothing made";
  const Account a = create(*store_, "a@example.com");
  const Account b = create(*store_, "b@example.com");
  EXPECT_EQ(store_->feed_generation(a.id), 0);
  EXPECT_EQ(store_->renew_feed_generation(a.id), 1);
  EXPECT_EQ(store_->renew_feed_generation(a.id), 2);
  EXPECT_EQ(store_->feed_generation(a.id), 2);
  EXPECT_EQ(store_->feed_generation(b.id), 0) << "another account's generation is its own";
  // Other account writes keep the generation.
  ASSERT_TRUE(store_->set_password_hash(a.id, "other"));
  ASSERT_EQ(store_->change_email(a.id, "a2@example.com", kNow), AccountWrite::kDone);
  EXPECT_EQ(store_->feed_generation(a.id), 2);
  ASSERT_TRUE(store_->delete_account(a.id));
  EXPECT_EQ(store_->feed_generation(a.id), std::nullopt);
  EXPECT_EQ(store_->renew_feed_generation(a.id), std::nullopt);
}

TEST_P(MemberStoreConformance, ParallelFeedRenewalsGiveDistinctGenerations) {
  constexpr int kThreads = 16;
  const Account a = create(*store_, "a@example.com");
  std::vector<std::int64_t> made(kThreads);
  in_parallel(kThreads, [&](int i) { made[i] = store_->renew_feed_generation(a.id).value_or(-1); });
  std::sort(made.begin(), made.end());
  for (int i = 0; i < kThreads; ++i) EXPECT_EQ(made[i], i + 1);
  EXPECT_EQ(store_->feed_generation(a.id), kThreads);
}

// ---- sessions

TEST_P(MemberStoreConformance, ASessionRoundTrips) {
  const Account a = create(*store_, "a@example.com");
  const Session s = new_session(new_session_token(), a.id, kNow + std::chrono::milliseconds(400));
  ASSERT_TRUE(store_->create_session(s));
  EXPECT_EQ(store_->find_session(s.token_hash), s);
  EXPECT_EQ(store_->find_session(s.token_hash)->created_at, kNow);

  ASSERT_TRUE(store_->touch_session(s.token_hash, kNow + minutes(7)));
  Session touched = s;
  touched.last_seen_at = kNow + minutes(7);
  EXPECT_EQ(store_->find_session(s.token_hash), touched);

  EXPECT_TRUE(store_->delete_session(s.token_hash));
  EXPECT_FALSE(store_->delete_session(s.token_hash));
  EXPECT_EQ(store_->find_session(s.token_hash), std::nullopt);
  EXPECT_FALSE(store_->touch_session(s.token_hash, kNow));
}

TEST_P(MemberStoreConformance, ASessionNeedsAnAccountAndAFreshHash) {
  const Account a = create(*store_, "a@example.com");
  const Session orphan = session_of(a.id + 1, kNow, kNow);
  EXPECT_FALSE(store_->create_session(orphan));
  EXPECT_EQ(store_->find_session(orphan.token_hash), std::nullopt);
  const Session s = session_of(a.id, kNow, kNow);
  ASSERT_TRUE(store_->create_session(s));
  Session again = session_of(a.id, kNow + hours(1), kNow + hours(1));
  again.token_hash = s.token_hash;
  EXPECT_ANY_THROW(store_->create_session(again));
  EXPECT_EQ(store_->find_session(s.token_hash), s);
}

TEST_P(MemberStoreConformance, DeletingAnAccountsSessionsCanKeepOne) {
  const Account a = create(*store_, "a@example.com");
  const Account b = create(*store_, "b@example.com");
  std::vector<Session> mine;
  for (int i = 0; i < 4; ++i) {
    mine.push_back(session_of(a.id, kNow, kNow));
    ASSERT_TRUE(store_->create_session(mine.back()));
  }
  const Session theirs = session_of(b.id, kNow, kNow);
  ASSERT_TRUE(store_->create_session(theirs));

  EXPECT_EQ(store_->delete_sessions(a.id, mine[2].token_hash), 3);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(store_->find_session(mine[i].token_hash).has_value(), i == 2) << i;
  EXPECT_EQ(store_->delete_sessions(a.id, mine[2].token_hash), 0);
  // A hash of another account's session keeps nothing of this one.
  EXPECT_EQ(store_->delete_sessions(a.id, theirs.token_hash), 1);
  EXPECT_EQ(store_->find_session(mine[2].token_hash), std::nullopt);
  EXPECT_EQ(store_->find_session(theirs.token_hash), theirs);
  EXPECT_EQ(store_->delete_sessions(b.id), 1);
  EXPECT_EQ(store_->find_session(theirs.token_hash), std::nullopt);
}

// The purge agrees with session_state() at every boundary of the policy.
TEST_P(MemberStoreConformance, PurgingSessionsAgreesWithSessionState) {
  const Account a = create(*store_, "a@example.com");
  const SessionPolicy policy{minutes(30), hours(12)};
  const base::TimePoint now = kNow + hours(24);
  const seconds s1(1);
  struct Case {
    base::TimePoint created, last_seen;
  };
  const Case cases[] = {
      {now - hours(1), now},                     // valid
      {now - hours(1), now - minutes(30) + s1},  // idle: one second left
      {now - hours(1), now - minutes(30)},       // idle: exactly expired
      {now - hours(1), now - minutes(31)},       // idle: expired
      {now - hours(12) + s1, now},               // absolute: one second left
      {now - hours(12), now},                    // absolute: exactly expired
      {now - hours(13), now - hours(13)},        // both
  };
  std::vector<Session> sessions;
  int expired = 0;
  for (const Case& c : cases) {
    sessions.push_back(session_of(a.id, c.created, c.last_seen));
    ASSERT_TRUE(store_->create_session(sessions.back()));
    expired += session_state(sessions.back(), policy, now) != SessionState::kValid;
  }
  ASSERT_EQ(expired, 4) << "the table's premise";
  EXPECT_EQ(store_->purge_sessions(policy, now), expired);
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    EXPECT_EQ(store_->find_session(sessions[i].token_hash).has_value(),
              session_state(sessions[i], policy, now) == SessionState::kValid)
        << i;
  }
}

// ---- e-mail tokens

TEST_P(MemberStoreConformance, ATokenIsConsumedOnce) {
  const Account a = create(*store_, "a@example.com");
  const EmailToken t =
      token_of(TokenPurpose::kChangeEmail, a.id, kNow + hours(24), "new@example.com");
  ASSERT_TRUE(store_->add_email_token(t));
  EXPECT_EQ(store_->consume_email_token(TokenPurpose::kChangeEmail, t.token_hash, kNow),
            (ConsumedToken{a.id, "new@example.com"}));
  EXPECT_EQ(store_->consume_email_token(TokenPurpose::kChangeEmail, t.token_hash, kNow),
            std::nullopt);
  EXPECT_EQ(
      store_->consume_email_token(TokenPurpose::kChangeEmail, t.token_hash, kNow + seconds(1)),
      std::nullopt);
}

TEST_P(MemberStoreConformance, ATokenIsRefusedForAnotherPurposeOrWhenExpired) {
  const Account a = create(*store_, "a@example.com");
  const base::TimePoint expires = kNow + hours(1);
  struct Case {
    TokenPurpose stored, asked;
    base::TimePoint now;
    bool consumed;
  };
  const Case cases[] = {
      {TokenPurpose::kResetPassword, TokenPurpose::kResetPassword, expires - seconds(1), true},
      {TokenPurpose::kResetPassword, TokenPurpose::kResetPassword, expires, false},
      {TokenPurpose::kResetPassword, TokenPurpose::kResetPassword, expires + hours(1), false},
      {TokenPurpose::kResetPassword, TokenPurpose::kConfirmEmail, kNow, false},
      {TokenPurpose::kConfirmEmail, TokenPurpose::kChangeEmail, kNow, false},
      {TokenPurpose::kConfirmEmail, TokenPurpose::kConfirmEmail, kNow, true},
  };
  for (const Case& c : cases) {
    const EmailToken t = token_of(c.stored, a.id, expires);
    ASSERT_TRUE(store_->add_email_token(t));
    EXPECT_EQ(store_->consume_email_token(c.asked, t.token_hash, c.now).has_value(), c.consumed)
        << purpose_name(c.stored) << " as " << purpose_name(c.asked) << " at "
        << base::format_iso8601_utc(c.now);
  }
  EXPECT_EQ(store_->consume_email_token(TokenPurpose::kConfirmEmail, sha256_hex("guess"), kNow),
            std::nullopt);
}

TEST_P(MemberStoreConformance, ATokenNeedsAnAccount) {
  const Account a = create(*store_, "a@example.com");
  const EmailToken t = token_of(TokenPurpose::kConfirmEmail, a.id + 1, kNow + hours(1));
  EXPECT_FALSE(store_->add_email_token(t));
  EXPECT_EQ(store_->consume_email_token(TokenPurpose::kConfirmEmail, t.token_hash, kNow),
            std::nullopt);
}

TEST_P(MemberStoreConformance, PurgingTokensKeepsOnlyLiveOnes) {
  const Account a = create(*store_, "a@example.com");
  const EmailToken live = token_of(TokenPurpose::kConfirmEmail, a.id, kNow + seconds(1));
  const EmailToken expired = token_of(TokenPurpose::kConfirmEmail, a.id, kNow);
  const EmailToken used = token_of(TokenPurpose::kResetPassword, a.id, kNow + hours(1));
  for (const EmailToken& t : {live, expired, used}) ASSERT_TRUE(store_->add_email_token(t));
  ASSERT_TRUE(store_->consume_email_token(TokenPurpose::kResetPassword, used.token_hash, kNow));
  EXPECT_EQ(store_->purge_email_tokens(kNow), 2);
  EXPECT_EQ(store_->purge_email_tokens(kNow), 0);
  EXPECT_TRUE(store_->consume_email_token(TokenPurpose::kConfirmEmail, live.token_hash, kNow));
}

// The whole flow of email_token.h: issue, store, check the link, consume.
TEST_P(MemberStoreConformance, ALinkWorksOnceFromIssueToConsume) {
  const Account a = create(*store_, "a@example.com");
  const IssuedLink link = issue_email_link(TokenPurpose::kResetPassword, a.id, "", kLinkKey, kNow);
  ASSERT_TRUE(store_->add_email_token(link.record));
  const std::vector<std::string> keys{kLinkKey};
  const base::TimePoint click = kNow + minutes(59);
  const LinkCheck check = check_email_link(TokenPurpose::kResetPassword, link.query, keys, click);
  ASSERT_EQ(check.status, LinkStatus::kValid);
  EXPECT_EQ(store_->consume_email_token(TokenPurpose::kResetPassword, check.token_hash, click),
            (ConsumedToken{a.id, ""}));
  EXPECT_EQ(store_->consume_email_token(TokenPurpose::kResetPassword, check.token_hash, click),
            std::nullopt);
}

// ---- login failures

TEST_P(MemberStoreConformance, FailuresAreCountedPerAddressTriedAndPerClient) {
  struct Failure {
    const char* email;
    const char* client;
    base::TimePoint at;
  };
  const Failure failures[] = {
      {"a@example.com", "192.0.2.1", kNow - minutes(20)},  // before the window
      {"a@example.com", "192.0.2.1", kNow - minutes(15)},  // the window's first instant
      {"a@example.com", "192.0.2.2", kNow - minutes(1)},  {"b@example.com", "192.0.2.1", kNow},
      {"unknown@example.com", "2001:db8::1", kNow},
  };
  for (const Failure& f : failures) store_->record_login_failure(f.email, f.client, f.at);
  const base::TimePoint since = kNow - minutes(15);
  struct Case {
    const char* email;
    const char* client;
    FailureCounts expected;
  };
  const Case cases[] = {
      {"a@example.com", "192.0.2.1", {2, 2}},  {"a@example.com", "192.0.2.2", {2, 1}},
      {"b@example.com", "192.0.2.3", {1, 0}},  {"unknown@example.com", "2001:db8::1", {1, 1}},
      {"A@example.com", "192.0.2.10", {0, 0}},
  };
  for (const Case& c : cases)
    EXPECT_EQ(store_->login_failures(c.email, c.client, since), c.expected) << c.email << c.client;
  EXPECT_EQ(store_->login_failures("a@example.com", "192.0.2.1", kNow - hours(1)),
            (FailureCounts{3, 3}));
}

TEST_P(MemberStoreConformance, ClearingForgetsTheAccountsFailuresButNotTheClients) {
  for (int i = 0; i < 3; ++i) store_->record_login_failure("a@example.com", "192.0.2.1", kNow);
  for (int i = 0; i < 2; ++i) store_->record_login_failure("b@example.com", "192.0.2.1", kNow);
  store_->clear_login_failures("a@example.com");
  EXPECT_EQ(store_->login_failures("a@example.com", "192.0.2.1", kNow), (FailureCounts{0, 5}));
  EXPECT_EQ(store_->login_failures("b@example.com", "192.0.2.9", kNow), (FailureCounts{2, 0}));
  // New failures after the clear count again.
  store_->record_login_failure("a@example.com", "192.0.2.1", kNow + seconds(1));
  EXPECT_EQ(store_->login_failures("a@example.com", "192.0.2.1", kNow), (FailureCounts{1, 6}));
}

TEST_P(MemberStoreConformance, PurgingFailuresRemovesOnlyOlderOnes) {
  store_->record_login_failure("a@example.com", "192.0.2.1", kNow - hours(2));
  store_->record_login_failure("a@example.com", "192.0.2.1", kNow - minutes(15) - seconds(1));
  store_->record_login_failure("a@example.com", "192.0.2.1", kNow - minutes(15));
  store_->record_login_failure("a@example.com", "192.0.2.1", kNow);
  EXPECT_EQ(store_->purge_login_failures(kNow - minutes(15)), 2);
  EXPECT_EQ(store_->login_failures("a@example.com", "192.0.2.1", kNow - hours(3)),
            (FailureCounts{2, 2}));
}

// The handler flow of throttle.h against this store: the fifth failure in
// the window throttles the account, a success before it resets the count.
TEST_P(MemberStoreConformance, TheThrottleFlow) {
  const ThrottlePolicy policy;
  const auto check = [&](base::TimePoint now) {
    return throttled(
        store_->login_failures("a@example.com", "192.0.2.1", window_start(policy, now)), policy);
  };
  for (int i = 0; i < 4; ++i)
    store_->record_login_failure("a@example.com", "192.0.2.1", kNow + seconds(i));
  EXPECT_FALSE(check(kNow + seconds(4)));
  store_->record_login_failure("a@example.com", "192.0.2.1", kNow + seconds(4));
  EXPECT_TRUE(check(kNow + seconds(5)));
  // Fifteen minutes after the first failure it no longer counts.
  EXPECT_FALSE(check(kNow + minutes(15) + seconds(1)));
  EXPECT_TRUE(check(kNow + minutes(15)));
  store_->clear_login_failures("a@example.com");
  EXPECT_FALSE(check(kNow + seconds(5)));
}

// ---- races

TEST_P(MemberStoreConformance, ParallelRegistrationsOfOneAddressMakeOneAccount) {
  constexpr int kThreads = 16;
  std::vector<CreatedAccount> results(kThreads);
  in_parallel(kThreads, [&](int i) {
    results[i] = store_->create_account("race@example.com", "hash" + std::to_string(i), kNow);
  });
  const auto done = std::count_if(results.begin(), results.end(), [](const CreatedAccount& r) {
    return r.outcome == AccountWrite::kDone;
  });
  ASSERT_EQ(done, 1);
  const auto winner = std::find_if(results.begin(), results.end(), [](const CreatedAccount& r) {
    return r.outcome == AccountWrite::kDone;
  });
  EXPECT_EQ(store_->find_account_by_email("race@example.com"), winner->account);
  const auto taken = std::count_if(results.begin(), results.end(), [](const CreatedAccount& r) {
    return r.outcome == AccountWrite::kEmailTaken;
  });
  EXPECT_EQ(taken, kThreads - 1);
}

TEST_P(MemberStoreConformance, ParallelChangesToOneAddressMoveOneAccount) {
  constexpr int kThreads = 8;
  std::vector<Account> accounts;
  for (int i = 0; i < kThreads; ++i)
    accounts.push_back(create(*store_, "r" + std::to_string(i) + "@example.com"));
  std::vector<AccountWrite> results(kThreads);
  in_parallel(kThreads, [&](int i) {
    results[i] = store_->change_email(accounts[i].id, "wanted@example.com", kNow);
  });
  int moved = 0;
  for (int i = 0; i < kThreads; ++i) {
    const std::string email = store_->find_account(accounts[i].id)->email;
    if (results[i] == AccountWrite::kDone) {
      ++moved;
      EXPECT_EQ(email, "wanted@example.com");
    } else {
      EXPECT_EQ(results[i], AccountWrite::kEmailTaken) << i;
      EXPECT_EQ(email, accounts[i].email) << i;
    }
  }
  EXPECT_EQ(moved, 1);
}

TEST_P(MemberStoreConformance, ParallelConsumesOfOneTokenSucceedOnce) {
  constexpr int kThreads = 16;
  const Account a = create(*store_, "a@example.com");
  const EmailToken t = token_of(TokenPurpose::kConfirmEmail, a.id, kNow + hours(24));
  ASSERT_TRUE(store_->add_email_token(t));
  std::vector<std::optional<ConsumedToken>> results(kThreads);
  in_parallel(kThreads, [&](int i) {
    results[i] = store_->consume_email_token(TokenPurpose::kConfirmEmail, t.token_hash, kNow);
  });
  int consumed = 0;
  for (const auto& r : results) {
    if (r) {
      ++consumed;
      EXPECT_EQ(*r, (ConsumedToken{a.id, ""}));
    }
  }
  EXPECT_EQ(consumed, 1);
}

TEST_P(MemberStoreConformance, ParallelFailuresAreAllCounted) {
  constexpr int kThreads = 16;
  in_parallel(kThreads, [&](int i) {
    store_->record_login_failure(i % 2 ? "a@example.com" : "b@example.com", "192.0.2.1", kNow);
  });
  EXPECT_EQ(store_->login_failures("a@example.com", "192.0.2.1", kNow),
            (FailureCounts{kThreads / 2, kThreads}));
}

}  // namespace
}  // namespace masthead::members::testing
