// The BillingStore conformance suite: the tests every implementation of
// billing/billing_store.h must pass (memory and SQLite now, PostgreSQL later).
//
// An implementation's test file defines a factory that returns a fresh,
// empty store and instantiates the suite with it:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, BillingStoreConformance,
//                            ::testing::Values(&make_sqlite_billing_store));
//
// The tests speak only through the interface. The ones that matter most are
// the guarantees money depends on: twenty threads starting a trial for one
// account create exactly one; apply() records an event and its writes
// together, runs a duplicate's mutation never, leaves nothing when the
// mutation throws midway (and a retry then applies it once), and ten threads
// delivering one event apply it once; apply_event() over the store is
// idempotent and out-of-order safe. The races start every thread at a latch
// so that all of them are inside the store at once (a pass proves less than
// a failure does).
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "billing/billing_store.h"

namespace masthead::billing::testing {

using BillingStoreFactory = std::unique_ptr<BillingStore> (*)();

class BillingStoreConformance : public ::testing::TestWithParam<BillingStoreFactory> {
 protected:
  void SetUp() override { store_ = GetParam()(); }
  std::unique_ptr<BillingStore> store_;
};

}  // namespace masthead::billing::testing
