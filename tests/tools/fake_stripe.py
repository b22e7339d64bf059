#!/usr/bin/env python3
"""fake_stripe: a loopback imitation of the parts of Stripe's API Masthead uses.

What it is. The Stripe API of the tests. Masthead's StripeGateway (libcurl)
is pointed at it with `api_base = "http://127.0.0.1:PORT"`; it answers like
Stripe (form-encoded requests, JSON objects and Stripe-shaped errors), records
every request, can be told to fail, and can deliver signed webhook events to
Masthead the way Stripe does. Python 3.11 standard library only.

Stripe endpoints (Authorization: Bearer <--secret-key> required, else 401):
  POST /v1/checkout/sessions     mode=subscription, line_items, metadata, ... ->
                                 {"id": "cs_test_...", "url": "<--checkout-base>/cs_test_..."}
  GET  /v1/checkout/sessions/ID
  POST /v1/coupons               id, amount_off|percent_off, currency, duration, ...;
                                 an existing id -> 400 resource_already_exists
  GET  /v1/subscriptions/ID      404 resource_missing when unknown
  POST /v1/subscriptions/ID      cancel_at_period_end, items[0][id|price], metadata[...],
                                 proration_behavior
Idempotency-Key works as Stripe's: the same key with the same parameters
replays the first answer (header Idempotent-Replayed: true); with other
parameters it is a 400 idempotency_error.

Control endpoints (no auth; JSON in and out), for tests:
  GET  /_fake/requests           every request so far: method, path, headers, form
                                 (list of [key, value]), body
  POST /_fake/reset              forget requests, objects and failures
  POST /_fake/fail               {"count": N, "status": 500, "path": "/v1/...",
                                 "delay": seconds, "error_type": "api_error",
                                 "message": "..."}: the next N Stripe requests whose
                                 path starts with "path" sleep "delay" seconds, then
                                 answer "status" (0: answer normally after the delay)
  POST /_fake/subscriptions      {"id":..., "customer":..., "price":..., "status":...,
                                 "metadata": {...}, ...}: creates a subscription
  POST /_fake/complete_checkout  {"session": "cs_test_...", "webhook_url": URL, "secret":
                                 "whsec_...", "now": unix, "timestamp": unix}: the
                                 reader paid: creates customer and subscription (trial
                                 when the session asked for one) and delivers
                                 checkout.session.completed, customer.subscription.created
                                 and (unless trialing) invoice.paid; returns the events and
                                 Masthead's answers
  POST /_fake/webhook            {"url": URL, "secret": "whsec_...", "event": {...} or
                                 "type" + "object", "timestamp": unix, "signature": str}:
                                 signs (or uses the given header) and POSTs one event;
                                 returns {"status", "body", "event"}

As a module (tests/tools on sys.path): FakeStripe(secret_key=...).start() runs it
on a thread and has .port, .requests(), .fail(...), .send_event(...),
.complete_checkout(...), .stop(); sign(body, secret, timestamp) and
event(type, object, created) build what Stripe sends.

As a program: `python3 fake_stripe.py [--port 0] [--secret-key sk_test_...]`
prints `fake_stripe listening on 127.0.0.1:PORT` when ready and runs until
SIGTERM, SIGINT or (with --exit-on-stdin-eof) the end of its standard input.
"""
from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import http.server
import json
import os
import secrets
import signal
import sys
import threading
import time
import urllib.parse

