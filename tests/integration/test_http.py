"""HTTP integration tests: the real `masthead` binary, serving a demo database
on port 0, checked over HTTP (http.client) and raw sockets.

Each test class starts its own server (`masthead init --demo`, then
`masthead serve --port 0 --config ...`) and stops it with SIGTERM in
tearDownClass, asserting a graceful exit (code 0). Expectations come from the
demo articles' Markdown sources in demo/articles, not from the server's own
output. See README.md in this directory.

Run from tests/integration:
    MASTHEAD_BIN=../../build/masthead python3 -m unittest -v test_http
"""
from __future__ import annotations

import datetime
import gzip
import http.client
import json
import math
import pathlib
import re
import socket
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

from masthead_server import (BASE_URL, DEMO_DIR, SITE_NAME, MastheadServer, collapse, instant,
                             iso_utc, load_demo_articles, media_path, normalize, parse_html, pct,
                             poll,
                             query_params, run_cli, slugify, write_article)

DEMO = load_demo_articles()
SPONSORED = sorted(s for s, a in DEMO.items() if a.sponsored_by)
EDITORIAL = sorted(s for s, a in DEMO.items() if not a.sponsored_by)
# Editorial articles marked `free: true`: like sponsored ones they are the same
# for every reader (public caching, ETag). The others are metered: answered per
# reader, "private, no-cache", no ETag (see test_paywall.py).
FREE = sorted(s for s in EDITORIAL if DEMO[s].fields.get("free") == "true")
METERED = sorted(s for s in EDITORIAL if s not in FREE)
MENU = [("/world", "World"), ("/business", "Business"), ("/technology", "Technology"),
        ("/opinion", "Opinion")]
MENU_PATHS = [path for path, _ in MENU]
SPONSORED_LABEL = "Sponsored Content"
ABOUT_SPONSORED = "/about/sponsored-content"

# A message-catalog key that was printed instead of its translation
# ("tag.label", "sponsored.about_body_1").
MESSAGE_KEY = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+")
# Bytes that must never come back from a path-traversal attempt.
FILE_MARKERS = (b"root:x:0:0", b"root:", b"cmake_minimum_required", b"add_test(", b"[site]")
# The roles ARIA in HTML allows on <aside> (axe: aria-allowed-role); None is no role.
ASIDE_ROLES = {None, "feed", "none", "note", "presentation", "region", "search", "doc-dedication",
               "doc-example", "doc-footnote", "doc-glossary", "doc-pullquote", "doc-tip"}
CSS_URL = re.compile(r"^/static/site\.[0-9a-f]{8,64}\.css$")
FINGERPRINTED = re.compile(r"^/static/[a-z0-9_-]+\.[0-9a-f]{8,64}\.[a-z0-9]+$")


def demo_image(slug: str) -> bytes:
    return (DEMO_DIR / "images" / f"{slug}.svg").read_bytes()


def demo_media_path(slug: str) -> str:
    return media_path(slug, demo_image(slug))


def probe(paragraph: str) -> str:
    """A piece of a body paragraph long enough to be unmistakable."""
    return paragraph[:60]


def newest_first(slugs):
    return sorted(slugs, key=lambda s: DEMO[s].published, reverse=True)


def article_list(server: MastheadServer) -> list:
    """`masthead article list` as [(published_at, status, path, flags)]."""
    out = server.cli("article", "list")
    if out.returncode != 0:
        raise AssertionError(f"masthead article list failed: {out.stderr}")
    rows = []
    for line in out.stdout.splitlines():
        parts = line.split()
        rows.append((parts[0], parts[1], parts[2], set(parts[3:])))
    return rows


class ServerTestCase(unittest.TestCase):
    """Starts one server per class; stopping it must be graceful."""

    site: dict = {}
    server_options: dict = {}
    clock: str | None = None  # an ISO 8601 instant: serve --clock-file

    @classmethod
    def setUpClass(cls):
        cls.server = MastheadServer(site=cls.site, server=cls.server_options, clock=cls.clock)
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()
        cls._pages = {}

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            raise AssertionError(f"masthead serve exited with {code} after SIGTERM, want 0; "
                                 f"stderr:\n{cls.server.stderr()}")

    # -- helpers

    def get(self, path, headers=None):
        return self.server.get(path, headers)

    def page(self, path, status=200):
        """GET an HTML page (memoised per class); returns (response, document)."""
        key = (path, status)
        if key not in self._pages:
            r = self.get(path)
            self.assertEqual(r.status, status, f"GET {path}")
            self.assertEqual(r.header("Content-Type"), "text/html; charset=utf-8", f"GET {path}")
            self._pages[key] = (r, parse_html(r.text))
        return self._pages[key]

    def article_page(self, slug):
        return self.page(DEMO[slug].path)

    def card_paths(self, container):
        """Article paths of the cards (headline links) inside an element."""
        return [a.get("href") for h in container.find_all(cls="card-headline")
                for a in h.find_all("a")]

    def collect_list(self, path):
        """Card paths of a list page and all pages after it (rel=next)."""
        seen, paths = set(), []
        url = path
        while url:
            self.assertNotIn(url, seen, f"pagination loops back to {url}")
            seen.add(url)
            r = self.get(url)
            self.assertEqual(r.status, 200, f"GET {url}")
            doc = parse_html(r.text)
            paths.extend(self.card_paths(doc.find("main")))
            nexts = [a.get("href") for a in doc.find_all("a", rel="next")]
            url = nexts[0] if nexts else None
        self.assertEqual(len(paths), len(set(paths)), f"{path}: an article is listed twice")
        return paths

    def assert_helpful_404(self, r, path):
        self.assertEqual(r.status, 404, f"GET {path}")
        self.assertEqual(r.header("Content-Type"), "text/html; charset=utf-8", f"GET {path}")
        self.assertEqual(r.header("Cache-Control"), "no-store", f"GET {path}: a 404 is never cached")
        doc = parse_html(r.text)
        main = doc.find("main")
        self.assertEqual(main.find("h1").clean_text(), "Page not found", path)
        forms = [f for f in main.find_all("form") if f.get("action") == "/search"]
        self.assertTrue(forms, f"{path}: the 404 page offers a search box")
        self.assertTrue(forms[0].find("input", name="q"), path)
        links = self.card_paths(main)
        self.assertTrue(links and all(p in {a.path for a in DEMO.values()} for p in links),
                        f"{path}: the 404 page links to real articles, got {links}")
        menu = [(a.get("href"), a.clean_text()) for a in doc.find("nav", cls="menu").find_all("a")]
        self.assertEqual(menu, MENU, path)
        robots = doc.find("meta", name="robots")
        self.assertIsNotNone(robots, f"{path}: a 404 page is noindex")
        self.assertIn("noindex", robots.get("content"))

    def assert_still_serving(self):
        r = self.get("/healthz")
        self.assertEqual((r.status, r.body), (200, b"ok\n"), "the server keeps serving")


# ====================================================================== site

