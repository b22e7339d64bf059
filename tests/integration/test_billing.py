"""Integration tests of plans, offers, trials and subscriptions on the web —
the real `masthead` binary, its SQLite database, the built-in test gateway,
and Stripe's webhooks signed here (tests/tools/fake_stripe.py plays Stripe's
API).

What is covered:
  /offers        the demo's two plans with their prices, the dated intro offer
                 ("Offer ends 31 January") featured, the trial offer; gone at
                 its end exactly (the server's --clock-file); anonymous
                 readers see the forms and are sent to register
  paywall        the wall under a metered article promotes the current offer,
                 and stops when it ends
  test gateway   register -> offer -> test checkout (decline, then success) ->
                 full articles with no meter message -> change plan -> cancel ->
                 resume -> cancel -> past the period end -> "Your full access
                 to <publication> has expired"
  trials         start -> full access -> past the trial end -> "Your trial
                 period has expired"; once per reader, also under 20 parallel
                 requests; new-subscribers-only offers refused afterwards
  private feed   the addresses on /account (RSS, Atom, JSON Feed), read with
                 no cookie: a metered article's lead-in only without full
                 access, whole with it (trial), nothing metered; a new
                 address revokes the old (404), forged and deleted-account
                 tokens are 404
  Stripe         checkout over the fake API, the webhooks it sends applied;
                 a bad signature is 400 and changes nothing; a replay changes
                 nothing; an older event after a newer one does not regress;
                 a delivery that fails midway (a trigger in the database
                 aborts the transaction after the subscription was written)
                 is a 500 that leaves nothing, and the retry applies it once;
                 404 when Stripe is not configured

Every server runs with --clock-file; tests that move time have a server of
their own. Python 3.11 standard library only (never urllib).

Run from tests/integration:
    MASTHEAD_BIN=../../build/masthead python3 -m unittest -v test_billing
"""
from __future__ import annotations

import datetime
import json
import pathlib
import re
import sqlite3
import sys
import threading
import unittest
import xml.etree.ElementTree as ET

from masthead_server import (BASE_URL, SITE_NAME, MastheadServer, Reader, Response, collapse,
                             instant, normalize, parse_html, pct)
from test_paywall import DEMO, METERED, View

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tools"))
import fake_stripe  # noqa: E402

PINNED = "2026-12-02T10:00:00Z"
PASSWORD = "correct horse battery staple 42"
WEBHOOK_SECRET = "whsec_masthead_integration"
STRIPE_KEY = "sk_test_masthead"
EXPIRED_TITLE = f"Your full access to {SITE_NAME} has expired"
TRIAL_EXPIRED_TITLE = "Your trial period has expired"


# ----------------------------------------------------------------- browser

def form_fields(response: Response, action: str, offer: str | None = None,
                plan: str | None = None) -> dict:
    """The hidden inputs of the (first) form posting to `action`; with
    `offer`, the one whose hidden `offer` field has that value; with `plan`
    (and no offer), the plan's own form, without an offer."""
    doc = parse_html(response.text)
    for form in doc.find_all("form"):
        if form.get("action") != action:
            continue
        hidden = {i.get("name"): i.get("value", "") for i in form.find_all("input")
                  if i.get("type") == "hidden"}
        if offer is not None and hidden.get("offer") != offer:
            continue
        if plan is not None and (hidden.get("plan") != plan or "offer" in hidden):
            continue
        return hidden
    raise AssertionError(f"no form to {action} (offer {offer}) in page ({response.status}): "
                         f"{[f.get('action') for f in doc.find_all('form')]}")


