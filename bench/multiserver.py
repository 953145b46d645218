"""`make multiserver`: two gunicorn instances on different ports, one PostgreSQL database and one
Redis, behave as one portal (issue 9).

Shows that (1) a member logged in through A is logged in on B with the same session cookie,
(2) a case and a comment posted through B are visible on A at once, where A had the pages
cached, (3) failed logins count across both servers
(the login rate limit lives in the shared cache). Exits non-zero on the first failure.
Environment: KOMDIR_MULTI_DB (default komdir_multiserver), KOMDIR_MULTI_PORTS (default 8771,8772).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    PY,
    ROOT,
    Client,
    Server,
    dev_env,
    ensure_database,
    fail,
    log,
    manage,
    prod_env,
)

DB = os.environ.get("KOMDIR_MULTI_DB", "komdir_multiserver")
PORTS = [int(p) for p in os.environ.get("KOMDIR_MULTI_PORTS", "8771,8772").split(",")]
REDIS_DB = 8
SEED = (
    "import os, sys; from komdir.demo.large import seed_large; "
    "seed_large(password=os.environ['KOMDIR_MULTI_PASSWORD'], stdout=sys.stdout, scale_factor=0.01)"
)
MEMBER, OTHER, THIRD = "bench0001@komdir.test", "bench0002@komdir.test", "bench0003@komdir.test"
PASSWORD = "multiserver-demo-1"  # noqa: S105 - demo accounts in a throwaway database


def check(condition: bool, message: str) -> None:
    if not condition:
        fail(message)
    log(f"ok: {message}")


def form_token(body: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not match:
        fail("no CSRF token in the form")
    return match.group(1).decode()


def main() -> int:
    started = time.monotonic()
    database_url = ensure_database(DB)  # reused: migrate and the seed are idempotent
    env = dev_env(database_url)
    log(f"migrate and seed {DB}")
    manage("migrate", "--noinput", env=env)
    # The security cache (rate limits, two-factor replay) is a database table in production,
    # made by `migrate` under production settings; the development migrate above has none.
    manage("createcachetable", env=prod_env(database_url, redis_db=REDIS_DB, port=0))
    # A small slice of the large demo data: three members in circles, cases, comments (fast:
    # one password hash shared by all, where seed_demo hashes each demo account's password).
    subprocess.run(
        [PY, "manage.py", "shell", "-c", SEED],
        cwd=ROOT,
        env={**env, "KOMDIR_MULTI_PASSWORD": PASSWORD},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "FLUSHDB"], capture_output=True, check=False)
    servers = []
    try:
        for port in PORTS:
            prod = prod_env(database_url, redis_db=REDIS_DB, port=port, extra={"GUNICORN_WORKERS": "2"})
            if not servers:
                manage("collectstatic", "--noinput", env=prod)
            log(f"gunicorn on 127.0.0.1:{port}")
            servers.append(Server(prod, port, Path("/tmp") / f"komdir-multiserver-{port}.log"))
        a_port, b_port = PORTS

        # 1. One login, both servers.
        a = Client(a_port)
        status = a.login(MEMBER, PASSWORD)
        check(status == 302 and "komdir_session" in a.cookies, "member logs in through server A")
        b = Client(b_port, cookies=a.cookies)
        status, headers, body = b.get("/cases/ny/")
        check(
            status == 200 and b"Anne" in body or b"Bo " in body,
            "server B knows the member from A's session cookie",
        )

        # 2. A case posted through B is visible on A (and the other way round is the same code path).
        title = f"Case fra server B {int(time.time())}"
        # A's case list is viewed first, so its rendered content sits in the fragment cache:
        # the write through B must refresh it on A too (the tags' versions live in shared Redis).
        status, _h, body = a.get("/cases/")
        check(status == 200 and title.encode() not in body, "server A's case list is cached before the post")
        status, _h, body = b.get("/cases/ny/")
        token = form_token(body)
        area = re.search(rb'name="focus_area"[^>]*>.*?<option value="(\d+)"', body, re.S)
        if not area:
            area = re.search(rb'<option value="(\d+)"[^>]*>\s*1\.', body)
        check(area is not None, "the case form on B offers a focus area")
        status, headers, _b = b.post_form_with_token(
            "/cases/ny/",
            {
                "focus_area": area.group(1).decode(),
                "title": title,
                "summary": "Skrevet gennem den ene server, læst gennem den anden.",
                "body": "To app-servere deler database, cache og sessioner.",
                "tags": "drift",
                "action": "publish",
            },
            token,
            "",
        )
        location = headers.get("Location", "")
        check(
            status == 302 and "/cases/" in location, f"case posted through server B ({status} → {location})"
        )
        status, _h, body = a.get(location.replace("https://localhost", ""))
        check(status == 200 and title.encode() in body, "the case is visible on server A")
        status, _h, body = a.get("/cases/")
        check(title.encode() in body, "the case is in server A's (cached, now refreshed) case list")

        # A comment written through B on the case page A has cached: A shows it at once. B's form
        # came out of the shared cache, with B's own CSRF and submission tokens filled in.
        case_path = location.replace("https://localhost", "")
        status, _h, body = b.get(case_path)
        add = re.search(rb'action="(/kommentarer/ny/case/\d+/)"', body)
        submission = re.search(rb'name="submission_token" value="([^"]+)"', body)
        check(add is not None and submission is not None, "the case page on B offers the comment form")
        words = f"Kommentar gennem server B {int(time.time())}"
        status, headers, _b = b.post_form_with_token(
            add.group(1).decode(),
            {"body": words, "submission_token": submission.group(1).decode()},
            form_token(body),
            "",
        )
        check(status == 302, f"comment posted through server B ({status})")
        status, _h, body = a.get(case_path)
        check(words.encode() in body, "the comment is on server A's (cached, now refreshed) case page")

        # 3. Failed logins count across both servers: limit "5/5m/key" for one account.
        victim = OTHER
        statuses = []
        for attempt in range(6):
            client = Client(PORTS[attempt % 2])
            statuses.append(client.login(victim, "wrong-password"))
            client.close()
        blocked = Client(PORTS[1])
        status, _h, body = blocked.get("/accounts/login/")
        token = form_token(body)
        status, _h, body = blocked.post_form_with_token(
            "/accounts/login/", {"login": victim, "password": PASSWORD}, token, ""
        )
        log(f"failed attempts answered {statuses}; the right password then answered {status}")
        check(
            status in (200, 429)
            and b"komdir_session" not in body
            and "komdir_session" not in blocked.cookies,
            "after 3 failures on A and 3 on B, even the right password is refused on B (shared limit)",
        )
        fresh = Client(PORTS[0])
        check(fresh.login(THIRD, PASSWORD) == 302, "another member still logs in on A")
    finally:
        for server in servers:
            server.stop()
    log(f"multiserver check passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    # Ctrl-C or a CI timeout still runs the finally blocks that stop the gunicorn servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
