// The ArticleStore conformance suite: one set of tests every implementation
// must pass (SQLite now, PostgreSQL later).
//
// An implementation's test file defines a factory that returns a fresh, empty,
// migrated store and instantiates the suite with it:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, ArticleStoreConformance,
//                            ::testing::Values(&make_sqlite_store));
//
// The tests speak only through the interface, so they pin down the contract
// in article_store.h rather than one implementation's accidents.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "content/article_store.h"

namespace masthead::content::testing {

using StoreFactory = std::unique_ptr<ArticleStore> (*)();

class ArticleStoreConformance : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override { store_ = GetParam()(); }
  std::unique_ptr<ArticleStore> store_;
};

}  // namespace masthead::content::testing