class Browser(Reader):
    """A Reader that sends the site's Origin and posts forms."""

    def __init__(self, server, **kw):
        super().__init__(server, headers={"Origin": BASE_URL}, **kw)

    def post(self, path: str, fields: dict) -> Response:
        body = "&".join(f"{pct(k)}={pct(v)}" for k, v in fields.items()).encode()
        return self.request_body("POST", path, body)

    def request_body(self, method: str, path: str, body: bytes) -> Response:
        h = dict(self.headers)
        h["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        r = self.server.request(method, path, h, body=body, source=self.source)
        for value in r.header_all("Set-Cookie"):
            name, _, rest = value.partition("=")
            cookie_value, _, attributes = rest.partition(";")
            if any(a.strip().lower() == "max-age=0" for a in attributes.split(";")):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = cookie_value.strip()
        return r

    def submit(self, page: str, action: str, fields: dict, offer: str | None = None,
               plan: str | None = None) -> Response:
        values = form_fields(self.get(page), action, offer, plan)
        values.update(fields)
        return self.post(action, values)


def text_of(r: Response) -> str:
    return collapse(parse_html(r.text).text())


# ------------------------------------------------------------------- cases

class BillingTestCase(unittest.TestCase):
    """One server per class (test gateway unless `billing` says otherwise)."""

    billing: dict = {"gateway": "test", "grace_days": 3}
    paywall = {"anonymous_free": 1, "registered_free": 1, "period": "month"}
    counter = 0

    @classmethod
    def setUpClass(cls):
        cls.server = MastheadServer(
            clock=PINNED,
            tables={"accounts": {"secure_cookies": False}, "paywall": cls.paywall,
                    "billing": cls.billing})
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()
        cls.now = instant(PINNED)

    def advance_to(self, when: str):
        type(self).now = instant(when)
        self.server.set_clock(when)

    def new_email(self) -> str:
        type(self).counter += 1
        return f"reader{type(self).counter}.{type(self).__name__.lower()}@example.org"

    def registered(self) -> tuple:
        """A new account, signed in in a new browser: (browser, account id).
        The browser remembers its address for sign_in_again()."""
        b = Browser(self.server)
        address = self.new_email()
        r = b.submit("/register", "/register", {"email": address, "password": PASSWORD})
        self.assertEqual(r.status, 303, r.text)
        b.address = address
        with sqlite3.connect(self.server.db) as c:
            (account_id,) = c.execute("SELECT id FROM accounts WHERE email = ?",
                                      (address,)).fetchone()
        return b, account_id

    def sign_in_again(self, b: Browser):
        """After the clock moved by days, the session has timed out: log in."""
        r = b.submit("/login", "/login", {"email": b.address, "password": PASSWORD})
        self.assertEqual(r.status, 303, r.text)

    def subscriptions(self, account_id: int) -> list:
        with sqlite3.connect(self.server.db) as c:
            c.row_factory = sqlite3.Row
            return [dict(r) for r in c.execute(
                "SELECT * FROM subscriptions WHERE account_id = ? ORDER BY id", (account_id,))]

    def account_state(self, b: Browser) -> str:
        r = b.get("/account")
        self.assertEqual(r.status, 200, r.text)
        state = parse_html(r.text).find("p", cls="subscription-state")
        self.assertIsNotNone(state, "the account page has a subscription state")
        return state.clean_text()

    def assert_full_access(self, b: Browser, slug: str):
        v = View(b.get(DEMO[slug].path))
        self.assertEqual(v.status, 200)
        self.assertIsNone(v.meter, f"{slug}: no meter message for a subscriber")
        self.assertIsNone(v.wall, f"{slug}: no wall for a subscriber")
        body = normalize(v.body.text())
        for p in DEMO[slug].paragraphs:
            self.assertIn(p, body, f"{slug}: the whole text")

    def wall(self, b: Browser) -> tuple:
        """(wall kind, wall title, offer headline or None): reads metered
        articles until one ends in a wall (the reader may have free views
        left in this period; registered_free = 1)."""
        for slug in METERED[5:8]:
            v = View(b.get(DEMO[slug].path))
            self.assertEqual(v.status, 200)
            w = v.wall_element
            if w is not None:
                offer = w.find("p", cls="wall-offer")
                return v.wall, w.find("h2").clean_text(), offer.clean_text() if offer else None
        raise AssertionError("no wall after two metered articles")

    def exhaust_meter(self, b: Browser):
        """Reads free articles until the meter is spent (registered_free = 1)."""
        for slug in METERED[:2]:
            b.get(DEMO[slug].path)


# ------------------------------------------------------------------ /offers

class OffersPageTest(BillingTestCase):
    def test_offers_show_plans_prices_and_the_dated_offer(self):
        r = Browser(self.server).get("/offers")
        self.assertEqual(r.status, 200)
        self.assertIn("no-store", r.header("Cache-Control") or "")
        doc = parse_html(r.text)
        plans = {p.find("h2").clean_text(): p for p in doc.find_all("li", cls="plan")}
        self.assertEqual(set(plans), {"Digital monthly", "Digital annual"})
        monthly, annual = plans["Digital monthly"], plans["Digital annual"]
        self.assertEqual(monthly.find("p", cls="plan-price").clean_text(), "£9/month")
        self.assertEqual(annual.find("p", cls="plan-price").clean_text(), "£90/year")
        self.assertIn("the printed edition", annual.find("p", cls="plan-includes").clean_text())
        self.assertNotIn("printed", monthly.find("p", cls="plan-includes").clean_text())

        intro = monthly.find("div", cls="offer")
        self.assertIn("offer-featured", intro.classes, "the paywall's offer is featured")
        self.assertEqual(intro.find("p", cls="offer-terms").clean_text(),
                         "Your first month for £1, then £9/month")
        self.assertEqual(intro.find("p", cls="offer-ends").clean_text(),
                         "Offer ends 31 January 2027")
        trial = annual.find("div", cls="offer")
        self.assertEqual(trial.find("p", cls="offer-terms").clean_text(),
                         "14 days free, then £90/year")
        self.assertIsNone(trial.find("p", cls="offer-ends"), "an offer with no end shows none")
        self.assertNotIn("offer-featured", trial.classes)
        # A form per plan and per offer, with the CSRF token.
        self.assertEqual(form_fields(r, "/subscribe", "first-month")["plan"], "digital-monthly")
        self.assertEqual(form_fields(r, "/subscribe", "annual-trial")["plan"], "digital-annual")
        self.assertTrue(form_fields(r, "/subscribe")["csrf"])
        self.assertEqual(len(doc.find_all("form", action="/subscribe")), 4)

    def test_anonymous_readers_are_sent_to_register(self):
        b = Browser(self.server)
        r = b.submit("/offers", "/subscribe", {}, offer="first-month")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), "/register?next=/offers")

    def test_subscribe_needs_the_csrf_token_and_origin(self):
        b, account = self.registered()
        fields = form_fields(b.get("/offers"), "/subscribe", "first-month")
        forged = dict(fields, csrf="x" * len(fields["csrf"]))
        self.assertEqual(b.post("/subscribe", forged).status, 403)
        other = Browser(self.server, cookies=b.cookies)
        other.headers["Origin"] = "https://evil.example"
        self.assertEqual(other.post("/subscribe", fields).status, 403)
        self.assertEqual(self.subscriptions(account), [])

    def test_unknown_plans_and_offers_are_refused(self):
        b, account = self.registered()
        fields = form_fields(b.get("/offers"), "/subscribe", "first-month")
        r = b.post("/subscribe", dict(fields, offer="no-such-offer"))
        self.assertEqual(r.status, 400)
        self.assertIn("not available any more", text_of(r))
        r = b.post("/subscribe", dict(fields, offer="annual-trial"))  # not this plan's offer
        self.assertEqual(r.status, 400)
        self.assertEqual(self.subscriptions(account), [])

    def test_the_paywall_promotes_the_current_offer(self):
        b, _ = self.registered()
        self.exhaust_meter(b)
        kind, title, offer = self.wall(b)
        self.assertEqual(kind, "paywall")
        self.assertIsNotNone(offer)
        self.assertIn("Your first month for £1, then £9/month", offer)
        self.assertIn("Offer ends 31 January", offer)


