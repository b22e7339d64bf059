"""Integration tests of /search on the real `masthead` binary: what a reader
may find, ranked results with highlighted snippets, filters and paging.

What is covered:
  snippets     the matched terms in <mark>, after escaping: text stored with
               markup ("<i>") is shown as text; the body's where it matched,
               else the deck's
  counts       "5 results for …", "1 result for …", "No results for …"
  paging       "Page 1 of 2", "Next page" / "Previous page" (never "Older")
  filters      ?section=, ?from= / ?to= (days in the site's time zone), an
               unknown section or a malformed date ignored
  no results   suggestions: all sections and dates, fewer words, the sections
  empty query  the form and a hint, 200
  hostile      FTS5 syntax, quotes, NEAR, long and invalid UTF-8 queries are
               200 or 400, never 500, and change nothing in the database
  the canary   a random word only in the third paragraph of a new metered
               article: nothing for an anonymous reader, nothing for a
               signed-in reader without a subscription, the article with the
               word marked in its snippet for a reader on a free trial

Run from tests/integration:
    MASTHEAD_BIN=../../build/masthead python3 -m unittest -v test_search
"""
from __future__ import annotations

import random
import sqlite3
import tempfile
import unittest

from masthead_server import MastheadServer, Reader, parse_html, pct, write_article
from test_billing import PASSWORD, PINNED, Browser

WORD = "Brindlecombe"  # in the deck of five articles
CANARY = f"zqxsearch{random.SystemRandom().randrange(10**9, 10**10)}"
LEAD_WORD = "Marrowgate"  # in the lead-in of the canary article
CANARY_SLUG = "tidal-mill-search-canary"
CANARY_PATH = f"/world/{CANARY_SLUG}"
CANARY_PARAGRAPHS = [
    f"The tidal mill at {LEAD_WORD} turned again on Monday, a first paragraph everyone may read.",
    "The second paragraph is behind the wall and tells how the millpond silted up.",
    f"The third paragraph holds the word {CANARY}, which only an entitled reader may find.",
    "A fourth paragraph ends the piece.",
]
# (slug, section, published_at, headline): the five articles with WORD.
LISTED = [
    ("search-one", "world", "2026-11-03T10:00:00Z", "Ferries return to the islands"),
    ("search-two", "world", "2026-11-14T23:30:00Z", "A late-night vote on the harbour"),
    ("search-three", "world", "2026-11-20T08:00:00Z", "A headline with markup"),
    ("search-four", "business", "2026-11-21T08:00:00Z", "Shipyard orders pick up"),
    ("search-five", "business", "2026-11-28T08:00:00Z", "Freight rates ease"),
]


class SearchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = MastheadServer(
            clock=PINNED, site={"page_size": 3},
            tables={"accounts": {"secure_cookies": False},
                    "paywall": {"anonymous_free": 1, "registered_free": 1,
                                "lead_in_paragraphs": 1},
                    "billing": {"gateway": "test", "grace_days": 3}})
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()
        cls.tmp = tempfile.TemporaryDirectory(prefix="masthead-search-")
        cls.addClassCleanup(cls.tmp.cleanup)
        files = [write_article(cls.tmp.name, CANARY_SLUG, CANARY_PARAGRAPHS,
                               headline="The tidal mill turns again",
                               deck="Millers celebrate.", published_at="2026-12-01T09:00:00Z",
                               free="false")]
        for slug, section, published, headline in LISTED:
            files.append(write_article(
                cls.tmp.name, slug, [f"A body for {slug}.", "More words."], section=section,
                headline=f'"{headline}"', deck=f'"News from {WORD} and beyond."',
                published_at=published, free="true"))
        # A deck stored with markup in it.
        files.append(write_article(
            cls.tmp.name, "search-markup", ["A body about the Ulverstane weir."],
            headline="Stored text with tags", deck='"The <i>Quenbridge</i> tags stay text."',
            published_at="2026-10-30T08:00:00Z", free="true"))
        for path in files:
            result = cls.server.add_article(path)
            if result.returncode != 0:
                raise RuntimeError(f"article add failed: {result.stderr}")

    def search(self, query: str, reader=None, **params):
        url = "/search?q=" + pct(query) + "".join(f"&{k}={pct(v)}" for k, v in params.items())
        r = (reader or Reader(self.server)).get(url)
        self.assertEqual(r.status, 200, url)
        return r, parse_html(r.text)

    def result_paths(self, doc):
        main = doc.find("main")
        return [a.get("href") for h in main.find_all(cls="card-headline") for a in h.find_all("a")]

    def snippets(self, r):
        """The snippets as sent (HTML)."""
        out, rest = [], r.text
        while '<p class="search-snippet"' in rest:
            rest = rest.split('<p class="search-snippet"', 1)[1].split(">", 1)[1]
            snippet, rest = rest.split("</p>", 1)
            out.append(snippet)
        return out

    # ------------------------------------------------------------ snippets

    def test_snippets_mark_the_terms_after_escaping(self):
        r, doc = self.search(WORD.lower())
        snippets = self.snippets(r)
        self.assertEqual(len(snippets), 3, "page one of five")
        for s in snippets:
            self.assertIn(f"<mark>{WORD}</mark>", s)
        r, doc = self.search("quenbridge")
        self.assertEqual(self.result_paths(doc), ["/world/search-markup"])
        self.assertNotIn("<i>", r.text, "stored markup is never HTML")
        self.assertEqual(self.snippets(r),
                         ["The &lt;i&gt;<mark>Quenbridge</mark>&lt;/i&gt; tags stay text."])
        # A word of the body: the body's snippet, marked.
        r, doc = self.search("ulverstane")
        self.assertEqual(self.snippets(r), ["A body about the <mark>Ulverstane</mark> weir."])

    # ----------------------------------------------------- counts, paging

    def test_result_counts_are_plural_correct(self):
        _, doc = self.search(WORD)
        self.assertEqual(doc.find("h1").clean_text(), f"5 results for “{WORD}”")
        _, doc = self.search("shipyard")
        self.assertEqual(doc.find("h1").clean_text(), "1 result for “shipyard”")
        _, doc = self.search("zzqnothingatall")
        self.assertEqual(doc.find("h1").clean_text(), "No results for “zzqnothingatall”")

    def test_pagination_is_labelled_as_pages(self):
        r, doc = self.search(WORD)
        nav = doc.find("nav", cls="pagination")
        self.assertIn("Page 1 of 2", nav.clean_text())
        nexts = nav.find_all("a", rel="next")
        self.assertEqual([a.clean_text() for a in nexts], ["Next page"])
        self.assertEqual(nav.find_all("a", rel="prev"), [])
        self.assertNotIn("Older", nav.clean_text())
        first = self.result_paths(doc)
        r2 = Reader(self.server).get(nexts[0].get("href"))
        doc2 = parse_html(r2.text)
        nav2 = doc2.find("nav", cls="pagination")
        self.assertIn("Page 2 of 2", nav2.clean_text())
        self.assertEqual([a.clean_text() for a in nav2.find_all("a", rel="prev")], ["Previous page"])
        second = self.result_paths(doc2)
        self.assertEqual(len(second), 2)
        self.assertFalse(set(first) & set(second))

    # ------------------------------------------------------------- filters

    def test_section_and_date_filters(self):
        _, doc = self.search(WORD, section="business")
        self.assertEqual(sorted(self.result_paths(doc)),
                         ["/business/search-five", "/business/search-four"])
        self.assertEqual(doc.find("h1").clean_text(), f"2 results for “{WORD}”")
        # 23:30 UTC on 14 November is 14 November in London (the site's zone).
        _, doc = self.search(WORD, **{"from": "2026-11-14", "to": "2026-11-14"})
        self.assertEqual(self.result_paths(doc), ["/world/search-two"])
        _, doc = self.search(WORD, **{"from": "2026-11-15", "to": "2026-11-21"})
        self.assertEqual(sorted(self.result_paths(doc)),
                         ["/business/search-four", "/world/search-three"])
        _, doc = self.search(WORD, section="world", **{"to": "2026-11-10"})
        self.assertEqual(self.result_paths(doc), ["/world/search-one"])
        # An unknown section or a date that is not one is ignored.
        for params in ({"section": "no-such"}, {"from": "2026-02-31"}, {"to": "yesterday"}):
            _, doc = self.search(WORD, **params)
            self.assertEqual(doc.find("h1").clean_text(), f"5 results for “{WORD}”", params)

    # --------------------------------------------- no results, empty query

    def test_no_results_suggests_what_to_try(self):
        _, doc = self.search(WORD + " zzqnothing", section="business")
        none = doc.find("section", cls="search-none")
        self.assertIsNotNone(none)
        links = {a.clean_text(): a.get("href") for a in none.find_all("a")}
        self.assertEqual(links["Search all sections and dates"],
                         "/search?q=" + pct(WORD + " zzqnothing"))
        self.assertIn("Try fewer or different words.", none.clean_text())
        self.assertEqual(links["World"], "/world")

    def test_an_empty_query_shows_the_form_and_a_hint(self):
        for path in ("/search", "/search?q=", "/search?q=%20%20"):
            r = Reader(self.server).get(path)
            self.assertEqual(r.status, 200, path)
            doc = parse_html(r.text)
            self.assertEqual(doc.find("h1").clean_text(), "Search")
            self.assertIsNotNone(doc.find("p", cls="search-hint"))
            self.assertIsNotNone(doc.find("form", cls="search-filters"))
            self.assertIsNone(doc.find("section", cls="search-none"))

    # ------------------------------------------------------------- hostile

    def content_snapshot(self):
        with sqlite3.connect(self.server.db) as c:
            return (c.execute("SELECT count(*) FROM articles").fetchone(),
                    c.execute("SELECT version FROM content_version").fetchone())

    def test_hostile_queries_never_fail_or_change_anything(self):
        before = self.content_snapshot()
        queries = ['"', '""', '"unterminated', "NEAR(a b, 3)", "NEAR(", f"{WORD} OR x",
                   f"{WORD} NOT x", "headline:x", "{headline deck}: x", "^x", "*", "x*", "(((",
                   ")", "-x", "+x", "'; DROP TABLE articles; --", "x" * 5000, "a " * 400,
                   "\x00", "\x02x\x03", "“”", "📰"]
        for q in queries:
            with self.subTest(q=q[:30]):
                r = Reader(self.server).get("/search?q=" + pct(q))
                self.assertEqual(r.status, 200)
        for raw in ["%FF%FE", "abc%C3", "%C0%AF", "%ED%A0%80"]:
            with self.subTest(raw=raw):
                r = Reader(self.server).get("/search?q=" + raw)
                self.assertIn(r.status, (200, 400))
                r.body.decode("utf-8")
        # Operators are words, not syntax.
        _, doc = self.search(f"{WORD} OR shipyard")
        self.assertEqual(doc.find("h1").clean_text(), f"No results for “{WORD} OR shipyard”")
        self.assertEqual(self.content_snapshot(), before)
        self.assertEqual(Reader(self.server).get("/healthz").status, 200)

    # ------------------------------------------------------------ the canary

    def registered(self) -> Browser:
        b = Browser(self.server)
        address = f"search{random.SystemRandom().randrange(10**9)}@example.org"
        r = b.submit("/register", "/register", {"email": address, "password": PASSWORD})
        self.assertEqual(r.status, 303, r.text)
        return b

    def test_the_canary_is_found_only_by_an_entitled_reader(self):
        needle = CANARY.encode()
        # Everyone finds the article by its lead-in.
        _, doc = self.search(LEAD_WORD)
        self.assertEqual(self.result_paths(doc), [CANARY_PATH])
        member = self.registered()
        for who, reader in (("anonymous", Reader(self.server)), ("signed in, no subscription", member)):
            with self.subTest(who=who):
                r, doc = self.search(CANARY, reader)
                self.assertEqual(self.result_paths(doc), [], "found by a withheld word")
                self.assertEqual(doc.find("h1").clean_text(), f"No results for “{CANARY}”")
                # The page echoes the query (header box, page box, heading) and
                # nothing else names it.
                self.assertEqual(r.decoded.count(needle), 3)
                lead, doc = self.search(LEAD_WORD, reader)
                self.assertEqual(self.result_paths(doc), [CANARY_PATH])
                for s in self.snippets(lead):
                    self.assertNotIn("second paragraph", s.lower())
                    self.assertNotIn(CANARY, s)
        # The same reader on a free trial has full access: the whole text.
        r = member.submit("/offers", "/subscribe", {}, offer="annual-trial")
        self.assertEqual(r.status, 303, r.text)
        r, doc = self.search(CANARY, member)
        self.assertEqual(self.result_paths(doc), [CANARY_PATH])
        self.assertEqual(doc.find("h1").clean_text(), f"1 result for “{CANARY}”")
        self.assertIn(f"<mark>{CANARY}</mark>", " ".join(self.snippets(r)))
        self.assertEqual(r.header("Cache-Control").split(",")[0], "private")


if __name__ == "__main__":
    unittest.main()
