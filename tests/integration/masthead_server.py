"""Helpers for the HTTP integration tests: run the real `masthead` binary,
talk to it over HTTP and raw sockets, parse its HTML, and read the demo
articles' Markdown sources (the oracle the pages are checked against). For the
paywall tests: extra config tables, a clock file, SIGKILL and restart, a
reader with a cookie jar (Reader), and article files for `article add`.

Python 3.11 standard library only. Never urllib: this machine has proxy
variables set and urllib honours them; everything here goes straight to
127.0.0.1 with http.client or a raw socket.
"""
from __future__ import annotations

import dataclasses
import datetime
import gzip
import hashlib
import html.parser
import http.client
import os
import pathlib
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
DEMO_DIR = REPO_ROOT / "demo" / "articles"

BASE_URL = "http://masthead.test"
SITE_NAME = "The Test Gazette"
SITE_DESCRIPTION = "Integration-test edition of the demo publication."

SERVING_LINE = re.compile(r"Masthead is serving .* at http://127\.0\.0\.1:(\d+)/")


def masthead_bin() -> str:
    path = os.environ.get("MASTHEAD_BIN") or str(REPO_ROOT / "build" / "masthead")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"masthead binary not found at {path!r}; set MASTHEAD_BIN")
    return path


def child_env() -> dict:
    """The environment for masthead processes: ours without MASTHEAD_* keys,
    which would override the test configuration."""
    return {k: v for k, v in os.environ.items() if not k.startswith("MASTHEAD_")}


