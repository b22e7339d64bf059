// The billing commands: arguments -> validated plans and offers -> the
// store. See billing_cli.h.
#include "app/billing_cli.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "base/iso_time.h"
#include "render/money.h"
#include "store/sqlite/database.h"
#include "store/sqlite/sqlite_billing_store.h"

namespace masthead::app {

namespace {

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

// "900" GBP -> "9.00": prices as the CLI reads them, for listings.
std::string decimal(std::int64_t minor, const std::string& currency) {
  int digits = 2;
  try {
    digits = render::currency_digits(currency);
  } catch (const std::invalid_argument&) {
  }
  std::string text = std::to_string(minor < 0 ? -minor : minor);
  if (digits > 0) {
    if (text.size() <= static_cast<std::size_t>(digits))
      text.insert(0, static_cast<std::size_t>(digits) + 1 - text.size(), '0');
    text.insert(text.size() - static_cast<std::size_t>(digits), ".");
  }
  return (minor < 0 ? "-" : "") + text;
}

bool is_date_only(std::string_view text) {
  return text.size() == 10 && text[4] == '-' && text[7] == '-';
}

// An instant from --starts / --ends; `end_of_day`: a date alone means the
// next midnight.
base::Result<base::TimePoint> parse_when(std::string_view option, std::string_view text,
                                         bool end_of_day) {
  std::optional<base::TimePoint> t = base::parse_iso8601(text);
  if (!t)
    return base::Error{std::string(option) + ": '" + std::string(text) +
                       "' is not an ISO 8601 date or instant (2027-01-31, 2027-01-31T23:59:59Z)"};
  if (end_of_day && is_date_only(text)) *t += std::chrono::days(1);
  return *t;
}

std::shared_ptr<store::sqlite::Database> open_existing(const std::string& db) {
  return store::sqlite::Database::open(db, false);
}

}  // namespace

base::Result<std::int64_t> parse_price(std::string_view text, std::string_view currency) {
  const std::string shown(text);
  if (!billing::is_currency_code(currency))
    return base::Error{"the currency must be an ISO 4217 code such as GBP or USD"};
  const int digits = render::currency_digits(currency);
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  auto all_digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || !all_digits(whole) || !all_digits(fraction) ||
      (dot != std::string_view::npos && fraction.empty()))
    return base::Error{"the price '" + shown + "' is not an amount such as 9.00"};
  if (fraction.size() > static_cast<std::size_t>(digits))
    return base::Error{"the price '" + shown + "' has more decimals than " + std::string(currency) +
                       " has (" + std::to_string(digits) + ")"};
  if (whole.size() > 12) return base::Error{"the price '" + shown + "' is too large"};
  std::int64_t minor = std::stoll(std::string(whole));
  for (int i = 0; i < digits; ++i) minor *= 10;
  std::int64_t frac = fraction.empty() ? 0 : std::stoll(std::string(fraction));
  for (std::size_t i = fraction.size(); i < static_cast<std::size_t>(digits); ++i) frac *= 10;
  return minor + frac;
}

base::Result<billing::Plan> plan_from_args(const PlanArgs& args) {
  std::vector<std::string> problems;
  billing::Plan plan;
  plan.code = args.code;
  plan.name = args.name;
  plan.currency = args.currency;
  plan.active = !args.inactive;
  if (auto price = parse_price(args.price, args.currency))
    plan.price_minor = price.value();
  else
    problems.push_back(price.error().message);
  if (auto interval = billing::parse_interval(args.interval))
    plan.interval = *interval;
  else
    problems.push_back("the interval must be 'month' or 'year', not '" + args.interval + "'");
  if (auto set = billing::parse_entitlements(args.entitlements))
    plan.entitlements = set.value();
  else
    problems.push_back(set.error().message);
  for (std::string& p : billing::validate(plan))
    if (std::find(problems.begin(), problems.end(), p) == problems.end())
      problems.push_back(std::move(p));
  if (!problems.empty()) return base::Error{join_lines(problems)};
  return plan;
}

