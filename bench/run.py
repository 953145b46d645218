"""`make bench`: the portal under gunicorn with production settings on PostgreSQL and the large
data set, loaded by 8 concurrent users; a report per page and a non-zero exit on a missed budget.

Budgets (issue 9, on the 2-core reference machine): at most 12 SQL queries per page, p95 at
most 150 ms under 8 concurrent users, and each page's throughput at least 30 % of /healthz's
in the same run. The report goes to bench/results/<timestamp>.{md,json} and latest.{md,json}.

Environment: KOMDIR_BENCH_SECONDS (per page, default 10), KOMDIR_BENCH_USERS (default 8),
KOMDIR_BENCH_DB (default komdir_bench), KOMDIR_BENCH_PORT (default 8765).
"""

from __future__ import annotations

import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
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
    psql,
)

BUDGET_QUERIES = 12
BUDGET_P95_MS = 150.0
BUDGET_RATIO = 0.30
USERS = int(os.environ.get("KOMDIR_BENCH_USERS", "8"))
SECONDS = float(os.environ.get("KOMDIR_BENCH_SECONDS", "10"))
DB = os.environ.get("KOMDIR_BENCH_DB", "komdir_bench")
PORT = int(os.environ.get("KOMDIR_BENCH_PORT", "8765"))
RESULTS = ROOT / "bench" / "results"
MEMBER = ("medlem@komdir.test", "komdir-demo")

# Printed by `manage.py shell`: the URLs of the pages to load, found in the seeded data.
URLS_SCRIPT = r"""
import json
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from circles.models import CircleMembership
from focus.models import Case, FocusArea
from members.models import User
member = User.objects.get(email="medlem@komdir.test")
area = FocusArea.objects.filter(period__status="current").order_by("number").first()
busy = (Case.objects.filter(status="published", hidden_at__isnull=True)
        .annotate(n=Count("comments")).order_by("-n").first())
circle = CircleMembership.objects.filter(user=member).select_related("circle").first().circle
pages = {
    "home": "/",
    "focus area": area.get_absolute_url(),
    "case list (filters)": reverse("focus:case_list") + f"?area={area.pk}&sort=discussed",
    f"case ({busy.n} comments)": busy.get_absolute_url(),
    "circle": circle.get_absolute_url(),
}
for label, name, query in [("search", "search:search", "?q=rekruttering"), ("overview", "overview", "")]:
    for candidate in (name, name.split(":")[-1], "focus:" + name, "members:" + name, "circles:" + name):
        try:
            pages[label] = reverse(candidate) + query
            break
        except NoReverseMatch:
            continue
print(json.dumps(pages))
"""


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))

    def version(args):
        try:
            return (
                subprocess.run(args, capture_output=True, text=True, cwd=ROOT).stdout.strip().splitlines()[0]
            )
        except (OSError, IndexError):
            return "?"

    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": version([PY, "-c", "import django; print(django.get_version())"]),
        "gunicorn": version([PY, "-c", "import gunicorn; print(gunicorn.__version__)"]),
        "postgresql": psql("SHOW server_version"),
        "redis": version(["redis-server", "--version"]),
    }


def prepare(database_url: str) -> dict:
    env = dev_env(database_url)
    log(f"migrate {DB}")
    manage("migrate", "--noinput", env=env)
    seeded = psql("SELECT count(*) FROM members_user WHERE email LIKE 'bench%@komdir.test'", DB)
    if int(seeded or 0) < 300:
        log("seed_demo --scale large")
        started = time.monotonic()
        manage("seed_demo", "--scale", "large", env=env)
        log(f"seeded in {time.monotonic() - started:.0f} s")
    else:
        log("large data set already there: reusing it")
    # The security cache is a database table under production settings (dev settings have none).
    manage("createcachetable", env=prod_env(database_url, redis_db=9, port=PORT))
    psql("VACUUM ANALYZE", DB)
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", URLS_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def counts(database: str) -> dict:
    row = psql(
        "SELECT (SELECT count(*) FROM members_user), (SELECT count(*) FROM focus_case), "
        "(SELECT count(*) FROM focus_comment), (SELECT count(*) FROM circles_meeting), "
        "(SELECT count(*) FROM circles_meetingnote)",
        database,
    )
    keys = ["users", "cases", "comments", "meetings", "notes"]
    return dict(zip(keys, (int(v) for v in row.split("|")), strict=True))