API_VERSION = "2024-06-20"


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """The Stripe-Signature header Stripe sends: t=<ts>,v1=HMAC-SHA256(secret, "t.body")."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def event(type_: str, obj: dict, created: int | None = None, event_id: str | None = None) -> dict:
    return {
        "id": event_id or "evt_" + secrets.token_hex(12),
        "object": "event",
        "api_version": API_VERSION,
        "created": int(created if created is not None else time.time()),
        "type": type_,
        "livemode": False,
        "pending_webhooks": 1,
        "data": {"object": obj},
    }


def post_event(url: str, body: bytes, signature: str, timeout: float = 30) -> tuple[int, str]:
    """POSTs one webhook body to a loopback URL (http only: http.client, no proxy)."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=timeout)
    try:
        path = u.path + ("?" + u.query if u.query else "")
        conn.request("POST", path or "/", body=body, headers={
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": signature,
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        })
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def nest(pairs: list[tuple[str, str]]) -> dict:
    """Stripe's form encoding back to objects: a[b][0][c]=v -> {"a": {"b": {"0": {"c": v}}}}."""
    out: dict = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = out
        for p in parts[:-1]:
            node = node.setdefault(p, {})
            if not isinstance(node, dict):
                raise ValueError(f"conflicting keys at {key}")
        node[parts[-1]] = value
    return out


def listify(d):
    """{"0": x, "1": y} -> [x, y] (form arrays)."""
    if isinstance(d, dict) and d and all(k.isdigit() for k in d):
        return [listify(d[k]) for k in sorted(d, key=int)]
    if isinstance(d, dict):
        return {k: listify(v) for k, v in d.items()}
    return d


class StripeError(Exception):
    def __init__(self, status: int, type_: str, message: str, code: str | None = None,
                 param: str | None = None):
        super().__init__(message)
        self.status, self.type, self.message, self.code, self.param = (
            status, type_, message, code, param)

    def body(self) -> dict:
        err = {"type": self.type, "message": self.message}
        if self.code:
            err["code"] = self.code
        if self.param:
            err["param"] = self.param
        return {"error": err}