base::Result<billing::Offer> offer_from_args(const OfferArgs& args, const billing::Plan& plan,
                                             base::TimePoint now) {
  std::vector<std::string> problems;
  billing::Offer offer;
  offer.code = args.code;
  offer.plan_code = args.plan;
  offer.new_subscribers_only = args.new_subscribers_only;
  offer.paywall = args.paywall;
  const bool intro = !args.intro_price.empty() || args.intro_months != 0;
  const bool trial = args.trial_days != 0;
  if (intro == trial) {
    problems.push_back(
        "an offer is either an intro price (--intro-price and --intro-months) or a trial "
        "(--trial-days), not both or neither");
  } else if (intro) {
    offer.kind = billing::OfferKind::kIntroPrice;
    offer.intro_intervals = args.intro_months;
    if (args.intro_price.empty())
      problems.push_back("--intro-price is missing");
    else if (auto price = parse_price(args.intro_price, plan.currency))
      offer.intro_price_minor = price.value();
    else
      problems.push_back("--intro-price: " + price.error().message);
  } else {
    offer.kind = billing::OfferKind::kTrial;
    offer.trial_days = args.trial_days;
    if (auto price = parse_price(args.trial_price, plan.currency))
      offer.intro_price_minor = price.value();
    else
      problems.push_back("--trial-price: " + price.error().message);
  }
  offer.starts_at = now;
  if (!args.starts.empty()) {
    if (auto t = parse_when("--starts", args.starts, false))
      offer.starts_at = t.value();
    else
      problems.push_back(t.error().message);
  }
  offer.ends_at = *base::parse_iso8601(kNoEnd);
  if (!args.ends.empty()) {
    if (auto t = parse_when("--ends", args.ends, true))
      offer.ends_at = t.value();
    else
      problems.push_back(t.error().message);
  }
  if (problems.empty())
    for (std::string& p : billing::validate(offer, plan)) problems.push_back(std::move(p));
  if (!problems.empty()) return base::Error{join_lines(problems)};
  return offer;
}

int plan_add(billing::BillingStore& store, const PlanArgs& args, std::ostream& out,
             std::ostream& err) {
  base::Result<billing::Plan> plan = plan_from_args(args);
  if (!plan) {
    err << "masthead: the plan was not stored:\n" << plan.error().message << "\n";
    return 1;
  }
  store.put_plan(plan.value());
  out << "Stored plan " << plan->code << ": " << decimal(plan->price_minor, plan->currency) << " "
      << plan->currency << " per " << billing::interval_name(plan->interval) << " ("
      << billing::format_entitlements(plan->entitlements) << ")"
      << (plan->active ? "" : ", inactive") << "\n";
  return 0;
}

int plan_list(const billing::BillingStore& store, std::ostream& out) {
  for (const billing::Plan& p : store.plans())
    out << p.code << "  " << decimal(p.price_minor, p.currency) << " " << p.currency << "/"
        << billing::interval_name(p.interval) << "  "
        << billing::format_entitlements(p.entitlements) << "  "
        << (p.active ? "active" : "inactive") << "  " << p.name << "\n";
  return 0;
}

int offer_add(billing::BillingStore& store, const OfferArgs& args, base::TimePoint now,
              std::ostream& out, std::ostream& err) {
  const std::optional<billing::Plan> plan = store.plan(args.plan);
  if (!plan) {
    err << "masthead: the offer was not stored:\nthere is no plan '" << args.plan
        << "' (see masthead plan list)\n";
    return 1;
  }
  base::Result<billing::Offer> offer = offer_from_args(args, *plan, now);
  if (!offer) {
    err << "masthead: the offer was not stored:\n" << offer.error().message << "\n";
    return 1;
  }
  if (billing::Status stored = store.put_offer(offer.value()); !stored) {
    err << "masthead: the offer was not stored:\n" << stored.error().message << "\n";
    return 1;
  }
  out << "Stored offer " << offer->code << " on " << offer->plan_code << ", from "
      << base::format_iso8601_utc(offer->starts_at) << " until "
      << base::format_iso8601_utc(offer->ends_at)
      << (offer->paywall ? " (the paywall's offer)" : "") << "\n";
  return 0;
}

