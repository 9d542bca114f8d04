"""exec and port-forward through the official Python client's stream module, as a user's script does them."""
import json
import socket
import sys
import time

from kubernetes import client, config
from kubernetes.stream import portforward, stream

import namespaces

config.load_kube_config(config_file=sys.argv[1])
ns = sys.argv[2]
core = client.CoreV1Api()
namespaces.create_ready(core, ns)

core.create_namespaced_pod(ns, client.V1Pod(
    metadata=client.V1ObjectMeta(name="web"),
    spec=client.V1PodSpec(containers=[client.V1Container(name="nginx", image="nginx")])))
deadline = time.monotonic() + 60
while not any(c.type == "Ready" and c.status == "True" for c in (core.read_namespaced_pod("web", ns).status.conditions or [])):
    if time.monotonic() > deadline:
        raise SystemExit("web never became ready")
    time.sleep(0.2)
seen = {}

# a command's output in one string (stream's default: the client reads until the server closes)
seen["hostname"] = stream(core.connect_get_namespaced_pod_exec, "web", ns, command=["hostname"],
                          stderr=True, stdin=False, stdout=True, tty=False)

# stdout, stderr and the exit code apart
resp = stream(core.connect_get_namespaced_pod_exec, "web", ns, command=["sh", "-c", "echo out; echo err >&2; exit 3"],
              stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
resp.run_forever(timeout=30)
seen["command"] = {"stdout": resp.read_stdout(), "stderr": resp.read_stderr(), "returncode": resp.returncode}

# a shell fed on stdin
shell = stream(core.connect_get_namespaced_pod_exec, "web", ns, command=["/bin/sh"],
               stderr=True, stdin=True, stdout=True, tty=False, _preload_content=False)
shell.write_stdin("cat /usr/share/nginx/html/index.html | grep '<title>'\n")
shell.write_stdin("nope\n")
shell.write_stdin("exit 4\n")
shell.run_forever(timeout=30)
seen["shell"] = {"stdout": shell.read_stdout(), "stderr": shell.read_stderr(), "returncode": shell.returncode}

# port-forward: a socket to the pod's port 80, answered by nginx
pf = portforward(core.connect_get_namespaced_pod_portforward, "web", ns, ports="80")
sock = pf.socket(80)
sock.setblocking(True)
sock.settimeout(30)
sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n")
reply = b""
while b"</html>" not in reply:
    chunk = sock.recv(4096)
    if not chunk:
        break
    reply += chunk
text = reply.decode()
seen["portforward"] = {"statusLine": text.split("\r\n", 1)[0],
                       "server": [line for line in text.split("\r\n") if line.startswith("Server: ")],
                       "title": "<title>Welcome to nginx!</title>" in text,
                       "error": pf.error(80)}
sock.close()
pf.close()
print(json.dumps(seen))
