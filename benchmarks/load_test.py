"""Load test: DutyDesk under gunicorn on loopback with 1, 2 and 4 web processes, driven by signed-in
users (a mix of managers, clerks and after-sales staff) for a bounded time each. Prints, per process
count, throughput, errors and p50 / p95 / p99 latency, so that scaling out is a measured line.

    scripts/services.sh .venv/bin/python benchmarks/load_test.py [--seconds 20] [--clients 8]

Loopback only (127.0.0.1); every run stops by itself after --seconds. The database is the one
DATABASE_URL names (PostgreSQL under scripts/services.sh), loaded with the demo. Sessions are made
directly (as `Client.force_login` does) so that sign-in throttling and two-factor do not shape the
figures; the pages themselves run the full product logic.
"""

import argparse
import http.client
import io
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

MIX = {
    # who: (share of the users, the pages they keep opening)
    "manager": (0.3, ["/", "/tickets/", "/customers/", "/followups/", "/checklists/board/", "/handovers/"]),
    "clerk": (0.4, ["/", "/checklists/", "/customers/", "/tickets/", "/handovers/"]),
    "aftersales": (0.3, ["/", "/followups/", "/customers/", "/tickets/"]),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_cookies() -> dict[str, str]:
    from apps.org.models import User

    cookies = {}
    for username in MIX:
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookies[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def start_server(workers: int, port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "LOG_LEVEL": "ERROR"}
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def drive(port: int, seconds: float, clients: int, cookies: dict[str, str]):
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    people = random.Random(1).choices(list(MIX), weights=[w for w, _ in MIX.values()], k=clients)

    def user_loop(who: str, seed: int):
        rnd = random.Random(seed)
        pages = MIX[who][1]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookies[who]}", "Accept-Language": "zh-hans"}
        mine, bad = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", rnd.choice(pages), headers=headers)
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=user_loop, args=(who, i)) for i, who in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("seed_demo", force=True, stdout=io.StringIO())
    cookies = session_cookies()
    print(f"{os.cpu_count()} cores, {args.clients} signed-in users, {args.seconds:.0f} s per run")
    print(f"{'web processes':>13} {'requests/s':>11} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for workers in [int(w) for w in args.workers.split(",")]:
        port = free_port()
        server = start_server(workers, port)
        try:
            drive(port, 2, args.clients, cookies)  # warm-up: imports, connections, caches
            latencies, errors = drive(port, args.seconds, args.clients, cookies)
        finally:
            server.terminate()
            server.wait(timeout=30)
        rate = len(latencies) / args.seconds
        print(
            f"{workers:>13} {rate:>11.1f} {errors:>7} {statistics.median(latencies) * 1000:>8.1f} "
            f"{percentile(latencies, 95):>8.1f} {percentile(latencies, 99):>8.1f}"
        )


if __name__ == "__main__":
    main()