def load(port: int, path: str, cookies: dict, seconds: float, users: int) -> dict:
    """`users` threads, each on its own keep-alive connection, request `path` back to back."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = [0.0]
    start_gate = threading.Barrier(users + 1)

    def worker():
        client = Client(port, cookies)
        for _ in range(3):  # warm the connection and the worker's caches
            client.get(path)
        start_gate.wait()
        mine: list[float] = []
        while time.perf_counter() < stop_at[0]:
            t0 = time.perf_counter()
            status, _h, _b = client.get(path)
            mine.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                with lock:
                    errors.append(f"{status}")
        client.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(users)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + seconds + 60  # provisional until every worker is warm
    start_gate.wait()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)] if latencies else float("inf")
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(p95, 1),
        "rps": round(len(latencies) / elapsed, 1),
    }


def uncached(database_url: str, pages: dict, requests: int = 15) -> dict:
    """Median time of each page for one user with the fragment cache off (KOMDIR_FRAGMENT_CACHE=0):
    what a first view costs. Reported beside the budgets, not judged by them."""
    env = prod_env(database_url, redis_db=10, port=PORT + 1, extra={"KOMDIR_FRAGMENT_CACHE": "0"})
    subprocess.run(["redis-cli", "-n", "10", "FLUSHDB"], capture_output=True)
    server = Server(env, PORT + 1, Path("/tmp") / f"komdir-bench-{PORT + 1}.log")
    medians = {}
    try:
        client = Client(PORT + 1)
        if client.login(*MEMBER) != 302:
            fail("login on the uncached server failed")
        for label, url in pages.items():
            client.get(url)
            times = []
            for _ in range(requests):
                t0 = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
            medians[label] = round(statistics.median(times), 1)
        client.close()
    finally:
        server.stop()
    return medians


def report(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# KOMDIR-portalen: benchmark",
        "",
        f"Run {results['started']} (UTC), {results['users']} concurrent users, "
        f"{results['seconds']:.0f} s per page, gunicorn with production settings "
        f"({results['gunicorn_workers']} workers × {results['gunicorn_threads']} threads) on PostgreSQL "
        "with the large demo data set, Redis as the shared cache; logged in as a member.",
        "",
        f"**Machine:** {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gb']} GB RAM, {m['os']}; "
        f"Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']}, "
        f"PostgreSQL {m['postgresql']}, {m['redis']}.",
        "",
        "**Data:** " + ", ".join(f"{v:,} {k}" for k, v in results["data"].items()) + ".",
        "",
        f"**Budgets:** ≤ {BUDGET_QUERIES} SQL queries per page; p95 ≤ {BUDGET_P95_MS:.0f} ms; "
        f"throughput ≥ {BUDGET_RATIO:.0%} of /healthz.",
        "",
        "Busy pages keep their rendered content in Redis per viewer session until any content write "
        "(komdir/lib/fragments.py), so under load a page is mostly served from that cache. *Queries* is "
        "the first, uncached view; *Uncached ms* is the median of one user's views with the cache "
        "off (KOMDIR_FRAGMENT_CACHE=0): what a first view after a change costs. Both are shown, "
        "not judged.",
        "",
        "| Page | URL | Queries | Uncached ms | Median ms | p95 ms | Req/s | vs /healthz | Errors "
        "| Budgets |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in results["pages"]:
        lines.append(
            f"| {row['page']} | `{row['url']}` | {row['queries'] if row['queries'] is not None else '–'} | "
            f"{row.get('uncached_ms', '–')} | {row['median_ms']} | {row['p95_ms']} | {row['rps']} | "
            f"{'–' if row['page'] == '/healthz' else f'{row["ratio"]:.0%}'} | {row['errors']} | "
            f"{'ok' if not row['missed'] else 'MISSED: ' + '; '.join(row['missed'])} |"
        )
    lines += ["", f"**Result:** {'every budget met' if results['ok'] else 'budgets missed'}.", ""]
    return "\n".join(lines)


def main() -> int:
    started = datetime.now(UTC).replace(microsecond=0)
    database_url = ensure_database(DB)
    pages = prepare(database_url)
    log("collectstatic")
    env = prod_env(database_url, redis_db=9, port=PORT, extra={"KOMDIR_BENCH_QUERY_COUNT": "1"})
    manage("collectstatic", "--noinput", env=env)
    subprocess.run(["redis-cli", "-n", "9", "FLUSHDB"], capture_output=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    workers = env.get("GUNICORN_WORKERS") or str((os.cpu_count() or 1) * 2 + 1)
    log(f"gunicorn on 127.0.0.1:{PORT}")
    server = Server(env, PORT, Path("/tmp") / f"komdir-bench-{PORT}.log")
    rows = []
    try:
        client = Client(PORT)
        status = client.login(*MEMBER)
        if status != 302 or "komdir_session" not in client.cookies:
            fail(f"login as {MEMBER[0]} failed (status {status})")
        cookies = dict(client.cookies)
        targets = [("/healthz", "/healthz"), *pages.items()]
        for label, url in targets:
            status, headers, _b = client.get(url)
            if status != 200:
                fail(f"{label} {url} answered {status}")
            queries = int(headers.get("X-Query-Count", "-1"))
            log(f"load {label} {url} ({queries} queries)")
            result = load(PORT, url, cookies, SECONDS, USERS)
            rows.append({"page": label, "url": url, "queries": queries, **result})
        client.close()
    finally:
        server.stop()
    log("uncached first views, one user")
    for row, median in zip(rows, uncached(database_url, dict(targets)).values(), strict=True):
        row["uncached_ms"] = median
    healthz = rows[0]
    ok = True
    for row in rows:
        row["ratio"] = round(row["rps"] / healthz["rps"], 3) if healthz["rps"] else 0
        missed = []
        if row["page"] != "/healthz":
            if row["queries"] > BUDGET_QUERIES:
                missed.append(f"{row['queries']} queries > {BUDGET_QUERIES}")
            if row["p95_ms"] > BUDGET_P95_MS:
                missed.append(f"p95 {row['p95_ms']} ms > {BUDGET_P95_MS:.0f}")
            if row["ratio"] < BUDGET_RATIO:
                missed.append(f"{row['ratio']:.0%} of /healthz < {BUDGET_RATIO:.0%}")
        if row["errors"]:
            missed.append(f"{row['errors']} errors")
        row["missed"] = missed
        ok = ok and not missed
    results = {
        "started": started.isoformat(),
        "users": USERS,
        "seconds": SECONDS,
        "gunicorn_workers": int(workers),
        "gunicorn_threads": int(env.get("GUNICORN_THREADS", "2")),
        "machine": machine(),
        "data": counts(DB),
        "budgets": {"queries": BUDGET_QUERIES, "p95_ms": BUDGET_P95_MS, "ratio_to_healthz": BUDGET_RATIO},
        "pages": rows,
        "ok": ok,
    }
    markdown = report(results)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    for name in (stamp, "latest"):
        (RESULTS / f"{name}.md").write_text(markdown)
        (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(markdown)
    log(f"report: bench/results/{stamp}.md")
    return 0 if ok else 1


if __name__ == "__main__":
    # Ctrl-C or a CI timeout still runs the finally blocks that stop the gunicorn servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