class OfferEndTest(BillingTestCase):
    """The dated offer disappears by itself at its end (moves the clock)."""

    def test_the_dated_offer_disappears_at_its_end(self):
        b, _ = self.registered()
        self.exhaust_meter(b)
        self.advance_to("2027-01-31T23:59:59Z")
        self.sign_in_again(b)
        self.exhaust_meter(b)  # a new month
        self.assertIn("Offer ends 31 January", text_of(b.get("/offers")))
        self.assertIn("£1", self.wall(b)[2] or "")

        self.advance_to("2027-02-01T00:00:00Z")
        r = b.get("/offers")
        self.assertEqual(r.status, 200)
        page = text_of(r)
        self.assertNotIn("Your first month for £1", page)
        self.assertNotIn("Offer ends", page)
        self.assertIn("14 days free, then £90/year", page, "the undated offer stays")
        self.assertIn("£9/month", page, "the plan stays")
        kind, _, offer = self.wall(b)
        self.assertNotIn("£1", offer or "", "the wall no longer promotes the ended offer")
        # Posting the ended offer is refused.
        fields = form_fields(r, "/subscribe")
        r = b.post("/subscribe", dict(fields, plan="digital-monthly", offer="first-month"))
        self.assertEqual(r.status, 400)


# ------------------------------------------------------------ test gateway