int offer_list(const billing::BillingStore& store, base::TimePoint now, std::ostream& out) {
  const base::TimePoint no_end = *base::parse_iso8601(kNoEnd);
  for (const billing::Offer& o : store.offers()) {
    const std::optional<billing::Plan> plan = store.plan(o.plan_code);
    const std::string currency = plan ? plan->currency : "";
    out << o.code << "  " << o.plan_code << "  ";
    if (o.kind == billing::OfferKind::kIntroPrice)
      out << decimal(o.intro_price_minor, currency) << " " << currency << " for "
          << o.intro_intervals << " interval(s)";
    else
      out << o.trial_days << "-day trial at " << decimal(o.intro_price_minor, currency) << " "
          << currency;
    out << "  " << base::format_iso8601_utc(o.starts_at) << " .. "
        << (o.ends_at >= no_end ? std::string("no end") : base::format_iso8601_utc(o.ends_at))
        << "  " << (billing::is_current(o, now) ? "current" : "not current")
        << (o.new_subscribers_only ? "  new subscribers only" : "")
        << (o.paywall ? "  [paywall]" : "") << "\n";
  }
  return 0;
}

int run_plan_add(const std::string& db, const PlanArgs& args) {
  // Validated before the database is opened: bad input touches nothing.
  if (auto plan = plan_from_args(args); !plan) {
    std::cerr << "masthead: the plan was not stored:\n" << plan.error().message << "\n";
    return 1;
  }
  store::sqlite::SqliteBillingStore store(open_existing(db));
  return plan_add(store, args, std::cout, std::cerr);
}

int run_plan_list(const std::string& db) {
  store::sqlite::SqliteBillingStore store(open_existing(db));
  return plan_list(store, std::cout);
}

int run_offer_add(const std::string& db, const OfferArgs& args) {
  store::sqlite::SqliteBillingStore store(open_existing(db));
  return offer_add(store, args, base::SystemClock().now(), std::cout, std::cerr);
}

int run_offer_list(const std::string& db) {
  store::sqlite::SqliteBillingStore store(open_existing(db));
  return offer_list(store, base::SystemClock().now(), std::cout);
}

