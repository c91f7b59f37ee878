"""What makes the dashboard safe to open to a room (one `Guard` per app, as Flask hooks).

- Host check: only the loopback names (and the LAN address the facilitator opened, or names
  in TILLIT_ALLOWED_HOSTS) are served, so a web page elsewhere cannot read the dashboard
  through DNS rebinding; a POST from another origin is refused.
- Facilitator routes (everything but the participant page /delta) need the password
  (HTTP basic auth; any user name) when one is set; without one they answer loopback
  clients only. Wrong passwords and wrong join codes are throttled per client address.
- Request bodies are limited (participants: 16 kB; facilitator: 1 MB).
- Security headers on every answer; error pages never show a traceback.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import threading
import time
from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import quote
from tillit import settings

if TYPE_CHECKING:  # Flask loads with the dashboard, not with `tillit dashboard --help` or other commands
    import flask
    from werkzeug.wrappers import Response as BaseResponse  # flask.redirect gives this base class

PASSWORD_ENV = settings.env("dashboard_password")
ALLOWED_HOSTS_ENV = settings.env("allowed_hosts")
REALM = "Tillit"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
PARTICIPANT_PREFIX = "/delta"
LOGIN_PATH = "/logga-in"
LOGIN_COOKIE = "tillit_vard"
LOGIN_HOURS = 12
PARTICIPANT_BODY_LIMIT = 16 * 1024
FACILITATOR_BODY_LIMIT = 1024 * 1024
MAX_FAILURES, WINDOW_SECONDS = 10, 300  # then refused until the oldest failure is WINDOW_SECONDS old


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def lan_addresses() -> list[str]:
    """This machine's own non-loopback addresses (no packet is sent: a UDP socket only picks a route)."""
    import socket

    found = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere
            found.append(s.getsockname()[0])
    except OSError:
        pass
    try:
        found += socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        pass
    return [a for a in dict.fromkeys(found) if not is_loopback(a)]


def host_name(host_header: str) -> str:
    """'Example.org:8050' -> 'example.org'; '[::1]:8050' -> '::1'."""
    h = (host_header or "").strip().lower()
    if h.startswith("["):
        return h[1:h.find("]")] if "]" in h else h
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


def env_hosts() -> list[str]:
    return [h.strip().lower() for h in os.environ.get(ALLOWED_HOSTS_ENV, "").split(",") if h.strip()]