class TestGatewayJourneyTest(BillingTestCase):
    """Paywall -> dated offer -> test checkout -> full access -> cancel ->
    past the period end -> expired (moves the clock)."""

    def test_subscribe_read_cancel_expire(self):
        b, account = self.registered()
        self.exhaust_meter(b)
        self.assertEqual(self.wall(b)[0], "paywall")
        self.assertEqual(self.account_state(b), "You have no subscription.")

        r = b.submit("/offers", "/subscribe", {}, offer="first-month")
        self.assertEqual(r.status, 303, r.text)
        location = r.header("Location")
        self.assertRegex(location, r"^/checkout/test/test_cs_[0-9a-f]{32}$")

        page = b.get(location)
        self.assertEqual(page.status, 200)
        text = text_of(page)
        self.assertIn("Test checkout — no real payment is taken.", text)
        self.assertIn("4242 4242 4242 4242", text)
        self.assertIn("4000 0000 0000 0002", text)
        self.assertIn("Your first month for £1, then £9/month", text)
        self.assertIn('<label for="checkout-card">', page.text)
        self.assertIn("Pay £1 and subscribe", page.text)

        # Another reader cannot see or pay this checkout.
        stranger, _ = self.registered()
        self.assertEqual(stranger.get(location).status, 404)

        declined = b.submit(location, location, {"card": "4000 0000 0000 0002"})
        self.assertEqual(declined.status, 402)
        self.assertIn("Your card was declined", text_of(declined))
        self.assertEqual(self.subscriptions(account), [])
        not_a_test_card = b.submit(location, location, {"card": "5555 5555 5555 4444"})
        self.assertEqual(not_a_test_card.status, 400)
        self.assertEqual(self.subscriptions(account), [])

        paid = b.submit(location, location, {"card": "4242 4242 4242 4242"})
        self.assertEqual(paid.status, 303, paid.text)
        self.assertEqual(paid.header("Location"), "/subscribe/done")
        done = text_of(b.get("/subscribe/done"))
        for fact in ("Charged today £1", "Offer Your first month for £1, then £9/month",
                     "Next payment 2 January 2027"):
            self.assertIn(fact, done)
        subs = self.subscriptions(account)
        self.assertEqual(len(subs), 1)
        self.assertEqual((subs[0]["gateway"], subs[0]["state"], subs[0]["offer_code"]),
                         ("test", "active", "first-month"))
        with sqlite3.connect(self.server.db) as c:
            events = c.execute("SELECT event_id FROM payment_events WHERE gateway = 'test'"
                               ).fetchall()
        self.assertEqual(len(events), 1)
        self.assertRegex(events[0][0], r"^test_evt_[0-9a-f]{32}$")
        # Paying again: the checkout is gone.
        self.assertEqual(b.get(location).status, 404)

        self.assertEqual(self.account_state(b), "Active — renews on 2 January 2027")
        for slug in METERED[:5]:
            self.assert_full_access(b, slug)

        # Subscribed already: told so on /offers, and no second checkout.
        offers = b.get("/offers")
        self.assertIn("You already have full access", text_of(offers))
        self.assertNotIn('action="/subscribe"', offers.text)
        again = b.post("/subscribe", {**form_fields(b.get("/account"), "/account/plan"),
                                      "plan": "digital-annual"})
        self.assertEqual((again.status, again.header("Location")),
                         (303, "/account?notice=already-subscribed"))

        # Change plan, cancel, resume, cancel: each shown on the account page.
        r = b.submit("/account", "/account/plan", {"plan": "digital-annual"})
        self.assertEqual(r.status, 303, r.text)
        detail = parse_html(b.get("/account").text).find("p", cls="subscription-detail")
        self.assertIn("Digital annual", detail.clean_text())
        self.assertIn('href="/account/cancel"', b.get("/account").text)
        confirm = b.get("/account/cancel")
        self.assertIn("Cancel your subscription?", text_of(confirm))
        r = b.submit("/account/cancel", "/account/cancel", {})
        self.assertEqual((r.status, r.header("Location")), (303, "/account?notice=cancelled"))
        self.assertEqual(self.account_state(b), "Cancelled — access until 2 January 2027")
        resumed = b.submit("/account", "/account/resume", {})  # the form is there now
        self.assertEqual(resumed.status, 303)
        self.assertEqual(self.account_state(b), "Active — renews on 2 January 2027")
        self.assertEqual(b.submit("/account/cancel", "/account/cancel", {}).status, 303)
        twice = b.post("/account/cancel", form_fields(b.get("/account"), "/account/resume"))
        self.assertEqual(twice.status, 409, "cancelling twice is refused")
        self.assert_full_access(b, METERED[0])

        # Just before the period end: still reading. At it: expired.
        self.advance_to("2027-01-02T09:59:59Z")
        self.sign_in_again(b)
        self.assert_full_access(b, METERED[1])
        self.advance_to("2027-01-02T10:00:00Z")
        kind, title, offer = self.wall(b)
        self.assertEqual((kind, title), ("expired", EXPIRED_TITLE))
        self.assertEqual(self.account_state(b), EXPIRED_TITLE)


