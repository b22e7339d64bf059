// The MeterStore conformance suite: one set of tests every implementation of
// paywall/meter_store.h must pass (SQLite now, PostgreSQL later).
//
// An implementation's test file defines a factory that returns a fresh, empty
// store (migrated, with nothing metered) and instantiates the suite with it:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, MeterStoreConformance,
//                            ::testing::Values(&make_sqlite_meter_store));
//
// The tests speak only through the interface, so they pin down the contract
// in meter_store.h rather than one implementation's accidents. The ones that
// matter most are the races: with one free view left, 16 threads recording 16
// different articles at once insert exactly one, and the handler flow of
// decision.h (state, decide, record_view, decide again) run by 10 threads at
// once gives exactly one full article. A store that reads and then writes in
// two steps fails them, usually (they are races: a pass proves less than a
// failure does, so they start all threads at a latch to make the window wide).
//
// The store must be safe to call from many threads at once, as the server
// does; the suite does that.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "paywall/meter_store.h"

namespace masthead::paywall::testing {

using MeterStoreFactory = std::unique_ptr<MeterStore> (*)();

class MeterStoreConformance : public ::testing::TestWithParam<MeterStoreFactory> {
 protected:
  void SetUp() override { store_ = GetParam()(); }
  std::unique_ptr<MeterStore> store_;
};

}  // namespace masthead::paywall::testing
