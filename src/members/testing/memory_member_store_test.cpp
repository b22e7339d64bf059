// The in-memory MemberStore against the conformance suite every store passes.
#include <gtest/gtest.h>

#include "members/testing/member_store_conformance.h"
#include "members/testing/memory_member_store.h"

namespace masthead::members::testing {
namespace {

std::unique_ptr<MemberStore> make_memory_member_store() {
  return std::make_unique<MemoryMemberStore>();
}

INSTANTIATE_TEST_SUITE_P(Memory, MemberStoreConformance,
                         ::testing::Values(&make_memory_member_store));

}  // namespace
}  // namespace masthead::members::testing