# ------------------------------------------------------------ private feed

FEED_PATH = re.compile(r"^/private/[1-9][0-9]*\.[0-9]+\.[A-Za-z0-9_-]{43}/(feed\.xml|atom\.xml|feed\.json)$")


class PrivateFeedTest(BillingTestCase):
    def feed_paths(self, b: Browser) -> dict:
        """The private feed's addresses on the account page, as paths, by format."""
        r = b.get("/account")
        self.assertEqual(r.status, 200)
        paths = {}
        for i in parse_html(r.text).find_all("input"):
            if (i.get("id") or "").startswith("private-feed-"):
                url = i.get("value")
                self.assertTrue(url.startswith(BASE_URL + "/private/"), url)
                paths[i.get("id")[len("private-feed-"):]] = url[len(BASE_URL):]
        return paths

    def items(self, path: str) -> dict:
        """A JSON Feed's items as {article path: text of content_html}, read
        with no cookie at all: the address is the credential."""
        r = self.server.get(path)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.header("Cache-Control"), "private, no-cache")
        self.assertEqual(r.header("X-Robots-Tag"), "noindex")
        self.assertEqual(r.header("Referrer-Policy"), "no-referrer")
        feed = json.loads(r.text)
        return {item["url"][len(BASE_URL):]: normalize(parse_html(item["content_html"]).text())
                for item in feed["items"]}

    def meter_rows(self, account: int) -> int:
        with sqlite3.connect(self.server.db) as c:
            return c.execute("SELECT count(*) FROM meter_views WHERE reader = ?",
                             (f"acct:{account}",)).fetchone()[0]

    def test_the_private_feed_follows_the_subscription_and_a_new_address_revokes_the_old(self):
        b, account = self.registered()
        paths = self.feed_paths(b)
        self.assertEqual(set(paths), {"rss", "atom", "json"})
        for path in paths.values():
            self.assertRegex(path, FEED_PATH)
        self.assertEqual(self.feed_paths(b), paths, "the same address on every visit")

        # Without full access: what the public feed carries, and nothing metered.
        before = self.meter_rows(account)
        items = self.items(paths["json"])
        metered = [s for s in METERED if DEMO[s].path in items]
        self.assertTrue(metered, "the site feed lists metered demo articles")
        public = self.items_public()
        for slug in metered:
            self.assertNotIn(normalize(DEMO[slug].paragraphs[-1]), items[DEMO[slug].path], slug)
            self.assertEqual(items[DEMO[slug].path], public[DEMO[slug].path], slug)
        self.assertEqual(self.meter_rows(account), before, "reading the feed counts no view")

        # With full access (a trial): whole articles; the public feed unchanged.
        r = b.submit("/offers", "/subscribe", {}, offer="annual-trial")
        self.assertEqual(r.status, 303, r.text)
        items = self.items(paths["json"])
        for slug in metered:
            for paragraph in DEMO[slug].paragraphs:
                self.assertIn(normalize(paragraph), items[DEMO[slug].path], slug)
        self.assertEqual(self.items_public(), public)
        for kind in ("rss", "atom"):
            r = self.server.get(paths[kind])
            self.assertEqual(r.status, 200)
            root = ET.fromstring(r.decoded)
            self.assertIn(normalize(DEMO[metered[0]].paragraphs[-1]),
                          normalize(ET.tostring(root, encoding="unicode", method="text")), kind)
        # Conditional GET works on the private feed too.
        r = self.server.get(paths["json"])
        again = self.server.get(paths["json"], {"If-None-Match": r.header("ETag")})
        self.assertEqual(again.status, 304)

        # A forged signature, another account's id with this signature: 404.
        token = paths["json"].split("/")[2]
        ident, generation, signature = token.split(".")
        other = signature[:-1] + ("A" if signature[-1] != "A" else "B")
        for forged in (f"{ident}.{generation}.{other}", f"{int(ident) + 1}.{generation}.{signature}",
                       f"{ident}.{int(generation) + 1}.{signature}", "nonsense", "1.0." + "A" * 43):
            r = self.server.get(f"/private/{forged}/feed.json")
            self.assertEqual(r.status, 404, forged)
            self.assertNotIn(normalize(DEMO[metered[0]].paragraphs[-1]), normalize(r.text))

        # A new address: the old one stops working at once.
        r = b.submit("/account", "/account/feed", {})
        self.assertEqual(r.status, 303, r.text)
        self.assertEqual(r.header("Location"), "/account?notice=feed-renewed")
        self.assertIn("Your private feed has a new address.", text_of(b.get(r.header("Location"))))
        renewed = self.feed_paths(b)
        self.assertNotEqual(renewed, paths)
        for kind, path in paths.items():
            self.assertEqual(self.server.get(path).status, 404, kind)
            self.assertEqual(self.server.get(renewed[kind]).status, 200, kind)

        # Deleting the account ends its feed.
        r = b.submit("/account", "/account/delete", {"current_password": PASSWORD})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.server.get(renewed["json"]).status, 404)

    def items_public(self) -> dict:
        r = self.server.get("/feed.json")
        self.assertEqual(r.status, 200)
        return {item["url"][len(BASE_URL):]: normalize(parse_html(item["content_html"]).text())
                for item in json.loads(r.text)["items"]}

    def test_the_account_page_needs_a_session_and_the_address_is_not_on_public_pages(self):
        self.assertEqual(Browser(self.server).get("/account").status, 303)
        b, _ = self.registered()
        token = self.feed_paths(b)["json"].split("/")[2]
        for page in ("/", "/offers", DEMO[METERED[0]].path, "/feed.xml"):
            self.assertNotIn(token, b.get(page).text, page)

