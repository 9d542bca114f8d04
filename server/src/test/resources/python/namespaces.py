"""What the scripts share: a namespace of their own, ready for use."""
import time

from kubernetes import client


def create_ready(v1, name, seconds=30):
    """Creates the namespace and returns once the root CA publisher has put kube-root-ca.crt in it, as clients of a
    real cluster wait for before they rely on a new namespace."""
    v1.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))
    deadline = time.monotonic() + seconds
    while not v1.list_namespaced_config_map(name, field_selector="metadata.name=kube-root-ca.crt").items:
        if time.monotonic() > deadline:
            raise SystemExit("no kube-root-ca.crt in " + name)
        time.sleep(0.1)
