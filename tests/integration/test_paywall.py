"""Integration tests of the metered paywall: the real `masthead` binary, its
reader cookie, its meter in SQLite, its crawler check, all over HTTP.

Each class starts its own server(s) with the [paywall] / [crawlers] / [server]
settings it needs, usually with `--clock-file` pinned to PINNED so that no
test can straddle the end of a metering period (the clock tests move it on
purpose). Expectations come from the demo articles' Markdown sources and the
message texts in locales/en.toml and locales/ja.toml, not from the server.

Readers are `Reader`s from masthead_server.py: a cookie jar per browser.
Crawlers are told apart by the connection's address only; the tests connect
from 127.0.0.2 (`source_address`) to the server on 127.0.0.1, and from other
127.x.y.z addresses to stand for other networks (the network budget counts
per /24).

Run from tests/integration:
    MASTHEAD_BIN=../../build/masthead python3 -m unittest -v test_paywall
"""
from __future__ import annotations

import base64
import http.client
import json
import random
import re
import tempfile
import threading
import unittest
import urllib.parse

from masthead_server import (BASE_URL, SITE_NAME, TEST_SVG, MastheadServer, Reader, Response,
                             load_demo_articles, media_path, normalize, parse_html, slugify,
                             write_article)

DEMO = load_demo_articles()
SPONSORED = sorted(s for s, a in DEMO.items() if a.sponsored_by)
FREE = sorted(s for s, a in DEMO.items() if not a.sponsored_by and a.fields.get("free") == "true")
METERED = sorted(s for s in DEMO if s not in SPONSORED and s not in FREE)

# A Wednesday in ISO week 2026-W49, after every demo article's publication.
PINNED = "2026-12-02T10:00:00Z"
CRAWLER = "127.0.0.2"  # the address the crawler tests configure in [crawlers] ranges
ONE_YEAR = 365 * 24 * 3600
COOKIE_VALUE = re.compile(r"1\.(\d+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)")

# locales/en.toml [paywall], as a reader sees them.
PERIOD_WORDS = {"month": "this month", "week": "this week", "day": "today"}
PERIOD_FOR = {"month": "for this month", "week": "for this week", "day": "for today"}
PERIOD_A = {"month": "a month", "week": "a week", "day": "a day"}


def left_en(n: int, period: str = "month") -> str:
    w = PERIOD_WORDS[period]
    if n == 0:
        return f"You have no free articles left {w}"
    return f"You have {n} free article{'' if n == 1 else 's'} left {w}"


def last_en(period: str = "month") -> str:
    return f"This is your last free article {PERIOD_WORDS[period]}"


def meters_en(limit: int, period: str = "month") -> list:
    """The meter messages of views 1..limit: N-1 left, ..., 1 left, last."""
    return [left_en(limit - i, period) for i in range(1, limit)] + [last_en(period)]


# ------------------------------------------------------------------ reading

class View:
    """One article response as a reader sees it."""

    def __init__(self, response: Response):
        self.response = response
        self.doc = parse_html(response.text) if response.body else None

    @property
    def status(self):
        return self.response.status

    @property
    def meter(self) -> str | None:
        # A live region: <div role=status>. (ARIA in HTML does not allow
        # role=status on <aside>; axe's aria-allowed-role reports it.)
        meters = [e for e in self.doc.iter() if "meter" in e.classes]
        if not meters:
            return None
        if len(meters) != 1 or meters[0].tag != "div" or meters[0].get("role") != "status":
            raise AssertionError(f"one <div class=meter role=status>, got {meters}")
        return meters[0].find("p").clean_text()

    @property
    def wall_element(self):
        walls = self.doc.find_all("section", cls="wall")
        if len(walls) > 1:
            raise AssertionError(f"more than one wall: {walls}")
        return walls[0] if walls else None

    @property
    def wall(self) -> str | None:
        """"register", "paywall", ... (the wall-KIND class), or None."""
        w = self.wall_element
        if w is None:
            return None
        kinds = [c[len("wall-"):] for c in w.classes if c.startswith("wall-")]
        if len(kinds) != 1:
            raise AssertionError(f"a wall has one wall-KIND class: {w.classes}")
        return kinds[0]

    @property
    def body(self):
        bodies = self.doc.find_all("div", cls="article-body")
        if len(bodies) != 1:
            raise AssertionError(f"one div.article-body, got {len(bodies)}")
        return bodies[0]

    @property
    def paragraphs(self) -> list:
        return [normalize(p.text()) for p in self.body.find_all("p")]

    @property
    def ld(self) -> dict:
        scripts = self.doc.find_all("script", type="application/ld+json")
        if len(scripts) != 1:
            raise AssertionError(f"one JSON-LD script, got {len(scripts)}")
        return json.loads(scripts[0].text(skip=()))

    @property
    def cookie(self) -> str | None:
        cookies = self.response.header_all("Set-Cookie")
        if len(cookies) > 1:
            raise AssertionError(f"more than one Set-Cookie: {cookies}")
        return cookies[0] if cookies else None

    def summary(self) -> tuple:
        """(meter, wall) for compact expectations."""
        return self.meter, self.wall


def cookie_parts(set_cookie: str) -> tuple:
    """'reader=V; Path=/; Max-Age=...' -> ('reader', 'V', {'path': '/', ...})."""
    first, *attrs = [p.strip() for p in set_cookie.split(";")]
    name, _, value = first.partition("=")
    attributes = {}
    for a in attrs:
        k, _, v = a.partition("=")
        attributes[k.lower()] = v
    return name, value, attributes


def reader_id(cookie_value: str) -> bytes:
    """The 16 identity bytes at the start of a cookie's payload
    ("1.<key id>.<base64url payload>.<base64url tag>", see reader_token.h)."""
    m = COOKIE_VALUE.fullmatch(cookie_value)
    if not m:
        raise AssertionError(f"cookie value not in the 1.<key>.<payload>.<tag> form: {cookie_value!r}")
    payload = m.group(2)
    return base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))[:16]


def edit_char(s: str, i: int) -> str:
    """s with its i-th character replaced by another base64url character."""
    return s[:i] + ("B" if s[i] != "B" else "C") + s[i + 1:]


# =================================================================== base