# ------------------------------------------------------------------- trials

class TrialJourneyTest(BillingTestCase):
    def test_trial_then_expired(self):
        b, account = self.registered()
        r = b.submit("/offers", "/subscribe", {}, offer="annual-trial")
        self.assertEqual(r.status, 303, r.text)
        self.assertEqual(r.header("Location"), "/subscribe/done")
        self.assertIn("Trial ends 16 December 2026", text_of(b.get("/subscribe/done")))
        self.assertEqual(self.account_state(b), "Trial — ends on 16 December 2026")
        for slug in METERED[:4]:
            self.assert_full_access(b, slug)

        # Once per reader; and a trial makes the reader no longer new.
        again = b.submit("/offers", "/subscribe", {"offer": "annual-trial",
                                                    "plan": "digital-annual"})
        self.assertEqual(again.status, 409)
        self.assertIn("already had a trial", text_of(again))
        intro = b.submit("/offers", "/subscribe", {"offer": "first-month",
                                                    "plan": "digital-monthly"})
        self.assertEqual(intro.status, 409)
        self.assertIn("new subscribers only", text_of(intro))
        offers = parse_html(b.get("/offers").text)
        self.assertIsNone(offers.find("input", name="offer", value="annual-trial"),
                          "no trial form for a reader who had one")
        self.assertEqual(len(self.subscriptions(account)), 1)

        self.advance_to("2026-12-16T09:59:59Z")
        self.sign_in_again(b)
        self.assert_full_access(b, METERED[0])
        self.advance_to("2026-12-16T10:00:00Z")
        kind, title, _ = self.wall(b)
        self.assertEqual((kind, title), ("trial-expired", TRIAL_EXPIRED_TITLE))
        self.assertEqual(self.account_state(b), TRIAL_EXPIRED_TITLE)


class HeaderTest(BillingTestCase):
    """The header's reader links follow the reader, and only an anonymous
    reader's pages are the shared cached ones."""

    def links(self, r):
        nav = parse_html(r.text).find("nav", cls="reader-links")
        return [e.clean_text() for e in nav.find_all("a") + nav.find_all("button")]

    def test_the_header_follows_the_reader(self):
        anonymous = Browser(self.server)
        front = anonymous.get("/")
        self.assertEqual(self.links(front), ["Subscribe", "Account"])
        self.assertIn("public", front.header("Cache-Control"))
        self.assertTrue(front.header("ETag"))

        b, _ = self.registered()
        for path in ("/", "/world", "/offers", "/account", "/search?q=port"):
            r = b.get(path)
            self.assertEqual(self.links(r), ["Subscribe", "Account", "Log out"], path)
            self.assertRegex(r.header("Cache-Control"), "private|no-store", path)
        self.assertIsNone(b.get("/").header("ETag"), "a personal page has no shared validator")

        # The header's "Log out" is a working form.
        r = b.submit("/", "/logout", {})
        self.assertEqual((r.status, r.header("Location")), (303, "/login?notice=logged-out"))
        self.assertEqual(self.links(b.get("/")), ["Subscribe", "Account"])

        b, _ = self.registered()
        r = b.submit("/offers", "/subscribe", {}, offer="annual-trial")
        self.assertEqual(r.status, 303, r.text)
        for path in ("/", "/account", "/offers"):
            self.assertEqual(self.links(b.get(path)), ["Account", "Log out"],
                             f"a reader with full access is not asked to subscribe ({path})")
        self.assertEqual(self.links(anonymous.get("/")), ["Subscribe", "Account"],
                         "the cached page is still the anonymous one")