class State:
    def __init__(self, secret_key: str, checkout_base: str):
        self.secret_key = secret_key
        self.checkout_base = checkout_base
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.requests: list[dict] = []
        self.sessions: dict[str, dict] = {}
        self.coupons: dict[str, dict] = {}
        self.subscriptions: dict[str, dict] = {}
        self.idempotency: dict[str, tuple[str, int, dict]] = {}
        self.failures: list[dict] = []

    # --- Stripe objects
    def create_session(self, form: dict) -> dict:
        if form.get("mode") != "subscription":
            raise StripeError(400, "invalid_request_error", "mode must be subscription here",
                              param="mode")
        items = listify(form.get("line_items", {}))
        if not isinstance(items, list) or not items or not items[0].get("price"):
            raise StripeError(400, "invalid_request_error", "Missing required param: "
                              "line_items[0][price].", param="line_items")
        for p in ("success_url", "cancel_url"):
            if not form.get(p):
                raise StripeError(400, "invalid_request_error", f"Missing required param: {p}.",
                                  param=p)
        for d in listify(form.get("discounts", [])) or []:
            if d.get("coupon") and d["coupon"] not in self.coupons:
                raise StripeError(400, "invalid_request_error",
                                  f"No such coupon: '{d['coupon']}'", code="resource_missing",
                                  param="discounts")
        sid = "cs_test_" + secrets.token_hex(16)
        session = {
            "id": sid, "object": "checkout.session", "mode": "subscription", "status": "open",
            "url": f"{self.checkout_base}/{sid}",
            "success_url": form["success_url"], "cancel_url": form["cancel_url"],
            "client_reference_id": form.get("client_reference_id"),
            "customer_email": form.get("customer_email"),
            "metadata": form.get("metadata", {}),
            "line_items": items,
            "subscription_data": form.get("subscription_data", {}),
            "discounts": listify(form.get("discounts", [])),
            "customer": None, "subscription": None, "livemode": False,
            "created": int(time.time()), "expires_at": int(time.time()) + 86400,
        }
        self.sessions[sid] = session
        return session

    def create_coupon(self, form: dict) -> dict:
        cid = form.get("id") or secrets.token_hex(4)
        if cid in self.coupons:
            raise StripeError(400, "invalid_request_error", "Coupon already exists.",
                              code="resource_already_exists", param="id")
        if form.get("duration") not in ("once", "repeating", "forever"):
            raise StripeError(400, "invalid_request_error", "Invalid duration", param="duration")
        coupon = {"id": cid, "object": "coupon", "duration": form["duration"],
                  "duration_in_months": int(form["duration_in_months"])
                  if form.get("duration_in_months") else None,
                  "amount_off": int(form["amount_off"]) if form.get("amount_off") else None,
                  "percent_off": float(form["percent_off"]) if form.get("percent_off") else None,
                  "currency": form.get("currency"), "name": form.get("name"),
                  "metadata": form.get("metadata", {}), "valid": True}
        self.coupons[cid] = coupon
        return coupon

    def make_subscription(self, sub_id=None, customer=None, price="price_test", status="active",
                          metadata=None, now=None, trial_days=None,
                          cancel_at_period_end=False, lookup_key=None) -> dict:
        now = int(now if now is not None else time.time())
        start = now
        end = now + (trial_days * 86400 if trial_days else 30 * 86400)
        sub_id = sub_id or "sub_" + secrets.token_hex(12)
        sub = {
            "id": sub_id, "object": "subscription", "customer": customer or "cus_" +
            secrets.token_hex(8), "status": "trialing" if trial_days else status,
            "current_period_start": start, "current_period_end": end,
            "trial_start": start if trial_days else None,
            "trial_end": end if trial_days else None,
            "cancel_at_period_end": cancel_at_period_end, "metadata": metadata or {},
            "created": now, "livemode": False,
            "items": {"object": "list", "data": [{
                "id": "si_" + secrets.token_hex(8), "object": "subscription_item",
                "price": {"id": price, "object": "price", "lookup_key": lookup_key},
                "quantity": 1, "current_period_start": start, "current_period_end": end}]},
        }
        self.subscriptions[sub_id] = sub
        return sub

    def update_subscription(self, sub_id: str, form: dict) -> dict:
        sub = self.subscriptions.get(sub_id)
        if sub is None:
            raise StripeError(404, "invalid_request_error", f"No such subscription: '{sub_id}'",
                              code="resource_missing", param="id")
        if "cancel_at_period_end" in form:
            if form["cancel_at_period_end"] not in ("true", "false"):
                raise StripeError(400, "invalid_request_error", "Invalid boolean",
                                  param="cancel_at_period_end")
            sub["cancel_at_period_end"] = form["cancel_at_period_end"] == "true"
        items = listify(form.get("items", []))
        for item in items or []:
            existing = [i for i in sub["items"]["data"] if i["id"] == item.get("id")]
            if item.get("id") and not existing:
                raise StripeError(400, "invalid_request_error",
                                  f"Invalid subscription_item id: {item['id']}", param="items")
            if existing and item.get("price"):
                existing[0]["price"] = {"id": item["price"], "object": "price",
                                        "lookup_key": None}
        for k, v in form.get("metadata", {}).items():
            sub["metadata"][k] = v
        return sub

    def should_fail(self, path: str) -> dict | None:
        for f in self.failures:
            if f["count"] > 0 and path.startswith(f.get("path", "")):
                f["count"] -= 1
                return f
        return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake_stripe/1.0"
    state: State  # set on the class made per server

    def log_message(self, fmt, *args):  # quiet
        pass

    def _send(self, status: int, obj, extra: dict | None = None):
        body = json.dumps(obj, indent=2).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Request-Id", "req_" + secrets.token_hex(7))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _read(self) -> bytes:
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_DELETE(self):
        self._handle("DELETE")

    def _handle(self, method: str):
        body = self._read()
        path = urllib.parse.urlsplit(self.path).path
        st = self.state
        if path.startswith("/_fake/"):
            try:
                self._control(method, path, json.loads(body) if body else {})
            except Exception as e:  # a test's mistake: say so
                self._send(500, {"error": {"type": "fake_error", "message": repr(e)}})
            return
        pairs = urllib.parse.parse_qsl(body.decode(), keep_blank_values=True)
        with st.lock:
            st.requests.append({"method": method, "path": self.path, "headers":
                                {k: v for k, v in self.headers.items()}, "form": pairs,
                                "body": body.decode("utf-8", "replace"), "time": time.time()})
            failure = st.should_fail(path)
        if failure:
            time.sleep(failure.get("delay", 0))
            if failure.get("status", 500):
                err = StripeError(failure.get("status", 500), failure.get("error_type", "api_error"),
                                  failure.get("message", "An unknown error occurred"),
                                  code=failure.get("code"))
                try:
                    self._send(err.status, err.body())
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return
        auth = self.headers.get("Authorization", "")
        if auth != f"Bearer {st.secret_key}":
            self._send(401, StripeError(401, "invalid_request_error",
                                        "Invalid API Key provided.").body())
            return
        key = self.headers.get("Idempotency-Key")
        fingerprint = f"{method} {path} {body.decode()}"
        with st.lock:
            if key and method == "POST" and key in st.idempotency:
                prev_fp, status, obj = st.idempotency[key]
                if prev_fp != fingerprint:
                    err = StripeError(400, "idempotency_error", "Keys for idempotent requests can "
                                      "only be used with the same parameters they were first "
                                      "used with.")
                    self._send(400, err.body())
                else:
                    self._send(status, obj, {"Idempotent-Replayed": "true"})
                return
            try:
                status, obj = 200, self._route(method, path, nest(pairs))
            except StripeError as e:
                status, obj = e.status, e.body()
            except ValueError as e:
                status, obj = 400, StripeError(400, "invalid_request_error", str(e)).body()
            if key and method == "POST":
                st.idempotency[key] = (fingerprint, status, obj)
        self._send(status, obj)

    def _route(self, method: str, path: str, form: dict):
        st = self.state
        parts = path.strip("/").split("/")
        if method == "POST" and path == "/v1/checkout/sessions":
            return st.create_session(form)
        if method == "GET" and parts[:3] == ["v1", "checkout", "sessions"] and len(parts) == 4:
            if parts[3] not in st.sessions:
                raise StripeError(404, "invalid_request_error", "No such checkout.session",
                                  code="resource_missing")
            return st.sessions[parts[3]]
        if method == "POST" and path == "/v1/coupons":
            return st.create_coupon(form)
        if parts[:2] == ["v1", "subscriptions"] and len(parts) == 3:
            if method == "GET":
                if parts[2] not in st.subscriptions:
                    raise StripeError(404, "invalid_request_error",
                                      f"No such subscription: '{parts[2]}'",
                                      code="resource_missing", param="id")
                return st.subscriptions[parts[2]]
            if method == "POST":
                return st.update_subscription(parts[2], form)
        raise StripeError(404, "invalid_request_error",
                          f"Unrecognized request URL ({method}: {path}).")

    def _control(self, method: str, path: str, args: dict):
        st = self.state
        if path == "/_fake/requests":
            with st.lock:
                self._send(200, st.requests)
        elif path == "/_fake/reset":
            with st.lock:
                st.reset()
            self._send(200, {"ok": True})
        elif path == "/_fake/fail":
            with st.lock:
                st.failures.append({"count": 1, "status": 500, "path": "", **args})
            self._send(200, {"ok": True})
        elif path == "/_fake/subscriptions":
            with st.lock:
                sub = st.make_subscription(
                    sub_id=args.get("id"), customer=args.get("customer"),
                    price=args.get("price", "price_test"), status=args.get("status", "active"),
                    metadata=args.get("metadata"), now=args.get("now"),
                    trial_days=args.get("trial_days"),
                    cancel_at_period_end=args.get("cancel_at_period_end", False),
                    lookup_key=args.get("lookup_key"))
            self._send(200, sub)
        elif path == "/_fake/complete_checkout":
            self._send(200, complete_checkout(st, **args))
        elif path == "/_fake/webhook":
            self._send(200, send_event(**args))
        else:
            self._send(404, {"error": {"type": "fake_error", "message": "no such control"}})


