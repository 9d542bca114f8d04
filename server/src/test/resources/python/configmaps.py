"""CRUD of ConfigMaps with the official Python client; prints what the client saw as one JSON object."""
import json
import sys

from kubernetes import client, config
from kubernetes.client.rest import ApiException

import namespaces

config.load_kube_config(config_file=sys.argv[1])
ns = sys.argv[2]
v1 = client.CoreV1Api()
seen = {}


def api_error(call):
    try:
        call()
    except ApiException as e:
        body = json.loads(e.body)  # the client parses error bodies as JSON
        return {"status": e.status, "reason": body.get("reason"), "message": body.get("message"),
                "causes": [c.get("field") for c in body.get("details", {}).get("causes", [])],
                "bodyEndsWithNewline": e.body.endswith("\n")}
    return None


namespaces.create_ready(v1, ns)
created = v1.create_namespaced_config_map(ns, client.V1ConfigMap(
    metadata=client.V1ObjectMeta(name="settings", labels={"app": "py"}), data={"color": "blue"}))
seen["created"] = {"name": created.metadata.name, "namespace": created.metadata.namespace,
                   "uid": bool(created.metadata.uid), "data": created.data}

stale = v1.read_namespaced_config_map("settings", ns)
patched = v1.patch_namespaced_config_map("settings", ns, {"data": {"size": "L"}})
seen["patched"] = patched.data
stale.data["color"] = "red"
seen["staleReplace"] = api_error(lambda: v1.replace_namespaced_config_map("settings", ns, stale))

fresh = v1.read_namespaced_config_map("settings", ns)
fresh.data["color"] = "red"
seen["replaced"] = v1.replace_namespaced_config_map("settings", ns, fresh).data

v1.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="other")))
seen["labelled"] = [c.metadata.name for c in v1.list_namespaced_config_map(ns, label_selector="app=py").items]
seen["byField"] = [c.metadata.name for c in
                   v1.list_namespaced_config_map(ns, field_selector="metadata.name=other").items]

seen["missing"] = api_error(lambda: v1.read_namespaced_config_map("nope", ns))
seen["duplicate"] = api_error(lambda: v1.create_namespaced_config_map(
    ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="settings"))))
seen["invalid"] = api_error(lambda: v1.create_namespaced_config_map(
    ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="Bad_Name"))))
seen["noNamespace"] = api_error(lambda: v1.create_namespaced_config_map(
    "no-such-namespace", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="x"))))

deleted = v1.delete_namespaced_config_map("settings", ns)
seen["deleted"] = deleted.status
seen["afterDelete"] = sorted(c.metadata.name for c in v1.list_namespaced_config_map(ns).items)
print(json.dumps(seen))