class PaywallTestCase(unittest.TestCase):
    """One server per class, stopped gracefully (exit code 0) at the end."""

    site: dict = {}
    server_options: dict = {}
    tables: dict = {}
    clock: str | None = PINNED

    @classmethod
    def make_server(cls, site=None, server=None, tables=None, clock=PINNED) -> MastheadServer:
        s = MastheadServer(site=site, server=server, tables=tables, clock=clock)
        cls.addClassCleanup(s.cleanup)
        s.start()
        return s

    @classmethod
    def setUpClass(cls):
        cls.server = cls.make_server(cls.site, cls.server_options, cls.tables, cls.clock)
        cls.servers = [cls.server]

    @classmethod
    def tearDownClass(cls):
        for s in cls.servers:
            code = s.stop()
            if code != 0:
                raise AssertionError(f"masthead serve exited with {code} after SIGTERM, want 0; "
                                     f"stderr:\n{s.stderr()}")

    # -- helpers

    def reader(self, server=None, **kw) -> Reader:
        return Reader(server or self.server, **kw)

    def view(self, reader: Reader, slug: str, print_view: bool = False, headers=None) -> View:
        path = DEMO[slug].path + ("/print" if print_view else "")
        r = reader.get(path, headers)
        self.assertEqual(r.status, 200, f"GET {path}")
        self.assertEqual(r.header("Content-Type"), "text/html; charset=utf-8", path)
        return View(r)

    def assert_full(self, v: View, slug: str, lead: int = 1, paywalled: bool = True):
        """The whole body, in source order; for a metered article the part
        after the lead-in is inside div.paywalled-content."""
        a = DEMO[slug]
        text = normalize(v.body.text())
        at = 0
        for p in a.paragraphs:
            found = text.find(p, at)
            self.assertGreaterEqual(found, 0, f"{slug}: body paragraph missing or out of order: {p[:60]!r}")
            at = found + len(p)
        boxes = v.body.find_all("div", cls="paywalled-content")
        if not paywalled:
            self.assertEqual(boxes, [], f"{slug}: no paywall markup on a free or sponsored article")
            return
        self.assertEqual(len(boxes), 1, f"{slug}: the paywalled part is in one div.paywalled-content")
        inside = [normalize(p.text()) for p in boxes[0].find_all("p")]
        outside = [p for p in v.paragraphs if p not in inside]
        self.assertEqual(outside, a.paragraphs[:lead], f"{slug}: the lead-in stays outside the box")
        self.assertEqual(inside[0], a.paragraphs[lead], f"{slug}: the box starts after the lead-in")

    def assert_lead_in(self, v: View, slug: str, lead: int = 1):
        """Exactly `lead` paragraphs of the source, and none of the rest
        anywhere in the response (withheld, not hidden)."""
        a = DEMO[slug]
        children = [c for c in v.body.children if not isinstance(c, str)]
        self.assertEqual([c.tag for c in children], ["p"] * lead,
                         f"{slug}: the lead-in is {lead} paragraph(s) and nothing else")
        self.assertEqual(v.paragraphs, a.paragraphs[:lead], f"{slug}: the lead-in is the source's")
        self.assertIsNone(v.doc.find("div", cls="paywalled-content"))
        page = normalize(v.doc.text(skip=()))
        for p in a.paragraphs[lead:]:
            self.assertNotIn(p[:60], page, f"{slug}: withheld text in the response")

    def assert_metered_headers(self, r: Response, vary: str = "Accept-Encoding, Cookie"):
        self.assertEqual(r.header("Cache-Control"), "private, no-cache")
        self.assertEqual(r.header("Vary"), vary)
        self.assertIsNone(r.header("ETag"), "a page made for one reader has no ETag")

    def assert_public_headers(self, r: Response, vary: str = "Accept-Encoding"):
        self.assertEqual(r.header("Cache-Control"), "public, max-age=60")
        self.assertEqual(r.header("Vary"), vary)
        self.assertTrue((r.header("ETag") or "").startswith('"'), "free pages keep their ETag")
        self.assertEqual(r.header_all("Set-Cookie"), [], "no cookie for a page everyone gets")

    def journey(self, reader, slugs, expected, lead=1, print_view=False):
        """Views `slugs` in order; `expected` is [(meter, wall)]; checks the
        body of each (full when there is no wall, else the lead-in)."""
        views = []
        for slug, want in zip(slugs, expected, strict=True):
            v = self.view(reader, slug, print_view)
            with self.subTest(slug=slug, want=want):
                self.assertEqual(v.summary(), want)
                if want[1] is None:
                    self.assert_full(v, slug, lead)
                else:
                    self.assert_lead_in(v, slug, lead)
            views.append(v)
        return views


# ============================================================ the meter

