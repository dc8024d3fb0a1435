"""What the control's observability costs per request, and how a small request fares beside the largest legal one.

    .venv/bin/python control/tools/overhead.py [--calls 2000] [--rounds 8]

1. Per-request cost: three servers on the seed model, untraced (OTEL_SDK_DISABLED=true): metrics off, metrics on,
   metrics on + ACCESS_LOG=true (log lines to /dev/null). Sequential single-row POST /inference calls on one
   keep-alive connection, the variants interleaved round by round; prints the median microseconds per call of
   each and the differences.
2. A small request beside a large one: while the largest contrib request the time budget allows runs, one-row
   calls on another connection; prints their latency percentiles against the same calls alone.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

CONTROL = Path(__file__).resolve().parents[1]
MODEL = CONTROL.parent / "model" / "model.txt"
ROW = json.dumps({"data": [0.5] * 20}).encode()
HEADERS = {"Content-Type": "application/json"}


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    full = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    full.update({"HOST": "127.0.0.1", "PORT": str(port), "MODEL_PATH": str(MODEL), "OTEL_SDK_DISABLED": "true", **env})
    process = subprocess.Popen(
        [sys.executable, "-m", "app"], cwd=CONTROL, env=full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(600):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/ready")
            if connection.getresponse().status == 200:
                return process, port
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("a server did not start")


def in_process_us(variants: dict[str, dict[str, str]], calls: int, rounds: int) -> dict[str, float]:
    """The same request through each app's ASGI interface in this process, no sockets: the server's own cost."""
    import asyncio
    from dataclasses import replace

    sys.path.insert(0, str(CONTROL))
    from app.main import create_app
    from app.settings import Settings

    base = replace(Settings.from_env({"MODEL_PATH": str(MODEL)}), otel_sdk_disabled=True)
    apps = {
        name: create_app(
            replace(base, metrics_enabled=env["METRICS_ENABLED"] == "true", access_log="ACCESS_LOG" in env)
        )
        for name, env in variants.items()
    }
    import logging

    logging.getLogger().addHandler(logging.StreamHandler(open(os.devnull, "w")))  # noqa: SIM115
    logging.getLogger().handlers[-1].setFormatter(__import__("app.logs").logs.JsonFormatter("fastapi-control"))
    logging.getLogger().setLevel(logging.INFO)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/inference",
        "raw_path": b"/inference",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(ROW)).encode())],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8000),
    }

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": ROW, "more_body": False}

    async def send(_message: dict[str, object]) -> None:
        pass

    async def run() -> dict[str, float]:
        results: dict[str, list[float]] = {name: [] for name in apps}
        contexts = {name: app.router.lifespan_context(app) for name, app in apps.items()}
        for context in contexts.values():
            await context.__aenter__()
        names = list(apps)
        for r in range(rounds):
            for name in names[r % len(names) :] + names[: r % len(names)]:
                app = apps[name]
                for _ in range(100):
                    await app(dict(scope), receive, send)
                start = time.perf_counter()
                for _ in range(calls):
                    await app(dict(scope), receive, send)
                results[name].append((time.perf_counter() - start) / calls * 1e6)
        for context in contexts.values():
            await context.__aexit__(None, None, None)
        return {name: statistics.median(values) for name, values in results.items()}

    return asyncio.run(run())


def sequential_us(port: int, calls: int) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(50):  # warm the connection and the server
        connection.request("POST", "/inference", body=ROW, headers=HEADERS)
        connection.getresponse().read()
    start = time.perf_counter()
    for _ in range(calls):
        connection.request("POST", "/inference", body=ROW, headers=HEADERS)
        connection.getresponse().read()
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed / calls * 1e6


def latencies_ms(port: int, stop: threading.Event, limit: int) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    out: list[float] = []
    while not stop.is_set() and len(out) < limit:
        start = time.perf_counter()
        connection.request("POST", "/inference", body=ROW, headers=HEADERS)
        connection.getresponse().read()
        out.append((time.perf_counter() - start) * 1000)
        time.sleep(0.005)
    connection.close()
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()

    variants = {
        "metrics off": {"METRICS_ENABLED": "false"},
        "metrics on": {"METRICS_ENABLED": "true"},
        "metrics on + access log": {"METRICS_ENABLED": "true", "ACCESS_LOG": "true"},
    }
    in_process = in_process_us(variants, args.calls, args.rounds * 2)
    print(f"in-process ASGI calls (no sockets), {args.rounds * 2} rounds x {args.calls} calls, interleaved")
    for name, median in in_process.items():
        base = in_process["metrics off"]
        print(f"  {name:26} {median:8.1f} us/call  (+{median - base:5.1f} us, x{median / base:.3f})")
    servers = {name: start_server(env) for name, env in variants.items()}
    try:
        results: dict[str, list[float]] = {name: [] for name in variants}
        names = list(servers)
        for r in range(args.rounds):
            for name in names[r % 3 :] + names[: r % 3]:  # each variant in each position in turn
                results[name].append(sequential_us(servers[name][1], args.calls))
        base = statistics.median(results["metrics off"])
        print(f"sequential keep-alive single-row calls, {args.rounds} rounds x {args.calls} calls, interleaved")
        for name, values in results.items():
            median = statistics.median(values)
            print(f"  {name:26} {median:8.1f} us/call  (+{median - base:5.1f} us, x{median / base:.3f})")

        _, port = servers["metrics on"]
        description = json.loads(http_get(port, "/model"))
        rows = largest_contrib_rows(port)
        print(f"\nthe largest contrib request under the time budget: {rows} rows x {description['num_trees']} trees")
        stop = threading.Event()
        alone = latencies_ms(port, stop, 200)
        big = json.dumps({"data": [[0.5] * 20] * rows, "output": "contrib"}).encode()
        beside: list[float] = []
        worker = threading.Thread(target=lambda: beside.extend(latencies_ms(port, stop, 100_000)))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start = time.perf_counter()
        connection.request("POST", "/inference", body=big, headers=HEADERS)
        worker.start()
        status = connection.getresponse().status
        big_s = time.perf_counter() - start
        stop.set()
        worker.join()
        print(f"  the large request: {status} in {big_s:.2f} s")
        for label, values in (("alone", alone), ("beside it", beside)):
            print(
                f"  one-row calls {label:10} n={len(values):4}  p50 {pct(values, 0.5):6.2f} ms  "
                f"p99 {pct(values, 0.99):6.2f} ms  max {max(values):7.2f} ms"
            )
    finally:
        for process, _ in servers.values():
            process.send_signal(signal.SIGTERM)
            process.wait()


def http_get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", path)
    return connection.getresponse().read()


def largest_contrib_rows(port: int) -> int:
    """From the 422 of a contrib request far over the budget: its estimate scaled down to 95 % of the budget."""
    rows = 10_000
    body = json.dumps({"data": [[0.5] * 20] * rows, "output": "contrib"}).encode()
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("POST", "/inference", body=body, headers=HEADERS)
    response = connection.getresponse()
    message = json.loads(response.read())["error"]["message"]
    assert response.status == 422, message
    estimate_ms = float(message.split("about ")[1].split(" ms")[0])
    budget_ms = float(message.split("the budget is ")[1].split(" ms")[0])
    return int(rows * budget_ms / estimate_ms * 0.95)


if __name__ == "__main__":
    main()
