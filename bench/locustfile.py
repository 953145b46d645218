"""The load of `make bench`, run by locust (requirements-bench.lock, its own virtualenv).

bench/run.py starts it once per phase with the plan (bench/plan.py) and the members' session
cookies (they logged in through the login form beforehand) in files named by environment
variables, and reads back what this file records. Users:

- `Reader` (KOMDIR_BENCH_READERS of them, default 8): a connection each, back to back. Every
  request is a random identity — one of the logged-in members (each on their own cookies) or,
  at VISITOR_SHARE, a new visitor without cookies — on a random page of the pages that
  identity can reach, the kind of page drawn by WEIGHTS.
- The writers of the second phase, each at a busy day's peak, through the portal's own forms
  (the page is fetched, its form read and sent back with its CSRF and submission tokens):
  a comment a second, a case and a meeting note a minute, a follow and a login every 10 s.
- `Healthz`: /healthz back to back, for the throughput every page is compared with.

Every request is recorded by its name (the page kind, or "write: ..."): its time, its status,
and the X-Query-Count header the bench server adds (KOMDIR_BENCH_QUERY_COUNT=1).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from html.parser import HTMLParser
from http.cookiejar import Cookie, DefaultCookiePolicy
from urllib.parse import urlencode

from locust import FastHttpUser, constant, constant_pacing, events, task
from locust.contrib.fasthttp import FastHttpSession

PLAN = json.load(open(os.environ["KOMDIR_BENCH_PLAN"]))  # noqa: SIM115 - read once
SESSIONS = json.load(open(os.environ["KOMDIR_BENCH_SESSIONS"]))  # noqa: SIM115
OUT = os.environ["KOMDIR_BENCH_OUT"]
READERS = int(os.environ.get("KOMDIR_BENCH_READERS", "8"))
HOST_HEADERS = {"Host": "localhost", "X-Forwarded-Proto": "https", "Accept-Language": "da"}
ORIGIN = "https://localhost"
VISITOR_SHARE = 0.15
# How often members open each kind of page (a busy day: cases and lists most, feeds least).
WEIGHTS = {
    "case": 24,
    "case list": 12,
    "area": 8,
    "discussion": 8,
    "search": 8,
    "home": 6,
    "overview": 6,
    "meeting": 6,
    "note": 5,
    "circle": 4,
    "directory": 3,
    "profile": 3,
    "period": 2,
    "page": 1,
    "feed": 2,
    "calendar": 2,
}
VISITOR_WEIGHTS = {"home": 5, "area": 4, "case": 6, "period": 2, "page": 1, "feed": 2}

_times: dict[str, list[float]] = defaultdict(list)
_statuses: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
_queries: dict[str, list[int]] = defaultdict(list)
_failures: dict[str, list[str]] = defaultdict(list)
_urls: set[str] = set()
_next_reader = itertools.count()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, exception=None, **kw):
    _times[name].append(response_time)
    status = getattr(response, "status_code", 0) if response is not None else 0
    _statuses[name][str(status)] += 1
    if response is not None:
        count = response.headers.get("X-Query-Count") if response.headers else None
        if count is not None:
            _queries[name].append(int(count))
    if exception is not None and len(_failures[name]) < 5:
        _failures[name].append(f"{status} {kw.get('url', '')}: {exception}"[:300])
    url = kw.get("url")
    if url:
        _urls.add(url)


@events.quitting.add_listener
def _dump(environment, **kw):
    with open(OUT, "w") as out:
        json.dump(
            {
                "times": _times,
                "statuses": _statuses,
                "queries": _queries,
                "failures": _failures,
                "distinct_urls": len(_urls),
            },
            out,
        )


def _cookie(name: str, value: str) -> Cookie:
    return Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, True, None, True, None, None, {}
    )


class _BehindProxy(DefaultCookiePolicy):
    """Plain HTTP to gunicorn, as from the TLS-terminating proxy: secure cookies are sent too."""

    def return_ok_secure(self, cookie, request):
        return True


def _session(user, email: str | None = None) -> FastHttpSession:
    """A browser of its own: its own cookies (a member's, or none) on its own connection."""
    session = FastHttpSession(
        user.host, request_event=user.environment.events.request, user=user, network_timeout=30
    )
    session.cookiejar.set_policy(_BehindProxy())
    for name, value in (SESSIONS.get(email) or {}).items():
        session.cookiejar.set_cookie(_cookie(name, value))
    return session


def _pick(pages: dict[str, list[str]], weights: dict[str, int]) -> tuple[str, str]:
    kinds = [k for k in weights if pages.get(k)]
    kind = random.choices(kinds, weights=[weights[k] for k in kinds])[0]
    return kind, random.choice(pages[kind])


class _Forms(HTMLParser):
    """The forms of a page: their action and the values a browser would send unchanged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": {}})
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"] if self.forms else {}
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                fields[a["name"]] = [a.get("value", "")]
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            fields[a["name"]] = [""]
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            fields.setdefault(self._select, []).append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_on(html: str, *, action: str = "", field: str = "") -> tuple[str, dict] | None:
    """The first form whose action starts with `action` and that has a field `field`."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if form["action"].startswith(action) and (not field or field in form["fields"]):
            return form["action"], form["fields"]
    return None


def open_form(session: FastHttpSession, page: str, *, page_name: str, write: str, headers=None, **find):
    """Open `page` as `page_name` and find its form (form_on's `find`); a page without it is a
    failure of the write `write`. Returns (response text, action, fields) or None."""
    response = session.get(page, name=page_name, headers=headers or HOST_HEADERS)
    found = form_on(response.text or "", **find)
    if found is None:
        events.request.fire(
            request_type="FORM", name=write, response_time=0, response_length=0,
            exception=Exception(f"no form ({find}) on {page}"), url=page,
        )  # fmt: skip
        return None
    return response.text, found[0] or page, found[1]


def post(session: FastHttpSession, path: str, fields: dict, *, name: str, page: str, headers=None):
    """Send a form as the browser does (Origin and Referer of the page); a redirect is success."""
    body = [
        (k, v) for k, values in fields.items() for v in (values if isinstance(values, list) else [values])
    ]
    with session.post(
        path,
        data=urlencode(body),
        name=name,
        headers={
            **(headers or HOST_HEADERS),
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": ORIGIN,
            "Referer": ORIGIN + page,
        },
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 302:
            response.failure(f"answered {response.status_code}, not a redirect")


class Reader(FastHttpUser):
    """A connection of the reading load: every request a random member or visitor and page."""

    fixed_count = READERS
    wait_time = constant(0)

    def on_start(self):
        index = next(_next_reader)
        members = PLAN["members"][index::READERS] or PLAN["members"]
        self.identities = [(_session(self, m["email"]), m["pages"]) for m in members]
        self.visitor = _session(self)

    @task
    def read(self):
        if random.random() < VISITOR_SHARE:
            self.visitor.cookiejar.clear()  # each visit a new visitor: no cookie from before
            kind, url = _pick(PLAN["visitor"], VISITOR_WEIGHTS)
            self.visitor.get(url, name=f"{kind} (visitor)", headers=HOST_HEADERS)
            return
        session, pages = random.choice(self.identities)
        kind, url = _pick(pages, WEIGHTS)
        session.get(url, name=kind, headers=HOST_HEADERS)


class _Writer(FastHttpUser):
    abstract = True
    fixed_count = 1

    def on_start(self):
        self.writers = [_session(self, email) for email in PLAN["writers"]["members"] if email in SESSIONS]


class CommentWriter(_Writer):
    """A comment a second on a case, by a random member, through the case page's form."""

    wait_time = constant_pacing(1.0)

    @task
    def comment(self):
        session = random.choice(self.writers)
        page = random.choice(PLAN["writers"]["comment_on"])
        if (
            found := open_form(
                session, page, page_name="case", write="write: comment", action="/kommentarer/ny/"
            )
        ) is None:
            return
        _html, action, fields = found
        fields["body"] = [f"Tak for deling. Vi prøver noget lignende ({time.time():.0f})."]
        post(session, action, fields, name="write: comment", page=page)


class CaseWriter(_Writer):
    """A new case a minute, published through the case form."""

    wait_time = constant_pacing(60.0)

    @task
    def case(self):
        session = random.choice(self.writers)
        page = PLAN["writers"]["case_create"]
        if (
            found := open_form(session, page, page_name="case form", write="write: case", field="title")
        ) is None:
            return
        html, action, fields = found
        areas = _options(html, "focus_area")
        fields |= {
            "title": [f"Fælles indkøb af velfærdsteknologi ({time.time():.0f})"],
            "summary": ["Tre kommuner køber ind sammen og deler erfaringerne."],
            "body": ["## Baggrund\n\nVi har samlet indkøbene.\n\n- Lavere priser\n- Fælles test"],
            "focus_area": [random.choice(areas)] if areas else [],
            "tags": ["velfærdsteknologi, indkøb"],
            "action": ["publish"],
        }
        post(session, action, fields, name="write: case", page=page)


def _options(html: str, select_name: str) -> list[str]:
    """The non-empty option values of a select."""
    block = re.search(rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>', html or "", re.S)
    return re.findall(r'<option value="([^"]+)"', block.group(1)) if block else []


class NoteWriter(_Writer):
    """A circle lead saves a meeting's notes once a minute."""

    wait_time = constant_pacing(60.0)

    def on_start(self):
        self.lead = _session(self, PLAN["writers"]["lead"])

    @task
    def note(self):
        if not PLAN["writers"]["note_edit"]:
            return
        page = random.choice(PLAN["writers"]["note_edit"])
        found = open_form(self.lead, page, page_name="note form", write="write: note", field="base_revision")
        if found is None:
            return
        _html, action, fields = found
        fields["body"] = [
            (fields["body"][0] or "Kredsen drøftede emnet.") + f"\n\n- Opfølgning {time.time():.0f}"
        ]
        fields.setdefault("visibility", ["circle"])
        fields["publish"] = [""]
        post(self.lead, action, fields, name="write: note", page=page)


class Follower(_Writer):
    """A member follows (or stops following) a case every 10 s."""

    wait_time = constant_pacing(10.0)

    @task
    def follow(self):
        session = random.choice(self.writers)
        page = random.choice(PLAN["writers"]["follow_on"])
        if (
            found := open_form(session, page, page_name="case", write="write: follow", action="/foelg/")
        ) is None:
            return
        _html, action, fields = found
        post(session, action, fields, name="write: follow", page=page)


class LoginWriter(_Writer):
    """A member logs in through the login form every 10 s (a new browser each time)."""

    wait_time = constant_pacing(10.0)

    @task
    def login(self):
        session = _session(self)
        page = "/accounts/login/"
        # From the member's own address, as the reverse proxy passes it on.
        headers = {
            **HOST_HEADERS,
            "X-Forwarded-For": f"10.200.{random.randrange(250)}.{random.randrange(1, 250)}",
        }
        found = open_form(
            session, page, page_name="login form", write="write: login", headers=headers, field="password"
        )
        if found is None:
            return
        _html, action, fields = found
        fields |= {"login": [random.choice(PLAN["writers"]["members"])], "password": ["komdir-demo"]}
        post(session, action, fields, name="write: login", page=page, headers=headers)


class Healthz(FastHttpUser):
    """/healthz back to back on a connection each: what the server does with no page at all."""

    fixed_count = READERS
    wait_time = constant(0)

    @task
    def healthz(self):
        self.client.get("/healthz", name="/healthz", headers=HOST_HEADERS)
