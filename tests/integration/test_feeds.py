"""Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the site, a section, an
author and a tag, against the real binary.

Every RSS and Atom feed must parse with feedparser without complaint
(bozo == 0) and be well-formed XML (xml.etree); every JSON Feed must have
JSON Feed 1.1's required fields (Debian's feedparser 6.0 reads no JSON); all
carry the right content type. Conditional GET (ETag, Last-Modified), HEAD
and 404s for unknown scopes. A scheduled article is absent until the
server's clock (the clock file) passes its time. And the canary: a random
word only in the third paragraph of a new metered article must appear in no
feed, while its lead-in does, and a free article's full text does (so the
test can tell a feed that carries nothing from one that withholds).

Needs python3-feedparser (scripts/install-deps)."""
from __future__ import annotations

import datetime
import json
import random
import re
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

try:
    import feedparser
except ImportError:  # an interpreter other than Debian's: its package is pure Python
    sys.path.append("/usr/lib/python3/dist-packages")
    import feedparser

from masthead_server import MastheadServer, write_article

CANARY = f"zqxfeedcanary{random.SystemRandom().randrange(10**9, 10**10)}"
LEAD_WORD = "Marrowgate"
FREE_WORD = f"zqxfreeword{random.SystemRandom().randrange(10**9, 10**10)}"
METERED_SLUG = "feeds-canary-lanterns"
FREE_SLUG = "feeds-free-ferry-timetable"
SCHEDULED_SLUG = "feeds-scheduled-tide-tables"
AUTHOR = "Quinn Feedwright"
AUTHOR_SLUG = "quinn-feedwright"
TAG = "Harbour Feeds"
TAG_SLUG = "harbour-feeds"

FORMATS = {
    "feed.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
}
SCOPES = ["", "/world", f"/author/{AUTHOR_SLUG}", f"/tag/{TAG_SLUG}"]