def send_event(url: str, secret: str, event: dict | None = None, type: str | None = None,
               object: dict | None = None, timestamp: int | None = None,
               signature: str | None = None, created: int | None = None) -> dict:
    ev = event or globals()["event"](type, object or {}, created)
    body = json.dumps(ev).encode()
    ts = int(timestamp if timestamp is not None else time.time())
    status, text = post_event(url, body, signature or sign(body, secret, ts))
    return {"status": status, "body": text, "event": ev}


def complete_checkout(st: State, session: str, webhook_url: str, secret: str,
                      now: int | None = None, timestamp: int | None = None) -> dict:
    now = int(now if now is not None else time.time())
    with st.lock:
        s = st.sessions.get(session)
        if s is None:
            raise ValueError(f"no such session {session}")
        trial_days = s["subscription_data"].get("trial_period_days")
        metadata = dict(s["subscription_data"].get("metadata", {}))
        sub = st.make_subscription(customer="cus_" + secrets.token_hex(8),
                                   price=s["line_items"][0]["price"], metadata=metadata, now=now,
                                   trial_days=int(trial_days) if trial_days else None)
        s.update(status="complete", customer=sub["customer"], subscription=sub["id"],
                 payment_status="no_payment_required" if trial_days else "paid")
        session_obj, sub_obj = dict(s), json.loads(json.dumps(sub))
    events = [event("checkout.session.completed", session_obj, now),
              event("customer.subscription.created", sub_obj, now)]
    if sub_obj["status"] != "trialing":
        line = {"period": {"start": sub_obj["current_period_start"],
                           "end": sub_obj["current_period_end"]},
                "price": sub_obj["items"]["data"][0]["price"], "metadata": metadata}
        events.append(event("invoice.paid", {
            "id": "in_" + secrets.token_hex(10), "object": "invoice",
            "subscription": sub_obj["id"], "customer": sub_obj["customer"],
            "status": "paid", "lines": {"object": "list", "data": [line]},
            "subscription_details": {"metadata": metadata}}, now))
    answers = [send_event(webhook_url, secret, event=e, timestamp=timestamp) for e in events]
    return {"subscription": sub_obj, "events": events,
            "answers": [{"status": a["status"], "body": a["body"]} for a in answers]}