class ReaderSiteTest(ServerTestCase):
    """The reader-facing site with the demo content and default page size (10)."""

    # ---------------------------------------------------------- front page

    def test_front_page_shows_publication_name_menu_and_search_form(self):
        r, doc = self.page("/")
        self.assertEqual(doc.find("title").clean_text(), SITE_NAME)
        brand = doc.find("a", cls="brand")
        self.assertEqual((brand.get("href"), brand.clean_text()), ("/", SITE_NAME))
        menu = doc.find("nav", cls="menu")
        self.assertEqual([(a.get("href"), a.clean_text()) for a in menu.find_all("a")], MENU)
        form = doc.find("form", role="search")
        self.assertEqual(form.get("action"), "/search")
        self.assertEqual(form.get("method").lower(), "get")
        self.assertIsNotNone(form.find("input", name="q"), "the search box is named q")
        self.assertIn(SITE_NAME, doc.find("footer").clean_text())

    def test_front_page_has_lead_story_and_section_blocks(self):
        _, doc = self.page("/")
        lead_slug = newest_first(EDITORIAL)[0]
        lead = doc.find("section", cls="lead-story")
        self.assertIsNotNone(lead, "the front page has a lead story")
        link = lead.find("h2").find("a")
        self.assertEqual(link.get("href"), DEMO[lead_slug].path, "the lead is the newest editorial article")
        self.assertEqual(link.clean_text(), DEMO[lead_slug].headline)
        self.assertEqual(lead.find("p", cls="lead-deck").clean_text(), DEMO[lead_slug].deck)

        blocks = [s for s in doc.find_all("section", cls="section-block")
                  if "sponsored-block" not in s.classes]
        titles = [(b.find("h2").find("a").get("href"), b.find("h2").clean_text()) for b in blocks]
        self.assertEqual(titles, MENU, "one block per section, in menu order")
        for block, (section_path, name) in zip(blocks, MENU):
            with self.subTest(section=name):
                paths = self.card_paths(block)
                section = section_path[1:]
                expected = [DEMO[s].path for s in newest_first(EDITORIAL)
                            if DEMO[s].section == section and s != lead_slug]
                self.assertTrue(paths, f"the {name} block lists articles")
                self.assertEqual(paths, expected[:len(paths)],
                                 f"the {name} block lists its newest editorial articles, newest first")
                self.assertNotIn(DEMO[lead_slug].path, paths, "the lead is not repeated")

    def test_front_page_lists_sponsored_articles_apart_with_label(self):
        _, doc = self.page("/")
        self.assertEqual(len(SPONSORED), 2, "the demo has two sponsored articles")
        block = doc.find("section", cls="sponsored-block")
        self.assertIsNotNone(block, "sponsored articles have their own block")
        self.assertEqual(block.find("h2").clean_text(), SPONSORED_LABEL)
        self.assertEqual(sorted(self.card_paths(block)), sorted(DEMO[s].path for s in SPONSORED))
        for card in block.find_all("li", cls="card"):
            self.assertIn("card-sponsored", card.classes)
            self.assertEqual(card.find("p", cls="label-sponsored").clean_text(), SPONSORED_LABEL)
        self.assertIn(ABOUT_SPONSORED, [a.get("href") for a in block.find_all("a")])
        # ...and nowhere else on the page.
        elsewhere = [p for s in doc.find("main").children if not isinstance(s, str) and s is not block
                     for p in self.card_paths(s) + [a.get("href") for a in s.find_all("a")]]
        for slug in SPONSORED:
            self.assertNotIn(DEMO[slug].path, elsewhere, f"{slug} is listed apart only")

    def test_card_image_links_point_to_the_article(self):
        # A card's picture links to the same article as its headline (not to
        # the raw image file under /media/).
        wrong = []
        for path in ["/", "/world", DEMO[EDITORIAL[0]].path]:
            _, doc = self.page(path)
            for card in doc.find_all("li", cls="card"):
                image = card.find("a", cls="card-image")
                if image is None:
                    continue
                headline = card.find(cls="card-headline").find("a").get("href")
                if image.get("href") != headline:
                    wrong.append((path, image.get("href"), headline))
            lead = doc.find("section", cls="lead-story")
            if lead is not None and lead.find("a", cls="lead-image") is not None:
                image = lead.find("a", cls="lead-image").get("href")
                headline = lead.find("h2").find("a").get("href")
                if image != headline:
                    wrong.append((path, image, headline))
        self.assertEqual(wrong, [], "(page, image link, headline link) pairs that differ")

    # ----------------------------------------------------------- articles

    def test_cli_lists_every_demo_article_and_each_is_served(self):
        rows = article_list(self.server)
        self.assertEqual(sorted(r[2] for r in rows), sorted(a.path for a in DEMO.values()))
        for published_at, status, path, flags in rows:
            slug = path.rsplit("/", 1)[1]
            with self.subTest(path=path):
                self.assertEqual(status, "published")
                self.assertEqual(instant(published_at), DEMO[slug].published)
                self.assertEqual("[sponsored]" in flags, bool(DEMO[slug].sponsored_by))
                self.page(path)  # 200 text/html

    def test_article_pages_have_one_h1_headline_deck_kicker_and_dateline(self):
        for slug, a in DEMO.items():
            with self.subTest(slug=slug):
                html, doc = self.article_page(slug)
                h1s = doc.find_all("h1")
                self.assertEqual([h.clean_text() for h in h1s], [a.headline], "exactly one h1: the headline")
                self.assertTrue(doc.find("title").clean_text().startswith(a.headline))
                article = doc.find("article")
                self.assertEqual(article.find("p", cls="deck").clean_text(), a.deck)
                self.assertEqual(article.find("span", cls="dateline").clean_text(), a.dateline)
                if a.sponsored_by:
                    self.assertEqual(article.find("p", cls="label-sponsored").clean_text(), SPONSORED_LABEL)
                else:
                    kicker = article.find("p", cls="kicker")
                    self.assertEqual(kicker.clean_text(), a.kicker)
                    # The kicker is a label, not a link; the menu marks the section.
                    self.assertIsNone(kicker.find("a"))
                    self.assertIn(f'<a href="/{a.section}" aria-current="page">', html.body.decode())

    def test_article_bylines_link_to_author_pages_that_list_the_article(self):
        author_lists = {}
        for slug, a in DEMO.items():
            with self.subTest(slug=slug):
                _, doc = self.article_page(slug)
                byline = doc.find("article").find("p", cls="byline")
                links = [(l.clean_text(), l.get("href"), l.get("rel")) for l in byline.find_all("a")]
                self.assertEqual(links, [(n, "/author/" + slugify(n), "author") for n in a.authors])
                for _, href, _ in links:
                    if href not in author_lists:
                        author_lists[href] = self.collect_list(href)
                    self.assertIn(a.path, author_lists[href], f"{href} lists {a.path}")

    def test_article_pages_have_time_elements_with_the_publication_instant(self):
        for slug, a in DEMO.items():
            with self.subTest(slug=slug):
                _, doc = self.article_page(slug)
                meta = doc.find("article").find("div", cls="article-meta")
                times = meta.find_all("time")
                self.assertTrue(times, "publication time is a <time> element")
                self.assertEqual(instant(times[0].get("datetime")), a.published)
                self.assertIn(str(a.published.year), times[0].clean_text())
                for t in doc.find_all("time"):
                    instant(t.get("datetime"))  # every datetime is ISO 8601 with an offset

    def test_article_pages_have_hero_figure_with_alt_caption_and_credit(self):
        for slug, a in DEMO.items():
            with self.subTest(slug=slug):
                _, doc = self.article_page(slug)
                figure = doc.find("article").find("figure")
                self.assertIsNotNone(figure, "hero figure")
                img = figure.find("img")
                self.assertEqual(img.get("src"), demo_media_path(slug))
                self.assertEqual(img.get("alt"), a.image_alt)
                self.assertEqual((img.get("width"), img.get("height")), ("1200", "675"))
                self.assertIn(img.get("src"), img.get("srcset", ""))
                caption = figure.find("figcaption")
                self.assertIn(a.image_caption, caption.clean_text())
                self.assertEqual(caption.find("span", cls="credit").clean_text(), a.image_credit)

    def test_article_pages_have_share_links_with_the_encoded_canonical_url(self):
        for slug, a in DEMO.items():
            with self.subTest(slug=slug):
                _, doc = self.article_page(slug)
                canonical = BASE_URL + a.path
                hrefs = [l.get("href") for l in doc.find("nav", cls="share").find_all("a")]

                def one(prefix):
                    found = [h for h in hrefs if h.startswith(prefix)]
                    self.assertEqual(len(found), 1, f"one share link starting {prefix}: {hrefs}")
                    return found[0]

                facebook = one("https://www.facebook.com/sharer/sharer.php?")
                self.assertIn("u=" + pct(canonical), facebook)
                linkedin = one("https://www.linkedin.com/sharing/share-offsite/?")
                self.assertIn("url=" + pct(canonical), linkedin)
                x = one("https://x.com/intent/")
                self.assertEqual(query_params(x).get("url"), canonical)
                self.assertEqual(query_params(x).get("text"), a.headline)
                mail = query_params(one("mailto:?"))
                self.assertEqual(mail.get("subject"), a.headline)
                self.assertIn(canonical, mail.get("body", ""))
                self.assertNotIn(probe(a.paragraphs[0]), normalize(mail.get("body", "")),
                                 "mail shares title and link, never the text")
                self.assertIn(a.path + "/print", hrefs, "a print link")
                for l in doc.find("nav", cls="share").find_all("a", target="_blank"):
                    self.assertIn("noopener", l.get("rel", "").split())
                scripts = [s.get("src") for s in doc.find_all("script") if s.get("src")]
                self.assertTrue(all(s.startswith("/static/") for s in scripts),
                                f"no third-party scripts: {scripts}")

    def test_article_pages_have_promo_slot_and_related_articles(self):
        paths = {a.path for a in DEMO.values()}
        for slug, a in DEMO.items():
            with self.subTest(slug=slug):
                _, doc = self.article_page(slug)
                promo = doc.find("aside", cls="promo")
                self.assertIsNotNone(promo, "promo slot")
                self.assertEqual([l.get("href") for l in promo.find_all("a")], ["/offers"],
                                 "the promo leads somewhere real: the offers")
                related = doc.find("aside", cls="related")
                self.assertIsNotNone(related, "related articles")
                self.assertTrue(related.find("h2").clean_text())
                links = self.card_paths(related)
                self.assertTrue(links, "at least one related article")
                self.assertNotIn(a.path, links, "an article is not related to itself")
                self.assertTrue(set(links) <= paths, f"related links are articles: {links}")

    def test_article_pages_have_canonical_open_graph_and_twitter_meta(self):
        for slug, a in DEMO.items():
            with self.subTest(slug=slug):
                _, doc = self.article_page(slug)
                canonical = BASE_URL + a.path
                self.assertEqual([l.get("href") for l in doc.find_all("link", rel="canonical")], [canonical])

                def meta(attr, name):
                    found = [m.get("content") for m in doc.find_all("meta") if m.get(attr) == name]
                    self.assertEqual(len(found), 1, f"one <meta {attr}={name}>")
                    return found[0]

                self.assertEqual(meta("name", "description"), a.deck)
                self.assertEqual(meta("property", "og:title"), a.headline)
                self.assertEqual(meta("property", "og:description"), a.deck)
                self.assertEqual(meta("property", "og:url"), canonical)
                self.assertEqual(meta("property", "og:type"), "article")
                self.assertEqual(meta("property", "og:image"), BASE_URL + demo_media_path(slug))
                self.assertEqual(meta("name", "twitter:card"), "summary_large_image")
                self.assertEqual(meta("name", "twitter:title"), a.headline)

    def test_article_pages_json_ld_is_news_article_without_body(self):
        for slug, a in DEMO.items():
            with self.subTest(slug=slug):
                _, doc = self.article_page(slug)
                scripts = doc.find_all("script", type="application/ld+json")
                self.assertEqual(len(scripts), 1)
                raw = scripts[0].text(skip=())
                ld = json.loads(raw)
                self.assertEqual(ld["@type"], "NewsArticle")
                self.assertEqual(ld["headline"], a.headline)
                self.assertEqual(ld.get("description"), a.deck)
                self.assertEqual(instant(ld["datePublished"]), a.published)
                self.assertEqual([p["name"] for p in ld["author"]], a.authors)
                self.assertEqual(ld.get("url"), BASE_URL + a.path)
                self.assertEqual(ld["publisher"]["name"], SITE_NAME)

                def keys(v):
                    if isinstance(v, dict):
                        for k, x in v.items():
                            yield k
                            yield from keys(x)
                    elif isinstance(v, list):
                        for x in v:
                            yield from keys(x)

                self.assertNotIn("articleBody", set(keys(ld)))
                flat = normalize(json.dumps(ld, ensure_ascii=False))
                for p in a.paragraphs:
                    self.assertNotIn(probe(p), flat, "no body text in JSON-LD")

    def test_article_pages_meta_never_carries_body_text(self):
        for slug, a in DEMO.items():
            with self.subTest(slug=slug):
                _, doc = self.article_page(slug)
                contents = [normalize(m.get("content", "")) for m in doc.find_all("meta")]
                for p in a.paragraphs:
                    for c in contents:
                        self.assertNotIn(probe(p), c, "a <meta> carries body text")

    def test_article_text_extraction_sees_the_article_and_nothing_else(self):
        for slug, a in DEMO.items():
            with self.subTest(slug=slug):
                _, doc = self.article_page(slug)
                articles = doc.find_all("article")
                self.assertEqual(len(articles), 1)
                text = normalize(articles[0].text(skip=()))  # a naive extractor
                self.assertIn(normalize(a.headline), text)
                self.assertIn(normalize(a.deck), text)
                self.assertGreaterEqual(len(a.paragraphs), 3)
                for p in a.paragraphs:
                    self.assertIn(p, text, "every body paragraph")
                forbidden = ["{{", "}}", "Share on", "Print"]
                if not a.sponsored_by:
                    forbidden.append("Sponsored")
                for word in forbidden:
                    self.assertNotIn(word, text)
                for node in articles[0].text_nodes(skip=()):
                    self.assertIsNone(MESSAGE_KEY.fullmatch(node.strip()), f"message key {node!r}")
                titles = [t.clean_text() for svg in doc.find_all("svg") for t in svg.find_all("title")]
                self.assertEqual(titles, [], "no <title> inside icons")

    def test_every_svg_is_aria_hidden_and_share_links_have_labels(self):
        for slug in DEMO:
            with self.subTest(slug=slug):
                _, doc = self.article_page(slug)
                svgs = doc.find_all("svg")
                self.assertGreaterEqual(len(svgs), 5)
                for svg in svgs:
                    self.assertEqual(svg.get("aria-hidden"), "true", f"{svg} in {svg.parent}")
                links = doc.find("nav", cls="share").find_all("a")
                self.assertGreaterEqual(len(links), 5, "Facebook, LinkedIn, X, mail, print")
                labels = []
                for l in links:
                    label = l.get("aria-label", "").strip()
                    self.assertTrue(label, f"share link {l.get('href')} has an aria-label")
                    self.assertIsNone(MESSAGE_KEY.fullmatch(label), label)
                    self.assertEqual(l.clean_text(), "", "icon links carry no text of their own")
                    labels.append(label.lower())
                for network in [r"\bfacebook\b", r"\blinkedin\b", r"\bx\b", r"mail", r"\bprint\b"]:
                    self.assertTrue(any(re.search(network, l) for l in labels),
                                    f"a label matching {network} among {labels}")

    def _pages_to_scan(self):
        return ["/", "/world", DEMO[EDITORIAL[0]].path, DEMO[SPONSORED[0]].path,
                DEMO[EDITORIAL[0]].path + "/print", "/author/mara-lindqvist", "/tag/climate",
                "/search", "/search?q=Ostfeld", ABOUT_SPONSORED]

    def test_pages_have_one_h1_and_no_skipped_heading_levels(self):
        # The outline a screen reader lists: one h1, then each heading at
        # most one level below the one before it (h1, h2, h3; never h1, h3).
        for path in (self._pages_to_scan() + MENU_PATHS + ["/sport", "/search?q=zzzxqnothing"]
                     + [a.path for a in DEMO.values()]):
            with self.subTest(path=path):
                doc = parse_html(self.get(path).text)
                levels = [int(e.tag[1]) for e in doc.iter() if re.fullmatch(r"h[1-6]", e.tag)]
                self.assertEqual(levels.count(1), 1, f"{path}: one h1 among {levels}")
                self.assertEqual(levels[0], 1, f"{path}: the h1 comes first: {levels}")
                skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
                self.assertEqual(skips, [], f"{path}: skipped heading levels in {levels}")

    def test_front_page_h1_is_the_publication_name(self):
        _, doc = self.page("/")
        h1 = doc.find("main").find("h1")
        self.assertEqual(h1.clean_text(), SITE_NAME)
        self.assertIn("visually-hidden", h1.classes, "the masthead already shows the name")

    def test_list_cards_are_h2_under_the_lists_h1(self):
        for path in ["/world", "/author/mara-lindqvist", "/tag/climate", "/search?q=the"]:
            with self.subTest(path=path):
                doc = parse_html(self.get(path).text)
                tags = {h.tag for h in doc.find("main").find_all(cls="card-headline")}
                self.assertEqual(tags, {"h2"})

    def test_pages_show_no_untranslated_message_keys(self):
        offenders = []
        for path in self._pages_to_scan() + ["/sport"]:
            r = self.get(path)
            doc = parse_html(r.text)
            for node in doc.text_nodes():
                if MESSAGE_KEY.fullmatch(node.strip()) or "{{" in node or "}}" in node:
                    offenders.append((path, "text", node.strip()))
            for e in doc.iter():
                for attr, v in e.attrs.items():
                    if "{{" in v or "}}" in v:
                        offenders.append((path, f"<{e.tag} {attr}>", v))
                for attr in ("content", "aria-label", "placeholder", "alt", "title", "value", "label"):
                    v = e.attrs.get(attr)
                    if v and MESSAGE_KEY.fullmatch(v.strip()):
                        offenders.append((path, f"<{e.tag} {attr}>", v))
        self.assertEqual(offenders, [], "message keys shown instead of their text")

    def test_pages_are_well_formed_html(self):
        for path in self._pages_to_scan() + [a.path for a in DEMO.values()]:
            with self.subTest(path=path):
                r = self.get(path)
                self.assertTrue(r.text.startswith("<!DOCTYPE html>"))
                doc = parse_html(r.text)
                self.assertEqual(doc.problems, [])
                self.assertEqual(doc.find("html").get("lang"), "en")
                for aside in doc.find_all("aside"):
                    self.assertIn(aside.get("role"), ASIDE_ROLES,
                                  f"<aside class={aside.get('class')}> may not have that role")

    # ---------------------------------------------------------- sponsored

    def test_sponsored_articles_are_labelled_and_disclosed(self):
        for slug in SPONSORED:
            a = DEMO[slug]
            with self.subTest(slug=slug):
                _, doc = self.article_page(slug)
                article = doc.find("article")
                self.assertIn("article-sponsored", article.classes, "distinct styling")
                self.assertEqual(article.find("p", cls="label-sponsored").clean_text(), SPONSORED_LABEL)
                line = article.find("p", cls="commissioned-by")
                self.assertIsNotNone(line)
                self.assertIn(f"Commissioned by {a.sponsored_by}", line.clean_text())
                self.assertIn(ABOUT_SPONSORED, [l.get("href") for l in article.find_all("a")])

    def test_sponsored_article_body_links_are_rel_sponsored(self):
        for slug in SPONSORED:
            with self.subTest(slug=slug):
                _, doc = self.article_page(slug)
                links = doc.find("div", cls="article-body").find_all("a")
                self.assertTrue(links, "the demo's sponsored bodies have outbound links")
                for l in links:
                    self.assertIn("sponsored", l.get("rel", "").split(), l.get("href"))

    def test_editorial_articles_carry_no_sponsored_markings(self):
        for slug in EDITORIAL:
            with self.subTest(slug=slug):
                _, doc = self.article_page(slug)
                article = doc.find("article")
                self.assertNotIn("article-sponsored", article.classes)
                self.assertIsNone(article.find("p", cls="label-sponsored"))
                self.assertIsNone(article.find("p", cls="commissioned-by"))
                for l in doc.find("div", cls="article-body").find_all("a"):
                    self.assertNotIn("sponsored", l.get("rel", "").split())

    def test_about_sponsored_content_page_explains_the_disclosure(self):
        r, doc = self.page(ABOUT_SPONSORED)
        main = doc.find("main")
        self.assertEqual(main.find("h1").clean_text(), "About Sponsored Content")
        paragraphs = [p.clean_text() for p in main.find_all("p")]
        self.assertTrue(paragraphs, "the disclosure page explains sponsored content")
        for p in paragraphs:
            self.assertIsNone(MESSAGE_KEY.fullmatch(p), f"untranslated paragraph {p!r}")
            self.assertGreater(len(p), 40, p)
        self.assertIn(SITE_NAME, " ".join(paragraphs), "the disclosure names the publication")
        description = doc.find("meta", name="description").get("content")
        self.assertIsNone(MESSAGE_KEY.fullmatch(description), f"description {description!r}")

    # --------------------------------------------------------------- print

    def test_print_view_has_the_article_noindex_and_no_share_related_or_promo(self):
        for slug, a in DEMO.items():
            with self.subTest(slug=slug):
                r, doc = self.page(a.path + "/print")
                robots = [m.get("content") for m in doc.find_all("meta", name="robots")]
                self.assertEqual(robots, ["noindex"])
                self.assertEqual([h.clean_text() for h in doc.find_all("h1")], [a.headline])
                text = normalize(doc.find("article").text())
                for p in a.paragraphs:
                    self.assertIn(p, text)
                self.assertIsNone(doc.find("nav", cls="share"))
                self.assertIsNone(doc.find("aside", cls="related"))
                self.assertIsNone(doc.find("aside", cls="promo"))
                self.assertNotIn("facebook.com", r.text)
                self.assertNotIn("Share on", r.text)
                self.assertEqual(doc.find("link", rel="canonical").get("href"), BASE_URL + a.path)

    def test_print_view_of_sponsored_article_keeps_the_disclosure(self):
        for slug in SPONSORED:
            with self.subTest(slug=slug):
                _, doc = self.page(DEMO[slug].path + "/print")
                article = doc.find("article")
                self.assertEqual(article.find("p", cls="label-sponsored").clean_text(), SPONSORED_LABEL)
                self.assertIn(f"Commissioned by {DEMO[slug].sponsored_by}",
                              article.find("p", cls="commissioned-by").clean_text())

    def test_article_under_the_wrong_section_redirects_to_its_section(self):
        slug = next(s for s in EDITORIAL if DEMO[s].section != "world")
        r = self.get(f"/world/{slug}")
        self.assertEqual(r.status, 301)
        self.assertEqual(r.header("Location"), DEMO[slug].path)

    # ------------------------------------------------------- author and tag

    def test_author_page_lists_the_authors_articles(self):
        for name in ["Mara Lindqvist", "Yusuf Adeyemi", "Tomás Okafor-Reyes"]:
            with self.subTest(author=name):
                path = "/author/" + slugify(name)
                expected = [DEMO[s].path for s in newest_first(s for s in DEMO if name in DEMO[s].authors)]
                self.assertGreaterEqual(len(expected), 2)
                self.assertEqual(self.collect_list(path), expected)
                _, doc = self.page(path)
                self.assertIn(name, doc.find("h1").clean_text())

    def test_tag_page_lists_every_tagged_article(self):
        expected = [DEMO[s].path for s in newest_first(s for s in DEMO if "Climate" in DEMO[s].tags)]
        self.assertGreaterEqual(len(expected), 5)
        self.assertEqual(self.collect_list("/tag/climate"), expected)
        _, doc = self.page("/tag/climate")
        self.assertIn("Climate", doc.find("h1").clean_text())
        self.assertEqual(doc.find("p", cls="list-count").clean_text(), f"{len(expected)} articles")

    def test_unknown_author_tag_or_page_is_404(self):
        for path in ["/author/no-such-writer", "/tag/no-such-topic", "/author/mara-lindqvist?page=abc",
                     "/tag/climate?page=0", "/tag/climate?page=99"]:
            with self.subTest(path=path):
                self.assert_helpful_404(self.get(path), path)

    # -------------------------------------------------------------- search

    def test_search_finds_a_free_article_by_a_distinctive_body_word(self):
        word = "Ostfeld"
        holders = [s for s, a in DEMO.items() if word in a.body_markdown]
        self.assertEqual(len(holders), 1, f"{word!r} is distinctive")
        a = DEMO[holders[0]]
        self.assertNotIn(word, a.headline + a.deck, "found through the body, not the headline")
        self.assertNotIn(word, a.paragraphs[0], "beyond the lead-in")
        r = self.get("/search?q=" + word)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Cache-Control"), "no-store")
        doc = parse_html(r.text)
        self.assertIn("noindex", doc.find("meta", name="robots").get("content"))
        self.assertEqual(doc.find("input", name="q").get("value"), word, "the box keeps the query")
        if holders[0] in METERED:
            # Past the lead-in of a metered article: not for an anonymous reader.
            self.assertEqual(self.card_paths(doc.find("main")), [])
            self.assertIn("No results", doc.find("h1").clean_text())
        else:
            self.assertEqual(self.card_paths(doc.find("main")), [a.path])
            self.assertIn("1 result", doc.find("h1").clean_text())

    def test_search_snippets_of_a_metered_article_stop_at_the_lead_in(self):
        slug = METERED[0]
        a = DEMO[slug]
        words = [w for w in re.findall(r"[A-Za-z]{7,}", a.paragraphs[0])]
        self.assertTrue(words, "the lead-in has a long word")
        r = self.get("/search?q=" + words[0])
        doc = parse_html(r.text)
        main = doc.find("main")
        self.assertIn(a.path, self.card_paths(main))
        text = normalize(main.text())
        for p in a.paragraphs[1:]:
            self.assertNotIn(probe(p), text, "a search snippet carries withheld text")

    def test_search_survives_hostile_queries(self):
        queries = ["%22", "*", "NEAR(", "a%20OR", "x" * 300, "%00", "a%00b", "AND", "OR%20OR", "(((",
                   ")", "col%3Avalue", "%5E", "-", "'", "%22unterminated", "NEAR(a%20b%2C%203)",
                   "%E2%80%9C", "%F0%9F%93%B0", "%5C", "%25", "+", "x%20" * 150, "%2A%3A%2A",
                   "headline%3Ax", "%7B%7B", "a" * 4000]
        for q in queries:
            with self.subTest(q=q[:40]):
                r = self.get("/search?q=" + q)
                self.assertIn(r.status, (200, 400), f"GET /search?q={q[:40]}")
                if r.status == 200:
                    self.assertTrue(parse_html(r.body.decode("utf-8", "replace")).find("form", role="search"))
        for raw in [b"/search?q=%", b"/search?q=%zz", b"/search?q=a&q=b", b"/search?q"]:
            with self.subTest(raw=raw):
                resp = self.server.raw_request(b"GET " + raw + b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                self.assertIn(resp.status, (200, 400), raw)
        self.assert_still_serving()

    def test_search_escapes_the_query_it_shows(self):
        query = '<script>alert(1)</script>"><b>'
        r = self.get("/search?q=" + pct(query))
        self.assertEqual(r.status, 200)
        self.assertNotIn("<script>alert", r.text)
        self.assertNotIn("<b>", r.text)
        self.assertIn("&lt;script&gt;alert(1)", r.text)
        doc = parse_html(r.text)
        self.assertEqual(doc.find("input", name="q").get("value"), query, "the attribute stays intact")

    def test_search_with_invalid_utf8_query_returns_valid_utf8(self):
        # A text/html; charset=utf-8 page must be UTF-8 even when the query
        # (percent-decoded) is not.
        r = self.get("/search?q=%FF%FEabc%C3")
        self.assertIn(r.status, (200, 400))
        try:
            r.body.decode("utf-8")
        except UnicodeDecodeError as e:
            self.fail(f"response is not valid UTF-8: {e}: "
                      f"{r.body[max(0, e.start - 40):e.end + 10]!r}")

    def test_search_pagination_next_link_reaches_page_two(self):
        r = self.get("/search?q=the")
        doc = parse_html(r.text)
        first = self.card_paths(doc.find("main"))
        heading = doc.find("h1").clean_text()
        total = int(heading.split()[0])
        self.assertGreater(total, 10, "more results than one page")
        self.assertEqual(len(first), 10)
        nexts = [a.get("href") for a in doc.find_all("a", rel="next")]
        self.assertEqual(len(nexts), 1, "a link to the next page")
        r2 = self.get(nexts[0])
        self.assertEqual(r2.status, 200, f"GET {nexts[0]}")
        doc2 = parse_html(r2.text)
        self.assertEqual(doc2.find("h1").clean_text(), heading, f"{nexts[0]} searches the same query")
        second = self.card_paths(doc2.find("main"))
        self.assertEqual(len(second), min(10, total - 10), f"{nexts[0]} lists page two")
        self.assertFalse(set(first) & set(second), "page two lists other articles")

    # -------------------------------------------- robots, sitemap, healthz

    def test_robots_txt_names_the_sitemap(self):
        r = self.get("/robots.txt")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/plain"))
        lines = r.text.splitlines()
        self.assertIn("User-agent: *", lines)
        self.assertIn(f"Sitemap: {BASE_URL}/sitemap.xml", lines)

    def test_sitemap_lists_every_published_article_with_lastmod(self):
        r = self.get("/sitemap.xml")
        self.assertEqual(r.status, 200)
        self.assertIn("xml", r.header("Content-Type"))
        ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
        root = ET.fromstring(r.body)
        self.assertEqual(root.tag, ns + "urlset")
        entries = {}
        for url in root.findall(ns + "url"):
            loc = url.find(ns + "loc").text
            self.assertNotIn(loc, entries, "no duplicate URLs")
            lastmod = url.find(ns + "lastmod")
            entries[loc] = None if lastmod is None else lastmod.text
        for loc in entries:
            self.assertTrue(loc.startswith(BASE_URL + "/"), f"absolute with base_url: {loc}")
        published = {BASE_URL + row[2] for row in article_list(self.server) if row[1] == "published"}
        self.assertEqual(len(published), len(DEMO))
        articles = {loc for loc in entries if loc.count("/") == 4}
        self.assertEqual(articles, published, "every published article, nothing else")
        self.assertIn(BASE_URL + "/", entries)
        for slug, a in DEMO.items():
            lastmod = entries[BASE_URL + a.path]
            self.assertIsNotNone(lastmod, f"{a.path} has a lastmod")
            self.assertEqual(instant(lastmod), a.published)
        for loc in entries:
            self.assertEqual(self.get(loc[len(BASE_URL):]).status, 200, loc)

    def test_healthz_says_ok(self):
        r = self.get("/healthz")
        self.assertEqual((r.status, r.body), (200, b"ok\n"))
        self.assertEqual(r.header("Cache-Control"), "no-store")

    # -------------------------------------------------------------- static

    def test_css_url_is_fingerprinted_and_immutable(self):
        _, doc = self.page("/")
        sheets = [l.get("href") for l in doc.find_all("link", rel="stylesheet")]
        css = [h for h in sheets if CSS_URL.match(h)]
        self.assertEqual(len(css), 1, f"one fingerprinted site CSS among {sheets}")
        r = self.get(css[0])
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/css"))
        cache = r.header("Cache-Control")
        self.assertIn("immutable", cache)
        self.assertIn("max-age=31536000", cache)
        self.assertIn(b"{", r.body)
        static = [e.get("href") or e.get("src") for e in doc.iter()
                  if (e.get("href") or e.get("src") or "").startswith("/static/")]
        for url in static:
            self.assertRegex(url, FINGERPRINTED)
            self.assertEqual(self.get(url).status, 200, url)

    def test_print_stylesheet_hides_the_reader_links(self):
        _, doc = self.page(DEMO[EDITORIAL[0]].path)
        href = next(l.get("href") for l in doc.find_all("link", rel="stylesheet")
                    if l.get("media") == "print")
        css = re.sub(r"/\*.*?\*/", "", self.get(href).text, flags=re.S)
        hidden = set()
        for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
            if re.search(r"display\s*:\s*none", body):
                hidden |= {s.strip() for s in selectors.split(",")}
        for selector, what in [(".menu", "the menu"), (".search-form", "the search box"),
                               (".reader-links", "the subscribe and account links"),
                               (".share", "share links"), (".promo", "the promo slot"),
                               (".related", "related articles")]:
            self.assertIn(selector, hidden, f"print.css hides {what}")
            self.assertTrue(doc.find(cls=selector[1:]), f"the page has {what} ({selector})")

    def test_static_asset_etag_round_trip_gives_304(self):
        _, doc = self.page("/")
        css = next(l.get("href") for l in doc.find_all("link", rel="stylesheet") if CSS_URL.match(l.get("href")))
        r = self.get(css)
        etag = r.header("ETag")
        self.assertTrue(etag and etag.startswith('"'), f"strong ETag: {etag}")
        r2 = self.server.raw_request(f"GET {css} HTTP/1.1\r\nHost: t\r\nIf-None-Match: {etag}\r\n"
                                     f"Connection: close\r\n\r\n".encode())
        self.assertEqual(r2.status, 304)
        self.assertEqual(r2.body, b"")
        self.assertEqual(r2.header("ETag"), etag)

    def test_static_path_traversal_is_refused(self):
        for target in ["/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                       "/static/..%2fCMakeLists.txt", "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                       "/static/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd", "/static/....//....//etc/passwd",
                       "/static/..%5c..%5cCMakeLists.txt", "/static/%252e%252e/CMakeLists.txt",
                       "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/.%2e/config/demo.toml",
                       "/static/site.css/../../../CMakeLists.txt"]:
            with self.subTest(target=target):
                r = self.server.raw_request(f"GET {target} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
                self.assertIn(r.status, (400, 404), target)
                for marker in FILE_MARKERS:
                    self.assertNotIn(marker, r.body, target)
        self.assert_still_serving()

    # ------------------------------------------------------------- headers

    def test_html_responses_carry_security_headers(self):
        a = DEMO[EDITORIAL[0]]
        for path in ["/", a.path, a.path + "/print", "/world", "/sport", "/search?q=water",
                     ABOUT_SPONSORED, "/author/mara-lindqvist"]:
            with self.subTest(path=path):
                r = self.get(path)
                self.assertTrue(r.header("Content-Type").startswith("text/html"))
                csp = r.header("Content-Security-Policy") or ""
                self.assertIn("default-src 'self'", csp)
                self.assertIn("object-src 'none'", csp)
                self.assertIn("frame-ancestors 'none'", csp)
                self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
                self.assertTrue(r.header("Referrer-Policy"))

    def test_gzip_article_decompresses_to_the_identity_body(self):
        path = DEMO[EDITORIAL[0]].path
        plain = self.get(path)
        zipped = self.get(path, {"Accept-Encoding": "gzip"})
        self.assertEqual(zipped.status, 200)
        self.assertIsNone(plain.header("Content-Encoding"))
        self.assertEqual(zipped.header("Content-Encoding"), "gzip")
        self.assertLess(len(zipped.body), len(plain.body))
        self.assertEqual(gzip.decompress(zipped.body), plain.body)
        for r in (plain, zipped):
            self.assertIn("accept-encoding", (r.header("Vary") or "").lower())
        refused = self.get(path, {"Accept-Encoding": "gzip;q=0, identity"})
        self.assertIsNone(refused.header("Content-Encoding"), "q=0 refuses gzip")
        self.assertEqual(refused.body, plain.body)

    def test_article_etag_round_trip_gives_304_without_body(self):
        # Only articles that are the same for every reader (free, sponsored)
        # carry an ETag; a metered page is made per reader (test_paywall.py).
        path = DEMO[FREE[0]].path
        r = self.get(path)
        etag = r.header("ETag")
        self.assertTrue(etag)
        self.assertEqual(self.get(path).header("ETag"), etag, "the ETag is stable")
        r2 = self.server.raw_request(f"GET {path} HTTP/1.1\r\nHost: t\r\nIf-None-Match: {etag}\r\n"
                                     f"Connection: close\r\n\r\n".encode())
        self.assertEqual(r2.status, 304)
        self.assertEqual(r2.body, b"", "a 304 has no body")
        self.assertEqual(r2.header("ETag"), etag)
        r3 = self.get(path, {"If-None-Match": '"0000000000000000"'})
        self.assertEqual((r3.status, r3.body), (200, r.body), "another ETag gets the page")

    def test_not_modified_keeps_the_vary_header_of_the_200(self):
        # RFC 9110 15.4.5: a 304 carries the Vary the 200 would have carried.
        # (A free article: metered pages have no ETag, hence no 304.)
        path = DEMO[FREE[0]].path
        r = self.get(path)
        self.assertIn("Accept-Encoding", r.header("Vary") or "")
        r2 = self.get(path, {"If-None-Match": r.header("ETag")})
        self.assertEqual(r2.status, 304)
        self.assertIn("Accept-Encoding", r2.header("Vary") or "", f"304 headers: {r2.headers}")

    def test_head_returns_the_get_headers_and_no_body(self):
        # A cookieless GET of a metered article is a new reader, given a
        # fresh identity (Set-Cookie); HEAD is safe and issues none. Every
        # other header is the same.
        for path in [DEMO[METERED[0]].path, DEMO[FREE[0]].path, DEMO[SPONSORED[0]].path, "/",
                     "/sport"]:
            with self.subTest(path=path):
                def raw(method):
                    return self.server.raw_request(
                        f"{method} {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
                got, head = raw("GET"), raw("HEAD")
                self.assertEqual(head.status, got.status)
                self.assertEqual(head.body, b"", "HEAD has no body")
                self.assertEqual(int(got.header("Content-Length")), len(got.body))
                strip = lambda r: sorted((k.lower(), v) for k, v in r.headers
                                         if k.lower() not in ("date", "set-cookie"))
                self.assertEqual(strip(head), strip(got))
                self.assertEqual(head.header_all("Set-Cookie"), [], "HEAD issues no identity")
                metered = path == DEMO[METERED[0]].path
                self.assertEqual(len(got.header_all("Set-Cookie")), 1 if metered else 0)

    # --------------------------------------------------------------- media

    def test_media_images_are_svg_with_a_sandbox_csp(self):
        for slug in DEMO:
            with self.subTest(slug=slug):
                r = self.get(demo_media_path(slug))
                self.assertEqual(r.status, 200)
                self.assertEqual(r.header("Content-Type"), "image/svg+xml")
                csp = r.header("Content-Security-Policy") or ""
                self.assertIn("sandbox", csp)
                self.assertIn("default-src 'none'", csp)
                self.assertEqual(r.body, demo_image(slug))

    def test_media_images_are_content_addressed_and_immutable(self):
        # An image's name carries a digest of its bytes, so its URL always
        # means the same picture and may be cached for a year, unasked.
        for slug in DEMO:
            with self.subTest(slug=slug):
                _, doc = self.article_page(slug)
                src = doc.find("figure", cls="hero").find("img").get("src")
                self.assertRegex(src, rf"^/media/{re.escape(slug)}\.[0-9a-f]{{16}}\.svg$")
                r = self.get(src)
                self.assertEqual((r.status, r.body), (200, demo_image(slug)))
                cache = [d.strip() for d in r.header("Cache-Control").split(",")]
                self.assertEqual(sorted(cache), ["immutable", "max-age=31536000", "public"])
                etag = r.header("ETag")
                again = self.get(src, {"If-None-Match": etag})
                self.assertEqual((again.status, again.body), (304, b""), "revalidation still works")
        self.assertEqual(self.get(f"/media/{EDITORIAL[0]}.svg").status, 404,
                         "the bare slug names no image")

    def test_unknown_media_is_404(self):
        for path in ["/media/no-such-image.svg", "/media/no-such-image"]:
            with self.subTest(path=path):
                self.assertEqual(self.get(path).status, 404)
        r = self.server.raw_request(b"GET /media/..%2f..%2fdemo.db HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        self.assertIn(r.status, (400, 404))
        self.assertNotIn(b"SQLite format", r.body)


# ================================================================= languages

THREE_AUTHORS = ["Quinn Tester", "Robin Checker", "Sasha Prover"]


class LanguagesTest(ServerTestCase):
    """site.locales = ["en-GB", "ja-JP"]: the same articles (written in
    English) in an English and a Japanese interface, picked by Accept-Language."""

    site = {"locales": ["en-GB", "ja-JP"]}
    SLUG = "integration-three-bylines"
    JAPANESE = "integration-written-in-japanese"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory(prefix="masthead-languages-")
        cls.addClassCleanup(cls.tmp.cleanup)
        path = write_article(cls.tmp.name, cls.SLUG, ["One paragraph.", "Another one."],
                             byline="Quinn Tester, Robin Checker and Sasha Prover",
                             kicker=None)  # the kicker is then the section's name
        japanese = write_article(cls.tmp.name, cls.JAPANESE, ["日本語の本文です。", "二段落目。"],
                                 headline="港のクレーンが止まる", deck="一文の要約。",
                                 kicker="港湾スト", language="ja")
        for file in (path, japanese):
            added = cls.server.cli("article", "add", "--file", str(file))
            if added.returncode != 0:
                raise AssertionError(f"article add failed: {added.stderr}")

    def page_in(self, language, path):
        r = self.get(path, {"Accept-Language": language})
        self.assertEqual(r.status, 200, f"GET {path} in {language}")
        doc = parse_html(r.text)
        self.assertEqual(doc.find("html").get("lang"), language[:2], f"{path} in {language}")
        return doc

    def test_bylines_join_authors_as_the_interface_language_does(self):
        for language, joined in [("en", "Quinn Tester, Robin Checker and Sasha Prover"),
                                 ("ja-JP", "Quinn Tester、Robin Checker、Sasha Prover")]:
            with self.subTest(language=language):
                doc = self.page_in(language, f"/world/{self.SLUG}")
                byline = doc.find("article").find("p", cls="byline")
                self.assertEqual(byline.clean_text(), joined)
                self.assertEqual([a.clean_text() for a in byline.find_all("a")], THREE_AUTHORS,
                                 "each author is still a link")
                cards = [c for c in self.page_in(language, "/world").find_all("li", cls="card")
                         if any(a.get("href") == f"/world/{self.SLUG}" for a in c.find_all("a"))]
                self.assertEqual(len(cards), 1)
                self.assertEqual(cards[0].find("p", cls="card-meta").clean_text().split(" · ")[0],
                                 joined, "cards name the authors the same way")

    def text_langs(self, doc):
        """The lang attributes of an article page's own text, by element."""
        article = doc.find("article")
        found = {"headline": article.find("h1", cls="headline"),
                 "deck": article.find("p", cls="deck"),
                 "kicker": article.find("p", cls="kicker"),
                 "figure": article.find("figure", cls="hero"),
                 "body": article.find("div", cls="article-body")}
        return {name: e.get("lang") for name, e in found.items()}

    def json_ld(self, doc):
        return json.loads(doc.find("script", type="application/ld+json").text())

    def test_english_articles_in_the_japanese_interface_are_marked_english(self):
        slug = METERED[0]
        doc = self.page_in("ja-JP", DEMO[slug].path)
        self.assertEqual(self.text_langs(doc), dict.fromkeys(
            ["headline", "deck", "kicker", "figure", "body"], "en-GB"),
            "the site's content language is its default locale's")
        self.assertIsNone(doc.find("div", cls="article-meta").get("lang"),
                          "the interface's own words (dates) stay Japanese")
        self.assertEqual(self.json_ld(doc)["inLanguage"], "en-GB")
        cards = doc.find("aside", cls="related").find_all("h3", cls="card-headline")
        self.assertTrue(cards and all(h.get("lang") == "en-GB" for h in cards),
                        "card headlines are marked too")

    def test_english_articles_in_the_english_interface_need_no_mark(self):
        doc = self.page_in("en", DEMO[METERED[0]].path)
        self.assertEqual(self.text_langs(doc), dict.fromkeys(
            ["headline", "deck", "kicker", "figure", "body"]))
        self.assertEqual(self.json_ld(doc)["inLanguage"], "en-GB")

    def test_an_article_names_its_own_language(self):
        path = f"/world/{self.JAPANESE}"
        in_english = self.page_in("en", path)
        self.assertEqual(self.text_langs(in_english), dict.fromkeys(
            ["headline", "deck", "kicker", "figure", "body"], "ja"))
        self.assertEqual(self.json_ld(in_english)["inLanguage"], "ja")
        self.assertEqual(self.text_langs(self.page_in("ja-JP", path)), dict.fromkeys(
            ["headline", "deck", "kicker", "figure", "body"]), "no mark in a Japanese page")

    def test_japanese_pages_name_sections_from_the_catalog(self):
        japanese = ["国際", "ビジネス", "テクノロジー", "オピニオン"]
        names = {"en": [name for _, name in MENU], "ja-JP": japanese}
        for language, expected in names.items():
            with self.subTest(language=language):
                front = self.page_in(language, "/")
                menu = [(a.get("href"), a.clean_text()) for a in front.find("nav", cls="menu").find_all("a")]
                self.assertEqual(menu, list(zip(MENU_PATHS, expected)), "the menu")
                footer = [a.clean_text() for a in front.find("footer").find_all("a")][:4]
                self.assertEqual(footer, expected, "the footer's section links")
                blocks = [b.find("h2").clean_text() for b in front.find_all("section", cls="section-block")
                          if "sponsored-block" not in b.classes]
                self.assertEqual(blocks, expected, "the front page's section blocks")
                world = self.page_in(language, "/world")
                self.assertEqual(world.find("h1").clean_text(), expected[0], "the section page")
                self.assertTrue(world.find("title").clean_text().startswith(expected[0] + " — "))
                article = self.page_in(language, f"/world/{self.SLUG}")
                self.assertEqual(article.find("article").find("p", cls="kicker").clean_text(),
                                 expected[0], "an article without a kicker shows its section")
                self.assertEqual(self.json_ld(article)["articleSection"], expected[0])
        more = [p.clean_text() for p in self.page_in("ja-JP", "/").find_all("p", cls="more")]
        self.assertIn("国際の記事をもっと見る", more)

    def test_two_authors_in_japanese(self):
        slug = next(s for s, a in DEMO.items() if len(a.authors) == 2)
        doc = self.page_in("ja-JP", DEMO[slug].path)
        self.assertEqual(doc.find("article").find("p", cls="byline").clean_text(),
                         "、".join(DEMO[slug].authors))


# ================================================================ pagination

class SectionPaginationTest(ServerTestCase):
    """Section pages with page_size = 2 (the demo has six World articles)."""

    site = {"page_size": 2}

    def world(self):
        return [DEMO[s].path for s in newest_first(s for s in DEMO if DEMO[s].section == "world")]

    def test_section_page_lists_only_its_articles_across_pages(self):
        expected = self.world()
        self.assertEqual(len(expected), 6)
        self.assertEqual(self.collect_list("/world"), expected)
        for n in (1, 2, 3):
            with self.subTest(page=n):
                _, doc = self.page("/world" if n == 1 else f"/world?page={n}")
                paths = self.card_paths(doc.find("main"))
                self.assertEqual(paths, expected[2 * (n - 1):2 * n])
                self.assertEqual(doc.find("h1").clean_text(), "World")

    def test_section_pagination_links_and_labels(self):
        pages = {n: self.page("/world" if n == 1 else f"/world?page={n}")[1] for n in (1, 2, 3)}
        rel = lambda doc, r: [a.get("href") for a in doc.find_all("a", rel=r)]
        self.assertEqual((rel(pages[1], "prev"), rel(pages[1], "next")), ([], ["/world?page=2"]))
        self.assertEqual((rel(pages[2], "prev"), rel(pages[2], "next")), (["/world"], ["/world?page=3"]))
        self.assertEqual((rel(pages[3], "prev"), rel(pages[3], "next")), (["/world?page=2"], []))
        for n, doc in pages.items():
            self.assertIn(f"Page {n} of 3", doc.find("nav", cls="pagination").clean_text())
            canonical = BASE_URL + ("/world" if n == 1 else f"/world?page={n}")
            self.assertEqual(doc.find("link", rel="canonical").get("href"), canonical)
        menu = pages[1].find("nav", cls="menu")
        self.assertEqual([a.get("href") for a in menu.find_all("a", aria_current="page")], ["/world"])

    def test_section_page_numbers_out_of_range_or_malformed_are_404(self):
        for query in ["?page=0", "?page=abc", "?page=999", "?page=4", "?page=-1", "?page=1.5",
                      "?page=", "?page=%201", "?page=99999999999999999999"]:
            with self.subTest(query=query):
                self.assert_helpful_404(self.get("/world" + query), "/world" + query)
        self.assertEqual(self.get("/world?page=1").body, self.get("/world").body)

    def test_tag_and_author_pages_paginate(self):
        for path, expected in [
                ("/tag/climate", [s for s in DEMO if "Climate" in DEMO[s].tags]),
                ("/author/hana-kobayashi", [s for s in DEMO if "Hana Kobayashi" in DEMO[s].authors])]:
            with self.subTest(path=path):
                self.assertGreater(len(expected), 2, "more than one page at page_size 2")
                self.assertEqual(self.collect_list(path), [DEMO[s].path for s in newest_first(expected)])
                _, doc = self.page(path)
                self.assertEqual(len(self.card_paths(doc.find("main"))), 2)
                pages = math.ceil(len(expected) / 2)
                self.assertIn(f"Page 1 of {pages}", doc.find("nav", cls="pagination").clean_text())

    def test_section_trailing_slash_redirects(self):
        for section in ("world", "opinion"):
            r = self.get(f"/{section}/")
            self.assertEqual(r.status, 301)
            self.assertEqual(r.header("Location"), f"/{section}")

    def test_unknown_section_gets_the_helpful_404(self):
        for path in ["/sport", "/sport?page=2", "/sport/some-story", "/world/no-such-story",
                     "/world/no-such-story/print"]:
            with self.subTest(path=path):
                self.assert_helpful_404(self.get(path), path)


# ========================================================== hostile requests

class HostileRequestTest(ServerTestCase):
    """Malformed requests over raw sockets; each is followed by a normal one."""

    server_options = {"max_body_bytes": 4096, "request_timeout_ms": 1000}

    def send(self, data: bytes, timeout: float = 10):
        r = self.server.raw_request(data, timeout)
        self.assert_still_serving()
        return r

    def test_garbage_request_line_is_400(self):
        for line in [b"GARBAGE\r\n\r\n", b"hello world\r\n\r\n", b"GET\r\n\r\n",
                     b"GET / HTTP/9.9\r\nHost: t\r\n\r\n", b"\x00\x01\x02\xff\r\n\r\n",
                     b"GET / HTTP/1.1\r\nHost: t\r\nBad Header Line\r\n\r\n"]:
            with self.subTest(line=line[:30]):
                self.assertEqual(self.send(line).status, 400)

    def test_header_block_over_16_kib_is_431(self):
        one_big = b"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * (17 * 1024) + b"\r\n\r\n"
        many = (b"GET / HTTP/1.1\r\nHost: t\r\n" +
                b"".join(b"X-H%d: %s\r\n" % (i, b"b" * 100) for i in range(200)) + b"\r\n")
        long_target = b"GET /search?q=" + b"a" * (17 * 1024) + b" HTTP/1.1\r\nHost: t\r\n\r\n"
        for name, data in [("one header", one_big), ("many headers", many), ("long target", long_target)]:
            with self.subTest(name):
                self.assertEqual(self.send(data).status, 431)

    def test_header_block_under_the_limit_is_served(self):
        r = self.send(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Pad: " + b"p" * 8000 +
                      b"\r\nConnection: close\r\n\r\n")
        self.assertEqual((r.status, r.body), (200, b"ok\n"))

    def test_body_larger_than_the_limit_is_413(self):
        for method in (b"POST", b"PUT"):
            with self.subTest(method=method):
                r = self.send(method + b" / HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000)
                self.assertEqual(r.status, 413)
        chunked = (b"POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" +
                   b"1000\r\n" + b"y" * 4096 + b"\r\n1000\r\n" + b"y" * 4096 + b"\r\n0\r\n\r\n")
        self.assertEqual(self.send(chunked).status, 413, "a chunked body over the limit")

    def test_target_not_in_origin_form_is_400(self):
        for target in [b"http://evil.example/", b"*", b"evil", b"example.com:443", b"?q=1"]:
            with self.subTest(target=target):
                r = self.send(b"GET " + target + b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                self.assertEqual(r.status, 400)

    def test_nul_in_path_or_missing_host_is_400(self):
        self.assertEqual(self.send(b"GET /world%00 HTTP/1.1\r\nHost: t\r\n\r\n").status, 400)
        self.assertEqual(self.send(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n").status, 400)
        self.assertEqual(self.send(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").status, 400)

    def test_unknown_method_on_a_get_route_is_405_with_allow(self):
        for method in [b"BREW", b"DELETE", b"POST", b"PATCH"]:
            with self.subTest(method=method):
                r = self.send(method + b" /world HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n"
                              b"Connection: close\r\n\r\n")
                self.assertIn(r.status, (405, 400))
                if r.status == 405:
                    allow = [m.strip() for m in (r.header("Allow") or "").split(",")]
                    self.assertIn("GET", allow)
                    self.assertIn("HEAD", allow)

    def test_unknown_path_is_404(self):
        for path in [b"/no/such/page/here", b"/wp-login.php", b"/.env", b"/admin/../etc/passwd"]:
            with self.subTest(path=path):
                r = self.send(b"GET " + path + b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                self.assertEqual(r.status, 404)

    def test_request_not_received_in_time_is_408(self):
        # The socket gives up after 10 s, before the default request timeout
        # (15 s) would fire: a 408 at all is the configured 1000 ms at work.
        r = self.send(b"GET / HTTP/1.1\r\nHost: t\r\n", timeout=10)  # never finished
        self.assertEqual(r.status, 408)

    def test_pipelined_requests_are_answered_in_order(self):
        data = (b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n" +
                b"GET /no-such-page HTTP/1.1\r\nHost: t\r\n\r\n" +
                b"GET /robots.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        raw = self.server.raw(data)
        statuses = [int(m) for m in re.findall(rb"^HTTP/1\.1 (\d{3})", raw, re.M)]
        self.assertEqual(statuses, [200, 404, 200])


# ======================================================================= CLI

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">'
       b'<rect width="640" height="360" fill="#2a6"/></svg>')


class ArticleCliTest(ServerTestCase):
    """`masthead article add` against a running server's database."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="masthead-article-")
        self.addCleanup(self.tmp.cleanup)
        self.dir = pathlib.Path(self.tmp.name)
        (self.dir / "picture.svg").write_bytes(SVG)

    def article_file(self, slug, **overrides):
        """Writes an article file; returns (path, {key: line number})."""
        fields = {
            "slug": slug, "section": "world", "kicker": "Integration",
            "headline": f"Test headline for {slug}", "deck": f"The deck of {slug}.",
            "dateline": "TESTVILLE", "byline": "Quinn Tester", "tags": "[Testing, Climate]",
            "image": "picture.svg", "image_alt": "A green rectangle",
            "image_caption": "A caption for the test picture.", "image_credit": "Illustration by the test suite",
            "status": "published",
            "published_at": iso_utc(datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1)),
        }
        for k, v in overrides.items():
            if v is None:
                fields.pop(k, None)
            else:
                fields[k] = v
        lines, where = ["---"], {}
        for k, v in fields.items():
            lines.append(f"{k}: {v}")
            where[k] = len(lines)
        word = "zyxquor" + slug.replace("-", "")
        lines += ["---", f"The first paragraph mentions {word} once.", "",
                  "A second paragraph, with a [link](https://example.org/page).", ""]
        path = self.dir / f"{slug}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        return path, where

    def add(self, path):
        return self.server.cli("article", "add", "--file", str(path))

    def assert_rejected(self, path, *fragments):
        before = self.server.cli("article", "list").stdout
        result = self.add(path)
        self.assertNotEqual(result.returncode, 0, f"{path.name} is rejected: {result.stdout}")
        for fragment in fragments:
            self.assertIn(fragment, result.stderr, f"the message names {fragment!r}")
        self.assertEqual(self.server.cli("article", "list").stdout, before, "nothing was stored")
        return result

    def test_valid_article_is_stored_and_served_within_a_second(self):
        slug = "integration-zebra-crossing"
        path, _ = self.article_file(slug)
        self.assertEqual(self.get("/world").status, 200)  # warm the page cache
        result = self.add(path)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"/world/{slug}", result.stdout)
        r = poll(lambda: self.get(f"/world/{slug}").status == 200, timeout=1.0)
        self.assertTrue(r, "the new article is served within a second")
        listed = poll(lambda: f"/world/{slug}" in self.card_paths(parse_html(self.get("/world").text)), 1.0)
        self.assertTrue(listed, "the cached section page notices the new article within a second")
        doc = parse_html(self.get(f"/world/{slug}").text)
        self.assertEqual(doc.find("h1").clean_text(), f"Test headline for {slug}")
        img = doc.find("figure").find("img")
        self.assertEqual((img.get("alt"), img.get("width"), img.get("height")), ("A green rectangle", "640", "360"))
        media = self.get(img.get("src"))
        self.assertEqual((media.status, media.header("Content-Type"), media.body), (200, "image/svg+xml", SVG))
        found = self.card_paths(parse_html(self.get("/search?q=zyxquor" + slug.replace("-", "")).text).find("main"))
        self.assertEqual(found, [f"/world/{slug}"], "search indexes the new body")
        self.assertIn(f"{BASE_URL}/world/{slug}", self.get("/sitemap.xml").text)
        self.assertIn(f"/world/{slug}", [r[2] for r in article_list(self.server)])

    def test_unknown_key_is_rejected_naming_line_and_key(self):
        path, where = self.article_file("integration-unknown-key", kickr="Typo")
        self.assert_rejected(path, "kickr", f":{where['kickr']}:")
        self.assertEqual(self.get("/world/integration-unknown-key").status, 404)

    def test_bad_published_at_is_rejected_naming_line_and_key(self):
        path, where = self.article_file("integration-bad-time", published_at="yesterday at noon")
        self.assert_rejected(path, "published_at", f":{where['published_at']}:")
        path, where = self.article_file("integration-bad-time", published_at="2026-02-30T10:00:00Z")
        self.assert_rejected(path, "published_at", f":{where['published_at']}:")
        self.assertEqual(self.get("/world/integration-bad-time").status, 404)

    def test_missing_image_is_rejected_naming_the_key(self):
        path, _ = self.article_file("integration-missing-image", image="no-such-picture.svg")
        self.assert_rejected(path, "image", "no-such-picture.svg")
        self.assertEqual(self.get("/world/integration-missing-image").status, 404)

    def test_unknown_section_is_rejected_naming_the_key_and_leaves_no_image(self):
        path, _ = self.article_file("integration-no-section", section="sport")
        self.assert_rejected(path, "section", "sport")
        self.assertEqual(self.get("/sport/integration-no-section").status, 404)
        self.assertEqual(self.get(media_path("integration-no-section", SVG)).status, 404,
                         "no orphan image")

    def test_draft_article_is_neither_served_nor_listed(self):
        slug = "integration-draft-piece"
        path, _ = self.article_file(slug, status="draft")
        result = self.add(path)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("draft", result.stdout)
        self.assertIn(("draft", f"/world/{slug}"), [(r[1], r[2]) for r in article_list(self.server)])
        self.assertEqual(self.get(f"/world/{slug}").status, 404)
        self.assertEqual(self.get(f"/world/{slug}/print").status, 404)
        self.assertNotIn(slug, self.get("/sitemap.xml").text)
        self.assertNotIn(slug, self.get("/world").text)
        self.assertNotIn(slug, self.get("/search?q=zyxquor" + slug.replace("-", "")).text)

class ScheduledArticleTest(ServerTestCase):
    """A scheduled article, on a server whose clock is the clock file: it is
    404 and unlisted up to the second before its publication time and served
    from that second on, with no real time passing."""

    clock = "2026-12-02T10:00:00Z"

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="masthead-article-")
        self.addCleanup(self.tmp.cleanup)

    def listed(self, path):
        return path in self.card_paths(parse_html(self.get("/world").text))

    def test_scheduled_article_is_404_before_its_time_and_200_after(self):
        slug = "integration-scheduled-piece"
        path = f"/world/{slug}"
        article = write_article(self.tmp.name, slug, ["A scheduled paragraph."],
                                status="scheduled", published_at="2026-12-02T11:00:00Z")
        self.assertEqual(self.get("/world").status, 200)  # warm the page cache
        result = self.server.add_article(article)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("scheduled", result.stdout)
        self.assertEqual(self.get(path).status, 404, "not visible before its time")
        self.assertFalse(self.listed(path))

        self.server.set_clock("2026-12-02T10:59:59Z")  # the last second before it
        self.assertEqual(self.get(path).status, 404, "not visible a second before its time")
        self.assertFalse(self.listed(path))

        self.server.set_clock("2026-12-02T11:00:00Z")
        self.assertEqual(self.get(path).status, 200, "visible at its publication time")
        # The cached section page learns of the article by its content
        # check (every 250 ms of real time, like any CLI-added article).
        self.assertTrue(poll(lambda: self.listed(path), 1.0),
                        "the cached section page lists it once its time has come")


RESERVED_SECTION_SLUGS = [
    "login", "register", "subscribe", "checkout", "webhooks", "reset", "confirm", "logout",
    "account", "api", "admin", "feed", "feeds", "search", "author", "tag", "about", "media",
    "static", "sitemap.xml", "robots.txt", "healthz", "metrics", "offers"]


class SectionCliTest(ServerTestCase):
    """`masthead section add` against a running server's database."""

    def sections(self):
        out = self.server.cli("section", "list")
        self.assertEqual(out.returncode, 0, out.stderr)
        return out.stdout

    def test_reserved_slugs_are_refused_and_nothing_is_stored(self):
        before = self.sections()
        for slug in RESERVED_SECTION_SLUGS:
            with self.subTest(slug=slug):
                result = self.server.cli("section", "add", "--slug", slug, "--name", "Taken")
                self.assertEqual(result.returncode, 1, f"section add --slug {slug}: {result.stdout}")
                self.assertIn(f"'{slug}' is reserved", result.stderr)
                self.assertEqual(result.stdout, "", "nothing reports success")
        self.assertEqual(self.sections(), before, "no section was stored")
        self.assertNotIn("Taken", self.get("/").text, "the menu is unchanged")

    def test_a_free_slug_is_stored_and_served(self):
        result = self.server.cli("section", "add", "--slug", "sport", "--name", "Sport", "--order", "9")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("/sport", self.sections())
        self.assertTrue(poll(lambda: self.get("/sport").status == 200, timeout=1.0),
                        "the new (empty) section is served within a second")


class ConfigTest(unittest.TestCase):
    """`masthead serve` refuses a bad configuration file before serving."""

    def serve_with(self, text):
        with tempfile.TemporaryDirectory(prefix="masthead-config-") as tmp:
            config = pathlib.Path(tmp) / "bad.toml"
            config.write_text(text)
            try:
                return run_cli("serve", "--config", str(config), "--port", "0",
                               "--db", str(pathlib.Path(tmp) / "none.db"), timeout=10)
            except subprocess.TimeoutExpired:
                self.fail("masthead serve started with a bad configuration")

    def test_unknown_key_stops_start_up_naming_the_key(self):
        result = self.serve_with('[site]\nname = "X"\ncolour = "blue"\n\n[server]\naccess_log = "off"\n')
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("colour", result.stderr)
        self.assertIn(":3:", result.stderr, "the message names the line")
        self.assertNotIn("Masthead is serving", result.stdout)

    def test_unknown_table_and_bad_value_stop_start_up(self):
        for text, fragment in [('[sever]\nport = 1\n', "sever"),
                               ('[site]\npage_size = 0\n', "page_size"),
                               ('[site]\nbase_url = "http://x.test/"\n', "base_url"),
                               ('[server]\nport = "eighty"\n', "port")]:
            with self.subTest(fragment=fragment):
                result = self.serve_with(text)
                self.assertNotEqual(result.returncode, 0)
                self.assertIn(fragment, result.stderr)
                self.assertNotIn("Masthead is serving", result.stdout)


# ================================================================== shutdown

class GracefulShutdownTest(unittest.TestCase):

    def test_sigterm_with_an_open_keep_alive_connection_exits_zero(self):
        server = MastheadServer()
        self.addCleanup(server.cleanup)
        server.start()
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        self.addCleanup(conn.close)
        conn.request("GET", "/healthz")
        r = conn.getresponse()
        self.assertEqual((r.status, r.read()), (200, b"ok\n"))
        self.assertNotEqual((r.getheader("Connection") or "").lower(), "close", "kept alive")
        idle = socket.create_connection(("127.0.0.1", server.port), timeout=10)  # never sends
        self.addCleanup(idle.close)
        # stop() fails the test if the exit takes over 5 s: half the shutdown
        # grace (10 s), so the idle connections did not hold the server up.
        code = server.stop(timeout=5)
        self.assertEqual(code, 0, f"exit code after SIGTERM; stderr:\n{server.stderr()}")
        self.assertIn("Masthead stopped.", server.stdout_lines)
        conn.sock.settimeout(5)
        self.assertEqual(conn.sock.recv(1), b"", "the kept-alive connection was closed")


if __name__ == "__main__":
    unittest.main()
