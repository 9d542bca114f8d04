#!/usr/bin/env python3
"""watches.py URL TOKEN NAMESPACE [WATCHES]: holds WATCHES (default 10000) watches open on a running API server.

Opens WATCHES TLS connections to URL (on 127.0.0.1), each a watch of the ConfigMaps in NAMESPACE (no timeoutSeconds),
prints "OPEN n" once all are streaming, then reads lines from stdin:
  "event"  counts how many watches have received an ADDED event since the last count (create one first), prints
           "EVENTS n";
  "close"  closes them all and exits.
Used by watch-memory.sh. Only the Python standard library; talks only to 127.0.0.1.
"""
import asyncio
import ssl
import sys
from urllib.parse import urlparse

HANDSHAKES_AT_ONCE = 64


class Watch:
    def __init__(self):
        self.buffer = b""
        self.reader = None
        self.writer = None

    async def open(self, host, port, ctx, token, ns, gate):
        async with gate:
            self.reader, self.writer = await asyncio.open_connection(host, port, ssl=ctx, limit=1 << 20)
            self.writer.write(("GET /api/v1/namespaces/%s/configmaps?watch=1 HTTP/1.1\r\nHost: %s\r\n"
                               "Authorization: Bearer %s\r\n\r\n" % (ns, host, token)).encode())
            head = await self.reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200 "):
                raise RuntimeError(head.decode(errors="replace"))

    async def saw_added(self):
        while b'"type":"ADDED"' not in self.buffer:
            data = await self.reader.read(65536)
            if not data:
                return False
            self.buffer += data
        self.buffer = b""
        return True


async def main():
    url = urlparse(sys.argv[1])
    token, ns = sys.argv[2], sys.argv[3]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
    host, port = url.hostname, url.port or 443
    if host not in ("127.0.0.1", "localhost"):
        sys.exit("URL must be on 127.0.0.1")
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    gate = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
    watches = [Watch() for _ in range(count)]
    await asyncio.gather(*(w.open(host, port, ctx, token, ns, gate) for w in watches))
    print("OPEN %d" % count, flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if line == "event":
            got = await asyncio.gather(*(asyncio.wait_for(w.saw_added(), 60) for w in watches), return_exceptions=True)
            print("EVENTS %d" % sum(1 for g in got if g is True), flush=True)
        else:
            for w in watches:
                w.writer.close()
            return


if __name__ == "__main__":
    asyncio.run(main())