class DefaultMeterTest(PaywallTestCase):
    """No [paywall] table: 5 free articles a month, then the registration
    wall, one paragraph of lead-in."""

    def test_journey_five_free_articles_then_the_registration_wall(self):
        r = self.reader()
        a = METERED[:7]
        expected = [(m, None) for m in meters_en(5)] + [(None, "register")]
        self.assertEqual([e[0] for e in expected[:5]], [
            "You have 4 free articles left this month", "You have 3 free articles left this month",
            "You have 2 free articles left this month", "You have 1 free article left this month",
            "This is your last free article this month"])
        views = self.journey(r, a[:6], expected)
        wall = views[5].wall_element
        self.assertEqual(wall.find("h2").clean_text(), "Register to keep reading")
        self.assertEqual(wall.find("p", cls="wall-body").clean_text(),
                         "You have read your free articles for this month. "
                         "Register for free to read 5 more articles this month "
                         "(10 a month in all).")
        walled = DEMO[a[5]].path
        self.assertEqual([(l.get("href"), l.clean_text()) for l in wall.find_all("a")],
                         [("/register?next=" + urllib.parse.quote(walled, safe=""),
                           "Register for free"), ("/login", "Already registered? Log in")])
        # Rereads are free, also after the wall; the wall stays for new articles.
        for slug in (a[0], a[4], a[2]):
            v = self.view(r, slug)
            self.assertEqual(v.summary(), (left_en(0), None), f"reread {slug}")
            self.assert_full(v, slug)
        for slug in (a[5], a[6]):
            v = self.view(r, slug)
            self.assertEqual(v.summary(), (None, "register"), slug)
            self.assert_lead_in(v, slug)
        # The print view: the same decision, the wall but never a meter message.
        v = self.view(r, a[1], print_view=True)
        self.assertEqual(v.summary(), (None, None))
        self.assert_full(v, a[1])
        v = self.view(r, a[6], print_view=True)
        self.assertEqual(v.summary(), (None, "register"))
        self.assert_lead_in(v, a[6])

    def test_rereads_cost_nothing(self):
        r = self.reader()
        a = METERED[7:12]
        steps = [(a[0], left_en(4)), (a[0], left_en(4)), (a[0], left_en(4)), (a[1], left_en(3)),
                 (a[0], left_en(3)), (a[1], left_en(3)), (a[2], left_en(2)), (a[0], left_en(2))]
        for slug, want in steps:
            v = self.view(r, slug)
            self.assertEqual(v.summary(), (want, None), slug)
            self.assert_full(v, slug)
        # Printing an article already read costs nothing either.
        self.assertEqual(self.view(r, a[2], print_view=True).summary(), (None, None))
        self.assertEqual(self.view(r, a[3]).meter, left_en(1))
        self.assertEqual(self.view(r, a[4]).meter, last_en())

    def test_head_answers_like_get_and_takes_no_view(self):
        r = self.reader()
        a = METERED[15:18]
        self.assertEqual(self.view(r, a[0]).meter, left_en(4))
        jar = dict(r.cookies)
        for slug in (a[1], a[1], a[2]):
            h = r.head(DEMO[slug].path)
            self.assertEqual(h.status, 200)
            self.assertEqual(h.body, b"")
            self.assertEqual(h.header_all("Set-Cookie"), [], "HEAD issues no cookie")
            self.assertEqual(h.header("Cache-Control"), "private, no-cache")
        self.assertEqual(r.cookies, jar)
        self.assertEqual(self.view(r, a[1]).meter, left_en(3), "the HEADs took no view")
        self.assertEqual(self.view(r, a[2]).meter, left_en(2))

    def test_print_view_of_a_new_article_counts_without_a_message(self):
        r = self.reader()
        a = METERED[12:15]
        v = self.view(r, a[0], print_view=True)
        self.assertEqual(v.summary(), (None, None))
        self.assert_full(v, a[0])
        self.assertEqual(self.view(r, a[1]).meter, left_en(3), "the print view was counted")
        self.assertEqual(self.view(r, a[0]).meter, left_en(3), "and is a reread now")

    def test_metered_response_headers_and_cookie(self):
        slug = METERED[0]
        r = self.reader()
        first = r.get(DEMO[slug].path)
        self.assertEqual(first.status, 200)
        self.assert_metered_headers(first)
        name, value, attrs = cookie_parts(View(first).cookie)
        self.assertEqual(name, "reader", "http base_url: no __Host- prefix")
        self.assertRegex(value, COOKIE_VALUE)
        self.assertEqual(COOKIE_VALUE.fullmatch(value).group(1), "1", "signed with key 1")
        self.assertEqual(attrs, {"path": "/", "max-age": str(ONE_YEAR), "httponly": "",
                                 "samesite": "Lax"})
        # Every cookieless request is a new reader with a new identity.
        others = [reader_id(cookie_parts(View(self.server.get(DEMO[slug].path)).cookie)[1])
                  for _ in range(3)]
        self.assertEqual(len(set(others + [reader_id(value)])), 4, "fresh random ids")
        # gzip: the same page, compressed; also for the print view.
        for path in (DEMO[slug].path, DEMO[slug].path + "/print"):
            plain = r.get(path)
            zipped = r.get(path, {"Accept-Encoding": "gzip"})
            self.assertEqual(zipped.header("Content-Encoding"), "gzip", path)
            self.assertIsNone(plain.header("Content-Encoding"), path)
            self.assertEqual(zipped.decoded, plain.body, path)
            self.assert_metered_headers(zipped)
            self.assert_metered_headers(plain)
        # A conditional request cannot turn a personal page into a 304.
        again = r.get(DEMO[slug].path, {"If-None-Match": '"anything"', "If-Modified-Since":
                                        "Sun, 29 Nov 2026 00:00:00 GMT"})
        self.assertEqual(again.status, 200)

    def test_json_ld_marks_metered_articles_and_their_paywalled_part(self):
        walled = self.reader()
        for slug in METERED[:6]:
            walled.get(DEMO[slug].path)
        for slug in METERED + FREE + SPONSORED:
            with self.subTest(slug=slug):
                for who, reader in (("new reader", self.reader()), ("walled reader", walled)):
                    v = self.view(reader, slug)
                    ld = v.ld
                    self.assertNotIn("articleBody", json.dumps(ld))
                    if slug in METERED:
                        self.assertIs(ld["isAccessibleForFree"], False, who)
                        self.assertEqual(ld["hasPart"], {"@type": "WebPageElement",
                                                         "isAccessibleForFree": False,
                                                         "cssSelector": ".paywalled-content"}, who)
                    else:
                        self.assertIs(ld["isAccessibleForFree"], True, who)
                        self.assertNotIn("hasPart", ld, who)
                    for p in DEMO[slug].paragraphs:
                        self.assertNotIn(p[:60], normalize(json.dumps(ld, ensure_ascii=False)))

    def test_free_and_sponsored_articles_are_whole_uncounted_and_public(self):
        self.assertEqual((len(FREE), len(SPONSORED)), (3, 2), "the demo's free and sponsored pieces")
        r = self.reader()
        for slug in METERED[15:19]:
            r.get(DEMO[slug].path)
        self.assertEqual(self.view(r, METERED[15]).meter, left_en(1), "one free view left")
        walled = self.reader()
        for slug in METERED[:6]:
            walled.get(DEMO[slug].path)
        for slug in FREE + SPONSORED:
            for who, reader in (("reader with one left", r), ("walled reader", walled),
                                ("new reader", self.reader())):
                for print_view in (False, True):
                    with self.subTest(slug=slug, who=who, print_view=print_view):
                        v = self.view(reader, slug, print_view)
                        self.assertEqual(v.summary(), (None, None))
                        self.assert_full(v, slug, paywalled=False)
                        self.assert_public_headers(v.response)
        self.assertEqual(self.view(r, METERED[0]).meter, last_en(), "nothing was counted")
        self.assertEqual(self.view(walled, METERED[0]).summary(), (left_en(0), None))
        self.assertEqual(self.view(walled, METERED[7]).wall, "register")

    def test_forged_cookies_get_a_fresh_identity(self):
        a = METERED[:4]
        victim = self.reader()
        for slug in a[:2]:
            victim.get(DEMO[slug].path)
        genuine = victim.cookies["reader"]
        self.assertEqual(self.view(victim, a[0]).meter, left_en(3), "the victim has 3 left")
        key, payload, tag = COOKIE_VALUE.fullmatch(genuine).groups()
        someone = self.reader()
        someone.get(DEMO[a[3]].path)
        _, other_payload, other_tag = COOKIE_VALUE.fullmatch(someone.cookies["reader"]).groups()
        elsewhere = MastheadServer()  # its own database, its own keys
        self.addCleanup(elsewhere.cleanup)
        elsewhere.start()
        foreign = Reader(elsewhere)
        foreign.get(DEMO[a[0]].path)
        foreign.get(DEMO[a[1]].path)
        self.assertEqual(elsewhere.stop(), 0)
        foreign_value = foreign.cookies["reader"]
        self.assertEqual(COOKIE_VALUE.fullmatch(foreign_value).group(1), "1", "also key id 1")

        forgeries = {
            "edited tag": f"1.{key}.{payload}.{edit_char(tag, 0)}",
            "edited tag end": f"1.{key}.{payload}.{edit_char(tag, len(tag) // 2)}",
            "edited payload": f"1.{key}.{edit_char(payload, 3)}.{tag}",
            "payload of another reader": f"1.{key}.{other_payload}.{tag}",
            "tag of another reader": f"1.{key}.{payload}.{other_tag}",
            "another key id": f"1.2.{payload}.{tag}",
            "key id 0": f"1.0.{payload}.{tag}",
            "huge key id": f"1.99999999999999999999.{payload}.{tag}",
            "another version": f"2.{key}.{payload}.{tag}",
            "appended character": genuine + "A",
            "truncated": genuine[:-1],
            "another server's key": foreign_value,
            "garbage": "garbage",
            "empty": "",
            "dots": "...",
            "no tag": f"1.{key}.{payload}.",
            "not base64": f"1.{key}.{payload[:5]}*{payload[6:]}.{tag}",
            "overlong payload": f"1.{key}.{'A' * 6000}.{tag}",
            "overlong value": genuine + "x" * 12000,
        }
        victim_id = reader_id(genuine)
        for label, value in forgeries.items():
            with self.subTest(forgery=label):
                forger = self.reader(cookies={"reader": value})
                v = self.view(forger, a[0])  # an article the victim has read
                self.assertEqual(v.summary(), (left_en(4), None),
                                 "a fresh identity's first view, never the victim's reread")
                self.assert_full(v, a[0])
                fresh = cookie_parts(v.cookie or "")[1]
                self.assertNotEqual(fresh, value)
                self.assertNotEqual(reader_id(fresh), victim_id, "never the victim's identity")
                self.assertEqual(self.view(forger, a[1]).meter, left_en(3), "a meter of its own")
        # The victim's meter did not move.
        self.assertEqual(self.view(victim, a[0]).meter, left_en(3))
        self.assertEqual(self.view(victim, a[1]).meter, left_en(3))
        self.assertEqual(self.view(victim, a[2]).meter, left_en(2))
        self.assertEqual(victim.cookies["reader"], genuine, "the victim keeps their cookie")

    def test_cookie_under_another_name_is_ignored(self):
        victim = self.reader()
        victim.get(DEMO[METERED[0]].path)
        victim.get(DEMO[METERED[1]].path)
        value = victim.cookies["reader"]
        for name in ("__Host-reader", "Reader", "reader2"):
            with self.subTest(name=name):
                v = self.view(self.reader(cookies={name: value}), METERED[0])
                self.assertEqual(v.summary(), (left_en(4), None))
                self.assertNotEqual(reader_id(cookie_parts(v.cookie)[1]), reader_id(value))