def run_cli(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([masthead_bin(), *args], capture_output=True, text=True,
                          timeout=timeout, env=child_env())


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_text(tables: dict) -> str:
    lines = []
    for table, keys in tables.items():
        lines.append(f"[{table}]")
        lines.extend(f"{k} = {toml_value(v)}" for k, v in keys.items())
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------- responses

@dataclasses.dataclass
class Response:
    status: int
    reason: str
    headers: list  # [(name, value)] in wire order
    body: bytes

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def header_all(self, name: str) -> list:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def text(self) -> str:
        return self.decoded.decode("utf-8")

    @property
    def decoded(self) -> bytes:
        """The body with its Content-Encoding (gzip) undone."""
        if (self.header("Content-Encoding") or "").lower() == "gzip" and self.body:
            return gzip.decompress(self.body)
        return self.body

    def header_bytes(self) -> bytes:
        return "\r\n".join(f"{k}: {v}" for k, v in self.headers).encode("utf-8", "replace")


def parse_raw_response(data: bytes) -> Response:
    """One HTTP/1.1 response as read to EOF from a raw socket; `body` is
    everything after the header block, exactly as received."""
    head, sep, rest = data.partition(b"\r\n\r\n")
    if not sep:
        raise AssertionError(f"no complete HTTP response header in {data[:200]!r}")
    lines = head.decode("iso-8859-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3}) ?(.*)", lines[0])
    if not m:
        raise AssertionError(f"bad status line {lines[0]!r}")
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return Response(int(m.group(1)), m.group(2), headers, rest)


# ------------------------------------------------------------------- server

class MastheadServer:
    """A demo database in a temporary directory and one `masthead serve` on
    port 0. start() returns once the server has printed its address.

    `tables` adds configuration tables ({"paywall": {...}, "crawlers": {...}}).
    `clock` (an ISO 8601 instant) starts the server with `--clock-file`: its
    "now" is then that instant until set_clock() writes another. A stopped
    or killed server can be started again on the same database (new port)."""

    def __init__(self, site: dict | None = None, server: dict | None = None,
                 tables: dict | None = None, clock: str | None = None):
        self.tmp = tempfile.TemporaryDirectory(prefix="masthead-it-")
        self.dir = pathlib.Path(self.tmp.name)
        self.db = str(self.dir / "demo.db")
        self.config = str(self.dir / "test.toml")
        site_keys = {"name": SITE_NAME, "base_url": BASE_URL, "description": SITE_DESCRIPTION,
                     "locale": "en-GB", "timezone": "Europe/London"}
        site_keys.update(site or {})
        server_keys = {"bind": "127.0.0.1", "threads": 2, "access_log": "off"}
        server_keys.update(server or {})
        config = {"site": site_keys, "server": server_keys}
        config.update(tables or {})
        pathlib.Path(self.config).write_text(toml_text(config))
        self.clock_file: str | None = None
        if clock is not None:
            self.clock_file = str(self.dir / "clock.txt")
            self._write_clock(clock)
        init = run_cli("init", "--demo", "--db", self.db)
        if init.returncode != 0:
            raise RuntimeError(f"masthead init failed ({init.returncode}): {init.stderr}")
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.stdout_lines: list[str] = []
        self._serving = threading.Event()
        self._stdout_closed = threading.Event()
        self._stderr_path = self.dir / "stderr.txt"

    # -- lifecycle

    def start(self, timeout: float = 15) -> "MastheadServer":
        self.port = None
        self._serving.clear()
        self._stdout_closed.clear()
        args = [masthead_bin(), "serve", "--db", self.db, "--port", "0", "--config", self.config]
        if self.clock_file is not None:
            args += ["--clock-file", self.clock_file]
        self._stderr = open(self._stderr_path, "ab")
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._stderr,
                                        env=child_env())
        threading.Thread(target=self._read_stdout, args=(self.process,), daemon=True).start()
        deadline = time.monotonic() + timeout
        while not self._serving.is_set():
            if self.process.poll() is not None:
                raise RuntimeError(f"masthead serve exited with {self.process.returncode} before "
                                   f"serving; stderr: {self.stderr()}")
            if time.monotonic() > deadline:
                self.process.kill()
                raise RuntimeError(f"masthead serve did not announce its port within {timeout}s")
            self._serving.wait(0.05)
        return self

    def _read_stdout(self, process):
        for raw in process.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.stdout_lines.append(line)
            m = SERVING_LINE.search(line)
            if m and self.port is None:
                self.port = int(m.group(1))
                self._serving.set()
        self._stdout_closed.set()

    def stop(self, timeout: float = 10) -> int:
        """SIGTERM, then wait; returns the exit code (kills and raises on a hang)."""
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"masthead serve did not exit within {timeout}s of SIGTERM")
        finally:
            self._stdout_closed.wait(5)
            self.process.stdout.close()
            self._stderr.close()
        return code

    def kill(self) -> int:
        """SIGKILL (no chance to flush or clean up); returns the exit status."""
        self.process.send_signal(signal.SIGKILL)
        code = self.process.wait(10)
        self._stdout_closed.wait(5)
        self.process.stdout.close()
        self._stderr.close()
        return code

    def _write_clock(self, when):
        if isinstance(when, datetime.datetime):
            when = iso_utc(when)
        tmp = self.clock_file + ".tmp"
        pathlib.Path(tmp).write_text(when + "\n")
        os.replace(tmp, self.clock_file)  # never a half-written file

    def set_clock(self, when):
        """Sets the server's now (an ISO 8601 string or an aware datetime).
        The server reads the file on every use of its clock, so the next
        request sees the new instant: nothing to wait for."""
        if self.clock_file is None:
            raise RuntimeError("this server was started without a clock file")
        self._write_clock(when)

    def add_article(self, path) -> subprocess.CompletedProcess:
        """`masthead article add --file PATH` against this server's database."""
        return self.cli("article", "add", "--file", str(path))

    def cleanup(self):
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self._stdout_closed.wait(5)
            for f in (self.process.stdout, self._stderr):
                if not f.closed:
                    f.close()
        self.tmp.cleanup()

    def stderr(self) -> str:
        try:
            return self._stderr_path.read_text(errors="replace")
        except OSError:
            return ""

    def cli(self, *args: str, timeout: float = 30) -> subprocess.CompletedProcess:
        """A masthead command against this server's database."""
        return run_cli(*args, "--db", self.db, timeout=timeout)

    # -- HTTP

    def request(self, method: str, path: str, headers: dict | None = None,
                body: bytes | None = None, timeout: float = 10,
                source: str | None = None) -> Response:
        """One request on a fresh connection; `source` binds the client end
        to that local address (e.g. "127.0.0.2": any 127/8 address works)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                          source_address=(source, 0) if source else None)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            return Response(r.status, r.reason, r.getheaders(), data)
        finally:
            conn.close()

    def get(self, path: str, headers: dict | None = None, source: str | None = None) -> Response:
        return self.request("GET", path, headers, source=source)

    def raw(self, data: bytes, timeout: float = 10) -> bytes:
        """Sends bytes on a fresh connection and reads until the server closes."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server may answer and close before reading everything
            chunks = []
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    chunk = s.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks)

    def raw_request(self, data: bytes, timeout: float = 10) -> Response:
        return parse_raw_response(self.raw(data, timeout))


