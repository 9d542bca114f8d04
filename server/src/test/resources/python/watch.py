"""A watch through the client's Watch helper (it sends ?watch=True) while another thread writes; prints the events."""
import json
import sys
import threading

from kubernetes import client, config, watch

import namespaces

config.load_kube_config(config_file=sys.argv[1])
ns = sys.argv[2]
v1 = client.CoreV1Api()
# ready, with its kube-root-ca.crt: the watch below sees only the script's own writes
namespaces.create_ready(v1, ns)
start = v1.list_namespaced_config_map(ns).metadata.resource_version


def write():
    for name in ("one", "two", "three"):
        v1.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name)))
    v1.patch_namespaced_config_map("two", ns, {"data": {"k": "v"}})
    v1.delete_namespaced_config_map("one", ns)


events = []
w = watch.Watch()
writer = threading.Thread(target=write)
writer.start()
for event in w.stream(v1.list_namespaced_config_map, ns, resource_version=start, timeout_seconds=60):
    events.append([event["type"], event["object"].metadata.name, event["object"].data])
    if len(events) == 5:
        w.stop()
writer.join()

# A watch that times out ends by itself, with no event.
quiet = list(watch.Watch().stream(v1.list_namespaced_secret, ns, timeout_seconds=1))
print(json.dumps({"events": events, "quiet": len(quiet)}))
