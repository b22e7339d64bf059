// decide(): the rules of decision.h in order, and the invariants they keep.
// See decision.h for the contract and the handler flow.
#include "paywall/decision.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <string>

namespace masthead::paywall {

namespace {

bool is_counted_outcome(Outcome outcome) {
  return outcome == Outcome::kMetered || outcome == Outcome::kLastFree;
}

// Outcomes that decide the text without looking at the meter.
bool is_unmetered_outcome(Outcome outcome) {
  return outcome == Outcome::kEntitled || outcome == Outcome::kFreeArticle ||
         outcome == Outcome::kSponsored || outcome == Outcome::kCrawler;
}

bool is_wall(Outcome outcome) {
  return outcome == Outcome::kRegistrationWall || outcome == Outcome::kPaywall ||
         outcome == Outcome::kTrialExpired || outcome == Outcome::kSubscriptionExpired;
}

// An expiry counts once it has happened; a date still ahead is not history.
std::optional<base::TimePoint> in_the_past(const std::optional<base::TimePoint>& t,
                                           base::TimePoint now) {
  if (t && *t <= now) return t;
  return std::nullopt;
}

// Rule 8: which wall a reader with a used-up meter meets.
Outcome wall_for(const Reader& reader, const Entitlements& entitlements, const MeterPolicy& policy,
                 base::TimePoint now) {
  if (reader.kind == ReaderKind::kAnonymous && policy.registration_wall) {
    return Outcome::kRegistrationWall;
  }
  const auto subscription_ended = in_the_past(entitlements.subscription_expired_at, now);
  const auto trial_ended = in_the_past(entitlements.trial_expired_at, now);
  // The most recent ending is the one the reader remembers: a subscriber who
  // lapsed and later let a trial run out hears about the trial.
  if (subscription_ended && (!trial_ended || *subscription_ended > *trial_ended)) {
    return Outcome::kSubscriptionExpired;
  }
  if (trial_ended) return Outcome::kTrialExpired;
  return Outcome::kPaywall;
}

Decision finish(Decision decision, base::TimePoint now) {
  decision.check();
  assert(decision.period.contains(now) && "the metered period must contain now");
  (void)now;
  return decision;
}

}  // namespace

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kEntitled:
      return "entitled";
    case Outcome::kFreeArticle:
      return "free_article";
    case Outcome::kSponsored:
      return "sponsored";
    case Outcome::kCrawler:
      return "crawler";
    case Outcome::kMetered:
      return "metered";
    case Outcome::kLastFree:
      return "last_free";
    case Outcome::kReread:
      return "reread";
    case Outcome::kRegistrationWall:
      return "registration_wall";
    case Outcome::kPaywall:
      return "paywall";
    case Outcome::kTrialExpired:
      return "trial_expired";
    case Outcome::kSubscriptionExpired:
      return "subscription_expired";
  }
  return "unknown";
}

std::string_view Decision::broken_invariant() const {
  if (!full_text && count_view) return "a view is counted only when the full text is shown";
  if (count_view && !is_counted_outcome(outcome)) {
    return "only kMetered and kLastFree count a view";
  }
  if (is_counted_outcome(outcome) && !count_view) return "kMetered and kLastFree count the view";
  if (outcome == Outcome::kLastFree && remaining_after != 0) {
    return "kLastFree leaves no free views";
  }
  if (outcome == Outcome::kMetered && remaining_after <= 0) {
    return "kMetered leaves at least one free view";
  }
  if (limit < 0 || remaining_after < 0 || remaining_after > limit) {
    return "0 <= remaining_after <= limit";
  }
  if (count_view && remaining_after >= limit) return "a counted view uses one of the limit";
  if (is_wall(outcome) && (full_text || remaining_after != 0)) {
    return "a wall shows the lead-in and leaves no free views";
  }
  if (!is_wall(outcome) && outcome != Outcome::kCrawler && !full_text) {
    return "only walls and kCrawler may withhold the text";
  }
  if (is_unmetered_outcome(outcome) && (limit != 0 || remaining_after != 0)) {
    return "outcomes that ignore the meter report no limit";
  }
  if (lead_in_paragraphs < 0 || lead_in_paragraphs > kMaxLeadInParagraphs) {
    return "0 <= lead_in_paragraphs <= kMaxLeadInParagraphs";
  }
  if (!(period.start < period.end) || period.key.empty()) {
    return "the period is non-empty and named";
  }
  return {};
}

void Decision::check() const {
#ifndef NDEBUG
  const std::string_view why = broken_invariant();
  if (!why.empty()) {
    std::fprintf(stderr, "paywall: broken decision (%s): %.*s\n",
                 std::string(outcome_name(outcome)).c_str(), static_cast<int>(why.size()),
                 why.data());
  }
  assert(why.empty() && "paywall Decision invariant broken (reason printed above)");
#endif
}

Period current_period(const MeterPolicy& policy, base::TimePoint now) {
  return period_containing(now, policy.period, policy.time_zone);
}

Decision decide(const Reader& reader, const ArticleFacts& article, const MeterState& meter,
                const Entitlements& entitlements, const MeterPolicy& policy, base::TimePoint now) {
  Decision d;
  d.period = current_period(policy, now);
  d.lead_in_paragraphs = policy.lead_in_paragraphs;

  // Rules 1-4: the meter is not consulted.
  auto unmetered = [&](Outcome outcome, bool full_text) {
    d.outcome = outcome;
    d.full_text = full_text;
    return finish(d, now);
  };
  if (entitlements.active) return unmetered(Outcome::kEntitled, true);
  if (article.free) return unmetered(Outcome::kFreeArticle, true);
  if (article.sponsored) return unmetered(Outcome::kSponsored, true);
  if (reader.kind == ReaderKind::kVerifiedCrawler) {
    return unmetered(Outcome::kCrawler, policy.crawler_full_text);
  }

  // Rules 5-8: the meter.
  d.limit = reader.kind == ReaderKind::kAnonymous ? policy.anonymous_free : policy.registered_free;
  const bool network_spent = reader.kind == ReaderKind::kAnonymous && reader.network_over_budget;
  // A store never reports a negative count; treat one as empty rather than
  // widen the limit. A count above the limit (the publisher lowered it
  // mid-period) simply means used up.
  const int viewed = std::max(meter.viewed, 0);
  const int remaining = network_spent ? 0 : std::max(d.limit - viewed, 0);
  d.viewed = viewed;

  if (meter.already_viewed) {
    d.outcome = Outcome::kReread;
    d.full_text = true;
    d.remaining_after = remaining;
  } else if (remaining > 0) {
    d.full_text = true;
    d.count_view = true;
    d.remaining_after = remaining - 1;
    d.outcome = d.remaining_after == 0 ? Outcome::kLastFree : Outcome::kMetered;
  } else {
    d.outcome = wall_for(reader, entitlements, policy, now);
  }
  return finish(d, now);
}

}  // namespace masthead::paywall