class WeeklyPaywallTest(PaywallTestCase):
    """anonymous_free = 3 a week, no registration wall (straight to the
    offer), two paragraphs of lead-in, an https site (__Host- cookie), eight
    server threads for the races."""

    site = {"base_url": "https://masthead.test"}
    server_options = {"threads": 8}
    tables = {"paywall": {"anonymous_free": 3, "period": "week", "registration_wall": False,
                          "lead_in_paragraphs": 2,
                          "offer_headline": "Winter offer: three months for £3",
                          "offer_url": "/offers/winter"}}
    COOKIE = "__Host-reader"

    def test_journey_three_free_articles_then_the_paywall(self):
        r = self.reader()
        a = METERED[:5]
        expected = [(m, None) for m in meters_en(3, "week")] + [(None, "paywall")]
        self.assertEqual(expected[0][0], "You have 2 free articles left this week")
        self.assertEqual(expected[1][0], "You have 1 free article left this week")
        self.assertEqual(expected[2][0], "This is your last free article this week")
        views = self.journey(r, a[:4], expected, lead=2)
        wall = views[3].wall_element
        self.assertEqual(wall.find("h2").clean_text(), "Get unlimited access")
        self.assertEqual(wall.find("p", cls="wall-body").clean_text(),
                         f"You have read your free articles for this week. "
                         f"Subscribe to keep reading {SITE_NAME}.")
        # The demo's billing catalogue has a current paywall offer: the wall
        # shows it rather than the configured placeholder headline.
        self.assertEqual(wall.find("p", cls="wall-offer").clean_text(),
                         "Digital monthly: Your first month for £1, then £9/month · "
                         "Offer ends 31 January 2027")
        links = [(l.get("href"), l.clean_text()) for l in wall.find_all("a")]
        self.assertEqual([text for _, text in links], ["Subscribe", "See all offers"])
        self.assertTrue(links[0][0].startswith("/offers"), links)
        self.assertEqual(links[1][0], "/offers/winter", "See all offers goes to offer_url")
        for slug in a[:3]:
            v = self.view(r, slug)
            self.assertEqual(v.summary(), (left_en(0, "week"), None), f"reread {slug}")
            self.assert_full(v, slug, lead=2)
        v = self.view(r, a[4])
        self.assertEqual(v.summary(), (None, "paywall"))
        self.assert_lead_in(v, a[4], lead=2)
        self.assertEqual(self.view(r, a[3]).summary(), (None, "paywall"), "the wall is no view")

    def test_cookie_is_host_prefixed_and_secure_over_https(self):
        r = self.reader()
        v = self.view(r, METERED[0])
        name, value, attrs = cookie_parts(v.cookie)
        self.assertEqual(name, self.COOKIE)
        self.assertRegex(value, COOKIE_VALUE)
        self.assertEqual(attrs, {"path": "/", "max-age": str(ONE_YEAR), "secure": "", "httponly": "",
                                 "samesite": "Lax"}, "__Host-: Secure, Path=/, no Domain")
        self.assertEqual(self.view(r, METERED[1]).meter, left_en(1, "week"))
        v = self.view(self.reader(cookies={"reader": r.cookies[self.COOKIE]}), METERED[0])
        self.assertEqual(v.meter, left_en(2, "week"), "the plain name is not read over https")

    # -- races: the store, not the first decision, says who gets the last view

    def reader_with_views(self, slugs) -> Reader:
        r = self.reader()
        for slug in slugs:
            self.assertEqual(r.get(DEMO[slug].path).status, 200)
        return r

    def fire(self, cookie_value: str, slugs) -> list:
        """GETs every slug at once, each on its own connection with the
        same cookie; returns the Views in the order of `slugs`."""
        barrier = threading.Barrier(len(slugs))
        results: list = [None] * len(slugs)
        errors: list = []

        def one(i, slug):
            conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=20)
            try:
                conn.connect()
                barrier.wait(10)
                conn.request("GET", DEMO[slug].path, headers={"Cookie": f"{self.COOKIE}={cookie_value}"})
                resp = conn.getresponse()
                results[i] = Response(resp.status, resp.reason, resp.getheaders(), resp.read())
            except Exception as e:  # reported below
                errors.append((slug, repr(e)))
            finally:
                conn.close()

        threads = [threading.Thread(target=one, args=(i, s)) for i, s in enumerate(slugs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(errors, [])
        self.assertEqual([r.status for r in results], [200] * len(slugs))
        return [View(r) for r in results]

    def test_race_ten_new_articles_with_one_view_left_gives_one(self):
        r = self.reader_with_views(METERED[:2])
        self.assertEqual(self.view(r, METERED[0]).meter, left_en(1, "week"), "one view left")
        targets = METERED[2:12]
        views = self.fire(r.cookies[self.COOKIE], targets)
        full = [(s, v) for s, v in zip(targets, views) if v.wall is None]
        self.assertEqual(len(full), 1, f"exactly one full text: {[v.summary() for v in views]}")
        slug, v = full[0]
        self.assertEqual(v.meter, last_en("week"))
        self.assert_full(v, slug, lead=2)
        for s, w in zip(targets, views):
            if s != slug:
                self.assertEqual(w.summary(), (None, "paywall"), s)
                self.assert_lead_in(w, s, lead=2)
        self.assertEqual(self.view(r, slug).summary(), (left_en(0, "week"), None), "the winner rereads")
        for s in targets:
            if s != slug:
                self.assertEqual(self.view(r, s).wall, "paywall", f"{s} stays behind the wall")

    def test_race_same_article_ten_times_counts_one_view(self):
        r = self.reader_with_views(METERED[:2])
        target = METERED[5]
        views = self.fire(r.cookies[self.COOKIE], [target] * 10)
        for v in views:
            self.assertIsNone(v.wall)
            self.assert_full(v, target, lead=2)
        self.assertEqual(sorted(v.meter for v in views),
                         sorted([last_en("week")] + [left_en(0, "week")] * 9),
                         "one counted view (the last free one), nine rereads")
        v = self.view(r, METERED[6])
        self.assertEqual(v.summary(), (None, "paywall"), "the next new article is walled")
        self.assert_lead_in(v, METERED[6], lead=2)

    def test_race_with_the_first_view_still_in_the_cookie(self):
        # A new reader's first view travels in the cookie; ten requests made
        # with that cookie each record it (once) and then race for the two
        # free views left.
        r = self.reader_with_views(METERED[:1])
        targets = METERED[1:11]
        views = self.fire(r.cookies[self.COOKIE], targets)
        full = [v for v in views if v.wall is None]
        self.assertEqual(sorted(v.meter for v in full), sorted([left_en(1, "week"), last_en("week")]),
                         f"two full texts: {[v.summary() for v in views]}")
        self.assertEqual(sum(v.wall == "paywall" for v in views), 8)
        winners = [s for s, v in zip(targets, views) if v.wall is None]
        self.assertEqual(self.view(r, METERED[0]).summary(), (left_en(0, "week"), None))
        for s in winners:
            self.assertEqual(self.view(r, s).summary(), (left_en(0, "week"), None))
        self.assertEqual(self.view(r, METERED[11]).wall, "paywall")


# ============================================================ the clock

class MonthRolloverTest(PaywallTestCase):
    """period = "month" in Asia/Tokyo (the site's own zone is London): the
    month ends at 15:00 UTC on the last day."""

    tables = {"paywall": {"anonymous_free": 3, "period": "month", "timezone": "Asia/Tokyo"}}
    clock = "2026-11-30T14:59:59Z"

    def test_meter_restarts_when_the_month_ends_in_tokyo(self):
        self.server.set_clock("2026-11-30T14:59:59Z")  # 23:59:59 on 30 November in Tokyo
        r = self.reader()
        a = METERED[:6]
        self.journey(r, a[:4], [(m, None) for m in meters_en(3)] + [(None, "register")])
        self.server.set_clock("2026-11-30T15:00:00Z")  # midnight, 1 December in Tokyo (15:00 in London)
        v = self.view(r, a[3])
        self.assertEqual(v.summary(), (left_en(2), None), "a new month: the walled article is free")
        self.assert_full(v, a[3])
        self.assertEqual(self.view(r, a[0]).meter, left_en(1), "November's views count anew")
        self.assertEqual(self.view(r, a[3]).meter, left_en(1), "a reread within December")
        self.assertEqual(self.view(r, a[4]).meter, last_en())
        self.assertEqual(self.view(r, a[5]).wall, "register")

    def test_first_view_carried_in_the_cookie_expires_with_its_month(self):
        self.server.set_clock("2026-11-30T14:59:58Z")
        r = self.reader()
        a = METERED[6:10]
        self.assertEqual(self.view(r, a[0]).meter, left_en(2))  # only in the cookie
        self.server.set_clock("2026-11-30T15:00:01Z")
        self.assertEqual(self.view(r, a[1]).meter, left_en(2), "November's first view is not counted")
        self.assertEqual(self.view(r, a[0]).meter, left_en(1), "and a[0] is new in December")

    def test_london_midnight_is_not_the_end_of_the_tokyo_month(self):
        self.server.set_clock("2026-11-30T14:00:00Z")
        r = self.reader()
        a = METERED[10:14]
        self.assertEqual(self.view(r, a[0]).meter, left_en(2))
        self.assertEqual(self.view(r, a[1]).meter, left_en(1))
        self.server.set_clock("2026-11-30T14:59:59Z")  # the last second of November in Tokyo
        self.assertEqual(self.view(r, a[2]).meter, last_en())
        self.assertEqual(self.view(r, a[3]).wall, "register")


class DayRolloverTest(PaywallTestCase):
    """period = "day" in America/New_York (UTC-5 in December): the day ends
    at 05:00 UTC, not at UTC midnight."""

    tables = {"paywall": {"anonymous_free": 3, "period": "day", "timezone": "America/New_York"}}
    clock = "2026-12-01T23:00:00Z"

    def test_journey_in_day_wording(self):
        self.server.set_clock("2026-12-01T23:00:00Z")
        r = self.reader()
        a = METERED[:5]
        views = self.journey(r, a[:4], [(m, None) for m in meters_en(3, "day")] + [(None, "register")])
        self.assertEqual([v.meter for v in views[:3]], ["You have 2 free articles left today",
                                                        "You have 1 free article left today",
                                                        "This is your last free article today"])
        self.assertEqual(views[3].wall_element.find("p", cls="wall-body").clean_text(),
                         "You have read your free articles for today. "
                         "Register for free to read 7 more articles today (10 a day in all).")
        self.assertEqual(self.view(r, a[1]).meter, "You have no free articles left today")

    def test_meter_restarts_at_local_midnight_not_utc_midnight(self):
        self.server.set_clock("2026-12-01T23:59:59Z")  # 18:59:59 on 1 December in New York
        r = self.reader()
        a = METERED[5:11]
        self.assertEqual(self.view(r, a[0]).meter, left_en(2, "day"))
        self.server.set_clock("2026-12-02T00:00:01Z")  # UTC midnight: still 1 December there
        self.assertEqual(self.view(r, a[1]).meter, left_en(1, "day"))
        self.server.set_clock("2026-12-02T04:59:59Z")  # 23:59:59 in New York
        self.assertEqual(self.view(r, a[2]).meter, last_en("day"))
        self.assertEqual(self.view(r, a[3]).summary(), (None, "register"))
        self.server.set_clock("2026-12-02T05:00:00Z")  # midnight in New York: a new day
        v = self.view(r, a[3])
        self.assertEqual(v.summary(), (left_en(2, "day"), None))
        self.assert_full(v, a[3])
        self.assertEqual(self.view(r, a[0]).meter, left_en(1, "day"), "yesterday's views count anew")
        self.assertEqual(self.view(r, a[4]).meter, last_en("day"))
        self.assertEqual(self.view(r, a[5]).wall, "register")


# ============================================================ crawlers

def crawler_tables(**paywall) -> dict:
    return {"paywall": {"anonymous_free": 3, **paywall},
            "crawlers": {"ranges": [f"{CRAWLER}/32"], "dns": False}}


SPOOFED = {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
           "X-Forwarded-For": CRAWLER, "X-Real-IP": CRAWLER, "Forwarded": f"for={CRAWLER}",
           "Referer": "https://www.google.com/"}


class CrawlerTest(PaywallTestCase):
    """[crawlers] ranges = ["127.0.0.2/32"], dns = false; crawler_full_text
    (default true); no trusted proxies."""

    tables = crawler_tables()

    def crawler(self, **headers) -> Reader:
        return self.reader(source=CRAWLER, headers=headers)

    def assert_crawler_view(self, v: View, slug: str):
        self.assertEqual(v.summary(), (None, None), "no meter message, no wall")
        self.assert_full(v, slug)  # with the paywall markup
        self.assertIsNone(v.cookie, "no cookie for a crawler")
        self.assertEqual(v.ld["hasPart"]["cssSelector"], ".paywalled-content")
        self.assertIs(v.ld["isAccessibleForFree"], False)
        self.assert_metered_headers(v.response)

    def test_spoofed_crawler_headers_are_metered_like_anyone(self):
        for label, reader in (("every spoofed header from 127.0.0.1", self.reader(headers=SPOOFED)),
                              ("an address next to the range", self.reader(source="127.0.0.3",
                                                                           headers=SPOOFED))):
            with self.subTest(label):
                v = self.view(reader, METERED[0])
                self.assertIsNotNone(v.cookie, "a new reader gets a cookie")
                self.assertEqual(v.meter, left_en(2))
                self.journey(reader, METERED[1:4], [(left_en(1), None), (last_en(), None),
                                                    (None, "register")])

    def test_verified_crawler_gets_full_text_without_meter_or_cookie(self):
        for label, crawler in (("no claims", self.crawler()),
                               ("Googlebot user agent", self.crawler(**{"User-Agent": SPOOFED["User-Agent"]}))):
            for slug in METERED[:6]:
                with self.subTest(label, slug=slug):
                    self.assert_crawler_view(self.view(crawler, slug), slug)
                    v = self.view(crawler, slug, print_view=True)
                    self.assertEqual(v.summary(), (None, None))
                    self.assert_full(v, slug)
                    self.assertIsNone(v.cookie)
            self.assertEqual(crawler.cookies, {}, label)

    def test_crawler_views_are_not_counted(self):
        r = self.reader()
        for slug in METERED[:2]:
            r.get(DEMO[slug].path)
        self.assertEqual(self.view(r, METERED[0]).meter, left_en(1))
        # The reader's cookie sent from the crawler's address: still the crawler.
        crawler = self.reader(source=CRAWLER, cookies=r.cookies)
        for slug in METERED[2:8]:
            self.assert_crawler_view(self.view(crawler, slug), slug)
        self.assertEqual(self.view(r, METERED[2]).meter, last_en(), "nothing was counted")
        self.assertEqual(self.view(r, METERED[3]).wall, "register")

    def test_metered_pages_are_private_so_no_shared_cache_leaks_the_crawlers_copy(self):
        walled = self.reader()
        for slug in METERED[:4]:
            walled.get(DEMO[slug].path)
        for encoding in ({}, {"Accept-Encoding": "gzip"}):
            for slug in METERED[4:7]:
                with self.subTest(slug=slug, encoding=encoding):
                    c = self.view(self.crawler(), slug, headers=encoding)
                    self.assert_crawler_view(c, slug)
                    v = self.view(walled, slug, headers=encoding)
                    self.assertEqual(v.summary(), (None, "register"))
                    self.assert_lead_in(v, slug)
                    self.assert_metered_headers(v.response)


class TrustedProxyTest(PaywallTestCase):
    """trusted_proxies = ["127.0.0.1/32"]: X-Forwarded-For from 127.0.0.1 is
    believed (its right-most entry that is not a trusted proxy)."""

    server_options = {"trusted_proxies": ["127.0.0.1/32"]}
    tables = crawler_tables()

    def test_forwarded_crawler_address_from_the_trusted_proxy_is_the_crawler(self):
        for xff in (CRAWLER, f"203.0.113.9, {CRAWLER}", f"{CRAWLER}, 127.0.0.1"):
            with self.subTest(xff=xff):
                r = self.reader(headers={"X-Forwarded-For": xff})
                for slug in METERED[:5]:
                    v = self.view(r, slug)
                    self.assertEqual(v.summary(), (None, None))
                    self.assert_full(v, slug)
                    self.assertIsNone(v.cookie)

    def test_other_forwarded_addresses_are_readers(self):
        cases = [("no header", "127.0.0.1", {}),
                 ("a client's forged entry before the real one", "127.0.0.1",
                  {"X-Forwarded-For": f"{CRAWLER}, 203.0.113.9"}),
                 ("from a peer that is not a trusted proxy", "127.0.0.3",
                  {"X-Forwarded-For": CRAWLER})]
        for label, source, headers in cases:
            with self.subTest(label):
                r = self.reader(source=source, headers=headers)
                self.journey(r, METERED[:4], [(m, None) for m in meters_en(3)] + [(None, "register")])


# ============================================================ languages

class AcceptLanguageTest(PaywallTestCase):
    """site.locales = ["en-GB", "ja-JP"]: Accept-Language picks the messages."""

    site = {"locales": ["en-GB", "ja-JP"]}
    tables = {"paywall": {"anonymous_free": 3}}
    VARY = "Accept-Encoding, Cookie, Accept-Language"
    JA = {"Accept-Language": "ja-JP,ja;q=0.9,en;q=0.5"}
    EN = {"Accept-Language": "en-US,en;q=0.8"}

    def test_japanese_and_english_messages_share_one_meter(self):
        r = self.reader()
        a = METERED[:5]
        steps = [(a[0], self.JA, ("今月の無料記事は残り2本です", None), "ja"),
                 (a[1], self.EN, ("You have 1 free article left this month", None), "en"),
                 (a[2], self.JA, ("これが今月最後の無料記事です", None), "ja"),
                 (a[3], self.JA, (None, "register"), "ja"),
                 (a[0], self.JA, ("今月の無料記事は残っていません", None), "ja"),
                 (a[3], self.EN, (None, "register"), "en"),
                 (a[1], {}, (left_en(0), None), "en")]
        for slug, headers, want, lang in steps:
            with self.subTest(slug=slug, headers=headers):
                v = self.view(r, slug, headers=headers)
                self.assertEqual(v.summary(), want)
                self.assertEqual(v.doc.find("html").get("lang"), lang)
                self.assert_metered_headers(v.response, self.VARY)
                if want[1]:
                    self.assert_lead_in(v, slug)
                else:
                    self.assert_full(v, slug)
        ja = self.view(r, a[4], headers=self.JA).wall_element
        self.assertEqual(ja.find("h2").clean_text(), "続きを読むには登録してください")
        self.assertEqual(ja.find("p", cls="wall-body").clean_text(),
                         "今月の無料記事をすべて読みました。無料登録すると今月あと7本読めます（1か月に10本まで）。")
        self.assertEqual([l.clean_text() for l in ja.find_all("a")], ["無料で登録する", "登録済みの方はログイン"])
        en = self.view(r, a[4], headers=self.EN).wall_element
        self.assertEqual(en.find("h2").clean_text(), "Register to keep reading")
        self.assertEqual([l.clean_text() for l in en.find_all("a")],
                         ["Register for free", "Already registered? Log in"])

    def test_free_articles_vary_by_language_too(self):
        r = self.server.get(DEMO[FREE[0]].path, self.JA)
        self.assert_public_headers(r, "Accept-Encoding, Accept-Language")


# ============================================================ network budget

class NetworkBudgetTest(PaywallTestCase):
    """anonymous_network_free = 4 (5 free articles per reader): readers new
    to the period from a /24 that has had 4 counted views meet the
    registration wall. Each test uses its own 127.x.y.0/24."""

    tables = {"paywall": {"anonymous_network_free": 4}}
    UA = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}

    def cookieless(self, source, slug) -> View:
        return self.view(self.reader(source=source, headers=self.UA), slug)

    def test_cookie_clearing_readers_meet_the_registration_wall_after_four_views(self):
        net = "127.0.10.1"
        for slug in METERED[:4]:
            v = self.cookieless(net, slug)
            self.assertEqual(v.summary(), (left_en(4), None), slug)
            self.assert_full(v, slug)
        v = self.cookieless("127.0.10.77", METERED[4])  # the same /24
        self.assertEqual(v.summary(), (None, "register"))
        self.assert_lead_in(v, METERED[4])
        returning = self.reader(source=net, headers=self.UA, cookies={"reader": cookie_parts(v.cookie)[1]})
        self.assertEqual(self.view(returning, METERED[5]).wall, "register", "its cookie changes nothing")
        self.assertEqual(self.cookieless(net, METERED[0]).wall, "register", "nor an article read before")
        v = self.cookieless("127.0.11.1", METERED[4])  # another network
        self.assertEqual(v.summary(), (left_en(4), None))

    def test_reader_part_way_keeps_their_meter(self):
        net = "127.0.20.1"
        r = self.reader(source=net, headers=self.UA)
        self.assertEqual(self.view(r, METERED[0]).meter, left_en(4))
        for slug in METERED[1:4]:
            self.assertEqual(self.cookieless(net, slug).meter, left_en(4))
        self.assertEqual(self.cookieless(net, METERED[4]).wall, "register", "the network's budget is spent")
        self.journey(r, METERED[5:10], [(left_en(3), None), (left_en(2), None), (left_en(1), None),
                                        (last_en(), None), (None, "register")])


# ============================================================ durability

class DurabilityTest(unittest.TestCase):
    """The meter lives in the database: it survives SIGKILL and restarts,
    and cookie keys survive rotation. One server per test (real clock)."""

    def server(self) -> MastheadServer:
        s = MastheadServer(tables={"paywall": {"anonymous_free": 3}})
        self.addCleanup(s.cleanup)
        return s.start()

    def meter(self, reader, slug):
        r = reader.get(DEMO[slug].path)
        self.assertEqual(r.status, 200)
        return View(r).summary()

    def rotate(self, s, *args) -> str:
        """`masthead keys rotate`; returns the new key's id as the CLI names it.
        (Key ids are shared with the database's other secrets: `init` makes
        the cookie key 1 and the network-hash key 2, so the first rotation
        gives key 3.)"""
        rotated = s.cli("keys", "rotate", *args)
        self.assertEqual(rotated.returncode, 0, rotated.stderr)
        m = re.search(r"signed with key (\d+);", rotated.stdout)
        self.assertIsNotNone(m, rotated.stdout)
        self.assertGreater(int(m.group(1)), 1)
        return m.group(1)

    def test_meter_survives_kill_9(self):
        s = self.server()
        r, q = Reader(s), Reader(s)
        self.assertEqual(self.meter(r, METERED[0]), (left_en(2), None))
        self.assertEqual(self.meter(r, METERED[1]), (left_en(1), None))
        self.assertEqual(self.meter(q, METERED[0]), (left_en(2), None))  # only in q's cookie
        self.assertEqual(s.kill(), -9)
        s.start()
        self.assertEqual(self.meter(r, METERED[0]), (left_en(1), None))
        self.assertEqual(self.meter(r, METERED[1]), (left_en(1), None))
        self.assertEqual(self.meter(r, METERED[2]), (last_en(), None))
        self.assertEqual(self.meter(r, METERED[3]), (None, "register"))
        self.assertEqual(self.meter(q, METERED[1]), (left_en(1), None))
        self.assertEqual(s.kill(), -9)
        s.start()
        self.assertEqual(self.meter(r, METERED[4]), (None, "register"))
        self.assertEqual(self.meter(r, METERED[2]), (left_en(0), None))
        self.assertEqual(self.meter(q, METERED[0]), (left_en(1), None))
        self.assertEqual(s.stop(), 0)

    def test_key_rotation_keeps_old_cookies_and_signs_new_ones_with_the_new_key(self):
        s = self.server()
        r = Reader(s)
        self.meter(r, METERED[0])
        self.meter(r, METERED[1])
        old = r.cookies["reader"]
        self.assertEqual(COOKIE_VALUE.fullmatch(old).group(1), "1")
        new_key = self.rotate(s)
        self.assertEqual(s.stop(), 0)
        s.start()
        self.assertEqual(self.meter(r, METERED[0]), (left_en(1), None), "the old cookie's meter")
        resigned = r.cookies["reader"]
        self.assertNotEqual(resigned, old)
        self.assertEqual(COOKIE_VALUE.fullmatch(resigned).group(1), new_key,
                         "an old key's cookie comes back signed with the current key")
        self.assertEqual(resigned.split(".")[2], old.split(".")[2], "same reader, same payload")
        new = Reader(s)
        self.assertEqual(self.meter(new, METERED[0]), (left_en(2), None))
        self.assertEqual(COOKIE_VALUE.fullmatch(new.cookies["reader"]).group(1), new_key)
        self.meter(new, METERED[1])  # the first view leaves the cookie: re-signed
        self.assertEqual(COOKIE_VALUE.fullmatch(new.cookies["reader"]).group(1), new_key)
        self.assertEqual(self.meter(r, METERED[2]), (last_en(), None))
        self.assertEqual(self.meter(r, METERED[3]), (None, "register"))
        self.assertEqual(s.stop(), 0)

    def test_rotation_without_grace_retires_old_cookies(self):
        s = self.server()
        r = Reader(s)
        self.meter(r, METERED[0])
        self.meter(r, METERED[1])
        old = r.cookies["reader"]
        new_key = self.rotate(s, "--grace-days", "0")
        self.assertEqual(s.stop(), 0)
        s.start()
        self.assertEqual(self.meter(r, METERED[0]), (left_en(2), None), "a fresh identity")
        self.assertNotEqual(reader_id(r.cookies["reader"]), reader_id(old))
        self.assertEqual(COOKIE_VALUE.fullmatch(r.cookies["reader"]).group(1), new_key)
        self.assertEqual(s.stop(), 0)


# ============================================================ the canary

CANARY = f"zqxcanary{random.SystemRandom().randrange(10**9, 10**10)}"
CANARY_SLUG = "harbour-lanterns-canary-test"
HEADLINE_WORD = "Vexmoor"       # in the headline only
LEAD_WORD = "Trellisport"       # in the lead-in (first paragraph) only
HIDDEN_WORD = "Quillfennel"     # in the third paragraph, next to the canary
CANARY_PARAGRAPHS = [
    f"Harbour officials in {LEAD_WORD} agreed on Monday to relight the old lanterns along the "
    "north quay, a first paragraph that every reader may see.",
    "The second paragraph is behind the wall: it explains that the lanterns were switched off "
    "in the spring to save money and that fishermen complained.",
    f"The third paragraph holds the canary {CANARY} and the word {HIDDEN_WORD}, which only a "
    "reader entitled to the whole article may ever receive.",
    "A fourth paragraph closes the piece with a quotation from the harbour master.",
]
CANARY_PATH = f"/world/{CANARY_SLUG}"
CANARY_TAGS = ["Testing", "Harbour Lights"]
CANARY_AUTHOR = "Quinn Tester"
CANARY_PUBLISHED = "2026-12-02T09:00:00Z"  # an hour before PINNED: the newest article

# Every route the server has, as requested in the canary test by readers who
# are not entitled to the canary article's text (a reader past the wall on
# both servers; the crawler with crawler_full_text = false). Each row is
# requested with GET and with HEAD, each without and with
# "Accept-Encoding: gzip" (a gzip body is decompressed), and the canary must
# be in none of the bodies (raw and decoded) and none of the headers.
# `lists` is what a GET must contain to prove the route does show the
# article (a card, a link, the URL), so that the absence of the canary
# means something.
#   (route, path, status, lists, how it is covered)
CANARY_ROUTES = [
    ("article page", CANARY_PATH, 200, CANARY_PARAGRAPHS[0][:40],
     "the wall (readers) or the lead-in (crawler); JSON-LD, meta, share links included"),
    ("print view", CANARY_PATH + "/print", 200, CANARY_PARAGRAPHS[0][:40],
     "same decision as the article page, printable layout"),
    ("article page with a query string", CANARY_PATH + "?full=1&amp=1", 200, CANARY_PARAGRAPHS[0][:40],
     "the query is ignored, the decision is not"),
    ("article page, percent-encoded slug", "/world/%68" + CANARY_SLUG[1:], 200,
     CANARY_PARAGRAPHS[0][:40], "decodes to the same article: same gate"),
    ("print view, encoded slash", CANARY_PATH + "%2Fprint", 200, CANARY_PARAGRAPHS[0][:40],
     "decodes to the print view: same gate"),
    ("article page, trailing slash", CANARY_PATH + "/", 404, None, "not a route: the 404 page"),
    ("article under the wrong section", f"/business/{CANARY_SLUG}", 301, None,
     "the redirect to /world/...: headers and body"),
    ("front page", "/", 200, CANARY_PATH, "the newest article is the lead story (deck shown)"),
    ("section page", "/world", 200, CANARY_PATH, "its card on page 1 (page_size 3)"),
    ("section page 2", "/world?page=2", 200, None, "the next page of the section"),
    ("author page", "/author/" + slugify(CANARY_AUTHOR), 200, CANARY_PATH, "its byline's author"),
    ("tag page", "/tag/" + slugify(CANARY_TAGS[0]), 200, CANARY_PATH, "first tag"),
    ("tag page", "/tag/" + slugify(CANARY_TAGS[1]), 200, CANARY_PATH, "second tag (only this article)"),
    ("search: headline word", "/search?q=" + HEADLINE_WORD, 200, CANARY_PATH,
     "found by its headline; the page echoes the query (not the canary)"),
    ("search: lead-in word", "/search?q=" + LEAD_WORD, 200, CANARY_PATH, "found by its first paragraph"),
    ("search: third-paragraph word", "/search?q=" + HIDDEN_WORD, 200, None,
     "the withheld paragraph is not searched for this reader: no result (checked below)"),
    ("sitemap.xml", "/sitemap.xml", 200, BASE_URL + CANARY_PATH, "lists its URL"),
    ("robots.txt", "/robots.txt", 200, None, "static text"),
    ("about page", "/about/sponsored-content", 200, None, "the sponsored-content disclosure"),
    ("another article (free)", DEMO[FREE[0]].path, 200, None, "related-article cards may list it"),
    ("another article (sponsored)", DEMO[SPONSORED[0]].path, 200, None, "ditto, sponsored layout"),
    ("404 page", "/world/no-such-article", 404, None, "the helpful 404 lists recent articles"),
    ("404 under an unknown section", "/sport", 404, None, "ditto"),
    ("its image", media_path(CANARY_SLUG, TEST_SVG), 200, "<svg", "the /media route of its picture"),
    ("healthz", "/healthz", 200, "ok", "the health check"),
    ("favicon", "/favicon.ico", 301, None, "redirect to the fingerprinted icon"),
    ("stylesheet", None, 200, None, "/static/site.<hash>.css, found on the front page"),
] + [
    (f"feed {prefix or '/'} {name}", f"{prefix}/{name}", 200, CANARY_PARAGRAPHS[0][:40],
     "the item carries the deck and the lead-in, never the withheld paragraphs")
    for prefix in ("", "/world", "/author/" + slugify(CANARY_AUTHOR), "/tag/" + slugify(CANARY_TAGS[1]))
    for name in ("feed.xml", "atom.xml", "feed.json")
]


class CanaryTest(PaywallTestCase):
    """A metered article whose third paragraph holds a unique word, and
    every route of the server asked by readers who may not read it."""

    LEAD = 1
    tables = crawler_tables(anonymous_free=2, lead_in_paragraphs=LEAD, crawler_full_text=False)
    site = {"page_size": 3}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.strict = cls.server  # crawler_full_text = false
        cls.open = cls.make_server(cls.site, {}, crawler_tables(anonymous_free=2,
                                                               lead_in_paragraphs=cls.LEAD))
        cls.servers.append(cls.open)
        cls.tmp = tempfile.TemporaryDirectory(prefix="masthead-canary-")
        cls.addClassCleanup(cls.tmp.cleanup)
        path = write_article(cls.tmp.name, CANARY_SLUG, CANARY_PARAGRAPHS,
                             headline=f"{HEADLINE_WORD} harbour relights its lanterns",
                             deck="The quay will be lit again from the new year.",
                             byline=CANARY_AUTHOR, tags="[" + ", ".join(CANARY_TAGS) + "]",
                             published_at=CANARY_PUBLISHED, free="false")
        for s in (cls.strict, cls.open):
            result = s.add_article(path)
            if result.returncode != 0:
                raise RuntimeError(f"article add failed: {result.stderr}")
        css = re.search(r'href="(/static/site\.[0-9a-f]+\.css)"', cls.strict.get("/").text)
        cls.css = css.group(1)

    def walled_reader(self, server) -> Reader:
        r = Reader(server)
        for slug in METERED[:3]:
            self.assertEqual(r.get(DEMO[slug].path).status, 200)
        v = View(r.get(CANARY_PATH))
        self.assertEqual(v.summary(), (None, "register"), "past the wall")
        return r

    def test_the_canary_reaches_entitled_readers(self):
        cases = [("a new reader's first view", lambda: Reader(self.strict)),
                 ("a crawler with crawler_full_text = true", lambda: Reader(self.open, source=CRAWLER))]
        for label, make in cases:
            for path in (CANARY_PATH, CANARY_PATH + "/print"):
                for encoding in ({}, {"Accept-Encoding": "gzip"}):
                    with self.subTest(label, path=path, encoding=encoding):
                        r = make().get(path, encoding)
                        self.assertEqual(r.status, 200)
                        self.assertIn(CANARY.encode(), r.decoded)
                        self.assertEqual(normalize(View(r).body.text()).count(CANARY), 1)
        # The test article is metered: the canary is in the paywalled part.
        v = View(Reader(self.strict).get(CANARY_PATH))
        box = v.body.find("div", cls="paywalled-content")
        self.assertIn(CANARY, box.text())
        self.assertEqual(v.paragraphs, [normalize(p) for p in CANARY_PARAGRAPHS])

    def test_crawler_without_full_text_gets_the_lead_in(self):
        for path in (CANARY_PATH, CANARY_PATH + "/print"):
            v = View(Reader(self.strict, source=CRAWLER).get(path))
            self.assertEqual(v.summary(), (None, None), path)
            self.assertEqual(v.paragraphs, [normalize(CANARY_PARAGRAPHS[0])], path)
            self.assertIsNone(v.cookie)
        for slug in METERED[:3]:
            v = View(Reader(self.strict, source=CRAWLER).get(DEMO[slug].path))
            self.assertEqual(v.summary(), (None, None))
            self.assert_lead_in(v, slug, self.LEAD)

    def test_the_canary_reaches_no_reader_who_is_not_entitled(self):
        readers = [("reader past the wall (crawler_full_text = false server)", self.walled_reader(self.strict)),
                   ("reader past the wall (crawler_full_text = true server)", self.walled_reader(self.open)),
                   ("crawler with crawler_full_text = false", Reader(self.strict, source=CRAWLER))]
        needle = CANARY.encode()
        checked = 0
        for who, reader in readers:
            for route, path, status, lists, _ in CANARY_ROUTES:
                path = path or self.css
                for method in ("GET", "HEAD"):
                    for encoding in ({}, {"Accept-Encoding": "gzip"}):
                        with self.subTest(who=who, route=route, method=method, encoding=encoding):
                            r = reader.request(method, path, encoding)
                            self.assertEqual(r.status, status, f"{method} {path}")
                            self.assertNotIn(needle, r.header_bytes(), "canary in a header")
                            self.assertNotIn(needle, r.body, "canary in the body")
                            self.assertNotIn(needle, r.decoded, "canary in the decoded body")
                            if method == "HEAD":
                                self.assertEqual(r.body, b"")
                            elif lists is not None:
                                self.assertIn(lists.encode(), r.decoded, f"{path} shows the article")
                            checked += 1
        self.assertEqual(checked, len(readers) * len(CANARY_ROUTES) * 4)
        # A word only the withheld part holds finds nothing for them.
        for who, reader in readers:
            with self.subTest(who=who, route="search: third-paragraph word"):
                r = reader.get("/search?q=" + HIDDEN_WORD)
                self.assertNotIn(CANARY_PATH.encode(), r.decoded, "found by a withheld word")
                self.assertNotIn(HIDDEN_WORD.encode(), r.decoded.replace(
                    f'value="{HIDDEN_WORD}"'.encode(), b"").replace(
                    f"\u201c{HIDDEN_WORD}\u201d".encode(), b""), "the word outside the echoed query")
        # The rows really point at the article: the entitled reader's page
        # has the canary, a walled reader's the wall.
        self.assertIn(needle, Reader(self.strict).get(CANARY_PATH).body)


if __name__ == "__main__":
    unittest.main()
