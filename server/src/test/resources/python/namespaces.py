"""What the scripts share: a namespace of their own, ready for use; waiting for a condition; an API error as seen."""
import json
import time

from kubernetes import client
from kubernetes.client.rest import ApiException


def create_ready(v1, name, seconds=30):
    """Creates the namespace and returns once the root CA publisher has put kube-root-ca.crt in it, as clients of a
    real cluster wait for before they rely on a new namespace."""
    v1.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))
    deadline = time.monotonic() + seconds
    while not v1.list_namespaced_config_map(name, field_selector="metadata.name=kube-root-ca.crt").items:
        if time.monotonic() > deadline:
            raise SystemExit("no kube-root-ca.crt in " + name)
        time.sleep(0.1)


def until(what, check, seconds=60):
    """The first truthy value of check(), polled until the deadline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise SystemExit("timed out waiting for " + what)


def api_error(call):
    """What the client raised for the call (None when it succeeded): status, reason, message and the causes' fields."""
    try:
        call()
    except ApiException as e:
        body = json.loads(e.body)
        return {"status": e.status, "reason": body.get("reason"), "message": body.get("message"),
                "causes": [c.get("field") for c in body.get("details", {}).get("causes", [])]}
    return None
