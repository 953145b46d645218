"""gunicorn configuration for KOMDIR-portalen: `gunicorn -c komdir/gunicorn.conf.py komdir.wsgi`.

Every value can be overridden with the environment variables named below.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sized so that logins cannot take the whole server (docs/deploy.md): a login's
# PBKDF2 hash costs about a second of CPU, and each process checks one password at a time
# (members.adapters; others wait KOMDIR_LOGIN_HASH_WAIT_SECONDS, then are refused in Danish),
# after the per-address limit has refused floods without hashing. So at most `workers` hashes
# run at once (one more than there are cores) and every worker keeps `threads - 1` threads
# for pages and /healthz however many logins arrive. Default on 2 cores: 3 x 4 = 12 threads.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
if threads < 2:
    raise SystemExit("GUNICORN_THREADS must be at least 2: one thread per worker may be checking a password.")
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never take the portal down.
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# The reverse proxy sets X-Forwarded-For / X-Forwarded-Proto; trust it only from itself.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