def iso(t: datetime.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def feed_paths():
    return [f"{scope}/{name}" for scope in SCOPES for name in FORMATS]


class FeedsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = MastheadServer(tables={"paywall": {"anonymous_free": 3,
                                                        "lead_in_paragraphs": 1}},
                                    clock=iso(NOW))
        cls.addClassCleanup(cls.server.cleanup)
        cls.tmp = tempfile.TemporaryDirectory(prefix="masthead-feeds-")
        cls.addClassCleanup(cls.tmp.cleanup)
        published = iso(NOW - datetime.timedelta(minutes=5))
        articles = [
            write_article(cls.tmp.name, METERED_SLUG, [
                f"The lead-in paragraph of the lanterns story, from {LEAD_WORD}.",
                "A second paragraph that only readers who may read on receive.",
                f"The third paragraph holds the canary {CANARY} for the feeds test.",
            ], headline="Feeds lanterns relit", deck="A deck for the metered article.",
                byline=AUTHOR, tags=f"[{TAG}]", published_at=published, free="false"),
            write_article(cls.tmp.name, FREE_SLUG, [
                "The free article's first paragraph.",
                "Its second paragraph.",
                f"Its third paragraph with {FREE_WORD} in it & an ampersand.",
            ], headline="Ferry timetable <changes>", deck="Free for everyone.",
                byline=AUTHOR, tags=f"[{TAG}]", published_at=published, free="true"),
            write_article(cls.tmp.name, SCHEDULED_SLUG, ["Tide tables, soon."],
                          headline="Scheduled tide tables", byline=AUTHOR, tags=f"[{TAG}]",
                          status="scheduled",
                          published_at=iso(NOW + datetime.timedelta(days=1))),
        ]
        for path in articles:
            result = cls.server.add_article(path)
            if result.returncode != 0:
                raise RuntimeError(f"article add failed: {result.stderr}")
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            raise AssertionError(f"masthead serve exited with {code}: {cls.server.stderr()}")

    def get(self, path, headers=None):
        return self.server.get(path, headers or {})

    # -- formats

    def test_every_feed_parses(self):
        for path in feed_paths():
            with self.subTest(path=path):
                r = self.get(path)
                self.assertEqual(r.status, 200)
                self.assertEqual(r.header("Content-Type"), FORMATS[path.rsplit("/", 1)[1]])
                if path.endswith(".xml"):
                    parsed = feedparser.parse(r.body)
                    self.assertEqual(parsed.bozo, 0, getattr(parsed, "bozo_exception", None))
                    self.assertGreater(len(parsed.entries), 0)
                    self.assertLessEqual(len(parsed.entries), 20)
                    ET.fromstring(r.body)  # well-formed
                else:
                    # Debian's feedparser (6.0) reads no JSON Feed: the
                    # required fields of JSON Feed 1.1 are checked here.
                    doc = json.loads(r.body)
                    self.assertEqual(doc["version"], "https://jsonfeed.org/version/1.1")
                    self.assertTrue(doc["title"])
                    self.assertGreater(len(doc["items"]), 0)
                    self.assertLessEqual(len(doc["items"]), 20)
                    for item in doc["items"]:
                        self.assertTrue(item["id"])
                        self.assertTrue("content_html" in item or "content_text" in item)

    def test_items_carry_link_dates_author_and_section(self):
        parsed = feedparser.parse(self.get("/feed.xml").body)
        entry = next(e for e in parsed.entries if e.link.endswith("/world/" + METERED_SLUG))
        self.assertEqual(entry.title, "Feeds lanterns relit")
        self.assertEqual(entry.link, "http://masthead.test/world/" + METERED_SLUG)
        self.assertEqual(entry.author, AUTHOR)
        self.assertIn("World", [t.term for t in entry.tags])
        self.assertEqual(entry.summary, "A deck for the metered article.")
        self.assertIsNotNone(entry.published_parsed)
        atom = feedparser.parse(self.get("/atom.xml").body)
        free = next(e for e in atom.entries if e.link.endswith("/world/" + FREE_SLUG))
        self.assertEqual(free.title, "Ferry timetable <changes>")
        self.assertIsNotNone(free.updated_parsed)

    def test_the_canary_is_in_no_feed_but_the_lead_in_and_free_text_are(self):
        needle = CANARY.encode()
        for path in feed_paths():
            for method in ("GET", "HEAD"):
                for encoding in ({}, {"Accept-Encoding": "gzip"}):
                    with self.subTest(path=path, method=method, encoding=encoding):
                        r = self.server.request(method, path, encoding)
                        self.assertEqual(r.status, 200)
                        self.assertNotIn(needle, r.header_bytes())
                        self.assertNotIn(needle, r.decoded)
                        if method == "GET":
                            self.assertIn(LEAD_WORD.encode(), r.decoded)
                            self.assertIn(FREE_WORD.encode(), r.decoded)

    def test_head_answers_as_get_without_a_body(self):
        for path in feed_paths():
            with self.subTest(path=path):
                get = self.get(path)
                head = self.server.request("HEAD", path)
                self.assertEqual(head.status, 200)
                self.assertEqual(head.body, b"")
                self.assertEqual(head.header("ETag"), get.header("ETag"))
                self.assertEqual(head.header("Content-Type"), get.header("Content-Type"))

    # -- caching

    def test_conditional_get(self):
        for path in feed_paths():
            with self.subTest(path=path):
                r = self.get(path)
                etag, modified = r.header("ETag"), r.header("Last-Modified")
                self.assertTrue(etag and etag.startswith('"'), etag)
                self.assertTrue(modified and modified.endswith(" GMT"), modified)
                self.assertEqual(self.get(path, {"If-None-Match": etag}).status, 304)
                self.assertEqual(self.get(path, {"If-Modified-Since": modified}).status, 304)
                self.assertEqual(self.get(path, {"If-None-Match": '"other"'}).status, 200)
                self.assertEqual(
                    self.get(path, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status,
                    200)
                gz = self.get(path, {"Accept-Encoding": "gzip"})
                self.assertEqual(self.get(path, {"Accept-Encoding": "gzip",
                                                 "If-None-Match": gz.header("ETag")}).status, 304)

    # -- 404s

    def test_unknown_scopes_are_404(self):
        for path in ["/nowhere/feed.xml", "/nowhere/atom.xml", "/nowhere/feed.json",
                     "/author/nobody-at-all/feed.xml", "/author/nobody-at-all/feed.json",
                     "/tag/no-such-tag/atom.xml", "/tag/no-such-tag/feed.json"]:
            with self.subTest(path=path):
                self.assertEqual(self.get(path).status, 404)

    # -- pages link their feeds

    def test_pages_link_their_feeds(self):
        for page, prefix in [("/", ""), ("/world", "/world"),
                             (f"/author/{AUTHOR_SLUG}", f"/author/{AUTHOR_SLUG}"),
                             (f"/tag/{TAG_SLUG}", f"/tag/{TAG_SLUG}")]:
            text = self.get(page).text
            with self.subTest(page=page):
                for name, kind in [("feed.xml", "rss+xml"), ("atom.xml", "atom+xml"),
                                   ("feed.json", "feed+json")]:
                    pattern = (re.escape(f'<link rel="alternate" type="application/{kind}" ')
                               + 'title="[^"]+" '
                               + re.escape(f'href="{prefix}/{name}">'))
                    self.assertRegex(text, pattern)

    # -- scheduling (last: it moves the clock)

    def test_zz_scheduled_article_appears_when_due(self):
        for path in feed_paths():
            with self.subTest(path=path, when="before"):
                self.assertNotIn(SCHEDULED_SLUG.encode(), self.get(path).decoded)
        self.server.set_clock(iso(NOW + datetime.timedelta(days=2)))
        for path in feed_paths():
            with self.subTest(path=path, when="after"):
                self.assertIn(SCHEDULED_SLUG.encode(), self.get(path).decoded)


if __name__ == "__main__":
    unittest.main()
