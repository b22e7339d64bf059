// MeterStore: where readers' meters live, and the one atomic step that
// records a view.
//
// What it is. The paywall decision (decision.h) reads a MeterState and, when
// it says count_view, asks the store to record the view. This interface is
// that store's contract; store/sqlite implements it now, store/postgres later,
// and src/paywall/testing/meter_store_conformance.h holds the tests every
// implementation must pass (including the parallel race below).
//
// The key idea: record_view() is a conditional insert, never
// read-then-write. In one atomic step it reads the reader's meter for the
// period, inserts the article iff it is not there and the meter holds fewer
// than `limit` articles, and returns the MeterState it read *before* the
// insert. The handler feeds that state back into decide(), which then agrees
// with the store by construction (see decision.h): with one free view left,
// N parallel record_view() calls for N different articles insert exactly one.
//
// Readers are opaque keys ("anon:<hex>", later "acct:<id>"); the store never
// interprets them. Network budgets (MeterPolicy::anonymous_network_free) are
// counters keyed by an opaque network key (network_key() in readers/network.h).
//
// Durability. Meter views may be relaxed to "survives a crash of the
// process, may lose the last milliseconds on power loss" (an extra free view
// at worst); implementations document what they do. Rows of periods that have
// ended are deleted by purge_ended().
#pragma once

#include <cstdint>
#include <string_view>

#include "base/clock.h"
#include "paywall/decision.h"
#include "paywall/period.h"

namespace masthead::paywall {

class MeterStore {
 public:
  virtual ~MeterStore() = default;

  // The reader's meter in `period_key`, seen from `article_id`: how many
  // distinct articles it holds and whether `article_id` is one of them.
  virtual MeterState state(std::string_view reader_key, std::string_view period_key,
                           std::int64_t article_id) const = 0;

  // Atomically: read the meter for `period`; insert `article_id` iff it is
  // not in it and it holds fewer than `limit` articles; return the state read
  // before the insert. `limit` <= 0 inserts nothing. Idempotent for an
  // article already recorded.
  virtual MeterState record_view(std::string_view reader_key, const Period& period,
                                 std::int64_t article_id, int limit) = 0;

  // Signing in: the views `from_reader` (an anonymous reader) has in
  // `period` join `to_reader`'s meter (an account's), duplicates once, in
  // one atomic step; `from_reader`'s rows stay (its cookie may be used again
  // on another device). Returns how many views were added.
  virtual int merge_views(std::string_view from_reader, std::string_view to_reader,
                          const Period& period) = 0;

  // Network budgets: add one view to `network_key`'s counter for `period`
  // and return the count after it; network_views() reads it (0 when absent).
  virtual int add_network_view(std::string_view network_key, const Period& period) = 0;
  virtual int network_views(std::string_view network_key, std::string_view period_key) const = 0;

  // Deletes every meter row and network counter whose period ended at or
  // before `now`; returns how many rows went.
  virtual std::int64_t purge_ended(base::TimePoint now) = 0;
};

}  // namespace masthead::paywall