class FakeStripe:
    """The server on a background thread, for Python tests."""

    def __init__(self, secret_key: str = "sk_test_masthead", host: str = "127.0.0.1",
                 port: int = 0, checkout_base: str = "https://checkout.stripe.test/c/pay"):
        self.state = State(secret_key, checkout_base)
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self.httpd = http.server.ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.api_base = f"http://{host}:{self.port}"
        self.thread: threading.Thread | None = None

    def start(self) -> "FakeStripe":
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests(self) -> list[dict]:
        with self.state.lock:
            return json.loads(json.dumps(self.state.requests))

    def fail(self, count: int = 1, status: int = 500, path: str = "", delay: float = 0,
             **kw) -> None:
        with self.state.lock:
            self.state.failures.append({"count": count, "status": status, "path": path,
                                        "delay": delay, **kw})

    def send_event(self, url: str, secret: str, **kw) -> dict:
        return send_event(url, secret, **kw)

    def complete_checkout(self, session: str, webhook_url: str, secret: str, **kw) -> dict:
        return complete_checkout(self.state, session, webhook_url, secret, **kw)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--secret-key", default="sk_test_masthead")
    parser.add_argument("--checkout-base", default="https://checkout.stripe.test/c/pay")
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    args = parser.parse_args()
    fake = FakeStripe(args.secret_key, args.host, args.port, args.checkout_base).start()
    print(f"fake_stripe listening on {args.host}:{fake.port}", flush=True)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    if args.exit_on_stdin_eof:
        def watch():
            try:
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            done.set()
        threading.Thread(target=watch, daemon=True).start()
    while not done.wait(0.2):
        pass
    fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
