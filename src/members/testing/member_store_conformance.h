// The MemberStore conformance suite: one set of tests every implementation
// of members/member_store.h must pass (SQLite now, PostgreSQL later).
//
// An implementation's test file defines a factory that returns a fresh,
// empty store (migrated, with no accounts) and instantiates the suite:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, MemberStoreConformance,
//                            ::testing::Values(&make_sqlite_member_store));
//
// The tests speak only through the interface, so they pin down the contract
// in member_store.h rather than one implementation's accidents: accounts
// (unique addresses, ids never reused, confirm, password and address changes
// with the tokens they drop, delete with everything of the account, the
// export), sessions (round trip, the purge agreeing with session_state() at
// its boundaries, deleting all but one), e-mail tokens (single use, purpose,
// expiry at its exact instant, the link flow from issue_email_link() to
// consume), login failures (per address tried and per client address, the
// window's inclusive start, clearing, purging). The races matter most: 16
// threads registering one address make one account, 8 accounts moving to one
// address move one, 16 threads consuming one token consume it once, and 16
// concurrent failures are all counted. They start every thread at a latch so
// that all of them are inside the store at once (a pass proves less than a
// failure does).
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "members/member_store.h"

namespace masthead::members::testing {

using MemberStoreFactory = std::unique_ptr<MemberStore> (*)();

class MemberStoreConformance : public ::testing::TestWithParam<MemberStoreFactory> {
 protected:
  void SetUp() override { store_ = GetParam()(); }
  std::unique_ptr<MemberStore> store_;
};

}  // namespace masthead::members::testing