class Throttle:
    """At most MAX_FAILURES failures per client address in WINDOW_SECONDS (per process)."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = WINDOW_SECONDS):
        self.limit, self.window = limit, window
        self._failures: dict[str, deque] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> int:
        """Seconds the client must wait before trying again (0: may try)."""
        now = time.monotonic()
        with self._lock:
            q = self._failures.get(client)
            while q and now - q[0] > self.window:
                q.popleft()
            if q and len(q) >= self.limit:
                return int(self.window - (now - q[0])) + 1
            return 0

    def fail(self, client: str) -> None:
        with self._lock:
            self._failures.setdefault(client, deque()).append(time.monotonic())


def message(status: int, text: str, headers: dict | None = None) -> flask.Response:
    """A plain-text answer in Swedish (no HTML, no traceback)."""
    import flask

    return flask.Response(text + "\n", status, {"Content-Type": "text/plain; charset=utf-8", **(headers or {})})


class Guard:
    def __init__(self, password: str | None = None, hosts: Iterable[str] = ()):
        self.password = password or None
        hosts = list(hosts)
        if any(h in ("0.0.0.0", "::") for h in hosts):  # every interface: this machine's addresses
            hosts += lan_addresses()
        self.hosts = {host_name(h) for h in (*LOOPBACK_NAMES, *hosts, *env_hosts()) if h and h not in ("0.0.0.0", "::")}
        self.logins = Throttle()
        self.codes = Throttle()

    def allow_host(self, host: str) -> None:
        """Serve also under this name or address (the LAN address the facilitator opened)."""
        self.hosts.add(host_name(host))

    def install(self, server: flask.Flask) -> None:
        server.before_request(self.check)
        server.after_request(headers)
        server.config["TILLIT_GUARD"] = self
        server.config["MAX_CONTENT_LENGTH"] = FACILITATOR_BODY_LIMIT
        server.config["PROPAGATE_EXCEPTIONS"] = False
        server.register_error_handler(413, lambda _e: too_large())
        server.register_error_handler(500, lambda _e: message(500, "Ett oväntat fel inträffade. Försök igen."))

    def check(self) -> BaseResponse | None:
        import flask

        req = flask.request
        if host_name(req.host) not in self.hosts:
            return message(400, f"Okänd adress '{host_name(req.host)}': instrumentpanelen svarar bara på "
                                f"{', '.join(sorted(self.hosts))}.")
        if req.method not in ("GET", "HEAD", "OPTIONS") and not self._same_origin(req):
            return message(403, "Begäran kom från en annan webbplats och avvisades.")
        participant = req.path == PARTICIPANT_PREFIX or req.path.startswith(PARTICIPANT_PREFIX + "/")
        limit = PARTICIPANT_BODY_LIMIT if participant or req.path == LOGIN_PATH else FACILITATOR_BODY_LIMIT
        req.max_content_length = limit
        if (req.content_length or 0) > limit:
            return too_large()
        if participant or req.path in (LOGIN_PATH, "/favicon.ico"):
            return None
        return self._facilitator(req)

    # the facilitator's login: a cookie signed with the password itself (valid in every worker,
    # void when the password changes), or HTTP basic auth for scripts

    def token(self, expires: int | None = None) -> str:
        if not self.password:
            raise RuntimeError("no facilitator password: there is no login cookie to sign")
        expires = expires or int(time.time()) + LOGIN_HOURS * 3600
        mac = hmac.new(self.password.encode(), f"tillit-vard:{expires}".encode(), "sha256").hexdigest()
        return f"{expires}.{mac}"

    def _valid_token(self, value: str | None) -> bool:
        if not value:
            return False
        expires, _, _mac = value.partition(".")
        if not expires.isdigit() or int(expires) < time.time():
            return False
        return hmac.compare_digest(self.token(int(expires)), value)

    def login(self, password: str) -> tuple[bool, int]:
        """(accepted, seconds to wait) for a password typed on the login page."""
        import flask

        client = flask.request.remote_addr or ""
        wait = self.logins.wait(client)
        if wait:
            return False, wait
        if self.password and hmac.compare_digest((password or "").encode(), self.password.encode()):
            return True, 0
        self.logins.fail(client)
        return False, 0

    def _same_origin(self, req) -> bool:
        origin = req.headers.get("Origin")
        site = req.headers.get("Sec-Fetch-Site")
        if origin is None or origin == "null":  # "null": privacy-minded browsers; then the fetch metadata decides
            return site in ("same-origin", "none") if site or origin == "null" else True
        return host_name(origin.split("://", 1)[-1].split("/", 1)[0]) in self.hosts

    def _facilitator(self, req) -> BaseResponse | None:
        import flask

        client = req.remote_addr or ""
        if not self.password:
            if is_loopback(client):
                return None
            return message(403, "Instrumentpanelen har inget lösenord och svarar därför bara på den här datorn.")
        wait = self.logins.wait(client)
        if wait:
            return message(429, f"För många felaktiga lösenord. Vänta {wait} sekunder.", {"Retry-After": str(wait)})
        if self._valid_token(req.cookies.get(LOGIN_COOKIE)):
            return None
        given = req.authorization
        if given is not None and hmac.compare_digest((given.password or "").encode(), self.password.encode()):
            return None
        if given is not None:
            self.logins.fail(client)
        if req.method == "GET" and "text/html" in req.headers.get("Accept", "") and given is None:
            return flask.redirect(f"{LOGIN_PATH}?next={quote(req.full_path.rstrip('?'))}", 303)
        # a browser logs in on the login page; the basic-auth challenge is for scripts (curl, wrk)
        challenge = {} if req.headers.get("Sec-Fetch-Mode") else {
            "WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'}
        return message(401, f"Lösenord krävs för Tillits instrumentpanel. Logga in på {LOGIN_PATH}.", challenge)


def too_large() -> flask.Response:
    return message(413, "Det du skickade är för stort och sparades inte. Skriv en kortare text.")


CSP_PARTICIPANT = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                   "frame-ancestors 'none'; base-uri 'none'")
CSP_DASHBOARD = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"


def headers(response: flask.Response) -> flask.Response:
    import flask

    participant = flask.request.path.startswith(PARTICIPANT_PREFIX)
    response.headers.setdefault("Content-Security-Policy", CSP_PARTICIPANT if participant else CSP_DASHBOARD)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"  # the join code never leaves in a Referer
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if participant:
        response.headers.setdefault("Cache-Control", "no-store")
    return response
