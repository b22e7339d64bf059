// The per-call cost of SqliteMeterStore's state(), record_view() and
// add_network_view(), printed for the README (src/store/sqlite/README.md),
// never asserted: timings belong to the machine, not to the contract. Medians:
// on a shared machine the mean measures the neighbours.
//
// Its own binary, labelled `timing` rather than `unit` (cmake/masthead.cmake):
// a plain `ctest` prints the figures of an optimised build, and the sanitizer
// pass, whose figures would mean nothing, leaves it out.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "base/iso_time.h"
#include "base/testing/temp_dir.h"
#include "store/sqlite/sqlite_meter_store.h"

namespace masthead::store::sqlite {
namespace {

using paywall::MeterState;
using paywall::Period;

const Period kNovember{*base::parse_iso8601("2026-11-01T00:00:00Z"),
                       *base::parse_iso8601("2026-12-01T00:00:00Z"), "2026-11"};

TEST(SqliteMeterStoreTiming, PrintsPerCallCosts) {
  const std::filesystem::path dir = base::testing::fresh_temp_dir("masthead-store-timing");
  SqliteMeterStore meters(Database::open((dir / "meter.sqlite").string(), true));
  constexpr int kReaders = 2000;
  constexpr int kCalls = 10000;
  std::vector<std::string> readers;
  for (int i = 0; i < kReaders; ++i) readers.push_back("anon:" + std::to_string(i * 2654435761u));
  auto median_us = [](auto call) {
    std::vector<double> took(kCalls);
    for (int i = 0; i < kCalls; ++i) {
      const auto start = std::chrono::steady_clock::now();
      call(i);
      took[i] = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                    .count();
    }
    std::nth_element(took.begin(), took.begin() + kCalls / 2, took.end());
    return took[kCalls / 2];
  };
  // 2000 readers with 5 views each, one new article per call.
  const double insert = median_us(
      [&](int i) { meters.record_view(readers[i % kReaders], kNovember, i / kReaders, 10); });
  const double reread =
      median_us([&](int i) { meters.record_view(readers[i % kReaders], kNovember, 0, 10); });
  const double state =
      median_us([&](int i) { meters.state(readers[i % kReaders], kNovember.key, 3); });
  const double network =
      median_us([&](int i) { meters.add_network_view(readers[i % kReaders], kNovember); });
  EXPECT_EQ(meters.state(readers[0], kNovember.key, 4), (MeterState{5, true}));
  std::printf(
      "median per call: state %.1f us, record_view %.1f us (insert), %.1f us (reread), "
      "add_network_view %.1f us\n",
      state, insert, reread, network);
}

}  // namespace
}  // namespace masthead::store::sqlite