class Reader:
    """One browser: a cookie jar in front of a MastheadServer. Sends the
    cookies it holds (whatever their Secure attribute: the tests speak plain
    HTTP to 127.0.0.1) and keeps what Set-Cookie gives it. `headers` are
    sent with every request; `source` is the local address to connect from.
    Follows the server across restarts (it asks for the port each time)."""

    def __init__(self, server: MastheadServer, headers: dict | None = None,
                 source: str | None = None, cookies: dict | None = None):
        self.server = server
        self.headers = dict(headers or {})
        self.source = source
        self.cookies: dict = dict(cookies or {})

    def request(self, method: str, path: str, headers: dict | None = None) -> Response:
        h = dict(self.headers)
        h.update(headers or {})
        if self.cookies and "Cookie" not in h:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        r = self.server.request(method, path, h, source=self.source)
        for value in r.header_all("Set-Cookie"):
            name, _, rest = value.partition("=")
            cookie_value, _, attributes = rest.partition(";")
            expired = any(a.strip().lower() == "max-age=0" for a in attributes.split(";"))
            if expired:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = cookie_value.strip()
        return r

    def get(self, path: str, headers: dict | None = None) -> Response:
        return self.request("GET", path, headers)

    def head(self, path: str, headers: dict | None = None) -> Response:
        return self.request("HEAD", path, headers)

    def clone(self) -> "Reader":
        """Another connection of the same browser (same cookies, same headers)."""
        return Reader(self.server, self.headers, self.source, self.cookies)


# The picture write_article() puts beside an article unless given another.
TEST_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" '
            b'viewBox="0 0 640 360"><rect width="640" height="360" fill="#2a6"/></svg>')


def media_path(slug: str, image: bytes, extension: str = "svg") -> str:
    """Where the server serves an article's hero image: named by the slug and
    a digest of the bytes (src/content/image_name.h: BLAKE2b-256, 16 hex)."""
    digest = hashlib.blake2b(image, digest_size=32).hexdigest()[:16]
    return f"/media/{slug}.{digest}.{extension}"


def write_article(directory, slug: str, paragraphs: list, *, image: bytes | None = None,
                  **fields) -> pathlib.Path:
    """An article file for `masthead article add --file`: front matter from
    defaults and `fields` (a None value drops the key), the body's paragraphs
    separated by blank lines, and the image (an SVG) next to it."""
    directory = pathlib.Path(directory)
    front = {
        "slug": slug, "section": "world", "kicker": "Integration",
        "headline": f"Test headline for {slug}", "deck": f"The deck of {slug}.",
        "dateline": "TESTVILLE", "byline": "Quinn Tester", "tags": "[Testing]",
        "image": f"{slug}.svg", "image_alt": "A green rectangle",
        "image_caption": "A caption for the test picture.",
        "image_credit": "Illustration by the test suite",
        "status": "published",
        "published_at": iso_utc(datetime.datetime.now(datetime.timezone.utc)
                                - datetime.timedelta(minutes=1)),
    }
    for k, v in fields.items():
        if v is None:
            front.pop(k, None)
        else:
            front[k] = v
    if "image" in front:
        (directory / front["image"]).write_bytes(image or TEST_SVG)
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n"
    text += "\n\n".join(paragraphs) + "\n"
    path = directory / f"{slug}.md"
    path.write_text(text, encoding="utf-8")
    return path


