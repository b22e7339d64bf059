#!/usr/bin/env python3
"""smtp_sink: a loopback SMTP server that files every message it receives.

What it is. The mail server of the tests: Masthead's SmtpSender (libcurl)
talks real SMTP to it, and the tests read what arrived. Each accepted message
is written to --dir as NNNNNN.eml (the bytes exactly as received, DATA
unstuffed) next to NNNNNN.json (the envelope: mail_from, rcpt_tos, whether
the session was authenticated and used TLS). Both are written to a temporary
name and renamed, so a reader polling the directory never sees half a file;
the .json is renamed after the .eml, so its presence means both are complete.

When the socket is bound it prints one line, `smtp_sink listening on
127.0.0.1:PORT`, and flushes: start it with --port 0 and read the port from
that line. It stops on SIGTERM or SIGINT, or when its standard input reaches
EOF with --exit-on-stdin-eof (so a test that dies takes its sink with it).

Failure modes, for the sender's retry tests:
  --reject-rcpt ADDR   answer 550 to RCPT TO:<ADDR> (a permanent failure)
  --fail-data N        answer 451 to the first N DATA transactions (transient)
  --auth USER:PASS     require AUTH (PLAIN/LOGIN, allowed without TLS: loopback)
  --tls-cert/--tls-key offer STARTTLS with this certificate

Needs aiosmtpd (Debian: python3-aiosmtpd). When the running interpreter lacks
it (a pyenv or venv python first on PATH) and /usr/bin/python3 has it, the
script re-executes itself with /usr/bin/python3.
"""
from __future__ import annotations

import argparse
import os
import sys

try:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError:  # pragma: no cover - depends on the machine
    system_python = "/usr/bin/python3"
    if os.path.realpath(sys.executable) != os.path.realpath(system_python) and os.access(
            system_python, os.X_OK) and not os.environ.get("SMTP_SINK_REEXEC"):
        os.environ["SMTP_SINK_REEXEC"] = "1"
        os.execv(system_python, [system_python, os.path.abspath(__file__), *sys.argv[1:]])
    sys.stderr.write("smtp_sink: needs aiosmtpd (apt-get install python3-aiosmtpd)\n")
    sys.exit(2)

import asyncio
import json
import logging
import pathlib
import signal
import ssl
import threading
import warnings


class Sink:
    """The aiosmtpd handler: policy for RCPT, failures for DATA, files for messages."""

    def __init__(self, directory: pathlib.Path, reject_rcpt: set[str], fail_data: int):
        self.directory = directory
        self.reject_rcpt = {r.lower() for r in reject_rcpt}
        self.fail_data = fail_data
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject_rcpt:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail_data > 0:
            self.fail_data -= 1
            return "451 4.3.0 Try again later"
        self.count += 1
        stem = f"{self.count:06d}"
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "authenticated": bool(session.authenticated),
            "tls": session.ssl is not None,
        }
        self._write(stem + ".eml", envelope.original_content or envelope.content)
        self._write(stem + ".json", json.dumps(meta).encode())
        return "250 2.0.0 Message accepted for delivery"

    def _write(self, name: str, data: bytes) -> None:
        tmp = self.directory / ("." + name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, self.directory / name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", required=True, help="where to write NNNNNN.eml/.json")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port (printed)")
    parser.add_argument("--reject-rcpt", action="append", default=[])
    parser.add_argument("--fail-data", type=int, default=0)
    parser.add_argument("--auth", help="USER:PASS; AUTH becomes required")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="aiosmtpd's log on stderr")
    args = parser.parse_args()

    directory = pathlib.Path(args.dir)
    directory.mkdir(parents=True, exist_ok=True)
    sink = Sink(directory, set(args.reject_rcpt), args.fail_data)

    tls_context = None
    if args.tls_cert:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)

    authenticator = None
    if args.auth:
        user, _, password = args.auth.partition(":")

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
                  and auth_data.password == password.encode())
            # handled=False: aiosmtpd answers 235 or 535 itself.
            return AuthResult(success=ok, handled=False)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return SMTP(sink, hostname="smtp-sink.test", tls_context=tls_context,
                    authenticator=authenticator, auth_required=bool(args.auth),
                    auth_require_tls=False, loop=loop)

    # aiosmtpd warns about AUTH without TLS (fine on loopback) and logs a traceback
    # for every client that aborts a TLS handshake (which the tests do on purpose).
    warnings.simplefilter("ignore")
    if not args.verbose:
        logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    server = loop.run_until_complete(loop.create_server(factory, args.host, args.port))
    port = server.sockets[0].getsockname()[1]
    print(f"smtp_sink listening on {args.host}:{port}", flush=True)

    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    if args.exit_on_stdin_eof:
        def watch_stdin():
            try:
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            loop.call_soon_threadsafe(lambda: stop.done() or stop.set_result(None))
        threading.Thread(target=watch_stdin, daemon=True).start()

    loop.run_until_complete(stop)
    server.close()
    loop.run_until_complete(server.wait_closed())
    return 0


if __name__ == "__main__":
    sys.exit(main())