class ParallelTrialTest(BillingTestCase):
    def test_twenty_parallel_trial_starts_make_one_trial(self):
        b, account = self.registered()
        fields = form_fields(b.get("/offers"), "/subscribe", "annual-trial")
        results = []
        barrier = threading.Barrier(20)

        def start():
            mine = Browser(self.server, cookies=dict(b.cookies))
            barrier.wait()
            results.append(mine.post("/subscribe", fields).status)

        threads = [threading.Thread(target=start) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [303] + [409] * 19)
        with sqlite3.connect(self.server.db) as c:
            (trials,) = c.execute("SELECT count(*) FROM trials WHERE account_id = ?",
                                  (account,)).fetchone()
        self.assertEqual(trials, 1)
        self.assertEqual(len(self.subscriptions(account)), 1)


# ------------------------------------------------------------------- Stripe

class StripeNotConfiguredTest(BillingTestCase):
    def test_the_webhook_is_404_without_stripe(self):
        body = json.dumps(fake_stripe.event("invoice.paid", {}, 1795000000)).encode()
        r = self.server.request("POST", "/webhooks/stripe", {
            "Content-Type": "application/json",
            "Stripe-Signature": fake_stripe.sign(body, WEBHOOK_SECRET, 1795000000)}, body=body)
        self.assertEqual(r.status, 404)


