#!/usr/bin/env python3
"""readyz-wait.py PORT TIMEOUT_S [PID]: waits until https://127.0.0.1:PORT/readyz answers 200 "ok": exit 0; 1 after
TIMEOUT_S seconds, or as soon as process PID (the server) has exited.

One process that retries every 5 ms, rather than a curl per try: on 2 cores the ~10 ms of CPU each curl costs to start
was taken from the server whose start bench/startup.sh measures. The server's certificate is not checked (a fresh PKI).
"""
import os
import socket
import ssl
import sys
import time

port = int(sys.argv[1])
deadline = time.monotonic() + float(sys.argv[2])
server = int(sys.argv[3]) if len(sys.argv) > 3 else None
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
request = b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
while time.monotonic() < deadline:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as plain, context.wrap_socket(plain) as tls:
            tls.sendall(request)
            reply = b""
            while chunk := tls.recv(65536):
                reply += chunk
        status, _, body = reply.partition(b"\r\n\r\n")
        if status.startswith(b"HTTP/1.1 200") and body == b"ok":
            sys.exit(0)
    except OSError:
        pass  # not listening yet, or the connection was cut: try again
    if server is not None:
        try:
            os.kill(server, 0)
        except ProcessLookupError:
            sys.exit(1)
    time.sleep(0.005)
sys.exit(1)
