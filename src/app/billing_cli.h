// The billing commands of the `masthead` program: plans and offers, until
// the admin pages exist; and the demo site's catalogue.
//
//   masthead plan add --code digital-monthly --name "Digital monthly" --price 9.00
//                     --currency GBP --interval month --entitlements web,apps [--inactive]
//   masthead plan list
//   masthead offer add --code first-month --plan digital-monthly
//                      (--intro-price 1.00 --intro-months 1 | --trial-days 14 [--trial-price 0])
//                      [--starts ISO] [--ends ISO] [--new-subscribers-only] [--paywall]
//   masthead offer list
// (each with --db, default data/masthead.db).
//
// The key idea: parse and validate everything before the database is opened,
// so bad input changes nothing and says why, as sentences (billing::validate
// names every broken invariant). Prices are decimal text read into integer
// minor units by the currency's digits ("9.00" GBP = 900, "1000" JPY = 1000;
// "9.001" GBP is refused), never through floating point. Dates are ISO 8601
// instants; a date alone means the start of that day (UTC) for --starts and
// the END of that day for --ends, so `--ends 2027-01-31` keeps the offer
// through January 31 ("Offer ends January 31"). Without --starts an offer
// starts now; without --ends it never ends (kNoEnd).
//
// A plan or an offer with an existing code is replaced (the stores' put_*):
// that is how prices and dates are corrected. --paywall marks the offer as
// the paywall's, unmarking any other in the same transaction.
#pragma once

#include <iosfwd>
#include <string>

#include <CLI/CLI.hpp>

#include "base/clock.h"
#include "base/result.h"
#include "billing/billing_store.h"

namespace masthead::app {

struct PlanArgs {
  std::string code;
  std::string name;
  std::string price;  // "9.00"
  std::string currency = "USD";
  std::string interval = "month";
  std::string entitlements = "web";
  bool inactive = false;
};

struct OfferArgs {
  std::string code;
  std::string plan;
  std::string intro_price;  // with intro_months: an intro-price offer
  int intro_months = 0;
  int trial_days = 0;  // a trial offer
  std::string trial_price = "0";
  std::string starts;  // "" = now
  std::string ends;    // "" = never (kNoEnd)
  bool new_subscribers_only = false;
  bool paywall = false;
};

// Offers without an end date end here (far beyond any page's "Offer ends").
inline constexpr const char* kNoEnd = "2200-01-01T00:00:00Z";

// "9.00" in `currency` as minor units, or a sentence.
base::Result<std::int64_t> parse_price(std::string_view text, std::string_view currency);

// The plan / offer the arguments describe, validated; or every problem as one
// message (one sentence per line). offer_from_args needs the offer's plan.
base::Result<billing::Plan> plan_from_args(const PlanArgs& args);
base::Result<billing::Offer> offer_from_args(const OfferArgs& args, const billing::Plan& plan,
                                             base::TimePoint now);

// The commands, on a store (for tests) and on a database file. They print
// what they did to `out`, problems to `err`, and return the exit status
// (0, or 1 with nothing changed).
int plan_add(billing::BillingStore& store, const PlanArgs& args, std::ostream& out,
             std::ostream& err);
int plan_list(const billing::BillingStore& store, std::ostream& out);
int offer_add(billing::BillingStore& store, const OfferArgs& args, base::TimePoint now,
              std::ostream& out, std::ostream& err);
int offer_list(const billing::BillingStore& store, base::TimePoint now, std::ostream& out);

int run_plan_add(const std::string& db, const PlanArgs& args);
int run_plan_list(const std::string& db);
int run_offer_add(const std::string& db, const OfferArgs& args);
int run_offer_list(const std::string& db);

// Adds `plan add|list` and `offer add|list` to `app`. Each runs in its
// subcommand's callback; a failure throws CLI::RuntimeError with the exit
// status, which CLI11_PARSE turns into the program's exit status.
void add_billing_commands(CLI::App& app);

// After parsing: whether one of those commands ran (its callback has run;
// the program then exits 0).
bool billing_command_ran(const CLI::App& app);

// The demo site's catalogue (masthead init --demo): two plans — Digital
// monthly (£9/month; web, apps) and Digital annual (£90/year; web, apps,
// print) — and two offers: "first-month", £1 for the first month of the
// monthly plan until the end of 31 January 2027 UTC, new subscribers only,
// the paywall's offer; and "annual-trial", 14 days free on the annual plan,
// new subscribers only, no end.
void add_demo_billing(billing::BillingStore& store, base::TimePoint now);

}  // namespace masthead::app