def poll(predicate, timeout: float, interval: float = 0.02):
    """Calls predicate() until it returns a truthy value or the deadline
    passes; returns the last value. The predicate is always called once more
    at the deadline, so a slow machine gets its full budget.

    For waiting until something happens, never for showing that something
    did not: a falsy answer at the deadline only says "not yet". Make a
    negative observable instead (see SmtpSink.fence in test_accounts.py)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(min(interval, max(0.0, deadline - time.monotonic())))


# --------------------------------------------------------------------- HTML

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "source", "track", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: list, parent: "Element | None"):
        self.tag = tag
        self.attrs = {k: (v if v is not None else "") for k, v in attrs}
        self.parent = parent
        self.children: list = []  # Element or str

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"

    @property
    def classes(self) -> set:
        return set(self.attrs.get("class", "").split())

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Element):
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list:
        out = []
        for e in self.iter():
            if e is self:
                continue
            if tag is not None and e.tag != tag:
                continue
            if cls is not None and cls not in e.classes:
                continue
            if any(e.attrs.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            out.append(e)
        return out

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> "Element | None":
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    def ancestors(self):
        p = self.parent
        while p is not None:
            yield p
            p = p.parent

    def text_nodes(self, skip=("script", "style")):
        for c in self.children:
            if isinstance(c, str):
                yield c
            elif c.tag not in skip:
                yield from c.text_nodes(skip)

    def text(self, skip=("script", "style")) -> str:
        """All text below this element, as a naive extractor would see it."""
        return "".join(self.text_nodes(skip))

    def clean_text(self) -> str:
        return collapse(self.text())


class Document(Element):
    def __init__(self):
        super().__init__("#document", [], None)
        self.problems: list[str] = []  # mismatched or unclosed tags


class _TreeBuilder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.doc = Document()
        self.stack = [self.doc]

    def handle_starttag(self, tag, attrs):
        e = Element(tag, attrs, self.stack[-1])
        self.stack[-1].children.append(e)
        if tag not in VOID_ELEMENTS:
            self.stack.append(e)

    def handle_startendtag(self, tag, attrs):
        e = Element(tag, attrs, self.stack[-1])
        self.stack[-1].children.append(e)

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        if self.stack[-1].tag == tag:
            self.stack.pop()
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                self.doc.problems.append(
                    f"</{tag}> closes unclosed {[e.tag for e in self.stack[i + 1:]]}")
                del self.stack[i:]
                return
        self.doc.problems.append(f"stray </{tag}>")

    def handle_data(self, data):
        self.stack[-1].children.append(data)

    def close(self):
        super().close()
        if len(self.stack) > 1:
            self.doc.problems.append(f"unclosed at end: {[e.tag for e in self.stack[1:]]}")


def parse_html(text: str) -> Document:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.doc


# --------------------------------------------------------------------- text

def collapse(s: str) -> str:
    return " ".join(s.split())


_TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                             "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u00a0": " "})


def normalize(s: str) -> str:
    """For comparing Markdown source with rendered text: smart punctuation
    back to ASCII, whitespace collapsed."""
    return collapse(s.translate(_TYPOGRAPHY))


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")


_UNRESERVED = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def pct(s: str) -> str:
    """Percent-encodes everything but RFC 3986 unreserved characters."""
    return "".join(chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in s.encode("utf-8"))


def unpct(s: str) -> str:
    return re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]),
                  s.encode("utf-8")).decode("utf-8")


def query_params(url: str) -> dict:
    """name -> decoded value of a URL's (or mailto:'s) query string."""
    query = url.partition("?")[2].partition("#")[0]
    out = {}
    for part in query.split("&"):
        if part:
            k, _, v = part.partition("=")
            out[unpct(k)] = unpct(v.replace("+", "%20"))
    return out


def instant(s: str) -> datetime.datetime:
    t = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    if t.tzinfo is None:
        raise ValueError(f"{s!r} has no UTC offset")
    return t


def iso_utc(t: datetime.datetime) -> str:
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# -------------------------------------------------------------- demo sources

@dataclasses.dataclass
class DemoArticle:
    slug: str
    fields: dict
    tags: list
    body_markdown: str

    def __getattr__(self, name):  # front matter keys as attributes
        try:
            return self.__dict__["fields"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def path(self) -> str:
        return f"/{self.fields['section']}/{self.slug}"

    @property
    def sponsored_by(self) -> str:
        return self.fields.get("sponsored_by", "")

    @property
    def published(self) -> datetime.datetime:
        return instant(self.fields["published_at"])

    @property
    def authors(self) -> list:
        parts = []
        for chunk in self.fields.get("byline", "").split(","):
            parts.extend(p.strip() for p in chunk.split(" and "))
        return [p for p in parts if p]

    @property
    def paragraphs(self) -> list:
        """The body's plain paragraphs as text (inline Markdown removed)."""
        out = []
        for block in re.split(r"\n\s*\n", self.body_markdown.strip()):
            block = block.strip()
            if not block or re.match(r"(#|[-*+] |>|\d+[.)] |```|\|)", block):
                continue
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", block)
            text = re.sub(r"[*`]+", "", text)
            out.append(normalize(text))
        return out


def _front_matter_value(raw: str) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1]
    return raw


def load_demo_articles() -> dict:
    """slug -> DemoArticle, from demo/articles/*.md."""
    articles = {}
    for path in sorted(DEMO_DIR.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        fields, tags = {}, []
        for line in front.splitlines():
            if not line.strip():
                continue
            key, _, value = line.partition(":")
            value = _front_matter_value(value)
            if key == "tags":
                tags = [t.strip() for t in value.strip("[]").split(",") if t.strip()]
            else:
                fields[key.strip()] = value
        articles[fields["slug"]] = DemoArticle(fields["slug"], fields, tags, body)
    return articles
