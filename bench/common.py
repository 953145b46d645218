"""Shared helpers for `make bench` and `make multiserver`: databases, gunicorn, an HTTP session.

Standard library only (http.client), so the benchmark adds no dependency and the load
driver stays small enough to read.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = os.environ.get("KOMDIR_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("KOMDIR_BENCH_REDIS", "redis://127.0.0.1:6379")
PUBLIC_HOST = "localhost"
SECRET = "bench-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def psql(sql: str, database: str = "postgres") -> str:
    host_url = f"{PG}/{database}"
    result = subprocess.run(["psql", host_url, "-tAc", sql], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def ensure_database(name: str, *, fresh: bool = False) -> str:
    if fresh:
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
        psql(f'CREATE DATABASE "{name}"')
    return f"{PG}/{name}"


def manage(*args: str, env: dict, quiet: bool = True) -> None:
    out = subprocess.DEVNULL if quiet else None
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=out)


def dev_env(database_url: str) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "1"}


def prod_env(database_url: str, *, redis_db: int, port: int, extra: dict | None = None) -> dict:
    """Production settings (DEBUG off) as an operator would run them, on plain HTTP locally.

    Only SECURE_SSL_REDIRECT is switched off (its documented env switch); the client sends
    X-Forwarded-Proto: https like the reverse proxy does, so secure cookies, HSTS and CSRF
    origin checks behave exactly as in production.
    """
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KOMDIR_", "GUNICORN_", "REDIS_"))
    }
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": SECRET,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "REDIS_URL": f"{REDIS}/{redis_db}",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_ACCESS_LOG": "/dev/null",
        }
    )
    env.update(extra or {})
    return env


class Server:
    """A gunicorn process with komdir/gunicorn.conf.py, stopped by its own pid."""

    def __init__(self, env: dict, port: int, log_path: Path):
        self.port = port
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            raise RuntimeError(f"port {port} is already in use: stop that server first")
        except OSError:
            pass
        self.log_file = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [GUNICORN, "-c", "komdir/gunicorn.conf.py", "komdir.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn on port {port} exited; see {log_path}")
            try:
                status, _h, _b = Client(port).get("/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn on port {port} did not answer /healthz; see {log_path}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()


class Client:
    """A browser-like HTTP session on one keep-alive connection: cookies, CSRF, https proxy header."""

    def __init__(self, port: int, cookies: dict | None = None, *, address: str | None = None):
        self.port = port
        self.cookies: dict[str, str] = dict(cookies or {})
        # The client's own address as the reverse proxy passes it on (X-Forwarded-For), for a
        # server started with KOMDIR_TRUSTED_PROXY_COUNT=1; without it every client is 127.0.0.1.
        self.address = address
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {
            # The public name, as the reverse proxy passes it to every app server (allauth keys
            # its per-account login limit on the site's host, so it must be the same on all).
            "Host": PUBLIC_HOST,
            "X-Forwarded-Proto": "https",
            "Accept-Language": "da",
        }
        if self.address:
            headers["X-Forwarded-For"] = self.address
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=self._headers(headers))
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                # The server closed the keep-alive connection (worker recycling): reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for key, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        return response.status, response.headers, data

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict, *, referer_path: str | None = None):
        csrf = self.cookies.get("csrftoken", "")
        body = urlencode({"csrfmiddlewaretoken": csrf, **fields}).encode()
        origin = f"https://{PUBLIC_HOST}"
        return self.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + (referer_path or path),
                "X-CSRFToken": csrf,
            },
        )

    def login(self, email: str, password: str) -> int:
        """Log in through allauth's form; returns the status of the POST (302 on success)."""
        status, _h, body = self.get("/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if match:
            self.cookies.setdefault("csrftoken", "")
            token = match.group(1).decode()
            csrf_cookie = self.cookies.get("csrftoken", "")
            status, _h, _b = self.post_form_with_token(
                "/accounts/login/", {"login": email, "password": password}, token, csrf_cookie
            )
            return status
        raise RuntimeError(f"no login form (status {status})")

    def post_form_with_token(self, path: str, fields: dict, token: str, _cookie: str):
        origin = f"https://{PUBLIC_HOST}"
        body = urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        return self.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + path,
            },
        )

    def close(self) -> None:
        self.conn.close()


def fail(message: str) -> None:
    print(f"FEJL: {message}", file=sys.stderr, flush=True)
    sys.exit(1)
