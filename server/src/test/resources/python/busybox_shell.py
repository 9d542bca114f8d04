"""A busybox pod's shell through the client's stream module: a loop over $(seq), a BusyBox applet, and an interactive
/bin/sh whose stdout and stderr are read line by line before it exits; then the log its main loop writes."""
import json
import sys
import time

from kubernetes import client, config
from kubernetes.stream import stream
from kubernetes.stream.ws_client import ERROR_CHANNEL

import namespaces

config.load_kube_config(config_file=sys.argv[1])
ns = sys.argv[2]
core = client.CoreV1Api()
namespaces.create_ready(core, ns)

core.create_namespaced_pod(ns, client.V1Pod(
    metadata=client.V1ObjectMeta(name="clock"),
    spec=client.V1PodSpec(containers=[client.V1Container(
        name="main", image="busybox", command=["/bin/sh", "-c", "while true;do date;sleep 5; done"])])))
deadline = time.monotonic() + 60
while core.read_namespaced_pod("clock", ns).status.phase != "Running":
    if time.monotonic() > deadline:
        raise SystemExit("clock never ran")
    time.sleep(0.2)
seen = {}

out = stream(core.connect_get_namespaced_pod_exec, "clock", ns,
             command=["/bin/sh", "-c", "for i in $(seq 1 3); do date; done"],
             stderr=False, stdin=False, stdout=True, tty=False)
seen["loop"] = out.splitlines()
out = stream(core.connect_post_namespaced_pod_exec, "clock", ns, command="uptime",
             stderr=False, stdin=False, stdout=True, tty=False)
seen["uptime"] = out.splitlines()

session = stream(core.connect_post_namespaced_pod_exec, "clock", ns, command="/bin/sh",
                 stderr=True, stdin=True, stdout=True, tty=False, _preload_content=False)
session.write_stdin("echo test string 1\n")
seen["interactiveStdout"] = session.readline_stdout(timeout=10)
seen["stderrBeforeIt"] = bool(session.peek_stderr())
session.write_stdin("echo test string 2 >&2\n")
seen["interactiveStderr"] = session.readline_stderr(timeout=10)
session.write_stdin("exit\n")
session.update(timeout=10)
status = ""
deadline = time.monotonic() + 30
while status == "" and time.monotonic() < deadline:
    status = session.read_channel(ERROR_CHANNEL)
    if status == "":
        session.update(timeout=1)
seen["exitStatus"] = json.loads(status)["status"] if status else None
session.update(timeout=5)
seen["openAfterExit"] = session.is_open()

log = core.read_namespaced_pod_log("clock", ns)
seen["logLines"] = len(log.splitlines())
seen["firstLogLine"] = log.splitlines()[0] if log else ""
print(json.dumps(seen))