void add_billing_commands(CLI::App& app) {
  struct Args {
    std::string db = "data/masthead.db";
    PlanArgs plan;
    OfferArgs offer;
  };
  auto args = std::make_shared<Args>();
  auto finish = [](int status) {
    if (status != 0) throw CLI::RuntimeError(status);
  };
  auto guarded = [finish](auto run) {
    return [finish, run] {
      int status = 1;
      try {
        status = run();
      } catch (const std::exception& e) {
        std::cerr << "masthead: " << e.what() << "\n";
      }
      finish(status);
    };
  };

  CLI::App* plan = app.add_subcommand("plan", "Manage subscription plans");
  plan->require_subcommand(1);
  CLI::App* plan_add_cmd = plan->add_subcommand("add", "Add or replace (by code) a plan");
  plan_add_cmd->add_option("--db", args->db, "SQLite database file")->capture_default_str();
  plan_add_cmd->add_option("--code", args->plan.code, "Slug, e.g. digital-monthly")->required();
  plan_add_cmd->add_option("--name", args->plan.name, "Shown to readers")->required();
  plan_add_cmd->add_option("--price", args->plan.price, "Per interval, e.g. 9.00")->required();
  plan_add_cmd->add_option("--currency", args->plan.currency, "ISO 4217, e.g. GBP")
      ->capture_default_str();
  plan_add_cmd->add_option("--interval", args->plan.interval, "month or year")
      ->capture_default_str();
  plan_add_cmd->add_option("--entitlements", args->plan.entitlements, "web,apps,print")
      ->capture_default_str();
  plan_add_cmd->add_flag("--inactive", args->plan.inactive, "Not offered to new subscribers");
  plan_add_cmd->callback(guarded([args] { return run_plan_add(args->db, args->plan); }));
  CLI::App* plan_list_cmd = plan->add_subcommand("list", "List plans");
  plan_list_cmd->add_option("--db", args->db, "SQLite database file")->capture_default_str();
  plan_list_cmd->callback(guarded([args] { return run_plan_list(args->db); }));

  CLI::App* offer = app.add_subcommand("offer", "Manage offers (intro prices, trials)");
  offer->require_subcommand(1);
  CLI::App* offer_add_cmd = offer->add_subcommand("add", "Add or replace (by code) an offer");
  OfferArgs& o = args->offer;
  offer_add_cmd->add_option("--db", args->db, "SQLite database file")->capture_default_str();
  offer_add_cmd->add_option("--code", o.code, "Slug, e.g. winter-2026")->required();
  offer_add_cmd->add_option("--plan", o.plan, "The plan's code")->required();
  offer_add_cmd->add_option("--intro-price", o.intro_price, "Price per interval at first");
  offer_add_cmd->add_option("--intro-months", o.intro_months,
                            "Intervals at the intro price (months, or years for yearly plans)");
  offer_add_cmd->add_option("--trial-days", o.trial_days, "A trial of this many days");
  offer_add_cmd->add_option("--trial-price", o.trial_price, "The trial's price (0: free)")
      ->capture_default_str();
  offer_add_cmd->add_option("--starts", o.starts, "ISO 8601; default now");
  offer_add_cmd->add_option("--ends", o.ends, "ISO 8601; a date alone: through that day");
  offer_add_cmd->add_flag("--new-subscribers-only", o.new_subscribers_only,
                          "Only for accounts that never subscribed");
  offer_add_cmd->add_flag("--paywall", o.paywall, "The paywall promotes this offer");
  offer_add_cmd->callback(guarded([args] { return run_offer_add(args->db, args->offer); }));
  CLI::App* offer_list_cmd = offer->add_subcommand("list", "List offers");
  offer_list_cmd->add_option("--db", args->db, "SQLite database file")->capture_default_str();
  offer_list_cmd->callback(guarded([args] { return run_offer_list(args->db); }));
}

bool billing_command_ran(const CLI::App& app) {
  return app.got_subcommand("plan") || app.got_subcommand("offer");
}

void add_demo_billing(billing::BillingStore& store, base::TimePoint now) {
  using billing::Interval;
  store.put_plan({"digital-monthly",
                  "Digital monthly",
                  900,
                  "GBP",
                  Interval::kMonth,
                  {true, true, false},
                  true});
  store.put_plan(
      {"digital-annual", "Digital annual", 9000, "GBP", Interval::kYear, {true, true, true}, true});
  const base::TimePoint starts = std::min(now, *base::parse_iso8601("2026-01-01T00:00:00Z"));
  billing::Offer intro{"first-month",
                       "digital-monthly",
                       billing::OfferKind::kIntroPrice,
                       100,
                       1,
                       0,
                       starts,
                       *base::parse_iso8601("2027-02-01T00:00:00Z"),  // through 31 January
                       true,
                       true};
  billing::Offer trial{"annual-trial",
                       "digital-annual",
                       billing::OfferKind::kTrial,
                       0,
                       0,
                       14,
                       starts,
                       *base::parse_iso8601(kNoEnd),
                       true,
                       false};
  for (const billing::Offer& offer : {intro, trial})
    if (billing::Status stored = store.put_offer(offer); !stored)
      throw std::runtime_error("demo offer " + offer.code + ": " + stored.error().message);
}

}  // namespace masthead::app