class StripeWebhookTest(BillingTestCase):
    @classmethod
    def setUpClass(cls):
        cls.stripe = fake_stripe.FakeStripe(secret_key=STRIPE_KEY).start()
        cls.addClassCleanup(cls.stripe.stop)
        cls.billing = {"gateway": "stripe", "stripe_secret_key": STRIPE_KEY,
                       "stripe_webhook_secret": WEBHOOK_SECRET,
                       "stripe_api_base": cls.stripe.api_base,
                       "stripe_prices": ["digital-monthly=price_monthly",
                                         "digital-annual=price_annual"]}
        super().setUpClass()

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/webhooks/stripe"

    @property
    def unix_now(self) -> int:
        return int(self.now.timestamp())

    def send(self, event: dict, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
        return self.stripe.send_event(self.webhook_url, secret, event=event,
                                      timestamp=self.unix_now if timestamp is None else timestamp)

    def events(self) -> int:
        with sqlite3.connect(self.server.db) as c:
            return c.execute("SELECT count(*) FROM payment_events").fetchone()[0]

    def subscribed(self) -> tuple:
        """A reader who paid through the fake Stripe: (browser, account, Stripe subscription)."""
        b, account = self.registered()
        r = b.submit("/offers", "/subscribe", {}, plan="digital-monthly")  # no offer
        self.assertEqual(r.status, 303, r.text)
        m = re.search(r"/(cs_test_[0-9a-f]+)$", r.header("Location") or "")
        self.assertIsNotNone(m, r.header("Location"))
        done = self.stripe.complete_checkout(m.group(1), self.webhook_url, WEBHOOK_SECRET,
                                             now=self.unix_now, timestamp=self.unix_now)
        self.assertEqual([a["status"] for a in done["answers"]], [200, 200, 200], done["answers"])
        return b, account, done["subscription"]

    def test_checkout_webhooks_apply(self):
        b, account, sub = self.subscribed()
        subs = self.subscriptions(account)
        self.assertEqual(len(subs), 1)
        self.assertEqual((subs[0]["gateway"], subs[0]["gateway_subscription_id"], subs[0]["state"]),
                         ("stripe", sub["id"], "active"))
        self.assertEqual(self.account_state(b), "Active — renews on 1 January 2027")
        self.assert_full_access(b, METERED[0])

    def test_a_bad_signature_is_400_and_changes_nothing(self):
        b, account, sub = self.subscribed()
        before, events = self.subscriptions(account), self.events()
        update = fake_stripe.event("customer.subscription.updated",
                                   dict(sub, status="past_due"), self.unix_now + 1)
        for kw in ({"secret": "whsec_wrong"},
                   {"timestamp": self.unix_now - 301},   # too old
                   {"timestamp": self.unix_now + 60}):   # from the future
            answer = self.send(update, **kw)
            self.assertEqual(answer["status"], 400, (kw, answer["body"]))
        body = json.dumps(update).encode()
        tampered = body.replace(b"past_due", b"canceled")
        status, _ = fake_stripe.post_event(self.webhook_url, tampered,
                                           fake_stripe.sign(body, WEBHOOK_SECRET, self.unix_now))
        self.assertEqual(status, 400)
        status, _ = fake_stripe.post_event(self.webhook_url, body, "")
        self.assertEqual(status, 400)
        self.assertEqual(self.subscriptions(account), before)
        self.assertEqual(self.events(), events)

    def test_a_replay_changes_nothing(self):
        b, account, sub = self.subscribed()
        cancel = fake_stripe.event("customer.subscription.updated",
                                   dict(sub, cancel_at_period_end=True), self.unix_now + 1)
        first = self.send(cancel)
        self.assertEqual((first["status"], first["body"].strip()), (200, "applied"))
        after_first, events = self.subscriptions(account), self.events()
        again = self.send(cancel)
        self.assertEqual((again["status"], again["body"].strip()), (200, "duplicate"))
        self.assertEqual(self.subscriptions(account), after_first)
        self.assertEqual(self.events(), events)
        self.assertEqual(self.account_state(b), "Cancelled — access until 1 January 2027")

    def test_an_older_event_after_a_newer_one_does_not_regress(self):
        b, account, sub = self.subscribed()
        newer = fake_stripe.event("customer.subscription.updated",
                                  dict(sub, cancel_at_period_end=True), self.unix_now + 20)
        older = fake_stripe.event("customer.subscription.updated",
                                  dict(sub, status="past_due"), self.unix_now + 10)
        self.assertEqual(self.send(newer)["status"], 200)
        answer = self.send(older)
        self.assertEqual(answer["status"], 200)
        self.assertTrue(answer["body"].startswith("stale"), answer["body"])
        subs = self.subscriptions(account)
        self.assertEqual((subs[0]["state"], subs[0]["cancel_at_period_end"]), ("active", 1))
        self.assertEqual(self.account_state(b), "Cancelled — access until 1 January 2027")

    def test_a_webhook_that_fails_midway_is_retried_and_applied_once(self):
        b, account, sub = self.subscribed()
        # The event's subscription write happens, then recording the event fails.
        with sqlite3.connect(self.server.db) as c:
            c.execute("CREATE TRIGGER fail_midway BEFORE INSERT ON payment_events "
                      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
        cancel = fake_stripe.event("customer.subscription.updated",
                                   dict(sub, cancel_at_period_end=True), self.unix_now + 1)
        before, events = self.subscriptions(account), self.events()
        try:
            failed = self.send(cancel)
        finally:
            with sqlite3.connect(self.server.db) as c:
                c.execute("DROP TRIGGER fail_midway")
        self.assertEqual(failed["status"], 500, failed["body"])
        self.assertEqual(self.subscriptions(account), before, "nothing of it stayed")
        self.assertEqual(self.events(), events)
        retried = self.send(cancel)
        self.assertEqual((retried["status"], retried["body"].strip()), (200, "applied"))
        self.assertEqual(self.send(cancel)["body"].strip(), "duplicate")
        self.assertEqual(self.events(), events + 1)
        self.assertEqual(self.subscriptions(account)[0]["cancel_at_period_end"], 1)

    def test_cancel_asks_stripe_and_changes_nothing_until_its_event(self):
        b, account, sub = self.subscribed()
        r = b.submit("/account/cancel", "/account/cancel", {})
        self.assertEqual(r.status, 303, r.text)
        asked = [q for q in self.stripe.requests()
                 if q["method"] == "POST" and q["path"] == f"/v1/subscriptions/{sub['id']}"]
        self.assertEqual(len(asked), 1)
        self.assertIn(["cancel_at_period_end", "true"], asked[0]["form"])
        # Stripe's event decides.
        self.assertEqual(self.account_state(b), "Active — renews on 1 January 2027")
        self.send(fake_stripe.event("customer.subscription.updated",
                                    dict(sub, cancel_at_period_end=True), self.unix_now + 1))
        self.assertEqual(self.account_state(b), "Cancelled — access until 1 January 2027")


if __name__ == "__main__":
    unittest.main()
