"""A Deployment brought up, scaled and deleted through the official Python client, as a test script would."""
import json
import sys

from kubernetes import client, config

import namespaces

config.load_kube_config(config_file=sys.argv[1])
ns = sys.argv[2]
core = client.CoreV1Api()
apps = client.AppsV1Api()
core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))

until = namespaces.until


labels = {"app": "web"}
apps.create_namespaced_deployment(ns, client.V1Deployment(
    metadata=client.V1ObjectMeta(name="web"),
    spec=client.V1DeploymentSpec(
        replicas=2, selector=client.V1LabelSelector(match_labels=labels),
        template=client.V1PodTemplateSpec(
            metadata=client.V1ObjectMeta(labels=labels),
            spec=client.V1PodSpec(containers=[client.V1Container(name="nginx", image="nginx")])))))
until("2 ready replicas", lambda: (apps.read_namespaced_deployment("web", ns).status.ready_replicas or 0) == 2)
pods = core.list_namespaced_pod(ns, label_selector="app=web").items
seen = {"pods": [{"phase": p.status.phase, "node": p.spec.node_name, "ip": p.status.pod_ip,
                  "owner": p.metadata.owner_references[0].kind,
                  "ready": all(c.ready for c in p.status.container_statuses)} for p in pods]}

apps.patch_namespaced_deployment_scale("web", ns, {"spec": {"replicas": 3}})
until("3 ready replicas", lambda: (apps.read_namespaced_deployment("web", ns).status.ready_replicas or 0) == 3)
seen["scale"] = apps.read_namespaced_deployment_scale("web", ns).status.replicas

apps.delete_namespaced_deployment("web", ns, propagation_policy="Foreground")


def deployment_gone():
    try:
        apps.read_namespaced_deployment("web", ns)
        return False
    except client.rest.ApiException as e:
        return e.status == 404


# in the foreground the Deployment goes last: once it is gone its ReplicaSets and their pods must be gone too
until("the deployment gone", deployment_gone)
seen["replicaSetsLeft"] = len(apps.list_namespaced_replica_set(ns).items)
seen["podsLeft"] = len(core.list_namespaced_pod(ns, label_selector="app=web").items)

seen["kubeSystem"] = sorted({p.status.phase for p in core.list_namespaced_pod("kube-system").items})
print(json.dumps(seen))
