"""networking.k8s.io/v1, policy/v1 and autoscaling/v2 through the official Python client: an IngressClass and an
Ingress (create, read, patch, list, watch, delete, the 422 of a path without pathType), a NetworkPolicy's defaults, a
PodDisruptionBudget refusing then allowing an eviction (the client's create_namespaced_pod_eviction), and an HPA of
autoscaling/v2 through the dynamic client (this client release has no typed v2); prints what it saw as JSON."""
import json
import sys
import threading

from kubernetes import client, config, dynamic, watch

import namespaces

config.load_kube_config(config_file=sys.argv[1])
ns = sys.argv[2]
core = client.CoreV1Api()
net = client.NetworkingV1Api()
policy = client.PolicyV1Api()
apps = client.AppsV1Api()
namespaces.create_ready(core, ns)
seen = {}

class_name = ns + "-nginx"
ic = net.create_ingress_class(client.V1IngressClass(metadata=client.V1ObjectMeta(name=class_name),
                                                    spec=client.V1IngressClassSpec(controller="k8s.io/ingress-nginx")))
seen["ingressClass"] = net.read_ingress_class(class_name).spec.controller
seen["ingressClassImmutable"] = namespaces.api_error(
    lambda: net.patch_ingress_class(class_name, {"spec": {"controller": "example.com/other"}}))

start = net.list_namespaced_ingress(ns).metadata.resource_version


def write_ingresses():
    net.create_namespaced_ingress(ns, client.V1Ingress(
        metadata=client.V1ObjectMeta(name="web"),
        spec=client.V1IngressSpec(ingress_class_name=class_name, rules=[client.V1IngressRule(
            host="web.example.com", http=client.V1HTTPIngressRuleValue(paths=[client.V1HTTPIngressPath(
                path="/", path_type="Prefix", backend=client.V1IngressBackend(service=client.V1IngressServiceBackend(
                    name="web", port=client.V1ServiceBackendPort(number=80))))]))])))
    net.patch_namespaced_ingress("web", ns, {"spec": {"rules": [{"host": "www.example.com", "http": {"paths": [
        {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}})
    net.delete_namespaced_ingress("web", ns)


events = []
w = watch.Watch()
writer = threading.Thread(target=write_ingresses)
writer.start()
for event in w.stream(net.list_namespaced_ingress, ns, resource_version=start, timeout_seconds=60):
    events.append([event["type"], event["object"].metadata.name, event["object"].spec.rules[0].host,
                   event["object"].spec.ingress_class_name])
    if event["type"] == "DELETED":
        w.stop()
writer.join()
seen["ingressEvents"] = events
seen["ingressNoPathType"] = namespaces.api_error(lambda: net.create_namespaced_ingress(ns, {
    "apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "bad"},
    "spec": {"rules": [{"http": {"paths": [{"path": "/", "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}}))
net.delete_ingress_class(class_name)

np = net.create_namespaced_network_policy(ns, client.V1NetworkPolicy(
    metadata=client.V1ObjectMeta(name="web-allow"),
    spec=client.V1NetworkPolicySpec(
        pod_selector=client.V1LabelSelector(match_labels={"app": "web"}),
        ingress=[client.V1NetworkPolicyIngressRule(
            _from=[client.V1NetworkPolicyPeer(pod_selector=client.V1LabelSelector(match_labels={"access": "true"}))],
            ports=[client.V1NetworkPolicyPort(port=80)])])))
seen["networkPolicy"] = {"policyTypes": np.spec.policy_types, "protocol": np.spec.ingress[0].ports[0].protocol,
                         "list": [p.metadata.name for p in net.list_namespaced_network_policy(ns).items]}

labels = {"app": "db"}
apps.create_namespaced_deployment(ns, client.V1Deployment(
    metadata=client.V1ObjectMeta(name="db"),
    spec=client.V1DeploymentSpec(replicas=2, selector=client.V1LabelSelector(match_labels=labels),
                                 template=client.V1PodTemplateSpec(
                                     metadata=client.V1ObjectMeta(labels=labels),
                                     spec=client.V1PodSpec(containers=[client.V1Container(name="nginx", image="nginx")])))))
policy.create_namespaced_pod_disruption_budget(ns, client.V1PodDisruptionBudget(
    metadata=client.V1ObjectMeta(name="db"),
    spec=client.V1PodDisruptionBudgetSpec(min_available=2, selector=client.V1LabelSelector(match_labels=labels))))
healthy = namespaces.until("two healthy pods", lambda: (lambda s: s if s and s.current_healthy == 2 else None)(
    policy.read_namespaced_pod_disruption_budget("db", ns).status))
seen["pdbStatus"] = {"currentHealthy": healthy.current_healthy, "desiredHealthy": healthy.desired_healthy,
                     "disruptionsAllowed": healthy.disruptions_allowed, "expectedPods": healthy.expected_pods,
                     "conditions": [[c.type, c.status, c.reason] for c in healthy.conditions]}
victim = core.list_namespaced_pod(ns, label_selector="app=db").items[0].metadata.name
eviction = client.V1Eviction(metadata=client.V1ObjectMeta(name=victim, namespace=ns))
seen["evictionRefused"] = namespaces.api_error(lambda: core.create_namespaced_pod_eviction(victim, ns, eviction))
policy.patch_namespaced_pod_disruption_budget("db", ns, {"spec": {"minAvailable": 1}})
namespaces.until("a disruption allowed",
                 lambda: policy.read_namespaced_pod_disruption_budget("db", ns).status.disruptions_allowed == 1)
seen["evictionAllowed"] = namespaces.api_error(lambda: core.create_namespaced_pod_eviction(victim, ns, eviction))
evicted = namespaces.api_error(lambda: core.read_namespaced_pod(victim, ns))
seen["evictedPodGoing"] = evicted is not None or core.read_namespaced_pod(victim, ns).metadata.deletion_timestamp is not None

hpas = dynamic.DynamicClient(client.ApiClient()).resources.get(api_version="autoscaling/v2", kind="HorizontalPodAutoscaler")
hpa = hpas.create(namespace=ns, body={
    "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "db"},
    "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "db"}, "maxReplicas": 4,
             "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                                                            "target": {"type": "Utilization", "averageUtilization": 50}}}]}})
seen["hpaCreated"] = {"minReplicas": hpa.spec.minReplicas, "behavior": hpa.spec.get("behavior"),
                      "target": hpa.spec.metrics[0].resource.target.averageUtilization}
patched = hpas.patch(namespace=ns, name="db", body={"spec": {"maxReplicas": 6}},
                     content_type="application/merge-patch+json")
seen["hpaPatched"] = patched.spec.maxReplicas
seen["hpaV1"] = client.AutoscalingV1Api().read_namespaced_horizontal_pod_autoscaler("db", ns).spec.max_replicas
seen["hpaList"] = [h.metadata.name for h in hpas.get(namespace=ns).items]
hpas.delete(namespace=ns, name="db")
seen["hpaGone"] = [h.metadata.name for h in hpas.get(namespace=ns).items]
print(json.dumps(seen))
